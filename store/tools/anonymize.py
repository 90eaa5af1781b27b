"""Anonymising old inquiries: the personal text goes, the counts stay.

A closed inquiry received before a given date loses its citizen block, its
notes and its title (which becomes ``MARKER``); every field the report's
tables use (dates, kind, status, channel, the issues) is kept, as are keys
this version does not know. Each file is rewritten atomically, where it lies.

In a git repository all the rewritten files go into one commit. The old text
stays in the history until an administrator rewrites it (see README.md,
"Personal data"); nothing here rewrites history.

Nothing here prints or returns the removed text: a plan names records and
fields only.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..domain.cpr import cpr_fields
from ..domain.records import Inquiry
from ..folder.datafolder import LoadResult
from ..format import codec
from ..format.files import atomic_write
from ..format.layout import CACHE_DIR

MARKER = "[anonymiseret]"

# The fields anonymising can change, in the order a plan names them.
FIELDS = ("title", "notes", "citizen")


@dataclass(frozen=True)
class Planned:
    """One inquiry to anonymise: where it lies and which fields change."""

    id: str
    path: str  # relative to the folder
    fields: tuple[str, ...]
    new: Inquiry
    cpr_left: tuple[str, ...] = ()  # fields that still look like they hold a CPR number


def anonymized(r: Inquiry) -> Inquiry:
    """The inquiry without its personal text; everything the tables count is kept."""
    return replace(r, title=MARKER, notes="", citizen=None)


def changed_fields(old: Inquiry) -> tuple[str, ...]:
    """The fields of ``old`` that hold personal text anonymising removes."""
    had = {"title": old.title not in ("", MARKER), "notes": old.notes != "",
           "citizen": old.citizen is not None}
    return tuple(f for f in FIELDS if had[f])


def in_scope(r: Inquiry, before: date) -> bool:
    return r.status == "closed" and r.received < before


def plan(result: LoadResult, before: date) -> list[Planned]:
    """The closed inquiries received before ``before`` that still hold personal text."""
    out = []
    for rid in sorted(result.inquiries):
        r = result.inquiries[rid]
        if not in_scope(r, before):
            continue
        fields = changed_fields(r)
        if fields:
            new = anonymized(r)
            left = tuple(where for where, _, _ in cpr_fields(new))
            out.append(Planned(rid, result.paths[rid], fields, new, left))
    return out


def scope_paths(result: LoadResult, before: date) -> list[str]:
    """The files of every inquiry anonymising covers, changed or not."""
    return sorted(result.paths[rid] for rid, r in result.inquiries.items() if in_scope(r, before))


def apply(root: Path | str, planned: Iterable[Planned], written: list[str] | None = None) -> list[str]:
    """Rewrite each planned file atomically; returns the paths written.

    Raises OSError when a file cannot be written; the files written before
    it (in ``written``, when given) stay anonymised and running again
    finishes the rest; the others are untouched. The derived cache (which may
    hold the old text) is removed.
    """
    root = Path(root)
    written = [] if written is None else written
    try:
        for p in planned:
            atomic_write(root / p.path, codec.to_toml(p.new).encode("utf-8"))
            written.append(p.path)
    finally:
        if written:
            clear_cache(root)
    return written


def clear_cache(root: Path | str) -> None:
    """Delete the files of the derived cache (``.caselog/``); it is rebuilt when needed."""
    cache = Path(root) / CACHE_DIR
    if cache.is_symlink() or not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.is_file() or entry.is_symlink():
            try:
                entry.unlink()
            except OSError:
                pass


# ---------------------------------------------------------------------------
# Git: one commit of the anonymised files. Kept small and local on purpose.


class GitFailed(Exception):
    """A git command failed; the message is git's first line (paths, never content)."""


def _git(root: Path, *args: str, env: dict[str, str], stdin: bytes | None = None):
    return subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", "-c", "core.quotepath=off", *args],
        capture_output=True, env=env, input=stdin, check=False,
    )


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_LITERAL_PATHSPECS"] = "1"
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(k, None)
    return env


def is_git_repo(root: Path | str) -> bool:
    """Whether ``root`` is the top of a git work tree (and git is installed)."""
    root = Path(root)
    if not (root / ".git").exists():
        return False
    try:
        proc = _git(root, "rev-parse", "--show-toplevel", env=_git_env())
    except FileNotFoundError:
        return False
    if proc.returncode != 0:
        return False
    try:
        return Path(proc.stdout.decode("utf-8", "replace").strip()).resolve() == root.resolve()
    except OSError:
        return False


def _identity(root: Path, env: dict[str, str]) -> None:
    """Fill in GIT_AUTHOR_*/GIT_COMMITTER_* from the OS user where git has no identity."""
    def config(key: str) -> str:
        proc = _git(root, "config", "--get", key, env=env)
        return proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else ""

    name = env.get("GIT_AUTHOR_NAME") or config("user.name")
    email = env.get("GIT_AUTHOR_EMAIL") or config("user.email")
    if name and email:
        return
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment or passwd
        user = "caselog"
    name = name or user
    email = email or f"{user}@localhost.invalid"
    for who in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{who}_NAME", name)
        env.setdefault(f"GIT_{who}_EMAIL", email)


def _first_line(proc: subprocess.CompletedProcess) -> str:
    for stream in (proc.stderr, proc.stdout):
        for line in stream.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line and not line.startswith("hint:"):
                return line
    return f"git exited with {proc.returncode}"


def uncommitted(root: Path | str, paths: Iterable[str]) -> list[str]:
    """Those of ``paths`` whose file differs from the last commit (or is not in it)."""
    root = Path(root)
    env = _git_env()
    proc = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", "inquiries",
                env=env)
    if proc.returncode != 0:
        raise GitFailed(_first_line(proc))
    changed = set()
    entries = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        changed.add(entry[3:])
        if entry[0] in "RC":  # a rename is followed by its source path
            i += 1
    return [p for p in paths if p in changed]


def commit(root: Path | str, paths: Iterable[str], message: str) -> bool:
    """``git add`` and ``git commit`` exactly ``paths`` in one commit; False if nothing to commit.

    Other changes in the folder, staged or not, are left out of the commit.
    """
    root = Path(root)
    paths = list(dict.fromkeys(paths))
    if not paths:
        return False
    env = _git_env()
    _identity(root, env)
    spec = b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths)
    for args in (("add", "--pathspec-from-file=-", "--pathspec-file-nul"),
                 ("commit", "-q", "--no-verify", "-m", message,
                  "--pathspec-from-file=-", "--pathspec-file-nul")):
        for attempt in range(20):  # the app may be committing at the same moment
            proc = _git(root, *args, env=env, stdin=spec)
            if proc.returncode == 0 or b"index.lock" not in proc.stderr:
                break
            time.sleep(0.05 * (attempt + 1))
        if proc.returncode != 0:
            raise GitFailed(_first_line(proc))
    return True
