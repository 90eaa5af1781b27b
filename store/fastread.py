"""Reading many record files fast, with the same results as ``codec``.

What makes a full read of a large folder quick:

* ``Canonical``: a file in caselog's own layout (what ``codec.to_toml``
  writes: known keys in their order, strings without escapes) is taken apart
  by one regular expression, and becomes a row at once when ``codec`` would
  find nothing to report in it; anything else is read the usual way, which
  stays the truth for every problem. tests/test_fastpath.py checks that the
  rows are ``codec``'s records, with no problem, for any record written.
* ``loads``: rtoml (a TOML parser in Rust, about six times faster than
  tomllib) where it is proven to give the same result. rtoml follows a newer
  TOML than tomllib in a few places (``\\x`` escapes, new lines in inline
  tables, times without seconds, its own tzinfo class), so a text that holds
  any of those constructs, or anything unusual (carriage returns, braces,
  deep nesting, conflict markers), goes to tomllib; so does any text rtoml
  rejects, and every error message comes from ``codec`` (tomllib), with its
  line and column. The property test in tests/test_index.py checks that the
  two agree on every text this gate lets through.
* ``cpr.maybe_cpr``: CPR numbers are looked for field by field only in a
  file that might hold one (a quick look at its bytes).
* rows: a record as a plain tuple of str/int/None, which ``marshal`` writes
  and reads in well under a microsecond, and ``build`` turns back into the
  frozen records without running their ``__init__`` (dates and points are
  shared between records). A record with keys this version does not know
  travels pickled instead. Partial rows (no notes, no citizen data) for a
  caller that does not need them.
* ``read_files``: one open, one fstat (the stat key) and one read per file.
* ``iter_read``/``read_many``: the files read and parsed by worker processes
  (one per core, ``python -m store.fastread``, each taking the next chunk
  when free), the rows sent back marshalled in chunks and handed on in order
  as they come in, with a progress callback.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import re
import select
import selectors
import stat
import struct
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date

from . import codec, folder
from .cpr import maybe_cpr
from .problems import ERROR, Problem
from .records import KINDS, OUTCOMES, STATUSES, Appeal, Citizen, Inquiry, Point
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


def partial_row(row: tuple) -> tuple:
    """``to_row(record, partial=True)`` from ``to_row(record)`` (a partial row stays as it is)."""
    kind = row[0]
    if kind == INQUIRY_ROW:  # no notes, no citizen data
        return (*row[:8], "", *row[9:12], None)
    if kind == APPEAL_ROW:  # no notes
        return (*row[:8], "")
    return to_row(Builder().build(row), partial=True)  # unknown keys: without them


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
# caselog's own layout, read without a TOML parser

# A basic string without escapes: its value is the text between the quotes.
# (TOML forbids control characters in one, except the tab; a quote or a
# backslash would need an escape, so neither is taken here.)
_STR = r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
_STR_ = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
# A free text (title, notes, result): that, or a multi-line basic string as
# codec writes one, whose value is the text after the new line that follows
# the opening quotes (no quote, backslash or CR inside).
_TEXT = r'(?:' + _STR + r'|"""\n([^"\\\x00-\x08\x0b-\x1f\x7f]*)""")'
_DATE = r'([0-9]{4}-[0-9]{2}-[0-9]{2})'
# An id of codec.ID_RE's form ([0-9] is narrower than its \d).
_ID = r'"([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-hjkmnp-tv-z]{4})"'
_POINT = r'department = ' + _STR + r'\ntheme = ' + _STR + r'\n(?:subtheme = ' + _STR + r'\n)?'
_POINT_ = r'department = ' + _STR_ + r'\ntheme = ' + _STR_ + r'\n(?:subtheme = ' + _STR_ + r'\n)?'

# codec.inquiry_to_toml's layout, keys in its order, nothing else.
_INQUIRY = re.compile(
    r'id = ' + _ID + r'\nreceived = ' + _DATE + r'\nkind = ' + _STR + r'\nstatus = ' + _STR
    + r'\n(?:closed = ' + _DATE + r'\n)?channel = ' + _STR + r'\ntitle = ' + _TEXT
    + r'\nnotes = ' + _TEXT + r'\n(?:source = ' + _STR + r'\n)?'
    + r'\n\[main\]\n' + _POINT
    + r'((?:\n\[\[follow_up\]\]\n' + _POINT_ + r')*)'
    + r'(?:\n\[citizen\]\nname = ' + _STR + r'\nphone = ' + _STR + r'\nemail = ' + _STR + r'\n)?'
)
_FOLLOW_UP = re.compile(r'\n\[\[follow_up\]\]\n' + _POINT)
# codec.appeal_to_toml's layout.
_APPEAL = re.compile(
    r'id = ' + _ID + r'\nreceived = ' + _DATE + r'\nboard = ' + _STR + r'\ndepartment = ' + _STR
    + r'\noutcome = ' + _STR + r'\n(?:remarks = \[((?:' + _STR_ + r'(?:, ' + _STR_ + r')*)?)\]\n)?'
    + r'result = ' + _TEXT + r'\nnotes = ' + _TEXT + r'\n'
)


class Canonical:
    """Rows straight from files in caselog's own layout (``codec.to_toml``'s output).

    A file matched by one of the patterns above is a valid TOML document
    whose parse is plain to see: these keys, in this order, with these
    strings and dates, nothing else. ``row`` gives the record's row only when
    ``codec`` would read the file without a single problem (every key known,
    every type right, codes valid, the file named after the id and in its
    month's folder, the taxonomy knowing every department, theme, channel,
    board and remark); anything
    else returns None and the file is read the usual way, which also
    explains what is wrong. Look-ups in the taxonomy are remembered, and
    repeated strings shared (marshal then writes them once).
    """

    def __init__(self, settings: Settings | None, partial: bool = False) -> None:
        self.settings = settings
        self.partial = partial  # rows without notes and citizen data (read_files)
        self.ordinals: dict[str, int | None] = {}
        self.departments: dict[str, bool] = {}
        self.points: dict[tuple, tuple | None] = {}
        self.same: dict = {}
        if settings is not None:
            self.channels = frozenset(settings.channels)
            self.boards = frozenset(settings.appeal_boards)
            self.remark_themes = frozenset(settings.remark_themes)

    def ordinal(self, text: str) -> int | None:
        n = self.ordinals.get(text, 0)
        if n == 0:
            try:
                n = date.fromisoformat(text).toordinal()
            except ValueError:  # 2024-02-30: not TOML at all
                n = None
            self.ordinals[text] = n
        return n

    def department(self, name: str) -> bool:
        known = self.departments.get(name)
        if known is None:
            known = self.departments[name] = self.settings.knows_department(name)
        return known

    def point(self, dept: str, theme: str, sub: str | None) -> tuple | None:
        """The point's row if codec finds nothing to say about it, else None."""
        key = (dept, theme, sub)
        try:
            return self.points[key]
        except KeyError:
            pass
        t = self.settings.theme(theme)
        ok = self.department(dept) and t is not None and (
            (sub in t.subthemes) if t.subthemes else sub is None)
        same = self.same.setdefault
        out = self.points[key] = (same(dept, dept), same(theme, theme),
                                  sub if sub is None else same(sub, sub)) if ok else None
        return out

    def row(self, raw: bytes, kind_dir: str, rel: str) -> tuple | None:
        if self.settings is None:
            return None
        if b"<<<<<<< " in raw:  # codec._parse's conflict markers, even inside a string
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if kind_dir == INQUIRIES:
            m = _INQUIRY.fullmatch(text)
            return None if m is None else self._inquiry(m.groups(), rel)
        if kind_dir == APPEALS:
            m = _APPEAL.fullmatch(text)
            return None if m is None else self._appeal(m.groups(), rel)
        return None

    def _inquiry(self, g: tuple, rel: str) -> tuple | None:
        (rid, received, kind, status, closed, channel, title, title_ml, notes, notes_ml, source,
         dept, theme, sub, follow, name, phone, email) = g
        # codec._check_id (the file named after the id), and no wrong-folder warning
        if rel != f"inquiries/{rid[:4]}/{rid[5:7]}/{rid}.toml":
            return None
        if kind not in KINDS or status not in STATUSES:
            return None
        ordinals = self.ordinals
        rec = ordinals.get(received) or self.ordinal(received)
        if rec is None:
            return None
        if closed is None:
            if status == "closed":  # closed-missing
                return None
            closed_n = 0
        else:
            closed_n = ordinals.get(closed) or self.ordinal(closed)
            # closed-without-status, closed-before-received
            if closed_n is None or status == "open" or closed_n < rec:
                return None
        if channel and channel not in self.channels:
            return None
        main = self.points.get((dept, theme, sub), False)
        if main is False:
            main = self.point(dept, theme, sub)
        if main is None:
            return None
        same = self.same.setdefault
        if follow:
            points = []
            for f in _FOLLOW_UP.finditer(follow):
                p = self.point(*f.groups())
                if p is None:
                    return None
                points.append(p)
            follow_row = same(t := tuple(points), t)
        else:
            follow_row = ()
        if self.partial:  # to_row(record, partial=True): no notes, no citizen data
            notes, citizen = "", None
        else:
            notes = notes if notes_ml is None else notes_ml
            citizen = None if name is None else (name, phone, email)
        return (
            INQUIRY_ROW, rid, rec, same(kind, kind), same(status, status), closed_n,
            same(channel, channel), title if title_ml is None else title_ml, notes,
            "" if source is None else source, main, follow_row, citizen,
        )

    def _appeal(self, g: tuple, rel: str) -> tuple | None:
        rid, received, board, dept, outcome, remarks, result, result_ml, notes, notes_ml = g
        if rel != f"appeals/{rid[:4]}/{rid[5:7]}/{rid}.toml" or outcome not in OUTCOMES:
            return None
        rec = self.ordinals.get(received) or self.ordinal(received)
        if rec is None or board not in self.boards or not self.department(dept):
            return None
        # the remarks' texts hold no quote: '", "' only ever separates two
        items = remarks[1:-1].split('", "') if remarks else []
        if (outcome == "remarks") != bool(items):  # remarks-missing, remarks-without-outcome
            return None
        same = self.same.setdefault
        for x in items:
            if x not in self.remark_themes:
                return None
        return (
            APPEAL_ROW, rid, rec, same(board, board), same(dept, dept), same(outcome, outcome),
            same(t := tuple([same(x, x) for x in items]), t),
            result if result_ml is None else result_ml,
            "" if self.partial else notes if notes_ml is None else notes_ml,
        )


# ---------------------------------------------------------------------------
# Reading many files

FileResult = tuple  # (kind_dir, rel, stat_key | None, record row | None, problem rows)
Read = tuple  # (stat_key | None, record row | None, problem rows): one file, as a worker sends it

# os.open that neither follows a link nor waits on a FIFO; without these
# flags every file goes through folder.read_path.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_FAST_OPEN = bool(_NOFOLLOW and _NONBLOCK)


def read_files(root: str, files: Sequence[tuple[str, str]], settings: Settings | None,
               canonical: Canonical | None = None) -> list[Read]:
    """Read ``files``: for each, ``(stat key, row, problem rows)`` as ``folder.read_path`` has them.

    The rows are partial (``to_row(record, partial=True)``) when ``canonical.partial``.

    Each file is opened once (no link followed, no FIFO waited on) and its
    stat taken from the open file; a file in caselog's own layout with
    nothing to report becomes a row at once (``Canonical``); anything else
    takes the usual way (``folder.read_bytes``), and anything unusual (a
    link, no regular file, too large, an error, a short read)
    ``folder.read_path`` itself.
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
    with _no_gc():
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
                record, problems = folder.read_bytes(raw, kind_dir, rel, mode, settings,
                                                     quick_cpr=True)
                append((key, _row_of(record, partial), _problem_rows(rel, problems)))
            elif mode & 0o077:
                warnings = folder.file_warnings(row[1], kind_dir, rel, mode)
                append((key, row, tuple(problem_row(p) for p in warnings)))
            else:
                append((key, row, ()))
    return out


@contextlib.contextmanager
def _no_gc():
    was = gc.isenabled()
    gc.disable()  # rows that live on: collections would scan them again and again
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_path(root: str, kind_dir: str, rel: str, settings: Settings | None,
               partial: bool) -> Read:
    record, problems, key = folder.read_path(root, kind_dir, rel, settings)
    return key, _row_of(record, partial), _problem_rows(rel, problems)


def _row_of(record: Inquiry | Appeal | None, partial: bool = False) -> tuple | None:
    return to_row(record, partial) if record is not None else None


def _problem_rows(rel: str, problems: list[Problem]) -> tuple:
    prows = tuple(problem_row(p) for p in problems)
    if prows and not _marshal_safe(prows):
        prows = ((rel, None, None, ERROR, "unreadable", (("detail", "?"),)),)
    return prows


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


CHUNK = 500  # files per message from a worker: its rows fit in the pipe (see Pool)


def read_many(
    root: str,
    files: Sequence[tuple[str, str]],
    settings: Settings | None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> list[FileResult]:
    """Read every file of ``files`` (in order): ``[(kind_dir, rel, key, row, problem rows)]``.

    With more than one core and enough files, worker processes
    (``python -m store.fastread``) read and parse; ``progress(done, total)``
    is called as chunks come in. Anything a worker fails to deliver is read
    here.
    """
    results: list[FileResult] = []
    with _no_gc():  # the rows live on: collections would only scan them again and again
        for part, reads in iter_read(root, files, settings, progress, workers, chunk):
            results.extend([(k, rel, *r) for (k, rel), r in zip(part, reads, strict=True)])
    return results


def default_workers() -> int:
    if os.name != "posix":  # the workers share a pipe of chunk numbers (os.pipe, pass_fds)
        return 1
    return min(os.cpu_count() or 1, 8)


def iter_read(
    root: str,
    files: Sequence[tuple[str, str]],
    settings: Settings | None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
    pool: Pool | None = None,
    partial: bool = False,
) -> Iterator[tuple[Sequence[tuple[str, str]], list[Read]]]:
    """``files`` read in chunks: ``(part of files, [(stat key, row, problem rows)])``, in order.

    In worker processes (``pool``, or started here when there are more than
    one core and enough files), else here. A chunk is given as soon as it
    and all before it are in, so the caller's work overlaps the workers'.
    ``partial``: rows without notes and citizen data (a pool must be started so).
    """
    total = len(files)
    parts = list(_chunks(files, chunk))
    if pool is None:
        if workers is None:
            workers = default_workers()
        if workers > 1 and total >= 4 * chunk:
            pool = Pool(root, settings, workers, partial)
    if pool is None or not parts:
        if pool is not None:
            pool.close()
        canonical = Canonical(settings, partial)
        done = 0
        for part in parts:
            reads = read_files(root, part, settings, canonical)
            done += len(reads)
            if progress is not None:
                progress(done, total)
            yield part, reads
        return
    got: dict[int, list[Read]] = {}
    done = 0
    n = 0  # the next chunk to give
    try:
        for k, reads in pool.run(parts):
            if not 0 <= k < len(parts) or k in got or len(reads) != len(parts[k]):
                continue  # not what was asked for: read again below
            got[k] = reads
            done += len(reads)
            if progress is not None:
                progress(done, total)
            while n in got:
                yield parts[n], got.pop(n)
                n += 1
    finally:
        pool.close()
    canonical = Canonical(settings, partial)
    for k in range(n, len(parts)):
        reads = got.pop(k, None)
        if reads is None:  # a worker failed: read it here
            reads = read_files(root, parts[k], settings, canonical)
            done += len(reads)
            if progress is not None:
                progress(min(done, total), total)
        yield parts[k], reads


_PIPE_SIZE = 1 << 20  # a chunk's rows (a few hundred kB) fit: a worker never waits on us


class Pool:
    """Worker processes (``python -m store.fastread``) reading files for this one.

    ``nice``: at a lower priority, so that an interface in this process stays
    responsive; a command that only waits for the result passes False.

    Start it as early as possible (a worker takes a while to import); it
    waits for ``run``. Every worker gets the list of chunks; the numbers of
    the chunks to read are written, in order, into one pipe that all of them
    read from, 8 bytes at a time (pipe reads and writes of whole numbers are
    atomic), so a worker takes the next chunk as soon as it is free: none
    stays idle while another has work left, and chunks come in about in
    order. A worker sends one message per chunk.
    """

    def __init__(self, root: str, settings: Settings | None, workers: int,
                 partial: bool = False, nice: bool = True) -> None:
        self.procs: list[subprocess.Popen] = []
        self.tasks = -1  # the write end of the pipe of chunk numbers
        env = dict(os.environ)
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        header = _frame(pickle.dumps((root, settings, partial), pickle.HIGHEST_PROTOCOL))
        args = [sys.executable, "-m", "store.fastread"]
        try:
            r, self.tasks = os.pipe()
        except OSError:
            return  # no workers: the caller reads everything
        try:
            _grow_pipe(self.tasks)
            for _ in range(workers):
                p = subprocess.Popen([*args, str(r), "nice" if nice else "-"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     pass_fds=(r,))
                self.procs.append(p)
                _grow_pipe(p.stdout.fileno())
                try:
                    p.stdin.write(header)
                    p.stdin.flush()
                except OSError:
                    pass  # it died: its chunks are read by the caller
        except (OSError, ValueError):
            pass  # no more processes: the ones started do all
        finally:
            os.close(r)

    def run(self, parts: Sequence[Sequence[tuple[str, str]]]) -> Iterator[tuple[int, list[Read]]]:
        """``(chunk number, reads)`` as they come in; chunks not delivered are left out."""
        procs = self.procs
        if not procs:
            return
        data = _frame(marshal.dumps([list(part) for part in parts]))
        for p in procs:
            try:
                p.stdin.write(data)
                p.stdin.close()
            except (OSError, ValueError):
                pass
        del data
        numbers = b"".join([struct.pack("<q", k) for k in range(len(parts))])
        step = getattr(select, "PIPE_BUF", 512) // 8 * 8  # an atomic write of whole numbers
        try:
            for i in range(0, len(numbers), step):
                os.write(self.tasks, numbers[i:i + step])
        except OSError:
            pass  # no worker left: the chunks are read by the caller
        finally:
            os.close(self.tasks)
            self.tasks = -1
        sel = selectors.DefaultSelector()
        try:
            for p in procs:
                sel.register(p.stdout, selectors.EVENT_READ, p)
            open_ = len(procs)
            while open_:
                for key, _ in sel.select():
                    f = key.fileobj
                    try:
                        k, n = struct.unpack("<qQ", _read_exact(f, 16))
                        reads = marshal.loads(_read_exact(f, n))
                    except (EOFError, ValueError, TypeError, OSError):
                        sel.unregister(f)
                        open_ -= 1
                        continue
                    yield k, reads
        finally:
            sel.close()

    def close(self) -> None:
        if self.tasks >= 0:
            os.close(self.tasks)
            self.tasks = -1
        for p in self.procs:
            try:
                p.kill()
            except OSError:
                pass
            p.wait()
            for f in (p.stdin, p.stdout):
                if f is not None:
                    with contextlib.suppress(OSError, ValueError):
                        f.close()
        self.procs = []


def _grow_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # a smaller pipe: slower, not wrong


def _worker() -> None:
    """A reading process: a header and the list of chunks on stdin, the numbers of the
    chunks to read from the pipe named in argv (shared with the other workers), a
    message per chunk on stdout."""
    if sys.argv[2:3] == ["nice"]:
        try:
            os.nice(5)  # keep the interface (the parent) responsive
        except OSError:
            pass
    gc.disable()  # only short-lived objects here
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    (n,) = struct.unpack("<Q", _read_exact(inp, 8))
    root, settings, partial = pickle.loads(_read_exact(inp, n))
    canonical = Canonical(settings, partial)
    (n,) = struct.unpack("<Q", _read_exact(inp, 8))
    parts = marshal.loads(_read_exact(inp, n))
    tasks = int(sys.argv[1])
    while True:
        number = os.read(tasks, 8)
        if len(number) != 8:
            break  # all taken (or something odd: the caller reads what is missing)
        (k,) = struct.unpack("<q", number)
        data = marshal.dumps(read_files(root, parts[k], settings, canonical))
        out.write(struct.pack("<qQ", k, len(data)))
        out.write(data)
        out.flush()


if __name__ == "__main__":
    _worker()
