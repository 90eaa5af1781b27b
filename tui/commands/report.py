"""caselog report FOLDER [--period P] [--format text|md|csv|json]."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from store.domain.problems import collapse_readable
from store.domain.summary import Tally, build_report, to_json
from store.format.files import atomic_write
from store.index.load import load_fresh

from ..i18n import language, t
from .check import fix_hint
from .common import choose_period, open_folder_data

HELP = (
    "Print the report's tables (Tabel 1-4) for a period: text (as the report lays them out), "
    "md (Markdown), csv (one block per table) or json (the contract of REPORT.md)."
)
FORMATS = ("text", "md", "csv", "json")


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--period", help="e.g. 2024/25 (default: the current period, or the latest with records)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--show-zero", action="store_true", help="text/md: keep rows without issues")


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


def run(args) -> int:
    # The index when it is fresh (checked by one stat per file; files that
    # changed are read again); every file when there is none.
    data, settings = open_folder_data(args.folder, args.lang)
    loaded = load_fresh(data, settings, records=False)  # the tally and the problems
    result = loaded.result
    lang = language()
    warnings = [p.format(lang) for p in collapse_readable(sorted(
        result.problems, key=lambda p: (p.path, p.line or 0)), fix_hint(args.folder))]
    for w in warnings:
        print(w, file=sys.stderr)
    tally = loaded.tally or Tally.of(result.settings, result.inquiries.values(),
                                     result.appeals.values())
    period = choose_period(tally, args.period)
    report = build_report(tally, period, warnings)
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
