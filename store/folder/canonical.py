"""caselog's own file layout, read without a TOML parser.

A file in caselog's own layout (what ``codec.to_toml`` writes: known keys in
their order, strings without escapes) is taken apart by one regular
expression, and becomes a row at once when ``codec`` would find nothing to
report in it; anything else is read the usual way, which stays the truth
for every problem. tests/test_fastpath.py checks that the rows are
``codec``'s records, with no problem, for any record written.
"""

from __future__ import annotations

import re
from datetime import date

from ..domain.records import KINDS, OUTCOMES, STATUSES
from ..domain.taxonomy import Settings
from ..format.codec import APPEAL_KEYS, CITIZEN_KEYS, ID_RE, INQUIRY_KEYS, POINT_KEYS
from ..format.layout import APPEALS, INQUIRIES
from .rowcodec import APPEAL_ROW, INQUIRY_ROW, Builder

# ---------------------------------------------------------------------------
# caselog's own layout, read without a TOML parser

# A basic string without escapes: its value is the text between the quotes.
# (TOML forbids control characters in one, except the tab; a quote or a
# backslash would need an escape, so neither is taken here.)
_STR = r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
_STR_ = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
# A free text (title, notes, result): that, or a multi-line basic string as
# codec writes one, whose value is the text after the new line that follows
# the opening quotes (no quote, backslash or CR inside).
_TEXT = r'(?:' + _STR + r'|"""\n([^"\\\x00-\x08\x0b-\x1f\x7f]*)""")'
_DATE = r'([0-9]{4}-[0-9]{2}-[0-9]{2})'
# An id of codec.ID_RE's form ([0-9] is narrower than its \d).
_ID = r'"([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-hjkmnp-tv-z]{4})"'
_POINT = r'department = ' + _STR + r'\ntheme = ' + _STR + r'\n(?:subtheme = ' + _STR + r'\n)?'
_POINT_ = r'department = ' + _STR_ + r'\ntheme = ' + _STR_ + r'\n(?:subtheme = ' + _STR_ + r'\n)?'

# codec.inquiry_to_toml's layout, keys in its order, nothing else.
_INQUIRY = re.compile(
    r'id = ' + _ID + r'\nreceived = ' + _DATE + r'\nkind = ' + _STR + r'\nstatus = ' + _STR
    + r'\n(?:closed = ' + _DATE + r'\n)?channel = ' + _STR + r'\ntitle = ' + _TEXT
    + r'\nnotes = ' + _TEXT + r'\n(?:source = ' + _STR + r'\n)?'
    + r'\n\[main\]\n' + _POINT
    + r'((?:\n\[\[follow_up\]\]\n' + _POINT_ + r')*)'
    + r'(?:\n\[citizen\]\nname = ' + _STR + r'\nphone = ' + _STR + r'\nemail = ' + _STR + r'\n)?'
)
_FOLLOW_UP = re.compile(r'\n\[\[follow_up\]\]\n' + _POINT)
# codec.appeal_to_toml's layout.
_APPEAL = re.compile(
    r'id = ' + _ID + r'\nreceived = ' + _DATE + r'\nboard = ' + _STR + r'\ndepartment = ' + _STR
    + r'\noutcome = ' + _STR + r'\n(?:remarks = \[((?:' + _STR_ + r'(?:, ' + _STR_ + r')*)?)\]\n)?'
    + r'result = ' + _TEXT + r'\nnotes = ' + _TEXT + r'\n'
)


