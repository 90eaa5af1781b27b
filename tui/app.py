"""The caselog terminal app: opening a folder and moving between the screens.

``run_app(folder, lang)`` opens the folder through a ``Workspace`` and runs
``CaselogApp``. The start screen is the inquiry list; the summary, appeals and
problems screens are installed by name ("summary", "appeals", "problems")
when their modules are there, so that ``app.push_screen("summary")`` works
from anywhere.

Git is the audit trail: when the folder opens, the app attaches a Committer
(one commit per save and delete, in the background), sets up the merge
driver, and starts a FolderWatcher so that changes made outside caselog (an
editor, a ``git pull``) show at once. The inquiry list shows whether every
record file is in the history; ``ctrl+g`` commits outside changes with a
message, ``ctrl+y`` synchronises with the shared copy. Quitting stops the
watcher and waits for the commits still queued. Without git, or outside a
repository, everything works without history and the app says so.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import ModalScreen, Screen

from store.domain.taxonomy import SettingsError
from store.folder.datafolder import DataFolder, conflict_problems
from store.format.files import is_private, tighten
from store.git.commits import commit_paths, count_uncommitted, uncommitted
from store.git.repo import GitError, git_available
from store.git.setup import ensure_merge_driver
from store.git.sync import NoRemote, NotALog, Rewritten, choose_remote, sync
from store.index.file import IndexError_, index_path
from store.index.tree import Stopped, Tree
from store.workspace.workspace import Change, Workspace

from .errors import CommandError
from .i18n import language, set_language, t
from .keys import is_ours, translate_bindings
from .memory import trim
from .vcs import make_committer, sync_lines
from .watch import FolderWatcher

# name -> (module, class): screens other parts of the app provide.
OPTIONAL_SCREENS = {
    "summary": ("tui.screens.summary", "SummaryScreen"),
    "appeals": ("tui.screens.appeals", "AppealsScreen"),
    "problems": ("tui.screens.problems", "ProblemsScreen"),
    "sheets": ("tui.screens.sheets", "SheetsScreen"),
}


def _factory(module: str, cls: str) -> Callable[[], Screen] | None:
    if importlib.util.find_spec(module) is None:
        return None

    def make() -> Screen:
        return getattr(importlib.import_module(module), cls)()

    return make


def available_screens() -> dict[str, Callable[[], Screen]]:
    found = {}
    for name, (module, cls) in OPTIONAL_SCREENS.items():
        try:
            make = _factory(module, cls)
        except (ImportError, ValueError):
            make = None
        if make is not None:
            found[name] = make
    return found


VERIFY_DELAY = 0.3  # seconds after the first screen before the index is checked
# Files found changed by their stat alone (the same record) or by their
# permissions: up to so many are read again at each start rather than the index
# written for them (as the command line does, store/index/load.py).
WRITE_AFTER = 100


class GitNotice(Message):
    """A sentence for the user from a background thread (a failed commit)."""

    def __init__(self, text: str, severity: str = "error") -> None:
        super().__init__()
        self.text = text
        self.severity = severity


class CaselogApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "caselog"
    WATCH_INTERVAL: ClassVar[float] = 1.0  # seconds between looks at the folder

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "goto('inquiries')", "app.key.inquiries", id="app.inquiries",
                tooltip="app.key.inquiries_tip", show=False),
        Binding("o", "goto('summary')", "app.key.summary", id="app.summary",
                tooltip="app.key.summary_tip"),
        Binding("a", "goto('appeals')", "app.key.appeals", id="app.appeals",
                tooltip="app.key.appeals_tip"),
        Binding("p", "goto('problems')", "app.key.problems", id="app.problems",
                tooltip="app.key.problems_tip"),
        Binding("i", "goto('sheets')", "sheets.key.open", id="app.sheets", tooltip="sheets.key.open.tip"),
        Binding("question_mark,f1", "help", "app.key.help", id="app.help",
                tooltip="app.key.help_tip", key_display="?"),
        Binding("ctrl+y", "sync", "git.key.sync", id="app.sync", tooltip="git.key.sync_tip"),
        Binding("ctrl+g", "commit_outside", "git.key.commit", id="app.commit",
                tooltip="git.key.commit_tip", show=False),
        Binding("ctrl+q", "quit", "app.key.quit", id="app.quit", tooltip="app.key.quit_tip",
                priority=True, show=False),
        Binding("ctrl+p", "command_palette", "app.key.palette", id="app.palette",
                tooltip="app.key.palette_tip", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace | None,
                 screens: dict[str, Callable[[], Screen]] | None = None, *,
                 folder: str | Path | None = None):
        """``workspace``: an open folder; or None and ``folder``: the app reads the
        folder itself behind a progress screen (the first start, without an index)."""
        self.SCREENS = dict(available_screens() if screens is None else screens)
        super().__init__()
        translate_bindings(self)
        self.workspace = workspace  # type: ignore[assignment]  # None only while opening
        self.folder = str(workspace.folder.root if workspace is not None else folder)
        self.sub_title = self.folder
        self.open_error: str | None = None  # why the folder could not be opened
        self._index_dirty = False  # something changed since the index was last written
        self.committer = None
        self.watcher: FolderWatcher | None = None
        self.git_off: str | None = None  # why there is no history, when there is none
        self.git_line = ""  # the inquiry list's word on the history
        self.uncommitted_count: int | None = None
        self._count_queued = False
        # Set when the app begins to quit: the start-up work still going (the
        # index check's walk, the records built a part at a time) stops there.
        self.closing = threading.Event()

    def on_mount(self) -> None:
        if self.workspace is None:
            from .screens.loading import LoadingScreen

            self.push_screen(LoadingScreen(self.folder))
            self._open_folder()
            return
        self._start()

    def _start(self) -> None:
        """The folder is open: the list, git, the watcher, and checking the index."""
        from .screens.inquiries import InquiriesScreen

        ws = self.workspace
        ws.listeners.append(self._index_changed)
        ws.problem_listeners.append(self._index_problems_changed)
        self.start_git()
        self.install_screen(InquiriesScreen(ws), "inquiries")
        self.push_screen("inquiries")
        if ws.indexed:  # once the first screen is painted
            self.set_timer(VERIFY_DELAY, self._verify_index)

    # -- opening and the index ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="open")
    def _open_folder(self) -> None:
        """Read every file (no index yet), with the progress on the loading screen."""
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done >= total or now - last[0] >= 0.1:
                last[0] = now
                self.call_from_thread(self._show_progress, done, total)

        try:
            # The index is written once the list is on screen (_verify_index).
            # Partial records, as from the index: the notes are read for the
            # search in the background, as after any start from the index.
            ws = Workspace.open(self.folder, use_index=True, progress=progress,
                                write_index=False, partial=True)
        except (OSError, SettingsError) as e:
            detail = getattr(e, "strerror", None) or str(e)
            self.call_from_thread(self._open_failed, detail)
            return
        self.call_from_thread(self._opened, ws)

    def _show_progress(self, done: int, total: int) -> None:
        show = getattr(self.screen, "show", None)
        if show is not None and self.screen.id == "loading":
            show(done, total)

    def _open_failed(self, detail: str) -> None:
        self.open_error = detail
        self.exit(1)

    def _opened(self, ws: Workspace) -> None:
        self.workspace = ws
        if self.screen.id == "loading":
            self.pop_screen()
        self._start()

    def _index_changed(self, change: Change) -> None:
        self._index_dirty = True

    def _index_problems_changed(self) -> None:
        self._index_dirty = True

    @work(thread=True, exclusive=True, group="index")
    def _verify_index(self) -> None:
        """Check the index's records against the files; apply and save what differs."""
        if self.closing.is_set():
            return  # quitting already (the timer came during the quit): the next start checks
        ws = self.workspace
        # A clone's files are as git wrote them, readable by others: made
        # private first (the verify below then sees only their modes change).
        tightened = tighten(ws.folder.root) if not is_private(ws.folder.root) else []
        tree: Tree | None = Tree(modes={})
        try:
            changed = ws.verify(tree, stop=self.closing)
        except Stopped:
            return  # quitting: the next start checks again
        except OSError:
            changed, tree = [], None
        modes = tree.modes if tree is not None else None
        # Said before the list's warnings go, so that nobody sees them vanish unexplained.
        if tightened:
            self.call_from_thread(self.notify, t("privacy.tightened", n=len(tightened)), timeout=8)
        unwritten = ws.index_unwritten  # (apply_modes has it written from the records)
        found = 0
        if changed or modes:
            found = self.call_from_thread(self._apply_verified, changed, modes or {})
        # The watcher starts from what was seen here (no second look at every
        # file), once the changes seen are the workspace's too; sorting 100,000
        # stats into folders is done here, not on the interface's thread.
        watcher = self.watcher
        if watcher is not None:
            watcher.adopt(tree)
        # Written when a record changed, or when many files would be looked at
        # again next time; not for a few files whose stat alone changed (a save
        # just before the last quit: the index had to leave its stat out, RACY_NS),
        # which are cheaper to read again than the index to write.
        many = WRITE_AFTER
        if found or len(changed) > many or len(modes or ()) > many or unwritten:
            self._write_index()

    def _apply_verified(self, changed: list[str], modes: dict | None = None) -> int:
        """Apply what the check found; how many records changed."""
        if modes:
            self.workspace.apply_modes(modes)
        changes = [c for c in (self.workspace.reload_path(rel) for rel in changed) if c is not None]
        if changes:
            self._index_dirty = True
            self.outside_changes(changes)
        return len(changes)

    def _write_index(self) -> None:
        """Write the index (on a thread); a read-only folder just goes without."""
        ws = self.workspace
        if ws is None or not ws.indexed:
            return
        self._index_dirty = False
        try:
            ws.write_index()
        except OSError:
            pass

    # -- git: commits, outside changes, sharing ------------------------------------------
    def start_git(self) -> None:
        """Attach the committer and start watching the folder (on mount)."""
        ws = self.workspace
        root = ws.folder.root
        self.committer = make_committer(ws, on_error=self._commit_failed)
        if not git_available():
            self.git_off, self.git_line = t("git.notice.no_git"), t("git.status.no_git")
        elif not self.committer.enabled:
            self.git_off = t("git.notice.not_repo", folder=str(root))
            self.git_line = t("git.status.not_repo")
        if self.git_off:
            self.notify(self.git_off, severity="warning", timeout=15)
        else:
            ws.after_write.append(self._after_write)
            ws.problem_listeners.append(self.request_count)  # a broken file is a change too
            self.in_git(lambda: _quietly(ensure_merge_driver, root))
            self.request_count()
        self.watcher = FolderWatcher(ws, on_change=self.outside_changes, interval=self.WATCH_INTERVAL,
                                     call=self.call_from_thread).start()

    async def stop_git(self) -> None:
        """Stop watching and wait for the queued commits (on quit); the loop keeps running."""
        self.closing.set()
        watcher, self.watcher = self.watcher, None
        committer, self.committer = self.committer, None
        if watcher is not None:
            await asyncio.to_thread(watcher.stop, 2.0)
        if committer is not None:
            ws = self.workspace
            for hook in (committer.hook, self._after_write):
                if hook in ws.after_write:
                    ws.after_write.remove(hook)
            if self.request_count in ws.problem_listeners:
                ws.problem_listeners.remove(self.request_count)
            await asyncio.to_thread(committer.close, 30)
        ws = self.workspace
        if ws is not None and ws.indexed and (self._index_dirty or ws.index_unwritten):
            self._drop_search_texts()
            await asyncio.to_thread(self._write_index)

    def _drop_search_texts(self) -> None:
        """At quit, before the index is written from the records: the list's search
        texts (their temporary file, each record's place in it, the filter's lists)
        are let go and what malloc keeps free given back, so that the writing adds
        as little as it can to the session's peak."""
        from .screens.inquiries import InquiriesScreen

        try:
            screen = self.get_screen("inquiries")
        except KeyError:
            return
        if isinstance(screen, InquiriesScreen):
            screen.drop_search()
            trim()

    def in_git(self, fn: Callable[[], object], may_drop: bool = False) -> asyncio.Future:
        """Run ``fn`` on the commit thread, after the commits queued before it; await the
        result. ``may_drop``: quitting need not wait for it (a count for the status line)."""
        if self.committer is None:
            return asyncio.ensure_future(asyncio.to_thread(fn))
        return asyncio.wrap_future(self.committer.submit(fn, may_drop=may_drop))

    def _commit_failed(self, message: str) -> None:  # on the commit thread: never wait here
        self.post_message(GitNotice(message, "error"))

    def on_git_notice(self, event: GitNotice) -> None:
        self.notify(event.text, severity=event.severity, timeout=10)  # type: ignore[arg-type]

    def _after_write(self, change: Change) -> None:
        self.request_count()  # queued behind this save's commit

    def outside_changes(self, changes: list[Change]) -> None:
        """Files changed outside caselog were read again (the screens follow by themselves)."""
        self.request_count()

    def request_count(self) -> None:
        """Count the record files not in the history, after the commits queued so far."""
        if self.git_off or self.committer is None or self._count_queued:
            return
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.request_count)
            return
        self._count_queued = True
        self._count()

    @work(group="git-count")
    async def _count(self) -> None:
        if self.closing.is_set() or self.committer is None:
            self._count_queued = False
            return  # quitting: no count to wait for
        root = self.workspace.folder.root

        def count() -> int:
            self._count_queued = False
            return count_uncommitted(root)

        try:
            n = await self.in_git(count, may_drop=True)
        except GitError:
            self._count_queued = False
            return
        self.uncommitted_count = int(n)  # type: ignore[call-overload]
        self.git_line = t("git.status.clean") if not n else t("git.status.dirty", n=n)
        self.show_git_line()

    def show_git_line(self) -> None:
        try:
            screen = self.get_screen("inquiries")
        except KeyError:
            return
        show = getattr(screen, "show_git_status", None)
        if show is not None and screen.is_mounted:
            show(self.git_line, dirty=bool(self.uncommitted_count))

    def _git_refused(self) -> bool:
        if self.git_off:
            self.notify(t("git.status.off", reason=self.git_off), severity="warning", timeout=10)
            return True
        return False

    @work(exclusive=True, group="git-commit")
    async def action_commit_outside(self) -> None:
        """Commit the record files changed outside caselog, with a message the user types."""
        from .screens.commit import CommitScreen

        if self._git_refused():
            return
        root = self.workspace.folder.root
        try:
            pending = await self.in_git(lambda: uncommitted(root, records_only=True))
        except GitError as e:
            self.notify(t("git.error.git", detail=str(e)), severity="error", timeout=10)
            return
        if not pending:
            self.notify(t("git.commit.none"), timeout=4)
            self.request_count()
            return
        message = await self.push_screen_wait(
            CommitScreen(pending, t("git.msg.outside", n=len(pending))))
        if not message:
            return

        def commit() -> int:
            paths = uncommitted(root, records_only=True)
            return len(paths) if commit_paths(root, paths, message) else 0

        try:
            n = await self.in_git(commit)
        except GitError as e:
            self.notify(t("git.error.git", detail=str(e)), severity="error", timeout=10)
        else:
            self.notify(t("git.commit.done", n=n) if n else t("git.commit.none"), timeout=5)
        self.request_count()

    @work(exclusive=True, group="git-sync")
    async def action_sync(self) -> None:
        """Commit what is pending, fetch, merge and push; say what happened in plain words."""
        if self._git_refused():
            return
        ws = self.workspace
        root = ws.folder.root
        self.notify(t("git.sync.running"), timeout=3)

        def job():
            pending = uncommitted(root)
            remote = choose_remote(root)
            result = sync(root, t("git.msg.outside", n=len(pending)), t("git.msg.merge", remote=remote))
            found = conflict_problems(root) if result.conflicts else []
            return result, found

        try:
            result, found = await self.in_git(job)
        except NoRemote:
            self.notify(t("git.sync.no_remote", folder=str(root)), severity="warning", timeout=20)
            return
        except NotALog as e:
            self.notify(t("git.sync.not_a_log", ref=str(e)), severity="error", timeout=20)
            return
        except Rewritten as e:
            self.notify(t("git.sync.rewritten", ref=str(e)), severity="error", timeout=30)
            return
        except GitError as e:
            detail = str(e)
            if detail.startswith("merge-failed:"):
                text = t("git.sync.merge_failed", files=detail.split(":", 1)[1].replace(",", ", "))
            else:
                text = t("git.error.git", detail=detail)
            self.notify(text, severity="error", timeout=20)
            return
        finally:
            self.request_count()
        said = sync_lines(result, root)
        if result.conflicts:
            said.append((t("git.sync.conflicts", n=len(result.conflicts)), True))
            known = {(p.path, p.code) for p in ws.problems}
            new = [p for p in found if (p.path, p.code) not in known]
            if new:  # the copies are not record files: the watcher does not see them
                ws.problems.extend(new)
                for listener in list(ws.problem_listeners):
                    listener()
        self.notify("\n".join(line for line, _ in said),
                    severity="warning" if any(n for _, n in said) else "information", timeout=12)

    async def action_quit(self) -> None:
        if self.committer is not None and self.committer.busy():
            self.notify(t("git.quit.waiting"), timeout=5)
        await self.stop_git()
        self.exit()

    async def on_unmount(self) -> None:
        await self.stop_git()

    # -- moving between screens -------------------------------------------------
    def has_screen(self, name: str) -> bool:
        return name == "inquiries" or name in self.SCREENS

    def action_goto(self, name: str) -> None:
        if not self.has_screen(name):
            self.notify(t("app.not_yet"), timeout=3)
            return
        while len(self.screen_stack) > 2:  # the default screen and the inquiry list
            self.pop_screen()
        if name != "inquiries":
            self.push_screen(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("goto", "help", "sync", "commit_outside"):
            if self.workspace is None:
                return False  # still opening the folder
            if isinstance(self.screen, ModalScreen) and not isinstance(self.screen, CommandPalette):
                return False  # a form or a question is open: keys belong to it
            if action == "goto":
                name = str(parameters[0]) if parameters else ""
                if not self.has_screen(name):
                    return False
                current = self.screen
                if current is self.get_screen("inquiries") and name == "inquiries":
                    return False
        return True

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        screen = self.screen
        self.push_screen(HelpScreen(screen, screen.title or ""))

    # -- the command palette: every key of the current screen ------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen = set()
        for active in screen.active_bindings.values():
            b = active.binding
            if not is_ours(b) or not active.enabled or b.action in (
                    "command_palette", "quit") or (b.action, b.description) in seen:
                continue
            if b.action.startswith(("cursor_", "page_", "move", "first", "last")):
                continue
            seen.add((b.action, b.description))
            help_text = f"{self.get_key_display(b)} · {b.tooltip or b.description}"
            yield SystemCommand(b.description, help_text,
                                partial(self._run_from_palette, b.action, active.node))
        yield SystemCommand(t("app.cmd.theme"), t("app.cmd.theme_tip"), self.action_change_theme)
        yield SystemCommand(t("app.key.quit"), t("app.key.quit_tip"), self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("app.palette_placeholder"),
                                            id="--command-palette"))

    def _run_from_palette(self, action: str, node) -> None:
        self.call_later(self.run_action, action, node)


