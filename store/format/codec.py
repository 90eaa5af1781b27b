"""Record files: TOML text to records and back.

Reading never raises: it returns the record (or None when the file cannot be
used at all) and the problems found. Writing lays keys out in a fixed order and
writes values the same way every time, so an unchanged record gives identical
bytes; keys this version does not know are written back unchanged.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

import tomli_w

from ..domain.problems import ERROR, WARNING, Problem, locate_key, toml_error_detail, toml_error_position
from ..domain.records import KINDS, OUTCOMES, STATUSES, Appeal, Citizen, Inquiry, Point
from ..domain.taxonomy import Settings

MAX_FILE_SIZE = 1_000_000  # bytes; a record is a few hundred

ID_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[0-9a-hjkmnp-tv-z]{4}$")

INQUIRY_KEYS = ("id", "received", "kind", "status", "closed", "channel", "title", "notes", "source")
POINT_KEYS = ("department", "theme", "subtheme")
CITIZEN_KEYS = ("name", "phone", "email")
APPEAL_KEYS = ("id", "received", "board", "department", "outcome", "remarks", "result", "notes")


# ---------------------------------------------------------------------------
# Writing


def _literal(value: Any) -> str:
    """One TOML value as text, the same way every time."""
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_literal(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str):
        # Multi-line strings read better, but a carriage return would be lost
        # in one, so such text stays on one line with escapes.
        multiline = "\n" in value and "\r" not in value
        return tomli_w.dumps({"x": value}, multiline_strings=multiline)[4:-1]
    return tomli_w.dumps({"x": value})[4:-1]


def _key(k: str) -> str:
    return tomli_w.dumps({k: 0})[:-5]


def _line(k: str, v: Any) -> str:
    return f"{_key(k)} = {_literal(v)}\n"


def _table(header: str, known: list[tuple[str, Any]], extra: Mapping[str, Any]) -> str:
    out = [header + "\n"]
    for k, v in known:
        out.append(_line(k, v))
    for k, v in extra.items():
        out.append(_line(k, v))
    return "".join(out)


def _split_extra(extra: Mapping[str, Any]) -> tuple[dict, dict]:
    literals, tables = {}, {}
    for k, v in extra.items():
        if isinstance(v, Mapping) or (
            isinstance(v, (list, tuple)) and v and all(isinstance(x, Mapping) for x in v)
        ):
            tables[k] = v
        else:
            literals[k] = v
    return literals, tables


def _tables(tables: Mapping[str, Any]) -> str:
    """Extra tables and arrays of tables, each under its own header.

    tomli_w writes a short array of tables inline (``k = [{...}]``), which
    after the last ``[table]`` header would put the key inside that table, so
    arrays of tables are laid out here, one ``[[k]]`` per element.
    """
    out = []
    for k, v in tables.items():
        if isinstance(v, Mapping):
            out.append(tomli_w.dumps({k: v}))
        else:
            out += [_table(f"[[{_key(k)}]]", [], t) for t in v]
    return "\n".join(out)


def _point_table(header: str, p: Point) -> str:
    known: list[tuple[str, Any]] = [("department", p.department), ("theme", p.theme)]
    if p.subtheme is not None:
        known.append(("subtheme", p.subtheme))
    return _table(header, known, p.extra)


def inquiry_to_toml(r: Inquiry) -> str:
    out = [
        _line("id", r.id),
        _line("received", r.received),
        _line("kind", r.kind),
        _line("status", r.status),
    ]
    if r.closed is not None:
        out.append(_line("closed", r.closed))
    out.append(_line("channel", r.channel))
    out.append(_line("title", r.title))
    out.append(_line("notes", r.notes))
    if r.source:
        out.append(_line("source", r.source))
    literals, tables = _split_extra(r.extra)
    out += [_line(k, v) for k, v in literals.items()]
    out.append("\n" + _point_table("[main]", r.main))
    for p in r.follow_up:
        out.append("\n" + _point_table("[[follow_up]]", p))
    if r.citizen is not None:
        c = r.citizen
        out.append(
            "\n" + _table("[citizen]", [(k, getattr(c, k)) for k in CITIZEN_KEYS], c.extra)
        )
    if tables:
        out.append("\n" + _tables(tables))
    return "".join(out)


def appeal_to_toml(r: Appeal) -> str:
    out = [
        _line("id", r.id),
        _line("received", r.received),
        _line("board", r.board),
        _line("department", r.department),
        _line("outcome", r.outcome),
    ]
    if r.remarks or r.outcome == "remarks":
        out.append(_line("remarks", list(r.remarks)))
    out.append(_line("result", r.result))
    out.append(_line("notes", r.notes))
    literals, tables = _split_extra(r.extra)
    out += [_line(k, v) for k, v in literals.items()]
    if tables:
        out.append("\n" + _tables(tables))
    return "".join(out)


def to_toml(r: Inquiry | Appeal) -> str:
    return inquiry_to_toml(r) if isinstance(r, Inquiry) else appeal_to_toml(r)


# ---------------------------------------------------------------------------
# Reading


def _kind_of(v: Any) -> str:
    if isinstance(v, datetime):
        return "datetime"
    if isinstance(v, time):
        return "time"
    if isinstance(v, date):
        return "date"
    if isinstance(v, str):
        return "str"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, list):
        return "list"
    return type(v).__name__


class _Reader:
    """Collects problems while taking one record apart."""

    def __init__(self, path: str, text: str, settings: Settings | None):
        self.path = path
        self.text = text
        self.settings = settings
        self.problems: list[Problem] = []
        self.fatal = False

    def problem(self, key: str, severity: str, code: str, table=None, /, **params: Any) -> None:
        line, col = locate_key(self.text, key, table)
        self.problems.append(Problem(self.path, line, col, severity, code, params))
        if severity == ERROR and code in ("missing-key", "wrong-type", "unknown-code"):
            self.fatal = True

    def take(self, data: dict, key: str, want: str, table=None, required=True, default=None):
        if key not in data:
            if required:
                self.problem(key, ERROR, "missing-key", table, key=_qualified(key, table))
            return default
        v = data[key]
        ok = {
            "date": isinstance(v, date) and not isinstance(v, datetime),
            "text": isinstance(v, str),
            "table": isinstance(v, dict),
        }[want]
        if not ok:
            self.problem(
                key, ERROR, "wrong-type", table,
                key=_qualified(key, table), expected=want, actual=_kind_of(v),
            )
            return default
        return v

    def code(self, data: dict, key: str, allowed: tuple[str, ...]) -> str | None:
        v = self.take(data, key, "text")
        if v is None:
            return None
        if v not in allowed:
            self.problem(key, ERROR, "unknown-code", key=key, value=v, allowed=", ".join(allowed))
            return None
        return v


def _qualified(key: str, table) -> str:
    if table is None:
        return key
    if isinstance(table, tuple):
        return f"{table[0]}[{table[1] + 1}].{key}"
    return f"{table}.{key}"


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    if len(raw) > MAX_FILE_SIZE:
        return None, [
            Problem(path, None, None, ERROR, "too-large", {"size": len(raw), "limit": MAX_FILE_SIZE})
        ]
    if not raw or raw.isspace():  # (the same ASCII whitespace as strip(), without a copy)
        return None, [Problem(path, 1, 1, ERROR, "empty")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        return None, [Problem(path, line, col, ERROR, "not-utf8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def _parse(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    if "\n<<<<<<< " in "\n" + text and "\n>>>>>>> " in text:
        line = ("\n" + text).split("\n<<<<<<< ")[0].count("\n") + 1
        return None, [Problem(path, line, 1, ERROR, "conflict-marker")]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as e:
        line, col = toml_error_position(e)
        return None, [Problem(path, line, col, ERROR, "not-toml", {"detail": toml_error_detail(e)})]
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        return None, [Problem(path, None, None, ERROR, "not-toml", {"detail": "nested too deeply"})]


def _check_id(r: _Reader, rid: str | None, path: str) -> None:
    if rid is None:
        return
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # PurePosixPath(path).stem, faster
    if not ID_RE.match(rid):
        r.problem("id", ERROR, "bad-id", id=rid)
    elif rid != stem:
        r.problem("id", ERROR, "id-mismatch", id=rid, stem=stem)


def _extra(data: dict, known: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k not in known}


def _read_point(r: _Reader, data: Any, table, where) -> Point | None:
    if not isinstance(data, dict):
        r.problem(table if isinstance(table, str) else table[0], ERROR, "wrong-type",
                  key=_qualified("", table).rstrip("."), expected="table", actual=_kind_of(data))
        return None
    dept = r.take(data, "department", "text", table)
    theme = r.take(data, "theme", "text", table)
    sub = r.take(data, "subtheme", "text", table, required=False)
    if dept is None or theme is None:
        return None
    s = r.settings
    if s is not None:
        if not s.knows_department(dept):
            r.problem("department", WARNING, "unknown-department", table, where=where, value=dept)
        t = s.theme(theme)
        if t is None:
            r.problem("theme", WARNING, "unknown-theme", table, where=where, value=theme)
        elif t.subthemes and sub is None:
            if "subtheme" not in data:  # one of the wrong type is reported as that
                r.problem("theme", ERROR, "subtheme-missing", table, where=where, theme=theme)
        elif t.subthemes and sub not in t.subthemes:
            r.problem("subtheme", ERROR, "subtheme-not-in-theme", table,
                      where=where, theme=theme, subtheme=sub)
        elif not t.subthemes and sub is not None:
            r.problem("subtheme", ERROR, "subtheme-unexpected", table,
                      where=where, theme=theme, subtheme=sub)
    return Point(dept, theme, sub, _extra(data, POINT_KEYS))


def _read(raw: bytes, path: str, settings: Settings | None, from_dict):
    text, problems = _decode(raw, path)
    if text is None:
        return None, problems
    data, problems = _parse(text, path)
    if data is None:
        return None, problems
    return from_dict(data, path, text, settings)


def read_inquiry(raw: bytes, path: str, settings: Settings | None = None):
    """An inquiry from the bytes of its file: ``(Inquiry | None, problems)``."""
    return _read(raw, path, settings, inquiry_from_dict)


def inquiry_from_dict(data: dict, path: str, text: str, settings: Settings | None):
    r = _Reader(path, text, settings)
    rid = r.take(data, "id", "text")
    received = r.take(data, "received", "date")
    kind = r.code(data, "kind", KINDS)
    status = r.code(data, "status", STATUSES)
    closed = r.take(data, "closed", "date", required=False)
    channel = r.take(data, "channel", "text", required=False, default="")
    title = r.take(data, "title", "text", required=False, default="")
    notes = r.take(data, "notes", "text", required=False, default="")
    source = r.take(data, "source", "text", required=False, default="")
    _check_id(r, rid, path)

    main = None
    if "main" not in data:
        r.problem("main", ERROR, "missing-key", key="main")
    else:
        main = _read_point(r, data["main"], "main", "main")
        if main is None:
            r.fatal = True

    follow: list[Point] = []
    raw_follow = data.get("follow_up", [])
    if not isinstance(raw_follow, list) or not all(isinstance(x, dict) for x in raw_follow):
        r.problem("follow_up", ERROR, "wrong-type", key="follow_up",
                  expected="list of tables", actual=_kind_of(raw_follow))
    else:
        for i, fu in enumerate(raw_follow):
            p = _read_point(r, fu, ("follow_up", i), ("follow_up", i))
            if p is None:
                r.fatal = True
            else:
                follow.append(p)

    citizen = None
    if "citizen" in data:
        c = data["citizen"]
        if not isinstance(c, dict):
            r.problem("citizen", ERROR, "wrong-type", key="citizen", expected="table",
                      actual=_kind_of(c))
        else:
            vals = {k: r.take(c, k, "text", "citizen", required=False, default="")
                    for k in CITIZEN_KEYS}
            citizen = Citizen(**vals, extra=_extra(c, CITIZEN_KEYS))

    if status == "closed" and closed is None and "closed" not in data:
        r.problem("status", WARNING, "closed-missing")
    if status == "open" and closed is not None:
        r.problem("closed", WARNING, "closed-without-status")
    if closed is not None and received is not None and closed < received:
        r.problem("closed", ERROR, "closed-before-received",
                  closed=closed.isoformat(), received=received.isoformat())
    if settings is not None and channel and channel not in settings.channels:
        r.problem("channel", WARNING, "unknown-channel", value=channel)

    if r.fatal or rid is None or received is None or kind is None or status is None or main is None:
        return None, r.problems
    inquiry = Inquiry(
        id=rid, received=received, kind=kind, status=status, main=main, closed=closed,
        channel=channel, title=title, notes=notes, follow_up=tuple(follow), citizen=citizen,
        source=source, extra=_extra(data, INQUIRY_KEYS + ("main", "follow_up", "citizen")),
    )
    return inquiry, r.problems


def read_appeal(raw: bytes, path: str, settings: Settings | None = None):
    """An appeal decision from the bytes of its file: ``(Appeal | None, problems)``."""
    return _read(raw, path, settings, appeal_from_dict)


def appeal_from_dict(data: dict, path: str, text: str, settings: Settings | None):
    r = _Reader(path, text, settings)
    rid = r.take(data, "id", "text")
    received = r.take(data, "received", "date")
    board = r.take(data, "board", "text")
    dept = r.take(data, "department", "text")
    outcome = r.code(data, "outcome", OUTCOMES)
    result = r.take(data, "result", "text", required=False, default="")
    notes = r.take(data, "notes", "text", required=False, default="")
    remarks = data.get("remarks", [])
    if not isinstance(remarks, list) or not all(isinstance(x, str) for x in remarks):
        r.problem("remarks", ERROR, "wrong-type", key="remarks", expected="list of text",
                  actual=_kind_of(remarks))
        remarks = []
    _check_id(r, rid, path)
    if outcome == "remarks" and not remarks:
        r.problem("outcome", ERROR, "remarks-missing")
    if outcome is not None and outcome != "remarks" and remarks:
        r.problem("remarks", ERROR, "remarks-without-outcome", outcome=outcome)
    if settings is not None:
        if board is not None and board not in settings.appeal_boards:
            r.problem("board", WARNING, "unknown-board", value=board)
        if dept is not None and not settings.knows_department(dept):
            r.problem("department", WARNING, "unknown-department", where="department", value=dept)
        for x in remarks:
            if x not in settings.remark_themes:
                r.problem("remarks", WARNING, "unknown-remark", value=x)
    if r.fatal or None in (rid, received, board, dept, outcome):
        return None, r.problems
    appeal = Appeal(
        id=rid, received=received, board=board, department=dept, outcome=outcome,
        remarks=tuple(remarks), result=result, notes=notes, extra=_extra(data, APPEAL_KEYS),
    )
    return appeal, r.problems
