"""The folder's files as the index sees them: ``walk`` (``DataFolder.scan`` in one
pass, with each file's stat key), ``stat_tree`` (only the stat keys, as fast as
the file system allows) and ``verify`` (what changed since the index was
written)."""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import signal
import stat
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.problems import ERROR, Problem
from ..folder import rowcodec
from ..format.layout import APPEALS, INQUIRIES, conflict_copy, settings_conflict_copies

StatKey = tuple[int, int, int]


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
    problems: list[Problem] = settings_conflict_copies(root)
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
                    stats[rel] = rowcodec.stat_key(e.stat(follow_symlinks=False))
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


class Stopped(Exception):
    """A walk stopped because its ``stop`` event was set (the app is quitting)."""


def verify(root: Path, stats: dict[str, StatKey | None],
           scan_problems: list[Problem] | None = None,
           tree: Tree | None = None, stop: threading.Event | None = None) -> list[str]:
    """The files that differ from ``stats`` (new, changed, deleted), in path order.

    One stat per file; safe to run in a thread (``stats`` is copied first).
    Symbolic links that appeared or vanished are listed too. ``tree``: filled
    with what was seen (the folder watcher starts from it), and, when its
    ``modes`` is a dict, with the files whose permissions alone changed
    (which are then not listed). ``verify_forked`` is the same, in child processes.
    ``stop``: when it is set, the walk ends between two folders (``Stopped``).
    """
    stats = dict(stats)
    now, after = stat_tree(root, tree, known=stats, stop=stop)
    if tree is not None and tree.with_keys:
        # The paths and tuples of ``stats`` where they are the same: one copy, not two
        # (the folder watcher keeps them; 360,000 paths are 27 MB)
        get = now.get
        keys = {rel: old for rel, old in stats.items() if old is not None and get(rel) == old}
        if len(keys) != len(now):
            keys.update([(rel, key) for rel, key in now.items() if rel not in keys])
        tree.keys = keys
    before = {p.path for p in scan_problems or () if p.code == "symlink"}
    if now == stats and before == after:
        return []
    changed = [rel for rel, key in now.items() if key is None or stats.get(rel, 0) != key]
    if tree is not None and tree.modes is not None:
        content = []
        for rel in changed:
            old, key = stats.get(rel), now[rel]
            if old is not None and key is not None and old[:2] == key[:2]:
                tree.modes[rel] = key
            else:
                content.append(rel)
        changed = content
    changed += [rel for rel in stats if rel not in now]
    changed += sorted(before ^ after)
    return sorted(set(changed), key=scan_key)


@dataclass
class Tree:
    """What ``stat_tree`` saw: each file's stat key and each folder's own
    modification time and subfolders (relative paths)."""

    keys: dict[str, StatKey] = field(default_factory=dict)
    folders: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)  # a merge's conflict copies, as walk sees them
    with_keys: bool = True  # verify fills ``keys`` (for the folder watcher)
    # Not None: verify puts here the files whose permissions alone changed (the
    # same mtime and size: a chmod, as when a clone's files are made private),
    # with their new stat key, instead of listing them as changed: their
    # content needs no new reading, only their permission warning a new look.
    modes: dict[str, StatKey] | None = None


def stat_tree(root: Path | str, tree: Tree | None = None, dirs: list[str] | None = None,
              known: dict[str, StatKey | None] | None = None,
              stop: threading.Event | None = None,
              ) -> tuple[dict[str, StatKey], set[str]]:
    """The stat key of every record file ``walk`` finds, and the symbolic links it
    reports (as paths), without the rest of ``walk``: one ``lstat`` per entry
    relative to its folder's descriptor (a third faster than DirEntry.stat at
    100,000 files; ``find`` itself needs two thirds of the time).
    ``tree``: its ``folders`` are filled in. ``dirs``: only these folders
    (relative paths) and what is below them. ``known``: stat keys held already;
    a file whose key is the same gets that tuple, not a new one (a walk of
    360,000 files then holds no second copy of each). ``stop``: set, the walk ends
    between two folders (``Stopped``)."""
    root = str(root)
    keys: dict[str, StatKey] = {}
    links: set[str] = set()
    folders = tree.folders if tree is not None else None
    conflicts = tree.conflicts if tree is not None else None
    if dirs is not None:
        for d in dirs:
            _visit(root, d, keys, links, conflicts, folders, known=known, stop=stop)
        return keys, links
    for d in _tops(root, links, conflicts):
        _visit(root, d, keys, links, conflicts, folders, known=known, stop=stop)
    return keys, links


def _tops(root: str, links: set[str], conflicts: set[str] | None) -> list[str]:
    """The record folders to walk; a linked one is a link, and caselog.toml's
    conflict copies are noted."""
    if conflicts is not None:
        conflicts.update(p.path for p in settings_conflict_copies(root))
    tops = []
    for kind_dir in (INQUIRIES, APPEALS):
        top = os.path.join(root, kind_dir)
        if os.path.islink(top):
            links.add(kind_dir)
        elif os.path.isdir(top):
            tops.append(kind_dir)
    return tops


