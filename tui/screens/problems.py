"""Every problem of the open folder: file, line, kind and a plain explanation.

Enter shows the file with the problem's line marked (``FileViewScreen``).
The list follows the workspace: a file that was fixed on disk and read again
drops out, a newly broken one appears.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.domain.problems import ERROR, FOLDER, Problem, collapse_readable
from store.workspace.workspace import Change

from ..commands.check import fix_hint
from ..i18n import language, t
from ..keys import translate_bindings
from ..widgets.record_list import Column, RecordList
from ..widgets.visible import visible
from .file_view import FileViewScreen


class ProblemsScreen(Screen):
    """The problems of ``app.workspace``, by file and line."""

    DEFAULT_CSS = """
    ProblemsScreen #problems-bar { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    ProblemsScreen #problems-list { height: 1fr; }
    ProblemsScreen #problems-detail {
        height: auto; max-height: 5; padding: 0 1; background: $panel; border-top: solid $primary;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "problems.key.back", id="problems.back",
                tooltip="problems.key.back.tip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        columns = [
            Column("file", t("problems.col.file"), 38),
            Column("line", t("problems.col.line"), 5, justify="right"),
            Column("severity", t("problems.col.severity"), 8),
            Column("message", t("problems.col.message"), flex=True),
        ]
        lang = language()

        def cells(p: Problem) -> list[str | Text]:
            severity = self._severity(p)
            return [
                p.path,
                str(p.line) if p.line else "",
                Text(severity, style="bold" if p.severity == ERROR else ""),
                p.message(lang),
            ]

        yield Static("", id="problems-bar")
        yield RecordList(columns, cells, key=lambda p: (p.path, p.line, p.code),
                         empty=t("problems.none"), id="problems-list")
        yield Static("", id="problems-detail")
        yield Footer()

    @staticmethod
    def _severity(p: Problem) -> str:
        return t("problems.error") if p.severity == ERROR else t("problems.warning")

    def on_mount(self) -> None:
        self.workspace.listeners.append(self._on_change)
        self.workspace.problem_listeners.append(self._on_problems)
        self.refresh_list()
        self.query_one(RecordList).focus()

    def on_unmount(self) -> None:
        try:
            self.workspace.listeners.remove(self._on_change)
            self.workspace.problem_listeners.remove(self._on_problems)
        except (ValueError, AttributeError):
            pass

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def _on_change(self, change: Change) -> None:
        if threading.get_ident() != getattr(self.app, "_thread_id", threading.get_ident()):
            self.app.call_from_thread(self.refresh_list)
        else:
            self.refresh_list()

    def _on_problems(self) -> None:
        """A file's problems changed without a record changing (a new broken file)."""
        self._on_change(None)  # type: ignore[arg-type]

    def problems(self) -> list[Problem]:
        # many files others can read (a clone) are one line, as in caselog check
        return collapse_readable(
            sorted(self.workspace.problems, key=lambda p: (p.path, p.line or 0, p.col or 0, p.code)),
            fix_hint(str(self.workspace.folder.root)))

    def refresh_list(self) -> None:
        rows = self.problems()
        self.query_one(RecordList).set_rows(rows)
        self.query_one("#problems-bar", Static).update(
            Text(t("problems.subtitle", n=len(rows))))
        self.sub_title = t("problems.title")

    @on(RecordList.Highlighted, "#problems-list")
    def _detail(self, event: RecordList.Highlighted) -> None:
        """The whole of the highlighted problem, which the list may have to cut short."""
        p: Problem | None = event.item
        text = "" if p is None else (
            f"{p.path}:{p.line or 1}: {self._severity(p)}: {p.message(language())}")
        self.query_one("#problems-detail", Static).update(Text(visible(text)))

    @on(RecordList.Selected, "#problems-list")
    def _open(self, event: RecordList.Selected) -> None:
        event.stop()
        p: Problem = event.item
        if p.path == FOLDER:  # the folder as a whole: no one file to show
            return
        same_file = [q for q in self.workspace.problems if q.path == p.path]
        self.app.push_screen(FileViewScreen(self.workspace.folder.root, p.path, same_file, p.line))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
