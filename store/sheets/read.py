"""The rows of a CSV or XLSX file, each with the row number a person sees.

CSV: the delimiter is whichever of ``, ; TAB |`` splits the first lines into
the same number of columns; the text is UTF-8 (with or without BOM), else
cp1252 as Danish Excel writes it. XLSX: read with openpyxl (read-only, cached
values rather than formulas), imported only here.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import SheetError

DELIMITERS = (";", ",", "\t", "|")
MAX_BYTES = 100_000_000


@dataclass
class Row:
    number: int  # 1-based, as the spreadsheet program shows it
    cells: list[Any]

    def is_empty(self) -> bool:
        return all(is_blank(c) for c in self.cells)


@dataclass
class Table:
    """Every row of one sheet (header included), and how it was read."""

    name: str  # the file name, as ``source`` of imported records
    rows: list[Row] = field(default_factory=list)
    sheet: str = ""  # the sheet of an XLSX file
    delimiter: str = ""  # the delimiter of a CSV file
    encoding: str = ""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(rows: list[Row]) -> list[Row]:
    while rows and rows[-1].is_empty():
        rows.pop()
    return rows


# ---------------------------------------------------------------------------
# CSV


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (BOM or not), else cp1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into several columns."""
    best, best_score = ";", (-1, -1)
    for d in DELIMITERS:
        counts = []
        for row in csv.reader(io.StringIO(text[:65536], newline=""), delimiter=d):
            if any(c.strip() for c in row):
                counts.append(len(row))
            if len(counts) >= 30:
                break
        if not counts:
            continue
        width, agree = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (agree, width)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(path: Path) -> Table:
    raw = _read_bytes(path)
    text, encoding = decode(raw)
    delimiter = sniff_delimiter(text)
    table = Table(path.name, delimiter=delimiter, encoding=encoding)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for i, cells in enumerate(reader, start=1):
            table.rows.append(Row(i, list(cells)))
    except csv.Error as e:
        raise SheetError("bad-csv", detail=str(e)) from None
    _trim(table.rows)
    return table


# ---------------------------------------------------------------------------
# XLSX


def sheet_names(path: Path) -> list[str]:
    wb = _open_workbook(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _open_workbook(path: Path):
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as e:
        raise SheetError("bad-xlsx", detail=str(e) or type(e).__name__) from None


def choose_sheet(names: list[str], wanted: str | None) -> str:
    """The sheet asked for by name (any case) or number (1-based); the first by default."""
    if not names:
        raise SheetError("no-sheets")
    if wanted is None or wanted == "":
        return names[0]
    for n in names:
        if n == wanted:
            return n
    for n in names:
        if n.casefold() == wanted.strip().casefold():
            return n
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise SheetError("no-sheet", sheet=wanted, sheets=", ".join(names))


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    _read_bytes(path, check_only=True)
    wb = _open_workbook(path)
    try:
        name = choose_sheet(list(wb.sheetnames), sheet)
        ws = wb[name]
        table = Table(path.name, sheet=name)
        try:
            for i, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                cells = list(values)
                while cells and is_blank(cells[-1]):
                    cells.pop()
                table.rows.append(Row(i, cells))
        except (KeyError, ValueError, TypeError) as e:  # a damaged sheet
            raise SheetError("bad-xlsx", detail=str(e) or type(e).__name__) from None
    finally:
        wb.close()
    _trim(table.rows)
    return table


# ---------------------------------------------------------------------------


def _read_bytes(path: Path, check_only: bool = False) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SheetError("too-large", size=size, limit=MAX_BYTES)
        if not path.is_file():
            raise SheetError("not-file")
        return b"" if check_only else path.read_bytes()
    except FileNotFoundError:
        raise SheetError("missing") from None
    except OSError as e:
        raise SheetError("unreadable", detail=e.strerror or str(e)) from None


def file_kind(path: Path) -> str:
    """``csv`` or ``xlsx`` by the file's extension, else by its first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xls", ".ods", ".numbers"):
        raise SheetError("unsupported", suffix=suffix)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except FileNotFoundError:
        raise SheetError("missing") from None
    except OSError as e:
        raise SheetError("unreadable", detail=e.strerror or str(e)) from None
    return "xlsx" if head.startswith(b"PK") else "csv"


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """Every row of a CSV file or of one sheet of an XLSX file; raises SheetError."""
    path = Path(path)
    if file_kind(path) == "xlsx":
        return read_xlsx(path, sheet)
    return read_csv(path)