class Canonical:
    """Rows straight from files in caselog's own layout (``codec.to_toml``'s output).

    A file matched by one of the patterns above is a valid TOML document
    whose parse is plain to see: these keys, in this order, with these
    strings and dates, nothing else. ``row`` gives the record's row only when
    ``codec`` would read the file without a single problem (every key known,
    every type right, codes valid, the file named after the id and in its
    month's folder, the taxonomy knowing every department, theme, channel,
    board and remark); anything
    else returns None and the file is read the usual way, which also
    explains what is wrong. Look-ups in the taxonomy are remembered, and
    repeated strings shared (marshal then writes them once).
    """

    def __init__(self, settings: Settings | None, partial: bool = False) -> None:
        self.settings = settings
        self.partial = partial  # rows without notes and citizen data (read_files)
        self.ordinals: dict[str, int | None] = {}
        self.departments: dict[str, bool] = {}
        self.points: dict[tuple, tuple | None] = {}
        self.same: dict = {}
        self._whole: Canonical | None = None
        self._builder: Builder | None = None
        if settings is not None:
            self.channels = frozenset(settings.channels)
            self.boards = frozenset(settings.appeal_boards)
            self.remark_themes = frozenset(settings.remark_themes)

    @property
    def whole(self) -> Canonical:
        """This one, or (when partial) one that makes whole rows, sharing its look-ups."""
        if not self.partial:
            return self
        if self._whole is None:
            w = self._whole = Canonical(self.settings)
            w.ordinals, w.departments, w.points, w.same = (
                self.ordinals, self.departments, self.points, self.same)
        return self._whole

    @property
    def builder(self) -> Builder:
        if self._builder is None:
            self._builder = Builder()
        return self._builder

    def ordinal(self, text: str) -> int | None:
        n = self.ordinals.get(text, 0)
        if n == 0:
            try:
                n = date.fromisoformat(text).toordinal()
            except ValueError:  # 2024-02-30: not TOML at all
                n = None
            self.ordinals[text] = n
        return n

    def department(self, name: str) -> bool:
        known = self.departments.get(name)
        if known is None:
            known = self.departments[name] = self.settings.knows_department(name)
        return known

    def point(self, dept: str, theme: str, sub: str | None) -> tuple | None:
        """The point's row if codec finds nothing to say about it, else None."""
        key = (dept, theme, sub)
        try:
            return self.points[key]
        except KeyError:
            pass
        t = self.settings.theme(theme)
        ok = self.department(dept) and t is not None and (
            (sub in t.subthemes) if t.subthemes else sub is None)
        same = self.same.setdefault
        out = self.points[key] = (same(dept, dept), same(theme, theme),
                                  sub if sub is None else same(sub, sub)) if ok else None
        return out

    def row(self, raw: bytes, kind_dir: str, rel: str) -> tuple | None:
        if self.settings is None or not raw.startswith(b'id = "'):  # (both layouts begin so)
            return None
        if b"<<<<<<< " in raw:  # codec._parse's conflict markers, even inside a string
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if kind_dir == INQUIRIES:
            m = _INQUIRY.fullmatch(text)
            return None if m is None else self._inquiry(m.groups(), rel)
        if kind_dir == APPEALS:
            m = _APPEAL.fullmatch(text)
            return None if m is None else self._appeal(m.groups(), rel)
        return None

    def _inquiry(self, g: tuple, rel: str) -> tuple | None:
        (rid, received, kind, status, closed, channel, title, title_ml, notes, notes_ml, source,
         dept, theme, sub, follow, name, phone, email) = g
        # codec._check_id (the file named after the id), and no wrong-folder warning
        if rel != f"inquiries/{rid[:4]}/{rid[5:7]}/{rid}.toml":
            return None
        if kind not in KINDS or status not in STATUSES:
            return None
        ordinals = self.ordinals
        rec = ordinals.get(received) or self.ordinal(received)
        if rec is None:
            return None
        if closed is None:
            if status == "closed":  # closed-missing
                return None
            closed_n = 0
        else:
            closed_n = ordinals.get(closed) or self.ordinal(closed)
            # closed-without-status, closed-before-received
            if closed_n is None or status == "open" or closed_n < rec:
                return None
        if channel and channel not in self.channels:
            return None
        main = self.points.get((dept, theme, sub), False)
        if main is False:
            main = self.point(dept, theme, sub)
        if main is None:
            return None
        same = self.same.setdefault
        if follow:
            points = []
            for f in _FOLLOW_UP.finditer(follow):
                p = self.point(*f.groups())
                if p is None:
                    return None
                points.append(p)
            follow_row = same(t := tuple(points), t)
        else:
            follow_row = ()
        if self.partial:  # to_row(record, partial=True): no notes, no citizen data
            notes, citizen = "", None
        else:
            notes = notes if notes_ml is None else notes_ml
            citizen = None if name is None else (name, phone, email)
        return (
            INQUIRY_ROW, rid, rec, same(kind, kind), same(status, status), closed_n,
            same(channel, channel), title if title_ml is None else title_ml, notes,
            "" if source is None else source, main, follow_row, citizen,
        )

    def _appeal(self, g: tuple, rel: str) -> tuple | None:
        rid, received, board, dept, outcome, remarks, result, result_ml, notes, notes_ml = g
        if rel != f"appeals/{rid[:4]}/{rid[5:7]}/{rid}.toml" or outcome not in OUTCOMES:
            return None
        rec = self.ordinals.get(received) or self.ordinal(received)
        if rec is None or board not in self.boards or not self.department(dept):
            return None
        # the remarks' texts hold no quote: '", "' only ever separates two
        items = remarks[1:-1].split('", "') if remarks else []
        if (outcome == "remarks") != bool(items):  # remarks-missing, remarks-without-outcome
            return None
        same = self.same.setdefault
        for x in items:
            if x not in self.remark_themes:
                return None
        return (
            APPEAL_ROW, rid, rec, same(board, board), same(dept, dept), same(outcome, outcome),
            same(t := tuple([same(x, x) for x in items]), t),
            result if result_ml is None else result_ml,
            "" if self.partial else notes if notes_ml is None else notes_ml,
        )

    # -- a parsed file of another layout -------------------------------------
    def from_dict(self, data: dict, kind_dir: str, rel: str) -> tuple | None:
        """The row of a parsed record file (keys in any order, as another program
        writes them) when ``codec`` would read it without a single problem, else
        None: the same conditions as ``row``, looked at in the dict."""
        if self.settings is None:
            return None
        if kind_dir == INQUIRIES:
            return self._inquiry_dict(data, rel)
        if kind_dir == APPEALS:
            return self._appeal_dict(data, rel)
        return None

    def _point_dict(self, p) -> tuple | None:
        if not isinstance(p, dict) or not p.keys() <= _POINT_KEYS:
            return None
        dept, theme, sub = p.get("department"), p.get("theme"), p.get("subtheme")
        if not isinstance(dept, str) or not isinstance(theme, str) or \
                not (sub is None or isinstance(sub, str)):
            return None
        return self.point(dept, theme, sub)

    def _inquiry_dict(self, d: dict, rel: str) -> tuple | None:
        if not d.keys() <= _INQUIRY_DICT_KEYS:
            return None
        rid, received, kind, status = d.get("id"), d.get("received"), d.get("kind"), d.get("status")
        if not isinstance(rid, str) or not ID_RE.match(rid) or \
                rel != f"inquiries/{rid[:4]}/{rid[5:7]}/{rid}.toml":
            return None
        if type(received) is not date or kind not in KINDS or status not in STATUSES:
            return None
        closed = d.get("closed")
        if closed is None:
            if status == "closed" or "closed" in d:  # closed-missing
                return None
            closed_n = 0
        elif type(closed) is not date or status == "open" or closed < received:
            return None
        else:
            closed_n = closed.toordinal()
        channel, title = d.get("channel", ""), d.get("title", "")
        notes, source = d.get("notes", ""), d.get("source", "")
        if not (isinstance(channel, str) and isinstance(title, str) and isinstance(notes, str)
                and isinstance(source, str)):
            return None
        if channel and channel not in self.channels:
            return None
        main = self._point_dict(d.get("main"))
        if main is None:
            return None
        same = self.same.setdefault
        follow = d.get("follow_up", [])
        if not isinstance(follow, list):
            return None
        if follow:
            points = []
            for f in follow:
                p = self._point_dict(f)
                if p is None:
                    return None
                points.append(p)
            follow_row = same(t := tuple(points), t)
        else:
            follow_row = ()
        citizen = None
        if "citizen" in d:
            c = d["citizen"]
            if not isinstance(c, dict) or not c.keys() <= _CITIZEN_KEYS:
                return None
            citizen = (c.get("name", ""), c.get("phone", ""), c.get("email", ""))
            if not all(isinstance(x, str) for x in citizen):
                return None
        if self.partial:
            notes, citizen = "", None
        return (
            INQUIRY_ROW, rid, received.toordinal(), same(kind, kind), same(status, status),
            closed_n, same(channel, channel), title, notes, same(source, source), main,
            follow_row, citizen,
        )

    def _appeal_dict(self, d: dict, rel: str) -> tuple | None:
        if not d.keys() <= _APPEAL_DICT_KEYS:
            return None
        rid, received = d.get("id"), d.get("received")
        board, dept, outcome = d.get("board"), d.get("department"), d.get("outcome")
        if not isinstance(rid, str) or not ID_RE.match(rid) or \
                rel != f"appeals/{rid[:4]}/{rid[5:7]}/{rid}.toml":
            return None
        if type(received) is not date or outcome not in OUTCOMES:
            return None
        if not isinstance(board, str) or board not in self.boards or not isinstance(dept, str) \
                or not self.department(dept):
            return None
        remarks = d.get("remarks", [])
        if not isinstance(remarks, list) or (outcome == "remarks") != bool(remarks):
            return None
        same = self.same.setdefault
        for x in remarks:
            if not isinstance(x, str) or x not in self.remark_themes:
                return None
        result, notes = d.get("result", ""), d.get("notes", "")
        if not isinstance(result, str) or not isinstance(notes, str):
            return None
        return (
            APPEAL_ROW, rid, received.toordinal(), same(board, board), same(dept, dept),
            same(outcome, outcome), same(t := tuple([same(x, x) for x in remarks]), t),
            same(result, result), "" if self.partial else notes,
        )


_INQUIRY_DICT_KEYS = frozenset((*INQUIRY_KEYS, "main", "follow_up", "citizen"))
_APPEAL_DICT_KEYS = frozenset(APPEAL_KEYS)
_POINT_KEYS = frozenset(POINT_KEYS)
_CITIZEN_KEYS = frozenset(CITIZEN_KEYS)
