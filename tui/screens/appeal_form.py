"""The form of one appeal-board decision: ``AppealForm(appeal | None)`` -> Appeal | None.

``ctrl+s`` checks the fields, writes the file through ``Workspace.save``
(atomically, before the form closes) and dismisses the saved record; a
failed save keeps the form and the draft open. ``escape`` leaves, asking
first when something was changed. An edit is ``dataclasses.replace`` on the
old record, so keys this version does not know are kept.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import (
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from store.domain import clock
from store.domain.records import OUTCOMES, Appeal

from ..dates import parse_date
from ..i18n import t
from ..keys import FOCUS_KEYS, translate_bindings
from ..widgets.cpr_notice import CprNotice
from ..widgets.picker import Picker, matches
from ..widgets.visible import LiteralTextArea, VisibleHighlighter, visible
from .stale import ask_if_changed


def outcome_label(code: str) -> str:
    return t(f"appeal.outcome.{code}") if code in OUTCOMES else code


def resolve_choice(choices: list[str], typed: str, keep: str = "") -> str | None:
    """The choice ``typed`` names (exactly, case-insensitively, or as the only match);
    ``keep`` (the record's old value) is accepted as it is; None when it names none."""
    typed = typed.strip()
    if not typed:
        return None
    if typed == keep:
        return keep
    fold = " ".join(typed.split()).casefold()
    exact = [c for c in choices if " ".join(c.split()).casefold() == fold]
    if exact:
        return exact[0]
    found = matches(choices, typed)
    return found[0] if len(found) == 1 else None


class Radio(RadioButton):
    """A radio button whose state shows without colour (``NO_COLOR``): ● or blank."""

    @property
    def _button(self):  # type: ignore[override]
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class CheckList(SelectionList[str]):
    """A selection list whose boxes show their state without colour: X or blank."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) >= 3 and segments[1].text == ToggleButton.BUTTON_INNER:
            try:
                option = self.get_option_at_index(round(self.scroll_offset.y) + y)
            except OptionDoesNotExist:
                return strip
            inner = ToggleButton.BUTTON_INNER if option.value in self.selected else " "
            segments[1] = Segment(inner, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip


class AppealForm(ModalScreen[Appeal | None]):
    """Register or edit one appeal decision."""

    DEFAULT_CSS = """
    AppealForm { align: center middle; }
    AppealForm > #appeal-box {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AppealForm #appeal-title { text-style: bold; height: 1; }
    AppealForm #appeal-fields { height: auto; max-height: 1fr; }
    AppealForm .row { height: auto; margin-bottom: 0; }
    AppealForm .row > Label { width: 14; height: 1; padding-right: 1; }
    AppealForm .row > Input, AppealForm .row > Picker { width: 1fr; }
    AppealForm #received-row > Input { width: 24; }
    AppealForm #received-shown { width: 1fr; color: $text-muted; padding-left: 1; }
    AppealForm RadioSet { layout: horizontal; width: 1fr; height: auto; }
    AppealForm RadioSet > RadioButton { width: auto; margin-right: 1; }
    AppealForm SelectionList { width: 1fr; height: auto; max-height: 6; }
    AppealForm #remarks-row.-hidden { display: none; }
    AppealForm TextArea { width: 1fr; height: 5; }
    AppealForm Picker > OptionList { border-left: outer $accent; }
    AppealForm #appeal-error { color: $error; height: auto; }
    AppealForm #appeal-hint { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "appeal.key.save", id="appeal.save",
                tooltip="appeal.key.save.tip", priority=True),
        Binding("escape", "leave", "appeal.key.cancel", id="appeal.cancel",
                tooltip="appeal.key.cancel.tip"),
        *FOCUS_KEYS,
    ]

    def __init__(self, appeal: Appeal | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.original = appeal
        self._initial: tuple | None = None
        self._saving = False

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.workspace.settings
        a = self.original
        title = t("appeal.form.edit", id=a.id) if a else t("appeal.form.new")
        board = a.board if a else (s.appeal_boards[0] if s.appeal_boards else "")
        received = a.received.isoformat() if a else clock.today().isoformat()
        remark_choices = list(s.remark_themes)
        if a:
            remark_choices += [r for r in a.remarks if r not in remark_choices]
        with Vertical(id="appeal-box"):
            yield Static(Text(title), id="appeal-title")
            with VerticalScroll(id="appeal-fields", can_focus=False):
                with Horizontal(classes="row"):
                    yield Label(t("appeal.field.board"))
                    yield Picker(list(s.appeal_boards), board,
                                 t("appeal.placeholder.board"), id="board")
                with Horizontal(classes="row"):
                    yield Label(t("appeal.field.department"))
                    yield Picker(list(s.department_names), a.department if a else "",
                                 t("appeal.placeholder.department"), id="department")
                with Horizontal(classes="row", id="received-row"):
                    yield Label(t("appeal.field.received"))
                    yield Input(received, placeholder=t("appeal.placeholder.received"),
                                id="received", compact=True)
                    yield Static("", id="received-shown")
                with Horizontal(classes="row"):
                    yield Label(t("appeal.field.outcome"))
                    with RadioSet(id="outcome", compact=True):
                        for code in OUTCOMES:
                            yield Radio(outcome_label(code), value=bool(a and a.outcome == code),
                                              id=f"outcome-{code}", compact=True)
                with Horizontal(classes="row", id="remarks-row"):
                    yield Label(t("appeal.field.remarks"))
                    yield CheckList(
                        *[Selection(Text(visible(r)), r, bool(a and r in a.remarks))
                          for r in remark_choices],
                        id="remarks", compact=True)
                with Horizontal(classes="row"):
                    yield Label(t("appeal.field.result"))
                    yield Input(a.result if a else "", placeholder=t("appeal.placeholder.result"),
                                id="result", compact=True)
                with Horizontal(classes="row"):
                    yield Label(t("appeal.field.notes"))
                    yield LiteralTextArea(a.notes if a else "", id="notes", compact=True,
                                   soft_wrap=True, tab_behavior="focus")
            yield Static("", id="appeal-error")
            yield CprNotice(id="cpr-notice")
            yield Static(Text(t("appeal.hint")), id="appeal-hint")
        yield Footer()

    @on(Input.Changed, "#result")
    @on(TextArea.Changed, "#notes")
    def _check_cpr(self) -> None:
        """Warn, before saving, while a text field looks like it holds a CPR number."""
        self.query_one(CprNotice).update_from({
            t("appeal.field.result"): self.query_one("#result", Input).value,
            t("appeal.field.notes"): self.query_one("#notes", TextArea).text,
        })

    def on_mount(self) -> None:
        for field in self.query(Input):  # record text is drawn literally, never as controls
            field.highlighter = VisibleHighlighter()
        self._check_cpr()
        # Tab goes from field to field: the pickers' choice lists are moved in
        # with up/down from their input, never focused themselves.
        for options in self.query("Picker > OptionList"):
            options.can_focus = False
        self._show_remarks()
        self._show_date()
        self._initial = self._fields()
        self._notes_shown = self.query_one("#notes", TextArea).text
        self.query_one("#board", Picker).focus()

    # -- reading the fields ----------------------------------------------------------
    def _outcome(self) -> str | None:
        radio = self.query_one("#outcome", RadioSet)
        pressed = radio.pressed_button
        if pressed is None or pressed.id is None:
            return self.original.outcome if self.original and self.original.outcome not in OUTCOMES \
                else None
        return pressed.id.removeprefix("outcome-")

    def _remarks(self) -> tuple[str, ...]:
        lst = self.query_one("#remarks", SelectionList)
        chosen = set(lst.selected)
        order = [lst.get_option_at_index(i).value for i in range(lst.option_count)]
        return tuple(r for r in order if r in chosen)

    def _fields(self) -> tuple:
        """The raw state of every field, to tell whether anything changed."""
        return (
            self.query_one("#board", Picker).typed.strip(),
            self.query_one("#department", Picker).typed.strip(),
            self.query_one("#received", Input).value.strip(),
            self._outcome(),
            self._remarks(),
            self.query_one("#result", Input).value,
            self.query_one("#notes", TextArea).text,
        )

    def _notes(self) -> str:
        """The decision's own notes unless edited here (the text area normalises line ends)."""
        text = self.query_one("#notes", TextArea).text
        if self.original is not None and text == getattr(self, "_notes_shown", None):
            return self.original.notes
        return text

    def is_changed(self) -> bool:
        return self._initial is not None and self._fields() != self._initial

    def _parse_received(self) -> date | None:
        try:
            return parse_date(self.query_one("#received", Input).value, clock.today())
        except ValueError:
            return None

    # -- reacting ---------------------------------------------------------------------
    def _show_remarks(self) -> None:
        self.query_one("#remarks-row").set_class(self._outcome() != "remarks", "-hidden")

    def _show_date(self) -> None:
        d = self._parse_received()
        text = t("appeal.date.shown", date=d.isoformat()) if d else ""
        self.query_one("#received-shown", Static).update(Text(text))

    @on(RadioSet.Changed, "#outcome")
    def _outcome_changed(self) -> None:
        self._show_remarks()

    @on(Input.Changed, "#received")
    def _received_changed(self) -> None:
        self._show_date()

    @on(Input.Submitted, "#received, #result")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- saving -------------------------------------------------------------------------
    def build(self) -> tuple[Appeal | None, list[str]]:
        """The record the fields describe, or None and the errors in plain words."""
        s = self.workspace.settings
        a = self.original
        errors: list[str] = []
        board = resolve_choice(list(s.appeal_boards), self.query_one("#board", Picker).typed,
                               a.board if a else "")
        if board is None:
            errors.append(t("appeal.error.board"))
        department = resolve_choice(list(s.department_names),
                                    self.query_one("#department", Picker).typed,
                                    a.department if a else "")
        if department is None:
            # an alias of a department is a valid name too
            typed = self.query_one("#department", Picker).typed.strip()
            if typed and s.knows_department(typed):
                department = typed
            else:
                errors.append(t("appeal.error.department"))
        received = self._parse_received()
        if received is None:
            errors.append(t("appeal.error.received"))
        elif received > clock.today() and not (a and a.received == received):
            errors.append(t("appeal.error.future"))
        outcome = self._outcome()
        if outcome is None:
            errors.append(t("appeal.error.outcome"))
        remarks = self._remarks() if outcome == "remarks" else ()
        if outcome == "remarks" and not remarks:
            errors.append(t("appeal.error.remarks"))
        if errors:
            return None, errors
        assert board is not None and department is not None and received is not None
        assert outcome is not None
        values = dict(received=received, board=board, department=department, outcome=outcome,
                      remarks=remarks, result=self.query_one("#result", Input).value,
                      notes=self._notes())
        if a is not None:
            return dataclasses.replace(a, **values), []
        rid = self.workspace.new_id(received, appeal=True)
        return Appeal(id=rid, **values), []

    def action_save(self) -> None:
        if self._saving:
            return
        record, errors = self.build()
        error_box = self.query_one("#appeal-error", Static)
        if record is None:
            error_box.update(Text("\n".join(errors)))
            self.notify(t("appeal.error.summary", errors=" ".join(errors)), severity="error")
            return
        if ask_if_changed(self, self.original, record):
            return  # changed on disk since the form opened: asks, then saves or closes
        self._saving = True
        try:
            self.workspace.save(record)
        except OSError as e:
            message = t("appeal.save.failed", error=e.strerror or str(e))
            error_box.update(Text(message))
            self.notify(message, severity="error", timeout=10)
            return
        finally:
            self._saving = False
        self.dismiss(record)

    @work(exclusive=True, group="appeal-leave")
    async def action_leave(self) -> None:
        if self.is_changed():
            from .confirm import ConfirmScreen

            if not await self.app.push_screen_wait(ConfirmScreen(t("appeal.leave.ask"))):
                return
        self.dismiss(None)
