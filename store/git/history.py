"""A record's history read back from git: its versions, the folder's latest
commits, deleted records and restoring one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..format.files import atomic_write
from ..format.layout import APPEALS, INQUIRIES, is_record_path
from .commits import commit_paths
from .repo import has_commits, is_repo, out, run

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
