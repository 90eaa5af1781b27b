"""Records as rows: plain tuples of str/int/None.

``marshal`` writes and reads a row in well under a microsecond (the index and
the reading workers pass records so), and ``Builder`` turns rows back into
the frozen records without running their ``__init__`` (dates and points are
shared between records). A record with keys this version does not know
travels pickled instead. Partial rows (no notes, no citizen data) serve a
caller that does not need them.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
from collections.abc import Callable
from datetime import date
from typing import Any

from ..domain.problems import Problem
from ..domain.records import Appeal, Citizen, Inquiry, Point


def stat_key(st: os.stat_result) -> tuple[int, int, int]:
    """What tells that a file changed: modification time, size and permissions."""
    return (st.st_mtime_ns, st.st_size, st.st_mode & 0o7777)


# ---------------------------------------------------------------------------
# Rows: records as plain tuples

INQUIRY_ROW = 0
APPEAL_ROW = 1
PICKLED_ROW = 2


def to_row(r: Inquiry | Appeal, partial: bool = False, same: dict | None = None) -> tuple:
    """A record as a tuple that ``marshal`` can write.

    ``partial``: without notes, citizen data and unknown keys (what the
    index holds). A full row of a record with unknown keys is pickled.
    ``same``: a dict through which repeated values (names, codes, points)
    pass, so that marshal writes each once and reading shares them.
    """
    if not partial and _exotic(r):
        return (PICKLED_ROW, pickle.dumps(r, pickle.HIGHEST_PROTOCOL))
    if isinstance(r, Inquiry):
        c = r.citizen
        row = (
            INQUIRY_ROW, r.id, r.received.toordinal(), r.kind, r.status,
            r.closed.toordinal() if r.closed is not None else 0, r.channel, r.title,
            "" if partial else r.notes, r.source, _point_row(r.main),
            tuple([_point_row(p) for p in r.follow_up]),
            None if partial or c is None else (c.name, c.phone, c.email),
        )
    else:
        row = (
            APPEAL_ROW, r.id, r.received.toordinal(), r.board, r.department,
            r.outcome, tuple(r.remarks), r.result, "" if partial else r.notes,
        )
    return row if same is None else shared(row, same)


def partial_row(row: tuple) -> tuple:
    """``to_row(record, partial=True)`` from ``to_row(record)`` (a partial row stays as it is)."""
    kind = row[0]
    if kind == INQUIRY_ROW:  # no notes, no citizen data
        return (*row[:8], "", *row[9:12], None)
    if kind == APPEAL_ROW:  # no notes
        return (*row[:8], "")
    return to_row(Builder().build(row), partial=True)  # unknown keys: without them


def _point_row(p: Point) -> tuple:
    return (p.department, p.theme, p.subtheme)


def _exotic(r: Inquiry | Appeal) -> bool:
    if r.extra:
        return True
    if isinstance(r, Inquiry):
        if r.main.extra or any(p.extra for p in r.follow_up):
            return True
        if r.citizen is not None and r.citizen.extra:
            return True
    return False


class Made(dict):
    """Values made once per key (``make(key)``) and shared: ``made[key]`` is a plain
    dict look-up where the key was seen (no method call per record field)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class Builder:
    """Turns rows into records, sharing equal dates and points between them
    (``dates[ordinal]``, ``points[point row]``)."""

    def __init__(self) -> None:
        self.dates: Made = Made(date.fromordinal)
        self.points: Made = Made(lambda row: Point(*row))

    def build(self, row: tuple) -> Inquiry | Appeal:
        kind = row[0]
        new = object.__new__
        dates, points = self.dates, self.points
        if kind == INQUIRY_ROW:
            (_, rid, rec, k, status, closed, channel, title, notes, source, main, follow,
             citizen) = row
            o = new(Inquiry)
            o.__dict__.update(
                id=rid, received=dates[rec], kind=k, status=status,
                main=points[main], closed=dates[closed] if closed else None,
                channel=channel, title=title, notes=notes,
                follow_up=tuple([points[p] for p in follow]) if follow else (),
                citizen=Citizen(*citizen) if citizen is not None else None,
                source=source, extra={},
            )
            return o
        if kind == APPEAL_ROW:
            _, rid, rec, board, dept, outcome, remarks, result, notes = row
            o = new(Appeal)
            o.__dict__.update(
                id=rid, received=dates[rec], board=board, department=dept,
                outcome=outcome, remarks=tuple(remarks), result=result, notes=notes, extra={},
            )
            return o
        if kind == PICKLED_ROW:
            r = pickle.loads(row[1])
            if not isinstance(r, (Inquiry, Appeal)):
                raise TypeError("not a record")
            return r
        raise ValueError(f"unknown row kind {kind!r}")


