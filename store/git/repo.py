"""Running git: the commands, their errors, the repository, the identity commits carry.

Git is run as a subprocess with argument lists, never through a shell, and
never with personal data in a commit message. When git is not installed,
caselog works without history: :func:`git_available` says so.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

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
        raise GitError(first_line(proc) or f"git {args[0]} failed ({proc.returncode})")
    return proc


def first_line(proc: subprocess.CompletedProcess) -> str:
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


def retry_lock(fn: Callable[[], subprocess.CompletedProcess]) -> subprocess.CompletedProcess:
    """Run a git command again while another git holds the index lock."""
    for attempt in range(LOCK_RETRIES):
        proc = fn()
        if proc.returncode == 0 or b"index.lock" not in proc.stderr:
            return proc
        time.sleep(0.05 * (attempt + 1) if attempt < 5 else 0.2)
    return proc


# ---------------------------------------------------------------------------
# One writer at a time

_locks: dict[str, list] = {}  # git dir -> [threading.RLock, file descriptor, depth]
_locks_guard = threading.Lock()


_git_dirs: dict[str, Path] = {}


def git_path(root: Path | str, name: str) -> Path:
    """A file in the repository's git directory (``git rev-parse --git-path``;
    the directory is asked once per folder). GitError when the folder is not
    the top of a repository of its own (within another one, that one's git
    directory is never taken, nor kept for when the folder becomes one)."""
    key = str(root)
    base = _git_dirs.get(key)
    if base is None or not base.is_dir():  # (a folder deleted and made again is asked again)
        top, _, p = out(root, "rev-parse", "--show-toplevel", "--git-path",
                        "caselog.lock").strip().partition("\n")
        try:
            own = Path(top).resolve() == Path(root).resolve()
        except OSError:
            own = False
        if not own:
            raise GitError("not a git repository")
        base = (Path(p) if os.path.isabs(p) else Path(root) / p).parent
        _git_dirs[key] = base
    return base / name


@contextlib.contextmanager
def repo_lock(root: Path | str, name: str = "caselog.lock", wait: float | None = None):
    """Hold the repository's caselog lock (``.git/caselog.lock``, an ``flock``):
    caselog's commits, in this process and in any other on the same folder (two
    app instances, the app and ``caselog sync``), take turns. Re-entrant in one
    process. Where there is no ``flock`` (Windows) only this process's threads
    take turns; git's own locks and the commits' compare-and-swap of HEAD still
    keep the history whole. ``name``: another lock of the folder's (syncs take
    turns on ``caselog-sync.lock``); ``wait``: at most so many seconds for
    another process to let go, then GitError (None: as long as it takes)."""
    path = git_path(root, name)
    key = str(path)
    with _locks_guard:
        entry = _locks.setdefault(key, [threading.RLock(), -1, 0])
    lock = entry[0]
    with lock:
        if entry[2] == 0:
            entry[1] = _flock(key, wait)
        entry[2] += 1
        try:
            yield
        finally:
            entry[2] -= 1
            if entry[2] == 0 and entry[1] >= 0:
                fd, entry[1] = entry[1], -1
                os.close(fd)  # releases the flock


def _flock(path: str, wait: float | None) -> int:
    """An open descriptor holding an exclusive flock on ``path``; -1 where there is no flock."""
    try:
        import fcntl
    except ImportError:
        return -1
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return -1
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise GitError("another caselog sync of this folder is running; "
                               "try again when it is done") from None
            time.sleep(0.1)
        except OSError:
            os.close(fd)
            return -1
