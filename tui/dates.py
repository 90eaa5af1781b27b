"""Dates as an advisor types them: ``i dag``, ``3/4``, ``3.4.24``, ``03-04-2024``, ``2024-04-03``.

Day before month, as in Danish. A date without a year gets the latest year
that does not put it in the future (typing ``28/12`` on 2 January means last
December). Raises ValueError when the text is not a date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

TODAY_WORDS = {"i dag", "idag", "today", "nu", "now"}
YESTERDAY_WORDS = {"i går", "igår", "i gaar", "yesterday"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[./\-]\s*(\d{1,2})(?:\s*[./\-]\s*(\d{2}|\d{4}))?\.?$")


def parse_date(text: str, today: date) -> date:
    s = " ".join(text.strip().lower().split())
    if not s:
        raise ValueError("empty")
    if s in TODAY_WORDS:
        return today
    if s in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    m = _ISO.match(s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(s)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if year is not None:
        y = int(year)
        if len(year) == 2:
            y += 2000
        return date(y, month, day)
    for y in (today.year, today.year - 1):
        try:
            d = date(y, month, day)
        except ValueError:  # 29/2 in a common year: try the year before
            continue
        if d <= today:
            return d
    # 29/2 with no leap year within reach
    y = today.year - 1
    while True:
        y -= 1
        try:
            return date(y, month, day)
        except ValueError:
            if y < today.year - 8:
                raise


def format_date(d: date | None) -> str:
    """How the form shows a date: ISO, which every reader understands."""
    return d.isoformat() if d else ""
