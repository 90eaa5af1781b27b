"""The keys of the current screen (``?`` or F1)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..i18n import t
from ..keys import is_ours, translate_bindings


def keys_table(screen: Screen) -> Table:
    """Every active key of ``screen`` (its focused widget, the screen and the app)."""
    app = screen.app
    table = Table(box=None, show_header=True, pad_edge=False, expand=True)
    table.add_column(Text(t("app.help.key")), no_wrap=True, style="bold")
    table.add_column(Text(t("app.help.action")), no_wrap=True)
    table.add_column(Text(t("app.help.what")), overflow="fold", ratio=1)
    seen: set[tuple[str, str]] = set()
    rows: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        b = active.binding
        if not is_ours(b):
            continue
        ident = (b.action, b.description)
        if ident in seen:
            rows[b.action + b.description][0] += "/" + app.get_key_display(b)
            continue
        seen.add(ident)
        rows[b.action + b.description] = [
            app.get_key_display(b), b.description,
            active.tooltip or b.tooltip or "" if active.enabled else t("app.help.not_now"),
        ]
    for key_display, description, tip in rows.values():
        table.add_row(Text(key_display), Text(description), Text(tip))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "close", "app.key.close", id="help.close"),
    ]

    def __init__(self, screen: Screen, title: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self._table = keys_table(screen)
        self._title = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            title = t("app.help.title", screen=f"– {self._title}" if self._title else "")
            yield Static(Text(title), id="help-title")
            yield Static(self._table, id="help-keys")
            yield Static(Text(t("app.help.footer")), id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
