"""caselog check FOLDER."""

from __future__ import annotations

import shlex
import sys

from store.domain.problems import ERROR, READABLE_FILES, WARNING
from store.format.files import tighten
from store.index.load import read_all
from store.index.load import save as save_index

from ..i18n import language, t
from .common import open_folder_data

HELP = (
    "Read every file of a data folder and list every problem as path:line:col: severity: message. "
    "Exit 1 if there is an error (with --strict also on warnings), else 0."
)


def add_arguments(p) -> None:
    p.add_argument("folder", help="the data folder")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--fix-permissions", action="store_true",
                   help="first make the folder and its record files readable by you only "
                        "(a git clone leaves them readable by others)")


def fix_hint(folder: str) -> str:
    """The command that makes a folder's files private, as the user would type it."""
    return f"caselog check --fix-permissions {shlex.quote(folder)}"


def run(args) -> int:
    # Every file is read (in parallel where it pays); the index is renewed on the way.
    # Only the problems are shown: the records need no notes or citizen data.
    data, settings = open_folder_data(args.folder, args.lang)
    if args.fix_permissions:
        fixed = tighten(data.root)
        print(t("cli.check.tightened", n=len(fixed)), file=sys.stderr)
    loaded = read_all(data, settings, partial=True, nice=False, records=False)
    try:
        save_index(data, loaded)
    except OSError:
        pass  # a read-only folder is checked all the same
    result = loaded.result
    files = len(set(result.paths.values()) | result.problem_paths())  # each file once
    # many files others can read (a clone) are one warning, first; the rest in path
    # order (collapsed before sorting, as in caselog report: no Problem made of each)
    problems = sorted(result.problems_shown(fix_hint(args.folder)), key=lambda p: (
        p.code != READABLE_FILES, p.path, p.line or 0, p.col or 0))
    lang = language()
    for p in problems:
        print(p.format(lang))
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    if problems:
        print(t("cli.check.summary", files=files, errors=errors, warnings=warnings), file=sys.stderr)
    else:
        print(t("cli.check.ok", files=files), file=sys.stderr)
    if errors or (args.strict and warnings):
        return 1
    return 0
