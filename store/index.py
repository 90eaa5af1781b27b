"""The derived index of a data folder: ``.caselog/index``.

Opening a folder of 100,000 inquiries by reading every file takes seconds;
the index holds what the list and the tables need, so that the first screen
comes up at once. It is never the truth:

* it is checked against the folder after the first screen appears
  (``verify``: one stat of every file; new, changed and deleted files are
  read again through ``Workspace.reload_path``);
* it is rebuilt when it is missing, unreadable, truncated, of another
  version, written by other code (a fingerprint of the reading code), or for
  another ``caselog.toml``;
* deleting it loses nothing.

What it holds per file: the path, (mtime_ns, size, mode) as the file was
read, its problems, and its record *without* notes, citizen data or keys
this version does not know. The records built from it are therefore
*partial*: identical to the files' in every field the list and the tables
use (id, dates, kind, status, channel, title, source, points; an appeal's
board, department, outcome, remarks, result), with ``notes=""``,
``citizen=None`` and empty ``extra``. ``Workspace.get``/``full`` read the
file before a record is shown or edited, and ``Workspace.save`` fills in
what a caller built from a partial record could not have seen.

The title stays in the index: the list shows it. Notes and citizen data
never enter it.

Format: one header line ``caselog-index <version> <blake2b hex> <length>``
and a ``marshal`` payload (plain tuples of str/int/None: no code runs on
load, unlike pickle). The summary tally of the records is stored beside
them, so that opening does not count 100,000 records again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import stat
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from . import fastread
from .files import atomic_write, ensure_dir
from .folder import (
    APPEALS,
    CACHE_DIR,
    INQUIRIES,
    DataFolder,
    LoadResult,
    conflict_copy,
    read_path,
)
from .periods import Period
from .problems import ERROR, Problem
from .records import Appeal, Inquiry
from .summary import PeriodCounts, Tally
from .taxonomy import SETTINGS_FILE, Settings

INDEX_NAME = "index"
VERSION = 2  # 2: entries as columns
MAGIC = b"caselog-index"
RACY_NS = 2_000_000_000  # a file changed this close to the index's writing is read again

# The modules whose code decides what a file reads as; a change to any of
# them makes an old index stale.
_SOURCES = ("codec", "records", "problems", "taxonomy", "folder", "fastread", "index",
            "summary", "periods", "cpr")

StatKey = tuple[int, int, int]


def index_path(root: Path) -> Path:
    return Path(root) / CACHE_DIR / INDEX_NAME


_fingerprint: str | None = None


def code_fingerprint() -> str:
    global _fingerprint
    if _fingerprint is None:
        h = hashlib.blake2b(f"{VERSION}".encode(), digest_size=16)
        here = Path(__file__).parent
        for name in _SOURCES:
            try:
                h.update((here / f"{name}.py").read_bytes())
            except OSError:
                h.update(name.encode())
        h.update(b"rtoml" if fastread.rtoml is not None else b"tomllib")
        _fingerprint = h.hexdigest()
    return _fingerprint


def settings_digest(root: Path) -> str:
    try:
        return hashlib.blake2b((Path(root) / SETTINGS_FILE).read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""


# ---------------------------------------------------------------------------
# Walking the folder: the files of DataFolder.scan, with their stat


def walk(root: Path, with_stats: bool = True, found_some: Callable[[int], None] | None = None,
         ) -> tuple[list[tuple[str, str]], list[Problem], dict[str, StatKey]]:
    """``DataFolder.scan()`` in one pass with ``os.scandir``, and each file's stat key.

    ``with_stats=False``: no stat keys (a full read takes them from the open files).
    ``found_some(n)`` is called after each folder with the number of files found so far.
    """
    root = str(root)
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    stats: dict[str, StatKey] = {}

    def visit(kind_dir: str, rel_dir: str) -> None:
        try:
            with os.scandir(os.path.join(root, rel_dir)) as it:
                entries = list(it)
        except OSError:
            return
        dirs: list[str] = []
        files: list[os.DirEntry] = []
        for e in entries:
            try:
                is_dir = e.is_dir()  # follows links, as os.walk does
            except OSError:
                is_dir = False
            if is_dir:
                if e.is_symlink():
                    problems.append(Problem(f"{rel_dir}/{e.name}", None, None, ERROR, "symlink"))
                elif not e.name.startswith("."):
                    dirs.append(e.name)
            else:
                files.append(e)
        files.sort(key=lambda e: e.name)
        for e in files:
            name = e.name
            copy = conflict_copy(rel_dir, name)
            if copy is not None:
                problems.append(copy)
                continue
            if not name.endswith(".toml") or name.startswith("."):
                continue
            rel = f"{rel_dir}/{name}"
            if e.is_symlink():
                problems.append(Problem(rel, None, None, ERROR, "symlink"))
                continue
            found.append((kind_dir, rel))
            if with_stats:
                try:
                    stats[rel] = fastread.stat_key(e.stat(follow_symlinks=False))
                except OSError:
                    pass
        if found_some is not None:
            found_some(len(found))
        for d in sorted(dirs):
            visit(kind_dir, f"{rel_dir}/{d}")

    for kind_dir in (INQUIRIES, APPEALS):
        top = os.path.join(root, kind_dir)
        if os.path.islink(top):
            problems.append(Problem(kind_dir, None, None, ERROR, "symlink"))
            continue
        if not os.path.isdir(top):
            continue
        visit(kind_dir, kind_dir)
    return found, problems, stats


# ---------------------------------------------------------------------------
# What an open folder is made of


@dataclass
class Loaded:
    """A folder as loaded, from the index or the files.

    ``stats`` holds, for each file whose state in ``result`` matches it, the
    stat the file had when read (None: read it again on verify);
    ``partial`` the ids of records built from the index; ``read_rows`` the
    entries ``(kind_dir, rel, key, partial row, problem rows)`` of a full read,
    from which ``save`` writes the index without going over the records again.
    """

    result: LoadResult
    stats: dict[str, StatKey | None] = field(default_factory=dict)
    partial: set[str] = field(default_factory=set)
    tally: Tally | None = None
    from_index: bool = False
    scan_problems: list[Problem] = field(default_factory=list)
    duplicates: dict[str, Inquiry | Appeal] = field(default_factory=dict)  # rel -> not counted
    read_rows: list[tuple] | None = field(default=None, repr=False)
    # When the full read began: the racy window of ``read_rows``' stats counts
    # from then, however much later the index is written.
    read_ns: int | None = None


@contextlib.contextmanager
def no_gc(freeze: bool = False):
    """Without the cyclic garbage collector: building 100,000s of objects that
    live on would otherwise set off collections that scan them all, again and
    again (seconds at 100k).

    ``freeze``: the objects built are moved out of the collector's sight
    (``gc.freeze``, as ``Workspace.open`` does) before it is on again; else
    the first collection after it goes over every one of them (0.2 s at 100k).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()


