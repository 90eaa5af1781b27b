"""Reporting periods: 1 April to 31 March, calendar years, any month-day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.domain.periods import Period, parse_period, period_of, period_starting

APRIL = (4, 1)
JANUARY = (1, 1)


def test_last_and_first_day_of_a_period():
    p = period_of(date(2025, 3, 31), APRIL)
    assert (p.label, p.start, p.end) == ("2024/25", date(2024, 4, 1), date(2025, 3, 31))
    q = period_of(date(2025, 4, 1), APRIL)
    assert (q.label, q.start, q.end) == ("2025/26", date(2025, 4, 1), date(2026, 3, 31))
    assert p.next() == q and q.previous() == p
    assert date(2025, 3, 31) in p and date(2025, 4, 1) not in p
    assert "2025-03-31" not in p


def test_calendar_years():
    p = period_of(date(2024, 12, 31), JANUARY)
    assert (p.label, p.start, p.end) == ("2024", date(2024, 1, 1), date(2024, 12, 31))
    assert period_of(date(2025, 1, 1), JANUARY).label == "2025"
    assert str(p) == "2024"


def test_century_label():
    assert period_starting(2099, APRIL).label == "2099/00"
    assert parse_period("2099/00", APRIL) == period_starting(2099, APRIL)
    assert parse_period("2099/2100", APRIL) == period_starting(2099, APRIL)


@pytest.mark.parametrize("text", ["2024/25", "2024/2025", "2024-25", "2024", " 2024 / 25 ", "2024–25"])
def test_parse_period_accepts(text):
    assert parse_period(text, APRIL) == Period(date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize("text", ["2024/26", "2024/2026", "abc", "", "24/25", "2024/", "2024/25/26"])
def test_parse_period_rejects(text):
    with pytest.raises(ValueError):
        parse_period(text, APRIL)


def test_parse_calendar_year():
    assert parse_period("2024", JANUARY) == Period(date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(ValueError):
        parse_period("2024/25", JANUARY)


def test_29_february_start():
    leap = (2, 29)
    p = period_of(date(2024, 2, 29), leap)
    assert (p.start, p.end) == (date(2024, 2, 29), date(2025, 2, 27))
    q = period_of(date(2025, 2, 28), leap)  # a common year: the period starts on 28 February
    assert (q.start, q.end) == (date(2025, 2, 28), date(2026, 2, 27))
    assert date(2025, 2, 28) in q
    assert period_of(date(2025, 2, 27), leap) == p
    assert p.next() == q and q.previous() == p
    assert period_of(date(2028, 2, 29), leap).start == date(2028, 2, 29)
    assert period_of(date(2028, 2, 28), leap).start == date(2027, 2, 28)


month_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)).map(
    lambda d: (d.month, d.day)
)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9000, 1, 1)), month_days)
def test_every_day_is_in_the_period_of_it_and_periods_tile(d, start):
    p = period_of(d, start)
    assert d in p
    assert p.start <= d <= p.end
    assert p.next().start == p.end + timedelta(days=1)
    assert p.previous().end == p.start - timedelta(days=1)
    assert period_of(p.start, start) == p and period_of(p.end, start) == p
    assert 365 <= (p.end - p.start).days + 1 <= 366
    assert parse_period(p.label, start) == p
