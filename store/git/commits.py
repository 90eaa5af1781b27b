"""Git as the audit trail: every save and every delete becomes one commit that
touches only that record's file, made in the background (``Committer``), with
a message that names fields, never their values."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path

from ..format.codec import to_toml
from ..format.layout import APPEALS, FOLDER_FILES, INQUIRIES, is_record_path
from .merge import changed_keys
from .repo import (
    GitError,
    first_line,
    git_path,
    has_commits,
    identity_env,
    is_repo,
    out,
    repo_lock,
    retry_lock,
    run,
)


def commit_paths(root: Path | str, paths: Iterable[str], message: str,
                 env: dict[str, str] | None = None) -> bool:
    """Commit exactly ``paths`` (as they are on disk, deleted or not) with ``message``.

    Other changes, staged or not, are left alone (``git commit -- paths``).
    Returns False when the paths hold nothing new; raises GitError on failure.
    """
    root = Path(root)
    paths = list(dict.fromkeys(paths))
    if not paths:
        return False
    env = env or identity_env(root)
    with repo_lock(root):
        return _commit_paths(root, paths, message, env)


def _commit_paths(root: Path, paths: list[str], message: str, env: dict[str, str]) -> bool:
    present = [p for p in paths if (root / p).exists()]
    gone = [p for p in paths if p not in present]
    for args in (["add", "--", *present] if present else None,
                 ["rm", "--cached", "-q", "--ignore-unmatch", "--", *gone] if gone else None):
        if args:
            proc = retry_lock(lambda a=args: run(root, *a, env=env, check=False))
            if proc.returncode != 0:
                raise GitError(first_line(proc))
    if has_commits(root):
        quiet = run(root, "diff", "--cached", "--quiet", "HEAD", "--", *paths, env=env, check=False)
        if quiet.returncode == 0:
            return False
    proc = retry_lock(lambda: run(root, "commit", "-q", "--no-verify", "-m", message, "--",
                                   *paths, env=env, check=False))
    if proc.returncode != 0:
        raise GitError(first_line(proc))
    return True


def commit_content(root: Path | str, path: str, data: bytes | None, message: str,
                   env: dict[str, str] | None = None) -> bool:
    """Commit ``path`` with exactly ``data`` (None: deleted), whatever the work tree holds now.

    The Committer commits what was saved at the moment of the save, even when
    a later save or a delete has changed the file since. The commit is built
    with a private index (read-tree, update-index, write-tree, commit-tree) and
    HEAD moves only if nobody else moved it meanwhile; other changes, staged or
    not, are left alone. The real index entry of ``path`` is updated to match.
    Returns False when HEAD already holds this content.
    """
    root = Path(root)
    env = dict(env or identity_env(root))
    blob = None
    if data is not None:
        blob = run(root, "hash-object", "-w", "--stdin", input=data, env=env).stdout.decode().strip()
    # A private index of this process's own: another process (a second app on
    # the folder) builds its commits with its own, and they take turns on HEAD.
    index_path = git_path(root, f"caselog-index.{os.getpid()}.{threading.get_ident()}")
    private = dict(env, GIT_INDEX_FILE=str(index_path))
    with repo_lock(root):
        return _commit_content(root, path, blob, message, env, private, index_path)


def _commit_content(root: Path, path: str, blob: str | None, message: str, env: dict[str, str],
                    private: dict[str, str], index_path: Path) -> bool:
    for _attempt in range(5):
        head_proc = run(root, "rev-parse", "-q", "--verify", "HEAD", check=False)
        head = head_proc.stdout.decode().strip() if head_proc.returncode == 0 else ""
        try:
            if head:
                run(root, "read-tree", head, env=private)
            else:
                run(root, "read-tree", "--empty", env=private)
            if blob is not None:
                run(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=private)
            else:
                run(root, "update-index", "--force-remove", "--", path, env=private)
            tree = out(root, "write-tree", env=private).strip()
        finally:
            try:
                index_path.unlink()
            except OSError:
                pass
        if head and tree == out(root, "rev-parse", f"{head}^{{tree}}").strip():
            committed = False
            break
        args = ["commit-tree", tree, "-m", message] + (["-p", head] if head else [])
        commit = out(root, *args, env=env).strip()
        moved = run(root, "update-ref", "-m", "caselog: " + message.split("\n")[0], "HEAD",
                    commit, head, env=env, check=False)
        if moved.returncode == 0:
            committed = True
            break
    else:
        raise GitError("HEAD keeps moving; try again")
    # The real index follows, so that git status shows no staged change for the path.
    if blob is not None:
        args = ["update-index", "--add", "--cacheinfo", f"100644,{blob},{path}"]
    else:
        args = ["update-index", "--force-remove", "--", path]
    proc = retry_lock(lambda: run(root, *args, env=env, check=False))
    if proc.returncode != 0:
        raise GitError(first_line(proc))
    return committed


def uncommitted(root: Path | str, records_only: bool = False) -> list[str]:
    """Record files (and the folder's own files) changed, added or deleted since the last commit.

    Without git's optional locks: a plain ``git status`` refreshes the index and
    takes its lock to write it, and a merge (another process's sync) that needs
    the lock meanwhile fails."""
    found = [rel for rel in _status_paths(root)
             if is_record_path(rel) or (not records_only and rel in FOLDER_FILES)]
    return sorted(dict.fromkeys(found))


def count_uncommitted(root: Path | str) -> int:
    """``len(uncommitted(root, records_only=True))``, without a list of the paths
    made (a folder never committed lists 360,000 of them); each record file is
    listed once (``--no-renames``)."""
    return sum(map(is_record_path, _status_paths(root)))


def _status_paths(root: Path | str) -> Iterator[str]:
    """The paths ``git status`` lists as changed, added or deleted, one at a time."""
    out = run(root, "--no-optional-locks", "status", "--porcelain=v1", "-z",
              "--untracked-files=all", "--no-renames", "--", INQUIRIES, APPEALS,
              *FOLDER_FILES).stdout
    start = 0
    while (end := out.find(b"\0", start)) >= 0:
        if end - start >= 4:  # "XY path"
            yield out[start + 3:end].decode("utf-8", "replace")
        start = end + 1


class Committer:
    """Commits saves and deletes in the background, one commit per change, in order.

    ``attach(workspace)`` adds a hook to ``workspace.after_write``; the hook
    only builds the message and queues the path, so the interface never waits
    for git. A single thread runs the commits. When a commit fails the file
    stays saved, ``on_error(message)`` is called, and the path is kept as
    pending: it is committed (with its messages) before the next commit, or
    by :meth:`commit_pending`. ``flush()`` waits for the queue; ``close()``
    flushes and stops the thread (the app calls it when quitting).

    ``message(change) -> str`` makes a commit message from a
    :class:`store.workspace.workspace.Change`; the interface passes one in its language.
    """

    def __init__(self, root: Path | str, message: Callable | None = None,
                 on_error: Callable[[str], None] | None = None):
        self.root = Path(root)
        self.message = message or default_message
        self.on_error = on_error
        self.enabled = is_repo(self.root)
        self.pending: dict[str, tuple[bytes | None, list[str]]] = {}  # path -> (content, messages)
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._env: dict[str, str] | None = None
        # Work that must be done before closing: commits, and calls not marked
        # ``may_drop`` (a sync). A call that may be dropped (a count for the status
        # line) is not waited for at close: not run if not begun, its result not
        # handed over if it is running.
        self._must = 0
        self._droppable: set[Future] = set()
        self._closed = False

    # -- wiring --------------------------------------------------------------
    def attach(self, workspace) -> Committer:
        workspace.after_write.append(self.hook)
        return self

    def hook(self, change) -> None:
        if not self.enabled:
            return
        try:
            message = self.message(change)
        except Exception:  # noqa: BLE001 - a message is never worth losing a commit
            message = default_message(change)
        data = None
        if change.new is not None:
            data = to_toml(change.new).encode("utf-8")  # the bytes the Workspace wrote
        self._put(("commit", change.path, data, message))

    def submit(self, fn: Callable[[], object], may_drop: bool = False) -> Future:
        """Run ``fn`` on the commit thread, after the commits queued before it (e.g. a
        sync). ``may_drop``: ``close`` need not wait for it (a count for the status
        line); then it may never run, or its future never be resolved."""
        fut: Future = Future()
        self._put(("call", fn, fut, may_drop))
        return fut

    def _put(self, item) -> None:
        may_drop = _may_drop(item)
        with self._lock:
            if self._closed:  # (its thread may still be ending a count: not a second one)
                raise RuntimeError("the committer is closed")
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="caselog-git", daemon=True)
                self._thread.start()
            if may_drop:
                self._droppable.add(item[2])
            else:
                self._must += 1
        self._queue.put(item)

    # -- the thread ----------------------------------------------------------
    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if item[0] == "commit":
                    _, path, data, message = item
                    _, messages = self.pending.pop(path, (None, []))
                    self.pending[path] = (data, [*messages, message])
                    self._commit_pending()
                else:
                    _, fn, fut, may_drop = item
                    if fut.set_running_or_notify_cancel():
                        try:
                            result = fn()
                        except BaseException as e:  # noqa: BLE001 - handed to the caller
                            result, error = None, e
                        else:
                            error = None
                        # (a count's not after close: its waiter may be gone; outside
                        # the lock: a done-callback may queue more work)
                        if not (may_drop and self._closed):
                            if error is None:
                                fut.set_result(result)
                            else:
                                fut.set_exception(error)
            finally:
                if item is not None:
                    with self._lock:
                        if _may_drop(item):
                            self._droppable.discard(item[2])
                        else:
                            self._must -= 1
                self._queue.task_done()

    def _commit_pending(self) -> bool:
        if self._env is None:
            self._env = identity_env(self.root)
        for path in list(self.pending):
            data, messages = self.pending[path]
            text = messages[0] if len(messages) == 1 else \
                messages[-1] + "\n\n" + "\n".join(messages[:-1])
            try:
                commit_content(self.root, path, data, text, self._env)
            except (GitError, OSError) as e:
                if self.on_error is not None:
                    try:
                        self.on_error(str(e))
                    except Exception:  # noqa: BLE001 - the reporter must not stop the thread
                        pass
                return False
            del self.pending[path]
        return True

    # -- waiting -------------------------------------------------------------
    def commit_pending(self) -> bool:
        """Try the pending paths again now (on the commit thread); True when none is left."""
        if not self.enabled:
            return True
        return bool(self.submit(self._commit_pending).result())

    def busy(self) -> bool:
        """Whether commits (or calls not marked ``may_drop``) are queued or running:
        what ``close`` waits for."""
        return self._must > 0

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued commit (and call not marked ``may_drop``) has run;
        False on timeout."""
        if self._thread is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._must:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float | None = 30) -> None:
        """Wait for the commits, then stop the thread. A count still queued is not
        run; one running is left to end by itself (the thread is a daemon), its
        result not handed over."""
        self.flush(timeout)
        with self._lock:
            self._closed = True
            for fut in self._droppable:
                fut.cancel()  # (not begun: never run)
            # (commits still running after the timeout are waited for again, as ever)
            wait = self._must > 0 or not self._droppable
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            if wait:
                thread.join(timeout)


def _may_drop(item: tuple) -> bool:
    """A queued item ``close`` need not wait for: a call marked ``may_drop``."""
    return item[0] == "call" and item[3]


def default_message(change) -> str:
    """An English commit message naming the record and its changed fields, never their values."""
    rec = change.record
    appeal = rec.__class__.__name__ == "Appeal"
    if change.action == "deleted":
        return f"Deleted {rec.id}"
    if change.old is None:
        return f"New {'appeal decision' if appeal else 'inquiry'} {rec.id}"
    keys = changed_keys(change.old, change.new)
    return f"Changed {rec.id}" + (": " + ", ".join(keys) if keys else "")