def _assemble(settings: Settings, entries, scan_problems: list[Problem], partial: bool,
              builder: fastread.Builder | None = None) -> Loaded:
    """A Loaded from entries ``(kind_dir, rel, key, row, problem rows)`` in scan order."""
    with no_gc():
        return _assemble_(settings, entries, scan_problems, partial, builder)


def _assemble_(settings: Settings, entries, scan_problems: list[Problem], partial: bool,
               builder: fastread.Builder | None = None) -> Loaded:
    assembler = _Assembler(settings, scan_problems, partial, builder)
    assembler.add(entries)
    return assembler.loaded


class _Assembler:
    """Builds a Loaded from entries ``(kind_dir, rel, key, row, problem rows)``
    given in scan order, a part at a time; ``tally``: counts them as well (as
    ``Tally.of`` the records would: the same records in the same order)."""

    def __init__(self, settings: Settings, scan_problems: list[Problem], partial: bool,
                 builder: fastread.Builder | None = None, tally: bool = False) -> None:
        self.builder = builder or fastread.Builder()
        result = LoadResult(settings)
        result.problems.extend(scan_problems)
        self.loaded = Loaded(result, scan_problems=list(scan_problems))
        self.partial = partial
        if tally:
            self.loaded.tally = Tally(settings)

    def add(self, entries) -> None:
        if not self._add_plain(entries):
            self._add(entries)

    def _add_plain(self, entries) -> bool:
        """``_add`` for the common part: rows of one kind (inquiries or appeals), no
        problems, ids not seen before (False, nothing done, when not so)."""
        if not entries:
            return True
        rows = list(map(itemgetter(3), entries))
        if None in rows or any(map(itemgetter(4), entries)):
            return False
        kinds = set(map(itemgetter(0), rows))
        if kinds != {fastread.INQUIRY_ROW} and kinds != {fastread.APPEAL_ROW}:
            return False
        ids = list(map(itemgetter(1), rows))
        loaded = self.loaded
        result = loaded.result
        paths = result.paths
        if len(set(ids)) != len(ids) or not paths.keys().isdisjoint(ids):
            return False
        rels = list(map(itemgetter(1), entries))
        loaded.stats.update(zip(rels, map(itemgetter(2), entries), strict=True))
        records = list(map(self.builder.build, rows))
        paths.update(zip(ids, rels, strict=True))
        target = result.inquiries if kinds == {fastread.INQUIRY_ROW} else result.appeals
        target.update(zip(ids, records, strict=True))
        if self.partial:
            loaded.partial.update(ids)
        if loaded.tally is not None:
            count = loaded.tally.add
            for r in records:
                count(r)
        return True

    def _add(self, entries) -> None:
        loaded = self.loaded
        result = loaded.result
        stats = loaded.stats
        build = self.builder.build
        problem_of = fastread.problem_of
        add = DataFolder._add
        partial = self.partial
        partial_ids = loaded.partial
        count = loaded.tally.add if loaded.tally is not None else None
        problems = result.problems
        for _kind_dir, rel, key, row, prows in entries:
            stats[rel] = key
            if prows:
                problems.extend(problem_of(p) for p in prows)
            if row is not None:
                record = build(row)
                n = len(problems)
                add(result, record, rel)
                if len(problems) != n:  # the id is taken: a duplicate
                    loaded.duplicates[rel] = record
                    continue
                if partial:
                    partial_ids.add(record.id)
                if count is not None:
                    count(record)


