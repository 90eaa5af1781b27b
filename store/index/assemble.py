"""A loaded folder (``Loaded``) built from index entries or rows, fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter

from ..domain.periods import Period
from ..domain.problems import Problem
from ..domain.records import Appeal, Inquiry
from ..domain.summary import Tally
from ..domain.taxonomy import Settings
from ..folder import rowcodec
from ..folder.datafolder import DataFolder, LoadResult
from ..folder.rowcodec import no_gc
from .file import LazyRows, _entries
from .tree import StatKey

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
    # ``stats`` not made yet (None): the columns ``(rels, keys)`` to make it from,
    # when first needed (the app: its check runs after the first screen)
    stat_columns: tuple | None = field(default=None, repr=False)
    # ``result.paths`` and ``partial`` not made yet (``_assemble_columns(lazy=True)``:
    # an empty dict and None): the columns ``(rows, rels)`` of the index's records
    # to make them from (their ids: each row's second item), when first needed;
    # ``ids``: those ids, where they are made already (the rows then None)
    id_columns: tuple | None = field(default=None, repr=False)
    ids: list[str] | None = field(default=None, repr=False)
    # Records not built yet (``result`` holds the first period's inquiries alone)
    pending: Pending | None = field(default=None, repr=False)
    first_period: Period | None = None  # the period whose inquiries are built (with pending)


def _assemble(settings: Settings, entries, scan_problems: list[Problem], partial: bool,
              builder: rowcodec.Builder | None = None) -> Loaded:
    """A Loaded from entries ``(kind_dir, rel, key, row, problem rows)`` in scan order."""
    with no_gc():
        return _assemble_(settings, entries, scan_problems, partial, builder)


def _assemble_(settings: Settings, entries, scan_problems: list[Problem], partial: bool,
               builder: rowcodec.Builder | None = None) -> Loaded:
    assembler = _Assembler(settings, scan_problems, partial, builder)
    assembler.add(entries)
    return assembler.loaded


class _Assembler:
    """Builds a Loaded from entries ``(kind_dir, rel, key, row, problem rows)``
    given in scan order, a part at a time; ``tally``: counts them as well (as
    ``Tally.of`` the records would: the same records in the same order)."""

    def __init__(self, settings: Settings, scan_problems: list[Problem], partial: bool,
                 builder: rowcodec.Builder | None = None, tally: bool = False,
                 records: bool = True) -> None:
        self.builder = builder or rowcodec.Builder()
        result = LoadResult(settings)
        result.problems.extend(scan_problems)
        self.loaded = Loaded(result, scan_problems=list(scan_problems))
        self.partial = partial
        # records=False: the common part is counted from its rows, and no record
        # is built (the caller needs the tally and the problems: a report)
        self.records = records
        if tally:
            self.loaded.tally = Tally(settings)

    def add(self, entries) -> None:
        if not self._add_plain(entries):
            self._add(entries)

    def _add_plain(self, entries) -> bool:
        """``_add`` for the common part: rows of one kind (inquiries or appeals), each
        file with its record, ids not seen before (False, nothing done, when not so).
        Their problems (a clone's permission warnings on every file) are taken as
        ``_add`` takes them."""
        if not entries:
            return True
        rows = list(map(itemgetter(3), entries))
        if None in rows:
            return False
        kinds = set(map(itemgetter(0), rows))
        if kinds != {rowcodec.INQUIRY_ROW} and kinds != {rowcodec.APPEAL_ROW}:
            return False
        ids = list(map(itemgetter(1), rows))
        loaded = self.loaded
        result = loaded.result
        paths = result.paths
        if len(set(ids)) != len(ids) or not paths.keys().isdisjoint(ids):
            return False
        prows = list(map(itemgetter(4), entries))
        if any(prows):  # kept as rows until something reads them (LoadResult.problems)
            result.defer_problems([p for ps in prows for p in ps])
        rels = list(map(itemgetter(1), entries))
        loaded.stats.update(zip(rels, map(itemgetter(2), entries), strict=True))
        if not self.records:
            paths.update(zip(ids, rels, strict=True))  # (repeated ids are found by them)
            if loaded.tally is not None:
                _tally_rows(loaded.tally, rows)
            return True
        records = list(map(self.builder.build, rows))
        paths.update(zip(ids, rels, strict=True))
        target = result.inquiries if kinds == {rowcodec.INQUIRY_ROW} else result.appeals
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
        problem_of = rowcodec.problem_of
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


def _tally_rows(tally: Tally, rows: list[tuple]) -> None:
    """``tally.add`` of the records these rows (of one kind) make, without making them."""
    if rows[0][0] == rowcodec.INQUIRY_ROW:
        tally.add_many([(r[2], r[3], (r[10], *r[11])) for r in rows])
    else:
        tally.add_many(appeals=[(r[2], r[4], r[5], r[6]) for r in rows])


class _Unfrozen:
    """A plain class whose instances take plain attribute stores (a frozen
    dataclass refuses them and needs ``object.__setattr__``, a call per field)."""


# The ``extra`` of every record built from the index (the index keeps no unknown
# keys): one empty dict for them all, not one each (64 bytes a record). Records
# are never changed in place; nothing stores into a record's ``extra``.
_NO_EXTRA: dict = {}


def _build_partial(rows, builder: rowcodec.Builder | None = None) -> list:
    """Records from the index's (partial) rows.

    Each record is made as an ``_Unfrozen``, its attributes stored one by one,
    and then given its class (``Inquiry``/``Appeal``: the same layout, a dict
    of attributes, so the assignment is allowed). The stores are the
    interpreter's own (no call per field): 0.6 microseconds a record instead
    of 1.4 for ``object.__setattr__`` on the frozen class. The attributes stay
    inline in the object with no dict of their own (about 220 bytes less per
    record than ``rowcodec.Builder.build``'s, whose records are equal; the
    class assignment costs about 60 of them).
    """
    b = builder or rowcodec.Builder()  # (one for every part: its dates and points shared)
    dates, points = b.dates, b.points
    new = object.__new__
    empty = ()
    out = []
    append = out.append
    inquiry_row = rowcodec.INQUIRY_ROW
    for row in rows:
        o = new(_Unfrozen)
        if row[0] == inquiry_row:
            (_, rid, rec, kind, status, closed, channel, title, notes, source, main, follow,
             _citizen) = row
            o.id = rid
            o.received = dates[rec]
            o.kind = kind
            o.status = status
            o.main = points[main]
            o.closed = dates[closed] if closed else None
            o.channel = channel
            o.title = title
            o.notes = notes
            o.follow_up = tuple([points[p] for p in follow]) if follow else empty
            o.citizen = None
            o.source = source
            o.extra = _NO_EXTRA
            o.__class__ = Inquiry
        else:
            _, rid, rec, board, dept, outcome, remarks, result, notes = row
            o.id = rid
            o.received = dates[rec]
            o.board = board
            o.department = dept
            o.outcome = outcome
            o.remarks = tuple(remarks)
            o.result = result
            o.notes = notes
            o.extra = _NO_EXTRA
            o.__class__ = Appeal
        append(o)
    return out


class Pending:
    """The records of an index not built yet: every appeal decision and the
    inquiries outside the first period (``_assemble_columns(first=...)``).

    ``rows``: the index's rows (``LazyRows``: some parts perhaps not
    unmarshalled yet); ``first_positions``: where the first ones (built
    already) are among them. ``step`` does a part at a time: unmarshals a part
    of the rows, builds records, then puts them and the first ones (``first``:
    by id, as they are now) into new dicts in scan order, as
    ``_assemble_columns`` without ``first`` would have them. A first record
    replaced meanwhile (by its whole one) is told with ``replace``.
    """

    def __init__(self, rows, first_positions: list[int]) -> None:
        self.source = rows
        self.first_positions = first_positions
        self.rows: tuple | None = None  # (all of them, once every part is read)
        self.ids: list[str] = []
        self.n_inq = 0
        self.first_mask = bytearray()
        self.todo: list[int] = []
        self.done = 0
        self.built: list = []
        self.builder = rowcodec.Builder()
        self.inquiries: dict = {}  # in scan order, made after every record is built
        self.merged = 0  # inquiries (by position) put into it so far
        self._rest = None

    def __len__(self) -> int:
        """How many records are still to be built (any thread: ``_read_some`` sets
        ``todo`` before ``rows``, and lets go of ``source`` after)."""
        if self.rows is None:
            src = self.source
            if src is not None:
                return len(src) - len(self.first_positions)
        return len(self.todo) - self.done

    def _read_some(self) -> bool:
        """Unmarshal a part of the rows not read yet, or else take them all and say
        what is to be built; False while there are parts left."""
        src = self.source
        if isinstance(src, LazyRows):
            i = src.next_unread()
            if i is not None:
                src.part(i)
                return False
        rows = src.rows if isinstance(src, LazyRows) else tuple(src)
        n_inq = getattr(src, "n_inquiries", None)
        if n_inq is None:
            n_inq = list(map(itemgetter(0), rows)).count(rowcodec.INQUIRY_ROW)
        self.n_inq = n_inq
        self.ids = list(map(itemgetter(1), rows))
        mask = self.first_mask = bytearray(n_inq)
        for i in self.first_positions:
            mask[i] = 1
        todo = [i for i in range(n_inq) if not mask[i]]
        todo += range(n_inq, len(rows))
        self.todo = todo
        self.rows = rows  # (after todo: a thread asking len() meanwhile counts right)
        self.source = None
        return True

    def step(self, n: int, first: dict) -> tuple[dict, dict] | None:
        """Unmarshal a part of the rows, or build up to ``n`` more records, or else
        put up to ``4 n`` into the new dicts; ``(inquiries, appeals)`` when that is
        done, else None."""
        if self.rows is None and (not self._read_some() or self.todo):
            return None
        if self.done < len(self.todo):
            rows = self.rows
            part = self.todo[self.done:self.done + n]
            self.built += _build_partial([rows[i] for i in part], self.builder)
            self.done += len(part)
            return None
        n_inq, ids, mask = self.n_inq, self.ids, self.first_mask
        if self._rest is None:
            self._rest = iter(self.built)
        if self.merged < n_inq:
            a, b = self.merged, min(self.merged + 4 * n, n_inq)
            rest = self._rest
            self.inquiries.update([(rid, first[rid] if m else next(rest))
                                   for rid, m in zip(ids[a:b], mask[a:b], strict=True)])
            self.merged = b
            if b < n_inq:
                return None
        appeals = self.built[len(self.built) - (len(self.rows) - n_inq):]  # type: ignore[arg-type]
        return self.inquiries, dict(zip(ids[n_inq:], appeals, strict=True))

    def replace(self, rid: str, record) -> None:
        """A first record replaced in ``first`` after it may have been put in the new dict."""
        if rid in self.inquiries:
            self.inquiries[rid] = record


def result_of(settings: Settings, scan_problems: list[Problem], problems) -> LoadResult:
    """A LoadResult with no records yet, and the index's problems: the scan's, and
    its files' (``columns[2]``, kept as rows until first read)."""
    result = LoadResult(settings)
    result.problems.extend(scan_problems)
    result.defer_problems([p for _i, prows in problems for p in prows])
    return result


