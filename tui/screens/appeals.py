"""The appeal decisions of one period, newest first; Enter opens one, ``n`` registers one."""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.domain import clock
from store.domain.periods import Period, period_of
from store.domain.records import Appeal
from store.workspace.workspace import Change

from ..i18n import t
from ..keys import translate_bindings
from ..widgets.record_list import Column, RecordList
from .appeal_form import AppealForm, outcome_label
from .stale import full_record


class AppealsScreen(Screen):
    """List of appeal-board decisions with a period filter."""

    DEFAULT_CSS = """
    AppealsScreen #appeals-bar {
        height: 1; background: $panel; padding: 0 1; text-style: bold;
    }
    AppealsScreen #appeals-list { height: 1fr; }
    """

    BINDINGS = [
        Binding("n", "new", "appeals.key.new", id="appeals.new", tooltip="appeals.key.new.tip"),
        Binding("delete,d", "delete", "appeals.key.delete", key_display="del",
                id="appeals.delete", tooltip="appeals.key.delete.tip"),
        Binding("left,comma", "previous_period", "appeals.key.previous_period", key_display="←",
                id="appeals.previous_period", tooltip="appeals.key.previous_period.tip"),
        Binding("right,full_stop", "next_period", "appeals.key.next_period", key_display="→",
                id="appeals.next_period", tooltip="appeals.key.next_period.tip"),
        Binding("asterisk", "all_periods", "appeals.key.all_periods", key_display="*",
                id="appeals.all_periods", tooltip="appeals.key.all_periods.tip"),
        Binding("l", "history", "git.key.history", id="appeals.history",
                tooltip="git.key.history_tip"),
        Binding("escape", "back", "appeals.key.back", id="appeals.back",
                tooltip="appeals.key.back.tip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.period: Period | None = None
        self.all_periods = False
        self._dirty = False

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        short = self.app.workspace.settings.short_name  # type: ignore[attr-defined]
        columns = [
            Column("id", t("appeals.col.id"), 15),
            Column("received", t("appeals.col.received"), 10),
            Column("board", t("appeals.col.board"), 13),
            Column("department", t("appeals.col.department"), 5),
            Column("outcome", t("appeals.col.outcome"), 17),
            Column("remarks", t("appeals.col.remarks"), flex=True),
        ]

        def cells(a: Appeal) -> list[str | Text]:
            return [a.id, a.received.isoformat(), a.board, short(a.department),
                    outcome_label(a.outcome), ", ".join(a.remarks)]

        yield Static("", id="appeals-bar")
        yield RecordList(columns, cells, empty=t("appeals.empty"), id="appeals-list")
        yield Footer()

    def on_mount(self) -> None:
        ws = self.workspace
        self.period = ws.tally.default_period(clock.today())
        ws.listeners.append(self._on_change)
        self.refresh_list()
        self.query_one(RecordList).focus()

    def on_unmount(self) -> None:
        try:
            self.workspace.listeners.remove(self._on_change)
        except (ValueError, AttributeError):
            pass

    def _on_change(self, change: Change) -> None:
        if not isinstance(change.record, Appeal):
            return
        if threading.get_ident() != getattr(self.app, "_thread_id", threading.get_ident()):
            self.app.call_from_thread(self._on_change, change)
            return
        self._dirty = True
        if self.is_current:
            self.refresh_list()

    def on_screen_resume(self) -> None:
        if self._dirty:
            self.refresh_list()

    # -- the list ----------------------------------------------------------------------
    def rows(self) -> list[Appeal]:
        assert self.period is not None
        p = self.period
        rows = [a for a in self.workspace.appeals.values() if self.all_periods or a.received in p]
        rows.sort(key=lambda a: (a.received, a.id), reverse=True)
        return rows

    def refresh_list(self, keep: str | None = None) -> None:
        self._dirty = False
        rows = self.rows()
        self.query_one(RecordList).set_rows(rows, keep=keep)
        remarks = sum(1 for a in rows if a.outcome == "remarks")
        assert self.period is not None
        self.query_one("#appeals-bar", Static).update(Text(t(
            "appeals.subtitle", period=t("appeals.all_periods") if self.all_periods
            else self.period.label, n=len(rows), remarks=remarks)))
        self.sub_title = t("appeals.title")

    def action_previous_period(self) -> None:
        assert self.period is not None
        if not self.all_periods:
            self.period = self.period.previous()
        self.all_periods = False
        self.refresh_list()

    def action_next_period(self) -> None:
        assert self.period is not None
        if not self.all_periods:
            self.period = self.period.next()
        self.all_periods = False
        self.refresh_list()

    def action_all_periods(self) -> None:
        self.all_periods = not self.all_periods
        self.refresh_list()

    def action_history(self) -> None:
        from .history import HistoryScreen

        appeal = self.query_one(RecordList).current
        if appeal is not None:
            self.app.push_screen(HistoryScreen(appeal.id))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # -- opening, registering, deleting --------------------------------------------------
    @on(RecordList.Selected, "#appeals-list")
    def _open(self, event: RecordList.Selected) -> None:
        event.stop()
        self.edit(event.item)

    def action_new(self) -> None:
        self.edit(None)

    @work(exclusive=True, group="appeal-form")
    async def edit(self, appeal: Appeal | None) -> None:
        if appeal is not None:  # the form works on the full record, never a partial copy
            rid = appeal.id
            appeal = full_record(self.workspace, rid)  # type: ignore[assignment]
            if not isinstance(appeal, Appeal):
                self.notify(t("app.list.gone", id=rid), severity="warning", timeout=5)
                return
        saved = await self.app.push_screen_wait(AppealForm(appeal))
        if saved is None:
            return
        assert self.period is not None
        if saved.received not in self.period and not self.all_periods:
            self.period = period_of(saved.received, self.workspace.settings.period_start)
        self.refresh_list(keep=saved.id)
        self.notify(t("appeals.saved", id=saved.id))

    @work(exclusive=True, group="appeal-delete")
    async def action_delete(self) -> None:
        appeal = self.query_one(RecordList).current
        if appeal is None:
            return
        from .confirm import ConfirmScreen

        question = t("appeals.delete.ask", id=appeal.id, department=appeal.department,
                     received=appeal.received.isoformat())
        if not await self.app.push_screen_wait(ConfirmScreen(question)):
            return
        try:
            self.workspace.delete(appeal)
        except OSError as e:
            self.notify(t("appeals.delete.failed", id=appeal.id, error=e.strerror or str(e)),
                        severity="error", timeout=10)
            return
        self.refresh_list()
        self.notify(t("appeals.deleted", id=appeal.id))
