"""caselog.toml merged as a taxonomy, when two advisors changed it at once.

Run by the merge driver (``caselog.toml merge=caselog`` in .gitattributes) on
the three versions git hands it. What each side added is kept:

* the lists (channels, appeal boards, remark themes, a department's aliases,
  a theme's subthemes) merge as ordered sets: ours in our order, what theirs
  added placed after the item it follows there, what one side removed (and
  the other left alone) gone;
* departments are matched by name, or by an alias that names the department
  of the common version (a rename keeps its old name as an alias), and merged
  field by field; themes by name;
* any other value (language, period_start, a short name, a key this version
  does not know) is taken from the side that changed it.

A value both sides changed differently is a real conflict: ours is kept, and
theirs is written whole beside the file as ``caselog.toml.conflict-<hash>``,
whose first line names each conflict (:func:`conflicts_of` reads it back), so
that it can be said in words and nothing is lost.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from ..domain.taxonomy import SettingsError, parse_settings, settings_to_toml

HEADER = "# caselog-conflict: "  # the conflict copy's first line: a JSON list of conflicts
LIST_KEYS = ("channels", "appeal_boards", "remark_themes")
_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    """One value both sides changed differently: ``where`` names it
    (``language``, ``departments[Børn & Familie].short``)."""

    where: str
    ours: Any
    theirs: Any


@dataclass
class SettingsMerge:
    data: bytes  # the merged caselog.toml
    conflicts: list[Conflict] = field(default_factory=list)


def _value(base: Any, ours: Any, theirs: Any, where: str, conflicts: list[Conflict]) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    conflicts.append(Conflict(where, None if ours is _MISSING else ours,
                              None if theirs is _MISSING else theirs))
    return ours


def merge_list(base: list, ours: list, theirs: list) -> list:
    """Ordered-set merge of string lists: both sides' additions kept, either
    side's removals applied, ours' order first."""
    base_set, theirs_set = set(base), set(theirs)
    out = [x for x in ours if not (x in base_set and x not in theirs_set)]
    for i, x in enumerate(theirs):
        if x in base_set or x in out:
            continue
        at = 0  # after the nearest item before it in theirs that the result holds
        for prev in reversed(theirs[:i]):
            if prev in out:
                at = out.index(prev) + 1
                break
        out.insert(at, x)
    return out


def _as_list(v: Any) -> list:
    return list(v) if isinstance(v, list) else []


def _tables(v: Any) -> list[dict]:
    return [d for d in v if isinstance(d, dict)] if isinstance(v, list) else []


def _keyed(tables: list[dict], base_names: set[str], with_aliases: bool) -> dict[str, dict]:
    """One side's tables by which table of the common version each is: its
    name, or (a rename) an alias naming one; a table new on this side is known
    by its own name. Each identity is given once, names before aliases, so a
    second table that would take one already taken (a department split in two
    that both keep the old name as alias, a name written twice) is kept as a
    table of its own, never dropped. In the tables' order."""
    ids: list[str | None] = [None] * len(tables)
    taken: set[str] = set()
    for i, table in enumerate(tables):
        name = table.get("name")
        if isinstance(name, str) and name in base_names and name not in taken:
            ids[i] = name
            taken.add(name)
    for i, table in enumerate(tables):
        if ids[i] is None and with_aliases:
            for alias in _as_list(table.get("aliases")):
                if alias in base_names and alias not in taken:
                    ids[i] = alias
                    taken.add(alias)
                    break
    for i, table in enumerate(tables):
        if ids[i] is None:
            key, n = f"\0new\0{table.get('name')}", 1
            while key in taken:
                key, n = f"\0new\0{table.get('name')}\0{n}", n + 1
            ids[i] = key
            taken.add(key)
    return {key: table for key, table in zip(ids, tables, strict=True)}


def _merge_tables(base: list[dict], ours: list[dict], theirs: list[dict], kind: str,
                  list_keys: tuple[str, ...], with_aliases: bool,
                  conflicts: list[Conflict]) -> list[dict]:
    base_names = {t.get("name") for t in base if isinstance(t.get("name"), str)}
    b = _keyed(base, base_names, with_aliases)
    o = _keyed(ours, base_names, with_aliases)
    t_ = _keyed(theirs, base_names, with_aliases)
    order = merge_list(list(b), list(o), list(t_))
    # a table one side deleted and the other changed is kept (nothing lost)
    order += [k for k in list(o) + list(t_) if k not in order and
              ((k in o and k in b and o[k] != b[k]) or (k in t_ and k in b and t_[k] != b[k]))]
    out = []
    sides = []  # (ours, theirs) of each table of out
    for k in order:
        bt, ot, tt = b.get(k, {}), o.get(k), t_.get(k)
        sides.append((ot, tt))
        if ot is None or tt is None:
            out.append(dict(ot if ot is not None else tt))
            continue
        label = f"{kind}[{ot.get('name', '?')}]"
        merged: dict = {}
        for key in dict.fromkeys([*ot, *tt, *bt]):
            bv, ov, tv = bt.get(key, _MISSING), ot.get(key, _MISSING), tt.get(key, _MISSING)
            if key in list_keys:
                v = merge_list(_as_list(bv), _as_list(ov), _as_list(tv))
                if key == "aliases":  # a rename's old name is an alias, never the name itself
                    v = [a for a in v if a != merged.get("name", ot.get("name"))]
                if v or ov is not _MISSING or tv is not _MISSING:
                    merged[key] = v
            else:
                v = _value(bv, ov, tv, f"{label}.{key}", conflicts)
                if v is not _MISSING:
                    merged[key] = v
        if with_aliases and isinstance(tt.get("name"), str) and \
                tt.get("name") not in (merged.get("name"), *_as_list(merged.get("aliases"))) and \
                tt.get("name") != bt.get("name"):
            # renamed differently on both sides: their name counts as the
            # department too (their records under it), as a rename's old name does
            merged["aliases"] = [*_as_list(merged.get("aliases")), tt["name"]]
        out.append(merged)
    if with_aliases:
        _one_department_a_name(out, sides, ours, theirs, kind, conflicts)
    return out


