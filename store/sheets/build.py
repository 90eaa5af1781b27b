"""Rows grouped into inquiries, and every row that cannot be used, with why.

Two shapes are understood. One row per inquiry, the follow-up issues in
numbered columns (``Afdeling 2``, ``Tema 2``, ...); and one row per issue,
the rows of one inquiry sharing a case number, its main issue marked in a
Hovedsag/Følgesag column (else the first row is the main issue). Both may be
mixed. An inquiry is built only when every one of its rows can be used, so
an import never holds half an inquiry; nothing is written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..domain.records import Citizen, Inquiry, Point
from ..domain.taxonomy import Settings
from ..format import codec
from .mapping import BUILTIN_DEFAULTS, Columns, Mapping, find_columns
from .match import KIND_WORDS, ROLE_WORDS, STATUS_WORDS, Matcher, parse_date, text_of
from .read import Table, is_blank

_FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class RowProblem:
    """Why rows cannot be used: ``code`` with ``params`` (for translation)."""

    rows: list[int]
    code: str  # empty-row | missing | bad-date | unmatched | invalid | group | no-main | main-twice
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Draft:
    """An inquiry to create; its id is drawn when it is written."""

    rows: list[int]
    inquiry: Inquiry  # id is a placeholder, or the sheet's own id when it is one


@dataclass
class Plan:
    """What an import would do."""

    table: Table
    columns: Columns
    drafts: list[Draft] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    already: list[Draft] = field(default_factory=list)  # imported before (same source)
    # (field, written) -> (meaning or None, rows): values read loosely or not at all
    seen: dict[tuple[str, str], tuple[str | None, list[int]]] = field(default_factory=dict)
    missing_fields: list[str] = field(default_factory=list)

    @property
    def inquiries(self) -> list[Inquiry]:
        return [d.inquiry for d in self.drafts]

    @property
    def unmatched(self) -> list[tuple[str, str, list[int]]]:
        """``(field, value, rows)`` of every value not understood."""
        return [(f, v, rows) for (f, v), (m, rows) in self.seen.items() if m is None]

    @property
    def problem_rows(self) -> list[int]:
        return sorted({r for p in self.problems for r in p.rows})


def cell_text(value: Any) -> str:
    """Free text of a cell, lines kept; an apostrophe that guarded a formula is dropped."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return text_of(value)
    text = value.replace("\r\n", "\n").strip()
    if text.startswith("'") and text[1:2] in _FORMULA_PREFIXES:
        text = text[1:]
    return text


@dataclass
class _Row:
    number: int
    ok: bool = True
    id: str = ""
    received: date | None = None
    closed: date | None = None
    kind: str | None = None
    status: str | None = None
    channel: str | None = None
    role: str | None = None
    points: list[Point] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


