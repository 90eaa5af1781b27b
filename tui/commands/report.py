"""caselog report FOLDER [--period P] [--format text|md|csv|json|docx|html|xlsx]."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from store.domain.summary import Tally, across_periods, build_report, to_json
from store.format.files import atomic_write
from store.index.load import load_fresh

from ..documents import DEFAULT_PERIODS, DEFAULT_THEME
from ..documents import FORMATS as DOCUMENTS
from ..errors import CommandError
from ..i18n import language, t
from .check import fix_hint
from .common import choose_period, open_folder_data

HELP = (
    "Print the report's tables (Tabel 1-4) for a period: text (as the report lays them out), "
    "md (Markdown), csv (one block per table) or json (the contract of REPORT.md); or write "
    "the statistical appendix (Bilag 1-2, Tabel 1-4 with Figur 1-4) as a document: docx (Word), "
    "html (one self-contained page) or xlsx (one sheet per table)."
)
TEXTS = ("text", "md", "csv", "json")
FORMATS = TEXTS + DOCUMENTS


def periods_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 20:
        raise argparse.ArgumentTypeError("a whole number from 1 to 20")
    return n


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--period", help="e.g. 2024/25 (default: the current period, or the latest with records)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--show-zero", action="store_true",
                   help="text/md/docx/html/xlsx: keep rows without issues")
    p.add_argument("--periods", type=periods_count, default=DEFAULT_PERIODS, metavar="N",
                   help=f"docx/html/xlsx: periods side by side in Figur 2 (default: {DEFAULT_PERIODS})")
    p.add_argument("--figure4-theme", default=DEFAULT_THEME, metavar="THEME",
                   help=f"docx/html/xlsx: the theme whose subthemes Figur 4 shows "
                        f"(default: {DEFAULT_THEME})")


def render(report, fmt: str, *, show_zero: bool = False, width: int | None = None,
           color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"
    from .. import render as r

    if fmt == "md":
        return r.render_markdown(report, show_zero)
    if fmt == "csv":
        return r.render_csv(report)
    return r.render_text(report, width=width, color=color, show_zero=show_zero)


def check_theme(report, theme: str) -> str:
    """The theme of Figur 4, as the taxonomy or Tabel 2 knows it."""
    themes = list(dict.fromkeys([*(x.name for x in report.settings.themes),
                                 *(r.theme for r in report.table2 if r.is_theme)]))
    if theme in themes:
        return theme
    folded = {x.casefold(): x for x in themes}
    if theme.casefold() in folded:
        return folded[theme.casefold()]
    raise CommandError(t("cli.report.bad_theme", theme=theme, themes=", ".join(themes)), 2)


def run(args) -> int:
    # The index when it is fresh (checked by one stat per file; files that
    # changed are read again); every file when there is none.
    data, settings = open_folder_data(args.folder, args.lang)
    loaded = load_fresh(data, settings, records=False)  # the tally and the problems
    result = loaded.result
    lang = language()
    # many files others can read (a clone) are one line, as in caselog check;
    # collapsed before sorting (120,000 permission warnings need no order)
    shown = sorted(result.problems_shown(fix_hint(args.folder)),
                   key=lambda p: (p.path, p.line or 0))
    warnings = [p.format(lang) for p in shown]
    for w in warnings:
        print(w, file=sys.stderr)
    tally = loaded.tally or Tally.of(result.settings, result.inquiries.values(),
                                     result.appeals.values())
    period = choose_period(tally, args.period)
    report = build_report(tally, period, warnings)
    if args.format in DOCUMENTS:
        return write_document(args, report, tally, len(result.problem_paths()))
    if args.output:
        text = render(report, args.format, show_zero=args.show_zero)
        atomic_write(Path(args.output), text.encode("utf-8"))
        print(t("cli.wrote", path=args.output), file=sys.stderr)
        return 0
    tty = sys.stdout.isatty()
    width = None
    if tty:
        import shutil

        width = max(100, shutil.get_terminal_size().columns)
    sys.stdout.write(render(report, args.format, show_zero=args.show_zero, width=width, color=tty))
    return 0


def write_document(args, report, tally, problem_files: int) -> int:
    """docx, html or xlsx: to the -o file, or to standard output when it is not a terminal."""
    from ..documents import make

    theme = check_theme(report, args.figure4_theme)
    binary = args.format != "html"
    if not args.output and binary and sys.stdout.isatty():
        raise CommandError(t("cli.report.binary_tty", fmt=args.format), 2)
    data = make(report, args.format, across_periods(tally, report.period, args.periods), theme,
                args.show_zero, problem_files)
    if args.output:
        atomic_write(Path(args.output), data)
        print(t("cli.wrote", path=args.output), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