def _assemble_columns(settings: Settings, columns, scan_problems: list[Problem],
                      lazy: bool = False,
                      first: tuple[int, int] | None = None) -> Loaded:
    """``_assemble(..., partial=True)`` straight from the columns: dicts made with
    zip, one record built per row, no Python loop per file (unless ids repeat).
    ``lazy``: ``stats``, ``result.paths`` and ``partial`` are not made (None, an
    empty dict, None): ``stat_columns`` and ``id_columns`` are what to make them
    from (at 300,000, 0.2-0.3 s of dicts and sets the first screen does not need).
    ``first``: ``(start, end)`` ordinals of a period: only the inquiries received
    in it are built; ``loaded.pending`` builds the rest."""
    rels, keys, problems, rec_rels, rec_rows = columns
    if len(rels) != len(keys) or len(rec_rels) != len(rec_rows):
        raise ValueError("columns of different lengths")
    if lazy and first is not None and isinstance(rec_rows, LazyRows) \
            and rec_rows.n_inquiries is not None and rec_rows.unique_ids:
        # Only the parts of the rows that may hold the first period's inquiries are
        # unmarshalled now (the index has each part's dates)
        return _assemble_first(settings, columns, scan_problems, first)
    # (the index says whether an id repeats: no set of them all made to see)
    unique = getattr(rec_rows, "unique_ids", None)
    rec_rows = getattr(rec_rows, "rows", rec_rows)
    kinds = list(map(itemgetter(0), rec_rows))
    n_inq = kinds.count(rowcodec.INQUIRY_ROW)
    ids = list(map(itemgetter(1), rec_rows))
    if n_inq + kinds.count(rowcodec.APPEAL_ROW) != len(kinds):  # never unpickle from the index
        raise ValueError("a row of another kind in the index")
    if unique is None:
        unique = len(set(ids)) == len(ids)
    if rowcodec.APPEAL_ROW in kinds[:n_inq] or not unique:
        # Not the common case (ids that repeat, or out of scan order): entry by entry.
        return _assemble(settings, _entries((*columns[:4], rec_rows)), scan_problems,
                         partial=True)
    with no_gc():
        result = result_of(settings, scan_problems, problems)
        if not lazy:
            result.paths = dict(zip(ids, rec_rels, strict=True))
        pending = None
        if first is not None:
            lo, hi = first
            mask = [lo <= o <= hi for o in map(itemgetter(2), rec_rows[:n_inq])]
            records = _build_partial(compress(rec_rows, mask))
            result.inquiries = dict(zip(compress(ids, mask), records, strict=True))
            pending = Pending(rec_rows, list(compress(range(n_inq), mask)))
        else:
            records = _build_partial(rec_rows)
            result.inquiries = dict(zip(ids[:n_inq], records[:n_inq], strict=True))
            result.appeals = dict(zip(ids[n_inq:], records[n_inq:], strict=True))
        if lazy:  # (the ids are made here already: the rows are not kept for them)
            loaded = Loaded(result, stats=None, partial=None,  # type: ignore[arg-type]
                            scan_problems=list(scan_problems), stat_columns=(rels, keys),
                            id_columns=(None, rec_rels), ids=ids)
        else:
            loaded = Loaded(result, stats=dict(zip(rels, keys, strict=True)), partial=set(ids),
                            scan_problems=list(scan_problems))
        loaded.pending = pending
    return loaded


def _assemble_first(settings: Settings, columns, scan_problems: list[Problem],
                    first: tuple[int, int]) -> Loaded:
    """``_assemble_columns(lazy=True, first=first)`` for rows whose parts are read
    when first needed (``LazyRows``, with no id repeated and inquiries first):
    the first period's inquiries built from the parts that may hold them, and
    everything else left to ``Pending`` (which reads the other parts)."""
    rels, keys, problems, rec_rels, rec_rows = columns
    positions, rows = rec_rows.inquiries_in(*first)
    with no_gc():
        result = result_of(settings, scan_problems, problems)
        result.inquiries = dict(zip(map(itemgetter(1), rows), _build_partial(rows), strict=True))
        loaded = Loaded(result, stats=None, partial=None,  # type: ignore[arg-type]
                        scan_problems=list(scan_problems), stat_columns=(rels, keys),
                        id_columns=(rec_rows, rec_rels))
        loaded.pending = Pending(rec_rows, positions)
    return loaded
