"""Asking for the message of a commit of outside changes: ``CommitScreen(paths, default)`` -> str | None.

Lists the files that are not in the history (the first few) and offers an
input holding the default message; Enter commits with what is typed, escape
cancels. The message goes into the shared history: the prompt asks for no
personal data.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from ..i18n import t
from ..keys import translate_bindings

SHOWN = 6  # files listed before "… and N more"


class CommitScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    CommitScreen { align: center middle; }
    CommitScreen > #commit-box {
        width: 76; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    CommitScreen #commit-title { text-style: bold; margin-bottom: 1; }
    CommitScreen #commit-files { color: $text-muted; margin-bottom: 1; }
    CommitScreen #commit-message { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "git.key.cancel", id="commit.cancel"),
    ]

    def __init__(self, paths: list[str], default: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.paths = paths
        self.default = default

    def compose(self) -> ComposeResult:
        listed = [f"  {p}" for p in self.paths[:SHOWN]]
        if len(self.paths) > SHOWN:
            listed.append("  " + t("git.commit.more", n=len(self.paths) - SHOWN))
        with Vertical(id="commit-box"):
            yield Static(Text(t("git.commit.title", n=len(self.paths))), id="commit-title")
            yield Static(Text("\n".join(listed)), id="commit-files")
            yield Static(Text(t("git.commit.prompt")))
            yield Input(self.default, id="commit-message", select_on_focus=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#commit-message", Input).focus()

    @on(Input.Submitted, "#commit-message")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        message = " ".join(event.value.split())
        if not message:
            self.notify(t("git.commit.empty_message"), severity="warning")
            return
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
