"""Reading record files: one (``read_path``), or a list of them in this process (``read_files``).

Every file is opened once, without following a link or waiting on a FIFO;
its stat key (mtime_ns, size, mode) is taken from the open file, so a later
change shows as a different key (store/index/). A file in caselog's own
layout with nothing to report becomes a row at once (``canonical``);
CPR numbers are looked for field by field only in a file that might hold
one (``cpr.maybe_cpr``, a quick look at its bytes).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence

from ..domain.cpr import cpr_problems, maybe_cpr
from ..domain.problems import ERROR, WARNING, Problem
from ..domain.records import Appeal, Inquiry
from ..domain.taxonomy import Settings
from ..format import codec
from .canonical import Canonical
from .parse import read_record
from .rowcodec import _marshal_safe, no_gc, problem_row, to_row


def read_path(root: str, kind_dir: str, rel: str, settings: Settings | None):
    """One record file: ``(record | None, problems, stat key | None)``; never raises.

    The stat key (mtime_ns, size, mode) is taken before the file is read, so a
    later change shows as a different key (store/index/). Parsing uses rtoml
    where it reads as tomllib does (store/folder/parse.py).
    """
    p = os.path.join(root, rel)
    try:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            return None, [Problem(rel, None, None, ERROR, "symlink")], None
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            return None, [Problem(rel, None, None, ERROR, "unreadable",
                                  {"detail": "not a regular file"})], None
        key = (st.st_mtime_ns, st.st_size, st.st_mode & 0o7777)
        if st.st_size > codec.MAX_FILE_SIZE:
            return None, [
                Problem(rel, None, None, ERROR, "too-large",
                        {"size": st.st_size, "limit": codec.MAX_FILE_SIZE})
            ], key
        with open(p, "rb") as f:
            raw = f.read(codec.MAX_FILE_SIZE + 1)
    except OSError as e:
        return None, [Problem(rel, None, None, ERROR, "unreadable", {"detail": e.strerror})], None
    record, problems = read_bytes(raw, kind_dir, rel, st.st_mode, settings)
    return record, problems, key


def read_bytes(raw: bytes, kind_dir: str, rel: str, mode: int, settings: Settings | None,
               quick_cpr: bool = False):
    """``read_path`` once the file's bytes and mode are known: ``(record | None, problems)``.

    ``quick_cpr``: look for CPR numbers field by field only when
    ``cpr.maybe_cpr`` finds the file might hold one (the same warnings).
    """
    record, problems = read_record(raw, rel, kind_dir, settings)
    if record is not None:
        problems.extend(file_warnings(record.id, kind_dir, rel, mode))
        if not quick_cpr or maybe_cpr(raw):
            problems.extend(cpr_problems(record, rel, raw))
    return record, problems


def file_warnings(rid: str, kind_dir: str, rel: str, mode: int) -> list[Problem]:
    """What a record file's place and permissions call for."""
    out = []
    folder = f"{kind_dir}/{rid[0:4]}/{rid[5:7]}"
    # Only the folder: a file name that differs from the id is id-mismatch.
    if rel.rpartition("/")[0] != folder and codec.ID_RE.match(rid):
        out.append(Problem(rel, None, None, WARNING, "wrong-folder",
                           {"expected": f"{folder}/{rid}.toml"}))
    readable = mode_warning(rel, mode)
    if readable is not None:
        out.append(readable)
    return out


def mode_warning(rel: str, mode: int) -> Problem | None:
    """The warning for a record file others can read (group or other bits), else None."""
    if mode & 0o077:
        return Problem(rel, None, None, WARNING, "world-readable", {"mode": oct(mode & 0o777)[2:]})
    return None


# ---------------------------------------------------------------------------
# Reading many files

FileResult = tuple  # (kind_dir, rel, stat_key | None, record row | None, problem rows)
Read = tuple  # (stat_key | None, record row | None, problem rows): one file, as a worker sends it

# os.open that neither follows a link nor waits on a FIFO; without these
# flags every file goes through read_path.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_FAST_OPEN = bool(_NOFOLLOW and _NONBLOCK)


def read_files(root: str, files: Sequence[tuple[str, str]], settings: Settings | None,
               canonical: Canonical | None = None) -> list[Read]:
    """Read ``files``: for each, ``(stat key, row, problem rows)`` as ``read_path`` has them.

    The rows are partial (``to_row(record, partial=True)``) when ``canonical.partial``.

    Each file is opened once (no link followed, no FIFO waited on) and its
    stat taken from the open file; a file in caselog's own layout with
    nothing to report becomes a row at once (``Canonical``); anything else
    takes the usual way (``read_bytes``), and anything unusual (a
    link, no regular file, too large, an error, a short read)
    ``read_path`` itself.
    """
    canonical = canonical or Canonical(settings)
    partial = canonical.partial
    if not _FAST_OPEN:
        return [_read_path(root, kind_dir, rel, settings, partial) for kind_dir, rel in files]
    base = os.path.join(root, "")
    open_, fstat, read, close = os.open, os.fstat, os.read, os.close
    flags, is_reg, limit = _OPEN_FLAGS, stat.S_ISREG, codec.MAX_FILE_SIZE
    row_of = canonical.row
    out: list[Read] = []
    append = out.append
    with no_gc():
        for kind_dir, rel in files:
            try:
                fd = open_(base + rel, flags)
            except OSError:
                append(_read_path(root, kind_dir, rel, settings, partial))
                continue
            raw = None
            try:
                st = fstat(fd)
                size = st.st_size
                if is_reg(st.st_mode) and size <= limit:
                    # One byte more than the size: a file that grew meanwhile is
                    # read the usual way (and a 1 MB buffer per file costs more
                    # than the reading).
                    raw = read(fd, size + 1)
            except OSError:
                raw = None
            finally:
                close(fd)
            if raw is None or len(raw) != size:
                append(_read_path(root, kind_dir, rel, settings, partial))
                continue
            mode = st.st_mode
            key = (st.st_mtime_ns, size, mode & 0o7777)
            # maybe_cpr first: a file that may hold a CPR number gets the full check
            row = None if maybe_cpr(raw) else row_of(raw, kind_dir, rel)
            if row is None:
                record, problems = read_bytes(raw, kind_dir, rel, mode, settings,
                                                     quick_cpr=True)
                append((key, _row_of(record, partial), _problem_rows(rel, problems)))
            elif mode & 0o077:
                warnings = file_warnings(row[1], kind_dir, rel, mode)
                append((key, row, tuple(problem_row(p) for p in warnings)))
            else:
                append((key, row, ()))
    return out


def _read_path(root: str, kind_dir: str, rel: str, settings: Settings | None,
               partial: bool) -> Read:
    record, problems, key = read_path(root, kind_dir, rel, settings)
    return key, _row_of(record, partial), _problem_rows(rel, problems)


def _row_of(record: Inquiry | Appeal | None, partial: bool = False) -> tuple | None:
    return to_row(record, partial) if record is not None else None


def _problem_rows(rel: str, problems: list[Problem]) -> tuple:
    prows = tuple(problem_row(p) for p in problems)
    if prows and not _marshal_safe(prows):
        prows = ((rel, None, None, ERROR, "unreadable", (("detail", "?"),)),)
    return prows
