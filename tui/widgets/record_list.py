"""A virtual list of records: only the rows on screen are rendered.

Textual's DataTable measures every cell and freezes for half a minute at
100,000 rows. This list is a ``ScrollView`` using the line API (after
Textualize/toolong's ``log_lines.py``): ``render_line`` lays out the one row
that is on that line, so showing, scrolling and moving the cursor cost the
same at ten rows and at a hundred thousand.

Usage::

    columns = [Column("id", "Id", 15), Column("title", "Titel", flex=True)]
    lst = RecordList(columns, cells=lambda record: [record.id, record.title],
                     key=lambda record: record.id)
    lst.set_rows(records)            # any sequence of objects
    lst.current                      # the object under the cursor, or None

Enter (or a click on the cursor row) posts ``RecordList.Selected``; every
cursor move posts ``RecordList.Highlighted``. Cell values are ``str`` or
``rich.text.Text`` and are always shown literally: markup is never
interpreted and control characters are shown as visible symbols.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from operator import indexOf
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..keys import translate_bindings
from .visible import visible


@dataclass(frozen=True)
class Column:
    """One column: ``width`` cells, or the room left over when ``flex``."""

    key: str
    header: str
    width: int = 10
    flex: bool = False
    justify: str = "left"  # left | right


Cells = Callable[[Any], Sequence["str | Text"]]


class RecordList(ScrollView, can_focus=True, inherit_bindings=False):
    """A keyboard-driven list of rows with a header line and a cursor."""

    DEFAULT_CSS = """
    RecordList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        height: 1fr;
        background: $surface;
    }
    RecordList > .record-list--header {
        text-style: bold;
        background: $panel;
    }
    RecordList > .record-list--cursor {
        background: $block-cursor-blurred-background;
        text-style: bold;
    }
    RecordList:focus > .record-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    RecordList > .record-list--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-list--header",
        "record-list--cursor",
        "record-list--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "app.key.up", show=False, id="list.up"),
        Binding("down", "cursor_down", "app.key.down", show=False, id="list.down"),
        Binding("pageup", "page_up", "app.key.pageup", show=False, id="list.pageup"),
        Binding("pagedown", "page_down", "app.key.pagedown", show=False, id="list.pagedown"),
        Binding("home", "first", "app.key.first", show=False, id="list.first"),
        Binding("end", "last", "app.key.last", show=False, id="list.last"),
        Binding("enter", "select", "app.key.open", id="list.open", tooltip="app.key.open_tip"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to ``item`` (None when the list is empty)."""

        def __init__(self, record_list: RecordList, item: Any) -> None:
            super().__init__()
            self.record_list = record_list
            self.item = item

        @property
        def control(self) -> RecordList:
            return self.record_list

    class Selected(Message):
        """Enter was pressed on ``item``."""

        def __init__(self, record_list: RecordList, item: Any) -> None:
            super().__init__()
            self.record_list = record_list
            self.item = item

        @property
        def control(self) -> RecordList:
            return self.record_list

    def __init__(
        self,
        columns: Sequence[Column],
        cells: Cells,
        key: Callable[[Any], Hashable] | None = None,
        empty: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self._columns: list[Column] = list(columns)
        self._cells = cells
        self._key = key or (lambda item: id_(item))
        self._rows: Sequence[Any] = ()
        self._widths: list[int] = []
        self._layout_width = -1
        self.empty_text = empty
        # Rendered rows: (id(row), cursor?, width, style) -> (row, strip). Rows are
        # immutable records, so a row drawn once is drawn again only when it is
        # another object, the columns change or the width does: after a save or a
        # page down most lines are on screen already.
        self._strips: dict[tuple, tuple[Any, Strip]] = {}

    # -- data ----------------------------------------------------------------
    @property
    def rows(self) -> Sequence[Any]:
        return self._rows

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    @property
    def current(self) -> Any:
        """The row under the cursor, or None."""
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    @property
    def current_key(self) -> Hashable | None:
        """The key of the row under the cursor, or None."""
        row = self.current
        return None if row is None else self._key(row)

    def set_columns(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self._layout_width = -1
        self.refresh_cells()

    def refresh_cells(self) -> None:
        """Draw every row again (what ``cells`` gives for a row has changed)."""
        self._strips.clear()
        self.refresh()

    def set_rows(self, rows: Sequence[Any], keep: Hashable | None = None) -> None:
        """Show ``rows``; the cursor stays on the row with key ``keep`` (or the
        current row's key) when it is still there, else at the same position."""
        if keep is None:
            keep = self.current_key
        old_cursor = self.cursor
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        index = self.index_of(keep, near=old_cursor) if keep is not None else None
        if index is None:
            index = min(old_cursor, max(len(rows) - 1, 0))
        self.cursor = index
        self.refresh()

    def index_of(self, key: Hashable, near: int | None = None) -> int | None:
        """Position of the row with this key.

        ``near``: where it is likely to be (after one row was added or removed
        elsewhere, the cursor row moved by at most one): looked at first, so that
        keeping the cursor costs nothing at 100,000 rows; otherwise a linear scan.
        """
        k = self._key
        rows = self._rows
        if near is not None:
            for i in (near, near - 1, near + 1):
                if 0 <= i < len(rows) and k(rows[i]) == key:
                    return i
        try:  # (in C where the key is an attrgetter, and no further than the row)
            return indexOf(map(k, rows), key)
        except ValueError:
            return None

    def select_key(self, key: Hashable) -> bool:
        index = self.index_of(key)
        if index is None:
            return False
        self.cursor = index
        return True

    # -- cursor --------------------------------------------------------------
    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self._refresh_row(old)
        self._refresh_row(new)
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._page:
            self.scroll_to(y=self.cursor - self._page + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page

    def action_page_down(self) -> None:
        self.cursor += self._page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    async def _on_click(self, event: events.Click) -> None:
        y = event.y
        if y < 1:
            return
        index = round(self.scroll_y) + y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor or event.chain > 1:
                self.cursor = index
                self.action_select()
            else:
                self.cursor = index

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)
        self._layout_width = -1
        self._strips.clear()
        self._scroll_to_cursor()

    # -- layout and rendering --------------------------------------------------
    def _column_widths(self, width: int) -> list[int]:
        if width == self._layout_width:
            return self._widths
        gaps = max(len(self._columns) - 1, 0)
        fixed = sum(c.width for c in self._columns if not c.flex)
        flex = [c for c in self._columns if c.flex]
        room = max(width - fixed - gaps, 0)
        widths = []
        share = room // len(flex) if flex else 0
        for c in self._columns:
            widths.append(share if c.flex else c.width)
        if flex:  # the last flexible column takes the rounding rest
            last = max(i for i, c in enumerate(self._columns) if c.flex)
            widths[last] += room - share * len(flex)
        self._widths, self._layout_width = widths, width
        return widths

    def _line(self, values: Sequence[str | Text], widths: list[int], style: Style) -> Strip:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        last = len(widths) - 1
        for i, (value, width, column) in enumerate(zip(values, widths, self._columns, strict=False)):
            if width <= 0:
                continue
            if isinstance(value, Text):
                cell = Text(visible(value.plain), style=value.style, spans=list(value.spans))
            else:
                cell = Text(visible(str(value)))
            if cell_len(cell.plain) > width:
                cell.truncate(width, overflow="ellipsis")
            elif column.justify == "right":
                cell.pad_left(width - cell.cell_len)
            else:
                cell.pad_right(width - cell.cell_len)
            line.append_text(cell)
            if i < last:
                line.append(" ")
        segments = list(Segment.apply_style(line.render(self.app.console), style))
        return Strip(segments).crop_extend(0, self.scrollable_content_region.width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._column_widths(width)
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("record-list--header")
            return self._line([c.header for c in self._columns], widths, style)
        index = round(self.scroll_y) + y - 1
        if not self._rows:
            if y == 1 and self.empty_text:
                style = base + self.get_component_rich_style("record-list--empty")
                return Strip([Segment(visible(self.empty_text), style)]).crop_extend(
                    0, width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("record-list--cursor")
        row = self._rows[index]
        key = (id(row), index == self.cursor, width, style)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is row:
            return cached[1]
        strip = self._line(self._cells(row), widths, style)
        if len(self._strips) > 8 * max(self.size.height, 10):
            self._strips.clear()
        self._strips[key] = (row, strip)
        return strip


def id_(item: Any) -> Hashable:
    return getattr(item, "id", item)
