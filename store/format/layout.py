"""Where things live in a data folder (FORMAT.md): its folders, file names and ids.

``inquiries/2024/04/2024-04-03-k7q2.toml``: every record file lies below its
kind's folder, in the year and month folders of its id. A merge's conflict
copy (the other side's version of a record) lies beside the record as
``<id>.toml.conflict-<hash>``.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from ..domain.problems import WARNING, Problem
from ..domain.records import Appeal, Inquiry
from ..domain.taxonomy import SETTINGS_FILE
from . import codec

INQUIRIES = "inquiries"
CONFLICT_SUFFIX = ".toml.conflict-"  # a merge's conflict copy: <id>.toml.conflict-<hash>
APPEALS = "appeals"
CACHE_DIR = ".caselog"
GITIGNORE = ".caselog/\n"
GITATTRIBUTES = ".gitattributes"
FOLDER_FILES = (SETTINGS_FILE, ".gitignore", GITATTRIBUTES)  # the folder's own files, in git

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, lower case


def conflict_copy(rel_dir: str, name: str) -> Problem | None:
    """The warning for a merge's conflict copy (``<id>.toml.conflict-<hash>``, the
    other side's version of a record, left by the merge driver), or None when
    ``name`` is not one. Every scan of a folder asks this."""
    if CONFLICT_SUFFIX not in name or name.startswith("."):
        return None
    where = f"{rel_dir}/" if rel_dir else ""  # "": the folder itself (caselog.toml's copy)
    original = f"{where}{name.split(CONFLICT_SUFFIX)[0]}.toml"
    return Problem(f"{where}{name}", None, None, WARNING, "conflict-copy",
                   {"original": original})


def record_dir(kind_dir: str, rid: str) -> PurePosixPath:
    return PurePosixPath(kind_dir, rid[0:4], rid[5:7])


def record_relpath(record: Inquiry | Appeal) -> str:
    # A hand-edited id ("../x") loads with a bad-id error; it must never become a path.
    if not codec.ID_RE.match(record.id):
        raise ValueError(f"'{record.id}' is not a record id (YYYY-MM-DD-xxxx)")
    kind_dir = INQUIRIES if isinstance(record, Inquiry) else APPEALS
    return str(record_dir(kind_dir, record.id) / f"{record.id}.toml")


def is_record_path(rel: str) -> bool:
    """Whether a path relative to the folder names a record file."""
    return rel.endswith(".toml") and rel.startswith((INQUIRIES + "/", APPEALS + "/")) \
        and not rel.rsplit("/", 1)[-1].startswith(".")


def settings_conflict_copies(root: str) -> list[Problem]:
    """The warnings for conflict copies of caselog.toml in the folder itself
    (a merge where both sides changed one setting differently)."""
    stem = SETTINGS_FILE.removesuffix(".toml")
    try:
        names = sorted(n for n in os.listdir(root) if n.startswith(stem + CONFLICT_SUFFIX))
    except OSError:
        return []
    return [p for n in names if (p := conflict_copy("", n)) is not None]
