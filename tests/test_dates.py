"""The date parser of the inquiry form."""

from datetime import date

import pytest

from tui.dates import parse_date

TODAY = date(2025, 1, 15)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("i dag", TODAY),
        ("I DAG", TODAY),
        ("idag", TODAY),
        ("today", TODAY),
        ("i går", date(2025, 1, 14)),
        ("3/4", date(2024, 4, 3)),  # 3 April 2025 would be in the future
        ("15/1", TODAY),
        ("14.1", date(2025, 1, 14)),
        ("03-04-2024", date(2024, 4, 3)),
        ("3.4.24", date(2024, 4, 3)),
        ("3/4/2023", date(2023, 4, 3)),
        ("2024-04-03", date(2024, 4, 3)),
        ("2024-4-3", date(2024, 4, 3)),
        ("  3 / 4 ", date(2024, 4, 3)),
        ("29/2", date(2024, 2, 29)),
    ],
)
def test_parse(text, expected):
    assert parse_date(text, TODAY) == expected


def test_leap_day_in_a_common_year_goes_back_to_the_last_leap_year():
    assert parse_date("29/2", date(2026, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["", "abc", "32/1", "3/13", "2024-02-30", "1/2/3/4", "3//4", "12345"])
def test_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date(text, TODAY)
