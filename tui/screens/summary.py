"""The summary screen: the report's tables and figures, live.

It shows what ``caselog report`` prints (the same table models and Rich
renderers of ``tui/render.py``) plus the figures, for one period with the
previous one beside it. It listens to the workspace: a save or a delete here,
or a change on disk, recomputes the report from the tally (which is already
up to date), so the screen follows without a reload.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import threading
from pathlib import Path

from rich.box import Box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Row, Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from store.domain import clock
from store.domain.periods import Period
from store.domain.summary import Report, across_periods, build_report
from store.format.files import atomic_write
from store.workspace.workspace import Change

from .. import render as rd
from ..i18n import language, t
from ..keys import translate_bindings
from ..widgets.footer import SteadyFooter

# The export's formats, in the order the dialog offers them: the documents first.
EXPORT_FORMATS = {".docx": "docx", ".html": "html", ".xlsx": "xlsx", ".md": "md", ".txt": "text",
                  ".csv": "csv"}
DOCUMENT_FORMATS = ("docx", "html", "xlsx")  # made by tui.documents; the rest are text
FOCUS_THEME = "Forvaltningsskik"  # Figur 4 of the report
ACROSS = 3  # periods side by side in Figur 2


NARROW = 110  # below this width the tables name departments by their short names


def export_text(report: Report, fmt: str, show_zero: bool = False) -> str:
    """The file ``caselog report --format FMT`` writes for this report."""
    from ..commands.report import render

    return render(report, fmt, show_zero=show_zero)


def default_export_name(period: Period, suffix: str = ".docx") -> str:
    return t("export.default_name", label=period.label.replace("/", "-")) + suffix


def export_folder() -> Path:
    """Where an export goes unless a folder is written: the user's documents folder."""
    from ..documents.folder import documents_dir

    return documents_dir()


def with_suffix(name: str, suffix: str) -> str:
    """``name`` ending in ``suffix`` instead of a format's suffix it has (or in addition)."""
    root, ext = os.path.splitext(name)
    return (root if ext.lower() in EXPORT_FORMATS else name) + suffix


WIDE = 10_000  # a room wider than any table: where a table is measured at its natural width


