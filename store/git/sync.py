"""Sharing one log through a git remote: ``sync`` commits what is pending,
fetches, merges (never rebases) and pushes. Record files merge field by
field through the ``caselog`` merge driver (:mod:`store.git.merge`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..format.layout import APPEALS, INQUIRIES, conflict_copy, is_record_path
from .commits import commit_paths, uncommitted
from .repo import GitError, first_line, has_commits, identity_env, is_repo, out, run
from .setup import ensure_merge_driver

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
            raise GitError(first_line(proc))
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
    """The merge's conflict copies below the record folders (files git does not track)."""
    names = out(root, "ls-files", "--others", "-z", "--", INQUIRIES, APPEALS).split("\0")
    return sorted(rel for rel in names
                  if rel and conflict_copy(*rel.rsplit("/", 1)) is not None)


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
            raise GitError(first_line(proc))
        # Someone pushed in between: fetch and merge again.
    raise GitError(first_line(proc))