# ---------------------------------------------------------------------------
# Reading and writing the index


class IndexError_(Exception):
    """The index cannot be used (missing, damaged, stale)."""


def _read_payload(root: Path) -> tuple:
    """``(entries, scan problem rows, tally rows)``; raises IndexError_."""
    p = index_path(root)
    try:
        with open(p, "rb") as f:
            data = f.read()
    except OSError as e:
        raise IndexError_(f"cannot read: {e}") from None
    nl = data.find(b"\n", 0, 200)
    if nl < 0:
        raise IndexError_("no header")
    try:
        magic, version, digest, length = data[:nl].split(b" ")
        version_n, length_n = int(version), int(length)
    except ValueError:
        raise IndexError_("bad header") from None
    if magic != MAGIC or version_n != VERSION:
        raise IndexError_("another version")
    payload = memoryview(data)[nl + 1:]
    if len(payload) != length_n:
        raise IndexError_("truncated")
    if hashlib.blake2b(payload, digest_size=16).hexdigest().encode() != digest:
        raise IndexError_("checksum")
    try:
        with no_gc():
            fingerprint, sdigest, columns, scan_rows, tally_rows = marshal.loads(payload)
    except (ValueError, EOFError, TypeError) as e:
        raise IndexError_(f"unreadable payload: {e}") from None
    if fingerprint != code_fingerprint():
        raise IndexError_("written by other code")
    if sdigest != settings_digest(root):
        raise IndexError_("caselog.toml changed")
    return columns, scan_rows, tally_rows


# The index holds its entries as columns, which read back into dicts at C
# speed: ``(rels, keys, ((position, problem rows), ...), record rels, record rows)``
# -- every file's path and stat in scan order, the problems of the few files
# that have any, and the records (partial rows) with their paths, in scan order.


def _columns(entries) -> tuple:
    """Index columns from entries ``(kind_dir, rel, key, row, problem rows)``."""
    rels = tuple(e[1] for e in entries)
    keys = tuple(e[2] for e in entries)
    problems = tuple((i, e[4]) for i, e in enumerate(entries) if e[4])
    with_row = [e for e in entries if e[3] is not None]
    return rels, keys, problems, tuple(e[1] for e in with_row), tuple(e[3] for e in with_row)


def _entries(columns) -> list[tuple]:
    """The entries ``(kind_dir, rel, key, row, problem rows)`` that ``columns`` hold."""
    rels, keys, problems, rec_rels, rec_rows = columns
    if len(rels) != len(keys) or len(rec_rels) != len(rec_rows):
        raise ValueError("columns of different lengths")
    rows = dict(zip(rec_rels, rec_rows, strict=True))
    prows = dict(problems)
    return [(INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS, rel, key,
             rows.get(rel), prows.get(i, ())) for i, (rel, key) in enumerate(zip(rels, keys, strict=True))]


_INDEX_ROWS = (fastread.INQUIRY_ROW, fastread.APPEAL_ROW)


