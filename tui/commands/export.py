"""caselog export FOLDER [--period P|all] [--format csv|xlsx|md|text] [--output FILE] [--include-personal]."""

from __future__ import annotations

import sys
from pathlib import Path

from store.domain.periods import Period
from store.domain.summary import Tally
from store.format.files import atomic_write
from store.sheets.export import (
    APPEAL_COLUMNS,
    appeal_rows,
    csv_text,
    inquiry_columns,
    inquiry_rows,
    write_xlsx,
)

from ..errors import CommandError
from ..i18n import t
from .common import choose_period, load

HELP = (
    "Export the records, one row per issue (main and follow-up), as csv (';' and UTF-8 with BOM, "
    "as Danish Excel opens it), xlsx (with a sheet of appeal decisions), md or text. Titles, "
    "notes and the citizen's data only with --include-personal."
)
FORMATS = ("csv", "xlsx", "md", "text")
SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".txt": "text"}


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--period", default="all", help="e.g. 2024/25, or 'all' (default: all)")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: by the --output file's suffix, else text)")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--include-personal", action="store_true",
                   help="add titles, notes and the citizen's name, phone and email")


def _value(col: str, v) -> object:
    """A code shown in the interface language; everything else as it is."""
    if col == "kind" and v:
        return t(f"sheets.kind.{v}")
    if col == "status" and v:
        return t(f"sheets.status.{v}")
    if col == "role":
        return t(f"sheets.role.{v}")
    if col == "outcome" and v:
        return t(f"sheets.outcome.{v}")
    return v


def tables(inquiries, appeals, include_personal: bool):
    """``[(sheet name, headers, rows)]``: the issues, then the appeal decisions."""
    cols = inquiry_columns(include_personal)
    rows = [[_value(c, r[c]) for c in cols] for r in inquiry_rows(inquiries, include_personal)]
    arows = [[_value(c, r[c]) for c in APPEAL_COLUMNS] for r in appeal_rows(appeals)]
    return [
        (t("sheets.sheet.inquiries"), [t(f"sheets.col.{c}") for c in cols], rows),
        (t("sheets.sheet.appeals"), [t(f"sheets.col.{c}") for c in APPEAL_COLUMNS], arows),
    ]


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return " / ".join(line.strip() for line in str(v).splitlines() if line.strip())


def _md(v) -> str:
    s = _cell(v)
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        s = s.replace(ch, "\\" + ch)
    return s


def render_md(sheets, headings: list[str]) -> str:
    out: list[str] = []
    for (_name, headers, rows), heading in zip(sheets, headings, strict=True):
        out += [f"## {_md(heading)}", ""]
        out.append("| " + " | ".join(_md(h) for h in headers) + " |")
        out.append("|" + "|".join("---" for _ in headers) + "|")
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def _line(values: list[str], widths: list[int]) -> str:
    return "  ".join(v[:40].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def render_text(sheets, headings: list[str]) -> str:
    out: list[str] = []
    for (_name, headers, rows), heading in zip(sheets, headings, strict=True):
        cells = [[_cell(c) for c in row] for row in rows]
        widths = [max([len(h)] + [min(40, len(r[i])) for r in cells]) for i, h in enumerate(headers)]

        out += [heading, "", _line(headers, widths), _line(["-" * w for w in widths], widths)]
        out += [_line(r, widths) for r in cells]
        out.append("")
    return "\n".join(out)


def in_period(inquiries, appeals, period: Period | None):
    """The records received in ``period`` (all of them for None), and the period's label."""
    if period is None:
        return list(inquiries), list(appeals), t("sheets.export.all")
    return ([r for r in inquiries if r.received in period],
            [a for a in appeals if a.received in period], period.label)


def format_of(path: str | Path | None, fmt: str | None = None) -> str:
    """``fmt``, else the format the file name's suffix asks for, else text."""
    if fmt:
        return fmt
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "text") if path else "text"


def render_export(inquiries, appeals, label: str, fmt: str, include_personal: bool):
    """``(sheets, text)``: the tables, and for csv/md/text the file's text (None for xlsx)."""
    sheets = tables(inquiries, appeals, include_personal)
    if fmt == "xlsx":
        return sheets, None
    if fmt == "csv":
        # The issues only: a CSV file holds one table. The BOM and ';' make
        # Danish Excel open it with the right letters and columns.
        _, headers, rows = sheets[0]
        return sheets, csv_text(headers, rows)
    headings = [
        t("sheets.export.heading", period=label, inquiries=len(inquiries), rows=len(sheets[0][2])),
        t("sheets.export.appeals_heading", period=label, appeals=len(appeals)),
    ]
    return sheets, (render_md if fmt == "md" else render_text)(sheets, headings)


def write_export(path: str | Path, sheets, text: str | None) -> None:
    """Write what ``render_export`` made: the workbook, or the text (atomically)."""
    if text is None:
        write_xlsx(path, sheets)
    else:
        atomic_write(Path(path), text.encode("utf-8"))


def run(args) -> int:
    _, result = load(args.folder, args.lang)
    settings = result.settings
    fmt = format_of(args.output, args.format)
    if fmt == "xlsx" and not args.output:
        raise CommandError(t("sheets.export.xlsx_needs_output"), 2)
    period = None
    if args.period and args.period.strip().casefold() not in ("all", "alle"):
        period = choose_period(Tally(settings), args.period)
    inquiries, appeals, label = in_period(result.inquiries.values(), result.appeals.values(),
                                          period)
    sheets, text = render_export(inquiries, appeals, label, fmt, args.include_personal)
    if args.output:
        write_export(args.output, sheets, text)
    else:
        assert text is not None
        sys.stdout.write(text.removeprefix("\ufeff") if sys.stdout.isatty() else text)
    if args.output:
        print(t("sheets.export.wrote", path=args.output, rows=len(sheets[0][2]),
                inquiries=len(inquiries), appeals=len(appeals)), file=sys.stderr)
    if args.include_personal:
        print(t("sheets.export.personal"), file=sys.stderr)
    return 0
