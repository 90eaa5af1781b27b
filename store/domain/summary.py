"""The summary tables of REPORT.md, computed from the records.

A ``Tally`` keeps the counts per period. Adding or removing one record
changes a few counters, so the tables follow a save, a delete or an outside
change without recounting everything. The table functions turn a tally into
plain data (dataclasses and dicts) that the renderers lay out; ``to_json``
gives the contract of ``caselog report --format json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from .periods import Period, period_of
from .records import Appeal, Inquiry
from .taxonomy import Settings


@dataclass
class PeriodCounts:
    """The raw counters of one period."""

    inquiries: int = 0  # excluding complaint-help
    kinds: Counter = field(default_factory=Counter)
    main: Counter = field(default_factory=Counter)  # department -> main points
    follow_up: Counter = field(default_factory=Counter)  # department -> follow-up points
    cells: Counter = field(default_factory=Counter)  # (theme, subtheme|None, dept) -> points
    appeals: Counter = field(default_factory=Counter)  # (department, outcome) -> decisions
    remarks: Counter = field(default_factory=Counter)  # (department, remark) -> count

    def is_empty(self) -> bool:
        return not (sum(self.kinds.values()) or sum(self.appeals.values()))


class Tally:
    """Counts per period, kept up to date one record at a time."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.periods: dict[Period, PeriodCounts] = {}

    @classmethod
    def of(cls, settings: Settings, inquiries: Iterable[Inquiry], appeals: Iterable[Appeal] = ()):
        t = cls(settings)
        for r in inquiries:
            t.add(r)
        for a in appeals:
            t.add(a)
        return t

    def counts(self, period: Period) -> PeriodCounts:
        return self.periods.get(period) or PeriodCounts()

    def copy(self) -> Tally:
        """An independent copy (e.g. to write the index from another thread)."""
        t = Tally(self.settings)
        t.periods = {
            p: PeriodCounts(c.inquiries, Counter(c.kinds), Counter(c.main), Counter(c.follow_up),
                            Counter(c.cells), Counter(c.appeals), Counter(c.remarks))
            for p, c in self.periods.items()
        }
        return t

    def _bucket(self, record: Inquiry | Appeal) -> PeriodCounts:
        cache = self.__dict__.setdefault("_period_of", {})  # received date -> period
        p = cache.get(record.received)
        if p is None:
            p = cache[record.received] = period_of(record.received, self.settings.period_start)
        bucket = self.periods.get(p)
        if bucket is None:
            bucket = self.periods[p] = PeriodCounts()
        return bucket

    def add(self, record: Inquiry | Appeal, sign: int = 1) -> None:
        c = self._bucket(record)
        dept = self.settings.department_name
        if isinstance(record, Inquiry):
            c.kinds[record.kind] += sign
            if record.kind == "complaint-help":
                return
            c.inquiries += sign
            for i, p in enumerate(record.points):
                d = dept(p.department)
                (c.main if i == 0 else c.follow_up)[d] += sign
                c.cells[(p.theme, p.subtheme, d)] += sign
        else:
            d = dept(record.department)
            c.appeals[(d, record.outcome)] += sign
            for remark in record.remarks:
                c.remarks[(d, remark)] += sign

    def add_many(self, inquiries: Iterable[tuple] = (), appeals: Iterable[tuple] = ()) -> None:
        """``add`` for many records given as plain tuples, counted a period at a time:
        inquiries as ``(received ordinal, kind, points)`` with points
        ``((department, theme, subtheme), ...)``, main issue first; appeal decisions
        as ``(received ordinal, department, outcome, remarks)``. The same counts as
        ``add`` of the records (a first read of 100,000 files builds no record)."""
        cache = self.__dict__.setdefault("_period_of_ordinal", {})
        start = self.settings.period_start
        fromordinal = date.fromordinal

        def by_period(items) -> dict[Period, list[tuple]]:
            groups: dict[Period, list[tuple]] = {}
            for item in items:
                p = cache.get(item[0])
                if p is None:
                    p = cache[item[0]] = period_of(fromordinal(item[0]), start)
                g = groups.get(p)
                if g is None:
                    groups[p] = [item]
                else:
                    g.append(item)
            return groups

        names: dict[str, str] = {}
        dept_name = self.settings.department_name

        def dept(name: str) -> str:
            d = names.get(name)
            if d is None:
                d = names[name] = dept_name(name)
            return d

        for p, items in by_period(inquiries).items():
            c = self.periods.get(p)
            if c is None:
                c = self.periods[p] = PeriodCounts()
            c.kinds.update(map(itemgetter(1), items))
            counted = [it[2] for it in items if it[1] != "complaint-help"]
            c.inquiries += len(counted)
            c.main.update([dept(points[0][0]) for points in counted])
            c.follow_up.update([dept(q[0]) for points in counted for q in points[1:]])
            c.cells.update([(q[1], q[2], dept(q[0])) for points in counted for q in points])
        for p, items in by_period(appeals).items():
            c = self.periods.get(p)
            if c is None:
                c = self.periods[p] = PeriodCounts()
            c.appeals.update([(dept(it[1]), it[2]) for it in items])
            c.remarks.update([(dept(it[1]), r) for it in items for r in it[3]])

    def remove(self, record: Inquiry | Appeal) -> None:
        self.add(record, -1)

    def replace(self, old: Inquiry | Appeal | None, new: Inquiry | Appeal | None) -> None:
        if old is not None:
            self.remove(old)
        if new is not None:
            self.add(new)

    def active_periods(self) -> list[Period]:
        """Periods that hold at least one record, oldest first."""
        return sorted(p for p, c in self.periods.items() if not c.is_empty())

    def default_period(self, today) -> Period:
        """The period of today, or, when it has no records, the latest one that has."""
        current = period_of(today, self.settings.period_start)
        if not self.counts(current).is_empty():
            return current
        active = [p for p in self.active_periods() if p <= current] or self.active_periods()
        return active[-1] if active else current


