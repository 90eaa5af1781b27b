"""Sharing one log through a git remote: ``sync`` commits what is pending,
fetches, merges (never rebases) and pushes. Record files merge field by
field through the ``caselog`` merge driver (:mod:`store.git.merge`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.taxonomy import SETTINGS_FILE
from ..format.files import is_private, tighten
from ..format.layout import APPEALS, CONFLICT_SUFFIX, INQUIRIES, conflict_copy, is_record_path
from .commits import commit_paths, uncommitted
from .repo import GitError, first_line, has_commits, identity_env, is_repo, out, repo_lock, run
from .setup import ensure_merge_driver

# ---------------------------------------------------------------------------
# Sharing

SYNC_WAIT = 120  # seconds a sync waits for another sync of the same folder


class NoRemote(GitError):
    """The repository has no remote to share with."""


@dataclass
class SyncResult:
    remote: str
    branch: str  # the remote's branch merged from and pushed to
    committed: int = 0  # pending files committed first
    received: int = 0  # commits merged in from the remote
    sent: int = 0  # commits pushed
    conflicts: list[str] = field(default_factory=list)  # conflict copies made by the merge
    kept: list[str] = field(default_factory=list)  # deleted on one side, changed on the other: kept
    joined: bool = False  # the remote's log had a history of its own: the two were joined
    others: list[str] = field(default_factory=list)  # the remote's other branches (not synced)
    tightened: int = 0  # files made private again (a clone's files are readable by others)


class NotALog(GitError):
    """The remote's branch holds no caselog folder (no caselog.toml): never merged in."""


class Rewritten(GitError):
    """The remote's branch holds this folder's records with a history of its own:
    the log's history was started again or rewritten (to remove personal data),
    and this folder's old history must not be joined back in."""


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


