"""A readable view of one file of the folder: its text, literally, with line numbers.

Used by the problems screen to show the line a problem is on. The file is
read without following symbolic links (``O_NOFOLLOW``, and no linked folder on
the way), only when it is a regular file, and at most ``LIMIT`` bytes;
bytes that are not UTF-8 are shown as replacement characters and control
characters as visible symbols, so nothing in the file can style or move the
terminal.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.domain.problems import Problem

from ..i18n import language, t
from ..keys import translate_bindings
from ..widgets.visible import visible

LIMIT = 2_000_000  # bytes shown at most


@dataclass
class FileText:
    """What can be shown of a file: its lines and notices about how it was read."""

    lines: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_for_view(root: Path, rel: str, limit: int = LIMIT) -> FileText:
    """The text of ``root/rel`` for showing; never follows a link, never raises."""
    out = FileText()
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        out.notices.append(t("file.not_regular"))
        return out
    # No linked folder on the way (O_NOFOLLOW only guards the last part).
    current = Path(root)
    for part in parts[:-1]:
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                out.notices.append(t("file.symlink"))
                return out
        except FileNotFoundError:
            out.notices.append(t("file.missing"))
            return out
        except OSError as e:
            out.notices.append(t("file.unreadable", error=e.strerror or str(e)))
            return out
    path = Path(root, *parts)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        out.notices.append(t("file.missing"))
        return out
    except OSError as e:
        if stat.S_ISLNK(_lmode(path)):
            out.notices.append(t("file.symlink"))
        else:
            out.notices.append(t("file.unreadable", error=e.strerror or str(e)))
        return out
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            out.notices.append(t("file.not_regular"))
            return out
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        out.notices.append(t("file.unreadable", error=e.strerror or str(e)))
        return out
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raw = raw[:limit]
        out.notices.append(t("file.too_large", limit=limit))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        out.notices.append(t("file.not_utf8"))
    # Lines end at \n only (as TOML and the problems count them); a \r stays visible.
    out.lines = text.split("\n")
    if out.lines and out.lines[-1] == "" and len(out.lines) > 1:
        out.lines.pop()
    return out


def _lmode(path: Path) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


def numbered(lines: list[str], mark: set[int]) -> Text:
    """The lines with their numbers; the lines in ``mark`` stand out (also without colour)."""
    width = len(str(max(len(lines), 1)))
    out = Text(no_wrap=True, end="")
    for n, line in enumerate(lines, start=1):
        marked = n in mark
        prefix = f"{'▶' if marked else ' '}{n:>{width}} │ "
        out.append(prefix, style="bold" if marked else "dim")
        out.append(visible(line) or " ", style="reverse" if marked else "")
        if n < len(lines):
            out.append("\n")
    return out


class FileViewScreen(Screen):
    """One file, read-only, scrolled to its (first) problem line."""

    DEFAULT_CSS = """
    FileViewScreen #file-bar { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    FileViewScreen #file-notes { height: auto; max-height: 6; padding: 0 1; color: $warning; }
    FileViewScreen #file-scroll { height: 1fr; }
    FileViewScreen #file-text { width: auto; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "file.key.close", key_display="esc", id="file.close",
                tooltip="file.key.close.tip"),
    ]

    def __init__(self, root: Path, rel: str, problems: list[Problem] | None = None,
                 line: int | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.root = Path(root)
        self.rel = rel
        self.problems = list(problems or [])
        self.line = line

    def compose(self) -> ComposeResult:
        content = read_for_view(self.root, self.rel)
        lang = language()
        notes = [t("file.problem", line=p.line or 1, message=p.message(lang))
                 for p in sorted(self.problems, key=lambda p: p.line or 0)]
        notes += content.notices
        yield Static(Text(visible(t("file.title", path=self.rel))), id="file-bar")
        yield Static(Text("\n".join(visible(n) for n in notes)), id="file-notes")
        marks = {p.line for p in self.problems if p.line}
        with ScrollableContainer(id="file-scroll", can_focus=True):
            yield Static(numbered(content.lines, marks), id="file-text")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#file-scroll", ScrollableContainer)
        scroll.focus()
        line = self.line or min((p.line for p in self.problems if p.line), default=None)
        if line:
            self.call_after_refresh(
                lambda: scroll.scroll_to(y=max(line - 1 - scroll.size.height // 2, 0),
                                         animate=False))

    def action_close(self) -> None:
        self.dismiss()
