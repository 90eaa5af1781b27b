"""A Footer that composes its keys only when they change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class SteadyFooter(Footer):
    """The Footer, with its keys from the start and composed again only when they change.

    Textual's Footer composes empty, then composes its keys again for every change
    of the screen's bindings: when the screen is shown, when a widget takes the
    focus, when another screen is pushed over it (while it is hidden), ... Three
    times on showing the summary, each time every key widget removed and mounted
    anew. This one composes the keys at once and, after any change, again only if
    a key, its label or whether it is enabled changed; what it shows is what
    Textual's Footer shows once the changes are over.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._composed: tuple | None = None
        self._pending = False

    def _keys(self) -> tuple:
        """Everything ``Footer.compose`` reads that can change."""
        app = self.app
        active = self.screen.active_bindings
        keys = tuple((b.key, app.get_key_display(b), b.description, b.action, b.group,
                      b.tooltip, enabled, tooltip)
                     for _, b, enabled, tooltip in active.values() if b.show)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            _, b, enabled, tooltip = palette
            palette = (b.key, app.get_key_display(b), b.description, b.action, b.tooltip,
                       enabled, tooltip)
        return keys, palette, self.show_command_palette, app.ENABLE_COMMAND_PALETTE

    def compose(self) -> ComposeResult:
        if not self._bindings_ready and self.app.app_focus:
            self.set_reactive(Footer._bindings_ready, True)
        if self._bindings_ready:
            self._composed = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and "compact" in (widget._reactive_connect or {}):
                # A key bound to the footer's setting starts compact and takes the
                # setting when mounted, its styles computed again twice; set it before.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if self.is_attached and self._keys() != self._composed:
            await self.recompose()