def problem_row(p: Problem, same: dict | None = None) -> tuple:
    """A problem as a tuple for marshal; ``same``: its repeated parts (severity,
    code, parameters such as a mode) shared, as ``to_row`` shares a record's."""
    row = (p.path, p.line, p.col, p.severity, p.code, tuple(p.params.items()))
    return row if same is None else shared_problem_row(row, same)


def shared(row: tuple, same: dict) -> tuple:
    """``row`` (a record's row) with its repeated values (codes, names, points,
    remarks) passed through ``same``, so that marshal writes each once and
    reading shares them: ``to_row(record, same=same)``, and rows read in chunks
    by other processes, each chunk with its own copies. A point or follow-up
    seen before is one look-up (its names are shared already)."""
    one, get = same.setdefault, same.get
    kind = row[0]
    if kind == INQUIRY_ROW:
        (k, rid, rec, ikind, status, closed, channel, title, notes, source, main, follow,
         citizen) = row
        if follow:
            follow = get(follow) or one(f := tuple([get(p) or _shared_point(p, one)
                                                    for p in follow]), f)
        return (k, rid, rec, one(ikind, ikind), one(status, status), closed,
                one(channel, channel), title, notes, one(source, source),
                get(main) or _shared_point(main, one), follow, citizen)
    if kind == APPEAL_ROW:
        k, rid, rec, board, dept, outcome, remarks, result, notes = row
        remarks = tuple([one(x, x) for x in remarks])
        return (k, rid, rec, one(board, board), one(dept, dept), one(outcome, outcome),
                one(remarks, remarks), one(result, result), notes)
    return row  # pickled: as it is


def _shared_point(p: tuple, one) -> tuple:
    p = tuple([one(x, x) for x in p])
    return one(p, p)


def shared_problem_row(row: tuple, same: dict, rel: str | None = None) -> tuple:
    """A problem row with its severity, code and parameters shared (``problem_row``'s
    ``same``), and its path the file's ``rel`` where they are equal."""
    path, line, col, severity, code, params = row
    if path == rel:
        path = rel
    one = same.setdefault
    try:
        params = one(params, params)
    except TypeError:  # a parameter that cannot be a key (a list): not shared
        pass
    return (path, line, col, one(severity, severity), one(code, code), params)


_new, _set = object.__new__, object.__setattr__


def problem_of(row: tuple) -> Problem:
    """``Problem(*row)`` without its ``__init__`` (a frozen dataclass sets each field
    through ``object.__setattr__``: a third of a report's time with 120,000 problems)."""
    path, line, col, severity, code, params = row
    p = _new(Problem)
    _set(p, "__dict__", {"path": path, "line": line, "col": col, "severity": severity,
                         "code": code, "params": dict(params)})
    return p


def problems_of(rows) -> list[Problem]:
    """``[problem_of(r) for r in rows]`` (rows of one file, or of many: ``rows`` may
    be an iterable of problem rows), the parameters' dicts shared between problems
    with equal parameters (a clone's 120,000 permission warnings: ``{'mode': '644'}``
    once). Nothing changes a problem's parameters."""
    shared: dict = {}
    out = []
    append = out.append
    for path, line, col, severity, code, params in rows:
        try:
            d = shared.get(params)
        except TypeError:  # not hashable (a list inside): its own dict
            d = dict(params)
        else:
            if d is None:
                d = shared[params] = dict(params)
        p = _new(Problem)
        _set(p, "__dict__", {"path": path, "line": line, "col": col, "severity": severity,
                             "code": code, "params": d})
        append(p)
    return out


def _marshal_safe(row: tuple) -> bool:
    try:
        marshal.dumps(row)
        return True
    except ValueError:
        return False



@contextlib.contextmanager
def no_gc(freeze: bool = False):
    """Without the cyclic garbage collector: building 100,000s of objects that
    live on would otherwise set off collections that scan them all, again and
    again (seconds at 100k).

    ``freeze``: the objects built are moved out of the collector's sight
    (``gc.freeze``, as ``Workspace.open`` does) before it is on again; else
    the first collection after it goes over every one of them (0.2 s at 100k).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()
