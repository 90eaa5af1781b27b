"""The list's index of inquiries: search texts made in chunks, in one pass."""

from __future__ import annotations

from gitutil import inquiry

from store.domain.taxonomy import default_settings
from tui.inquiry_index import InquiryIndex


def test_missing_texts_hands_out_each_record_once_in_one_pass():
    records = [inquiry(f"2024-04-{d:02d}-k7q{c}") for d in range(1, 29) for c in "23"]
    index = InquiryIndex(default_settings(), records)
    index.search[records[0].id] = "made by a filter meanwhile"
    seen = []
    while chunk := index.missing_texts(limit=5):
        assert len(chunk) <= 5
        seen += [r.id for r in chunk]
        index.set_texts((r, index.text(r)) for r in chunk)
    assert seen == [r.id for r in records[1:]]
    assert set(index.search) == {r.id for r in records}


def test_a_search_text_holds_each_part_once_and_still_finds_every_field():
    from store.domain.records import Point

    s = default_settings()
    dept = s.departments[0]
    r = inquiry("2024-04-03-k7q2", main=Point(dept.name, "Forvaltningsskik"),
                follow_up=(Point(dept.name, "Forvaltningsskik"),), title="Borgerens titel")
    index = InquiryIndex(s, [r])
    text = index.text(r, notes="Noter om sagen\nanden linje", citizen=("Anna", "12345678", ""))
    parts = text.split("\n")
    assert len(parts) == len(set(parts))
    for term in ("borgerens", "noter", "linje", "anna", "1234", dept.name.casefold().split()[0],
                 dept.short.casefold(), "forvaltningsskik", "2024-04-03"):
        assert term in text


def test_limit_arenas_takes_on_glibc():
    import platform

    from tui.memory import limit_arenas

    assert limit_arenas() is (platform.libc_ver()[0] == "glibc")


def test_records_added_later_leave_their_periods_views_right_and_others_as_they_were():
    from store.domain.periods import period_of
    from tui.inquiry_index import Query

    s = default_settings()
    now = [inquiry(f"2024-0{m}-0{d}-k7q{d}") for m in (5, 6) for d in range(1, 5)]
    later = [inquiry(f"2023-0{m}-0{d}-a1b{d}") for m in (5, 6) for d in range(1, 5)]
    period = period_of(now[0].received, s.period_start)
    assert all(r.received in period for r in now) and not any(r.received in period for r in later)
    index = InquiryIndex(s, now)
    this = Query(period=period)
    rows = index.view(this)
    before = index.count(period)
    index.add_many(later + now[:2])  # (ones it has are left as they are)
    assert index.view(this) is rows and index.count(period) == before  # kept, not made again
    full = InquiryIndex(s, now + later)
    for q in (Query(), Query(period=period_of(later[0].received, s.period_start)),
              Query(period=None, text="a1b"), Query(sort="title", reverse=False)):
        assert [r.id for r in index.view(q)] == [r.id for r in full.view(q)]
    assert index.count(None) == full.count(None) and len(index) == len(full)
    assert {r.id for r in index.missing_texts(100)} == set(index.records) - set(index.search)
