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

from ..domain.cpr import cpr_problems, maybe_cpr, values_may_hold_cpr
from ..domain.problems import ERROR, READABLE, WARNING, Problem
from ..domain.records import Appeal, Inquiry
from ..domain.taxonomy import Settings
from ..format import codec
from ..format.layout import INQUIRIES
from .canonical import Canonical
from .parse import parse, read_record
from .rowcodec import _marshal_safe, no_gc, partial_row, problem_row, to_row


def read_path(root: str, kind_dir: str, rel: str, settings: Settings | None):
    """One record file: ``(record | None, problems, stat key | None)``; never raises.

    The stat key (mtime_ns, size, mode) is taken before the file is read, so a
    later change shows as a different key (store/index/). Parsing uses toml-rs
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
    same = canonical.same  # repeated values shared, also in rows made the usual way
    one = {}.setdefault  # (a mode's int object, one for the chunk)
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
            perm = mode & 0o7777
            # (one int object for each mode: marshal sends it once, and the index
            # writes it once)
            key = (st.st_mtime_ns, size, one(perm, perm))
            # maybe_cpr first: a file that may hold a CPR number gets the full check
            if maybe_cpr(raw):
                append((key, *_read_other(raw, kind_dir, rel, mode, settings, canonical, same,
                                          cpr=True)))
                continue
            row = row_of(raw, kind_dir, rel)
            if row is None:  # another layout: parsed, and the row from the dict where it can be
                append((key, *_read_other(raw, kind_dir, rel, mode, settings, canonical, same)))
            elif mode & 0o077:  # (a canonical row is in its right folder: only the mode to tell)
                append((key, row, _mode_rows(rel, mode, same)))
            else:
                append((key, row, ()))
    return out


def _read_other(raw: bytes, kind_dir: str, rel: str, mode: int, settings: Settings | None,
                canonical: Canonical, same: dict, cpr: bool = False) -> tuple[tuple | None, tuple]:
    """``(row, problem rows)`` of a file as ``read_bytes`` makes them, for one not in
    caselog's own layout (or, ``cpr``, one that may hold a CPR-like number): parsed
    (toml-rs where it reads as tomllib), then the row straight from the parsed dict
    where ``codec`` would have nothing to say about it (``Canonical.from_dict``;
    with ``cpr``, its CPR warnings looked for in the record the whole row makes),
    else codec's way."""
    text, problems = codec._decode(raw, rel)
    if text is None:
        return None, _problem_rows(rel, problems, same)
    data, problems = parse(text, rel)
    if data is None:
        return None, _problem_rows(rel, problems, same)
    if cpr and not values_may_hold_cpr(data):  # (maybe_cpr saw only an escape, say \u00e6)
        cpr = False
    row = (canonical.whole if cpr else canonical).from_dict(data, kind_dir, rel)
    if row is not None:  # (from_dict takes no file in a wrong folder: only the mode to tell)
        prows = _mode_rows(rel, mode, same) if mode & 0o077 else ()
        if cpr:
            found = cpr_problems(canonical.builder.build(row), rel, raw)
            if found:
                prows += _problem_rows(rel, found, same)
            if canonical.partial:
                row = partial_row(row)
        return row, prows
    reader = codec.inquiry_from_dict if kind_dir == INQUIRIES else codec.appeal_from_dict
    record, problems = reader(data, rel, text, settings)
    if record is not None:
        problems.extend(file_warnings(record.id, kind_dir, rel, mode))
        if cpr:
            problems.extend(cpr_problems(record, rel, raw))
    return _row_of(record, canonical.partial, same), _problem_rows(rel, problems, same)


def _read_path(root: str, kind_dir: str, rel: str, settings: Settings | None,
               partial: bool) -> Read:
    record, problems, key = read_path(root, kind_dir, rel, settings)
    return key, _row_of(record, partial), _problem_rows(rel, problems)


def _row_of(record: Inquiry | Appeal | None, partial: bool = False,
            same: dict | None = None) -> tuple | None:
    return to_row(record, partial, same) if record is not None else None


def _mode_rows(rel: str, mode: int, same: dict) -> tuple:
    """``_problem_rows(rel, [mode_warning(rel, mode)], same)`` for a mode others can
    read, made at once: a clone's files are all 0644, and each one has it."""
    params = same.get(("mode", mode))
    if params is None:
        params = tuple(mode_warning(rel, mode).params.items())
        params = same[("mode", mode)] = same.setdefault(params, params)
    return ((rel, None, None, same.setdefault(WARNING, WARNING),
             same.setdefault(READABLE, READABLE), params),)


def _problem_rows(rel: str, problems: list[Problem], same: dict | None = None) -> tuple:
    prows = tuple(problem_row(p, same) for p in problems)
    if prows and not _marshal_safe(prows):
        prows = ((rel, None, None, ERROR, "unreadable", (("detail", "?"),)),)
    return prows
