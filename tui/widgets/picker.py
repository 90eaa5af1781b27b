"""Choose one of a list of names by typing a few letters.

An ``Input`` with a list of the choices that contain what was typed (or whose
words start with the letters typed: ``sagsb`` finds "Sagsbehandlingstid og
manglende svar", ``bae`` "Borger, Arbejdsmarked & Erhverv", ``forvsk``
"Forvaltningsskik"). Up and down move in the list,
Enter or Tab takes the highlighted choice. A value that is not among the
choices (a name no longer in the taxonomy) is kept as it is, so opening and
saving a record never changes it by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..keys import translate_bindings
from .visible import visible


def _fold(s: str) -> str:
    return " ".join(s.split()).casefold()


def matches(choices: Sequence[str], typed: str) -> list[str]:
    """The choices that fit ``typed``: starts-with first, then contains, then initials."""
    q = _fold(typed)
    if not q:
        return list(choices)
    first, inside, initials, scattered = [], [], [], []
    for c in choices:
        f = _fold(c)
        if f.startswith(q):
            first.append(c)
        elif q in f:
            inside.append(c)
        else:
            words = [w for w in f.replace(",", " ").replace("&", " ").split() if w]
            if "".join(w[0] for w in words).startswith(q.replace(" ", "")):
                initials.append(c)
            elif _in_order(q.replace(" ", ""), f):
                scattered.append(c)
    return first + inside + initials + scattered


def _in_order(letters: str, text: str) -> bool:
    """Every letter of ``letters`` occurs in ``text``, in this order (``forvsk``)."""
    it = iter(text)
    return all(ch in it for ch in letters)


class Picker(Vertical):
    """Type to choose; ``value`` is the chosen name ("" when none)."""

    DEFAULT_CSS = """
    Picker {
        height: auto;
        width: 1fr;
    }
    Picker > Input {
        width: 1fr;
    }
    Picker > OptionList {
        display: none;
        overlay: screen;
        constrain: none inside;
        max-height: 8;
        height: auto;
        border: none;
        padding: 0;
        background: $panel;
    }
    Picker.-open > OptionList {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "app.key.down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "app.key.up", show=False, id="picker.up"),
        Binding("escape", "close", "app.key.close_list", show=False, id="picker.close"),
        # (a priority key, as Tab is on the forms: the letters typed after it go
        # to the next field even when they come in the same burst)
        Binding("enter", "take", "app.key.take_choice", show=False, priority=True,
                id="picker.take"),
    ]

    class Changed(Message):
        """The chosen value changed."""

        def __init__(self, picker: Picker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(self, choices: Sequence[str], value: str = "", placeholder: str = "",
                 *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self._choices = list(choices)
        self._value = value
        self._placeholder = placeholder
        self._shown: list[str] = []
        self._shown_for: str | None = None  # what was typed when the list was made
        self._typed_as_is = False  # the value is letters typed that named no choice
        self._take_always = False  # (Enter: the highlighted choice, when the field is left)

    def compose(self) -> ComposeResult:
        yield Input(self._value, placeholder=self._placeholder, compact=True)
        options = OptionList()
        options.can_focus = False  # the keys stay in the Input; the list follows them
        yield options

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def choices(self) -> list[str]:
        return list(self._choices)

    @choices.setter
    def choices(self, choices: Sequence[str]) -> None:
        self._choices = list(choices)
        if self.is_mounted and self.has_class("-open"):
            self._fill(self.input.value)

    def refit(self, choices: Sequence[str]) -> None:
        """New choices (a subtheme's, when the theme changed). A value that is not
        one of them is emptied, unless it is letters typed that named none of the
        old choices (typed before these came, as when keys are typed ahead): those
        are looked for again among the new. (A record's saved name that is no
        longer in the taxonomy is emptied, never matched to another.)"""
        typed = self._typed_as_is
        self.choices = choices
        if self._value and self._value not in self._choices:
            self.value = (self._find(self._value) or "") if typed else ""

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        self._set(value, post=False)

    @property
    def typed(self) -> str:
        """What is in the box now (may differ from ``value`` while typing)."""
        return self.input.value

    def _set(self, value: str, post: bool = True, typed: bool = False) -> None:
        changed = value != self._value
        self._value = value
        self._typed_as_is = typed
        if self.is_mounted:
            with self.input.prevent(Input.Changed):
                self.input.value = value
            self.input.cursor_position = len(value)
        if changed and post:
            self.post_message(self.Changed(self, value))

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.input.focus(scroll_visible)
        return self

    # -- the list -----------------------------------------------------------
    def _fill(self, typed: str) -> None:
        options = self.query_one(OptionList)
        exact = typed.strip() == self._value and self._value in self._choices
        self._shown = list(self._choices) if exact else matches(self._choices, typed)
        self._shown_for = typed
        options.clear_options()
        options.add_options([Option(Text(visible(c))) for c in self._shown])
        if self._shown:
            index = self._shown.index(self._value) if self._value in self._shown else 0
            options.highlighted = index
        self.set_class(bool(self._shown), "-open")

    def _close(self) -> None:
        self.remove_class("-open")

    @on(events.DescendantFocus)
    def _opened(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            self._fill(self.input.value)

    @on(events.DescendantBlur)
    def _left(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input):
            if self.has_class("-open") and self._shown_for != self.input.value:
                # letters that came after the focus had gone on (keys typed ahead):
                # the list is made for them now, as it would have been while typing
                self._fill(self.input.value)
            self._take_highlighted(always=self._take_always)
            self._take_always = False
            self._close()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.input.has_focus:  # not when a value is set from outside
            self._fill(event.value)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take_highlighted(always=True)
        self._close()
        self.input.focus()

    def _take_highlighted(self, always: bool = False) -> None:
        options = self.query_one(OptionList)
        typed = self.input.value.strip()
        if (self.has_class("-open") and (always or (typed and typed != self._value))
                and options.highlighted is not None and self._shown):
            self._set(self._shown[options.highlighted])
        else:
            self._resolve()

    def _resolve(self) -> None:
        """On leaving: an exact or only match is taken; anything else is kept as typed."""
        typed = self.input.value.strip()
        if not typed:
            self._set("")
            return
        found = self._find(typed)
        if found is not None:
            self._set(found)
        elif typed != self._value:
            self._set(typed, typed=True)  # not a known name: validation says so

    def _find(self, typed: str) -> str | None:
        """The choice ``typed`` names: the one it spells (case and all folded), or
        the only one it matches."""
        folded = _fold(typed)
        exact = [c for c in self._choices if _fold(c) == folded]
        if exact:
            return exact[0]
        found = matches(self._choices, typed)
        return found[0] if len(found) == 1 else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "close"):
            return self.has_class("-open")
        return True

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self._shown:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(current + step, len(self._shown) - 1))

    def action_take(self) -> None:
        """Enter: the focus goes on at once; the highlighted choice is taken as the
        field is left (``_left``), after any letters typed before the Enter."""
        self._take_always = True
        self.screen.focus_next()

    def action_close(self) -> None:
        self._close()

    def is_known(self) -> bool:
        return self._value in self._choices
