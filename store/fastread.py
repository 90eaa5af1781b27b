"""Reading many record files fast, with the same results as ``codec``.

Three things make a full read of a large folder quick:

* ``loads``: rtoml (a TOML parser in Rust, about six times faster than
  tomllib) where it is proven to give the same result. rtoml follows a newer
  TOML than tomllib in a few places (``\\x`` escapes, new lines in inline
  tables, times without seconds, its own tzinfo class), so a text that holds
  any of those constructs, or anything unusual (carriage returns, braces,
  deep nesting, conflict markers), goes to tomllib; so does any text rtoml
  rejects, and every error message comes from ``codec`` (tomllib), with its
  line and column. The property test in tests/test_index.py checks that the
  two agree on every text this gate lets through.
* rows: a record as a plain tuple of str/int/None, which ``marshal`` writes
  and reads in well under a microsecond, and ``build`` turns back into the
  frozen records without running their ``__init__`` (dates and points are
  shared between records). A record with keys this version does not know
  travels pickled instead.
* ``read_many``: the files read and parsed by worker processes (one per
  core, ``python -m store.fastread``), the rows sent back marshalled in
  chunks, with a progress callback.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import re
import selectors
import struct
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from . import codec, folder
from .problems import ERROR, Problem
from .records import Appeal, Citizen, Inquiry, Point
from .taxonomy import Settings

try:  # optional: without it every file goes through tomllib
    import rtoml
except ImportError:  # pragma: no cover
    rtoml = None

INQUIRIES = "inquiries"
APPEALS = "appeals"

# Anything rtoml might read differently from tomllib sends the text to tomllib.
_BAD_ESCAPE = re.compile(r'\\[^btnfr"\\uU \t\n]')
_TIME = re.compile(r"\d:\d")
_MAX_BRACKETS = 200  # tomllib raises RecursionError on very deep nesting; rtoml would not


def safe_for_rtoml(text: str) -> bool:
    """Whether rtoml reads ``text`` as tomllib does (see the module's doc)."""
    return not (
        rtoml is None
        or "{" in text or "}" in text or "\r" in text or "<<<<<<< " in text
        or text.count("[") >= _MAX_BRACKETS
        or ("\\" in text and _BAD_ESCAPE.search(text))
        or (":" in text and _TIME.search(text))
    )


def loads(text: str) -> dict:
    """``tomllib.loads(text)``, faster where that is safe; raises like tomllib."""
    if safe_for_rtoml(text):
        try:
            return rtoml.loads(text)
        except Exception:  # rtoml is stricter here: let tomllib decide and explain
            pass
    return tomllib.loads(text)


def parse(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    """``codec._parse`` with the fast parser for the texts it can take."""
    if safe_for_rtoml(text):
        try:
            return rtoml.loads(text), []
        except Exception:
            pass
    return codec._parse(text, path)


def read_record(raw: bytes, rel: str, kind_dir: str, settings: Settings | None):
    """``codec.read_inquiry`` / ``read_appeal`` with the fast parser."""
    text, problems = codec._decode(raw, rel)
    if text is None:
        return None, problems
    data, problems = parse(text, rel)
    if data is None:
        return None, problems
    if kind_dir == INQUIRIES:
        return codec.inquiry_from_dict(data, rel, text, settings)
    return codec.appeal_from_dict(data, rel, text, settings)


def stat_key(st: os.stat_result) -> tuple[int, int, int]:
    """What tells that a file changed: modification time, size and permissions."""
    return (st.st_mtime_ns, st.st_size, st.st_mode & 0o7777)


def read_path(root: str, kind_dir: str, rel: str, settings: Settings | None):
    """``folder.read_path``: ``(record | None, problems, stat key | None)``."""
    return folder.read_path(root, kind_dir, rel, settings)


# ---------------------------------------------------------------------------
# Rows: records as plain tuples

INQUIRY_ROW = 0
APPEAL_ROW = 1
PICKLED_ROW = 2


def to_row(r: Inquiry | Appeal, partial: bool = False, same: dict | None = None) -> tuple:
    """A record as a tuple that ``marshal`` can write.

    ``partial``: without notes, citizen data and unknown keys (what the
    index holds). A full row of a record with unknown keys is pickled.
    ``same``: a dict through which repeated values (names, codes, points)
    pass, so that marshal writes each once and reading shares them.
    """
    if not partial and _exotic(r):
        return (PICKLED_ROW, pickle.dumps(r, pickle.HIGHEST_PROTOCOL))
    one = (lambda x: x) if same is None else (lambda x: same.setdefault(x, x))
    if isinstance(r, Inquiry):
        c = r.citizen
        return (
            INQUIRY_ROW, r.id, r.received.toordinal(), one(r.kind), one(r.status),
            r.closed.toordinal() if r.closed is not None else 0, one(r.channel), r.title,
            "" if partial else r.notes, one(r.source), _point_row(r.main, one),
            one(tuple(_point_row(p, one) for p in r.follow_up)),
            None if partial or c is None else (c.name, c.phone, c.email),
        )
    return (
        APPEAL_ROW, r.id, r.received.toordinal(), one(r.board), one(r.department),
        one(r.outcome), one(tuple(one(x) for x in r.remarks)), one(r.result),
        "" if partial else r.notes,
    )


def _point_row(p: Point, one=lambda x: x) -> tuple:
    return one((one(p.department), one(p.theme), one(p.subtheme)))


def _exotic(r: Inquiry | Appeal) -> bool:
    if r.extra:
        return True
    if isinstance(r, Inquiry):
        if r.main.extra or any(p.extra for p in r.follow_up):
            return True
        if r.citizen is not None and r.citizen.extra:
            return True
    return False


class Builder:
    """Turns rows into records, sharing equal dates and points between them."""

    def __init__(self) -> None:
        self.dates: dict[int, date] = {}
        self.points: dict[tuple, Point] = {}
        self.strings: dict[str, str] = {}

    def date(self, n: int) -> date:
        d = self.dates.get(n)
        if d is None:
            d = self.dates[n] = date.fromordinal(n)
        return d

    def point(self, row: tuple) -> Point:
        p = self.points.get(row)
        if p is None:
            p = self.points[row] = Point(*row)
        return p

    def build(self, row: tuple) -> Inquiry | Appeal:
        kind = row[0]
        new = object.__new__
        if kind == INQUIRY_ROW:
            (_, rid, rec, k, status, closed, channel, title, notes, source, main, follow,
             citizen) = row
            o = new(Inquiry)
            o.__dict__.update(
                id=rid, received=self.date(rec), kind=k, status=status,
                main=self.point(main), closed=self.date(closed) if closed else None,
                channel=channel, title=title, notes=notes,
                follow_up=tuple([self.point(p) for p in follow]) if follow else (),
                citizen=Citizen(*citizen) if citizen is not None else None,
                source=source, extra={},
            )
            return o
        if kind == APPEAL_ROW:
            _, rid, rec, board, dept, outcome, remarks, result, notes = row
            o = new(Appeal)
            o.__dict__.update(
                id=rid, received=self.date(rec), board=board, department=dept,
                outcome=outcome, remarks=tuple(remarks), result=result, notes=notes, extra={},
            )
            return o
        if kind == PICKLED_ROW:
            r = pickle.loads(row[1])
            if not isinstance(r, (Inquiry, Appeal)):
                raise TypeError("not a record")
            return r
        raise ValueError(f"unknown row kind {kind!r}")


def problem_row(p: Problem) -> tuple:
    return (p.path, p.line, p.col, p.severity, p.code, tuple(p.params.items()))


def problem_of(row: tuple) -> Problem:
    path, line, col, severity, code, params = row
    return Problem(path, line, col, severity, code, dict(params))


def _marshal_safe(row: tuple) -> bool:
    try:
        marshal.dumps(row)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------
# Reading many files

FileResult = tuple  # (kind_dir, rel, stat_key | None, record row | None, problem rows)


def read_chunk(root: str, files: Sequence[tuple[str, str]], settings: Settings | None) -> bytes:
    """Read ``files``; the results marshalled: ``[(kind_dir, rel, key, row, problems)]``."""
    out = []
    with _no_gc():
        for kind_dir, rel in files:
            _read_one(out, root, kind_dir, rel, settings)
    return marshal.dumps(out)


@contextlib.contextmanager
def _no_gc():
    was = gc.isenabled()
    gc.disable()  # rows that live on: collections would scan them again and again
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_one(out: list, root: str, kind_dir: str, rel: str, settings: Settings | None) -> None:
    record, problems, key = read_path(root, kind_dir, rel, settings)
    prows = tuple(problem_row(p) for p in problems)
    if prows and not _marshal_safe(prows):
        prows = ((rel, None, None, ERROR, "unreadable", (("detail", "?"),)),)
    out.append((kind_dir, rel, key, to_row(record) if record is not None else None, prows))


def _chunks(seq: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _frame(data: bytes) -> bytes:
    return struct.pack("<Q", len(data)) + data


def _read_exact(f, n: int) -> bytes:
    buf = f.read(n)
    if buf is None or len(buf) != n:
        raise EOFError
    return buf


def read_many(
    root: str,
    files: Sequence[tuple[str, str]],
    settings: Settings | None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = 1000,
) -> list[FileResult]:
    """Read every file of ``files`` (in order): ``[(kind_dir, rel, key, row, problem rows)]``.

    With more than one core and enough files, worker processes
    (``python -m store.fastread``) read and parse; ``progress(done, total)``
    is called as chunks come in. Anything a worker fails to deliver is read
    here.
    """
    total = len(files)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    parts = list(_chunks(files, chunk))
    if workers <= 1 or total < 4 * chunk:
        results: list[FileResult] = []
        for part in parts:
            results.extend(marshal.loads(read_chunk(root, part, settings)))
            if progress is not None:
                progress(len(results), total)
        return results
    got: dict[int, list] = {}
    done = 0
    procs = []
    try:
        env = dict(os.environ)
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        shares = [[(k, parts[k]) for k in range(w, len(parts), workers)] for w in range(workers)]
        for _ in shares:
            procs.append(subprocess.Popen([sys.executable, "-m", "store.fastread"],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env))
        for p, mine in zip(procs, shares, strict=True):
            p.stdin.write(_frame(pickle.dumps((root, settings, mine), pickle.HIGHEST_PROTOCOL)))
            p.stdin.close()
        sel = selectors.DefaultSelector()
        for p in procs:
            sel.register(p.stdout, selectors.EVENT_READ, p)
        open_ = len(procs)
        while open_:
            for key, _ in sel.select():
                f = key.fileobj
                try:
                    k, n = struct.unpack("<qQ", _read_exact(f, 16))
                    gc.disable()
                    try:
                        rows = marshal.loads(_read_exact(f, n))
                    finally:
                        gc.enable()
                except (EOFError, ValueError):
                    sel.unregister(f)
                    open_ -= 1
                    continue
                got[k] = rows
                done += len(rows)
                if progress is not None:
                    progress(done, total)
        sel.close()
    except OSError:
        pass
    finally:
        for p in procs:
            try:
                p.kill()
            except OSError:
                pass
            p.wait()
            if p.stdout is not None:
                p.stdout.close()
    results = []
    gc_was = gc.isenabled()
    gc.disable()  # the rows live on: collections would only scan them again and again
    for k, part in enumerate(parts):
        rows = got.get(k)
        if rows is None or len(rows) != len(part):
            rows = marshal.loads(read_chunk(root, part, settings))
            done += len(rows)
            if progress is not None:
                progress(min(done, total), total)
        results.extend(rows)
    if gc_was:
        gc.enable()
    return results


def _worker() -> None:
    """A reading process: one request on stdin, a frame per chunk on stdout."""
    try:
        os.nice(5)  # keep the interface (the parent) responsive
    except OSError:
        pass
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    (n,) = struct.unpack("<Q", _read_exact(inp, 8))
    root, settings, mine = pickle.loads(_read_exact(inp, n))
    for k, part in mine:
        data = read_chunk(root, part, settings)
        out.write(struct.pack("<qQ", k, len(data)) + data)
        out.flush()


if __name__ == "__main__":
    _worker()
