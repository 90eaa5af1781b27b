"""Finding Danish CPR numbers (personnummer) in free text.

A CPR number is ``DDMMYY-SSSS``: the birth date and a 4-digit serial, written
with a dash, a space or nothing between the two halves. The first digit of the
serial gives the century of the year (the CPR office's rules):

=========  ===========  =============
serial[0]  YY 00-36     YY 37-99
=========  ===========  =============
0-3        19YY         19YY
4, 9       20YY         19YY
5-8        20YY (-57)   18YY (58-99)
=========  ===========  =============

Only numbers whose date exists in that year count, and only when they do not
sit inside a longer run of digits (an 8-digit phone number, an account
number). The modulus-11 check is not used: numbers issued since 2007 need not
pass it.

Nothing here ever returns or logs the number itself, only where it is, so a
caller can warn without repeating it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from .problems import WARNING, Problem, locate_key
from .records import Appeal, Inquiry, Point

# Dashes a word processor or a phone may put in place of "-", and spaces.
SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0\u202f"
_SEP = "[" + re.escape(SEPARATORS) + "]"
_CPR = re.compile(
    r"(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{2})" + _SEP + r"?([0-9])[0-9]{3}(?![0-9])"
)


def birth_year(yy: int, serial_first: int) -> int:
    """The full birth year of a CPR number from its 2-digit year and the serial's first digit."""
    if serial_first <= 3:
        return 1900 + yy
    if serial_first in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy  # 5-8


def _plausible(m: re.Match[str]) -> bool:
    day, month, yy, first = (int(g) for g in m.groups())
    try:
        date(birth_year(yy, first), month, day)
    except ValueError:
        return False
    return True


