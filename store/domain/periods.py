"""Reporting periods: 2024/25 = 2024-04-01 .. 2025-03-31, or calendar years."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    # The configured month-day: a 29 February start begins on 28 February in
    # common years, so start alone does not tell the next or previous period.
    month_day: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day) == (1, 1):
            return str(self.start.year)
        return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def previous(self) -> Period:
        return period_starting(self.start.year - 1, self.month_day or (self.start.month, self.start.day))

    def next(self) -> Period:
        return period_starting(self.start.year + 1, self.month_day or (self.start.month, self.start.day))

    def __str__(self) -> str:
        return self.label


def _start_date(year: int, start: tuple[int, int]) -> date:
    month, day = start
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, day - 1)


def period_starting(year: int, start: tuple[int, int]) -> Period:
    begin = _start_date(year, start)
    end = _start_date(year + 1, start) - timedelta(days=1)
    return Period(begin, end, start)


def period_of(d: date, start: tuple[int, int]) -> Period:
    """The period that holds the date ``d``."""
    year = d.year if d >= _start_date(d.year, start) else d.year - 1  # 29 Feb is 28 Feb in common years
    return period_starting(year, start)


_LABEL = re.compile(r"^\s*(\d{4})\s*(?:[/\-–]\s*(\d{2}|\d{4}))?\s*$")


def parse_period(text: str, start: tuple[int, int]) -> Period:
    """A period from what a person types: ``2024/25``, ``2024/2025``, ``2024-25``, ``2024``.

    Raises ValueError with a plain message.
    """
    m = _LABEL.match(text)
    if not m:
        raise ValueError(f"'{text}' is not a period; write it as 2024/25 or 2024")
    year = int(m.group(1))
    second = m.group(2)
    if second is not None:
        follow = int(second) if len(second) == 4 else (year + 1) // 100 * 100 + int(second)
        if follow != year + 1:
            raise ValueError(f"'{text}' is not a period: the second year must follow the first")
        if start == (1, 1):
            raise ValueError(f"'{text}': periods are calendar years here; write {year}")
    return period_starting(year, start)
