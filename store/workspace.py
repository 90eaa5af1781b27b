"""An open data folder: its records in memory, kept in step with the files.

The app (and any long-running command) works through a Workspace: it loads the
folder once, keeps the summary tally up to date one record at a time, writes
every save atomically before anything else happens, and tells listeners what
changed so that the list and the summary follow at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import codec
from .files import atomic_write
from .folder import APPEALS, INQUIRIES, DataFolder, LoadResult, record_relpath
from .problems import Problem
from .records import Appeal, Inquiry
from .summary import Tally
from .taxonomy import Settings


@dataclass(frozen=True)
class Change:
    """What happened to one record: ``old`` and ``new`` (None when absent)."""

    action: str  # "created" | "changed" | "deleted" | "reloaded"
    old: Inquiry | Appeal | None
    new: Inquiry | Appeal | None
    path: str  # relative to the folder
    outside: bool = False  # the change came from outside caselog

    @property
    def record(self) -> Inquiry | Appeal:
        return self.new if self.new is not None else self.old  # type: ignore[return-value]


Listener = Callable[[Change], None]


class Workspace:
    def __init__(self, folder: DataFolder, settings: Settings, result: LoadResult):
        self.folder = folder
        self.settings = settings
        self.inquiries: dict[str, Inquiry] = result.inquiries
        self.appeals: dict[str, Appeal] = result.appeals
        self.paths: dict[str, str] = result.paths
        self.problems: list[Problem] = result.problems
        self.tally = Tally.of(settings, self.inquiries.values(), self.appeals.values())
        self.listeners: list[Listener] = []
        # Called (with no arguments) whenever the list of problems changes.
        self.problem_listeners: list[Callable[[], None]] = []
        # Hooks run after a file is written or removed (e.g. a git commit in the
        # background); they get the Change and must not block.
        self.after_write: list[Listener] = []

    @classmethod
    def open(cls, root: Path | str) -> Workspace:
        folder = DataFolder(root)
        settings = folder.settings()
        return cls(folder, settings, folder.load(settings))

    # -- reading -----------------------------------------------------------
    def get(self, rid: str) -> Inquiry | Appeal | None:
        return self.inquiries.get(rid) or self.appeals.get(rid)

    def last_channel(self) -> str:
        """The channel of the most recently received inquiry (the form's default)."""
        latest = max(self.inquiries.values(), key=lambda r: (r.received, r.id), default=None)
        if latest is not None and latest.channel:
            return latest.channel
        return self.settings.channels[0] if self.settings.channels else ""

    def new_id(self, received: date, appeal: bool = False) -> str:
        return self.folder.new_id(received, APPEALS if appeal else INQUIRIES,
                                  taken=set(self.paths))

    # -- writing -----------------------------------------------------------
    def save(self, record: Inquiry | Appeal) -> Change | None:
        """Write a record (atomically) and update the tables; None if nothing changed.

        Raises OSError when the file cannot be written; nothing in memory has
        changed then.
        """
        old = self.get(record.id)
        rel = self.paths.get(record.id) or record_relpath(record)
        data = codec.to_toml(record).encode("utf-8")
        path = self.folder.root / rel
        try:
            if path.read_bytes() == data:
                return None
        except FileNotFoundError:
            pass
        atomic_write(path, data)
        change = Change("changed" if old is not None else "created", old, record, rel)
        self._apply(change)
        for hook in self.after_write:
            hook(change)
        return change

    def delete(self, record: Inquiry | Appeal) -> Change:
        rel = self.paths.get(record.id) or record_relpath(record)
        (self.folder.root / rel).unlink(missing_ok=True)
        change = Change("deleted", self.get(record.id), None, rel)
        self._apply(change)
        for hook in self.after_write:
            hook(change)
        return change

    def _apply(self, change: Change) -> None:
        old, new = change.old, change.new
        self.tally.replace(old, new)
        rec = change.record
        table = self.inquiries if isinstance(rec, Inquiry) else self.appeals
        if new is None:
            table.pop(rec.id, None)
            self.paths.pop(rec.id, None)
        else:
            table[rec.id] = new  # type: ignore[assignment]
            self.paths[rec.id] = change.path
        for listener in list(self.listeners):
            listener(change)

    # -- outside changes ---------------------------------------------------
    def reload_path(self, rel: str) -> Change | None:
        """Read one file again after it changed (or vanished) outside caselog."""
        kind_dir = INQUIRIES if rel.startswith(INQUIRIES + "/") else APPEALS
        path = self.folder.root / rel
        before = [p for p in self.problems if p.path == rel]
        self.problems = [p for p in self.problems if p.path != rel]
        old_id = next((rid for rid, p in self.paths.items() if p == rel), None)
        old = self.get(old_id) if old_id else None
        if not path.exists():
            if before:
                self._problems_changed()
            if old is None:
                return None
            change = Change("deleted", old, None, rel, outside=True)
            self._apply(change)
            return change
        record, problems = self.folder.read_file(kind_dir, rel, self.settings)
        self.problems.extend(problems)
        if problems != before:
            self._problems_changed()
        if record is None:
            if old is None:
                return None
            change = Change("deleted", old, None, rel, outside=True)
        else:
            if old is not None and old.id != record.id:
                self._apply(Change("deleted", old, None, rel, outside=True))
                old = None
            change = Change("reloaded", old, record, rel, outside=True)
        self._apply(change)
        return change

    def _problems_changed(self) -> None:
        for listener in list(self.problem_listeners):
            listener()
