"""Watching a data folder for changes made outside caselog (an editor, a ``git pull``).

``FolderWatcher(workspace, on_change).start()`` polls the record folders once a
second from a thread. A record file that was changed, added or deleted is read
again with ``Workspace.reload_path`` and the resulting Changes are handed to
``on_change`` in one list. Saves made through the Workspace itself are
recognised (the file holds exactly what the Workspace has) and not reported.

Cheap at 100,000 files: a folder is listed again only when its own mtime
changed (a file was created, renamed or removed in it: atomic saves, git
checkouts), when the watcher saw a change in it lately ("hot"), or when its
turn in a slow rotation comes (an in-place edit of an old file is seen within
``full_every`` polls). Each listed file is compared by (mtime_ns, size, mode).
On Linux, inotify (tui/inotify.py) names the folders where anything happened,
and they are listed at once: an in-place edit shows within a fraction of a
second too, with no more polling. Where inotify is missing, polling does it all.

The Workspace is not thread-safe: pass ``call=app.call_from_thread`` so that
reloading and ``on_change`` run on the interface's thread. Without ``call``
they run on the watcher's thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import PurePosixPath

from store.format import codec
from store.format.layout import APPEALS, INQUIRIES
from store.workspace.workspace import Change, Workspace

from .inotify import Inotify

SETTLE_NS = 150_000_000  # a file changed less than this ago is read at the next poll
HOT_SECONDS = 300  # a folder where a change was seen this recently is listed every poll


class FolderWatcher:
    def __init__(self, workspace: Workspace, on_change: Callable[[list[Change]], None],
                 interval: float = 1.0, call: Callable[[Callable[[], object]], object] | None = None,
                 full_every: int = 30, on_error: Callable[[Exception], None] | None = None,
                 use_inotify: bool = True):
        self.workspace = workspace
        self.root = workspace.folder.root
        self.on_change = on_change
        self.interval = interval
        self.call = call
        self.full_every = max(1, full_every)
        self.on_error = on_error
        # dir -> {file: (mtime_ns, size, mode)}: the workspace's stat keys, whose
        # tuples are shared rather than copied (120,000 of them at 100k records)
        self._files: dict[str, dict[str, tuple[int, int, int]]] = {}
        self._subdirs: dict[str, set[str]] = {}
        self._mtimes: dict[str, int] = {}  # dir -> its own mtime_ns at the last listing
        self._hot: dict[str, float] = {}  # dir -> monotonic time of the last change seen in it
        self._turn = 0
        self._settling: list[str] = []  # changed files too fresh to read yet
        self._empty: set[str] = set()  # files found empty once
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._initial: list[str] = []
        # Linux: folders with inotify events are listed at once (see tui/inotify.py).
        self.use_inotify = use_inotify
        self._inotify: Inotify | None = None
        self._dirty: set[str] = set()  # folders inotify named since the last poll
        self._everything = False  # inotify lost events: list every folder
        # An indexed workspace knows the stat of every file it read: that is the
        # baseline, taken on the watcher's thread (no stat of 100,000 files
        # before the first screen), and the first poll lists every folder and
        # reports what differs. Otherwise the folder is listed now.
        self._from_stats = bool(workspace.indexed)
        # Set when the baseline is there; an indexed workspace's watcher waits
        # for ``adopt`` (the app's check of the index hands over what it saw).
        self._adopted = threading.Event()
        if not self._from_stats:
            self._baseline()
            self._adopted.set()

    # -- running -------------------------------------------------------------
    def start(self) -> FolderWatcher:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="caselog-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if self._inotify is not None and (thread is None or not thread.is_alive()):
            self._inotify.close()
            self._inotify = None

    def adopt(self, tree=None) -> None:
        """Start from ``tree`` (a ``store.index.tree.Tree``: the folder as the index
        check saw it, its changes since applied to the workspace), or, when
        None, from the stats the workspace holds (the first poll then lists
        every folder)."""
        with self._lock:
            if tree is None:
                self._baseline_from_stats()
            else:
                self._from_stats = False
                files: dict[str, dict[str, tuple[int, int, int]]] = {
                    d: {} for d in tree.folders}
                for rel, key in tree.keys.items():
                    files.setdefault(rel.rpartition("/")[0], {})[rel] = key
                self._files = files
                self._subdirs = {d: set(sub) for d, (_m, sub) in tree.folders.items()}
                self._mtimes = {d: m for d, (m, _sub) in tree.folders.items()}
                self._initial = []
        self._adopted.set()

    def _loop(self) -> None:
        while not self._adopted.wait(0.2):
            if self._stop.is_set():
                return
        if self.use_inotify:
            self._start_inotify()
        while not self._stop.is_set():
            timeout = min(self.interval, 0.2) if self._settling else self.interval
            if not self._wait(timeout):
                return
            try:
                self.poll()
            except Exception as e:  # noqa: BLE001 - keep watching; say what went wrong
                if self.on_error is not None:
                    self.on_error(e)

    def _wait(self, timeout: float) -> bool:
        """Until the next poll: ``timeout`` seconds, or less when inotify has news.
        False when stopped."""
        ino = self._inotify
        if ino is None:
            return not self._stop.wait(timeout)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if ino.wait(min(left, 0.25)):  # wake now and then to notice stop()
                self._stop.wait(0.05)  # a burst (a git checkout) arrives as one
                keys, lost = ino.read()
                with self._lock:
                    self._dirty |= keys
                    self._everything |= lost
                break
            if self._stop.is_set():
                return False
        return not self._stop.is_set()

    def _start_inotify(self) -> None:
        ino = Inotify.open()
        if ino is None:
            return
        with self._lock:
            folders = list(self._mtimes) or [INQUIRIES, APPEALS]
            for d in folders:
                if not ino.add(str(self.root / d), d):
                    ino.close()  # the watch limit: polling alone
                    return
            self._inotify = ino

    def poll(self) -> list[Change]:
        """One look at the folder now; applies and reports what changed outside.

        A file written in the last moment may be half written (an editor
        writing in place): it waits for the next poll, which comes sooner.
        """
        with self._lock:
            paths = list(dict.fromkeys(self._settling + self._scan()))
            self._settling = []
        if not paths:
            return []
        if self.call is None:
            return self._apply(paths)
        result: list[Change] = []
        self.call(lambda: result.extend(self._apply(paths)))
        return result

    # -- comparing with the workspace ---------------------------------------
    def _apply(self, paths: list[str]) -> list[Change]:
        changes = []
        for rel in paths:
            state = self._look(rel)
            if state == "own":
                continue
            if state == "unsettled":
                with self._lock:
                    self._settling.append(rel)
                continue
            change = self.workspace.reload_path(rel)
            if change is not None:
                changes.append(change)
        if changes:
            self.on_change(changes)
        return changes

    def _look(self, rel: str) -> str:
        """``own`` (the file is as the Workspace has it: our own save or delete),
        ``unsettled`` (being written right now) or ``outside``."""
        ws = self.workspace
        rid = PurePosixPath(rel).stem
        record = ws.get(rid) if ws.paths.get(rid) == rel else None
        path = self.root / rel
        try:
            before = os.stat(path)
            with open(path, "rb") as f:
                data = f.read(codec.MAX_FILE_SIZE + 1)
            after = os.stat(path)
        except FileNotFoundError:
            return "own" if record is None else "outside"
        except OSError:
            return "outside"
        if after.st_size == 0 and rel not in self._empty:
            # Truncated by a writer that has not written yet (the mtime may not
            # even have moved): an empty file counts when it is still empty next time.
            self._empty.add(rel)
            return "unsettled"
        self._empty.discard(rel)
        if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size) \
                or len(data) != after.st_size or time.time_ns() - after.st_mtime_ns < SETTLE_NS:
            return "unsettled"
        if record is not None and data == codec.to_toml(record).encode("utf-8"):
            known = ws.stats.get(rel)
            if known is not None and known[2] == after.st_mode & 0o7777:
                return "own"
            # the same bytes with other permissions (chmod): its warnings are read again
        return "outside"

    # -- scanning ------------------------------------------------------------
    def _list(self, rel_dir: str) -> tuple[int, dict[str, tuple[int, int, int]], set[str]] | None:
        """A folder's own mtime, its record files and its subfolders; None when it is gone."""
        path = self.root / rel_dir
        try:
            mtime = os.stat(path, follow_symlinks=False).st_mtime_ns
            files: dict[str, tuple[int, int, int]] = {}
            subdirs: set[str] = set()
            with os.scandir(path) as it:
                for e in it:
                    if e.name.startswith("."):
                        continue
                    try:
                        if e.is_dir(follow_symlinks=False):
                            subdirs.add(f"{rel_dir}/{e.name}")
                        elif e.name.endswith(".toml") and e.is_file(follow_symlinks=False):
                            st = e.stat(follow_symlinks=False)
                            files[f"{rel_dir}/{e.name}"] = (
                                st.st_mtime_ns, st.st_size, st.st_mode & 0o7777)
                    except OSError:
                        continue
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return None
        return mtime, files, subdirs

    def _take(self, rel_dir: str, changed: list[str]) -> None:
        """List a folder again, note what changed in it, and follow new and vanished subfolders."""
        listing = self._list(rel_dir)
        old_files = self._files.get(rel_dir, {})
        old_sub = self._subdirs.get(rel_dir, set())
        if listing is None:
            self._forget(rel_dir, changed)
            return
        mtime, files, subdirs = listing
        if self._inotify is not None and not self._inotify.add(str(self.root / rel_dir), rel_dir):
            self._everything = True  # a folder inotify cannot watch: no trusting it
            self._inotify.close()
            self._inotify = None
        here = [rel for rel, sig in files.items() if old_files.get(rel) != sig]
        gone = [rel for rel in old_files if rel not in files]
        changed += here
        changed += gone
        if not old_files:
            self._files[rel_dir] = files
        elif here or gone:
            # What did not change keeps its old path and stat tuple (the workspace's,
            # from the baseline): a listing's copies of 360,000 of them are 70 MB.
            for rel in gone:
                del old_files[rel]
            for rel in here:
                old_files[rel] = files[rel]
        # (else: the old dict as it is)
        self._subdirs[rel_dir] = subdirs
        self._mtimes[rel_dir] = mtime
        for d in old_sub - subdirs:
            self._forget(d, changed)
        for d in sorted(subdirs - old_sub):
            self._take(d, changed)

    def _forget(self, rel_dir: str, changed: list[str]) -> None:
        if self._inotify is not None:
            self._inotify.remove(rel_dir)
        changed += list(self._files.pop(rel_dir, {}))
        self._mtimes.pop(rel_dir, None)
        self._hot.pop(rel_dir, None)
        for d in self._subdirs.pop(rel_dir, set()):
            self._forget(d, changed)

    def _baseline(self) -> None:
        """The folder as it is now; files the Workspace does not know are reported at the first poll."""
        seen: list[str] = []
        for top in (INQUIRIES, APPEALS):
            self._take(top, seen)
        known = set(self.workspace.paths.values())
        listed = {rel for files in self._files.values() for rel in files}
        self._initial = [rel for rel in seen if rel not in known] + \
            [rel for rel in known if rel not in listed]

    def _baseline_from_stats(self) -> None:
        """The files as the workspace read them; the first poll lists every folder."""
        self._from_stats = False
        ws = self.workspace
        with ws._lock:
            stats = dict(ws.stats)
            known = list(ws.paths.values())
        files: dict[str, dict[str, tuple[int, int, int]]] = {}
        for rel, key in stats.items():
            # No stat (written in the same tick as read): compared as changed.
            sig = key if key is not None else (-1, -1, -1)
            files.setdefault(rel.rpartition("/")[0], {})[rel] = sig
        for rel in known:  # a record whose stat is unknown: read again
            if rel not in stats:
                files.setdefault(rel.rpartition("/")[0], {})[rel] = (-1, -1, -1)
        self._files = files
        self._subdirs = {}
        self._mtimes = {}

    def _scan(self) -> list[str]:
        if self._from_stats:  # polled before any baseline was handed over
            self._baseline_from_stats()
            self._adopted.set()
        changed: list[str] = self._initial
        self._initial = []
        dirty, self._dirty = self._dirty, set()
        everything, self._everything = self._everything, False
        dirs = sorted(self._mtimes)
        for top in (INQUIRIES, APPEALS):
            if top not in self._mtimes:
                dirs.append(top)
        # The rotation: a slice of the folders is listed whatever their mtime says.
        self._turn = (self._turn + 1) % self.full_every
        rotation = set(dirs[self._turn::self.full_every])
        now = time.monotonic()
        for d in dirs:
            if d not in self._mtimes and d not in (INQUIRIES, APPEALS):
                continue  # forgotten while following a vanished parent
            try:
                mtime = os.stat(self.root / d, follow_symlinks=False).st_mtime_ns
            except OSError:
                mtime = None
            hot = d in self._hot and now - self._hot[d] < HOT_SECONDS
            if d in self._hot and not hot:
                del self._hot[d]
            if mtime != self._mtimes.get(d) or hot or d in rotation or d in dirty or everything:
                before = len(changed)
                self._take(d, changed)
                if len(changed) > before:
                    self._hot[d] = now
        # Folders known only from the baseline that no listing reached: gone.
        for d in [d for d in self._files if d not in self._mtimes]:
            self._forget(d, changed)
        return list(dict.fromkeys(changed))
