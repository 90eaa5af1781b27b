"""The list's search texts in a temporary file: what a scan or a read finds is what
the texts hold, in the file and in memory alike; the file has no name and is private."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

from tui import search_texts
from tui.search_texts import Texts

IDS = [f"2024-05-{d:02d}-k7q{c}" for d in range(1, 6) for c in "23"]
# Short texts from few letters (words are found often, across many entries),
# with the separators a text may hold too.
TEXT = st.text(alphabet="abæ\n\0 ", max_size=12).map(lambda s: s.encode())
OPS = st.lists(st.one_of(
    st.tuples(st.just("put"), st.lists(st.tuples(st.sampled_from(IDS), TEXT), max_size=4)),
    st.tuples(st.just("pop"), st.sampled_from(IDS)),
    st.tuples(st.just("scan"), st.text(alphabet="abæ", min_size=1, max_size=3)),
), max_size=25)


def _live(texts: Texts, found: bytearray) -> set[str]:
    return {rid for rid, e in texts.entry.items() if found[e]}


@settings(max_examples=200, deadline=None)
@given(ops=OPS, in_file=st.booleans(), part=st.sampled_from([1, 7, 64, 1 << 20]))
def test_a_scan_and_a_read_find_what_the_texts_hold(ops, in_file, part):
    folder = tempfile.mkdtemp() if in_file else None
    old = search_texts.SCAN_PART
    search_texts.SCAN_PART = part  # (parts of one entry and of many)
    try:
        texts, want = Texts(folder), {}
        for op, arg in ops:
            if op == "put":
                texts.put_many(arg)
                for rid, data in arg:
                    if data:
                        want[rid] = data
                    else:
                        want.pop(rid, None)
            elif op == "pop":
                texts.pop(arg)
                want.pop(arg, None)
            else:
                word = arg.encode()
                holding = {rid for rid, data in want.items() if word in data}
                # a step at a time (a deadline already past), then all at once
                found = None
                for _ in range(10_000):
                    found = texts.scan(word, deadline=0.0)
                    if found is not None:
                        break
                assert found is not None and _live(texts, found) == holding
                assert texts.scanned(word) is found
                assert _live(texts, texts.scan(word)) == holding
                assert {rid for rid, e in texts.entry.items() if texts.has(e, [word])} == holding
        assert {rid: texts.text(e) for rid, e in texts.entry.items()} == want
        assert len(texts) == len(want)
        assert texts.in_file == (in_file and bool(texts.entries))
    finally:
        search_texts.SCAN_PART = old
        if folder:
            shutil.rmtree(folder)


def test_a_scan_goes_on_over_texts_added_after_it(tmp_path):
    texts = Texts(tmp_path)
    texts.put_many([("a", b"varme"), ("b", b"kulde")])
    assert _live(texts, texts.scan(b"varme")) == {"a"}
    texts.put("c", b"fjernvarme")
    assert texts.scanned(b"varme") is None  # (not over "c" yet)
    assert _live(texts, texts.scan(b"varme")) == {"a", "c"}
    texts.put("a", b"intet")  # a new entry; the old one is dead
    assert _live(texts, texts.scan(b"varme")) == {"c"}


def test_the_file_has_no_name_is_private_and_goes_with_close(tmp_path):
    folder = tmp_path / ".caselog"
    texts = Texts(folder)
    assert not folder.exists()  # (made at the first text)
    texts.put_many([("a", "borgerens noter om ærø".encode()), ("b", b"andet")])
    assert texts.in_file and os.listdir(folder) == []
    assert stat.S_IMODE(os.fstat(texts._file.fileno()).st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    f = texts._file
    texts.close()
    assert f.closed and len(texts) == 0 and not texts.entries
    assert not any(texts.scan("ærø".encode()))


def test_where_no_file_can_be_made_the_texts_are_kept_in_memory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    texts = Texts(blocker / ".caselog")  # (its parent is a file: no folder, no file)
    texts.put_many([("a", b"varme"), ("b", b"kulde")])
    assert not texts.in_file and os.listdir(tmp_path) == ["a-file"]
    assert _live(texts, texts.scan(b"kulde")) == {"b"} and texts.has(texts.entry["a"], [b"arm"])


def test_a_write_that_fails_keeps_every_text_in_memory(tmp_path, monkeypatch):
    texts = Texts(tmp_path)
    texts.put_many([("a", b"varme"), ("b", b"kulde")])
    assert texts.in_file

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    texts.put("c", b"fjernvarme")
    assert not texts.in_file
    assert {rid: texts.text(e) for rid, e in texts.entry.items()} == {
        "a": b"varme", "b": b"kulde", "c": b"fjernvarme"}
    assert _live(texts, texts.scan(b"varme")) == {"a", "c"}


def test_a_part_that_cannot_be_read_finds_nothing_and_is_looked_at_again(tmp_path, monkeypatch):
    texts = Texts(tmp_path)
    texts.put_many([("a", b"varme"), ("b", b"fjernvarme")])
    read = Texts._read_file
    monkeypatch.setattr(Texts, "_read_file", staticmethod(lambda f, start, n: b""))
    assert _live(texts, texts.scan(b"varme")) == set()  # (it ends, with nothing found)
    assert texts.scanned(b"varme") is None  # not kept
    monkeypatch.setattr(Texts, "_read_file", staticmethod(read))
    assert _live(texts, texts.scan(b"varme")) == {"a", "b"}
    assert texts.scanned(b"varme") is not None


def test_a_filter_of_more_words_than_the_scans_kept_ends(monkeypatch):
    """Nine different words (one more than the scans kept): the rows' texts are read
    each, the look ends within its turns, and finds what one look finds."""
    from gitutil import inquiry

    from store.domain.taxonomy import default_settings
    from tui import inquiry_index
    from tui.inquiry_index import InquiryIndex, Query

    monkeypatch.setattr(search_texts, "SCAN_PART", 64)
    monkeypatch.setattr(inquiry_index, "SEARCH_CHUNK", 7)
    words = "en to tre fire fem seks syv otte ni".split()
    records = [inquiry(f"2024-05-{d:02d}-k7q{c}", notes=" ".join(words[: d % 10]))
               for d in range(1, 29) for c in "23"]
    q = Query(text=" ".join(words))
    want = [r.id for r in InquiryIndex(default_settings(), records).view(q)]
    assert want and len(want) < len(records)
    for repeated in (q, Query(text=" ".join(words + words[:3]))):  # (a word twice: once)
        index = InquiryIndex(default_settings(), records)
        rows = index.view(repeated, budget=0)
        turns = 0
        while index.searching:
            rows = index.more(budget=0)
            turns += 1
            assert turns < 1000
        assert [r.id for r in rows] == want
