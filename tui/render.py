"""Renderers of the table models: Rich (terminal and text), Markdown, CSV.

The summary screen and ``caselog report`` use the same functions, so what is
on screen is what is exported.
"""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from store.summary import Report

from . import tables as tm
from .i18n import t

STYLE = {"theme": "bold", "sub": "", "total": "bold", "previous": "dim"}


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
