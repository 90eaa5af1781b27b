"""A yes/no question: ``await app.push_screen_wait(ConfirmScreen(question))`` -> bool."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..i18n import t
from ..keys import translate_bindings


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; `j`/`y` answers yes, `n` or `escape` answers no."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > #confirm-box {
        width: auto;
        min-width: 40;
        max-width: 76;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ConfirmScreen #confirm-question {
        width: auto;
        max-width: 70;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-buttons {
        width: auto;
        height: auto;
    }
    ConfirmScreen Button {
        margin-right: 2;
        min-width: 10;
    }
    """

    BINDINGS = [
        Binding("j,y", "answer(True)", "app.confirm.yes", id="confirm.yes",
                tooltip="app.confirm.yes_tip"),
        Binding("n", "answer(False)", "app.confirm.no", id="confirm.no",
                tooltip="app.confirm.no_tip"),
        Binding("escape", "answer(False)", "app.confirm.no", show=False, id="confirm.escape"),
        Binding("left,right,tab,shift+tab", "app.focus_next", show=False, id="confirm.switch"),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None,
                 default: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.yes_label = yes or t("app.confirm.yes")
        self.no_label = no or t("app.confirm.no")
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            # The question may quote record text: show it literally.
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes_label, id="confirm-yes", variant="primary")
                yield Button(self.no_label, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self.default else "#confirm-no").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