class _Builder:
    def __init__(self, plan: Plan, settings: Settings, mapping: Mapping):
        self.plan = plan
        self.settings = settings
        self.mapping = mapping
        self.matcher = Matcher(settings, mapping.values)
        self.defaults = {**BUILTIN_DEFAULTS, **mapping.defaults}
        self.cols = plan.columns

    # -- one cell ------------------------------------------------------------
    def cell(self, cells: list[Any], f: str) -> Any:
        i = self.cols.index.get(f)
        return cells[i] if i is not None and i < len(cells) else None

    def problem(self, row: _Row, code: str, **params: Any) -> None:
        row.ok = False
        self.plan.problems.append(RowProblem([row.number], code, params))

    def note(self, f: str, written: str, meaning: str | None, row: _Row) -> None:
        """Remember a value read loosely (or not at all) for the listing and the mapping file."""
        if meaning is not None and meaning == written:
            return
        key = (f, written)
        old = self.plan.seen.get(key)
        if old is None:
            self.plan.seen[key] = (meaning, [row.number])
        elif row.number not in old[1]:
            old[1].append(row.number)

    def date(self, row: _Row, cells, f: str, required: bool) -> date | None:
        value = self.cell(cells, f)
        if is_blank(value):
            if required:
                self.problem(row, "missing", column=self.cols.header(f), field=f)
            return None
        d = parse_date(value)
        if d is None:
            self.problem(row, "bad-date", column=self.cols.header(f), value=text_of(value))
        return d

    def code(self, row: _Row, cells, f: str, words: dict[str, str]) -> str | None:
        value = self.cell(cells, f)
        if is_blank(value):
            return None
        written = text_of(value)
        meaning = self.matcher.code(f, written, words)
        self.note(f, written, meaning, row)
        if meaning is None:
            self.problem(row, "unmatched", column=self.cols.header(f), value=written)
        return meaning

    def point(self, row: _Row, cells, n: int) -> Point | None:
        names = ("department", "theme", "subtheme") if n == 1 else \
            (f"department_{n}", f"theme_{n}", f"subtheme_{n}")
        raw = [self.cell(cells, f) for f in names]
        if n > 1 and all(is_blank(v) for v in raw):
            return None
        d_raw, t_raw, s_raw = (text_of(v) for v in raw)
        ok = True
        dept = theme = sub = None
        if not d_raw:
            self.problem(row, "missing", column=self.cols.header(names[0]), field="department")
            ok = False
        else:
            dept = self.matcher.department(d_raw)
            self.note("department", d_raw, dept, row)
            if dept is None:
                self.problem(row, "unmatched", column=self.cols.header(names[0]), value=d_raw)
                ok = False
        if t_raw:
            theme = self.matcher.theme(t_raw)
            self.note("theme", t_raw, theme, row)
            if theme is None:
                self.problem(row, "unmatched", column=self.cols.header(names[1]), value=t_raw)
                return None
        t = self.settings.theme(theme) if theme else None
        if s_raw and (t is None or t.subthemes):
            found_theme, sub = self.matcher.subtheme(theme, s_raw)
            self.note("subtheme", s_raw, sub, row)
            if sub is None:
                self.problem(row, "unmatched", column=self.cols.header(names[2]), value=s_raw)
                return None
            theme = found_theme
        elif s_raw:  # a theme without subthemes: the cell says nothing more
            self.problem(row, "unmatched", column=self.cols.header(names[2]), value=s_raw)
            return None
        if theme is None:
            self.problem(row, "missing", column=self.cols.header(names[1]), field="theme")
            return None
        t = self.settings.theme(theme)
        if t is not None and t.subthemes and sub is None:
            self.problem(row, "missing", column=self.cols.header(names[2]), field="subtheme")
            return None
        return Point(dept, theme, sub) if ok and dept else None

    # -- one row ---------------------------------------------------------------
    def row(self, number: int, cells: list[Any]) -> _Row:
        row = _Row(number)
        row.id = text_of(self.cell(cells, "id"))
        row.received = self.date(row, cells, "received", required=True)
        row.closed = self.date(row, cells, "closed", required=False)
        row.kind = self.code(row, cells, "kind", KIND_WORDS)
        row.status = self.code(row, cells, "status", STATUS_WORDS)
        row.role = self.code(row, cells, "role", ROLE_WORDS)
        value = self.cell(cells, "channel")
        if not is_blank(value):
            written = text_of(value)
            row.channel = self.matcher.channel(written)
            self.note("channel", written, row.channel, row)
            if row.channel is None:
                self.problem(row, "unmatched", column=self.cols.header("channel"), value=written)
        for n in self.cols.point_numbers():
            p = self.point(row, cells, n)
            if p is not None:
                row.points.append(p)
        for f in ("title", "notes", "name", "phone", "email"):
            row.texts[f] = cell_text(self.cell(cells, f))
        return row

    # -- one inquiry -----------------------------------------------------------
    def inquiry(self, rows: list[_Row]) -> Inquiry | None:
        numbers = [r.number for r in rows]
        mains = [r for r in rows if r.role == "main"]
        if len(mains) > 1:
            self.plan.problems.append(RowProblem(numbers, "main-twice", {"id": rows[0].id}))
            return None
        main = mains[0] if mains else rows[0]
        ordered = [main] + [r for r in rows if r is not main]

        def first(attr: str):
            for r in ordered:
                v = getattr(r, attr)
                if v not in (None, ""):
                    return v
            return None

        def text(f: str) -> str:
            for r in ordered:
                if r.texts.get(f):
                    return r.texts[f]
            return ""

        received = first("received")
        closed = first("closed")
        kind = first("kind") or self._default_code("kind", KIND_WORDS) or "inquiry"
        status = first("status") or self._default_code("status", STATUS_WORDS) or \
            ("closed" if closed else "open")
        channel = first("channel")
        if channel is None and self.defaults.get("channel"):
            channel = self.matcher.channel(self.defaults["channel"]) or self.defaults["channel"]
        points = [p for r in ordered for p in r.points]
        citizen = Citizen(text("name"), text("phone"), text("email"))
        rid = main.id if codec.ID_RE.match(main.id or "") else f"{received.isoformat()}-0000"
        inquiry = Inquiry(
            id=rid, received=received, kind=kind, status=status, main=points[0], closed=closed,
            channel=channel or "", title=text("title"), notes=text("notes"),
            follow_up=tuple(points[1:]), citizen=None if citizen.is_empty() else citizen,
            source=f"{self.plan.table.name}:{min(numbers)}",
        )
        # The codec is the judge: a record it would not load without errors is not written.
        check = replace(inquiry, id=f"{received.isoformat()}-0000")
        _, problems = codec.read_inquiry(codec.to_toml(check).encode(), f"{check.id}.toml",
                                         self.settings)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            self.plan.problems.append(RowProblem(numbers, "invalid", {"problem": errors[0]}))
            return None
        return inquiry

    def _default_code(self, f: str, words: dict[str, str]) -> str | None:
        if f not in self.defaults:
            return None
        return self.matcher.code(f, self.defaults[f], words)