def _build_partial(rows) -> list:
    """Records from the index's (partial) rows.

    Attributes are set one by one rather than through ``__dict__``: CPython
    3.11+ then keeps them inline in the object, with no dict of their own
    (about 280 bytes less per record: 33 MB at 100,000), for 0.6 microseconds
    more per record than ``fastread.Builder.build``, whose records are equal.
    """
    b = fastread.Builder()
    date_of, point_of = b.date, b.point
    new, put = object.__new__, object.__setattr__
    empty = ()
    out = []
    append = out.append
    for row in rows:
        if row[0] == fastread.INQUIRY_ROW:
            (_, rid, rec, kind, status, closed, channel, title, notes, source, main, follow,
             _citizen) = row
            o = new(Inquiry)
            put(o, "id", rid)
            put(o, "received", date_of(rec))
            put(o, "kind", kind)
            put(o, "status", status)
            put(o, "main", point_of(main))
            put(o, "closed", date_of(closed) if closed else None)
            put(o, "channel", channel)
            put(o, "title", title)
            put(o, "notes", notes)
            put(o, "follow_up", tuple([point_of(p) for p in follow]) if follow else empty)
            put(o, "citizen", None)
            put(o, "source", source)
            put(o, "extra", {})
        else:
            _, rid, rec, board, dept, outcome, remarks, result, notes = row
            o = new(Appeal)
            put(o, "id", rid)
            put(o, "received", date_of(rec))
            put(o, "board", board)
            put(o, "department", dept)
            put(o, "outcome", outcome)
            put(o, "remarks", tuple(remarks))
            put(o, "result", result)
            put(o, "notes", notes)
            put(o, "extra", {})
        append(o)
    return out


def _assemble_columns(settings: Settings, columns, scan_problems: list[Problem]) -> Loaded:
    """``_assemble(..., partial=True)`` straight from the columns: dicts made with
    zip, one record built per row, no Python loop per file (unless ids repeat)."""
    rels, keys, problems, rec_rels, rec_rows = columns
    if len(rels) != len(keys) or len(rec_rels) != len(rec_rows):
        raise ValueError("columns of different lengths")
    kinds = list(map(itemgetter(0), rec_rows))
    n_inq = kinds.count(fastread.INQUIRY_ROW)
    ids = list(map(itemgetter(1), rec_rows))
    if n_inq + kinds.count(fastread.APPEAL_ROW) != len(kinds):  # never unpickle from the index
        raise ValueError("a row of another kind in the index")
    if fastread.APPEAL_ROW in kinds[:n_inq] or len(set(ids)) != len(ids):
        # Not the common case (ids that repeat, or out of scan order): entry by entry.
        return _assemble(settings, _entries(columns), scan_problems, partial=True)
    with no_gc():
        result = LoadResult(settings)
        result.problems.extend(scan_problems)
        problem_of = fastread.problem_of
        for _i, prows in problems:
            result.problems.extend(problem_of(p) for p in prows)
        records = _build_partial(rec_rows)
        result.paths = dict(zip(ids, rec_rels, strict=True))
        result.inquiries = dict(zip(ids[:n_inq], records[:n_inq], strict=True))
        result.appeals = dict(zip(ids[n_inq:], records[n_inq:], strict=True))
        loaded = Loaded(result, stats=dict(zip(rels, keys, strict=True)), partial=set(ids),
                        scan_problems=list(scan_problems))
    return loaded


def read_index(root: Path, settings: Settings) -> Loaded:
    """The folder as the index has it; raises IndexError_ when it cannot be used."""
    columns, scan_rows, tally_rows = _read_payload(root)
    try:
        loaded = _assemble_columns(settings, columns, [fastread.problem_of(r) for r in scan_rows])
        loaded.tally = _tally_from_rows(settings, tally_rows)
    except _BAD as e:
        raise IndexError_(f"bad entries: {e}") from None
    loaded.from_index = True
    return loaded


_BAD = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


