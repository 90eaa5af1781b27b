"""A caselog data folder: scanning, loading, saving and deleting records."""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from . import codec, fastread
from .cpr import cpr_problems, maybe_cpr
from .files import DIR_MODE, atomic_write, ensure_dir
from .problems import ERROR, WARNING, Problem
from .records import Appeal, Inquiry
from .taxonomy import SETTINGS_FILE, Settings, default_settings, load_settings, settings_to_toml

INQUIRIES = "inquiries"
CONFLICT_SUFFIX = ".toml.conflict-"  # a merge's conflict copy: <id>.toml.conflict-<hash>
APPEALS = "appeals"
CACHE_DIR = ".caselog"
GITIGNORE = ".caselog/\n"

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, lower case


@dataclass
class LoadResult:
    """Everything read from a folder: the records that could be used and the problems."""

    settings: Settings
    inquiries: dict[str, Inquiry] = field(default_factory=dict)
    appeals: dict[str, Appeal] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # id -> path relative to the folder
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def conflict_copy(rel_dir: str, name: str) -> Problem | None:
    """The warning for a merge's conflict copy (``<id>.toml.conflict-<hash>``, the
    other side's version of a record, left by the merge driver), or None when
    ``name`` is not one. Every scan of a folder asks this."""
    if CONFLICT_SUFFIX not in name or name.startswith("."):
        return None
    original = f"{rel_dir}/{name.split(CONFLICT_SUFFIX)[0]}.toml"
    return Problem(f"{rel_dir}/{name}", None, None, WARNING, "conflict-copy",
                   {"original": original})


def record_dir(kind_dir: str, rid: str) -> PurePosixPath:
    return PurePosixPath(kind_dir, rid[0:4], rid[5:7])


def record_relpath(record: Inquiry | Appeal) -> str:
    # A hand-edited id ("../x") loads with a bad-id error; it must never become a path.
    if not codec.ID_RE.match(record.id):
        raise ValueError(f"'{record.id}' is not a record id (YYYY-MM-DD-xxxx)")
    kind_dir = INQUIRIES if isinstance(record, Inquiry) else APPEALS
    return str(record_dir(kind_dir, record.id) / f"{record.id}.toml")


