"""Renderers of the table models: Rich (terminal and text), Markdown, CSV.

The summary screen and ``caselog report`` use the same functions, so what is
on screen is what is exported.
"""

from __future__ import annotations

import csv
import io

from rich import box
from rich._ratio import ratio_reduce
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from store.domain.summary import Report

from . import tables as tm
from .i18n import t

STYLE = {"theme": "bold", "sub": "", "total": "bold", "previous": "dim"}
_WIDE = 10_000  # a room wider than any table


def rich_table(model: tm.TableModel) -> Table:
    table = Table(
        title=Text(model.title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
    )
    for i, header in enumerate(model.columns):
        if i == 0:
            table.add_column(Text(header), no_wrap=False, min_width=12, overflow="fold")
        else:
            table.add_column(Text(header), justify="right", no_wrap=False)
    for row in model.rows:
        # Every cell is Text, never markup: names from caselog.toml are shown literally.
        table.add_row(*[Text(str(c)) for c in row.cells], style=STYLE.get(row.style, ""),
                      end_section=row.style == "total" and row is not model.rows[-1])
    return table


def bar(value: float, maximum: float, width: int = 30) -> Text:
    """A horizontal bar, in eighths of a cell, that reads without colour too."""
    if maximum <= 0 or value <= 0:
        return Text("")
    eighths = round(8 * width * value / maximum)
    full, rest = divmod(eighths, 8)
    return Text("█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else ""), style="cyan")


def bar_chart(title: str, items: list[tuple[str, int]], total: int | None = None,
              previous: dict[str, int] | None = None, previous_label: str = "",
              previous_total: int | None = None, width: int = 30) -> Table:
    """Labelled bars; with ``total`` the value carries its share, with ``previous`` a
    column holds the previous period's figure for the same label."""
    table = Table(title=Text(title, style="bold"), title_justify="left", box=None,
                  show_header=previous is not None, pad_edge=False)
    table.add_column(overflow="fold", min_width=12)
    table.add_column(justify="right")
    if previous is not None:
        table.add_column(Text(previous_label), justify="right", style="dim")
    table.add_column(no_wrap=True)

    def value(n: int, of: int | None) -> str:
        return f"{n}" if of is None else f"{n} ({tm.percent(100.0 * n / of if of else 0)})"

    maximum = max((n for _, n in items), default=0)
    for label, n in items:
        cells = [Text(label), Text(value(n, total))]
        if previous is not None:
            cells.append(Text(value(previous.get(label, 0), previous_total)))
        cells.append(bar(n, maximum, width))
        table.add_row(*cells)
    return table


def figures(report: Report, focus_theme: str = "Forvaltningsskik") -> list[RenderableType]:
    """Figur 1, 3 and 4 of the report as bar charts."""
    out: list[RenderableType] = []
    total = report.headline.points
    out.append(bar_chart(t("report.f1"), [(r.name, r.total) for r in report.table1 if r.total],
                         total))
    themes = [(r.theme, r.total) for r in report.table2 if r.is_theme and r.total]
    out.append(bar_chart(t("report.f3"), themes))
    subs = [(r.subtheme or "", r.total) for r in report.table2
            if not r.is_theme and r.theme == focus_theme and r.total]
    out.append(bar_chart(t("report.f4", theme=focus_theme), subs))
    return out


def across_table(periods, rows) -> Table:
    """Figur 2: points per department, the periods side by side, with bars for the latest."""
    table = Table(title=Text(t("report.f2"), style="bold"), title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(Text(t("report.department")), overflow="fold", min_width=12)
    for p in periods:
        table.add_column(Text(p.label), justify="right")
    table.add_column("", no_wrap=True)
    maximum = max((max(v) for _, v in rows if v), default=0)
    for name, values in rows:
        table.add_row(Text(name), *[Text(str(v)) for v in values], bar(values[-1], maximum, 20))
    return table


class PlainTable:
    """A Rich table of one-line cells, measured and drawn without Rich's general
    table machinery when it fits its room.

    The summary's tables and figures are Rich tables whose cells are one line of
    text each. Rich measures every cell twice and renders each through a Padding
    and a word wrap; for a table that fits, every cell is its text padded to the
    column, so this gives the segments Rich gives, directly (the tests compare
    them with Rich's, segment by segment, for random tables and rooms).
    ``of`` returns None for a table with anything else (wrapping text, a footer,
    edges, other padding, ...), and ``fits`` says when the room is too narrow:
    then Rich draws it.
    """

    __slots__ = ("table", "cells", "pads", "ranges", "widths")

    @classmethod
    def of(cls, table: object) -> PlainTable | None:
        if type(table) is not Table or not table.columns:
            return None
        t = table
        if (t.width is not None or t.min_width is not None or t.expand or t.show_footer
                or (t.box and t.show_edge) or t.show_lines or t.leading or t.caption is not None
                or t.collapse_padding or t.pad_edge or t.padding != (0, 1, 0, 1)
                or t.style not in (None, "", "none") or t.row_styles or t.highlight):
            return None
        if not (t.show_header or t.rows):
            return None
        cells: list[list[str | Text]] = []
        for column in t.columns:
            if (column.width is not None or column.max_width is not None
                    or column.ratio is not None or column.justify not in ("left", "right")
                    or column.highlight):
                return None
            column_cells = ([column.header] if t.show_header else []) + list(column._cells)
            if not all(_plain_cell(c) for c in column_cells):
                return None
            cells.append(column_cells)
        return cls(t, cells)

    def __init__(self, table: Table, cells: list[list[str | Text]]) -> None:
        self.table = table
        self.cells = cells
        last = len(cells) - 1
        # pad_edge is off: no padding left of the first column, right of the last
        self.pads = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(len(cells))]
        # each cell's Rich measurement: (longest word, whole line)
        self.ranges = [[(_min_width(c), cell_len(_plain(c))) for c in column_cells]
                       for column_cells in cells]
        # the columns' natural widths: Table._calculate_column_widths where it fits
        self.widths = [self._column(i, _WIDE).maximum or 1 for i in range(len(cells))]

    def _column(self, i: int, room: int) -> Measurement:
        """``Table._measure_column`` of column i in a room."""
        if room < 1:
            return Measurement(0, 0)
        left, right = self.pads[i]
        pad = left + right
        lo = hi = 0
        for cmin, cmax in self.ranges[i]:
            if room - pad < 1:  # Padding.__rich_measure__: no room for the text
                a = b = room
            else:
                a, b = min(cmin, room), min(cmax, room)  # the text's Measurement.get
                if b < 1:
                    a = b = 0
                a, b = min(a + pad, room), min(b + pad, room)  # the padding's
            lo, hi = max(lo, a), max(hi, b)
        minimum = self.table.columns[i].min_width
        if minimum is not None:  # Measurement.clamp(min_width + padding)
            minimum = max(0, minimum + pad)
            lo, hi = max(lo, minimum), max(hi, minimum)
        return Measurement(lo, hi)

    def _column_widths(self, room: int) -> list[int]:
        """``Table._calculate_column_widths`` in a room (not expanding)."""
        n = len(self.cells)
        widths = [self._column(i, room).maximum or 1 for i in range(n)]
        if sum(widths) > room:
            wrapable = [c.width is None and not c.no_wrap for c in self.table.columns]
            widths = Table._collapse_widths(widths, wrapable, room)
            if sum(widths) > room:
                widths = ratio_reduce(sum(widths) - room, [1] * n, widths, widths)
            widths = [self._column(i, w).maximum or 0 for i, w in enumerate(widths)]
        return widths

    def measure(self, room: int) -> Measurement:
        """``Table.__rich_measure__`` in a room (``options.max_width``)."""
        if room < 0:
            return Measurement(0, 0)
        extra = self.table._extra_width
        width = sum(self._column_widths(room - extra))
        columns = [self._column(i, width) for i in range(len(self.cells))]
        return Measurement(sum(m.minimum for m in columns) + extra,
                           sum(m.maximum for m in columns) + extra)

    def fits(self, max_width: int) -> bool:
        """Whether Rich lays the table out in its columns' natural widths (nothing
        wraps, nothing is cut) in this room."""
        return (min(self.widths) > 0 and sum(self.widths) > 2
                and sum(self.widths) <= max_width - self.table._extra_width)

    def render(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        """What ``Table.__rich_console__`` gives in a room the table fits (``fits``)."""
        t, widths = self.table, self.widths
        get_style = console.get_style
        table_width = sum(widths) + t._extra_width
        render_options = options.update(width=table_width, highlight=t.highlight, height=None)
        out: list[Segment] = []
        if t.title:
            title = (console.render_str(t.title, style=Style.pick_first(t.title_style, "table.title"),
                                        highlight=False)
                     if isinstance(t.title, str) else t.title)
            out += console.render(title, options=render_options.update(justify=t.title_justify))
        border_style = get_style(t.border_style or "")
        safe = bool(console.safe_box if t.safe_box is None else t.safe_box)
        box = t.box.substitute(render_options, safe=safe) if t.box else None
        if box and not t.show_header:
            box = box.get_plain_headed_box()
        header_style = get_style(t.header_style or "")
        column_styles = [(header_style + get_style(c.header_style), get_style(c.style or ""))
                         for c in t.columns]
        new_line = Segment.line()
        n_rows = len(self.cells[0])
        any_room = any(w - left - right >= 1 for w, (left, right) in zip(widths, self.pads, strict=False))
        for index in range(n_rows):
            header = t.show_header and index == 0
            row = None if header else t.rows[index - t.show_header]
            row_style = Style.null() if header else get_style(
                t.get_row_style(console, index - t.show_header))
            if box:
                vertical = (box.head_vertical if index == 0 else
                            box.foot_vertical if index == n_rows - 1 else box.mid_vertical)
                divider = (Segment(vertical, border_style) if vertical.strip() else
                           Segment(vertical, row_style.background_style + border_style))
            for i, (cell, width, (left, right)) in enumerate(
                    zip((c[index] for c in self.cells), widths, self.pads, strict=False)):
                if i and box:
                    out.append(divider)
                style = column_styles[i][0 if header else 1] + row_style
                room = width - left - right
                if room < 1:  # Rich renders nothing in no room: the cell is one blank,
                    # in the cell's style unless no cell of the row has room (Rich's
                    # row is then no line high, and the line it is given is plain)
                    out.append(Segment(" " * width, style) if any_room else Segment(" " * width))
                    continue
                plain = _plain(cell)
                if t.columns[i].justify == "left":
                    text = plain + " " * (room - cell_len(plain))
                else:
                    plain = plain.rstrip()
                    text = " " * (room - cell_len(plain)) + plain
                text_style = cell.style if isinstance(cell, Text) else ""
                own = get_style(text_style) if text_style else None
                if left:
                    out.append(Segment(" " * left, style))
                # the cell's style applies over the text's own only when it is not empty
                out.append(Segment(text, style + own if style else own))
                if right:
                    out.append(Segment(" " * right, style))
            out.append(new_line)
            if box and header:
                out += [Segment(box.get_row(widths, "head", edge=False), border_style), new_line]
            elif box and row is not None and row.end_section and index < n_rows - 1:
                out += [Segment(box.get_row(widths, "row", edge=False), border_style), new_line]
        return out


def _plain_cell(cell: object) -> bool:
    """A cell drawn as its text padded: one line, no spans, no cell-level layout."""
    if isinstance(cell, str):
        return cell == ""  # a str is rendered as markup: only the empty header is plain
    if type(cell) is not Text:
        return False
    plain = cell.plain
    return (not cell.spans and cell.justify is None and cell.overflow is None
            and cell.no_wrap is None and cell.end == "\n"
            and len(plain.splitlines()) <= 1 and plain.isprintable())


def _plain(cell: str | Text) -> str:
    return cell if isinstance(cell, str) else cell.plain


def _min_width(cell: str | Text) -> int:
    """Rich's minimum width of a one-line text: its longest word (all of it if none)."""
    plain = _plain(cell)
    words = plain.split()
    return max(cell_len(w) for w in words) if words else cell_len(plain)


def theme_names(report: Report) -> list[str]:
    """The themes of Tabel 2 with points in the period or the one before, in table
    order (taxonomy, then unknown names); all themes when none has points."""
    prev = {r.theme for r in report.prev_table2 if r.is_theme and r.total}
    themes = [r.theme for r in report.table2 if r.is_theme]
    active = [r.theme for r in report.table2 if r.is_theme and (r.total or r.theme in prev)]
    return list(dict.fromkeys(active or themes))


def summary_heading(report: Report) -> list[Text]:
    """Title, period and headline: the lines above the summary's tables."""
    out = [Text(t("report.title", period=report.period.label), style="bold"),
           Text(tm.period_line(report))]
    return out + [Text(line) for line in tm.headline_text(report)]


def _notes(model: tm.TableModel) -> list[RenderableType]:
    return [Text(n, style="italic") for n in model.notes]


def summary_renderables(report: Report, across=None, focus_theme: str = "Forvaltningsskik",
                        show_zero: bool = False, short: bool = False) -> list[RenderableType]:
    """What the summary screen shows below the headline, in the report's order.

    Tabel 1 with the shares of Figur 1, Tabel 2, Figur 3 and 4, Figur 2 (the
    periods of ``across = (periods, rows)`` side by side), Tabel 3 and 4; the
    previous period beside every table and figure.
    """
    models = {m.key: m for m in tm.report_tables(report, show_zero, short)}
    label = report.settings.short_name if short else (lambda name: name)
    prev_label = report.previous.label
    gap = Text("")
    out: list[RenderableType] = [rich_table(models["t1"]), gap]

    prev1 = {r.name: r.total for r in report.prev_table1}
    shares = [(label(r.name), r.total) for r in report.table1
              if r.total or (show_zero and r.name in report.settings.department_names)
              or prev1.get(r.name)]
    prev1 = {label(name): n for name, n in prev1.items()}
    out += [bar_chart(t("summary.shares"), shares, report.headline.points, prev1, prev_label,
                      report.prev_headline.points), gap]

    out += [rich_table(models["t2"]), *_notes(models["t2"]), gap]

    prev2 = {(r.theme, r.subtheme): r.total for r in report.prev_table2}
    themes = [(r.theme, r.total) for r in report.table2 if r.is_theme
              and (r.total or show_zero or prev2.get((r.theme, None)))]
    out += [bar_chart(t("report.f3"), themes, None,
                      {th: prev2.get((th, None), 0) for th, _ in themes}, prev_label), gap]
    subs = [(r.subtheme or "", r.total) for r in report.table2
            if not r.is_theme and r.theme == focus_theme
            and (r.total or show_zero or prev2.get((r.theme, r.subtheme)))]
    prev_subs = {r.subtheme or "": r.total for r in report.prev_table2
                 if not r.is_theme and r.theme == focus_theme}
    out.append(bar_chart(t("report.f4", theme=focus_theme), subs, None, prev_subs, prev_label))
    if not subs:
        out.append(Text(t("summary.no_bars"), style="italic"))
    out.append(gap)

    if across is not None:
        periods, rows = across
        if not show_zero:
            known = set(report.settings.department_names)
            rows = [(d, v) for d, v in rows if any(v) or d in known]
        out += [across_table(periods, [(label(d), v) for d, v in rows]), gap]

    out += [rich_table(models["t3"]), *_notes(models["t3"]), gap]
    out += [rich_table(models["t4"]), *_notes(models["t4"])]
    return out


def report_renderables(report: Report, show_zero: bool = False) -> list[RenderableType]:
    out: list[RenderableType] = [
        Text(t("report.title", period=report.period.label), style="bold underline"),
        Text(tm.period_line(report)),
    ]
    out += [Text(line) for line in tm.headline_text(report)]
    for model in tm.report_tables(report, show_zero):
        out.append(Text(""))
        out.append(rich_table(model))
        out += [Text(n, style="italic") for n in model.notes]
    if report.warnings:
        out.append(Text(""))
        out.append(Text(t("report.warnings"), style="bold"))
        out += [Text(w) for w in report.warnings]
    return out


def render_text(report: Report, width: int | None = None, color: bool | None = None,
                show_zero: bool = False) -> str:
    """The report as plain text (colour codes only when ``color`` is true)."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 132,
        force_terminal=bool(color),
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    console.print(Group(*report_renderables(report, show_zero)))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def _md_cell(v: object) -> str:
    s = str(v)
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


def render_markdown(report: Report, show_zero: bool = False) -> str:
    out = [f"# {_md_cell(t('report.title', period=report.period.label))}", "",
           _md_cell(tm.period_line(report)), ""]
    out += [_md_cell(line) + "  " for line in tm.headline_text(report)]
    for model in tm.report_tables(report, show_zero):
        out += ["", f"## {_md_cell(model.title)}", ""]
        out.append("| " + " | ".join(_md_cell(c) for c in model.columns) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(model.columns) - 1)) + "|")
        for row in model.rows:
            cells = [_md_cell(c) for c in row.cells]
            if row.style == "sub":
                cells[0] = "&nbsp;&nbsp;" + cells[0].strip()
            if row.style in ("theme", "total"):
                cells = [f"**{c}**" for c in cells]
            out.append("| " + " | ".join(cells) + " |")
        if model.notes:
            out.append("")
            out += [_md_cell(n) for n in model.notes]
    return "\n".join(out) + "\n"


def render_csv(report: Report, show_zero: bool = True) -> str:
    """One CSV block per table, each headed by its title, blocks apart by an empty line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, model in enumerate(tm.report_tables(report, show_zero)):
        if i:
            w.writerow([])
        w.writerow([model.title])
        w.writerow(model.columns)
        for row in model.rows:
            w.writerow(row.cells)
    return buf.getvalue()
