"""The first start of a folder without an index: every file is read behind this screen.

``LoadingScreen(folder)`` shows a progress bar and "Læser N af M filer";
``show(done, total)`` moves it (on the interface's thread). The app swaps it
for the inquiry list when the folder is open.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from ..i18n import t


class LoadingScreen(Screen[None]):
    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen > #loading-box {
        width: 72; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    LoadingScreen #loading-title { text-style: bold; margin-bottom: 1; }
    LoadingScreen #loading-hint { color: $text-muted; margin-bottom: 1; }
    LoadingScreen ProgressBar { margin-bottom: 1; }
    """

    def __init__(self, folder: str) -> None:
        super().__init__(id="loading")
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="loading-box"):
            yield Static(Text(t("app.loading.title", folder=self.folder)), id="loading-title")
            yield Static(Text(t("app.loading.first")), id="loading-hint")
            yield ProgressBar(total=None, show_eta=False, id="loading-bar")
            yield Static("", id="loading-count")

    def show(self, done: int, total: int) -> None:
        """``done`` of ``total`` files read."""
        if not self.is_mounted:
            return
        bar = self.query_one("#loading-bar", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#loading-count", Static).update(
            Text(t("app.loading.progress", done=done, total=total)))