class Drawn:
    """A Rich renderable drawn once: its measurement and its segments are kept and
    replayed.

    Textual measures a Static's renderable, renders it to count its lines and
    renders it again to draw it, at every layout pass (mounting, showing the
    screen again, a scrollbar appearing). A Rich table is measured and rendered
    cell by cell, so the summary's tables cost most of the screen's time. What
    is replayed is what the table gives for the same room (width and the options
    a table reads), so the screen is the same. A table of one-line cells is
    measured, and drawn where it fits its room, by ``render.PlainTable``: the
    same measurement and segments, without Rich's general table layout.
    """

    __slots__ = ("renderable", "_plain", "_console", "_natural", "_measured", "_drawn")

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._plain: rd.PlainTable | None | bool = False  # False: not looked at yet
        self._console: Console | None = None
        self._natural: Measurement | None = None
        self._measured: dict[tuple, Measurement] = {}
        self._drawn: dict[tuple, list[Segment]] = {}

    def _key(self, console: Console, options: ConsoleOptions) -> tuple:
        if console is not self._console:  # another console: nothing kept applies
            self._console = console
            self._natural = None
            self._measured.clear()
            self._drawn.clear()
        # everything a table's layout reads; not the height (a table ignores it)
        return (options.min_width, options.max_width, options.legacy_windows,
                options.is_terminal, options.encoding, options.justify, options.overflow,
                options.no_wrap, options.highlight, options.markup)

    def _plain_table(self) -> rd.PlainTable | None:
        if self._plain is False:
            self._plain = rd.PlainTable.of(self.renderable)
        return self._plain  # type: ignore[return-value]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        # What the renderable's own __rich_measure__ says, unclamped, as Textual asks it
        # (Rich's Measurement.get clamps what this returns, as it would the table's).
        key = self._key(console, options)
        m = self._measured.get(key)
        if m is None:
            m = self._measured[key] = self._measure(console, options)
        return m

    def _measure(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self._plain_table()
        if plain is not None:
            return plain.measure(options.max_width)
        r = self.renderable
        measure = getattr(r, "__rich_measure__", None)
        if measure is None:
            return Measurement.get(console, options, r)
        if isinstance(r, Table) and r.width is None and r.min_width is None and not r.expand:
            # A table that fits its room keeps its columns' natural widths, and then
            # its measurement does not depend on the room. Textual measures twice
            # (again when the scrollbar takes two columns): once is enough.
            if self._natural is None:
                self._natural = measure(console, options.update_width(WIDE))
            if self._natural.maximum <= options.max_width:
                return self._natural
        return measure(console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = self._key(console, options)
        segments = self._drawn.get(key)
        if segments is None:
            plain = self._plain_table()
            segments = self._drawn[key] = (
                plain.render(console, options) if plain and plain.fits(options.max_width)
                else list(console.render(self.renderable, options)))
        return segments


class ExportScreen(ModalScreen[Path | None]):
    """Ask for the format and the file to export to; the file's extension is the format.

    Choosing a format changes the extension of the name; typing a known
    extension chooses its format. A name without a folder goes to ``folder``
    (the user's documents folder).
    """

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > #export-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportScreen RadioSet { width: 100%; }
    ExportScreen #export-error { color: $error; height: auto; }
    ExportScreen .export-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "export.key.cancel", id="export.cancel"),
    ]
    AUTO_FOCUS = "#export-name"

    def __init__(self, period: Period, default: str, folder: Path | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.period = period
        self.folder = Path(folder) if folder is not None else Path(os.getcwd())
        self.default = default

    def compose(self) -> ComposeResult:
        from textual.widgets import RadioButton, RadioSet

        chosen = os.path.splitext(self.default)[1].lower()
        with Vertical(id="export-box"):
            yield Static(Text(t("export.title", period=self.period.label), style="bold"))
            with RadioSet(id="export-format"):
                for suffix, fmt in EXPORT_FORMATS.items():
                    yield RadioButton(t(f"export.format.{fmt}"), value=suffix == chosen,
                                      id=f"export-{fmt}", name=suffix)
            yield Static(Text(t("export.label")))
            yield Input(self.default, id="export-name")
            yield Static(Text(t("export.hint", folder=str(self.folder))), classes="export-hint")
            yield Static("", id="export-error")

    def on_radio_set_changed(self, event) -> None:
        event.stop()
        suffix = event.pressed.name
        field = self.query_one("#export-name", Input)
        if suffix and os.path.splitext(field.value)[1].lower() != suffix:
            field.value = with_suffix(field.value.strip(), suffix)

    def on_input_changed(self, event: Input.Changed) -> None:
        fmt = EXPORT_FORMATS.get(os.path.splitext(event.value.strip())[1].lower())
        if fmt is not None:
            from textual.widgets import RadioButton

            button = self.query_one(f"#export-{fmt}", RadioButton)
            if not button.value:
                button.value = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        error = ""
        path = Path(os.path.expanduser(name)) if name else None
        if path is not None and not path.is_absolute():
            path = self.folder / path
        if path is None:
            error = t("export.empty")
        elif path.suffix.lower() not in EXPORT_FORMATS:
            error = t("export.bad_extension")
        elif path.is_dir():
            error = t("export.is_dir", path=str(path))
        if error:
            self.query_one("#export-error", Static).update(Text(error))
            return
        assert path is not None
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Unkeyable(Exception):
    pass


_COLUMN_FIELDS = [f.name for f in dataclasses.fields(Column)]


def _freeze(value: object) -> object:
    """A hashable value equal for equal parts of a table (raises _Unkeyable for a part
    it does not know, so that no table is taken for another)."""
    if value is None or isinstance(value, (str, int, float, Style, Box)):
        return value  # a Box compares by identity: rich.box's constants
    if isinstance(value, Text):
        return ("Text", value.plain, _freeze(value.style), tuple(value.spans), value.justify,
                value.overflow, value.no_wrap, value.end, value.tab_size)
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Column):
        return ("Column", *(_freeze(getattr(value, name)) for name in _COLUMN_FIELDS))
    if isinstance(value, Row):
        return ("Row", _freeze(value.style), value.end_section)
    raise _Unkeyable(type(value).__name__)


def signature(item: RenderableType) -> tuple | None:
    """Everything a table's drawing depends on, or None for what is not a plain table."""
    if type(item) is not Table:
        return None
    try:
        return tuple((name, _freeze(value)) for name, value in sorted(vars(item).items()))
    except _Unkeyable:
        return None


DRAWN_KEPT = 64  # tables kept drawn: the summary's eight for a few periods and widths
_kept: dict[tuple, Drawn] = {}


def drawn(item: RenderableType) -> Drawn:
    """The table drawn once: an equal table drawn before (another period shown, the
    screen made again, a save that left this table as it was) is not drawn again."""
    key = signature(item)
    if key is None:
        return Drawn(item)
    found = _kept.pop(key, None)
    if found is None:
        found = Drawn(item)
        while len(_kept) >= DRAWN_KEPT:
            del _kept[next(iter(_kept))]
    _kept[key] = found  # the most recently used last
    return found