def open_from_index(folder: str) -> Workspace | None:
    """The folder opened from its index, or None when it has no index it can use
    (none yet, one of an earlier version, a damaged one): the app then reads every
    file behind its progress screen, not before anything shows."""
    if not index_path(Path(folder)).exists():
        return None
    try:
        return Workspace.open(folder, use_index=True, rebuild=False)
    except IndexError_:
        return None


def run_app(folder: str, lang: str | None) -> int:
    """Open ``folder`` and run the app; returns the exit status."""
    from .memory import limit_arenas

    limit_arenas()  # before any thread starts
    set_language(lang or language())
    workspace: Workspace | None = None
    try:
        settings = DataFolder(folder).settings()
        workspace = open_from_index(folder)
    except SettingsError as e:
        p = e.problem
        raise CommandError(
            t("cli.settings_error", path=str(Path(folder) / p.path), line=p.line or 1,
              message=p.message(language())) + " – " + t("app.settings_fix")
        ) from None
    except OSError as e:
        raise CommandError(t("app.cannot_open", folder=folder, error=e.strerror or str(e))) from None
    set_language(lang or settings.language)
    # Without an index (the first start) the app reads the files behind a progress screen.
    app = CaselogApp(workspace, folder=folder)
    try:
        app.run()
    finally:  # the app stops both when it quits; after a crash, still keep the commits
        if app.watcher is not None:
            app.watcher.stop()
        if app.committer is not None:
            app.committer.close()
    if app.open_error is not None:
        raise CommandError(t("app.cannot_open", folder=folder, error=app.open_error))
    return app.return_code or 0


def _quietly(fn: Callable[..., object], *args: object) -> object:
    """Run a set-up step whose failure must not stop the app (the next save says so)."""
    try:
        return fn(*args)
    except (GitError, OSError):
        return None
