"""caselog check FOLDER."""

from __future__ import annotations

import sys

from store.problems import ERROR, WARNING

from ..i18n import language, t
from .common import load

HELP = (
    "Read every file of a data folder and list every problem as path:line:col: severity: message. "
    "Exit 1 if there is an error (with --strict also on warnings), else 0."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")


def run(args) -> int:
    _, result = load(args.folder, args.lang)
    problems = sorted(result.problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
    lang = language()
    for p in problems:
        print(p.format(lang))
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    files = len(result.inquiries) + len(result.appeals) + len({p.path for p in problems})
    if problems:
        print(t("cli.check.summary", files=files, errors=errors, warnings=warnings), file=sys.stderr)
    else:
        print(t("cli.check.ok", files=files), file=sys.stderr)
    if errors or (args.strict and warnings):
        return 1
    return 0
