"""What the interface says about git: commit messages, history lines, a wired Committer.

The command line (``caselog log``) and the history screen use the same
functions, so both show the same words. Values of text fields (title, notes,
citizen, unknown keys) are never shown unless asked (``show_text``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from store.domain.records import Appeal
from store.git.commits import Committer
from store.git.history import Version
from store.git.merge import FieldChange, changed_keys, diff, parse

from .i18n import t


def commit_message(change) -> str:
    """``Ny henvendelse ID`` / ``Ændret ID: status, lukket`` / ``Slettet ID``, in the interface language."""
    rec = change.record
    if change.action == "deleted":
        return t("git.msg.deleted", id=rec.id)
    if change.old is None:
        key = "git.msg.new_appeal" if isinstance(rec, Appeal) else "git.msg.new_inquiry"
        return t(key, id=rec.id)
    keys = changed_keys(change.old, change.new)
    if not keys:
        return t("git.msg.changed_plain", id=rec.id)
    return t("git.msg.changed", id=rec.id, fields=", ".join(field_name(k) for k in keys))


def field_name(key: str) -> str:
    name = t(f"git.field.{key}")
    return key if name == f"git.field.{key}" else name


def make_committer(workspace, on_error: Callable[[str], None] | None = None) -> Committer:
    """A Committer for the workspace's folder with messages in the interface language, attached.

    ``on_error`` gets a whole sentence for the user (the file is saved; git failed).
    """
    def report(detail: str) -> None:
        if on_error is not None:
            on_error(t("git.error.commit", detail=detail))

    return Committer(workspace.folder.root, commit_message, report).attach(workspace)


# ---------------------------------------------------------------------------
# History lines


def _safe(text: str) -> str:
    """Control characters as escapes, so that a value never drives the terminal."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def show_value(v, quote: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        if "department" in v and "theme" in v:
            parts = [v.get("department"), v.get("theme"), v.get("subtheme")]
            return _safe(" / ".join(str(p) for p in parts if p))
        return _safe(", ".join(f"{k}={show_value(x, quote)}" for k, x in v.items()))
    if isinstance(v, list):
        return ", ".join(show_value(x, quote) for x in v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False) if quote else _safe(v)
    return _safe(str(v))


def change_line(c: FieldChange, show_text: bool = False) -> str:
    """``status: open → closed``, ``follow_up[2] added: A / B / C``, ``notes changed``."""
    if not c.plain and not show_text:
        key = {"added": "git.change.hidden_added", "removed": "git.change.hidden_removed"}.get(
            c.action, "git.change.hidden")
        return t(key, field=path_label(c.path))
    quote = not c.plain
    old, new = (code_label(c.path, show_value(v, quote)) for v in (c.old, c.new))
    label = path_label(c.path)
    if "[" in c.path:  # an item of a list of tables: added, removed or changed as a whole
        return t(f"git.change.{c.action}", field=label, old=old, new=new)
    # "status: åben → afsluttet", "lukket: → 2024-04-20"
    return f"{label}: " + (f"{old} " if old else "") + "→" + (f" {new}" if new else "")


_CODES = {"kind": "app.kind.", "status": "app.status.", "outcome": "appeal.outcome."}


def code_label(path: str, value: str) -> str:
    """A kind, status or outcome code in the interface's words; other values as they are."""
    prefix = _CODES.get(path)
    if prefix and value:
        word = t(prefix + value)
        return value if word == prefix + value else word.lower()
    return value


def path_label(path: str) -> str:
    """``main.subtheme`` as ``hovedsag.undertema``, ``follow_up[2]`` as ``følgesager[2]``."""
    out = []
    for part in path.split("."):
        name, bracket, rest = part.partition("[")
        out.append(field_name(name) + (bracket + rest if bracket else ""))
    return ".".join(out)


def version_changes(v: Version) -> list[FieldChange] | None:
    """The field changes of one version; None when a side is not TOML."""
    before, after = parse(v.before), parse(v.after)
    if (v.before is not None and before is None) or (v.after is not None and after is None):
        return None
    if v.after is None:
        return []
    changes = diff(before, after)
    if v.before is None:  # a new record: its filled-in fields, not every empty one
        changes = [c for c in changes if c.new not in ("", None, [])]
    return changes


def version_lines(v: Version, show_text: bool = False) -> list[str]:
    """The lines under one version's heading: one per changed field."""
    changes = version_changes(v)
    if changes is None:
        return [t("git.change.unreadable")]
    return [change_line(c, show_text) for c in changes]


def version_heading(date_text: str, author: str, subject: str) -> str:
    return f"{date_text[:16].replace('T', ' ')}  {_safe(author)}  {_safe(subject)}"


# ---------------------------------------------------------------------------
# What a sync did, in words (the command line and the app say the same)


def _setting_words(where: str) -> str:
    """``departments[Børn & Familie].short`` -> "kortnavnet for afdelingen Børn & Familie"."""
    for kind, key in (("departments[", "git.settings.department"), ("themes[", "git.settings.theme")):
        if where.startswith(kind) and "]." in where:
            name, _, field = where[len(kind):].partition("].")
            label = t(f"git.settings.key.{field}")
            return t(key, name=_safe(name),
                     field=_safe(field) if label == f"git.settings.key.{field}" else label)
    words = t(f"git.settings.{where}")
    return _safe(where) if words == f"git.settings.{where}" else words


def _setting_value(v) -> str:
    if v is None:
        return t("git.settings.none")
    if isinstance(v, list):
        return ", ".join(_safe(str(x)) for x in v)
    return _safe(str(v))


def sync_lines(result, root) -> list[tuple[str, bool]]:
    """What ``store.git.sync.sync`` did, a sentence a line, for the user: ``(line,
    notable)``, notable when it asks the user to look (a conflict, a kept file)."""
    from pathlib import Path

    from store.domain.taxonomy import SETTINGS_FILE
    from store.format.layout import CONFLICT_SUFFIX
    from store.git.settings_merge import conflicts_of

    lines: list[tuple[str, bool]] = []
    if result.tightened:
        lines.append((t("privacy.tightened", n=result.tightened), False))
    if result.committed:
        lines.append((t("git.sync.committed", n=result.committed), False))
    if result.joined:
        lines.append((t("git.sync.joined"), False))
    lines.append((t("git.sync.done", remote=result.remote, branch=result.branch,
                    received=result.received, sent=result.sent), False))
    lines += [(t("git.sync.kept", path=p), True) for p in result.kept]
    for copy in result.conflicts:
        original = copy.split(CONFLICT_SUFFIX)[0] + ".toml"
        if original == SETTINGS_FILE:
            try:
                found = conflicts_of((Path(root) / copy).read_bytes())
            except OSError:
                found = []
            for c in found:
                lines.append((t("git.sync.settings_conflict", what=_setting_words(c.where),
                                ours=_setting_value(c.ours), theirs=_setting_value(c.theirs),
                                copy=copy), True))
            if found:
                continue
        lines.append((t("git.sync.conflict", original=original, copy=copy), True))
    if result.others:
        lines.append((t("git.sync.others", branch=result.branch,
                        branches=", ".join(result.others)), True))
    return lines
