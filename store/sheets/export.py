"""The records as rows, and CSV/XLSX files that a spreadsheet opens safely.

One row per issue (point): the inquiry's fields repeat on each row, the
``role`` column tells the main issue from the follow-ups, so the file
imports back (grouped by id) and any pivot table counts issues the way
Tabel 1 and 2 do. Titles, notes and the citizen's data are left out unless
asked for. A text cell that a spreadsheet would run as a formula
(``= + - @``, tab, carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.records import Appeal, Inquiry
from ..format.files import atomic_write

INQUIRY_COLUMNS = ("id", "received", "kind", "status", "closed", "channel", "role",
                   "department", "theme", "subtheme")
PERSONAL_COLUMNS = ("title", "notes", "name", "phone", "email")
APPEAL_COLUMNS = ("id", "received", "board", "department", "outcome", "remarks", "result")

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as it may go into a cell: text that looks like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def inquiry_columns(include_personal: bool) -> tuple[str, ...]:
    return INQUIRY_COLUMNS + (PERSONAL_COLUMNS if include_personal else ())


def inquiry_rows(inquiries: Iterable[Inquiry], include_personal: bool = False) -> list[dict]:
    """One dict per issue, keyed by ``inquiry_columns``; codes as they are in the files."""
    rows = []
    for r in sorted(inquiries, key=lambda r: (r.received, r.id)):
        for i, p in enumerate(r.points):
            row = {
                "id": r.id, "received": r.received, "kind": r.kind, "status": r.status,
                "closed": r.closed, "channel": r.channel,
                "role": "main" if i == 0 else "follow_up",
                "department": p.department, "theme": p.theme, "subtheme": p.subtheme or "",
            }
            if include_personal:
                c = r.citizen
                row.update(title=r.title, notes=r.notes, name=c.name if c else "",
                           phone=c.phone if c else "", email=c.email if c else "")
            rows.append(row)
    return rows


def appeal_rows(appeals: Iterable[Appeal]) -> list[dict]:
    return [
        {"id": a.id, "received": a.received, "board": a.board, "department": a.department,
         "outcome": a.outcome, "remarks": "; ".join(a.remarks), "result": a.result}
        for a in sorted(appeals, key=lambda a: (a.received, a.id))
    ]


# ---------------------------------------------------------------------------
# Files


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(headers: list[str], rows: list[list[Any]], delimiter: str = ";",
             bom: bool = True) -> str:
    """CSV as Danish Excel opens it: ``;`` between cells, UTF-8 with a BOM, CRLF lines."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in headers])
    for row in rows:
        w.writerow([safe_cell(_text(v)) for v in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def write_xlsx(path: Path | str, sheets: list[tuple[str, list[str], list[list[Any]]]]) -> None:
    """An XLSX workbook, one sheet per ``(name, headers, rows)``; dates as date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(title=name[:31])
        widths = [len(h) for h in headers]
        for row in rows:
            for i, v in enumerate(row):
                widths[i] = max(widths[i], min(60, len(_text(v))))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w + 2
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=safe_cell(h))
            c.font = bold
            header_cells.append(c)
        ws.append(header_cells)
        for row in rows:
            cells = []
            for v in row:
                c = WriteOnlyCell(ws, value=safe_cell(v) if v != "" else None)
                if isinstance(v, date):
                    c.number_format = "yyyy-mm-dd"
                cells.append(c)
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(Path(path), buf.getvalue())
