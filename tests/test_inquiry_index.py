"""The list's index of inquiries: search texts made in chunks, in one pass."""

from __future__ import annotations

from gitutil import inquiry

from store.domain.taxonomy import default_settings
from tui.inquiry_index import InquiryIndex


def test_missing_texts_hands_out_each_record_once_in_one_pass():
    records = [inquiry(f"2024-04-{d:02d}-k7q{c}") for d in range(1, 29) for c in "23"]
    index = InquiryIndex(default_settings(), records)
    index.texts.put(records[0].id, b"made by a filter meanwhile")
    seen = []
    while chunk := index.missing_texts(limit=5):
        assert len(chunk) <= 5
        seen += [r.id for r in chunk]
        index.set_texts((r, index.text(r)) for r in chunk)
    assert seen == [r.id for r in records[1:]]
    assert set(index.texts.entry) == {r.id for r in records}


def test_a_search_text_holds_each_part_once_and_still_finds_every_field():
    from store.domain.records import Point

    s = default_settings()
    dept = s.departments[0]
    r = inquiry("2024-04-03-k7q2", main=Point(dept.name, "Forvaltningsskik"),
                follow_up=(Point(dept.name, "Forvaltningsskik"),), title="Borgerens titel")
    index = InquiryIndex(s, [r])
    text = index.text(r, notes="Noter om sagen – Ærø\nanden linje",
                      citizen=("Anna", "12345678", ""))
    parts = text.split(b"\n")
    assert len(parts) == len(set(parts))
    for term in ("borgerens", "anna", "1234", dept.name.casefold().split()[0],
                 dept.short.casefold(), "forvaltningsskik", "2024-04-03"):
        assert term.encode() in text
    assert text.endswith("noter om sagen – ærø\nanden linje".encode())  # UTF-8, notes last
    from tui.inquiry_index import Query

    index.set_texts([(r, text)])
    for word in ("ærø", "–", "sagen", "linje", "n\u00e6", "ÆRØ"):  # the last two: none, and found
        found = [x.id for x in index.view(Query(text=word))]
        assert found == ([] if word == "n\u00e6" else [r.id]), word


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
    assert {r.id for r in index.missing_texts(100)} == set(index.records) - set(index.texts.entry)


def test_the_notes_are_looked_in_a_part_at_a_time_and_give_what_one_look_gives(monkeypatch):
    import dataclasses

    from tui import inquiry_index
    from tui.inquiry_index import Query

    monkeypatch.setattr(inquiry_index, "SEARCH_CHUNK", 3)
    s = default_settings()
    records = [inquiry(f"2024-05-{d:02d}-k7q{c}", title=f"Titel {d}",
                       notes=("varmeregning" if d % 4 == 0 else "andet") + f" sag{c}")
               for d in range(1, 29) for c in "23"]
    records[5] = dataclasses.replace(records[5], title="varmeregning i titlen", notes="")
    index, whole = InquiryIndex(s, records), InquiryIndex(s, records)
    for text in ("varmeregning", "varme sag3", "titel sag2", "k7q2 andet", "intet"):
        want = [r.id for r in whole.view(Query(text=text))]
        rows = index.view(Query(text=text), budget=0)  # the search texts now, notes later
        looks = 0
        while index.searching:
            assert set(r.id for r in rows) <= set(want)
            assert set(r.id for r in index.found_so_far()) <= set(want)
            rows = index.more(budget=0)
            looks += 1
        assert [r.id for r in rows] == want and index.more() is None, text
        assert looks > 1 or text == "intet"
        # Enough rows to fill a screen: the first ones of the answer, all of them
        # (a fresh index each time: not narrowed from the rows the last view found).
        for enough in (1, 4, 10):
            index = InquiryIndex(s, records)
            first = [r.id for r in index.view(Query(text=text), enough=enough)]
            assert first == want[:len(first)] and len(first) >= min(enough, len(want)), text
            assert index.searching or first == want  # (stopped early: it goes on)
            final = first
            while index.searching:
                final = [r.id for r in index.more(budget=0)]
            assert final == want, text
    assert [r.id for r in whole.view(Query(text="varmeregning"))][:2] == \
        [records[-1].id, records[-2].id]  # newest first, in the notes
    assert records[5].id in [r.id for r in whole.view(Query(text="varmeregning"))]
    # A change while the notes are being looked in: the look is stale, view again.
    index.view(Query(text="varmeregning"), budget=0)
    assert index.searching
    index.put(dataclasses.replace(records[0], title="Ny titel"))
    assert not index.searching and index.more() is None
