"""A caselog data folder: creating, scanning, loading, saving and deleting records."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain.problems import ERROR, READABLE, READABLE_LISTED, Problem, collapse_readable, readable_files
from ..domain.problems import shown_count as _shown_count
from ..domain.records import Appeal, Inquiry
from ..domain.taxonomy import SETTINGS_FILE, Settings, default_settings, load_settings, settings_to_toml
from ..format import codec
from ..format.files import DIR_MODE, atomic_write, ensure_dir
from ..format.layout import (
    APPEALS,
    GITIGNORE,
    ID_ALPHABET,
    INQUIRIES,
    conflict_copy,
    record_dir,
    record_relpath,
    settings_conflict_copies,
)
from .reading import read_path


@dataclass
class LoadResult:
    """Everything read from a folder: the records that could be used and the problems.

    An index's problems may be kept as its rows (``defer_problems``) and made
    ``Problem``s only when ``problems`` is first read: a clone's 120,000
    permission warnings, which a report shows as one line (``problems_shown``),
    are then never 120,000 objects.
    """

    settings: Settings
    inquiries: dict[str, Inquiry] = field(default_factory=dict)
    appeals: dict[str, Appeal] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # id -> path relative to the folder
    _problems: list[Problem] = field(default_factory=list, repr=False)
    _rows: list[tuple] = field(default_factory=list, repr=False)  # after _problems

    @property
    def problems(self) -> list[Problem]:
        if self._rows:
            from .rowcodec import problems_of

            self._problems.extend(problems_of(self._rows))
            self._rows = []
        return self._problems

    @problems.setter
    def problems(self, problems: list[Problem]) -> None:
        self._problems = problems
        self._rows = []

    def defer_problems(self, rows: list[tuple]) -> None:
        """Problem rows (``rowcodec.problem_row``) that come after the problems
        there are, made Problems when they are first needed."""
        self._rows.extend(rows)

    def problems_shown(self, fix: str) -> list[Problem]:
        """``collapse_readable(self.problems, fix)``, in that order, without making
        a Problem of each file others can read when they are many."""
        rows = self._rows
        readable = [r for r in rows if r[4] == READABLE]
        if len(readable) + sum(p.code == READABLE for p in self._problems) <= READABLE_LISTED:
            return collapse_readable(self.problems, fix)
        from .rowcodec import problems_of

        made = [p for p in self._problems if p.code == READABLE]
        modes = {str(p.params.get("mode", "?")) for p in made}
        modes.update(str(dict(params).get("mode", "?")) for params in {r[5] for r in readable})
        first = min([p.path for p in made] + [r[0] for r in readable])
        others = [p for p in self._problems if p.code != READABLE]
        others.extend(problems_of([r for r in rows if r[4] != READABLE]))
        return [readable_files(len(made) + len(readable), modes, first, fix), *others]

    def shown_count(self) -> int:
        """``len(problems_shown(...))``, without making a Problem of a row."""
        rows = self._rows
        readable = sum(r[4] == READABLE for r in rows) + sum(p.code == READABLE for p in self._problems)
        return _shown_count(len(self._problems) + len(rows), readable)

    def drop_readable(self, paths: set[str] | dict) -> int:
        """Leave out the permission warnings of ``paths`` (files made private), rows
        or Problems alike, the rest in its order; returns how many went."""
        before = len(self._problems) + len(self._rows)
        self._problems = [p for p in self._problems if not (p.code == READABLE and p.path in paths)]
        self._rows = [r for r in self._rows if not (r[4] == READABLE and r[0] in paths)]
        return before - len(self._problems) - len(self._rows)

    def problem_paths(self) -> set[str]:
        """The paths that have a problem (``{p.path for p in self.problems}``)."""
        return {p.path for p in self._problems} | {r[0] for r in self._rows}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


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
        # (git only here: a command that reads a folder never loads it)
        from ..git.repo import GitError
        from ..git.setup import init_repo

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
        problems: list[Problem] = settings_conflict_copies(str(self.root))
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


def conflict_problems(root: Path | str) -> list[Problem]:
    """One warning per conflict copy left by a merge (the folder scan finds them)."""
    _files, problems = DataFolder(root).scan()
    return [p for p in problems if p.code == "conflict-copy"]