class DataFolder:
    """One data folder on disk."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser().resolve()

    # -- creating ----------------------------------------------------------
    @classmethod
    def init(cls, root: Path | str, settings: Settings | None = None) -> DataFolder:
        """A new data folder with the default taxonomy; refuses to overwrite settings."""
        folder = cls(root)
        ensure_dir(folder.root)
        target = folder.root / SETTINGS_FILE
        if target.exists():
            raise FileExistsError(f"{target} exists already")
        # Private even when it existed: git's objects (every version of every
        # record) are written with the umask's modes and sit below it.
        os.chmod(folder.root, DIR_MODE)
        atomic_write(target, settings_to_toml(settings or default_settings()).encode())
        gi = folder.root / ".gitignore"
        if not gi.exists():
            atomic_write(gi, GITIGNORE.encode())
        for d in (INQUIRIES, APPEALS):
            ensure_dir(folder.root / d)
        from .git import GitError, init_repo

        try:
            init_repo(folder.root, "caselog init")  # history where git is installed
        except GitError:
            pass  # the folder works without history; `caselog init` says so
        return folder

    def is_folder(self) -> bool:
        return (self.root / SETTINGS_FILE).is_file()

    def settings(self) -> Settings:
        return load_settings(self.root)

    # -- ids and paths -----------------------------------------------------
    def new_id(self, received: date, kind_dir: str = INQUIRIES, taken: set[str] | None = None) -> str:
        """``YYYY-MM-DD-xxxx`` with 4 random base32 characters, never an existing name."""
        stem = received.isoformat()
        while True:
            rid = f"{stem}-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(4))
            if taken is not None and rid in taken:
                continue
            # Ids are unique across inquiries and appeals (load() reports a repeat).
            if not any((self.root / record_dir(k, rid) / f"{rid}.toml").exists()
                       for k in (kind_dir, INQUIRIES, APPEALS)):
                return rid

    def path_of(self, record: Inquiry | Appeal) -> Path:
        return self.root / record_relpath(record)

    # -- scanning ----------------------------------------------------------
    def scan(self) -> tuple[list[tuple[str, str]], list[Problem]]:
        """Every record file: ``[(kind_dir, relpath)]``, sorted, and problems met on the way.

        Symbolic links are reported and never followed.
        """
        found: list[tuple[str, str]] = []
        problems: list[Problem] = []
        for kind_dir in (INQUIRIES, APPEALS):
            top = self.root / kind_dir
            if top.is_symlink():
                problems.append(Problem(kind_dir, None, None, ERROR, "symlink"))
                continue
            if not top.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
                rel_dir = Path(dirpath).relative_to(self.root).as_posix()
                for d in list(dirnames):
                    if os.path.islink(os.path.join(dirpath, d)):
                        problems.append(Problem(f"{rel_dir}/{d}", None, None, ERROR, "symlink"))
                        dirnames.remove(d)
                    elif d.startswith("."):
                        dirnames.remove(d)
                dirnames.sort()
                for name in sorted(filenames):
                    copy = conflict_copy(rel_dir, name)
                    if copy is not None:
                        problems.append(copy)
                        continue
                    if not name.endswith(".toml") or name.startswith("."):
                        continue
                    rel = f"{rel_dir}/{name}"
                    if os.path.islink(os.path.join(dirpath, name)):
                        problems.append(Problem(rel, None, None, ERROR, "symlink"))
                        continue
                    found.append((kind_dir, rel))
        return found, problems

    # -- loading -----------------------------------------------------------
    def read_file(self, kind_dir: str, rel: str, settings: Settings | None):
        """One record file: ``(record | None, problems)``; never raises for bad content."""
        record, problems, _key = read_path(str(self.root), kind_dir, rel, settings)
        return record, problems

    def load(self, settings: Settings | None = None) -> LoadResult:
        """Every record of the folder, and every problem; never stops at a bad file."""
        settings = settings or self.settings()
        result = LoadResult(settings)
        files, problems = self.scan()
        result.problems.extend(problems)
        for kind_dir, rel in files:
            record, problems = self.read_file(kind_dir, rel, settings)
            result.problems.extend(problems)
            if record is not None:
                self._add(result, record, rel)
        return result

    @staticmethod
    def _add(result: LoadResult, record: Inquiry | Appeal, rel: str) -> None:
        other = result.paths.get(record.id)
        if other is not None:
            result.problems.append(
                Problem(rel, 1, 1, ERROR, "duplicate-id", {"id": record.id, "other": other})
            )
            return
        result.paths[record.id] = rel
        if isinstance(record, Inquiry):
            result.inquiries[record.id] = record
        else:
            result.appeals[record.id] = record

    # -- saving ------------------------------------------------------------
    def save(self, record: Inquiry | Appeal) -> tuple[Path, bool]:
        """Write a record atomically; returns its path and whether bytes changed."""
        path = self.path_of(record)
        data = codec.to_toml(record).encode("utf-8")
        try:
            if path.read_bytes() == data:
                return path, False
        except FileNotFoundError:
            pass
        atomic_write(path, data)
        return path, True

    def delete(self, record: Inquiry | Appeal) -> Path:
        path = self.path_of(record)
        path.unlink()
        return path


def read_path(root: str, kind_dir: str, rel: str, settings: Settings | None):
    """One record file: ``(record | None, problems, stat key | None)``; never raises.

    The stat key (mtime_ns, size, mode) is taken before the file is read, so a
    later change shows as a different key (store/index.py). Parsing uses rtoml
    where it reads as tomllib does (store/fastread.py).
    """
    p = os.path.join(root, rel)
    try:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            return None, [Problem(rel, None, None, ERROR, "symlink")], None
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            return None, [Problem(rel, None, None, ERROR, "unreadable",
                                  {"detail": "not a regular file"})], None
        key = (st.st_mtime_ns, st.st_size, st.st_mode & 0o7777)
        if st.st_size > codec.MAX_FILE_SIZE:
            return None, [
                Problem(rel, None, None, ERROR, "too-large",
                        {"size": st.st_size, "limit": codec.MAX_FILE_SIZE})
            ], key
        with open(p, "rb") as f:
            raw = f.read(codec.MAX_FILE_SIZE + 1)
    except OSError as e:
        return None, [Problem(rel, None, None, ERROR, "unreadable", {"detail": e.strerror})], None
    record, problems = read_bytes(raw, kind_dir, rel, st.st_mode, settings)
    return record, problems, key


def read_bytes(raw: bytes, kind_dir: str, rel: str, mode: int, settings: Settings | None,
               quick_cpr: bool = False):
    """``read_path`` once the file's bytes and mode are known: ``(record | None, problems)``.

    ``quick_cpr``: look for CPR numbers field by field only when
    ``cpr.maybe_cpr`` finds the file might hold one (the same warnings).
    """
    record, problems = fastread.read_record(raw, rel, kind_dir, settings)
    if record is not None:
        problems.extend(file_warnings(record.id, kind_dir, rel, mode))
        if not quick_cpr or maybe_cpr(raw):
            problems.extend(cpr_problems(record, rel, raw))
    return record, problems


def file_warnings(rid: str, kind_dir: str, rel: str, mode: int) -> list[Problem]:
    """What a record file's place and permissions call for."""
    out = []
    folder = f"{kind_dir}/{rid[0:4]}/{rid[5:7]}"
    # Only the folder: a file name that differs from the id is id-mismatch.
    if rel.rpartition("/")[0] != folder and codec.ID_RE.match(rid):
        out.append(Problem(rel, None, None, WARNING, "wrong-folder",
                           {"expected": f"{folder}/{rid}.toml"}))
    if mode & 0o077:
        out.append(Problem(rel, None, None, WARNING, "world-readable",
                           {"mode": oct(mode & 0o777)[2:]}))
    return out
