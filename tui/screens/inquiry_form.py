"""The inquiry form: every field of an inquiry, saved with ctrl+s.

``InquiryForm(workspace, record=None)`` is a ``ModalScreen[Inquiry | None]``:
it saves through the workspace itself (the file is written before the form
closes) and dismisses with the saved record, or None when left. A failed
save keeps the form and the draft. Editing starts from the existing record
and changes it with ``dataclasses.replace``, so keys this version does not
know stay in the file and a change of one field changes one line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from store.domain import clock
from store.domain.records import KINDS, STATUSES, Citizen, Inquiry
from store.workspace.workspace import Workspace

from ..dates import format_date, parse_date
from ..i18n import t
from ..keys import FOCUS_KEYS, translate_bindings
from ..widgets.cpr_notice import CprNotice
from ..widgets.point_editor import PointEditor
from ..widgets.visible import LiteralTextArea, VisibleHighlighter
from .confirm import ConfirmScreen
from .stale import ask_if_changed


class FormError(Exception):
    def __init__(self, widget: Widget, message: str):
        super().__init__(message)
        self.widget = widget
        self.message = message


def kind_label(kind: str) -> str:
    return t(f"app.kind.{kind}")


def status_label(status: str) -> str:
    return t(f"app.status.{status}")


class InquiryForm(ModalScreen[Inquiry | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "save", "app.key.save", id="form.save", tooltip="app.key.save_tip",
                priority=True),
        Binding("escape", "leave", "app.key.leave", id="form.leave", tooltip="app.key.leave_tip"),
        Binding("ctrl+n,f3", "add_follow_up", "app.key.add_follow_up", id="form.add_follow_up",
                tooltip="app.key.add_follow_up_tip"),
        Binding("ctrl+r,f4", "remove_follow_up", "app.key.remove_follow_up",
                id="form.remove_follow_up", tooltip="app.key.remove_follow_up_tip"),
        *FOCUS_KEYS,
    ]

    def __init__(self, workspace: Workspace, record: Inquiry | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.workspace = workspace
        self.record = record
        self.title = t("app.form.edit_title", id=record.id) if record else t("app.form.new_title")
        self.today = clock.today()
        self._initial: tuple | None = None
        self._follow_ups = 0
        self._date_errors: dict[str, str] = {}

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        r = self.record
        s = self.workspace.settings
        heading = t("app.form.edit_title", id=r.id) if r else t("app.form.new_title")
        yield Static(Text(heading), id="form-heading")
        channels = list(s.channels)
        channel = r.channel if r else self.workspace.last_channel()
        if channel and channel not in channels:
            channels.append(channel)  # an unknown channel is kept as it is
        with VerticalScroll(id="form"):
            with Horizontal(classes="row"):
                yield Label(t("app.form.received"), classes="label")
                yield Input(format_date(r.received) if r else t("app.form.today_word"),
                            id="received", compact=True, classes="date")
                yield Label(t("app.form.kind"), classes="label2")
                yield Select([(kind_label(k), k) for k in KINDS], value=r.kind if r else "complaint",
                             allow_blank=False, id="kind", compact=True)
            yield Static("", id="received-error", classes="field-error")
            with Horizontal(classes="row"):
                yield Label(t("app.form.channel"), classes="label")
                yield Select([(Text(c), c) for c in channels], value=channel or Select.BLANK,
                             allow_blank=not channel, id="channel", compact=True)
                yield Label(t("app.form.status"), classes="label2")
                yield Select([(status_label(x), x) for x in STATUSES],
                             value=r.status if r else "open", allow_blank=False, id="status",
                             compact=True)
            with Horizontal(classes="row"):
                yield Label(t("app.form.closed"), classes="label")
                yield Input(format_date(r.closed) if r else "", id="closed", compact=True,
                            classes="date", placeholder=t("app.form.closed_placeholder"))
            yield Static("", id="closed-error", classes="field-error")
            with Horizontal(classes="row"):
                yield Label(t("app.form.title"), classes="label")
                yield Input(r.title if r else "", id="title", compact=True,
                            placeholder=t("app.form.title_placeholder"))
            with Horizontal(classes="row notes-row"):
                yield Label(t("app.form.notes"), classes="label")
                yield LiteralTextArea(r.notes if r else "", id="notes", soft_wrap=True,
                               show_line_numbers=False, compact=True)
            yield PointEditor(s, r.main if r else None, t("app.form.main"), id="main",
                              classes="point")
            for point in (r.follow_up if r else ()):
                yield self._follow_up_editor(point)
            yield Static(t("app.form.follow_up_hint"), id="follow-up-hint", classes="hint")
            citizen = r.citizen if r and r.citizen else Citizen()
            yield Static(t("app.form.citizen"), classes="point-heading")
            for field in ("name", "phone", "email"):
                with Horizontal(classes="row"):
                    yield Label(t(f"app.form.citizen_{field}"), classes="label")
                    yield Input(getattr(citizen, field), id=f"citizen-{field}", compact=True)
            yield Static("", id="citizen-error", classes="field-error")
        yield CprNotice(id="cpr-notice")
        yield Footer(compact=True, show_command_palette=False)

    def _follow_up_editor(self, point=None) -> PointEditor:
        self._follow_ups += 1
        return PointEditor(self.workspace.settings, point,
                           t("app.form.follow_up", n=self._follow_ups), classes="point follow-up")

    @on(Input.Changed, "#title, #citizen-name, #citizen-phone, #citizen-email")
    @on(TextArea.Changed, "#notes")
    def _check_cpr(self) -> None:
        """Warn, before saving, while a text field looks like it holds a CPR number."""
        fields = {t("app.form.title"): self.query_one("#title", Input).value,
                  t("app.form.notes"): self.query_one("#notes", TextArea).text}
        for field in ("name", "phone", "email"):
            fields[t(f"app.form.citizen_{field}")] = self.query_one(f"#citizen-{field}", Input).value
        self.query_one(CprNotice).update_from(fields)

    def on_mount(self) -> None:
        for field in self.query(Input):  # record text is drawn literally, never as controls
            field.highlighter = VisibleHighlighter()
        self._check_cpr()
        self._update_closed_state()
        self.query_one("#received" if self.record is None else "#title").focus()
        self.call_after_refresh(self._remember)

    def _remember(self) -> None:
        self._initial = self._snapshot()
        self._notes_shown = self.query_one("#notes", TextArea).text

    def _notes(self) -> str:
        """The notes to save: the record's own text, unless they were edited here.

        The text area keeps one kind of line ending and breaks lines at
        characters such as U+2028, so what it shows may differ from the file;
        notes nobody touched are saved exactly as they were.
        """
        text = self.query_one("#notes", TextArea).text
        if self.record is not None and text == getattr(self, "_notes_shown", None):
            return self.record.notes
        return text

    # -- state ------------------------------------------------------------------
    def _snapshot(self) -> tuple:
        values: list = []
        for w in self.query("#form Input, #form Select, #form TextArea"):
            if isinstance(w, TextArea):
                values.append(w.text)
            elif isinstance(w, Input) and w.parent is not None and w.parent.has_class("row"):
                values.append(w.value)
            elif isinstance(w, Select):
                values.append(w.value)
        for ed in self.query(PointEditor):
            values.append(ed.values())
        return tuple(values)

    @property
    def changed(self) -> bool:
        return self._initial is not None and self._snapshot() != self._initial

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        closed = self.query_one("#closed", Input)
        if event.value == "closed" and not closed.value.strip():
            closed.value = t("app.form.today_word")
        self._update_closed_state()

    def _update_closed_state(self) -> None:
        closed = self.query_one("#closed", Input)
        closed.disabled = self.query_one("#status", Select).value != "closed"

    @on(Input.Changed, ".date")
    def _date_typed(self, event: Input.Changed) -> None:
        self._check_date(event.input, quiet_when_empty=True)

    def _check_date(self, inp: Input, quiet_when_empty: bool = False) -> date | None:
        error = self.query_one(f"#{inp.id}-error", Static)
        text = inp.value
        message = ""
        value = None
        if text.strip():
            try:
                value = parse_date(text, self.today)
            except ValueError:
                message = t("app.form.err.date")
            else:
                if value > self.today:
                    message = t("app.form.err.future")
                else:
                    message = ""
                    error.update(Text(t("app.form.date_is", date=_long_date(value))))
                    error.set_class(False, "-error")
                    error.display = text.strip() != value.isoformat()
                    return value
        elif not quiet_when_empty:
            message = t("app.form.err.date_missing")
        self._date_errors[inp.id or ""] = message
        error.update(Text(message))
        error.set_class(bool(message), "-error")
        error.display = bool(message)
        return None

    # -- follow-up issues --------------------------------------------------------
    async def action_add_follow_up(self) -> None:
        editor = self._follow_up_editor()
        await self.query_one("#form").mount(editor, before="#follow-up-hint")
        editor.focus_field()
        self.call_after_refresh(editor.scroll_visible)

    def action_remove_follow_up(self) -> None:
        editors = list(self.query(".follow-up").results(PointEditor))
        if not editors:
            self.notify(t("app.form.no_follow_up"), severity="warning")
            return
        focused = self.focused
        target = editors[-1]
        for ed in editors:
            if focused is not None and ed in focused.ancestors:
                target = ed
        target.remove()
        self._renumber()
        self.query_one("#main", PointEditor).focus_field()

    def _renumber(self) -> None:
        self._follow_ups = 0
        for ed in self.query(".follow-up").results(PointEditor):
            if ed.is_attached and ed.parent is not None:
                self._follow_ups += 1
                ed.query_one(".point-heading", Static).update(
                    Text(t("app.form.follow_up", n=self._follow_ups)))

    # -- building the record ---------------------------------------------------------
    def build(self) -> Inquiry:
        """The record the form describes; raises FormError at the first problem."""
        r = self.record
        received_in = self.query_one("#received", Input)
        received = self._check_date(received_in)
        if received is None:
            raise FormError(received_in, self._date_errors.get("received") or t("app.form.err.date"))
        status = self.query_one("#status", Select).value
        closed = None
        if status == "closed":
            closed_in = self.query_one("#closed", Input)
            closed = self._check_date(closed_in)
            if closed is None:
                raise FormError(closed_in, t("app.form.err.closed"))
            if closed < received:
                raise FormError(closed_in, t("app.form.err.closed_before"))
        channel = self.query_one("#channel", Select).value
        if channel is Select.BLANK:
            channel = ""
        points = []
        for ed in self.query(PointEditor):
            problem = ed.problem()
            if problem is not None:
                ed.show_error(problem[1])
                raise FormError(ed.query_one(f"Picker.{problem[0]}"), problem[1])
            points.append(ed)
        main, follow_editors = points[0], points[1:]
        follow_up = [ed.to_point() for ed in follow_editors]
        # Text is kept exactly as typed (FORMAT: any characters); only checked.
        name, phone, email = (self.query_one(f"#citizen-{f}", Input).value
                              for f in ("name", "phone", "email"))
        if email.strip() and "@" not in email:
            raise FormError(self.query_one("#citizen-email"), t("app.form.err.email"))
        citizen = r.citizen if r else None
        if citizen is not None:
            citizen = replace(citizen, name=name, phone=phone, email=email)
            if citizen.is_empty():
                citizen = None
        elif name or phone or email:
            citizen = Citizen(name, phone, email)
        fields = dict(
            received=received,
            kind=self.query_one("#kind", Select).value,
            status=status,
            closed=closed,
            channel=channel,
            title=self.query_one("#title", Input).value,
            notes=self._notes(),
            main=main.to_point(),
            follow_up=tuple(follow_up),
            citizen=citizen,
        )
        if r is not None:
            return replace(r, **fields)
        return Inquiry(id=self.workspace.new_id(received), **fields)

    # -- actions ------------------------------------------------------------------------
    def action_save(self) -> None:
        try:
            record = self.build()
        except FormError as e:
            self.notify(e.message, severity="error", title=t("app.form.not_saved"))
            e.widget.focus()
            return
        if ask_if_changed(self, self.record, record):
            return  # changed on disk since the form opened: asks, then saves or closes
        try:
            self.workspace.save(record)
        except OSError as e:
            self.notify(t("app.form.save_failed", error=e.strerror or str(e)),
                        severity="error", title=t("app.form.not_saved"), timeout=10)
            return
        self.dismiss(record)

    @work
    async def action_leave(self) -> None:
        if self.changed:
            leave = await self.app.push_screen_wait(ConfirmScreen(t("app.form.ask_leave")))
            if not leave:
                return
        self.dismiss(None)


def _long_date(d: date) -> str:
    months = t("app.months").split()
    return f"{d.day}. {months[d.month - 1]} {d.year}"
