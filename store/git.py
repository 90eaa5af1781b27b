"""Git as the audit trail of a data folder, and as the way a team shares one log.

Every save and every delete becomes one commit that touches only that record's
file; the history of a record is read back from the stored versions and
compared field by field; ``sync`` commits what is pending, fetches, merges
(never rebases) and pushes. Record files merge field by field through the
``caselog`` merge driver (:mod:`store.merge`).

Git is run as a subprocess with argument lists, never through a shell, and
never with personal data in a commit message. When git is not installed,
caselog works without history: :func:`git_available` says so.
"""

from __future__ import annotations

import getpass
import os
import queue
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write
from .folder import APPEALS, INQUIRIES
from .taxonomy import SETTINGS_FILE

GITATTRIBUTES = ".gitattributes"
ATTRIBUTE_LINES = (
    "inquiries/**/*.toml merge=caselog",
    "appeals/**/*.toml merge=caselog",
)
FOLDER_FILES = (SETTINGS_FILE, ".gitignore", GITATTRIBUTES)
DRIVER_NAME = "caselog field-by-field merge of record files"
LOCK_RETRIES = 20  # index.lock held by another git: wait up to about 2 s


class GitError(Exception):
    """A git command failed; the message is git's own first line, without personal data."""


def git_available() -> bool:
    return shutil.which("git") is not None


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"  # parse git's output, not a translation of it
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password on a terminal
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def run(root: Path | str, *args: str, env: dict[str, str] | None = None,
        input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """``git -C root args...``; raises GitError on failure when ``check``."""
    cmd = ["git", "-C", str(root), "-c", "commit.gpgsign=false", "-c", "core.quotepath=off", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, env=env or _base_env(), input=input,
                              check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if check and proc.returncode != 0:
        raise GitError(_first_line(proc) or f"git {args[0]} failed ({proc.returncode})")
    return proc


def _first_line(proc: subprocess.CompletedProcess) -> str:
    for stream in (proc.stderr, proc.stdout):
        for line in stream.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line and not line.startswith("hint:"):
                return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""


def out(root: Path | str, *args: str, env: dict[str, str] | None = None) -> str:
    return run(root, *args, env=env).stdout.decode("utf-8", "replace")


def is_repo(root: Path | str) -> bool:
    """Whether ``root`` is the top of a git work tree (not merely inside another one)."""
    if not git_available():
        return False
    proc = run(root, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        return False
    top = proc.stdout.decode("utf-8", "replace").strip()
    try:
        return Path(top).resolve() == Path(root).resolve()
    except OSError:
        return False


def has_commits(root: Path | str) -> bool:
    return run(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0


# ---------------------------------------------------------------------------
# Identity


def identity_env(root: Path | str) -> dict[str, str]:
    """The environment for a commit: the user's git identity, or a fallback.

    Where no ``user.name``/``user.email`` is configured, the OS user name and
    ``user@hostname.invalid`` are passed as GIT_AUTHOR_*/GIT_COMMITTER_*, so a
    save never fails for want of an identity.
    """
    env = _base_env()

    def config(key: str) -> str:
        proc = run(root, "config", "--get", key, check=False)
        return proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else ""

    name = env.get("GIT_AUTHOR_NAME") or config("user.name")
    email = env.get("GIT_AUTHOR_EMAIL") or config("user.email")
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment or passwd
        user = "caselog"
    host = (socket.gethostname() or "localhost").split(".")[0] or "localhost"
    name = name or user
    email = email or f"{user}@{host}.invalid"
    for who in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{who}_NAME", name)
        env.setdefault(f"GIT_{who}_EMAIL", email)
    return env


# ---------------------------------------------------------------------------
# Setting a folder up


def merge_driver_command() -> str:
    """The merge driver as git runs it: this interpreter, so no PATH is needed."""
    return f"{shlex.quote(sys.executable)} -m tui.cli merge-driver %O %A %B %P"


def _ensure_attributes(root: Path) -> bool:
    """Add the merge driver's lines to .gitattributes; True when the file changed."""
    path = root / GITATTRIBUTES
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines()
    missing = [line for line in ATTRIBUTE_LINES if line not in lines]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(path, (text + "\n".join(missing) + "\n").encode("utf-8"))
    os.chmod(path, 0o644)
    return True


def ensure_merge_driver(root: Path | str) -> bool:
    """Set up the field-by-field merge driver where missing; True if anything was set.

    Writes ``merge.caselog.name``/``merge.caselog.driver`` into the repository's
    own config (a clone does not carry config, so every caselog command that
    opens a folder calls this) and the lines of ``.gitattributes``. A changed
    ``.gitattributes`` is committed on its own. Does nothing without git or
    outside a repository.
    """
    root = Path(root)
    if not is_repo(root):
        return False
    changed = False
    want = merge_driver_command()
    proc = run(root, "config", "--local", "--get", "merge.caselog.driver", check=False)
    if proc.stdout.decode("utf-8", "replace").strip() != want:
        run(root, "config", "--local", "merge.caselog.name", DRIVER_NAME)
        run(root, "config", "--local", "merge.caselog.driver", want)
        changed = True
    if _ensure_attributes(root):
        changed = True
        if has_commits(root):
            commit_paths(root, [GITATTRIBUTES], "caselog: merge driver for record files",
                         identity_env(root))
    return changed


def init_repo(root: Path | str, message: str = "caselog") -> bool:
    """Make a new data folder a git repository with a first commit; False without git.

    The first commit holds caselog.toml, .gitignore and .gitattributes.
    """
    root = Path(root)
    if not git_available():
        return False
    if not is_repo(root):
        # The branch is git's default (init.defaultBranch), like a shared
        # repository made with the same git: a colleague's clone checks it out.
        run(root, "init", "-q")
    _ensure_attributes(root)
    ensure_merge_driver(root)
    env = identity_env(root)
    present = [f for f in FOLDER_FILES if (root / f).exists()]
    if present:
        commit_paths(root, present, message, env)
    return True


# ---------------------------------------------------------------------------
# Committing


def is_record_path(rel: str) -> bool:
    return rel.endswith(".toml") and rel.startswith((INQUIRIES + "/", APPEALS + "/")) \
        and not rel.rsplit("/", 1)[-1].startswith(".")


def _retry_lock(fn: Callable[[], subprocess.CompletedProcess]) -> subprocess.CompletedProcess:
    """Run a git command again while another git holds the index lock."""
    for attempt in range(LOCK_RETRIES):
        proc = fn()
        if proc.returncode == 0 or b"index.lock" not in proc.stderr:
            return proc
        time.sleep(0.05 * (attempt + 1) if attempt < 5 else 0.2)
    return proc


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
    present = [p for p in paths if (root / p).exists()]
    gone = [p for p in paths if p not in present]
    for args in (["add", "--", *present] if present else None,
                 ["rm", "--cached", "-q", "--ignore-unmatch", "--", *gone] if gone else None):
        if args:
            proc = _retry_lock(lambda a=args: run(root, *a, env=env, check=False))
            if proc.returncode != 0:
                raise GitError(_first_line(proc))
    if has_commits(root):
        quiet = run(root, "diff", "--cached", "--quiet", "HEAD", "--", *paths, env=env, check=False)
        if quiet.returncode == 0:
            return False
    proc = _retry_lock(lambda: run(root, "commit", "-q", "--no-verify", "-m", message, "--",
                                   *paths, env=env, check=False))
    if proc.returncode != 0:
        raise GitError(_first_line(proc))
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
    index = out(root, "rev-parse", "--git-path", "caselog-index").strip()
    index_path = Path(index) if os.path.isabs(index) else root / index
    private = dict(env, GIT_INDEX_FILE=str(index_path))
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
    proc = _retry_lock(lambda: run(root, *args, env=env, check=False))
    if proc.returncode != 0:
        raise GitError(_first_line(proc))
    return committed


def uncommitted(root: Path | str, records_only: bool = False) -> list[str]:
    """Record files (and the folder's own files) changed, added or deleted since the last commit."""
    proc = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
               "--", INQUIRIES, APPEALS, *FOLDER_FILES)
    found: list[str] = []
    for entry in proc.stdout.decode("utf-8", "replace").split("\0"):
        if len(entry) < 4:
            continue
        rel = entry[3:]
        if is_record_path(rel) or (not records_only and rel in FOLDER_FILES):
            found.append(rel)
    return sorted(dict.fromkeys(found))


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
    :class:`store.workspace.Change`; the interface passes one in its language.
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
            from .codec import to_toml

            data = to_toml(change.new).encode("utf-8")  # the bytes the Workspace wrote
        self._put(("commit", change.path, data, message))

    def submit(self, fn: Callable[[], object]) -> Future:
        """Run ``fn`` on the commit thread, after the commits queued before it (e.g. a sync)."""
        fut: Future = Future()
        self._put(("call", fn, fut))
        return fut

    def _put(self, item) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="caselog-git", daemon=True)
                self._thread.start()
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
                    _, fn, fut = item
                    if fut.set_running_or_notify_cancel():
                        try:
                            fut.set_result(fn())
                        except BaseException as e:  # noqa: BLE001 - handed to the caller
                            fut.set_exception(e)
            finally:
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

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued commit has run; False on timeout."""
        if self._thread is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float | None = 30) -> None:
        self.flush(timeout)
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)


def default_message(change) -> str:
    """An English commit message naming the record and its changed fields, never their values."""
    from .merge import changed_keys

    rec = change.record
    appeal = rec.__class__.__name__ == "Appeal"
    if change.action == "deleted":
        return f"Deleted {rec.id}"
    if change.old is None:
        return f"New {'appeal decision' if appeal else 'inquiry'} {rec.id}"
    keys = changed_keys(change.old, change.new)
    return f"Changed {rec.id}" + (": " + ", ".join(keys) if keys else "")


# ---------------------------------------------------------------------------
# History


@dataclass
class Version:
    """One commit that touched a record, with the file before and after it."""

    rev: str
    date: str  # ISO 8601 with the author's offset
    author: str
    email: str
    subject: str
    path: str  # where the record was after the commit (or before, when deleted)
    before: bytes | None  # the file in the first parent (None: absent)
    after: bytes | None  # the file after the commit (None: deleted)
    parents: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.after is None:
            return "deleted"
        return "created" if self.before is None else "changed"


def paths_of_id(root: Path | str, rid: str) -> list[str]:
    """Every path a record with this id has had, now or in the history."""
    found = []
    for kind_dir in (INQUIRIES, APPEALS):
        for p in (Path(root) / kind_dir).glob(f"**/{rid}.toml"):
            found.append(p.relative_to(root).as_posix())
    if is_repo(root) and has_commits(root):
        text = out(root, "log", "--all", "--format=", "--name-only", "--no-renames", "--",
                   f":(glob){INQUIRIES}/**/{rid}.toml", f":(glob){APPEALS}/**/{rid}.toml")
        found += [line for line in text.splitlines() if line]
    return list(dict.fromkeys(found))


def read_blobs(root: Path | str, specs: list[str]) -> dict[str, bytes | None]:
    """The contents of ``rev:path`` specs through one ``git cat-file --batch``."""
    specs = list(dict.fromkeys(specs))
    result: dict[str, bytes | None] = {}
    if not specs:
        return result
    proc = run(root, "cat-file", "--batch", input=("\n".join(specs) + "\n").encode("utf-8"))
    data = proc.stdout
    pos = 0
    for spec in specs:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].decode("utf-8", "replace").split(" ")
        pos = nl + 1
        if len(header) == 3 and header[1] == "blob":
            size = int(header[2])
            result[spec] = data[pos:pos + size]
            pos += size + 1
        else:
            result[spec] = None
            if len(header) == 3:  # a tree or other object: skip its body
                pos += int(header[2]) + 1
    return result


_FMT = "%x1e%H%x1f%P%x1f%aI%x1f%an%x1f%ae%x1f%s"


def _log(root: Path | str, args: list[str]) -> list[dict]:
    text = out(root, "log", f"--format={_FMT}", *args)
    commits = []
    for chunk in text.split("\x1e")[1:]:
        head = chunk.strip("\n").split("\n")[0]
        parts = head.split("\x1f")
        if len(parts) < 6:
            continue
        commits.append({"rev": parts[0], "parents": parts[1].split(), "date": parts[2],
                        "author": parts[3], "email": parts[4], "subject": parts[5]})
    return commits


def _versions(root: Path | str, commits: list[dict], paths: list[str]) -> list[Version]:
    specs = []
    for c in commits:
        for p in paths:
            specs.append(f"{c['rev']}:{p}")
            if c["parents"]:
                specs.append(f"{c['parents'][0]}:{p}")
    blobs = read_blobs(root, specs)
    versions = []
    for c in commits:
        after = before = None
        where = paths[0]
        for p in paths:
            if after is None and blobs.get(f"{c['rev']}:{p}") is not None:
                after, where = blobs[f"{c['rev']}:{p}"], p
        for p in paths:
            if c["parents"] and before is None and blobs.get(f"{c['parents'][0]}:{p}") is not None:
                before = blobs[f"{c['parents'][0]}:{p}"]
                if after is None:
                    where = p
        if before == after:
            continue
        versions.append(Version(c["rev"], c["date"], c["author"], c["email"], c["subject"],
                                where, before, after, c["parents"]))
    return versions


def history(root: Path | str, rid: str, limit: int | None = None) -> list[Version]:
    """Every commit that changed the record ``rid``, newest first."""
    paths = paths_of_id(root, rid)
    if not paths or not has_commits(root):
        return []
    args = [f"-n{limit}"] if limit else []
    commits = _log(root, [*args, "--", *paths])
    return _versions(root, commits, paths)


@dataclass
class Commit:
    rev: str
    date: str
    author: str
    email: str
    subject: str
    versions: list[Version]  # the record files it changed


def recent(root: Path | str, limit: int = 20) -> list[Commit]:
    """The latest commits of the folder, each with the record versions it changed."""
    if not has_commits(root):
        return []
    commits = _log(root, [f"-n{limit}"])
    result = []
    for c in commits:
        parent = c["parents"][0] if c["parents"] else None
        if parent:
            names = out(root, "diff", "--name-only", "--no-renames", parent, c["rev"], "--",
                        INQUIRIES, APPEALS)
        else:
            names = out(root, "ls-tree", "-r", "--name-only", c["rev"], "--", INQUIRIES, APPEALS)
        paths = [p for p in names.splitlines() if is_record_path(p)]
        versions = []
        for p in paths:
            versions += _versions(root, [c], [p])
        result.append(Commit(c["rev"], c["date"], c["author"], c["email"], c["subject"], versions))
    return result


@dataclass
class Deleted:
    id: str
    path: str
    rev: str  # the commit that deleted it
    date: str
    author: str


def deleted_records(root: Path | str) -> list[Deleted]:
    """Records deleted in the history and not on disk now, the latest deletion first."""
    if not has_commits(root):
        return []
    text = out(root, "log", "--diff-filter=D", "--no-renames", "--name-only",
               "--format=%x1e%H%x1f%aI%x1f%an", "--", INQUIRIES, APPEALS)
    found: dict[str, Deleted] = {}
    for chunk in text.split("\x1e")[1:]:
        lines = chunk.strip("\n").split("\n")
        rev, date, author = (lines[0].split("\x1f") + ["", "", ""])[:3]
        for p in lines[1:]:
            if not is_record_path(p) or (Path(root) / p).exists():
                continue
            rid = p.rsplit("/", 1)[-1][:-len(".toml")]
            if rid not in found and not any(True for _ in _existing(root, rid)):
                found[rid] = Deleted(rid, p, rev, date, author)
    return list(found.values())


def _existing(root, rid: str):
    for kind_dir in (INQUIRIES, APPEALS):
        yield from (Path(root) / kind_dir).glob(f"**/{rid}.toml")


def restore(root: Path | str, rid: str, message: str) -> str:
    """Write the last version of a deleted record back and commit it; returns its path.

    Raises FileExistsError when the record exists, LookupError when the
    history holds no version of it.
    """
    root = Path(root)
    if any(True for _ in _existing(root, rid)):
        raise FileExistsError(rid)
    for v in history(root, rid):
        data = v.after if v.after is not None else v.before
        if data is None:
            continue
        atomic_write(root / v.path, data)
        commit_paths(root, [v.path], message)
        return v.path
    raise LookupError(rid)


# ---------------------------------------------------------------------------
# Sharing


class NoRemote(GitError):
    """The repository has no remote to share with."""


@dataclass
class SyncResult:
    remote: str
    branch: str
    committed: int = 0  # pending files committed first
    received: int = 0  # commits merged in from the remote
    sent: int = 0  # commits pushed
    conflicts: list[str] = field(default_factory=list)  # conflict copies made by the merge
    kept: list[str] = field(default_factory=list)  # deleted on one side, changed on the other: kept


def current_branch(root: Path | str) -> str:
    proc = run(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    return proc.stdout.decode("utf-8", "replace").strip() or "main"


def _config(root, key: str) -> str:
    proc = run(root, "config", "--get", key, check=False)
    return proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else ""


def choose_remote(root: Path | str) -> str:
    """The remote of the branch's upstream, else ``origin``, else the only one."""
    remotes = out(root, "remote").split()
    if not remotes:
        raise NoRemote("no remote")
    configured = _config(root, f"branch.{current_branch(root)}.remote")
    if configured in remotes:
        return configured
    return "origin" if "origin" in remotes else remotes[0]


def remote_branch(root: Path | str, remote: str) -> str:
    """The branch to merge from and push to: the upstream's, else the one of the same name."""
    branch = current_branch(root)
    merge = _config(root, f"branch.{branch}.merge")
    if merge.startswith("refs/heads/") and _config(root, f"branch.{branch}.remote") == remote:
        return merge.removeprefix("refs/heads/")
    return branch


def _count(root, spec: str) -> int:
    proc = run(root, "rev-list", "--count", spec, check=False)
    try:
        return int(proc.stdout.decode().strip() or 0)
    except ValueError:
        return 0


def _merge(root: Path, ref: str, message: str, env: dict[str, str], result: SyncResult) -> None:
    before = set(_conflict_copies(root))
    proc = run(root, "merge", "--no-ff", "--no-edit", "-m", message, ref, env=env, check=False)
    if proc.returncode != 0:
        # Modify/delete conflicts of record files: keep the version that still exists.
        unmerged = out(root, "diff", "--name-only", "--diff-filter=U").splitlines()
        if not unmerged:
            raise GitError(_first_line(proc))
        fixable = all(is_record_path(p) and _one_sided(root, p) for p in unmerged)
        if fixable:
            for p in unmerged:
                if (root / p).exists():
                    run(root, "add", "--", p, env=env)
                    result.kept.append(p)
                else:
                    run(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", p, env=env)
            done = run(root, "commit", "-q", "--no-verify", "--no-edit", env=env, check=False)
            fixable = done.returncode == 0
        if not fixable:
            run(root, "merge", "--abort", check=False)
            raise GitError("merge-failed:" + ",".join(unmerged))
    result.conflicts = [p for p in _conflict_copies(root) if p not in before]


def _one_sided(root: Path, rel: str) -> bool:
    """Whether an unmerged path was deleted on one side (not a conflict within the file)."""
    stages = {line.split()[2] for line in out(root, "ls-files", "-u", "--", rel).splitlines()
              if len(line.split()) >= 3}
    return "2" not in stages or "3" not in stages


def _conflict_copies(root: Path) -> list[str]:
    from .merge import find_conflict_copies

    return find_conflict_copies(root)


def _private(root: Path, old: str, new: str) -> None:
    """Files a merge wrote are readable by the owner only, like every record caselog writes."""
    if not old or old == new:
        return
    names = out(root, "diff", "--name-only", "--no-renames", "--diff-filter=AM", old, new, "--",
                INQUIRIES, APPEALS).splitlines()
    for p in names:
        try:
            os.chmod(root / p, 0o600)
        except OSError:
            pass


def sync(root: Path | str, message: str, merge_message: str = "caselog: merge") -> SyncResult:
    """Commit what is pending, fetch, merge the remote's commits (no rebase), push.

    Raises NoRemote without a remote and GitError when a step fails (a
    failed merge is aborted, so the folder is as before it).
    """
    root = Path(root)
    if not is_repo(root):
        raise GitError("not a git repository")
    ensure_merge_driver(root)
    env = identity_env(root)
    remote = choose_remote(root)
    branch = remote_branch(root, remote)
    result = SyncResult(remote, branch)
    pending = uncommitted(root)
    if pending and commit_paths(root, pending, message, env):
        result.committed = len(pending)
    for _attempt in range(3):
        run(root, "fetch", "-q", remote, env=env)
        upstream = f"refs/remotes/{remote}/{branch}"
        has_upstream = run(root, "rev-parse", "--verify", "-q", upstream, check=False).returncode == 0
        if has_upstream and has_commits(root):
            incoming = _count(root, f"HEAD..{upstream}")
            if incoming:
                old = out(root, "rev-parse", "HEAD").strip()
                if _count(root, f"{upstream}..HEAD") == 0:
                    run(root, "merge", "-q", "--ff-only", upstream, env=env)
                else:
                    _merge(root, upstream, merge_message, env, result)
                _private(root, old, out(root, "rev-parse", "HEAD").strip())
                result.received += incoming
        outgoing = _count(root, f"{upstream}..HEAD") if has_upstream else _count(root, "HEAD")
        if outgoing == 0:
            return result
        proc = run(root, "push", "-q", "-u", remote, f"HEAD:refs/heads/{branch}", env=env, check=False)
        if proc.returncode == 0:
            result.sent = outgoing
            return result
        if b"rejected" not in proc.stderr and b"fetch first" not in proc.stderr:
            raise GitError(_first_line(proc))
        # Someone pushed in between: fetch and merge again.
    raise GitError(_first_line(proc))
