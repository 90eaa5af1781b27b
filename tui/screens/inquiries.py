"""The start screen: the inquiries of a period, newest first, filtered by typing."""

from __future__ import annotations

import gc
import threading
from functools import partial
from operator import attrgetter
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from store.domain import clock
from store.domain.periods import Period, period_of
from store.domain.records import Inquiry
from store.folder import fastread, rowcodec
from store.folder.rowcodec import no_gc
from store.format.layout import CACHE_DIR, INQUIRIES
from store.workspace.workspace import Change, Workspace

from ..i18n import t
from ..inquiry_index import SORTS, InquiryIndex, Query
from ..keys import translate_bindings
from ..widgets.footer import SteadyFooter
from ..widgets.record_list import Column, RecordList
from .confirm import ConfirmScreen
from .inquiry_form import InquiryForm, kind_label, status_label
from .stale import full_record

PERIOD = Binding.Group("app.key.period")
# Below these widths the list leaves out the received column (the id starts
# with the date) and shows departments by their short names.
WITH_RECEIVED = 100
WITH_DEPARTMENT_NAMES = 140
SEARCH_DELAY = 0.2  # seconds after the first screen before the search texts are made
# Records of other periods than the first one listed (a workspace opened from the
# index builds those after the first screen): so many per turn of the interface.
COMPLETE_DELAY = 0.05
COMPLETE_CHUNK = 20000
# A filter looks at the rows (their search texts, then the notes, most of the
# text) in their order for so long per turn of the interface, and goes on at the
# next turn: typing is never held up by 100,000 rows. Its first turn stops as
# soon as it has found FIRST_ROWS, more than a screen holds.
SEARCH_BUDGET = 0.015
FIRST_ROWS = 120
FRAME = 0.02  # a little more than Textual's 1/60 s between frames
TEXT_CHUNK = 2000  # search texts made per hand-over to the interface's thread


