"""Spreadsheets in and out: importing the years kept in Excel, exporting the log.

- ``read``: the rows of a CSV or XLSX file, with their spreadsheet row numbers.
- ``mapping``: which column holds which field (recognised from the headers or
  read from a small TOML mapping file) and value translations.
- ``match``: forgiving matching of values to the taxonomy, and dates.
- ``build``: rows grouped into inquiries, and every row that cannot be used.
- ``export``: the records as rows, and CSV/XLSX writing safe from formulas.

Nothing here imports openpyxl until an XLSX file is read or written, so
``import store.sheets`` stays cheap.
"""

from __future__ import annotations


class SheetError(Exception):
    """A file cannot be read as a table; ``code`` and ``params`` say why (for translation)."""

    def __init__(self, code: str, **params: object):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params
