"""The virtual list: rows drawn once are reused, a changed row is drawn anew,
and keeping the cursor on its row does not scan 100,000 rows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from textual.app import App, ComposeResult

from tui.widgets.record_list import Column, RecordList

pytestmark = pytest.mark.asyncio


@dataclass(frozen=True)
class Row:
    id: str
    title: str


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield RecordList([Column("id", "Id", 6), Column("title", "Title", flex=True)],
                         lambda r: [r.id, r.title], key=lambda r: r.id)


def text_of(lst: RecordList, y: int) -> str:
    return "".join(seg.text for seg in lst.render_line(y)).rstrip()


async def test_a_replaced_row_is_drawn_anew_and_the_others_are_reused():
    app = ListApp()
    async with app.run_test(size=(40, 8)) as pilot:
        lst = app.query_one(RecordList)
        rows = [Row(f"r{i}", f"title {i}") for i in range(5)]
        lst.set_rows(rows)
        await pilot.pause()
        first = [lst.render_line(y) for y in range(1, 6)]
        assert text_of(lst, 3) == "r2     title 2"
        rows2 = list(rows)
        rows2[2] = Row("r2", "changed")
        lst.set_rows(rows2)
        assert text_of(lst, 3) == "r2     changed"
        assert lst.render_line(2) is first[1]  # the same row object: the same strip
        lst.set_columns([Column("id", "Id", 3), Column("title", "Title", flex=True)])
        assert text_of(lst, 3) == "r2  changed"


async def test_the_cursor_keeps_its_row_when_one_is_added_above_it():
    app = ListApp()
    async with app.run_test(size=(40, 8)) as pilot:
        lst = app.query_one(RecordList)
        rows = [Row(f"r{i:05d}", "t") for i in range(100_000)]
        lst.set_rows(rows)
        lst.cursor = 50_000
        await pilot.pause()
        calls = []
        key = lst._key
        lst._key = lambda r: (calls.append(1), key(r))[1]
        lst.set_rows([Row("new", "t"), *rows])
        assert lst.current.id == "r50000" and lst.cursor == 50_001
        assert len(calls) < 10  # looked near the old place, not through every row
        lst.set_rows([r for r in rows if r.id != "r50000"])  # its row gone: same place
        assert lst.cursor == 50_001 and lst.current.id == "r50002"
