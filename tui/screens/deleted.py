"""Deleted records, from git: ``app.push_screen(DeletedScreen())``.

Lists every record deleted in the history and not on disk now (id, when, by
whom), newest deletion first; Enter (or ``r``) restores the chosen one after
asking: its last version is written back and committed ("Gendannet ID"), then
read into the workspace so that it shows in the lists at once. The history is
read on a worker thread; git runs through ``app.in_git`` (the commit thread)
when the app has one. Reads ``self.app.workspace``.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.git import history as git_history
from store.git import repo as git_repo

from ..i18n import t
from ..keys import translate_bindings
from ..widgets.record_list import Column, RecordList
from .confirm import ConfirmScreen


class DeletedScreen(Screen[None]):
    DEFAULT_CSS = """
    DeletedScreen #deleted-bar { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    DeletedScreen #deleted-list { height: 1fr; }
    """

    BINDINGS = [
        Binding("r", "restore", "git.key.restore", id="deleted.restore",
                tooltip="git.key.restore_tip"),
        Binding("escape,q", "close", "git.screen.close", id="deleted.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.title = t("git.deleted.title")
        self.records: list[git_history.Deleted] | None = None

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        columns = [
            Column("id", t("git.deleted.col.id"), 15),
            Column("when", t("git.deleted.col.when"), 16),
            Column("who", t("git.deleted.col.who"), 20),
            Column("path", t("git.deleted.col.path"), flex=True),
        ]

        def cells(d: git_history.Deleted) -> list[str | Text]:
            return [d.id, d.date[:16].replace("T", " "), d.author, d.path]

        yield Static(Text(t("git.deleted.loading")), id="deleted-bar")
        yield RecordList(columns, cells, key=lambda d: d.id, empty=t("git.log.deleted_none"),
                         id="deleted-list")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(RecordList).focus()
        self.load()

    async def _git(self, fn):
        run = getattr(self.app, "in_git", None)
        if run is not None:
            return await run(fn)
        return await asyncio.to_thread(fn)

    @work(exclusive=True, group="deleted-load")
    async def load(self) -> None:
        root = self.workspace.folder.root

        def read() -> list[git_history.Deleted] | None:
            return git_history.deleted_records(root) if git_repo.is_repo(root) else None

        try:
            found = await self._git(read)
        except git_repo.GitError as e:
            self.query_one("#deleted-bar", Static).update(Text(t("git.error.git", detail=str(e))))
            return
        self.records = found
        if found is None:
            self.query_one("#deleted-bar", Static).update(Text(t("git.screen.no_git")))
            return
        self.query_one(RecordList).set_rows(found)
        self.query_one("#deleted-bar", Static).update(Text(t("git.deleted.count", n=len(found))))

    @on(RecordList.Selected, "#deleted-list")
    def _selected(self, event: RecordList.Selected) -> None:
        event.stop()
        self.restore(event.item)

    def action_restore(self) -> None:
        item = self.query_one(RecordList).current
        if item is not None:
            self.restore(item)

    @work(exclusive=True, group="deleted-restore")
    async def restore(self, item: git_history.Deleted) -> None:
        if not await self.app.push_screen_wait(ConfirmScreen(t("git.deleted.ask", id=item.id))):
            return
        root = self.workspace.folder.root
        message = t("git.msg.restored", id=item.id)
        try:
            path = await self._git(lambda: git_history.restore(root, item.id, message))
        except FileExistsError:
            self.notify(t("git.restore.exists", id=item.id), severity="warning")
            self.load()
            return
        except LookupError:
            self.notify(t("git.log.unknown", id=item.id), severity="error")
            return
        except git_repo.GitError as e:
            self.notify(t("git.error.git", detail=str(e)), severity="error", timeout=10)
            return
        self.workspace.reload_path(path)  # shows in the lists now, not at the watcher's next look
        self.notify(t("git.restore.done", id=item.id, path=path), timeout=5)
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
