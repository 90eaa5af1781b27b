"""CPR numbers: found where they look real, warned about by check, never repeated."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.domain.cpr import birth_year, cpr_fields, find_cpr, has_cpr, redact
from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.format import codec
from tui.cli import main
from tui.i18n import catalogue

# ---------------------------------------------------------------------------
# find_cpr


@pytest.mark.parametrize("text", [
    "010190-1234", "0101901234", "010190 1234", "010190\u20131234", "010190\u00a01234",
    "311299-0001", "290200-4234",  # 2000 is a leap year (serial 4, year 00 -> 2000)
    "290256-5234",  # 2056
    "010101-9999",
])
def test_a_plausible_number_is_found_whole(text):
    assert find_cpr(text) == [(0, len(text))]
    assert has_cpr(text)


@pytest.mark.parametrize("text", [
    "12345678",  # a phone number
    "+45 12 34 56 78", "tlf. 20 30 40 50", "tlf 20304050",
    "320190-1234",  # no 32nd
    "000190-1234",  # no day 0
    "011390-1234",  # no 13th month
    "010090-1234",  # no month 0
    "290201-1234",  # 1901 is no leap year
    "290200-1234",  # serial 0-3: 1900, no leap year
    "290258-5234",  # serial 5-8 and year 58-99: 1858, no leap year
    "12010190-1234", "010190-12345", "0101901234567", "123456789012",  # inside longer runs
    "01019012345", "9010190123",
    "9999999999", "2024-04-03", "03.04.2024", "010190-123", "01019-1234",
    "0101 90 1234", "010190--1234", "",
])
def test_what_is_not_a_cpr_number(text):
    assert find_cpr(text) == []
    assert not has_cpr(text)


def test_spans_within_text_and_several():
    text = "Borgeren (cpr 010190-1234) ringede om sin søn, 0202152345. Tlf 12345678."
    spans = find_cpr(text)
    assert [text[a:b] for a, b in spans] == ["010190-1234", "0202152345"]
    assert redact(text) == "Borgeren (cpr XXXXXX-XXXX) ringede om sin søn, XXXXXX-XXXX. Tlf 12345678."


def test_letters_around_do_not_hide_it():
    assert find_cpr("x010190-1234y") == [(1, 12)]
    assert find_cpr("nr.0101901234.") == [(3, 13)]


@pytest.mark.parametrize(("yy", "first", "year"), [
    (90, 0, 1990), (10, 3, 1910), (36, 4, 2036), (37, 4, 1937), (0, 9, 2000), (99, 9, 1999),
    (57, 5, 2057), (58, 5, 1858), (99, 8, 1899), (0, 6, 2000),
])
def test_century_from_the_serial(yy, first, year):
    assert birth_year(yy, first) == year


def _century_digits(year: int) -> list[int]:
    """The serial first digits that put a 2-digit year in ``year``."""
    return [d for d in range(10) if birth_year(year % 100, d) == year]


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)),
    rest=st.integers(0, 999),
    sep=st.sampled_from(["-", "", " "]),
    before=st.text(alphabet="abc æøå.,:()\n", max_size=8),
    after=st.text(alphabet="abc æøå.,:()\n", max_size=8),
    pick=st.integers(0, 9),
)
def test_every_real_number_is_found(day, rest, sep, before, after, pick):
    firsts = _century_digits(day.year)
    if not firsts:
        return
    first = firsts[pick % len(firsts)]
    number = f"{day:%d%m}{day.year % 100:02d}{sep}{first}{rest:03d}"
    text = before + number + after
    assert [text[a:b] for a, b in find_cpr(text)] == [number]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=20))
def test_long_digit_runs_are_never_cpr(digits):
    assert find_cpr(digits) == []
    assert find_cpr(f"tlf {digits[:8]} ") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_are_ten_or_eleven_characters(text):
    for a, b in find_cpr(text):
        assert b - a in (10, 11)
        assert text[a:b][:6].isdigit()


def test_an_impossible_date_in_a_10_digit_run():
    d = date(1990, 1, 31) + timedelta(days=1)  # 1 February
    assert has_cpr(f"{d:%d%m%y}1234")
    assert not has_cpr("3102901234")  # 31 February


# ---------------------------------------------------------------------------
# Records and check


def test_cpr_fields_name_every_text_field():
    r = Inquiry(
        "2024-04-03-k7q2", date(2024, 4, 3), "complaint", "open",
        Point("Børn & Familie", "Andet", "x", extra={"note": "0101901234"}),
        title="om 010190-1234", notes="ingen", channel="Telefon",
        follow_up=(Point("A", "B"), Point("A", "B", extra={"x": ["010190 1234"]})),
        citizen=Citizen(name="N", phone="010190-1234", email="e", extra={"cpr": "0101901234"}),
        extra={"hand": "010190-1234", "nested": {"deep": ["ok", "010190-1234"]}, "n": 5},
    )
    assert [where for where, _, _ in cpr_fields(r)] == [
        "title", "main.note", "follow_up[2].x", "citizen.phone", "citizen.cpr", "hand", "nested"]
    a = Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie",
               "remarks", ("010190-1234",), notes="0101901234")
    assert [where for where, _, _ in cpr_fields(a)] == ["notes", "remarks"]


CPR_FILE = '''id = "2024-04-03-k7q2"
received = 2024-04-03
kind = "complaint"
status = "open"
channel = "Telefon"
title = "Borger 010190-1234"
notes = """
Ringede igen.
Hendes søn har cpr 0202152345.
"""
hand_added = "0303801111"
phone_ok = "12345678"

[main]
department = "Børn & Familie"
theme = "Andet"
subtheme = "Privatretlige spørgsmål"

[citizen]
name = "Anna"
phone = "010190 1234"
email = ""
'''


def _put(folder, rel: str, text: str) -> None:
    p = folder.root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    os.chmod(p, 0o600)


def test_read_file_warns_per_field_with_its_line(folder):
    rel = "inquiries/2024/04/2024-04-03-k7q2.toml"
    _put(folder, rel, CPR_FILE)
    result = folder.load()
    assert "2024-04-03-k7q2" in result.inquiries  # a warning, the record still counts
    cpr = [(p.params["where"], p.line, p.severity) for p in result.problems if p.code == "cpr"]
    assert cpr == [("title", 6, "warning"), ("notes", 7, "warning"), ("hand_added", 11, "warning"),
                   ("citizen.phone", 21, "warning")]
    assert [p.code for p in result.problems if p.code != "cpr"] == []


def test_appeal_notes_are_checked(folder):
    rel = "appeals/2024/05/2024-05-10-x9p1.toml"
    _put(folder, rel, 'id = "2024-05-10-x9p1"\nreceived = 2024-05-10\nboard = "Ankestyrelsen"\n'
         'department = "Børn & Familie"\noutcome = "no-remarks"\nresult = ""\n'
         'notes = "Sag om 010190-1234"\n')
    result = folder.load()
    assert [(p.code, p.params["where"], p.line) for p in result.problems] == [("cpr", "notes", 7)]


def test_no_warning_without_a_number(folder):
    rel = "inquiries/2024/04/2024-04-03-k7q2.toml"
    text = CPR_FILE.replace("010190-1234", "tlf 12345678").replace("0202152345", "x")
    text = text.replace("0303801111", "x").replace("010190 1234", "20 30 40 50")
    _put(folder, rel, text)
    assert folder.load().problems == []


@pytest.mark.parametrize("lang", ["da", "en"])
def test_check_says_which_field_and_never_the_number(folder, capsys, lang):
    _put(folder, "inquiries/2024/04/2024-04-03-k7q2.toml", CPR_FILE)
    assert main(["check", str(folder.root), "--lang", lang]) == 0  # warnings only
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 4
    word = "CPR-nummer" if lang == "da" else "CPR number"
    assert all(word in line and "warning" in line for line in lines)
    phone = "borgerens telefon" if lang == "da" else "the citizen's phone"
    assert any(phone in line for line in lines)  # the field, in words
    for secret in ("010190", "1234", "0202152345", "0303801111", "Anna", "Ringede"):
        assert secret not in out + err
    assert main(["check", str(folder.root), "--strict"]) == 1


def test_a_saved_record_round_trips_and_still_warns(folder):
    r = Inquiry("2024-04-03-k7q2", date(2024, 4, 3), "complaint", "open",
                Point("Børn & Familie", "Andet", "Privatretlige spørgsmål"), notes="0101901234")
    folder.save(r)
    raw = folder.path_of(r).read_bytes()
    back, _ = codec.read_inquiry(raw, "x.toml")
    assert back == r
    assert [p.params["where"] for p in folder.load().problems if p.code == "cpr"] == ["notes"]


def test_the_form_warning_is_in_both_languages():
    assert catalogue("da")["privacy.cpr_warning"] == "Ser ud som et CPR-nummer"
    assert catalogue("en")["privacy.cpr_warning"]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789-\u2010\u2013\u2212 \u00a0\u202fxæ\\u\n", max_size=40))
def test_has_cpr_with_its_quick_look_is_find_cpr(text):
    from store.domain.cpr import find_cpr, has_cpr

    assert has_cpr(text) == bool(find_cpr(text))
