"""caselog merge-driver BASE OURS THEIRS PATH: run by git, set up by caselog."""

from __future__ import annotations

import sys

HELP = (
    "Used by git (merge.caselog.driver), not by hand: merge two versions of a record "
    "field by field; a field both changed keeps ours and theirs goes to a conflict copy."
)


def add_arguments(p) -> None:
    p.add_argument("base", help="%%O: the common ancestor's file")
    p.add_argument("ours", help="%%A: our file; the result is written here")
    p.add_argument("theirs", help="%%B: their file")
    p.add_argument("path", help="%%P: the record's path in the folder")


def run(args) -> int:
    from store.git.merge import run_merge_driver

    code, conflicts, copy = run_merge_driver(args.base, args.ours, args.theirs, args.path)
    if conflicts and copy is not None:
        # Field names only: never values, which may be personal data.
        print(f"caselog: {args.path}: {', '.join(conflicts)} changed on both sides; "
              f"theirs kept in {copy.name}", file=sys.stderr)
    return code
