"""Bindings whose words come from the catalogues.

Textual reads ``BINDINGS`` when a class is defined, before the interface
language is known. So a binding's ``description`` and ``tooltip`` hold
catalogue keys (``"app.key.new"``), and every screen or widget calls
``translate_bindings(self)`` in ``__init__`` to put the words of the current
language in their place. Text that is not a catalogue key is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from .i18n import t

# Tab and Shift+Tab on a form, taken before the key goes to the field it was
# typed in (priority bindings). Keys that come in one burst ("børn", Tab,
# "forv", ...: a fast typist, a paste, or keys typed while the app was busy)
# are each sent on to the focused field as soon as they are read; with
# Textual's own Tab, which moves the focus once the key has come back up from
# that field, every letter after the Tab would go to the field it left.
FOCUS_KEYS = (
    Binding("tab", "app.focus_next", show=False, priority=True, id="form.next"),
    Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="form.previous"),
)


def translate_bindings(node: DOMNode) -> None:
    bindings = node._bindings  # the node's own copy, made in DOMNode.__init__
    for key, items in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=t(b.description) if b.description else "",
                    tooltip=t(b.tooltip) if b.tooltip else "",
                    group=replace(b.group, description=t(b.group.description))
                    if b.group is not None else None)
            for b in items
        ]


def is_ours(binding) -> bool:
    """A binding of caselog (they all carry an id), not one of Textual's own."""
    return bool(binding.id) and bool(binding.description) and not binding.system