def plan_import(table: Table, settings: Settings, mapping: Mapping | None = None,
                existing_sources: Iterable[str] = (), source_name: str | None = None,
                existing_ids: Iterable[str] = ()) -> Plan:
    """What importing ``table`` would create; nothing is written.

    An inquiry whose source (file and row) or whose own caselog id (a sheet
    exported by caselog) is in the folder already is counted in ``already``
    and not created again.
    """
    mapping = mapping or Mapping()
    if source_name:
        table = replace(table, name=source_name)
    columns = find_columns(table.rows, mapping)
    plan = Plan(table, columns)
    plan.missing_fields = [f for f in ("received", "department", "theme") if f not in columns.index]
    if plan.missing_fields or columns.missing:
        return plan
    b = _Builder(plan, settings, mapping)

    groups: dict[str, list[_Row]] = {}
    order: list[list[_Row]] = []
    for r in table.rows:
        if r.number <= columns.header_row:
            continue
        if r.is_empty():
            plan.problems.append(RowProblem([r.number], "empty-row"))
            continue
        row = b.row(r.number, r.cells)
        if "id" in columns.index and row.id:
            group = groups.get(row.id)
            if group is None:
                group = groups[row.id] = []
                order.append(group)
            group.append(row)
        else:
            order.append([row])

    existing = set(existing_sources)
    ids = set(existing_ids)
    for rows in order:
        bad = [r.number for r in rows if not r.ok]
        if bad:
            good = [r.number for r in rows if r.ok]
            if good:
                plan.problems.append(RowProblem(good, "group", {"id": rows[0].id, "rows": bad}))
            continue
        inquiry = b.inquiry(rows)
        if inquiry is None:
            continue
        draft = Draft([r.number for r in rows], inquiry)
        known = inquiry.source in existing or inquiry.id in ids
        (plan.already if known else plan.drafts).append(draft)
    plan.problems.sort(key=lambda p: p.rows[0])
    return plan
