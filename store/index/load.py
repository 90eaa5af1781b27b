"""Loading a folder through its index: ``load_with_index`` (the app: the index as
it is, verified later in the background), ``load_fresh`` (a command: the
index checked by stat, changed files read again), ``read_all`` (every file,
when there is no usable index) and ``save`` (the index written)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path

from ..domain.periods import Period
from ..domain.problems import Problem
from ..domain.records import Appeal, Inquiry
from ..domain.summary import Tally
from ..domain.taxonomy import Settings
from ..folder import fastread, rowcodec
from ..folder.datafolder import DataFolder
from ..folder.reading import read_path
from ..folder.rowcodec import no_gc
from ..format.layout import APPEALS, INQUIRIES
from .assemble import Loaded, _assemble, _assemble_columns, _Assembler, result_of
from .file import (
    IndexError_,
    _entries,
    _read_payload,
    _tally_from_rows,
    with_modes,
    write_index,
    write_payload,
    write_rows,
)
from .tree import Tree, scan_key, verify, verify_forked, walk

_INDEX_ROWS = (rowcodec.INQUIRY_ROW, rowcodec.APPEAL_ROW)


def read_index(root: Path, settings: Settings, lazy: bool = False,
               first: Callable[[Tally], Period | None] | None = None) -> Loaded:
    """The folder as the index has it; raises IndexError_ when it cannot be used.

    ``lazy``: ``loaded.stats``, ``loaded.result.paths`` and ``loaded.partial`` left
    for the caller to make from ``loaded.stat_columns`` and ``loaded.id_columns``
    (the workspace: when first needed). ``first``: the
    period (of the index's tally) whose inquiries alone are built now; the rest
    are left to ``loaded.pending`` (None: every record built).
    """
    columns, scan_rows, tally_rows = _read_payload(root, rows=False)
    try:
        tally = _tally_from_rows(settings, tally_rows)
        period = first(tally) if first is not None else None
        loaded = _assemble_columns(settings, columns, [rowcodec.problem_of(r) for r in scan_rows],
                                   lazy=lazy,
                                   first=(period.start.toordinal(), period.end.toordinal())
                                   if period is not None else None)
        loaded.tally = tally
        if loaded.pending is not None:
            loaded.first_period = period
    except _BAD as e:
        raise IndexError_(f"bad entries: {e}") from None
    loaded.from_index = True
    return loaded


_BAD = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, EOFError)


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
        columns, scan_rows, tally_rows = _read_payload(root, rows=records)
        scan_problems = [rowcodec.problem_of(r) for r in scan_rows]
        tree = Tree(with_keys=False, modes={})
        # (the stats taken and compared by child processes, one per core, where they
        # can be, each with the index's keys of its own folders: no dict of them all here)
        changed = verify_forked(root, None, columns[0], scan_problems, tree, keys=columns[1])
        if changed is None:
            changed = verify(root, dict(zip(columns[0], columns[1], strict=True)),
                             scan_problems, tree)
        if tree.modes:  # permissions alone changed (a clone's files made private): no reading
            columns = with_modes(columns, tree.modes)
            if len(tree.modes) > 100:  # the next command need not look again
                with contextlib.suppress(OSError):
                    write_payload(root, columns, scan_rows, tally_rows)
        # A merge's conflict copies came or went: the walk below lists them again.
        copies_moved = tree.conflicts != {p.path for p in scan_problems
                                          if p.code == "conflict-copy"}
        # (a repeated id needs the records: its duplicate-id error is made from them)
        if not copies_moved and not records and len(changed) <= 100 \
                and not any(p.code == "symlink" for p in scan_problems) \
                and _unique_ids(columns[4]):
            loaded = _problems_only(settings, columns, scan_problems, bool(changed),
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
        # (a command waits for it: the workers at normal priority; without
        # records, nothing of the notes or citizen data is sent from them)
        loaded = read_all(folder, settings, progress, workers, partial=not records, nice=False,
                          records=records)
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


def _unique_ids(rows) -> bool:
    unique = getattr(rows, "unique_ids", None)  # the index says, without its rows read
    return unique if unique is not None else len(set(map(itemgetter(1), rows))) == len(rows)


def _save_quietly(folder: DataFolder, loaded: Loaded) -> None:
    try:
        save(folder, loaded)
    except OSError:
        pass  # a read-only folder works without an index


def _problems_only(settings: Settings, columns, scan_problems: list[Problem],
                   stats: bool, tally: Tally) -> Loaded:
    """A Loaded with the index's problems, stats and tally, and no records (``stats``
    False: its stats left as the columns to make them from, ``stat_columns``)."""
    result = result_of(settings, scan_problems, columns[2])
    if not stats:
        return Loaded(result, stats=None, tally=tally, from_index=True,  # type: ignore[arg-type]
                      scan_problems=list(scan_problems), stat_columns=(columns[0], columns[1]))
    return Loaded(result, stats=dict(zip(columns[0], columns[1], strict=True)), tally=tally,
                  from_index=True, scan_problems=list(scan_problems))


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
    build = rowcodec.Builder().build

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


# ---------------------------------------------------------------------------
# Loading a folder


def read_all(folder: DataFolder, settings: Settings,
             progress: Callable[[int, int], None] | None = None,
             workers: int | None = None, partial: bool = False,
             nice: bool = True, records: bool = True) -> Loaded:
    """Read every file (in parallel where it pays): the truth, full records, and their tally
    (and in ``read_rows`` the index's entries, for ``save``).

    Worker processes are started as soon as the walk has found enough files
    (their start overlaps the rest of the walk); the records are built here
    as the chunks come in. The stat keys are taken from the open files.
    ``partial``: the records without notes and citizen data, as from the
    index (for a caller that needs only problems, tally or the index: what
    is not needed is not sent from the workers). ``nice``: the workers at a
    lower priority (an interface waits; a command line need not). ``records=False``:
    the caller needs the tally, the problems and the index, no record (a report,
    check): the files without a problem are counted from their rows.
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
        assembler = _Assembler(settings, scan_problems, partial=partial, tally=True,
                               records=records)
        rows: list[tuple] = []
        partial_row = rowcodec.partial_row
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


def _assemble_read(settings: Settings, read: Loaded,
                   first: Callable[[Tally], Period | None]) -> Loaded:
    """A full read's Loaded (``read_all(partial=True, records=False)``: its rows, tally
    and problems) as ``read_index(lazy=True, first=first)`` would make it from the
    index those rows make: the period ``first`` gives's inquiries built, the rest
    left to ``pending``; ``read_rows`` kept for ``save``."""
    rows = read.read_rows
    with_row = [e for e in rows if e[3] is not None]
    columns = (
        list(map(itemgetter(1), rows)),
        list(map(itemgetter(2), rows)),
        tuple([(i, e[4]) for i, e in enumerate(rows) if e[4]]),
        list(map(itemgetter(1), with_row)),
        list(map(itemgetter(3), with_row)),
    )
    del with_row
    period = first(read.tally) if read.tally is not None else None
    loaded = _assemble_columns(settings, columns, read.scan_problems, lazy=True,
                               first=(period.start.toordinal(), period.end.toordinal())
                               if period is not None else None)
    loaded.tally = read.tally
    if loaded.pending is not None:
        loaded.first_period = period
    loaded.read_rows, loaded.read_ns = rows, read.read_ns
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
    out.sort(key=lambda e: scan_key(e[1]))
    return out


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
                    partial: bool = False, lazy: bool = False,
                    first: Callable[[Tally], Period | None] | None = None,
                    rebuild: bool = True) -> tuple[Loaded, bool]:
    """The folder, fast from the index when it can be used: ``(loaded, rebuilt)``.

    ``rebuilt`` is True when the index could not be used: every file was read
    (``progress(done, total)`` is called meanwhile) and a new index written
    (``write=False``: not written; ``save(folder, loaded)`` does it later;
    ``partial``: the records read without notes and citizen data, as from the
    index; a caller that shows them reads the rest when needed).
    A loaded index is not yet verified: run ``verify`` (in the background).
    ``lazy``, ``first``: as ``read_index``'s (a full read makes all).
    ``rebuild=False``: IndexError_ when the index cannot be used, nothing read.
    """
    try:
        return read_index(folder.root, settings, lazy=lazy, first=first), False
    except IndexError_:
        if not rebuild:
            raise
    if lazy and first is not None and partial:
        # Built as from the index: the first period's inquiries now, the rest
        # later (``loaded.pending``); the workers' time is not shared with
        # building records nobody looks at yet
        loaded = read_all(folder, settings, progress, workers, partial=True, records=False)
        loaded = _assemble_read(settings, loaded, first)
    else:
        loaded = read_all(folder, settings, progress, workers, partial=partial)  # with its tally
    if write:
        try:
            save(folder, loaded)
        except OSError:
            pass  # a read-only folder works without an index
    return loaded, True