def find_cpr(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds something that looks like a CPR number: ``[(start, end)]``.

    ``text[start:end]`` is the number as written (with its dash or space).
    """
    if not text or len(text) < 10:
        return []
    return [m.span() for m in _CPR.finditer(text) if _plausible(m)]


def has_cpr(text: str) -> bool:
    """Whether ``text`` holds something that looks like a CPR number (for a form's warning).

    The quick look at the bytes first (``maybe_cpr``: a text's own UTF-8 bytes
    hold every character as it is), the pattern only where it may find one.
    """
    if not text or len(text) < 10 or not maybe_cpr(text.encode("utf-8", "surrogatepass")):
        return False
    return bool(find_cpr(text))


def redact(text: str, mask: str = "XXXXXX-XXXX") -> str:
    """``text`` with every CPR-like number replaced by ``mask``."""
    out, last = [], 0
    for start, end in find_cpr(text):
        out += [text[last:start], mask]
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------
# A quick look at a whole file first

# A file's bytes mapped so that a CPR-like number is found with plain
# substring searches: every ASCII digit becomes "0", the last byte of each
# separator (in UTF-8) becomes "S" and the bytes before it are dropped. (Other
# bytes mapped or dropped along only make for a search that finds more.)
_SEPARATOR_BYTES = [c.encode("utf-8") for c in SEPARATORS]
_MAP = bytearray(range(256))
for _d in b"0123456789":
    _MAP[_d] = ord("0")
for _b in _SEPARATOR_BYTES:
    _MAP[_b[-1]] = ord("S")
_MAP = bytes(_MAP)
# An escape that can write a digit or a separator, or join two lines (a
# backslash before "\\" is matched too: that only finds more).
_JOINING_ESCAPE = re.compile(rb"\\(?:[uU]|[ \t]*\r?\n)")
_DROP = bytes(sorted({x for b in _SEPARATOR_BYTES for x in b[:-1]}))
# What a CPR-like number becomes: its digits, and each separator as mapped.
_PATTERNS = tuple(sorted({b"0" * 10} | {b"000000" + b.translate(_MAP, _DROP) + b"0000"
                                        for b in _SEPARATOR_BYTES}))
_SIX = b"0" * 6
assert all(p.startswith(_SIX) for p in _PATTERNS)


def maybe_cpr(raw: bytes) -> bool:
    """False only when no string value of the TOML file ``raw`` can hold a CPR-like number.

    Without a backslash in the file, every string value is written in it
    character for character: a basic or literal string holds no escapes, a
    multi-line one at most loses the new line after its opening quotes (and
    may read a CR LF as LF). So a CPR-like number in a value (six ASCII
    digits, a separator or none, four digits) is in the file as it is, and
    its bytes, mapped as above, are one of ``_PATTERNS`` (no ASCII digit is
    ever dropped, and UTF-8 never puts one inside another character). The
    digits around it are not looked at: that only finds more. Of the escapes,
    only ``\\u``/``\\U`` (which may write a digit or a separator) and a
    line-ending backslash (which joins two runs) can make a value hold what
    the bytes do not: a file with one of them always gets the full check. Any
    other escape (``\\"``, ``\\\\``, ``\\n``, ...) stands for one character that
    is neither a digit nor a separator, where the bytes hold two that are
    neither either.
    """
    if b"\\" in raw and _JOINING_ESCAPE.search(raw):
        return True
    return _as_written(raw)


def _as_written(raw: bytes) -> bool:
    """Whether ``raw``, mapped as above, holds one of ``_PATTERNS``: a CPR-like
    number written character for character."""
    z = raw.translate(_MAP, _DROP)
    # (every pattern begins with six digits: most files hold no such run at all)
    return _SIX in z and any(p in z for p in _PATTERNS)


def values_may_hold_cpr(data) -> bool:
    """False only when no string value in ``data`` (a parsed file: dicts, lists,
    strings and other values) can hold a CPR-like number: ``maybe_cpr``'s look,
    at the values themselves, whose escapes are already read. For a file where
    ``maybe_cpr`` found only an escape that may write a digit or join lines
    (``\\u00e6`` in a name), this spares the field by field check. The values are
    joined by new lines, which are neither digits nor separators, so no number
    is made across two of them."""
    found: list[str] = []
    stack = [data]
    pop, push, add = stack.pop, stack.extend, found.append
    while stack:
        v = pop()
        t = type(v)
        if t is str:
            if len(v) >= 10:
                add(v)
        elif t is dict:
            push(v.values())
        elif t is list:
            push(v)
    return bool(found) and _as_written("\n".join(found).encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------
# Records

# (where, key, table): ``where`` names the field in a warning ("title",
# "citizen.phone", "follow_up[2].note"); ``key`` and ``table`` locate its line.
Field = tuple[str, str, "str | tuple[str, int] | None"]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _point_fields(p: Point, name: str, table) -> Iterator[tuple[Field, Any]]:
    yield (f"{name}.department", "department", table), p.department
    yield (f"{name}.theme", "theme", table), p.theme
    yield (f"{name}.subtheme", "subtheme", table), p.subtheme
    for k, v in p.extra.items():
        yield (f"{name}.{k}", k, table), v


def text_fields(record: Inquiry | Appeal) -> Iterator[tuple[Field, Any]]:
    """Every field of a record that can hold text, with how to name and find it."""
    if isinstance(record, Inquiry):
        for k in ("channel", "title", "notes", "source"):
            yield (k, k, None), getattr(record, k)
        yield from _point_fields(record.main, "main", "main")
        for i, p in enumerate(record.follow_up):
            yield from _point_fields(p, f"follow_up[{i + 1}]", ("follow_up", i))
        if record.citizen is not None:
            c = record.citizen
            for k in ("name", "phone", "email"):
                yield (f"citizen.{k}", k, "citizen"), getattr(c, k)
            for k, v in c.extra.items():
                yield (f"citizen.{k}", k, "citizen"), v
    else:
        for k in ("board", "department", "result", "notes"):
            yield (k, k, None), getattr(record, k)
        yield ("remarks", "remarks", None), record.remarks
    for k, v in record.extra.items():
        yield (k, k, None), v


def cpr_fields(record: Inquiry | Appeal) -> list[Field]:
    """The fields of a record that hold something that looks like a CPR number."""
    return [f for f, value in text_fields(record) if any(has_cpr(s) for s in _strings(value))]


def cpr_problems(record: Inquiry | Appeal, rel: str,
                 text: str | bytes | None = None) -> list[Problem]:
    """One "cpr" warning per field holding a CPR-like number; the number is never in it.

    ``text`` (the file's text or bytes) gives each warning its line; without
    it the warnings have no line.
    """
    fields = cpr_fields(record)
    if not fields:
        return []
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace").removeprefix("\ufeff")
    problems = []
    for where, key, table in fields:
        line, col = locate_key(text, key, table) if text is not None else (None, None)
        problems.append(Problem(rel, line, col, WARNING, "cpr", {"where": where}))
    return sorted(problems, key=lambda p: p.line or 0)
