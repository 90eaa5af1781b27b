"""The report as a document: Bilag 1-2 in Word, HTML or Excel, the figures drawn.

``make`` is the one way in: it lays out ``content.build``'s ``Document``
(made from the same ``Report`` as ``caselog report --format json``) in one
of ``FORMATS``. python-docx, matplotlib and openpyxl are imported only here,
when a document is made, never when the app starts.
"""

from __future__ import annotations

FORMATS = ("docx", "html", "xlsx")
SUFFIXES = {".docx": "docx", ".html": "html", ".xlsx": "xlsx"}
DEFAULT_THEME = "Forvaltningsskik"  # Figur 4 of the report
DEFAULT_PERIODS = 3  # periods side by side in Figur 2


def make(report, fmt: str, across, focus_theme: str = DEFAULT_THEME, show_zero: bool = False,
         problem_files: int = 0) -> bytes:
    """The file's bytes: ``report`` as ``fmt``; ``across = across_periods(...)`` for Figur 2."""
    from .content import build

    document = build(report, across, focus_theme, show_zero, problem_files)
    if fmt == "docx":
        from .to_docx import render
    elif fmt == "html":
        from .to_html import render
    elif fmt == "xlsx":
        from .to_xlsx import render
    else:
        raise ValueError(f"unknown document format: {fmt}")
    return render(document)