# ---------------------------------------------------------------------------
# Tables


def _order(known: Iterable[str], seen: Iterable[str]) -> list[str]:
    known = list(known)
    extra = sorted({s for s in seen if s not in known})
    return known + extra


@dataclass
class Headline:
    inquiries: int
    points: int
    complaint: int
    inquiry: int
    complaint_help: int

    def share(self, n: int) -> float:
        total = self.complaint + self.inquiry
        return 100.0 * n / total if total else 0.0


@dataclass
class DepartmentRow:
    name: str
    main: int
    follow_up: int

    @property
    def total(self) -> int:
        return self.main + self.follow_up


@dataclass
class ThemeRow:
    theme: str
    subtheme: str | None
    by_department: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_department.values())

    @property
    def is_theme(self) -> bool:
        return self.subtheme is None


@dataclass
class AppealRow:
    name: str
    no_remarks: int
    remarks: int
    rejected: int

    @property
    def total(self) -> int:
        return self.no_remarks + self.remarks + self.rejected


@dataclass
class RemarkRow:
    name: str
    by_department: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_department.values())


def headline(c: PeriodCounts) -> Headline:
    return Headline(
        inquiries=c.inquiries,
        points=sum(c.main.values()) + sum(c.follow_up.values()),
        complaint=c.kinds["complaint"],
        inquiry=c.kinds["inquiry"],
        complaint_help=c.kinds["complaint-help"],
    )


def departments_of(settings: Settings, *counts: PeriodCounts) -> list[str]:
    """Taxonomy departments, then unknown names that have counts in any of ``counts``."""
    seen: set[str] = set()
    for c in counts:
        seen |= {d for d, n in (c.main + c.follow_up).items() if n}
        seen |= {k[2] for k, n in c.cells.items() if n}
        seen |= {k[0] for k, n in c.appeals.items() if n}
        seen |= {k[0] for k, n in c.remarks.items() if n}
    return _order(settings.department_names, seen)


def table1(settings: Settings, c: PeriodCounts, departments: list[str] | None = None):
    """Tabel 1: points per department (main, follow-up, total); no ``I alt`` row."""
    depts = departments or departments_of(settings, c)
    return [DepartmentRow(d, c.main[d], c.follow_up[d]) for d in depts]


NO_SUBTHEME = "(uden undertema)"  # the row of points whose theme wants a subtheme they lack


def table2(settings: Settings, c: PeriodCounts, departments: list[str] | None = None):
    """Tabel 2: a row per theme followed by its subthemes; a theme row sums its subthemes.

    A point without a subtheme under a theme that has subthemes (an error in
    its file, still counted) gets a row of its own, ``NO_SUBTHEME``, so that
    the theme row stays the sum of the rows below it.
    """
    depts = departments or departments_of(settings, c)
    by_theme: dict[str, dict[tuple[str | None, str], int]] = {}
    for (theme, sub, dept), n in c.cells.items():
        if n:
            by_theme.setdefault(theme, {})[(sub, dept)] = n
    rows: list[ThemeRow] = []
    for theme in _order((t.name for t in settings.themes), by_theme):
        cells = by_theme.get(theme, {})
        t = settings.theme(theme)
        subs = _order(t.subthemes if t else (), {s for s, _ in cells if s is not None})
        theme_row = ThemeRow(theme, None, {d: 0 for d in depts})
        for (_s, d), n in cells.items():
            theme_row.by_department[d] = theme_row.by_department.get(d, 0) + n
        rows.append(theme_row)
        rows.extend(ThemeRow(theme, s, {d: cells.get((s, d), 0) for d in depts}) for s in subs)
        if subs and any(s is None for s, _ in cells):
            rows.append(ThemeRow(theme, NO_SUBTHEME, {d: cells.get((None, d), 0) for d in depts}))
    return rows