def _visit(root: str, rel_dir: str, keys: dict, links: set, conflicts: set | None,
           folders: dict | None, recurse: bool = True,
           known: dict | None = None, expect: _Expect | None = None,
           stop: threading.Event | None = None) -> list[str]:
    """One folder's entries into ``keys``/``links``/``conflicts``/``folders``, then
    (``recurse``) its subfolders'; returns its subfolders. ``expect``: the record
    files are compared with it as they are seen, not put in ``keys``. ``stop``: set,
    ``Stopped`` is raised before the folder is read."""
    if stop is not None and stop.is_set():
        raise Stopped
    lstat = os.stat
    isdir, islnk = stat.S_ISDIR, stat.S_ISLNK
    pop = expect.keys.pop if expect is not None else None
    try:
        fd = os.open(os.path.join(root, rel_dir), os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return []
    dirs = []
    try:
        try:
            # the folder's mtime before its listing: a file created meanwhile
            # leaves it changed for the watcher (tui/watch.py)
            mtime = os.fstat(fd).st_mtime_ns if folders is not None else 0
            names = os.listdir(fd)
        except OSError:
            return []
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
                rel = f"{rel_dir}/{name}"
                key = (st.st_mtime_ns, st.st_size, mode & 0o7777)
                if expect is not None:
                    if (old := pop(rel, 0)) != key:
                        expect.differs(rel, old, key)
                    continue
                if known is not None and (old := known.get(rel)) == key:
                    key = old
                keys[rel] = key
            elif conflicts is not None and conflict_copy(rel_dir, name) is not None:
                conflicts.add(f"{rel_dir}/{name}")
        if folders is not None:
            folders[rel_dir] = (mtime, [f"{rel_dir}/{d}" for d in dirs])
    finally:
        os.close(fd)
    subs = [f"{rel_dir}/{d}" for d in dirs]
    if recurse:
        for d in subs:
            _visit(root, d, keys, links, conflicts, folders, known=known, expect=expect,
                   stop=stop)
    return subs


class _Expect:
    """A child's comparing, file by file as its walk sees them (``_visit``): the
    stat keys the index holds for the folder walked (``keys``: each taken out
    when its file is seen; those left are gone), and what differs (``_differs``)."""

    def __init__(self, want_modes: bool) -> None:
        self.keys: dict = {}
        self.changed: list[str] = []
        self.modes: dict[str, StatKey] | None = {} if want_modes else None

    def differs(self, rel: str, old, key: StatKey) -> None:
        _differs(rel, old, key, self.changed, self.modes)


def scan_key(rel: str) -> str:
    """Where ``rel`` comes in scan order, as one string to sort by: inquiries before
    appeals; in a folder its files (by name), then its subfolders (by name). Each
    part is written as its kind (a file before a folder), its name and a NUL,
    which no name holds and which comes before any character, so that a name
    that begins another comes first. (Compared in C: lists of tuples, compared
    element by element, took 2 s to sort 120,000 paths.)"""
    top, _, rest = rel.partition("/")
    parts = rest.split("/")
    last = parts.pop()
    return _folder_key(top, parts) + "\x01" + last + "\x00"


def _folder_key(top: str, parts: list[str]) -> str:
    """``scan_key``'s beginning for everything in the folder ``top/parts...``: each
    of its files' and subfolders' keys begins so and goes on with \\x01 or \\x02
    (less than the key plus \\x03)."""
    return ("1" if top != INQUIRIES else "0") + "".join(["\x02" + p + "\x00" for p in parts])


def verify_forked(root: Path | str, stats: dict[str, StatKey | None] | None,
                  order: Sequence[str], scan_problems: list[Problem] | None = None,
                  tree: Tree | None = None, processes: int | None = None,
                  keys: Sequence[StatKey | None] | None = None) -> list[str] | None:
    """``verify``, its walk and its comparing done by child processes (``fork``), one
    per core, each with a share of the record folders' subfolders (the months) and
    ``stats`` (inherited, not sent): each sends back only what differs. ``order``:
    ``stats``' paths in scan order (as the index holds them), so that each child
    finds the files of its folders, to tell which are gone, as one range of it.
    ``stats`` None: ``keys``, the stat keys in ``order``'s order, instead (each
    child makes a dict of its folders' alone; the keys may be an index's
    ``LazyTuple``, then unmarshalled by the children, not here).

    None where that cannot be done (no ``fork``, other threads, a ``tree`` that
    wants every key, ``order`` not in scan order): the caller then verifies
    here. The same result as ``verify``."""
    if not hasattr(os, "fork") or threading.active_count() != 1 or (
            tree is not None and tree.with_keys) or \
            len(order) != len(stats if stats is not None else keys):  # type: ignore[arg-type]
        return None
    root = str(root)
    top_keys: dict[str, StatKey] = {}
    links: set[str] = set()
    conflicts: set[str] = set()
    n = max(1, min(processes or os.cpu_count() or 1, 8))
    # the shares: the record folders' subfolders, a level deeper (the months)
    # while there are too few to share out evenly; what lies above them is seen here
    subs = _tops(root, links, conflicts)
    for _level in range(2):
        if len(subs) >= 8 * n:
            break
        deeper: list[str] = []
        for d in subs:
            deeper += _visit(root, d, top_keys, links, conflicts, None, recurse=False)
        subs = deeper
    # each folder's files in ``order``: one range, found by bisection
    ranges = {}
    for d in subs:
        top, *parts = d.split("/")
        start = _folder_key(top, parts)
        lo = bisect_left(order, start, key=scan_key)
        hi = bisect_left(order, start + "\x03", key=scan_key)
        ranges[d] = (lo, hi)
    # what lies between the ranges: files above the folders shared out (or gone with
    # a folder that is no longer there); none may belong below one of them
    anywhere = tuple(d + "/" for d in subs)
    taken = sorted(ranges.values())
    between, at = [], 0
    for lo, hi in taken:
        if lo < at:
            return None  # (ranges that overlap: not in scan order)
        between += range(at, lo)
        at = hi
    between += range(at, len(order))
    if any(order[i].startswith(anywhere) for i in between):
        return None
    want_modes = tree is not None and tree.modes is not None
    n = max(1, min(n, len(subs)))
    shares = [subs[i::n] for i in range(n)]
    children: list[tuple[int, int]] = []
    for share in shares:
        child = _fork_compare(root, share, stats, want_modes, order, [ranges[d] for d in share],
                              keys)
        if child is None:  # no more processes: the ones started are stopped
            for pid, fd in children:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                _collect(pid, fd)
            return None
        children.append(child)
    parts = [_collect(pid, fd) for pid, fd in children]
    if any(p is None or p[0] is None for p in parts):
        return None
    changed: list[str] = []
    modes: dict[str, StatKey] = {}
    if stats is None:  # (the files above the folders shared out: few, most often none)
        stats = {order[i]: keys[i] for i in between}  # type: ignore[index]
    _compare(top_keys, stats, changed, modes if want_modes else None)
    changed += [order[i] for i in between if order[i] not in top_keys]
    for part_changed, part_modes, gone, part_links, part_conflicts in parts:
        changed += part_changed
        modes.update(part_modes)
        changed += gone
        links.update(part_links)
        conflicts.update(part_conflicts)
    if tree is not None:
        tree.conflicts.update(conflicts)
        if want_modes:
            tree.modes.update(modes)
    before = {p.path for p in scan_problems or () if p.code == "symlink"}
    changed += sorted(before ^ links)
    return sorted(set(changed), key=scan_key)


def _compare(keys: dict, stats: dict, changed: list, modes: dict | None) -> None:
    """verify's comparing of the keys seen with ``stats`` (new and changed files;
    where ``modes`` is a dict, the files whose permissions alone changed)."""
    get = stats.get
    for rel, key in keys.items():
        old = get(rel, 0)
        if old != key:
            _differs(rel, old, key, changed, modes)


def _differs(rel: str, old, key: StatKey, changed: list, modes: dict | None) -> None:
    """A file whose stat key is not the one known (``old``; 0: none): changed, or
    (where ``modes`` is a dict) only its permissions when its mtime and size are
    the same."""
    if modes is not None and old and old[:2] == key[:2]:
        modes[rel] = key
    else:
        changed.append(rel)


def _fork_compare(root: str, dirs: list[str], stats: dict | None, want_modes: bool,
                  order: Sequence[str], ranges: list[tuple[int, int]],
                  stat_keys: Sequence | None = None) -> tuple[int, int] | None:
    """A child that walks ``dirs`` and compares what it sees with ``stats``: the
    files of ``order[lo:hi]`` (a folder's, one range each) it does not see are gone.
    It sends None as its changes when a range holds another folder's file.
    ``stats`` None: the child makes it from ``stat_keys`` (in ``order``'s order)
    for its ranges alone."""
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: walk, compare, send, and leave without running anything else
        code = 1
        try:
            # No collections: they would go over every object the parent holds
            # (the index's 100,000s), and touching them copies their pages.
            gc.disable()
            os.close(r)
            links: set[str] = set()
            conflicts: set[str] = set()
            expect = _Expect(want_modes)
            changed: list[str] | None = expect.changed
            gone: list[str] = []
            # folder by folder: the index's keys of its files (one range of
            # ``order``), each compared and taken out as its file is seen
            for d, (lo, hi) in zip(dirs, ranges, strict=True):
                part = order[lo:hi]
                prefix = d + "/"
                if not all(rel.startswith(prefix) for rel in part):
                    changed = None  # not in scan order: the caller verifies itself
                    break
                expect.keys = dict(zip(part, stat_keys[lo:hi], strict=True)) \
                    if stats is None else {rel: stats[rel] for rel in part}
                _visit(root, d, {}, links, conflicts, None, expect=expect)
                gone += expect.keys  # not seen
            data = marshal.dumps((changed, expect.modes or {}, gone, tuple(links),
                                  tuple(conflicts)))
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


def _collect(pid: int, fd: int) -> tuple | None:
    """What a child sent (None: it failed); the child is waited for, its pipe closed."""
    chunks = []
    try:
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(fd)
    _pid, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None
