"""The history of one record from git: ``app.push_screen(HistoryScreen(record_id))``.

Who changed what and when, newest first, as field-level changes
(``status: open → closed``) computed from the stored versions, the same
lines as ``caselog log FOLDER ID``. Text fields (title, notes, citizen) are
named, not shown, until ``t`` asks for them. The history is read on a
worker thread, so a long history never freezes the screen. Reads
``self.app.workspace``.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.git import history as git_history
from store.git import repo as git_repo

from ..i18n import t
from ..keys import translate_bindings
from ..vcs import version_heading, version_lines


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen #history-title { text-style: bold; height: 1; padding: 0 1; }
    HistoryScreen #history-scroll { height: 1fr; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "git.screen.close", id="history.close"),
        Binding("t", "toggle_text", "git.screen.show_text", id="history.show_text"),
    ]

    def __init__(self, record_id: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.record_id = record_id
        self.show_text = False
        self.versions: list[git_history.Version] | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(t("git.screen.title", id=self.record_id)), id="history-title")
        with VerticalScroll(id="history-scroll"):
            yield Static(Text(t("git.screen.loading")), id="history-body")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="history")
    def load(self) -> None:
        root = self.app.workspace.folder.root
        versions: list[git_history.Version] | None = None
        error = None
        try:
            if git_repo.is_repo(root):
                versions = git_history.history(root, self.record_id)
        except git_repo.GitError as e:
            error = t("git.error.git", detail=str(e))
        self.app.call_from_thread(self._loaded, versions, error)

    def _loaded(self, versions: list[git_history.Version] | None, error: str | None) -> None:
        self.versions, self.error = versions, error
        self.refresh_body()

    def render_history(self) -> Text:
        """The history as plain Text: values are never read as markup."""
        if self.error:
            return Text(self.error)
        if self.versions is None:
            return Text(t("git.screen.no_git"))
        if not self.versions:
            return Text(t("git.log.none", id=self.record_id))
        out = Text()
        for i, v in enumerate(self.versions):
            if i:
                out.append("\n")
            out.append(version_heading(v.date, v.author, v.subject) + "\n", style="bold")
            for line in version_lines(v, self.show_text):
                out.append(f"    {line}\n")
        return out

    def refresh_body(self) -> None:
        self.query_one("#history-body", Static).update(self.render_history())

    def action_toggle_text(self) -> None:
        self.show_text = not self.show_text
        if self.versions is not None:
            self.refresh_body()

    def action_close(self) -> None:
        self.dismiss(None)