def load_fresh(folder: DataFolder, settings: Settings,
               progress: Callable[[int, int], None] | None = None,
               workers: int | None = None, records: bool = True) -> Loaded:
    """The folder as it is now, for a command: the index checked by stat, the
    files that changed read again; every file read when there is no usable
    index. The index is brought up to date (when the folder can be written).

    ``records=False``: the caller needs only the tally and the problems; when
    nothing changed, no record is built (``result`` holds none).
    """
    root = folder.root
    columns = None
    copies_moved = False
    try:
        columns, scan_rows, tally_rows = _read_payload(root)
        scan_problems = [fastread.problem_of(r) for r in scan_rows]
        stats = dict(zip(columns[0], columns[1], strict=True))
        tree = Tree(with_keys=False)
        changed = verify(root, stats, scan_problems, tree)
        # A merge's conflict copies came or went: the walk below lists them again.
        copies_moved = tree.conflicts != {p.path for p in scan_problems
                                          if p.code == "conflict-copy"}
        # (a repeated id needs the records: its duplicate-id error is made from them)
        if not copies_moved and not records and len(changed) <= 100 \
                and not any(p.code == "symlink" for p in scan_problems) \
                and len(set(map(itemgetter(1), columns[4]))) == len(columns[4]):
            loaded = _problems_only(settings, columns, scan_problems, stats,
                                    _tally_from_rows(settings, tally_rows))
            if not changed or _count_changed(root, settings, loaded, columns, changed):
                return loaded
        if not changed and not copies_moved:
            loaded = _assemble_columns(settings, columns, scan_problems)
            loaded.tally = _tally_from_rows(settings, tally_rows)
            loaded.from_index = True
            return loaded
        if not copies_moved and len(changed) <= max(1000, len(columns[0]) // 4) \
                and not any(p.code == "symlink" for p in scan_problems):
            loaded = _assemble_columns(settings, columns, scan_problems)
            loaded.tally = _tally_from_rows(settings, tally_rows)
            if _read_changed(root, settings, loaded, changed):
                loaded.from_index = True
                if len(changed) > 100:  # a few files are cheaper to read again next time
                    _save_quietly(folder, loaded)
                return loaded
    except IndexError_:
        changed = None
    except _BAD:
        changed = None
    if changed is None or len(changed) > max(1000, len(columns[0]) // 4):
        loaded = read_all(folder, settings, progress, workers)
    else:
        found, scan_problems, _ = walk(root)
        by_rel = {e[1]: e for e in _entries(columns)}
        changed_set = set(changed)
        redo = [(k, rel) for k, rel in found if rel in changed_set or rel not in by_rel]
        fresh = {e[1]: e for e in fastread.read_many(str(root), redo, settings, workers=1)}
        merged = [fresh.get(rel) or by_rel[rel] for _k, rel in found]
        loaded = _assemble(settings, merged, scan_problems, partial=True)
        loaded.partial -= {e[3][1] for e in fresh.values() if e[3] is not None and e[3][0] != 2}
        loaded.from_index = True
    loaded.tally = Tally.of(settings, loaded.result.inquiries.values(),
                            loaded.result.appeals.values())
    # (a few changed files are cheaper to read again next time than the index to write)
    if changed is None or len(changed) > 100 or copies_moved:
        _save_quietly(folder, loaded)
    return loaded


def _save_quietly(folder: DataFolder, loaded: Loaded) -> None:
    try:
        save(folder, loaded)
    except OSError:
        pass  # a read-only folder works without an index


def _problems_only(settings: Settings, columns, scan_problems: list[Problem],
                   stats: dict, tally: Tally) -> Loaded:
    """A Loaded with the index's problems, stats and tally, and no records."""
    result = LoadResult(settings)
    result.problems.extend(scan_problems)
    for _i, prows in columns[2]:
        result.problems.extend(fastread.problem_of(p) for p in prows)
    return Loaded(result, stats=stats, tally=tally, from_index=True,
                  scan_problems=list(scan_problems))


def _follow_changed(root: Path, settings: Settings, loaded: Loaded, changed: list[str],
                    take_old: Callable[[str], Inquiry | Appeal | None],
                    put_new: Callable[[str, Inquiry | Appeal], bool]) -> bool:
    """Bring ``loaded`` (from the index, with its tally) up to date with the files
    in ``changed``, one at a time: ``take_old(rel)`` removes and gives the record
    the index had for a file, ``put_new(rel, record)`` adds the one it holds now
    (False: its id belongs to another file). False (``loaded`` half updated:
    throw it away) when ids meet or a link turns up: the caller reads the long way."""
    gone = set(changed)
    result = loaded.result
    result.problems = [p for p in result.problems if p.path not in gone]
    for rel in changed:
        old = take_old(rel)
        if old is not None:
            loaded.tally.replace(old, None)
        path = os.path.join(str(root), rel)
        if os.path.islink(path):  # links are the walk's to report
            return False
        if not os.path.lexists(path):
            loaded.stats.pop(rel, None)
            continue
        kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
        record, problems, key = read_path(str(root), kind_dir, rel, settings)
        loaded.stats[rel] = key
        result.problems.extend(problems)
        if record is not None:
            if not put_new(rel, record):
                return False
            loaded.tally.replace(None, record)
    return True


def _count_changed(root: Path, settings: Settings, loaded: Loaded, columns,
                   changed: list[str]) -> bool:
    """``_follow_changed`` for a Loaded without records: only the old rows of the
    changed files become records, to leave the tally."""
    _rels, _keys, _problems, rec_rels, rec_rows = columns
    row_of = dict(zip(rec_rels, rec_rows, strict=True))
    owner = dict(zip(map(itemgetter(1), rec_rows), rec_rels, strict=True))  # id -> path
    if len(owner) != len(rec_rows):
        return False
    build = fastread.Builder().build

    def take_old(rel: str) -> Inquiry | Appeal | None:
        row = row_of.get(rel)
        if row is None:
            return None
        if row[0] not in _INDEX_ROWS:
            raise ValueError("a row of another kind in the index")
        old = build(row)
        owner.pop(old.id, None)
        return old

    def put_new(rel: str, record: Inquiry | Appeal) -> bool:
        return owner.setdefault(record.id, rel) == rel

    return _follow_changed(root, settings, loaded, changed, take_old, put_new)


def _read_changed(root: Path, settings: Settings, loaded: Loaded, changed: list[str]) -> bool:
    """``_follow_changed`` for a Loaded with the index's records."""
    if loaded.duplicates:
        return False
    result = loaded.result
    by_path = dict(zip(result.paths.values(), result.paths.keys(), strict=True))

    def take_old(rel: str) -> Inquiry | Appeal | None:
        old_id = by_path.pop(rel, None)
        if old_id is None:
            return None
        del result.paths[old_id]
        loaded.partial.discard(old_id)
        return result.inquiries.pop(old_id, None) or result.appeals.pop(old_id, None)

    def put_new(rel: str, record: Inquiry | Appeal) -> bool:
        if record.id in result.paths:
            return False
        result.paths[record.id] = rel
        by_path[rel] = record.id
        (result.inquiries if isinstance(record, Inquiry) else result.appeals)[
            record.id] = record  # type: ignore[assignment]
        return True

    return _follow_changed(root, settings, loaded, changed, take_old, put_new)


def _tally_rows(tally: Tally) -> tuple:
    out = []
    for p, c in tally.periods.items():
        out.append((
            p.start.toordinal(), p.end.toordinal(), c.inquiries,
            tuple(c.kinds.items()), tuple(c.main.items()), tuple(c.follow_up.items()),
            tuple(c.cells.items()), tuple(c.appeals.items()), tuple(c.remarks.items()),
        ))
    return tuple(out)


def _tally_from_rows(settings: Settings, rows) -> Tally:
    from datetime import date

    t = Tally(settings)
    for start, end, n, kinds, main, follow, cells, appeals, remarks in rows:
        t.periods[Period(date.fromordinal(start), date.fromordinal(end))] = PeriodCounts(
            n, Counter(dict(kinds)), Counter(dict(main)), Counter(dict(follow)),
            Counter(dict(cells)), Counter(dict(appeals)), Counter(dict(remarks)),
        )
    return t


def write_index(root: Path, entries: list[tuple], scan_problems: list[Problem],
                tally: Tally, now_ns: int | None = None) -> None:
    """Write the index atomically from entries ``(kind_dir, rel, key, record|None, problems)``.

    Records are written partial; a file modified within ``RACY_NS`` of now is
    written without its stat so that it is read again next time (its mtime
    may not tell a change made in the same tick).
    """
    now_ns = time.time_ns() if now_ns is None else now_ns
    limit = now_ns - RACY_NS
    to_row = fastread.to_row
    prow = fastread.problem_row
    same: dict = {}
    out = []
    for kind_dir, rel, key, record, problems in entries:
        if key is not None and key[0] > limit:
            key = None
        prows = tuple(prow(p) for p in problems if p.code != "duplicate-id")
        row = to_row(record, partial=True, same=same) if record is not None else None
        out.append((kind_dir, rel, key, row, prows))
    _write(root, out, scan_problems, tally)


def write_rows(root: Path, entries: list[tuple], scan_problems: list[Problem], tally: Tally,
               now_ns: int | None = None, partial: bool = False) -> None:
    """``write_index`` from the entries of a full read ``(kind_dir, rel, key, row, problem
    rows)``: the rows made partial as ``to_row(record, partial=True)`` makes them (``partial``:
    they are already). The same columns as ``_columns``, made column by column."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    limit = now_ns - RACY_NS
    with no_gc():
        keys = tuple([None if k is not None and k[0] > limit else k
                      for k in map(itemgetter(2), entries)])
        with_row = [e for e in entries if e[3] is not None]
        rows = map(itemgetter(3), with_row)
        columns = (
            tuple(map(itemgetter(1), entries)), keys,
            tuple([(i, e[4]) for i, e in enumerate(entries) if e[4]]),
            tuple(map(itemgetter(1), with_row)),
            tuple(rows if partial else map(fastread.partial_row, rows)),
        )
        del with_row, rows
        _write_columns(root, columns, scan_problems, tally)
        del columns, keys  # before the collector is on again: it would go over them all


def _write(root: Path, out: list[tuple], scan_problems: list[Problem], tally: Tally) -> None:
    _write_columns(root, _columns(out), scan_problems, tally)


def _write_columns(root: Path, columns: tuple, scan_problems: list[Problem],
                   tally: Tally) -> None:
    prow = fastread.problem_row
    payload = marshal.dumps((
        code_fingerprint(), settings_digest(root), columns,
        tuple(prow(p) for p in scan_problems), _tally_rows(tally),
    ))
    digest = hashlib.blake2b(payload, digest_size=16).hexdigest()
    header = b"%s %d %s %d\n" % (MAGIC, VERSION, digest.encode(), len(payload))
    ensure_dir(Path(root) / CACHE_DIR)
    atomic_write(index_path(root), header + payload)


def remove_index(root: Path) -> None:
    try:
        index_path(root).unlink()
    except FileNotFoundError:
        pass


# ---------------------------------------------------------------------------
# Loading a folder


def read_all(folder: DataFolder, settings: Settings,
             progress: Callable[[int, int], None] | None = None,
             workers: int | None = None, partial: bool = False,
             nice: bool = True) -> Loaded:
    """Read every file (in parallel where it pays): the truth, full records, and their tally
    (and in ``read_rows`` the index's entries, for ``save``).

    Worker processes are started as soon as the walk has found enough files
    (their start overlaps the rest of the walk); the records are built here
    as the chunks come in. The stat keys are taken from the open files.
    ``partial``: the records without notes and citizen data, as from the
    index (for a caller that needs only problems, tally or the index: what
    is not needed is not sent from the workers). ``nice``: the workers at a
    lower priority (an interface waits; a command line need not).
    """
    root = str(folder.root)
    read_ns = time.time_ns()
    if workers is None:
        workers = fastread.default_workers()
    pool: fastread.Pool | None = None

    def found_some(n: int) -> None:
        nonlocal pool
        if pool is None and workers > 1 and n >= 4 * fastread.CHUNK:
            pool = fastread.Pool(root, settings, workers, partial, nice)

    try:
        found, scan_problems, _ = walk(folder.root, with_stats=False, found_some=found_some)
        assembler = _Assembler(settings, scan_problems, partial=partial, tally=True)
        rows: list[tuple] = []
        partial_row = fastread.partial_row
        with no_gc(freeze=True):
            for part, reads in fastread.iter_read(root, found, settings, progress, workers,
                                                  fastread.CHUNK, pool, partial):
                entries = [(k, rel, *r) for (k, rel), r in zip(part, reads, strict=True)]
                assembler.add(entries)
                if not partial:  # the index's rows, made here while the workers work
                    entries = [e if e[3] is None else (*e[:3], partial_row(e[3]), e[4])
                               for e in entries]
                rows += entries
    finally:
        if pool is not None:
            pool.close()
    loaded = assembler.loaded
    loaded.read_rows = rows
    loaded.read_ns = read_ns
    return loaded


def entries_of(loaded: Loaded) -> list[tuple]:
    """Index entries for what ``loaded`` holds, in path order."""
    result = loaded.result
    by_path: dict[str, list[Problem]] = {}
    for p in result.problems:
        by_path.setdefault(p.path, []).append(p)
    scan = {id(p) for p in loaded.scan_problems}
    records = {rel: result.inquiries.get(rid) or result.appeals.get(rid)
               for rid, rel in result.paths.items()}
    records.update(loaded.duplicates)
    out = []
    for rel, key in loaded.stats.items():
        kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
        problems = [p for p in by_path.get(rel, ()) if id(p) not in scan]
        out.append((kind_dir, rel, key, records.get(rel), problems))
    out.sort(key=lambda e: _scan_order(e[1]))
    return out


def _scan_order(rel: str) -> tuple:
    # scan order: inquiries before appeals; in a folder its files, then its subfolders
    top, _, rest = rel.partition("/")
    parts = rest.split("/")
    return (top != INQUIRIES, [(1, p) for p in parts[:-1]] + [(0, parts[-1])])


def save(folder: DataFolder, loaded: Loaded) -> None:
    """Write the index for a freshly loaded folder (full read or index + verify)."""
    tally = loaded.tally or Tally.of(loaded.result.settings, loaded.result.inquiries.values(),
                                     loaded.result.appeals.values())
    if loaded.read_rows is not None:
        write_rows(folder.root, loaded.read_rows, loaded.scan_problems, tally,
                   now_ns=loaded.read_ns, partial=True)
    else:
        write_index(folder.root, entries_of(loaded), loaded.scan_problems, tally)


def load_with_index(folder: DataFolder, settings: Settings,
                    progress: Callable[[int, int], None] | None = None,
                    workers: int | None = None, write: bool = True,
                    partial: bool = False) -> tuple[Loaded, bool]:
    """The folder, fast from the index when it can be used: ``(loaded, rebuilt)``.

    ``rebuilt`` is True when the index could not be used: every file was read
    (``progress(done, total)`` is called meanwhile) and a new index written
    (``write=False``: not written; ``save(folder, loaded)`` does it later;
    ``partial``: the records read without notes and citizen data, as from the
    index; a caller that shows them reads the rest when needed).
    A loaded index is not yet verified: run ``verify`` (in the background).
    """
    try:
        return read_index(folder.root, settings), False
    except IndexError_:
        pass
    loaded = read_all(folder, settings, progress, workers, partial=partial)  # with its tally
    if write:
        try:
            save(folder, loaded)
        except OSError:
            pass  # a read-only folder works without an index
    return loaded, True


def verify(root: Path, stats: dict[str, StatKey | None],
           scan_problems: list[Problem] | None = None,
           tree: Tree | None = None) -> list[str]:
    """The files that differ from ``stats`` (new, changed, deleted), in path order.

    One stat per file; safe to run in a thread (``stats`` is copied first).
    Symbolic links that appeared or vanished are listed too. ``tree``: filled
    with what was seen (the folder watcher starts from it).
    """
    stats = dict(stats)
    now, after = stat_tree(root, tree)
    if tree is not None and tree.with_keys:  # the tuples of ``stats`` where equal: one copy, not two
        get = stats.get
        tree.keys = {rel: old if (old := get(rel)) == key else key for rel, key in now.items()}
    before = {p.path for p in scan_problems or () if p.code == "symlink"}
    if now == stats and before == after:
        return []
    changed = [rel for rel, key in now.items() if key is None or stats.get(rel, 0) != key]
    changed += [rel for rel in stats if rel not in now]
    changed += sorted(before ^ after)
    return sorted(set(changed), key=_scan_order)


@dataclass
class Tree:
    """What ``stat_tree`` saw: each file's stat key and each folder's own
    modification time and subfolders (relative paths)."""

    keys: dict[str, StatKey] = field(default_factory=dict)
    folders: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)  # a merge's conflict copies, as walk sees them
    with_keys: bool = True  # verify fills ``keys`` (for the folder watcher)


def stat_tree(root: Path | str, tree: Tree | None = None,
              ) -> tuple[dict[str, StatKey], set[str]]:
    """The stat key of every record file ``walk`` finds, and the symbolic links it
    reports (as paths), without the rest of ``walk``: one ``lstat`` per entry
    relative to its folder's descriptor (a third faster than DirEntry.stat at
    100,000 files; ``find`` itself needs two thirds of the time).
    ``tree``: its ``folders`` are filled in."""
    root = str(root)
    folders = tree.folders if tree is not None else None
    conflicts = tree.conflicts if tree is not None else None
    keys: dict[str, StatKey] = {}
    links: set[str] = set()
    lstat = os.stat
    isdir, islnk = stat.S_ISDIR, stat.S_ISLNK

    def visit(rel_dir: str) -> None:
        try:
            fd = os.open(os.path.join(root, rel_dir), os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        dirs = []
        try:
            try:
                # the folder's mtime before its listing: a file created meanwhile
                # leaves it changed for the watcher (tui/watch.py)
                mtime = os.fstat(fd).st_mtime_ns if folders is not None else 0
                names = os.listdir(fd)
            except OSError:
                return
            for name in names:
                try:
                    st = lstat(name, dir_fd=fd, follow_symlinks=False)
                except OSError:
                    continue
                mode = st.st_mode
                if isdir(mode):
                    if name[0] != ".":
                        dirs.append(name)
                elif islnk(mode):
                    try:  # as walk: a link to a folder, or a record file's name
                        to_dir = isdir(lstat(name, dir_fd=fd).st_mode)
                    except OSError:
                        to_dir = False
                    if to_dir or (name.endswith(".toml") and name[0] != "."):
                        links.add(f"{rel_dir}/{name}")
                    elif conflicts is not None and conflict_copy(rel_dir, name) is not None:
                        conflicts.add(f"{rel_dir}/{name}")
                elif name.endswith(".toml") and name[0] != ".":
                    keys[f"{rel_dir}/{name}"] = (st.st_mtime_ns, st.st_size, mode & 0o7777)
                elif conflicts is not None and conflict_copy(rel_dir, name) is not None:
                    conflicts.add(f"{rel_dir}/{name}")
            if folders is not None:
                folders[rel_dir] = (mtime, [f"{rel_dir}/{d}" for d in dirs])
        finally:
            os.close(fd)
        for d in dirs:
            visit(f"{rel_dir}/{d}")

    for kind_dir in (INQUIRIES, APPEALS):
        top = os.path.join(root, kind_dir)
        if os.path.islink(top):
            links.add(kind_dir)
        elif os.path.isdir(top):
            visit(kind_dir)
    return keys, links


__all__ = [
    "Loaded", "load_with_index", "read_all", "read_index", "verify", "write_index", "save",
    "remove_index", "index_path", "walk", "stat_tree", "Tree", "Inquiry", "Appeal",
]