def _drawn(item: RenderableType) -> RenderableType:
    """Tables and figures drawn once (``Drawn``); a line of text as it is."""
    return item if isinstance(item, Text) else drawn(item)


def _same(a: RenderableType | None, b: RenderableType) -> bool:
    """Whether a section's widget already shows ``b``."""
    if isinstance(a, Text) and isinstance(b, Text):
        return _freeze(a) == _freeze(b)
    return a is b


class SummaryScreen(Screen):
    """Headline, Tabel 1-4 and Figur 1-4 of one period, with the previous period."""

    DEFAULT_CSS = """
    SummaryScreen #summary-bar {
        height: 1; background: $panel; padding: 0 1; text-style: bold;
    }
    SummaryScreen #summary-scroll { height: 1fr; }
    SummaryScreen #summary-scroll > .para { width: 100%; padding: 0 1; }
    SummaryScreen #summary-scroll > .wide { width: auto; padding: 0 1; }
    SummaryScreen #summary-scroll > .problems { color: $warning; }
    """

    BINDINGS = [
        Binding("comma", "previous_period", "summary.key.previous_period", key_display=",",
                id="summary.previous_period", tooltip="summary.key.previous_period.tip"),
        Binding("full_stop", "next_period", "summary.key.next_period", key_display=".",
                id="summary.next_period", tooltip="summary.key.next_period.tip"),
        Binding("e", "export", "summary.key.export", id="summary.export",
                tooltip="summary.key.export.tip"),
        Binding("z", "toggle_zero", "summary.key.zero", id="summary.toggle_zero",
                tooltip="summary.key.zero.tip"),
        Binding("t", "next_theme", "summary.key.theme", id="summary.next_theme",
                tooltip="summary.key.theme.tip"),
        Binding("escape", "back", "summary.key.back", id="summary.back",
                tooltip="summary.key.back.tip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.period: Period | None = None
        self.show_zero = False
        self.focus_theme = FOCUS_THEME
        self.report: Report | None = None
        self._short = False  # department names short (narrow screen)
        self.sections: list[tuple[str, RenderableType]] = []
        self._dirty = False
        self._refresh_pending = False
        self._shown: dict[str, RenderableType] = {}  # section key -> what its widget shows

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    # -- composing -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="summary-bar")
        yield ScrollableContainer(id="summary-scroll", can_focus=True)
        yield SteadyFooter()

    async def on_mount(self) -> None:
        ws = self.workspace
        self.period = ws.tally.default_period(clock.today())
        ws.listeners.append(self._on_change)
        await self.recompute()
        self.query_one("#summary-scroll").focus()

    def on_unmount(self) -> None:
        try:
            self.workspace.listeners.remove(self._on_change)
        except (ValueError, AttributeError):
            pass

    # -- following the workspace --------------------------------------------------
    def _on_change(self, change: Change) -> None:
        """A workspace listener: called for every save, delete or outside change."""
        if threading.get_ident() != getattr(self.app, "_thread_id", threading.get_ident()):
            self.app.call_from_thread(self._on_change, change)
            return
        self._dirty = True
        if not self.is_current:
            return  # recomputed when the screen is shown again (on_screen_resume)
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_later(self._refresh_if_dirty)

    async def _refresh_if_dirty(self) -> None:
        self._refresh_pending = False
        if self._dirty:
            await self.recompute()

    async def on_screen_resume(self) -> None:
        if self._dirty and self.period is not None:
            await self.recompute()

    # -- computing ------------------------------------------------------------------
    def build(self) -> Report:
        """The report of the current period from the workspace's tally (cheap)."""
        ws = self.workspace
        lang = language()
        warnings = [p.format(lang) for p in sorted(ws.problems, key=lambda p: (p.path, p.line or 0))]
        assert self.period is not None
        return build_report(ws.tally, self.period, warnings)

    async def recompute(self) -> None:
        self._dirty = False
        report = self.report = self.build()
        themes = rd.theme_names(report)
        if themes and self.focus_theme not in themes:
            self.focus_theme = themes[0]
        across = across_periods(self.workspace.tally, report.period, ACROSS)
        sections: list[tuple[str, RenderableType]] = [
            (f"heading-{i}", line) for i, line in enumerate(rd.summary_heading(report))
        ]
        if report.headline.inquiries == 0 and report.appeals.decisions == 0:
            sections.append(("empty", Text(t("summary.empty", period=report.period.label),
                                           style="italic")))
        if self.workspace.problems:
            sections.append(("problems", Text(t("summary.problems", n=len(
                {p.path for p in self.workspace.problems})))))
        sections.append(("gap-top", Text("")))
        keys = iter(["t1", "f1", "t2", "f3", "f4", "f2", "t3", "t4"])
        self._short = self.size.width < NARROW
        for n, item in enumerate(rd.summary_renderables(report, across, self.focus_theme,
                                                         self.show_zero, self._short)):
            if isinstance(item, Text):
                sections.append((f"text-{n}", item))
            else:
                sections.append((next(keys), item))
        self.sections = sections
        await self._show(sections)
        self.query_one("#summary-bar", Static).update(Text(t(
            "summary.subtitle", period=report.period.label, previous=report.previous.label)))
        self.sub_title = t("summary.title", period=report.period.label)

    async def _show(self, sections: list[tuple[str, RenderableType]]) -> None:
        scroll = self.query_one("#summary-scroll", ScrollableContainer)
        current = list(scroll.children)
        if [w.id for w in current] == [f"s-{k}" for k, _ in sections]:
            for widget, (key, item) in zip(current, sections, strict=True):
                content = _drawn(item)
                if not _same(self._shown.get(key), content):
                    widget.update(content)  # type: ignore[attr-defined]
                    self._shown[key] = content
            return
        await scroll.remove_children()
        widgets = []
        self._shown = {}
        for key, item in sections:
            classes = "para" if isinstance(item, Text) else "wide"
            if key == "problems":
                classes += " problems"
            content = self._shown[key] = _drawn(item)
            widgets.append(Static(content, id=f"s-{key}", classes=classes))
        await scroll.mount_all(widgets)

    def section_text(self, key: str, width: int = 200) -> str:
        """One section as plain text (for tests and the export of what is shown)."""
        item = dict(self.sections)[key]
        buf = io.StringIO()
        console = Console(file=buf, width=width, no_color=True, color_system=None,
                          highlight=False, markup=False, emoji=False)
        console.print(item)
        return buf.getvalue()

    # -- actions ----------------------------------------------------------------------
    async def on_resize(self, event) -> None:
        if self.report is not None and (event.size.width < NARROW) != self._short:
            await self.recompute()  # department names short or full

    async def action_previous_period(self) -> None:
        assert self.period is not None
        self.period = self.period.previous()
        await self.recompute()

    async def action_next_period(self) -> None:
        assert self.period is not None
        self.period = self.period.next()
        await self.recompute()

    async def action_toggle_zero(self) -> None:
        self.show_zero = not self.show_zero
        await self.recompute()
        self.notify(t("summary.zero.shown" if self.show_zero else "summary.zero.hidden"))

    async def action_next_theme(self) -> None:
        if self.report is None:
            return
        themes = rd.theme_names(self.report)
        if not themes:
            return
        i = themes.index(self.focus_theme) if self.focus_theme in themes else -1
        self.focus_theme = themes[(i + 1) % len(themes)]
        await self.recompute()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @work(exclusive=True, group="summary-export")
    async def action_export(self) -> None:
        if self.report is None:
            return
        report, show_zero, theme = self.report, self.show_zero, self.focus_theme
        folder = export_folder()
        path = await self.app.push_screen_wait(
            ExportScreen(report.period, str(folder / default_export_name(report.period)), folder))
        if path is None:
            return
        if path.exists():
            from .confirm import ConfirmScreen

            if not await self.app.push_screen_wait(
                    ConfirmScreen(t("export.exists", path=str(path)))):
                return
        fmt = EXPORT_FORMATS[path.suffix.lower()]
        if fmt in DOCUMENT_FORMATS:
            # what is shown: the period, the rows, Figur 4's theme, Figur 2's periods
            across = across_periods(self.workspace.tally, report.period, ACROSS)
            problem_files = len({p.path for p in self.workspace.problems})
            self.notify(t("export.making", path=str(path)))

            def make() -> bytes:
                from ..documents import make

                return make(report, fmt, across, theme, show_zero, problem_files)
        else:
            text = export_text(report, fmt, show_zero).encode("utf-8")

            def make() -> bytes:
                return text

        def write() -> None:
            atomic_write(path, make())

        try:
            await asyncio.to_thread(write)
        except OSError as e:
            self.notify(t("export.failed", path=str(path), error=e.strerror or str(e)),
                        severity="error", timeout=10)
            return
        except Exception as e:  # a document library's failure: said, never a crash
            self.notify(t("export.failed", path=str(path), error=str(e) or type(e).__name__),
                        severity="error", timeout=10)
            return
        self.notify(t("export.done", path=str(path)))
