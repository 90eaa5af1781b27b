"""The list's index of inquiries: search texts made in chunks, in one pass."""

from __future__ import annotations

from gitutil import inquiry

from store.taxonomy import default_settings
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