class InquiriesScreen(Screen):
    DEFAULT_CSS = """
    InquiriesScreen #status-bar { height: 1; background: $primary-background; }
    InquiriesScreen #status-line { width: 1fr; }
    InquiriesScreen #git-status {
        width: auto; height: 1; padding: 0 1; background: $primary-background; color: $text;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "app.key.new", id="inquiries.new", tooltip="app.key.new_tip"),
        Binding("delete,d", "delete", "app.key.delete", id="inquiries.delete",
                tooltip="app.key.delete_tip", show=False),
        Binding("slash", "filter", "app.key.filter", id="inquiries.filter",
                tooltip="app.key.filter_tip", key_display="/", show=False),
        Binding("left", "period(-1)", "app.key.prev_period", id="inquiries.prev_period",
                tooltip="app.key.prev_period_tip", key_display="←", group=PERIOD),
        Binding("right", "period(1)", "app.key.next_period", id="inquiries.next_period",
                tooltip="app.key.next_period_tip", key_display="→", group=PERIOD),
        Binding("asterisk", "all_periods", "app.key.all_periods", id="inquiries.all_periods",
                tooltip="app.key.all_periods_tip", key_display="*", show=False),
        Binding("u", "open_only", "app.key.open_only", id="inquiries.open_only",
                tooltip="app.key.open_only_tip"),
        Binding("s", "sort", "app.key.sort", id="inquiries.sort", tooltip="app.key.sort_tip",
                show=False),
        Binding("r", "reverse", "app.key.reverse", id="inquiries.reverse",
                tooltip="app.key.reverse_tip", show=False),
        Binding("l", "history", "git.key.history", id="inquiries.history",
                tooltip="git.key.history_tip", show=False),
        Binding("g", "deleted", "git.key.deleted", id="inquiries.deleted",
                tooltip="git.key.deleted_tip", show=False),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(id="inquiries")
        translate_bindings(self)
        self.workspace = workspace
        self.title = t("app.key.inquiries")
        # The first period's inquiries (all of them, when the workspace has built
        # them all); the rest come after the first screen (``_complete_some``).
        # (complete_ first: if another thread builds the rest in between, the index
        # has it all and add_many finds nothing more, never the other way round)
        self._rest_taken = workspace.complete_
        # (the search texts: in a temporary file beside the index)
        self.index = InquiryIndex(workspace.settings, workspace.first_inquiries(), _labels,
                                  texts_dir=workspace.folder.root / CACHE_DIR)
        self._search_started = False
        self._search_turn = 0  # the filter's latest look at the rows (``_search_more``)
        today = clock.today()
        self.query_state = Query(period=workspace.tally.default_period(today))
        self._layout: tuple[bool, bool] = (False, False)  # (received column, full names)
        # Notes of records loaded from the index are read in the background for the
        # search: until then the filter searches the other fields (the status says so).
        self.hydrating = False
        self._need_period(self.query_state.period)  # (today may have turned since the open)
        self._filter_pending = False  # typing has started the filter; focus is on its way

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="status-bar"):
            yield Static(id="status-line")
            yield Static(id="git-status")
        with Horizontal(id="filter-bar"):
            yield Label(t("app.list.filter_label"), id="filter-label")
            yield Input(placeholder=t("app.list.filter_placeholder"), id="filter", compact=True,
                        select_on_focus=False)
        yield RecordList(self._columns(), self._cells, key=attrgetter("id"),
                         empty=t("app.list.empty"), id="inquiry-list")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.workspace.listeners.append(self._workspace_changed)
        self.workspace.problem_listeners.append(self._problems_changed)
        self.refresh_rows()
        self.show_git_status(getattr(self.app, "git_line", ""),
                             dirty=bool(getattr(self.app, "uncommitted_count", 0)))
        self.list.focus()
        # (the workspace's partial records, not the list's: the list may hold its
        # first period alone, and that may have no inquiry)
        self.hydrating = self.workspace.has_partial()
        if self.hydrating:
            self.update_status()
        if self._rest_taken:
            # The search texts are made after the first screen, in the background.
            self._search_started = True
            self.set_timer(SEARCH_DELAY, self._prepare_search)
        else:  # the other periods' records first, a part at a time
            self.set_timer(COMPLETE_DELAY, self._complete_some)

    def on_unmount(self) -> None:
        if self._workspace_changed in self.workspace.listeners:
            self.workspace.listeners.remove(self._workspace_changed)
        if self._problems_changed in self.workspace.problem_listeners:
            self.workspace.problem_listeners.remove(self._problems_changed)

    def show_git_status(self, line: str, dirty: bool = False) -> None:
        """The app's word on the history, at the right of the status line."""
        try:
            status = self.query_one("#git-status", Static)
        except NoMatches:  # not composed yet, or being taken down
            return
        status.update(Text(line, style="bold" if dirty else ""))
        status.display = bool(line)

    @property
    def list(self) -> RecordList:
        return self.query_one("#inquiry-list", RecordList)

    def _columns(self) -> list[Column]:
        q = self.query_state
        received, full_names = self._layout
        arrow = " ▼" if q.reverse else " ▲"

        def head(key: str, word: str) -> str:
            return t(word) + (arrow if q.sort == key else "")

        columns = [Column("id", head("id", "app.col.id"), 15)]
        if received:
            columns.append(Column("received", head("received", "app.col.received"), 10))
        columns += [
            Column("kind", head("kind", "app.col.kind"), 6),
            Column("department", head("department", "app.col.department" if full_names
                                      else "app.col.dept_short"), 24 if full_names else 5),
            # narrow: the subtheme alone says more than a cut-off "theme → sub…"
            Column("theme", head("theme", "app.col.theme" if received else "app.col.subtheme"),
                   10, flex=True),
            Column("status", head("status", "app.col.status"), 6),
            Column("title", head("title", "app.col.title"), 10, flex=True),
        ]
        return columns

    def _cells(self, r: Inquiry) -> list[str | Text]:
        s = self.workspace.settings
        received, full_names = self._layout
        dept = s.department_name(r.main.department) if full_names else \
            s.short_name(r.main.department)
        if received:
            theme = r.main.theme + (f" → {r.main.subtheme}" if r.main.subtheme else "")
        else:
            theme = r.main.subtheme or r.main.theme
        if r.follow_up:
            theme += f" +{len(r.follow_up)}"
        status = Text(t(f"app.status_short.{r.status}"),
                      style="bold" if r.status == "open" else "")
        cells: list[str | Text] = [r.id]
        if received:
            cells.append(r.received.isoformat())
        cells += [t(f"app.kind_short.{r.kind}"), dept, theme, status, r.title]
        return cells

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        layout = (width >= WITH_RECEIVED, width >= WITH_DEPARTMENT_NAMES)
        if layout != self._layout:
            self._layout = layout
            self.list.set_columns(self._columns())

    # -- the records built after the first screen ------------------------------------
    def _need_period(self, period: Period | None) -> None:
        """The list is to show ``period`` (None: all): its records must all be here."""
        if not self._rest_taken and (period is None or period != self.workspace.first_period):
            self._take_rest()

    def _complete_some(self) -> None:
        """Build a part of the workspace's records not built yet; again until done
        (not once the app is quitting)."""
        if self._rest_taken or not self.is_mounted or self.app.closing.is_set():
            return
        if self.workspace.complete_step(COMPLETE_CHUNK):
            self.set_timer(0.01, self._take_rest)
        else:
            self.set_timer(0.01, self._complete_some)

    def _take_rest(self) -> None:
        """Every record built (now, if need be), and the list's index given the rest."""
        if self._rest_taken:
            return
        self._rest_taken = True
        ws = self.workspace
        ws.complete()
        self.index.add_many(ws.inquiries.values())  # (those it has are left as they are)
        if self.is_mounted and not self._search_started:
            self._search_started = True
            self.set_timer(SEARCH_DELAY, self._prepare_search)

    # -- showing -------------------------------------------------------------------
    def refresh_rows(self, keep: str | None = None) -> None:
        self._need_period(self.query_state.period)
        if keep is None:
            keep = self.list.current_key
        self._show(self.index.view(self.query_state, budget=SEARCH_BUDGET, enough=FIRST_ROWS),
                   keep)
        self._search_turn += 1
        if self.index.searching:  # (after the next frame, which shows the first rows)
            # The cursor's record may lie beyond the first rows: it is looked for
            # again in all of them, unless the cursor was moved meanwhile.
            landed = self.list.current_key
            self.set_timer(FRAME, partial(self._search_more, self._search_turn, keep, landed))

    def _search_more(self, turn: int, keep: str | None = None,
                     landed: str | None = None) -> None:
        """The filter goes on (``refresh_rows``), unless a newer one began."""
        if turn != self._search_turn or not self.is_mounted:
            return
        current = self.list.current_key
        if current != landed:  # moved by the user meanwhile: stays where it is now
            keep = landed = current
        rows = self.index.more(SEARCH_BUDGET)
        if rows is None:  # a change since made it stale
            self.refresh_rows(keep)
        elif self.index.searching:  # (the rows shown again only once all are found)
            self.set_timer(0.001, partial(self._search_more, turn, keep, landed))
        else:
            self._show(rows, keep)

    def drop_search(self) -> None:
        """Let go of every search text and note (at quit): the notes' reading stops,
        a filter's next turn does nothing, and none is made again."""
        self.workers.cancel_node(self)
        self._search_turn += 1
        self.index.drop_texts()

    def _show(self, rows: list[Inquiry], keep: str | None = None) -> None:
        self.list.set_rows(rows, keep=keep)
        self.update_status(len(rows))

    def update_status(self, shown: int | None = None) -> None:
        q = self.query_state
        self._need_period(q.period)
        total, open_ = self.index.count(q.period)
        if shown is None:
            shown = len(self.list.rows)
        period = q.period.label if q.period else t("app.list.all_periods")
        parts = [
            self.workspace.folder.root.name,
            t("app.list.period", period=period),
            t("app.list.shown", shown=shown, total=total) if shown != total
            else t("app.list.count", total=total),
            t("app.list.open", n=open_),
        ]
        if q.open_only:
            parts.append(t("app.list.open_only"))
        if q.sort != "received" or not q.reverse:
            parts.append(t("app.list.sorted", column=t(f"app.col.{q.sort}")))
        if self.hydrating:
            parts.append(t("app.list.notes_pending"))
        elif self.index.searching:
            parts.append(t("app.list.searching"))
        problems = self.workspace.problem_count()  # as the problems screen lists them
        line = Text(" · ".join(parts))
        if problems:
            line.append(" · ")
            line.append(t("app.list.problems", n=problems), style="bold reverse")
        self.query_one("#status-line", Static).update(line)

    def _set_query(self, **changes) -> None:
        from dataclasses import replace

        self.query_state = replace(self.query_state, **changes)
        if "sort" in changes or "reverse" in changes:
            self.list.set_columns(self._columns())
        self.refresh_rows()

    # -- filter ----------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._set_query(text=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.list.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.query_one("#filter", Input):
            self._filter_pending = False

    def on_key(self, event: events.Key) -> None:
        filt = self.query_one("#filter", Input)
        if self.focused is filt:
            self._filter_pending = False
            if event.key in ("down", "escape", "pagedown"):
                if event.key == "escape" and filt.value:
                    filt.value = ""
                self.list.focus()
                event.stop()
                event.prevent_default()
            return
        if self.focused is self.list and event.is_printable and event.character:
            active = self.active_bindings.get(event.key)
            if not self._filter_pending and (
                    event.key == "escape" or (active is not None and active.enabled)):
                return  # a key of its own (n, d, u, ...): the binding runs
            # Typing starts the filter. Focus moves a moment later, so keys that
            # arrive before it does (fast typing, a paste, a slow SSH link) go
            # to the filter too, never to the list's own keys.
            self._filter_pending = True
            filt.focus()
            filt.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
        elif self.focused is self.list and event.key == "escape" and filt.value:
            filt.value = ""
            event.stop()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    # -- period, open only, sort -----------------------------------------------------------
    def action_period(self, step: int) -> None:
        q = self.query_state
        if q.period is None:
            period = self.workspace.tally.default_period(clock.today())
        else:
            period = q.period.next() if step > 0 else q.period.previous()
            known = self.workspace.tally.active_periods()
            if known and not (known[0] <= period <= max(known[-1], self._today_period())):
                self.notify(t("app.list.no_more_periods"), timeout=2)
                return
        self._set_query(period=period)

    def _today_period(self) -> Period:
        return period_of(clock.today(), self.workspace.settings.period_start)

    def action_all_periods(self) -> None:
        if self.query_state.period is None:
            self._set_query(period=self.workspace.tally.default_period(clock.today()))
        else:
            self._set_query(period=None)

    def action_open_only(self) -> None:
        self._set_query(open_only=not self.query_state.open_only)

    def action_sort(self) -> None:
        i = SORTS.index(self.query_state.sort)
        new = SORTS[(i + 1) % len(SORTS)]
        self._set_query(sort=new, reverse=new == "received")

    def action_reverse(self) -> None:
        self._set_query(reverse=not self.query_state.reverse)

    # -- open, new, delete -----------------------------------------------------------------
    @on(RecordList.Selected, "#inquiry-list")
    def _open(self, event: RecordList.Selected) -> None:
        event.stop()
        self.edit(event.item)

    def action_new(self) -> None:
        self.edit(None)

    @work(exclusive=True, group="form")
    async def edit(self, record: Inquiry | None) -> None:
        if record is not None:  # the form works on the full record, never a partial copy
            rid = record.id
            record = full_record(self.workspace, rid)  # type: ignore[assignment]
            if not isinstance(record, Inquiry):
                self.notify(t("app.list.gone", id=rid), severity="warning", timeout=5)
                return
        saved = await self.app.push_screen_wait(InquiryForm(self.workspace, record))
        if saved is not None:
            self.show_record(saved)
            self.notify(t("app.list.saved", id=saved.id), timeout=3)

    def show_record(self, record: Inquiry) -> None:
        """Put the cursor on a record, switching period or clearing the filter if needed."""
        q = self.query_state
        if q.period is not None and record.received not in q.period:
            self._set_query(period=period_of(record.received, self.workspace.settings.period_start))
        if self.index.searching:  # the filter's rows, all of them, before looking
            self._search_turn += 1  # (the look's next turn is done here)
            rows = self.index.more()
            if rows is not None:
                self._show(rows)
        if not self.list.select_key(record.id):
            filt = self.query_one("#filter", Input)
            with filt.prevent(Input.Changed):
                filt.value = ""
            self._set_query(text="", open_only=False)
            self.list.select_key(record.id)
        self.list.focus()

    @work(exclusive=True, group="delete")
    async def action_delete(self) -> None:
        record = self.list.current
        if record is None:
            return
        question = t("app.list.ask_delete", id=record.id, title=record.title or "–")
        if not await self.app.push_screen_wait(ConfirmScreen(question)):
            return
        try:
            self.workspace.delete(record)
        except OSError as e:
            self.notify(t("app.list.delete_failed", error=e.strerror or str(e)),
                        severity="error", timeout=10)
            return
        self.notify(t("app.list.deleted", id=record.id), timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete", "history"):
            return self.is_mounted and self.list.current is not None or None
        return True

    # -- history ---------------------------------------------------------------------------------
    def action_history(self) -> None:
        from .history import HistoryScreen

        record = self.list.current
        if record is not None:
            self.app.push_screen(HistoryScreen(record.id))

    def action_deleted(self) -> None:
        from .deleted import DeletedScreen

        self.app.push_screen(DeletedScreen())

    # -- live updates ------------------------------------------------------------------------
    def _problems_changed(self) -> None:
        if threading.get_ident() != self.app._thread_id:
            self.app.call_from_thread(self._problems_changed)
            return
        self.update_status()

    def _workspace_changed(self, change: Change) -> None:
        if threading.get_ident() != self.app._thread_id:
            self.app.call_from_thread(self._workspace_changed, change)
            return
        old = change.old if isinstance(change.old, Inquiry) else None
        new = change.new if isinstance(change.new, Inquiry) else None
        if old is not None or new is not None:
            self.index.replace(old, new)  # one row out, one in: nothing sorted again
        if isinstance(change.record, Inquiry) or change.outside:
            self.refresh_rows()

    # -- search texts in the background ---------------------------------------------
    def _prepare_search(self) -> None:
        if self.is_mounted:
            self._search_worker()

    @work(thread=True, exclusive=True, group="search-text")
    def _search_worker(self) -> None:
        """Make every search text, then read the notes of partial records into them.

        The texts are made here and handed to the interface's thread in chunks
        (``InquiryIndex.set_texts`` keeps the text of a record changed meanwhile);
        notes are read with the fast reader (worker processes where it pays) and
        never kept anywhere but in the search text.
        """
        worker = get_current_worker()
        index, ws, app = self.index, self.workspace, self.app
        while not worker.is_cancelled:
            todo = app.call_from_thread(index.missing_texts, TEXT_CHUNK)
            if not todo:
                break
            texts = [(r, index.text(r)) for r in todo]
            app.call_from_thread(index.set_texts, texts)
        if worker.is_cancelled:
            return
        # The records as listed now (a list of references, taken on the
        # interface's thread); which are partial and where their files are is
        # looked up one key at a time (no copies of the workspace's dicts).
        records = app.call_from_thread(lambda: list(index.records.values()))
        partial, paths, peek = ws.partial, ws.paths, ws.peek
        with no_gc():  # 200,000 tuples made here would set off collections that
            # hold every thread for a tenth of a second each, again and again
            # (the records, and their files apart: no pair for each of 300,000)
            todo, files = [], []
            for r in records:
                if r.id in partial and (rel := paths.get(r.id)):
                    todo.append(r)
                    files.append((INQUIRIES, rel))
            gc.freeze()  # they live until the notes are read: out of the collector's sight
        # A record the workspace made whole meanwhile (opened in the form) has
        # its notes in memory: the list's partial copy takes them from there.
        whole = []
        for r in records:
            now = peek(r.id)
            if now is not None and now is not r and r.id not in partial:
                c = now.citizen
                whole.append((r, index.text(r, now.notes, (c.name, c.phone, c.email)
                                            if c is not None else None)))
        if whole:
            app.call_from_thread(index.set_texts, whole)
        del records
        # One pass with one set of worker processes; each chunk's texts go to
        # the interface as it comes (the workers wait while this thread is busy).
        chunks = fastread.iter_read(str(ws.folder.root), files, ws.settings)
        done = 0
        try:
            for part, reads in chunks:
                if worker.is_cancelled:
                    return
                texts = []
                for r, (_key, row, _problems) in zip(
                        todo[done:done + len(part)], reads, strict=True):
                    notes, citizen = _notes_of(row, r.id)
                    if notes is not None:
                        texts.append((r, index.text(r, notes, citizen)))
                done += len(part)
                if texts:
                    app.call_from_thread(index.set_texts, texts)
        except OSError:
            pass  # the search goes on without the notes it could not read
        finally:
            chunks.close()  # stops the workers when cancelled
        if not worker.is_cancelled:
            app.call_from_thread(self._search_ready)

    def _search_ready(self) -> None:
        self.hydrating = False
        self.index.prepare(self.query_state)
        if self.is_mounted:
            if self.query_state.text:
                self.refresh_rows()  # the notes count now
            else:
                self.update_status()


def _notes_of(row, rid: str) -> tuple[str | None, tuple | None]:
    """(notes, citizen fields) from a fast reader's row of the record ``rid``."""
    if row is None:
        return None, None
    if row[0] == rowcodec.INQUIRY_ROW:
        if row[1] != rid:
            return None, None
        return row[8], row[12]
    if row[0] == rowcodec.PICKLED_ROW:
        r = rowcodec.Builder().build(row)
        if not isinstance(r, Inquiry) or r.id != rid:
            return None, None
        c = r.citizen
        return r.notes, (c.name, c.phone, c.email) if c is not None else None
    return None, None


def _labels(r: Inquiry) -> list[str]:
    return [kind_label(r.kind), status_label(r.status)]