def table3(settings: Settings, c: PeriodCounts, departments: list[str] | None = None):
    """Tabel 3: appeal decisions per department by outcome."""
    depts = departments or departments_of(settings, c)
    return [
        AppealRow(d, c.appeals[(d, "no-remarks")], c.appeals[(d, "remarks")],
                  c.appeals[(d, "rejected")])
        for d in depts
    ]


def table4(settings: Settings, c: PeriodCounts, departments: list[str] | None = None):
    """Tabel 4: remark themes per department (a decision may carry several)."""
    depts = departments or departments_of(settings, c)
    seen = {r for (_d, r), n in c.remarks.items() if n}
    return [
        RemarkRow(r, {d: c.remarks[(d, r)] for d in depts})
        for r in _order(settings.remark_themes, seen)
    ]


@dataclass
class AppealSummary:
    decisions: int
    decided: int  # decisions less the rejected ones
    with_remarks: int


def appeal_summary(c: PeriodCounts) -> AppealSummary:
    total = sum(c.appeals.values())
    rejected = sum(n for (_d, o), n in c.appeals.items() if o == "rejected")
    remarks = sum(n for (_d, o), n in c.appeals.items() if o == "remarks")
    return AppealSummary(total, total - rejected, remarks)


@dataclass
class Report:
    """All tables of one period, with the previous period beside them."""

    settings: Settings
    period: Period
    previous: Period
    departments: list[str]
    headline: Headline
    table1: list[DepartmentRow]
    table2: list[ThemeRow]
    table3: list[AppealRow]
    table4: list[RemarkRow]
    appeals: AppealSummary
    prev_headline: Headline
    prev_table1: list[DepartmentRow]
    prev_table2: list[ThemeRow]
    prev_table3: list[AppealRow]
    prev_table4: list[RemarkRow]
    prev_appeals: AppealSummary
    warnings: list[str] = field(default_factory=list)


def build_report(tally: Tally, period: Period, warnings: list[str] | None = None) -> Report:
    s = tally.settings
    cur, prev = tally.counts(period), tally.counts(period.previous())
    depts = departments_of(s, cur, prev)
    return Report(
        settings=s,
        period=period,
        previous=period.previous(),
        departments=depts,
        headline=headline(cur),
        table1=table1(s, cur, depts),
        table2=table2(s, cur, depts),
        table3=table3(s, cur, depts),
        table4=table4(s, cur, depts),
        appeals=appeal_summary(cur),
        prev_headline=headline(prev),
        prev_table1=table1(s, prev, depts),
        prev_table2=table2(s, prev, depts),
        prev_table3=table3(s, prev, depts),
        prev_table4=table4(s, prev, depts),
        prev_appeals=appeal_summary(prev),
        warnings=list(warnings or []),
    )


def across_periods(tally: Tally, period: Period, n: int = 3):
    """Figur 2: points per department for the last ``n`` periods up to ``period``.

    Returns ``(periods oldest first, [(department, [total per period])])``.
    """
    periods = [period]
    while len(periods) < n:
        periods.insert(0, periods[0].previous())
    counts = [tally.counts(p) for p in periods]
    depts = departments_of(tally.settings, *counts)
    rows = [(d, [c.main[d] + c.follow_up[d] for c in counts]) for d in depts]
    return periods, rows


def to_json(report: Report) -> dict[str, Any]:
    """The JSON contract of REPORT.md."""
    h = report.headline
    depts = report.departments
    return {
        "period": {
            "label": report.period.label,
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
        },
        "inquiries": h.inquiries,
        "points": h.points,
        "kinds": {"complaint": h.complaint, "inquiry": h.inquiry,
                  "complaint-help": h.complaint_help},
        "departments": [
            {"name": r.name, "main": r.main, "follow_up": r.follow_up, "total": r.total}
            for r in report.table1
        ],
        "themes": [
            {"theme": r.theme, "subtheme": r.subtheme,
             "by_department": {d: r.by_department[d] for d in depts}, "total": r.total}
            for r in report.table2
        ],
        "appeals": {
            "decisions": report.appeals.decisions,
            "decided": report.appeals.decided,
            "with_remarks": report.appeals.with_remarks,
            "by_department": [
                {"name": r.name, "no_remarks": r.no_remarks, "remarks": r.remarks,
                 "rejected": r.rejected, "total": r.total}
                for r in report.table3
            ],
            "remarks": [
                {"name": r.name, "by_department": {d: r.by_department[d] for d in depts},
                 "total": r.total}
                for r in report.table4
            ],
        },
        "warnings": list(report.warnings),
    }
