"""Saving over a change made outside the form: ask, never overwrite silently.

Both forms call ``ask_if_changed(form, opened, record)`` in their save action
with the record the form was opened with and the one about to be saved. When
the file on disk still holds ``opened`` it returns False and the form saves as
usual. Otherwise it returns True and asks (``StaleScreen``), on a worker of
the form, showing the fields in which the two versions differ:

- keep mine: save the draft over the file;
- take the one on disk: close the form, discarding the draft (asked once more);
- save mine as new: save the draft under a new id, leaving the other alone.

The form is dismissed with the record saved (or None). The form needs
``workspace``. Values of text fields (title, notes, citizen) are never shown,
only that they changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from store.domain.records import Appeal, Inquiry
from store.format import codec
from store.format.layout import APPEALS, INQUIRIES, record_relpath
from store.git.merge import diff, record_dict
from store.workspace.workspace import same_but_unseen

from ..i18n import t
from ..keys import translate_bindings
from ..vcs import field_name, show_value
from .confirm import ConfirmScreen

Record = Inquiry | Appeal


@dataclass(frozen=True)
class DiskState:
    """What the file of a record holds now, compared with the version a form opened."""

    unchanged: bool
    exists: bool
    record: Record | None  # the record read from the file (None: gone or unreadable)


def full_record(workspace, rid: str) -> Record | None:
    """The complete record to open in a form or compare with: never a partial copy.

    A partial record (from the index) is read from its file; when the file
    changed since the index was written, the change is applied first (on the
    interface's thread), so that the form starts from what the file holds.
    None when the record is gone.
    """
    record = workspace.get(rid)
    if record is not None and rid in workspace.partial:
        rel = workspace.paths.get(rid)
        if rel is not None:
            workspace.reload_path(rel)
        record = workspace.get(rid)
        if record is not None and rid in workspace.partial:
            return None  # still unreadable as a whole: do not edit a partial copy
    return record


def disk_state(workspace, opened: Record) -> DiskState:
    """Read the record's file now and compare it with ``opened``.

    ``opened`` should be the full record (``full_record``); a partial copy
    from the index counts as unchanged when the file holds it plus the fields
    the index leaves out, so that it is never taken for an outside change.
    """
    rel = workspace.paths.get(opened.id) or record_relpath(opened)
    path = workspace.folder.root / rel
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DiskState(False, False, None)
    except OSError:
        return DiskState(False, True, None)
    if data == codec.to_toml(opened).encode("utf-8"):
        return DiskState(True, True, opened)
    kind_dir = APPEALS if isinstance(opened, Appeal) else INQUIRIES
    record, _problems = workspace.folder.read_file(kind_dir, rel, workspace.settings)
    if record is not None and record != opened and opened.id in workspace.partial \
            and same_but_unseen(opened, record):
        return DiskState(True, True, record)
    return DiskState(record == opened, True, record)


def differences(opened: Record, disk: Record, mine: Record) -> list[tuple[str, str, str]]:
    """``(field, on disk, mine)`` for each field where the file and the draft differ.

    Codes, dates and taxonomy names are shown; a text field says only whether
    each side changed it since the form was opened.
    """
    base = record_dict(opened)
    d, m = record_dict(disk), record_dict(mine)
    disk_changed = {c.path for c in diff(base, d)}
    mine_changed = {c.path for c in diff(base, m)}
    rows = []
    for c in diff(d, m):
        name = field_name(c.key) + c.path[len(c.key):]
        if c.plain:
            rows.append((name, show_value(c.old) or "–", show_value(c.new) or "–"))
        else:
            changed, same = t("git.stale.changed"), "–"
            rows.append((name, changed if c.path in disk_changed else same,
                         changed if c.path in mine_changed else same))
    return rows


class StaleScreen(ModalScreen[str | None]):
    """Asks what to do with a draft whose record changed on disk: keep, take, new or None."""

    DEFAULT_CSS = """
    StaleScreen { align: center middle; }
    StaleScreen > #stale-box {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    StaleScreen #stale-title { text-style: bold; margin-bottom: 1; }
    StaleScreen #stale-scroll { height: auto; max-height: 12; }
    StaleScreen #stale-keys { margin-top: 1; }
    """

    BINDINGS = [
        Binding("b", "choose('keep')", "git.stale.keep", id="stale.keep",
                tooltip="git.stale.keep_tip"),
        Binding("t", "choose('take')", "git.stale.take", id="stale.take",
                tooltip="git.stale.take_tip"),
        Binding("n", "choose('new')", "git.stale.new", id="stale.new", tooltip="git.stale.new_tip"),
        Binding("escape", "choose('')", "git.stale.back", id="stale.back",
                tooltip="git.stale.back_tip"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str]] | None) -> None:
        super().__init__()
        translate_bindings(self)
        self.heading = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="stale-box"):
            yield Static(Text(self.heading), id="stale-title")
            if self.rows is not None:
                with VerticalScroll(id="stale-scroll"):
                    yield Static(self._table(), id="stale-fields")
            keys = "   ".join(f"{k}: {t(w)}" for k, w in (
                ("b", "git.stale.keep"), ("t", "git.stale.take"), ("n", "git.stale.new"),
                ("esc", "git.stale.back")))
            yield Static(Text(keys), id="stale-keys")
        yield Footer(compact=True, show_command_palette=False)

    def _table(self) -> Table | Text:
        if not self.rows:
            return Text(t("git.stale.none"))
        table = Table(box=None, show_edge=False, pad_edge=False, expand=True)
        table.add_column(t("git.stale.col.field"), ratio=2, overflow="fold")
        table.add_column(t("git.stale.col.disk"), ratio=3, overflow="fold")
        table.add_column(t("git.stale.col.mine"), ratio=3, overflow="fold")
        for row in self.rows:
            table.add_row(*(Text(x) for x in row))
        return table

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


def ask_if_changed(form, opened: Record | None, record: Record) -> bool:
    """True when the file changed since ``opened``: the question is asked and the form
    saves or closes from there; False when the form may save as usual."""
    if opened is None:  # a new record: its id is new, no file can hold it
        return False
    state = disk_state(form.workspace, opened)
    if state.unchanged:
        return False
    form.run_worker(_resolve(form, opened, record, state), exclusive=True, group="stale")
    return True


async def _resolve(form, opened: Record, record: Record, state: DiskState) -> None:
    ws = form.workspace
    if not state.exists:
        title, rows = t("git.stale.deleted_title", id=opened.id), None
    elif state.record is None:
        title, rows = t("git.stale.unreadable_title", id=opened.id), None
    else:
        title = t("git.stale.changed_title", id=opened.id)
        rows = differences(opened, state.record, record)
    choice = await form.app.push_screen_wait(StaleScreen(title, rows))
    if choice == "take":
        if await form.app.push_screen_wait(ConfirmScreen(t("git.stale.ask_discard"))):
            form.dismiss(None)
        return
    if choice not in ("keep", "new"):
        return
    target = record
    if choice == "new":
        rid = ws.new_id(record.received, appeal=isinstance(record, Appeal))
        target = dataclasses.replace(record, id=rid)
    try:
        ws.save(target)
    except OSError as e:
        form.notify(t("app.form.save_failed", error=e.strerror or str(e)), severity="error",
                    title=t("app.form.not_saved"), timeout=10)
        return
    if choice == "new":
        form.notify(t("git.stale.saved_new", id=target.id), timeout=5)
    form.dismiss(target)
