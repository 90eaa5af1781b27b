"""The appendix's numbers as an Excel workbook: one sheet per table, numbers as numbers.

Tabel 1-4 each on a sheet of their own, and Figur 2's periods side by side
on a fifth (the only figure whose numbers no table holds), so that the
advisor can chart them in Excel. On every sheet: the title in A1, the header
in row 3, the rows below it; counts are whole numbers, Tabel 1's shares are
fractions shown with a per-cent format (Excel writes them as ``29,6 %`` in
Danish). Text is always stored as text, never read as a formula.
"""

from __future__ import annotations

import io

from .. import tables as tm
from ..i18n import t
from .content import Document
from .figures import Figure

HEADER_ROW = 3
PERCENT_FORMAT = "0.0 %"


def _write(ws, row: int, col: int, value, *, font=None, alignment=None, fill=None, border=None):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, tm.Share):
        cell.value = value.value / 100.0
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # a name beginning with "=" stays a name
    for name, v in (("font", font), ("alignment", alignment), ("fill", fill),
                    ("border", border)):
        if v is not None:
            setattr(cell, name, v)
    return cell


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        rule = Side(style="thin", color="808080")
        self.title = Font(bold=True, size=12, color="1F4E79")
        self.bold = Font(bold=True)
        self.italic = Font(italic=True, color="595959")
        self.head_fill = PatternFill("solid", fgColor="DEEAF6")
        self.head_border = Border(bottom=rule)
        self.total_border = Border(top=rule)
        self.right = Alignment(horizontal="right", vertical="bottom", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
        self.indent = Alignment(indent=1)


def _sheet(wb, name: str, title: str, columns: list[str], rows: list[tuple[str, list]],
           notes: list[str], st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=name[:31])
    _write(ws, 1, 1, title, font=st.title)
    for i, header in enumerate(columns, start=1):
        _write(ws, HEADER_ROW, i, header, font=st.bold, fill=st.head_fill, border=st.head_border,
               alignment=st.right if i > 1 else st.left)
    r = HEADER_ROW
    for style, cells in rows:
        r += 1
        for i, value in enumerate(cells, start=1):
            font = st.bold if style in ("theme", "total") else (
                st.italic if style == "previous" else None)
            alignment = None
            if i == 1 and style == "sub":
                value, alignment = str(value).strip(), st.indent
            _write(ws, r, i, value, font=font, alignment=alignment,
                   border=st.total_border if style == "total" else None)
    r += 1
    for note in notes:
        r += 1
        _write(ws, r, 1, note, font=st.italic)
    first = max([len(str(c[0])) for _, c in rows] + [len(str(columns[0])), 10])
    ws.column_dimensions["A"].width = min(first + 2, 48)
    for i in range(2, len(columns) + 1):
        longest = max(len(w) for w in str(columns[i - 1]).split() or [""])
        ws.column_dimensions[get_column_letter(i)].width = max(9, min(longest + 2, 30))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)


def _figure2_rows(figure: Figure) -> tuple[list[str], list[tuple[str, list]]]:
    columns = [t("report.department"), *[s.label for s in figure.series]]
    rows = [("", [label, *[round(s.values[i]) for s in figure.series]])
            for i, label in enumerate(figure.labels)]
    return columns, rows


def render(document: Document) -> bytes:
    """The .xlsx file's bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "caselog"
    wb.properties.lastModifiedBy = "caselog"
    wb.properties.title = document.title
    st = _Styles()
    for n, model in enumerate(document.tables(), start=1):
        _sheet(wb, t("document.sheet", n=n), model.title, list(model.columns),
               [(r.style, list(r.cells)) for r in model.rows], list(model.notes), st)
    for figure in document.figures():
        if figure.key == "f2":
            columns, rows = _figure2_rows(figure)
            _sheet(wb, t("document.figure2.sheet"), figure.title, columns, rows, [], st)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
