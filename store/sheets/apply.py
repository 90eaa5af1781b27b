"""Writing a planned import: every file or none, then one git commit."""

from __future__ import annotations

import getpass
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

from ..domain.records import Inquiry
from ..folder.datafolder import DataFolder
from ..format.layout import INQUIRIES, record_relpath
from .build import Plan


def apply_plan(plan: Plan, folder: DataFolder, taken: set[str]) -> list[tuple[Inquiry, str]]:
    """Write every planned inquiry; returns ``(record, relative path)`` of each.

    Each file is written atomically; when one cannot be written, the files
    written before it are removed again and the OSError is raised, so that a
    failed import leaves the folder as it was.
    """
    taken = set(taken)
    written: list[tuple[Inquiry, str]] = []
    try:
        for draft in plan.drafts:
            r = draft.inquiry
            rid = r.id
            if rid.endswith("-0000") or rid in taken or (folder.root / record_relpath(r)).exists():
                rid = folder.new_id(r.received, INQUIRIES, taken=taken)
            taken.add(rid)
            r = replace(r, id=rid)
            path, _ = folder.save(r)  # atomic, like every save
            written.append((r, path.relative_to(folder.root).as_posix()))
    except OSError:
        for _, rel in written:
            try:
                (folder.root / rel).unlink()
            except OSError:
                pass
        raise
    return written


def _git(root: Path, *args: str, env: dict[str, str],
         input: bytes | None = None) -> subprocess.CompletedProcess:
    for attempt in range(20):  # another git (a background save) may hold the index lock
        proc = subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args],
                              capture_output=True, env=env, input=input, check=False)
        if proc.returncode == 0 or b"index.lock" not in proc.stderr:
            break
        time.sleep(0.1 * (attempt + 1))
    return proc


def commit_import(root: Path | str, paths: list[str], message: str) -> bool:
    """Commit ``paths`` (only these) in one commit when the folder is a git repository.

    Returns False when it is not one (or git is missing); raises RuntimeError
    with git's message when the commit fails. Where no git identity is set,
    the OS user is the author (``user@localhost.invalid``).
    """
    root = Path(root)
    if not (root / ".git").exists() or not paths:
        return False
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env["LC_ALL"] = "C"
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        name = _git(root, "config", "user.name", env=env).stdout.decode().strip()
        email = _git(root, "config", "user.email", env=env).stdout.decode().strip()
    except FileNotFoundError:
        return False
    if not (name and email):
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user in the environment or passwd
            user = "caselog"
        for who in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{who}_NAME", name or user)
            env.setdefault(f"GIT_{who}_EMAIL", email or f"{user}@localhost.invalid")
    # The paths go on standard input: thousands of them would not fit on a command line.
    listed = b"\0".join(p.encode() for p in paths)
    spec = ("--pathspec-from-file=-", "--pathspec-file-nul")
    for args in (("add", *spec), ("commit", "-q", "--no-verify", "-m", message, *spec)):
        proc = _git(root, *args, env=env, input=listed)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(detail[0] if detail else f"git {args[0]} failed")
    return True
