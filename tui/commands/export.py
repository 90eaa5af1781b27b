"""caselog export FOLDER [--period P|all] [--format csv|xlsx|md|text] [--output FILE] [--include-personal]."""

from __future__ import annotations

import sys
from pathlib import Path

from store.files import atomic_write
from store.periods import Period
from store.sheets.export import (
    APPEAL_COLUMNS,
    appeal_rows,
    csv_text,
    inquiry_columns,
    inquiry_rows,
    write_xlsx,
)
from store.summary import Tally

from ..errors import CommandError
from ..i18n import t
from .common import choose_period, load

HELP = (
    "Export the records, one row per issue (main and follow-up), as csv (';' and UTF-8 with BOM, "
    "as Danish Excel opens it), xlsx (with a sheet of appeal decisions), md or text. Titles, "
    "notes and the citizen's data only with --include-personal."
)
FORMATS = ("csv", "xlsx", "md", "text")
_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".txt": "text"}


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


def run(args) -> int:
    _, result = load(args.folder, args.lang)
    settings = result.settings
    fmt = args.format or (_SUFFIX.get(Path(args.output).suffix.lower(), "text") if args.output
                          else "text")
    if fmt == "xlsx" and not args.output:
        raise CommandError(t("sheets.export.xlsx_needs_output"), 2)
    inquiries = list(result.inquiries.values())
    appeals = list(result.appeals.values())
    label = t("sheets.export.all")
    if args.period and args.period.strip().casefold() not in ("all", "alle"):
        period: Period = choose_period(Tally(settings), args.period)
        inquiries = [r for r in inquiries if r.received in period]
        appeals = [a for a in appeals if a.received in period]
        label = period.label
    sheets = tables(inquiries, appeals, args.include_personal)
    headings = [
        t("sheets.export.heading", period=label, inquiries=len(inquiries), rows=len(sheets[0][2])),
        t("sheets.export.appeals_heading", period=label, appeals=len(appeals)),
    ]
    if fmt == "xlsx":
        write_xlsx(args.output, sheets)
    else:
        if fmt == "csv":
            # The issues only: a CSV file holds one table. The BOM and ';' make
            # Danish Excel open it with the right letters and columns.
            _, headers, rows = sheets[0]
            text = csv_text(headers, rows)
        elif fmt == "md":
            text = render_md(sheets, headings)
        else:
            text = render_text(sheets, headings)
        if args.output:
            atomic_write(Path(args.output), text.encode("utf-8"))
        else:
            sys.stdout.write(text.removeprefix("\ufeff") if sys.stdout.isatty() else text)
    if args.output:
        print(t("sheets.export.wrote", path=args.output, rows=len(sheets[0][2]),
                inquiries=len(inquiries), appeals=len(appeals)), file=sys.stderr)
    if args.include_personal:
        print(t("sheets.export.personal"), file=sys.stderr)
    return 0
