"""An open data folder: its records in memory, kept in step with the files.

The app (and any long-running command) works through a Workspace: it loads the
folder once, keeps the summary tally up to date one record at a time, writes
every save atomically before anything else happens, and tells listeners what
changed so that the list and the summary follow at once.

Opening a large folder uses the derived index (store/index/): the records
come up at once, *partial* (without notes, citizen data and unknown keys);
``verify()`` then stats every file in the background and the app applies
what it returns with ``reload_path``. ``get``/``full`` read a partial
record's file before it is shown or edited, and ``save`` fills in what a
caller built from a partial record could not have seen.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path

from ..domain import clock
from ..domain.problems import ERROR, READABLE, Problem, shown_count
from ..domain.records import Appeal, Inquiry
from ..domain.summary import Tally
from ..domain.taxonomy import Settings
from ..folder import rowcodec
from ..folder.datafolder import DataFolder, LoadResult
from ..folder.reading import mode_warning, read_path
from ..folder.rowcodec import no_gc
from ..format import codec
from ..format.files import atomic_write
from ..format.layout import APPEALS, INQUIRIES, record_relpath
from ..index import file as index_file
from ..index import load as index_load
from ..index import tree as index_tree


@dataclass(frozen=True)
class Change:
    """What happened to one record: ``old`` and ``new`` (None when absent)."""

    action: str  # "created" | "changed" | "deleted" | "reloaded"
    old: Inquiry | Appeal | None
    new: Inquiry | Appeal | None
    path: str  # relative to the folder
    outside: bool = False  # the change came from outside caselog

    @property
    def record(self) -> Inquiry | Appeal:
        return self.new if self.new is not None else self.old  # type: ignore[return-value]


Listener = Callable[[Change], None]


class Workspace:
    def __init__(self, folder: DataFolder, settings: Settings, result: LoadResult,
                 loaded=None):
        self.folder = folder
        self.settings = settings
        # While records of the index are not all built (``_pending``), these hold
        # the first period's inquiries alone; ``inquiries`` and ``appeals`` build
        # the rest when first asked for (``complete``), the app a part at a time.
        self._inquiries: dict[str, Inquiry] = result.inquiries
        self._appeals: dict[str, Appeal] = result.appeals
        self._pending = loaded.pending if loaded is not None else None
        # The period whose inquiries are all built while others are not (None: all are)
        self.first_period = loaded.first_period if loaded is not None else None
        # id -> the file's path; made when first needed (``paths``) where the index
        # gave its columns (``_id_columns``: rows and paths of its records; the
        # rows give way to their ids, ``_ids``, once the records are all built)
        self._paths: dict[str, str] | None = result.paths
        self._id_columns = loaded.id_columns if loaded is not None else None
        self._ids: list[str] | None = loaded.ids if loaded is not None else None
        if self._id_columns is not None:
            self._paths = None
        # The problems as the load left them, until first read (``problems``): a
        # clone's 120,000 permission warnings may stay rows, to be dropped as its
        # files are made private (``apply_modes``) without being made at all.
        self._problems: list[Problem] | None = None
        self._loaded_problems: LoadResult | None = result
        # From the index (store.index.assemble.Loaded): the tally it holds, the stat of
        # each file as read, the ids of partial records.
        self.tally = loaded.tally if loaded is not None and loaded.tally is not None else \
            Tally.of(settings, self.inquiries.values(), self.appeals.values())
        # Taken over, not copied: the Loaded is the workspace's from here on.
        # (made when first needed, from the index's columns: after the first screen)
        self._stats: dict[str, tuple | None] | None = loaded.stats if loaded is not None else {}
        self._stat_columns = loaded.stat_columns if loaded is not None else None
        # The ids of partial records (built from the index: no notes, no citizen
        # data); made from ``_id_columns`` when first needed (``partial``)
        self._partial: set[str] | None = loaded.partial if loaded is not None else set()
        self.scan_problems: list[Problem] = list(loaded.scan_problems) if loaded is not None else []
        self.from_index = bool(loaded is not None and loaded.from_index)
        # Opened with use_index: the folder has an index to keep up to date.
        self.indexed = loaded is not None
        # Files whose id another file has: not counted, kept for the index.
        self.duplicates: dict[str, Inquiry | Appeal] = (
            dict(loaded.duplicates) if loaded is not None else {})
        self._by_path_map: dict[str, str] | None = None  # path -> id, made when first needed
        # Held while stats or _by_path are first made, and while the records not
        # built yet are (taken after ``_lock`` where both are held)
        self._lazy_lock = threading.RLock()
        # A full read whose index is not written yet: (Loaded, its tally then).
        self._unwritten: tuple | None = None
        self._lock = threading.Lock()  # held while the records change and while snapshotting
        self.listeners: list[Listener] = []
        # Called (with no arguments) whenever the list of problems changes.
        self.problem_listeners: list[Callable[[], None]] = []
        # Hooks run after a file is written or removed (e.g. a git commit in the
        # background); they get the Change and must not block.
        self.after_write: list[Listener] = []

    # -- records built later ------------------------------------------------
    @property
    def inquiries(self) -> dict[str, Inquiry]:
        if self._pending is not None:
            self.complete()
        return self._inquiries

    @property
    def appeals(self) -> dict[str, Appeal]:
        if self._pending is not None:
            self.complete()
        return self._appeals

    @property
    def complete_(self) -> bool:
        """Every record is built (always, but for a workspace opened from the index
        that has built its first period's inquiries alone so far)."""
        return self._pending is None

    def pending_count(self) -> int:
        p = self._pending
        return len(p) if p is not None else 0

    def first_inquiries(self) -> dict[str, Inquiry]:
        """The inquiries built so far, every one of ``first_period`` among them
        (all of them once ``complete_``); nothing is built. The dict is the
        workspace's own: copy it, do not keep it."""
        return self._inquiries

    def complete(self) -> None:
        """Build every record not built yet (0.2-0.3 s at 300,000); any thread."""
        while not self.complete_step(1 << 62):  # (one step builds them, the next joins them)
            pass

    def complete_step(self, n: int = 20000) -> bool:
        """Build up to ``n`` more of the records not built yet (or put ``4 n`` of them
        into the dicts that take over once all are built); True when all are.

        The dicts change only once, when the last part is built: a reader never
        sees some of the rest (it asks ``inquiries``, which builds it all first).
        Each part is frozen out of the collector's sight as it is made (with
        whatever else is alive then): collections between the parts would go
        over the records made so far, twice as slow at 300,000.
        """
        if self._pending is None:
            return True
        with self._lazy_lock:
            pending = self._pending
            if pending is None:
                return True
            with no_gc(freeze=True):  # they live as long as the workspace (see ``open``)
                done = pending.step(n, self._inquiries)
                if done is not None:
                    self._inquiries, self._appeals = done
                    self._pending = None
                    if self._id_columns is not None:  # the ids, not every row kept for them
                        self._ids = pending.ids
                        self._id_columns = (None, self._id_columns[1])
        return self._pending is None

    @property
    def stats(self) -> dict[str, tuple | None]:
        """Each file's stat as read (``store.index.tree.StatKey``; None: read it again)."""
        stats = self._stats
        if stats is None:
            with self._lazy_lock:
                if self._stats is None:
                    rels, keys = self._stat_columns
                    self._stats = dict(zip(rels, keys, strict=True))
                    self._stat_columns = None
                stats = self._stats
        return stats

    @property
    def paths(self) -> dict[str, str]:
        """The path (relative to the folder) of each record's file, by id. The paths
        change only on the interface's thread, in ``_apply`` (under ``_lock``)."""
        paths = self._paths
        if paths is None:
            self._make_from_id_columns()
            paths = self._paths
        return paths  # type: ignore[return-value]

    @property
    def partial(self) -> set[str]:
        """The ids of records built from the index (partial: without their notes and
        citizen data) and not yet read whole from their files."""
        partial = self._partial
        if partial is None:
            self._make_from_id_columns()
            partial = self._partial
        return partial  # type: ignore[return-value]

    def has_partial(self) -> bool:
        """``bool(self.partial)``, without making the set."""
        if self._partial is None:
            with self._lazy_lock:
                if self._partial is None:
                    return bool(self._id_columns[1])  # type: ignore[index]
        return bool(self._partial)

    def _make_from_id_columns(self) -> None:
        """``paths`` and ``partial`` from the index's columns (0.2 s at 300,000:
        after the first screen)."""
        with self._lazy_lock:
            if self._id_columns is None:
                return
            rows, rels = self._id_columns
            ids = self._ids if rows is None else list(map(itemgetter(1), rows))
            # (both are made here, together, and nowhere else)
            self._paths = dict(zip(ids, rels, strict=True))
            self._partial = set(ids)
            self._id_columns = self._ids = None

    @property
    def _by_path(self) -> dict[str, str]:
        """The id of each file's record (``paths`` the other way round). The paths
        change only on the interface's thread, in ``_apply`` (under ``_lock``)."""
        by_path = self._by_path_map
        if by_path is None:
            with self._lazy_lock:
                if self._by_path_map is None:
                    self._by_path_map = dict(
                        zip(self.paths.values(), self.paths.keys(), strict=True))
                by_path = self._by_path_map
        return by_path

    @property
    def problems(self) -> list[Problem]:
        if self._problems is None:
            self._problems = self._loaded_problems.problems  # type: ignore[union-attr]
            self._loaded_problems = None
        return self._problems

    @problems.setter
    def problems(self, problems: list[Problem]) -> None:
        self._problems, self._loaded_problems = problems, None

    def problem_count(self) -> int:
        """How many problems the problems screen lists (many files others can read are one)."""
        if self._problems is None:
            return self._loaded_problems.shown_count()  # type: ignore[union-attr]
        return shown_count(len(self._problems), sum(p.code == READABLE for p in self._problems))

    @classmethod
    def open(cls, root: Path | str, use_index: bool = False,
             progress: Callable[[int, int], None] | None = None,
             write_index: bool = True, partial: bool = False,
             lazy: bool = True, rebuild: bool = True) -> Workspace:
        """Open a folder; ``use_index``: from ``.caselog/index`` when it can be used.

        From the index the records are partial and not yet checked against the
        files: call ``verify()`` in a background thread, then ``reload_path``
        for each path it returns (on the interface's thread), then
        ``write_index()``. Without a usable index every file is read
        (``progress(done, total)`` meanwhile, in parallel where it pays) and
        the index is written (``write_index=False``: by ``write_index()``,
        later, e.g. in the background once the list is on screen;
        ``partial``: a full read makes partial records too, as the index does:
        the notes and citizen data are not sent from the reading processes).
        ``lazy``: from the index, only the inquiries of the period that
        ``tally.default_period`` gives for today are built (``first_period``);
        the rest are built when first asked for, or a part at a time by
        ``complete_step`` (the app, after its first screen). ``rebuild=False``:
        ``store.index.file.IndexError_`` when the index cannot be used (none, of
        another version, damaged), instead of reading every file.
        """
        folder = DataFolder(root)
        settings = folder.settings()
        if not use_index:
            return cls(folder, settings, folder.load(settings))
        # The records live as long as the app: no collection while they are
        # made (each would go over all made so far), and then out of the
        # collector's sight (a full collection over them pauses every thread
        # for 0.1 s or more at 100k).
        with no_gc(freeze=True):
            # Only the period the list opens in is built before it shows (its inquiries).
            loaded, rebuilt = index_load.load_with_index(
                folder, settings, progress, write=write_index, partial=partial,
                lazy=True, first=(lambda tally: tally.default_period(clock.today()))
                if lazy else None, rebuild=rebuild)
            ws = cls(folder, settings, loaded.result, loaded)
            if rebuilt and not write_index:
                # What was read, with the tally as it was, for write_index: the
                # index then holds the rows read, not what came after (a later
                # change to a file shows by its stat at the next start).
                ws._unwritten = (loaded, loaded.tally.copy() if loaded.tally else None)
        return ws

    # -- the index ---------------------------------------------------------
    @property
    def index_unwritten(self) -> bool:
        """Opened by reading every file with ``write_index=False``, not written yet."""
        return self._unwritten is not None

    def verify(self, tree=None, stop: threading.Event | None = None) -> list[str]:
        """The files that differ from what is in memory (new, changed, deleted).

        One stat per file: run it in a thread. Apply the result with
        ``reload_path`` on the interface's thread. ``tree`` (an
        ``store.index.tree.Tree``): filled with the stats seen. ``stop``: when
        it is set the walk ends early, raising ``store.index.tree.Stopped``.
        """
        with self._lock:
            stats = dict(self.stats)
            scan = list(self.scan_problems)
        return index_tree.verify(self.folder.root, stats, scan, tree, stop=stop)

    def write_index(self) -> None:
        """Write ``.caselog/index`` from what is in memory; may run in a thread.

        The state is copied under a lock (a few milliseconds); the writing
        takes a fraction of a second at 100,000 records. OSError when the
        folder is read-only.
        """
        unwritten, self._unwritten = self._unwritten, None
        if unwritten is not None and unwritten[0].read_rows is not None:
            loaded, tally = unwritten
            loaded.tally = tally
            index_load.save(self.folder, loaded)  # from the rows read: quicker than from records
            return
        with self._lock:
            inquiries = dict(self.inquiries)
            appeals = dict(self.appeals)
            by_path = dict(self._by_path)
            stats = dict(self.stats)
            problems = list(self.problems)
            scan = list(self.scan_problems)
            duplicates = dict(self.duplicates)
            tally = self.tally.copy()
        # (every tuple made here is garbage once written: no collection need look
        # at them, nor at the hundreds of thousands of records, meanwhile)
        with no_gc():
            by_rel: dict[str, list[Problem]] = {}
            for p in problems:
                by_rel.setdefault(p.path, []).append(p)
            scan_ids = {id(p) for p in scan}
            entries = []
            rels = set(stats)
            rels.update(by_path)
            rels.update(duplicates)
            for rel in rels:
                ps = [p for p in by_rel[rel] if id(p) not in scan_ids] if rel in by_rel else ()
                rid = by_path.get(rel)
                record = duplicates.get(rel)
                if rid is not None:
                    record = inquiries.get(rid) or appeals.get(rid)
                kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
                entries.append((kind_dir, rel, stats.get(rel), record, ps))
            # The copies let go before the rows and their bytes are made (at 300,000
            # records they are 80 MB, which would add to the session's peak).
            del rels, inquiries, appeals, by_path, stats, duplicates, by_rel, problems
            entries.sort(key=lambda e: index_tree.scan_key(e[1]))
            index_file.write_index(self.folder.root, entries, scan, tally)

    # -- reading -----------------------------------------------------------
    def get(self, rid: str) -> Inquiry | Appeal | None:
        """The record with its notes and citizen data (read from its file when partial)."""
        if rid in self.partial:
            return self.full(rid)
        return self.peek(rid)

    def peek(self, rid: str) -> Inquiry | Appeal | None:
        """The record as in memory: possibly partial (no notes, citizen data, unknown keys)."""
        if self._pending is not None:  # one of the first period's: no need to build the rest
            r = self._inquiries.get(rid)
            if r is not None:
                return r
        return self.inquiries.get(rid) or self.appeals.get(rid)

    def full(self, rid: str) -> Inquiry | Appeal | None:
        """The complete record: a partial one is read from its file first.

        When the file still holds what the index said, the full record quietly
        takes the partial one's place (safe from any thread: one dict
        assignment, no listeners). When the file changed since, the partial
        record is returned as it is: the change is for ``reload_path`` (the
        watcher, or ``verify``) to apply on the interface's thread.
        """
        rec = self.peek(rid)
        if rid not in self.partial or rec is None:
            return rec
        file_rec = self._read_record(rid)
        if file_rec is not None and file_rec.id == rid and _same_but_unseen(rec, file_rec):
            with self._lock, self._lazy_lock:
                if self._pending is not None and rid in self._inquiries:
                    # one of the first period's while the rest are being built
                    # (no need to build them now): the parts built take it too
                    self._inquiries[rid] = file_rec  # type: ignore[assignment]
                    self._pending.replace(rid, file_rec)
                else:
                    (self.inquiries if isinstance(file_rec, Inquiry) else self.appeals)[
                        rid] = file_rec  # type: ignore[assignment]
                self.partial.discard(rid)
            return file_rec
        return rec

    def _read_record(self, rid: str) -> Inquiry | Appeal | None:
        rel = self.paths.get(rid)
        if rel is None:
            return None
        kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
        record, _problems, _key = read_path(str(self.folder.root), kind_dir, rel,
                                                     self.settings)
        return record

    def last_channel(self) -> str:
        """The channel of the most recently received inquiry (the form's default)."""
        latest = max(self.inquiries.values(), key=lambda r: (r.received, r.id), default=None)
        if latest is not None and latest.channel:
            return latest.channel
        return self.settings.channels[0] if self.settings.channels else ""

    def new_id(self, received: date, appeal: bool = False) -> str:
        return self.folder.new_id(received, APPEALS if appeal else INQUIRIES,
                                  taken=set(self.paths))

    # -- writing -----------------------------------------------------------
    def save(self, record: Inquiry | Appeal) -> Change | None:
        """Write a record (atomically) and update the tables; None if nothing changed.

        Raises OSError when the file cannot be written; nothing in memory has
        changed then.
        """
        if record.id in self.partial:
            # Made from a partial copy: what it could not see comes from the file.
            partial = self.peek(record.id)
            full = self.full(record.id)
            if record.id in self.partial:  # the file changed since: take what it holds now
                full = self._read_record(record.id)
            if full is None and (self.folder.root / self.paths.get(record.id, "")).is_file():
                # The file cannot be read (e.g. conflict markers): writing the
                # partial copy over it would lose the notes and both versions.
                raise OSError(errno.EIO, f"{self.paths[record.id]}: the file cannot be read; "
                              "not overwritten with a partial copy")
            record = _fill_unseen(record, partial, full)
        old = self.peek(record.id)
        rel = self.paths.get(record.id) or record_relpath(record)
        data = codec.to_toml(record).encode("utf-8")
        path = self.folder.root / rel
        try:
            if path.read_bytes() == data:
                return None
        except FileNotFoundError:
            pass
        atomic_write(path, data)
        self.stats[rel] = _stat(path)
        change = Change("changed" if old is not None else "created", old, record, rel)
        self._apply(change)
        for hook in self.after_write:
            hook(change)
        return change

    def delete(self, record: Inquiry | Appeal) -> Change:
        rel = self.paths.get(record.id) or record_relpath(record)
        (self.folder.root / rel).unlink(missing_ok=True)
        change = Change("deleted", self.peek(record.id), None, rel)
        self.stats.pop(rel, None)
        self._apply(change)
        for hook in self.after_write:
            hook(change)
        return change

    def _apply(self, change: Change) -> None:
        old, new = change.old, change.new
        rec = change.record
        table = self.inquiries if isinstance(rec, Inquiry) else self.appeals
        with self._lock:
            self.tally.replace(old, new)
            if new is None:
                table.pop(rec.id, None)
                gone = self.paths.pop(rec.id, None)
                if gone is not None:
                    self._by_path.pop(gone, None)
            else:
                table[rec.id] = new  # type: ignore[assignment]
                self.paths[rec.id] = change.path
                self._by_path[change.path] = rec.id
            self.partial.discard(rec.id)
        for listener in list(self.listeners):
            listener(change)
        if new is None:
            # Another file held the same id (a duplicate, not counted): now that
            # this one is gone it is the record, as a fresh load would have it.
            waiting = sorted({r for r, d in self.duplicates.items() if d.id == rec.id}
                             | {p.path for p in self.problems if p.code == "duplicate-id"
                                and p.params.get("id") == rec.id})
            if waiting:
                self.reload_path(waiting[0])

    # -- outside changes ---------------------------------------------------
    def reload_path(self, rel: str) -> Change | None:
        """Read one file again after it changed (or vanished) outside caselog."""
        kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
        path = self.folder.root / rel
        before = [p for p in self.problems if p.path == rel]
        self.problems = [p for p in self.problems if p.path != rel]
        self.scan_problems = [p for p in self.scan_problems if p.path != rel]
        old_id = self._by_path.get(rel)
        old = self.peek(old_id) if old_id else None
        if not os.path.lexists(path):
            self.stats.pop(rel, None)
            self.duplicates.pop(rel, None)
            if before:
                self._problems_changed()
            if old is None:
                return None
            change = Change("deleted", old, None, rel, outside=True)
            self._apply(change)
            return change
        record, problems, key = read_path(str(self.folder.root), kind_dir, rel,
                                                   self.settings)
        if key is None and any(p.code == "symlink" for p in problems):
            self.scan_problems.extend(problems)
        self.stats[rel] = key
        self.duplicates.pop(rel, None)
        if record is not None:
            other = self.paths.get(record.id)
            if other is not None and other != rel:
                problems.append(Problem(rel, 1, 1, ERROR, "duplicate-id",
                                        {"id": record.id, "other": other}))
                self.duplicates[rel] = record
                record = None
        self.problems.extend(problems)
        if problems != before:
            self._problems_changed()
        if record is not None and old is not None and old.id == record.id:
            if old == record or (old.id in self.partial and _same_but_unseen(old, record)):
                with self._lock:  # the same record: a partial one becomes full, quietly
                    (self.inquiries if isinstance(record, Inquiry) else self.appeals)[
                        record.id] = record  # type: ignore[assignment]
                    self.partial.discard(record.id)
                return None
        if record is None:
            if old is None:
                return None
            change = Change("deleted", old, None, rel, outside=True)
        else:
            if old is not None and old.id != record.id:
                self._apply(Change("deleted", old, None, rel, outside=True))
                old = None
            change = Change("reloaded", old, record, rel, outside=True)
        self._apply(change)
        return change

    def apply_modes(self, modes: dict[str, tuple]) -> None:
        """Files whose permissions alone changed (``Tree.modes``: the same mtime
        and size, so the same content, e.g. a clone's files made private): their
        new stat keys, and the permission warnings their modes now call for,
        without reading them again. Known files only; on the interface's thread."""
        known = {rel: key for rel, key in modes.items() if rel in self.stats}
        if not known:
            return
        with self._lock:
            self.stats.update(known)
            # A first start's rows as read hold the old modes and their warnings
            # (a clone made private meanwhile): the index is written from what
            # is in memory instead, or every later start would find them again.
            self._unwritten = None
        added = [w for rel, key in known.items() if (w := mode_warning(rel, key[2])) is not None]
        if self._problems is None and not added:  # made private: their warnings go, as rows
            if self._loaded_problems.drop_readable(known):  # type: ignore[union-attr]
                self._problems_changed()
            return
        kept = [p for p in self.problems if not (p.code == READABLE and p.path in known)]
        if len(kept) != len(self.problems) or added:
            self.problems = kept + added
            self._problems_changed()

    def _problems_changed(self) -> None:
        for listener in list(self.problem_listeners):
            listener()


def _stat(path: Path) -> tuple | None:
    try:
        return rowcodec.stat_key(os.lstat(path))
    except OSError:
        return None


def _strip(r: Inquiry | Appeal) -> Inquiry | Appeal:
    """What the index holds of a record."""
    if isinstance(r, Inquiry):
        return dataclasses.replace(
            r, notes="", citizen=None, extra={},
            main=dataclasses.replace(r.main, extra={}),
            follow_up=tuple(dataclasses.replace(p, extra={}) for p in r.follow_up),
        )
    return dataclasses.replace(r, notes="", extra={})


def _same_but_unseen(partial: Inquiry | Appeal, full: Inquiry | Appeal) -> bool:
    return _strip(full) == partial


def same_but_unseen(partial: Inquiry | Appeal, full: Inquiry | Appeal) -> bool:
    """Whether ``partial`` is ``full`` without what the index leaves out (notes, citizen, extra)."""
    return type(partial) is type(full) and _same_but_unseen(partial, full)


def _fill_unseen(new: Inquiry | Appeal, partial: Inquiry | Appeal | None,
                 full: Inquiry | Appeal | None) -> Inquiry | Appeal:
    """``new`` was made from ``partial``: take what it could not see from ``full``."""
    if partial is None or full is None or type(new) is not type(full):
        return new
    changes: dict = {}
    if new.notes == partial.notes:
        changes["notes"] = full.notes
    if not new.extra:
        changes["extra"] = full.extra
    if isinstance(new, Inquiry):
        if new.citizen is None and partial.citizen is None:  # type: ignore[union-attr]
            changes["citizen"] = full.citizen  # type: ignore[union-attr]
        old_points, full_points = partial.points, full.points  # type: ignore[union-attr]

        def fill(i: int, p):
            if (i < len(old_points) and i < len(full_points) and p == old_points[i]
                    and dataclasses.replace(full_points[i], extra={}) == p):
                return full_points[i]
            return p

        changes["main"] = fill(0, new.main)
        changes["follow_up"] = tuple(fill(i + 1, p) for i, p in enumerate(new.follow_up))
    return dataclasses.replace(new, **changes)
