"""Record files compared and merged field by field.

Both the history (what changed between two versions of a record) and the git
merge driver (two colleagues changed one record) work on the parsed TOML of
the files, not on lines of text: a version is a dict as ``tomllib`` reads it.

Field paths are ``status``, ``main.theme``, ``citizen.name`` and, for lists of
tables, ``follow_up[2]`` (counted from 1, as a person counts).
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from ..domain.records import Appeal, Inquiry
from ..domain.taxonomy import SETTINGS_FILE
from ..format import codec
from ..format.files import atomic_write
from ..format.layout import APPEALS, CONFLICT_SUFFIX
from .settings_merge import conflict_copy_text, merge_settings

# A conflict copy is ``<id>.toml.conflict-<hash>`` (layout.CONFLICT_SUFFIX) next to
# the record: not ``*.toml``, so the folder never counts it as a record; every
# scan of the folder reports it (layout.conflict_copy), and
# ``store.folder.datafolder.conflict_problems`` lists them.

# Keys whose values can be shown in a history or a log: codes, dates and names
# from the taxonomy. Anything else (title, notes, citizen, unknown keys) may
# hold personal data and is only named, never shown, unless asked.
PLAIN_KEYS = frozenset({
    "id", "received", "kind", "status", "closed", "channel", "source",
    "main", "follow_up", "board", "department", "outcome", "remarks", "result",
})


@dataclass(frozen=True)
class FieldChange:
    """One field of a record that differs between two versions."""

    path: str  # "status", "main.theme", "follow_up[2]"
    action: str  # "added" | "removed" | "changed"
    old: Any = None
    new: Any = None

    @property
    def key(self) -> str:
        """The top-level key: ``main`` for ``main.theme``, ``follow_up`` for ``follow_up[2]``."""
        return self.path.split(".")[0].split("[")[0]

    @property
    def plain(self) -> bool:
        """Whether the values may be shown without ``--show-text``."""
        return self.key in PLAIN_KEYS


def record_dict(record: Inquiry | Appeal) -> dict:
    """A record as its file reads: the dict the diff and the merge work on."""
    return tomllib.loads(codec.to_toml(record))


def parse(raw: bytes | None) -> dict | None:
    """The parsed TOML of a file's bytes, or None when there is none or it is not TOML."""
    if raw is None:
        return None
    try:
        return tomllib.loads(raw.decode("utf-8").lstrip("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def diff(old: Mapping | None, new: Mapping | None) -> list[FieldChange]:
    """The field-level changes from ``old`` to ``new``, in the order of the file."""
    old = old or {}
    new = new or {}
    keys = list(new) + [k for k in old if k not in new]
    out: list[FieldChange] = []
    for k in keys:
        a, b = old.get(k), new.get(k)
        if a == b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            out += [FieldChange(f"{k}.{c.path}", c.action, c.old, c.new) for c in diff(a, b)]
        elif (_is_table_list(a) or a is None) and (_is_table_list(b) or b is None):
            a, b = a or [], b or []
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else None
                y = b[i] if i < len(b) else None
                if x == y:
                    continue
                action = "added" if x is None else "removed" if y is None else "changed"
                out.append(FieldChange(f"{k}[{i + 1}]", action, x, y))
        else:
            action = "added" if k not in old else "removed" if k not in new else "changed"
            out.append(FieldChange(k, action, a, b))
    return out


def changed_keys(old: Inquiry | Appeal | None, new: Inquiry | Appeal | None) -> list[str]:
    """The top-level keys that differ between two records, in file order (for commit messages)."""
    keys: list[str] = []
    a = record_dict(old) if old is not None else None
    b = record_dict(new) if new is not None else None
    for c in diff(a, b):
        if c.key not in keys:
            keys.append(c.key)
    return keys


# ---------------------------------------------------------------------------
# Three-way merge


def _merge_value(base: Any, ours: Any, theirs: Any, path: str, conflicts: list[str]) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if all(isinstance(v, Mapping) or v is None for v in (base, ours, theirs)) \
            and ours is not None and theirs is not None:
        return merge_dicts(base or {}, ours, theirs, path + ".", conflicts)
    if all(isinstance(v, list) or v is None for v in (base, ours, theirs)):
        b, o, t = base or [], ours or [], theirs or []
        tables = any(isinstance(x, Mapping) for x in (*b, *o, *t))
        if tables and len(b) == len(o) == len(t):
            # follow_up edited in place on both sides: merge issue by issue, field by field
            return [merge_dicts(b[i], o[i], t[i], f"{path}[{i + 1}].", conflicts)
                    for i in range(len(b))]
        if tables and any(x not in o and x not in t for x in b) \
                and any(x not in b for x in o) and any(x not in b for x in t):
            # both sides replaced an issue and the lists no longer line up: an edit
            # on each side would come out as two issues, so keep ours and report it
            conflicts.append(path)
            return ours
        # remarks, or issues only added/removed: what either side added is kept,
        # what either removed goes
        return _merge_lists(b, o, t)
    conflicts.append(path)
    return ours


def _merge_lists(base: list, ours: list, theirs: list) -> list:
    """Items added on either side are kept; an item removed on one side goes."""
    kept = [x for x in ours if not (x in base and x not in theirs)]
    added = [x for x in theirs if x not in base and x not in ours]
    return kept + added


_MISSING = object()


def merge_dicts(base: Mapping, ours: Mapping, theirs: Mapping, prefix: str = "",
                conflicts: list[str] | None = None) -> dict:
    """Merge two versions of a record against their common base, key by key.

    The side that changed a key wins; when both changed it differently, ours
    is kept and the key's path is appended to ``conflicts``.
    """
    conflicts = [] if conflicts is None else conflicts
    out: dict = {}
    keys = list(ours) + [k for k in theirs if k not in ours]
    for k in keys:
        b = base.get(k, _MISSING)
        o = ours.get(k, _MISSING)
        t = theirs.get(k, _MISSING)
        if o == t:
            v = o
        elif o == b:
            v = t
        elif t == b:
            v = o
        elif o is _MISSING or t is _MISSING:
            # Removed on one side, changed on the other: keep the change.
            conflicts.append(prefix + k)
            v = o if o is not _MISSING else t
        else:
            v = _merge_value(None if b is _MISSING else b, o, t, prefix + k, conflicts)
        if v is not _MISSING:
            out[k] = v
    return out


@dataclass
class MergeResult:
    data: bytes  # the merged file
    conflicts: list[str]  # field paths both sides changed differently (ours kept)


def _render(merged: dict, relpath: str) -> bytes:
    """The merged dict in the canonical layout when it is a valid record, else as plain TOML."""
    text = tomli_w.dumps(merged)
    reader = codec.appeal_from_dict if relpath.startswith(APPEALS + "/") else codec.inquiry_from_dict
    try:
        record, _ = reader(merged, relpath, text, None)
    except Exception:  # noqa: BLE001 - any odd shape falls back to plain TOML
        record = None
    if record is not None:
        return codec.to_toml(record).encode("utf-8")
    return text.encode("utf-8")


def merge_files(base: bytes | None, ours: bytes, theirs: bytes, relpath: str) -> MergeResult | None:
    """Merge three versions of one record file; None when one cannot be read as TOML."""
    b = parse(base) if base else {}
    o, t = parse(ours), parse(theirs)
    if o is None or t is None or b is None:
        return None
    conflicts: list[str] = []
    merged = merge_dicts(b, o, t, "", conflicts)
    return MergeResult(_render(merged, relpath), conflicts)


def conflict_copy_path(root: Path, relpath: str, data: bytes) -> Path:
    digest = hashlib.sha1(data).hexdigest()[:7]
    return Path(root) / f"{relpath.removesuffix('.toml')}{CONFLICT_SUFFIX}{digest}"


def run_merge_driver(base_file: str, ours_file: str, theirs_file: str, relpath: str,
                     root: Path | str | None = None) -> tuple[int, list[str], Path | None]:
    """What ``caselog merge-driver %O %A %B %P`` does; returns (exit code, conflicts, copy).

    The merged file is written over ``ours_file`` (git's %A). When both sides
    changed one field differently, ours stays in the file and theirs is
    written whole as a conflict copy next to the record, so nothing is lost.
    Exit 1 (git keeps its conflict markers) when a version is not TOML.
    """
    root = Path(root) if root is not None else Path.cwd()

    def read(p: str) -> bytes | None:
        try:
            with open(p, "rb") as f:
                return f.read()
        except OSError:
            return None

    base, ours, theirs = read(base_file), read(ours_file), read(theirs_file)
    if ours is None or theirs is None:
        return 1, [], None
    if relpath == SETTINGS_FILE:
        return _merge_settings_file(base, ours, theirs, ours_file, root)
    result = merge_files(base, ours, theirs, relpath)
    if result is None:
        return 1, [], None
    copy = None
    if result.conflicts:
        copy = conflict_copy_path(root, relpath, theirs)
        atomic_write(copy, theirs)
    with open(ours_file, "wb") as f:
        f.write(result.data)
    return 0, result.conflicts, copy


def _merge_settings_file(base: bytes | None, ours: bytes, theirs: bytes, ours_file: str,
                         root: Path) -> tuple[int, list[str], Path | None]:
    """caselog.toml: merged as a taxonomy (store.git.settings_merge)."""
    result = merge_settings(base, ours, theirs)
    if result is None:
        return 1, [], None
    copy = None
    if result.conflicts:
        copy = conflict_copy_path(root, SETTINGS_FILE, theirs)
        atomic_write(copy, conflict_copy_text(theirs, result.conflicts))
    with open(ours_file, "wb") as f:
        f.write(result.data)
    return 0, [c.where for c in result.conflicts], copy
