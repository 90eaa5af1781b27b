"""Bindings whose words come from the catalogues.

Textual reads ``BINDINGS`` when a class is defined, before the interface
language is known. So a binding's ``description`` and ``tooltip`` hold
catalogue keys (``"app.key.new"``), and every screen or widget calls
``translate_bindings(self)`` in ``__init__`` to put the words of the current
language in their place. Text that is not a catalogue key is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from .i18n import t


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
