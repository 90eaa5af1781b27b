"""Showing record text literally: control characters as visible symbols.

A title or a note may hold an escape sequence (pasted from a mail, typed by
mistake). The value is saved exactly as it is; on screen each control
character is drawn as its Unicode control picture (ESC as ␛), so nothing in a
record can drive the terminal. The mapping keeps one character for one
character, so cursor positions in an Input stay where they were.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import TextArea

# C0 controls -> their control picture (ESC -> ␛, newline -> ␊), DEL -> ␡,
# C1 controls -> the replacement character.
_CONTROL = {c: 0x2400 + c for c in range(0x20)}
_CONTROL.update({0x7F: 0x2421})
_CONTROL.update({c: 0xFFFD for c in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """``text`` with control characters replaced by visible symbols (for display only)."""
    return text.translate(_CONTROL)


class VisibleHighlighter(Highlighter):
    """An Input highlighter that draws control characters as visible symbols."""

    def __call__(self, text: str | Text) -> Text:
        plain = text.plain if isinstance(text, Text) else text
        shown = visible(plain)
        if isinstance(text, Text) and shown == plain:
            return text
        out = Text(shown, no_wrap=True, overflow="ignore", end="")
        if isinstance(text, Text):
            out.spans = list(text.spans)
        return out

    def highlight(self, text: Text) -> None:  # pragma: no cover - __call__ does the work
        pass


class LiteralTextArea(TextArea):
    """A TextArea that draws control characters in its text as visible symbols.

    The document (and so the saved text) is unchanged; only the drawn line is.
    """

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not any(_needs_mapping(seg.text) for seg in strip):
            return strip
        segments = [Segment(visible(seg.text), seg.style, seg.control) for seg in strip]
        return Strip(segments).crop_extend(0, strip.cell_length, None)


def _needs_mapping(text: str) -> bool:
    return any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)