def remote_refs(root: Path | str, remote: str,
                env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """The branch the remote's HEAD names ("" when it cannot be told: an empty
    remote reached over the network) and the branches the remote has. The name
    HEAD gives need not be one of them (a repository made on ``master`` to
    which ``main`` was pushed)."""
    proc = run(root, "ls-remote", "--symref", remote, "HEAD", "refs/heads/*", env=env,
               check=False)
    if proc.returncode != 0:
        raise GitError(first_line(proc))
    default, heads = "", []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        left, _, right = line.partition("\t")
        if left.startswith("ref: refs/heads/") and right == "HEAD":
            default = left.removeprefix("ref: refs/heads/")
        elif not left.startswith("ref: ") and right.startswith("refs/heads/"):
            heads.append(right.removeprefix("refs/heads/"))
    if default:
        return default, heads
    # HEAD names a branch that has no commit (yet). A repository on this
    # machine (a path or file://) can be asked directly.
    url = _config(root, f"remote.{remote}.url") or remote
    path = url.removeprefix("file://") if url.startswith(("file://", "/", ".")) else ""
    if path:
        target = Path(path) if os.path.isabs(path) else Path(root) / path
        head = run(target, "symbolic-ref", "-q", "HEAD", env=env, check=False)
        name = head.stdout.decode("utf-8", "replace").strip()
        if head.returncode == 0 and name.startswith("refs/heads/"):
            default = name.removeprefix("refs/heads/")
    return default, heads


def remote_default_branch(root: Path | str, remote: str, env: dict[str, str] | None = None) -> str:
    """The branch the remote's HEAD names (what ``git clone`` checks out), or ""
    when it cannot be told (an empty remote reached over the network)."""
    return remote_refs(root, remote, env)[0]


class NoBranch(GitError):
    """The remote has several branches and no default that names one of them."""


def remote_branch(root: Path | str, remote: str, env: dict[str, str] | None = None,
                  refs: tuple[str, list[str]] | None = None) -> str:
    """The branch to merge from and push to: the remote's default branch (the
    one a colleague's ``git clone`` has) whenever the remote has it, even when
    the folder's upstream names another; else (an empty remote, or a HEAD that
    names no branch the remote has) the upstream's or the one of the same name,
    or the remote's only branch. NoBranch when the remote has several and none
    of them can be told to be the log.

    Never a new branch beside the remote's log: a folder made with ``caselog
    init`` on ``master`` and joined to a remote whose default is ``main``
    syncs with ``main``, and so does one whose upstream is a second branch.
    Only where the default branch (as last fetched) holds no log at all is
    the upstream's branch the log.
    """
    default, heads = refs if refs is not None else remote_refs(root, remote, env)
    branch = current_branch(root)
    merge = _config(root, f"branch.{branch}.merge")
    if not merge.startswith("refs/heads/") or _config(root, f"branch.{branch}.remote") != remote:
        merge = ""
    merge = merge.removeprefix("refs/heads/")
    if default and (default in heads or not heads):
        if merge and merge != default and merge in heads and \
                not _holds_log(root, f"refs/remotes/{remote}/{default}"):
            return merge  # the default holds no log (a hosted repository's README)
        return default
    if not heads:  # an empty remote: the first push makes its branch
        return merge or branch
    for name in (merge, branch):
        if name in heads:
            return name
    if len(heads) == 1:
        return heads[0]
    raise NoBranch("the shared copy's HEAD names no branch it has, and it has several: "
                   + ", ".join(sorted(heads)))


def _holds_log(root: Path | str, ref: str) -> bool:
    """Whether ``ref`` holds a caselog.toml, or is not known here (then it may)."""
    if run(root, "rev-parse", "--verify", "-q", ref, check=False).returncode != 0:
        return True
    return run(root, "cat-file", "-e", f"{ref}:{SETTINGS_FILE}", check=False).returncode == 0


def _count(root, spec: str) -> int:
    proc = run(root, "rev-list", "--count", spec, check=False)
    try:
        return int(proc.stdout.decode().strip() or 0)
    except ValueError:
        return 0


def _merge(root: Path, ref: str, message: str, env: dict[str, str], result: SyncResult) -> None:
    before = set(_conflict_copies(root))
    args = ["merge", "--no-ff", "--no-edit", "-m", message]
    if run(root, "merge-base", "HEAD", ref, check=False).returncode != 0:
        # Two logs begun apart (two folders made with caselog init, then joined
        # to one remote): joined into one, as any two clones' work is; their
        # ids never meet. Only a caselog folder is ever joined in.
        if run(root, "cat-file", "-e", f"{ref}:{SETTINGS_FILE}", check=False).returncode != 0:
            raise NotALog(ref.removeprefix("refs/remotes/"))
        if _same_records(root, ref):
            # Not a log begun apart: the same log, its history started again or
            # rewritten. Joining would bring the removed history back.
            raise Rewritten(ref.removeprefix("refs/remotes/"))
        args.append("--allow-unrelated-histories")
        result.joined = True
    proc = run(root, *args, ref, env=env, check=False)
    if proc.returncode != 0:
        # Modify/delete conflicts of record files: keep the version that still exists.
        unmerged = out(root, "diff", "--name-only", "--diff-filter=U").splitlines()
        if not unmerged:  # stopped for another reason (a hook, a lock): undone, as below
            run(root, "merge", "--abort", check=False)
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


def _same_records(root: Path, ref: str) -> bool:
    """Whether HEAD and ``ref`` hold an identical record file (the same path and
    content). Two logs begun apart never do (their ids are drawn apart and each
    file holds its own text); one log whose history was started again from its
    files, or rewritten, does for every record the rewriting left alone."""
    def files(rev: str) -> set[str]:
        text = out(root, "ls-tree", "-r", "-z", rev, "--", INQUIRIES, APPEALS)
        return {entry.split(" ", 2)[2] for entry in text.split("\0") if entry.count(" ") >= 2}

    return not files("HEAD").isdisjoint(files(ref))


def _one_sided(root: Path, rel: str) -> bool:
    """Whether an unmerged path was deleted on one side (not a conflict within the file)."""
    stages = {line.split()[2] for line in out(root, "ls-files", "-u", "--", rel).splitlines()
              if len(line.split()) >= 3}
    return "2" not in stages or "3" not in stages


def _conflict_copies(root: Path) -> list[str]:
    """The merge's conflict copies (files git does not track): beside the records,
    and the other side's caselog.toml when both changed a setting differently."""
    names = out(root, "ls-files", "--others", "-z", "--", INQUIRIES, APPEALS,
                f":(glob){SETTINGS_FILE.removesuffix('.toml')}{CONFLICT_SUFFIX}*").split("\0")
    return sorted(rel for rel in names
                  if rel and conflict_copy(*(rel.rpartition("/")[::2])) is not None)


def _private(root: Path, old: str, new: str) -> None:
    """Files a merge wrote are readable by the owner only, like every record caselog writes."""
    if not old or old == new:
        return
    names = out(root, "diff", "--name-only", "--no-renames", "--diff-filter=AM", old, new, "--",
                INQUIRIES, APPEALS).splitlines()
    tighten(root, names)


def sync(root: Path | str, message: str, merge_message: str = "caselog: merge") -> SyncResult:
    """Commit what is pending, fetch, merge the remote's commits (no rebase), push.

    The remote's branch is its default branch, else the upstream's
    (``remote_branch``); the folder's upstream is set to it. A clone's files
    (readable by others, as ``git clone`` writes them) are made private first.
    Raises NoRemote without a remote, NotALog when the remote's branch is no
    caselog folder and the histories are apart, Rewritten when it holds this
    folder's records with a history of its own, and GitError when a step fails
    (a failed merge is aborted, so the folder is as before it).
    """
    root = Path(root)
    if not is_repo(root):
        raise GitError("not a git repository")
    # Two syncs of one folder at once (the app's and a scheduled caselog sync)
    # take turns: at once, one fetch failed on the other's remote-tracking ref.
    with repo_lock(root, "caselog-sync.lock", wait=SYNC_WAIT):
        return _sync(root, message, merge_message)


def _sync(root: Path, message: str, merge_message: str) -> SyncResult:
    ensure_merge_driver(root)
    env = identity_env(root)
    remote = choose_remote(root)
    refs = remote_refs(root, remote, env)
    run(root, "fetch", "-q", remote, env=env)  # (the default branch's content can be told)
    branch = remote_branch(root, remote, env, refs)
    result = SyncResult(remote, branch)
    if not is_private(root):  # a clone (or a folder that was opened up): close it again
        result.tightened = len(tighten(root))
    pending = uncommitted(root)
    if pending and commit_paths(root, pending, message, env):
        result.committed = len(pending)
    upstream = f"refs/remotes/{remote}/{branch}"
    for attempt in range(3):
        if attempt:
            run(root, "fetch", "-q", remote, env=env)
        has_upstream = run(root, "rev-parse", "--verify", "-q", upstream, check=False).returncode == 0
        if has_upstream and has_commits(root):
            incoming = _count(root, f"HEAD..{upstream}")
            if incoming:
                with repo_lock(root):  # no commit of the app's in the middle of a merge
                    old = out(root, "rev-parse", "HEAD").strip()
                    if _count(root, f"{upstream}..HEAD") == 0:
                        run(root, "merge", "-q", "--ff-only", upstream, env=env)
                    else:
                        _merge(root, upstream, merge_message, env, result)
                    _private(root, old, out(root, "rev-parse", "HEAD").strip())
                result.received += incoming
        outgoing = _count(root, f"{upstream}..HEAD") if has_upstream else _count(root, "HEAD")
        if outgoing == 0:
            break
        proc = run(root, "push", "-q", remote, f"HEAD:refs/heads/{branch}", env=env, check=False)
        if proc.returncode == 0:
            result.sent = outgoing  # (the push moved the remote-tracking ref too)
            break
        if b"rejected" not in proc.stderr and b"fetch first" not in proc.stderr:
            raise GitError(first_line(proc))
        # Someone pushed in between: fetch and merge again.
    else:
        raise GitError(first_line(proc))
    _follow(root, remote, branch, upstream)
    # the remote's branches as it has them now, not the remote-tracking refs a
    # fetch leaves behind (a branch deleted on the remote stays one of those)
    result.others = sorted(h for h in refs[1] if h != branch)
    return result


def _follow(root: Path, remote: str, branch: str, upstream: str) -> None:
    """The local branch's upstream is the remote's branch synced (plain git pull
    and git status then agree with caselog)."""
    local = current_branch(root)
    if run(root, "rev-parse", "--verify", "-q", upstream, check=False).returncode != 0:
        return
    if _config(root, f"branch.{local}.remote") == remote and \
            _config(root, f"branch.{local}.merge") == f"refs/heads/{branch}":
        return
    run(root, "branch", "-q", f"--set-upstream-to={remote}/{branch}", check=False)
