"""The report's tables as plain table models, in the interface's language.

One model per table (title, column headers, rows with a style) serves every
renderer: Rich for the terminal and ``--format text``, Markdown, CSV. The
numbers come from ``store.domain.summary``; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.domain.summary import Report

from .i18n import language, t


@dataclass(frozen=True)
class Share:
    """A share in per cent (``value``), shown as ``text`` ("29,6 %" in Danish).

    The text renderers print ``str(share)``; the spreadsheet keeps the number.
    """

    value: float
    text: str

    def __str__(self) -> str:
        return self.text


def share(n: float) -> Share:
    return Share(n, percent(n))


Cell = str | int | Share


@dataclass
class Row:
    cells: list[Cell]
    style: str = ""  # "" | "theme" | "sub" | "total" | "previous"


@dataclass
class TableModel:
    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def percent(n: float) -> str:
    text = f"{n:.1f} %"
    return text.replace(".", ",") if language() == "da" else text


def headline_text(report: Report) -> list[str]:
    h = report.headline
    lines = [
        t(
            "report.headline",
            inquiries=h.inquiries,
            points=h.points,
            complaint=h.complaint,
            complaint_pct=percent(h.share(h.complaint)),
            inquiry=h.inquiry,
            inquiry_pct=percent(h.share(h.inquiry)),
            complaint_help=h.complaint_help,
        )
    ]
    p = report.prev_headline
    if p.inquiries or p.complaint_help:
        lines.append(
            t("report.headline.previous", label=report.previous.label,
              inquiries=p.inquiries, points=p.points)
        )
    return lines


def period_line(report: Report) -> str:
    p = report.period
    return t("report.period", label=p.label, start=p.start.isoformat(), end=p.end.isoformat())


def table1(report: Report, show_zero: bool = False, short: bool = False) -> TableModel:
    prev = {r.name: r.total for r in report.prev_table1}
    m = TableModel(
        "t1",
        t("report.t1"),
        [t("report.department"), t("report.main"), t("report.follow_up"), t("report.total"),
         t("report.share"), report.previous.label],
    )
    total = report.headline.points
    known = set(report.settings.department_names)
    for r in report.table1:
        if not show_zero and not r.total and not prev.get(r.name) and r.name not in known:
            continue
        part = share(100.0 * r.total / total if total else 0.0)
        m.rows.append(Row([_name(report, r.name, short), r.main, r.follow_up, r.total, part,
                           prev.get(r.name, 0)]))
    m.rows.append(
        Row(
            [t("report.all"), sum(r.main for r in report.table1),
             sum(r.follow_up for r in report.table1), total, share(100.0 if total else 0.0),
             report.prev_headline.points],
            "total",
        )
    )
    return m


def table2(report: Report, show_zero: bool = False) -> TableModel:
    s = report.settings
    depts = report.departments
    prev = {(r.theme, r.subtheme): r.total for r in report.prev_table2}
    m = TableModel(
        "t2",
        t("report.t2"),
        [t("report.theme"), *[s.short_name(d) for d in depts], t("report.all"),
         report.previous.label],
    )
    for r in report.table2:
        before = prev.get((r.theme, r.subtheme), 0)
        if not show_zero and not r.total and not before:
            continue
        label = r.theme if r.is_theme else f"  {r.subtheme}"
        m.rows.append(
            Row([label, *[r.by_department[d] for d in depts], r.total, before],
                "theme" if r.is_theme else "sub")
        )
    totals = [sum(r.by_department[d] for r in report.table2 if r.is_theme) for d in depts]
    m.rows.append(
        Row([t("report.all"), *totals, sum(totals),
             sum(r.total for r in report.prev_table2 if r.is_theme)], "total")
    )
    if not show_zero:
        m.notes.append(t("report.zero_hidden"))
    return m


def table3(report: Report, show_zero: bool = False, short: bool = False) -> TableModel:
    prev = {r.name: r.total for r in report.prev_table3}
    m = TableModel(
        "t3",
        t("report.t3"),
        [t("report.department"), t("report.no_remarks"), t("report.remarks"),
         t("report.rejected"), t("report.total"), report.previous.label],
    )
    for r in report.table3:
        if not show_zero and not r.total and not prev.get(r.name):
            continue
        m.rows.append(Row([_name(report, r.name, short), r.no_remarks, r.remarks, r.rejected, r.total,
                           prev.get(r.name, 0)]))
    rows = report.table3
    m.rows.append(
        Row([t("report.all"), sum(r.no_remarks for r in rows), sum(r.remarks for r in rows),
             sum(r.rejected for r in rows), sum(r.total for r in rows),
             report.prev_appeals.decisions], "total")
    )
    a = report.appeals
    m.notes.append(
        t("report.appeals.sentence", with_remarks=a.with_remarks, decided=a.decided,
          decisions=a.decisions, rejected=a.decisions - a.decided)
    )
    return m


def table4(report: Report, show_zero: bool = False, short: bool = False) -> TableModel:
    depts = report.departments
    remarks = report.table4
    m = TableModel("t4", t("report.t4"), [t("report.department"), *[r.name for r in remarks]])
    active = {d for r in report.table3 if r.total for d in [r.name]}
    prev_active = {r.name for r in report.prev_table3 if r.total}
    for d in depts:
        values = [r.by_department[d] for r in remarks]
        if not show_zero and not any(values) and d not in active and d not in prev_active:
            continue
        m.rows.append(Row([_name(report, d, short), *values]))
    m.rows.append(Row([t("report.all"), *[r.total for r in remarks]], "total"))
    m.rows.append(
        Row([report.previous.label, *[r.total for r in report.prev_table4]], "previous")
    )
    m.notes.append(t("report.t4.note"))
    return m


def _name(report: Report, department: str, short: bool) -> str:
    """A department's row label: its short name in narrow tables."""
    return report.settings.short_name(department) if short else department


def report_tables(report: Report, show_zero: bool = False,
                  short: bool = False) -> list[TableModel]:
    """Tabel 1-4; ``short``: departments by their short names (narrow screens)."""
    return [
        table1(report, show_zero, short),
        table2(report, show_zero),
        table3(report, show_zero, short),
        table4(report, show_zero, short),
    ]