def _fold(name: Any) -> str:
    return " ".join(name.split()).casefold() if isinstance(name, str) else ""


def _claims(tables: list[dict]) -> Counter:
    """How many of the tables each name or alias (folded, as the taxonomy looks them up) names."""
    counted: Counter = Counter()
    for t in tables:
        counted.update({_fold(x) for x in [t.get("name"), *_as_list(t.get("aliases"))]} - {""})
    return counted


def _one_department_a_name(out: list[dict], sides: list[tuple], ours: list[dict],
                           theirs: list[dict], kind: str, conflicts: list[Conflict]) -> None:
    """A name or alias that each side gave one department, but the two sides
    two different ones (the same alias added to two departments): the merged
    file would count it under whichever comes first, without a word. It stays
    where ours has it; theirs' alias is taken out and said as a conflict (their
    version is then in the conflict copy)."""
    merged, mine, yours = _claims(out), _claims(ours), _claims(theirs)
    for label in [x for x, n in merged.items() if n > 1 and mine[x] <= 1 and yours[x] <= 1]:
        for table, (ot, tt) in zip(out, sides, strict=True):
            if merged[label] <= 1:
                break
            kept = _as_list(ot.get("aliases")) if ot is not None else []
            aliases = _as_list(table.get("aliases"))
            theirs_only = [a for a in aliases if _fold(a) == label and a not in kept]
            if not theirs_only:
                continue
            table["aliases"] = [a for a in aliases if a not in theirs_only]
            merged[label] -= 1
            conflicts.append(Conflict(f"{kind}[{table.get('name', '?')}].aliases",
                                      kept if ot is not None and "aliases" in ot else None,
                                      _as_list(tt.get("aliases")) if tt is not None else None))


def merge_settings_dicts(base: dict, ours: dict, theirs: dict,
                         conflicts: list[Conflict]) -> dict:
    merged: dict = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        bv, ov, tv = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if key in LIST_KEYS:
            v = merge_list(_as_list(bv), _as_list(ov), _as_list(tv))
        elif key == "departments":
            v = _merge_tables(_tables(bv), _tables(ov), _tables(tv), "departments",
                              ("aliases",), True, conflicts)
        elif key == "themes":
            v = _merge_tables(_tables(bv), _tables(ov), _tables(tv), "themes",
                              ("subthemes",), False, conflicts)
        else:
            v = _value(bv, ov, tv, key, conflicts)
        if v is not _MISSING:
            merged[key] = v
    return merged


def _parse(raw: bytes | None) -> dict | None:
    if not raw:
        return {}
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _render(merged: dict) -> bytes:
    """caselog's own layout for settings it knows whole, else plain TOML (nothing dropped)."""
    text = tomli_w.dumps(merged)
    try:
        settings = parse_settings(text)
    except SettingsError:
        return text.encode("utf-8")
    known = {"format", "language", "period_start", *LIST_KEYS, "departments", "themes"}
    canonical = settings_to_toml(settings)
    if set(merged) <= known and tomllib.loads(canonical) == merged:
        return canonical.encode("utf-8")
    return text.encode("utf-8")


def merge_settings(base: bytes | None, ours: bytes, theirs: bytes) -> SettingsMerge | None:
    """Merge three versions of caselog.toml; None when one is not TOML (git's markers then)."""
    if ours == theirs or theirs == base:
        return SettingsMerge(ours)
    if ours == (base or b""):
        return SettingsMerge(theirs)
    b, o, t = _parse(base), _parse(ours), _parse(theirs)
    if b is None or o is None or t is None:
        return None
    conflicts: list[Conflict] = []
    merged = merge_settings_dicts(b, o, t, conflicts)
    if merged == o:
        return SettingsMerge(ours, conflicts)  # ours as it was written (its comments too)
    if merged == t and not conflicts:
        return SettingsMerge(theirs, conflicts)
    return SettingsMerge(_render(merged), conflicts)


def conflict_copy_text(theirs: bytes, conflicts: list[Conflict]) -> bytes:
    """Their caselog.toml with a first line that names the conflicts."""
    listed = [[c.where, c.ours, c.theirs] for c in conflicts]
    return (HEADER + json.dumps(listed, ensure_ascii=False, default=str) + "\n").encode() + theirs


def conflicts_of(copy: bytes) -> list[Conflict]:
    """The conflicts a settings conflict copy names (its first line); [] if none."""
    first, _, _rest = copy.partition(b"\n")
    text = first.decode("utf-8", "replace")
    if not text.startswith(HEADER):
        return []
    try:
        listed = json.loads(text.removeprefix(HEADER))
        return [Conflict(str(w), o, t) for w, o, t in listed]
    except (ValueError, TypeError):
        return []
