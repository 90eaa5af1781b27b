"""The data of Figur 1-4: what each chart draws, taken from the tables it belongs to.

Figur 1, 3 and 4 are read off the table models of ``tui.tables`` (Tabel 1 and
2), so a chart shows exactly the rows and numbers of its table; Figur 2 is
``store.summary.across_periods``. The charts (``charts.py``) only draw these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import tables as tm
from ..i18n import t


@dataclass(frozen=True)
class Series:
    """One bar per label: a period's values."""

    label: str  # the period, e.g. "2024/25"
    values: tuple[float, ...]
    current: bool = True  # the report's period (drawn dark) or an earlier one


@dataclass(frozen=True)
class Figure:
    key: str  # "f1" .. "f4"
    title: str
    labels: tuple[str, ...]  # one bar group per label, top to bottom
    series: tuple[Series, ...]  # oldest period first
    unit: str = "count"  # "count" | "share" (per cent)
    empty: str = field(default="")  # said instead of bars when there are none

    def text(self, value: float) -> str:
        """A value as written beside its bar: ``29,6 %`` or ``60``."""
        return tm.percent(value) if self.unit == "share" else str(round(value))


def _data_rows(model: tm.TableModel) -> list[tm.Row]:
    return [r for r in model.rows if r.style not in ("total", "previous")]


def figure1(t1: tm.TableModel, period: str) -> Figure:
    """Figur 1: each department's share of all points, the rows of Tabel 1."""
    rows = _data_rows(t1)
    share_col = 4  # Afdeling, Hovedsag, Følgesager, Sager i alt, Andel, previous
    values = []
    for r in rows:
        cell = r.cells[share_col]
        assert isinstance(cell, tm.Share)
        values.append(cell.value)
    return Figure("f1", t("report.f1"), tuple(str(r.cells[0]) for r in rows),
                  (Series(period, tuple(values)),), "share", t("document.no_bars"))


def figure2(periods, rows, known: tuple[str, ...]) -> Figure:
    """Figur 2: points per department in each of the periods of ``across_periods``.

    Departments outside the taxonomy without points in any of them are left
    out, as on the summary screen.
    """
    shown = [(d, v) for d, v in rows if any(v) or d in known]
    last = len(periods) - 1
    series = tuple(Series(p.label, tuple(v[i] for _, v in shown), i == last)
                   for i, p in enumerate(periods))
    return Figure("f2", t("report.f2"), tuple(d for d, _ in shown), series, "count",
                  t("document.no_bars"))


def _theme_series(rows: list[tm.Row], period: str, previous: str):
    # Tabel 2's columns: Emne, departments..., I alt, previous period
    return (Series(previous, tuple(float(r.cells[-1]) for r in rows), False),
            Series(period, tuple(float(r.cells[-2]) for r in rows), True))


def figure3(t2: tm.TableModel, period: str, previous: str) -> Figure:
    """Figur 3: the theme rows of Tabel 2, this period and the one before."""
    rows = [r for r in t2.rows if r.style == "theme"]
    return Figure("f3", t("report.f3"), tuple(str(r.cells[0]) for r in rows),
                  _theme_series(rows, period, previous), "count", t("document.no_bars"))


def figure4(t2: tm.TableModel, theme: str, period: str, previous: str) -> Figure:
    """Figur 4: the subtheme rows of Tabel 2 under ``theme``, this period and the one before."""
    rows: list[tm.Row] = []
    current = None
    for r in t2.rows:
        if r.style == "theme":
            current = r.cells[0]
        elif r.style == "sub" and current == theme:
            rows.append(r)
    return Figure("f4", t("report.f4", theme=theme), tuple(str(r.cells[0]).strip() for r in rows),
                  _theme_series(rows, period, previous), "count", t("document.no_bars"))
