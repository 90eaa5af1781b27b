"""One record file parsed fast, with the same results as ``codec``.

``loads``/``parse``: rtoml (a TOML parser in Rust, about six times faster than
tomllib) where it is proven to give the same result. rtoml follows a newer
TOML than tomllib in a few places, and each is kept from it:

* escapes tomllib does not know (``\\x41``, ``\\e``): a text with one goes to
  tomllib (an escaped backslash before a letter is not one);
* new lines, comments and trailing commas inside inline tables: a text goes
  to rtoml only when every line's braces outside strings pair up and no
  comma comes right before a closing brace;
* times without seconds, and its own tzinfo class: a result holding any time
  or date-time (no record has one) is read again by tomllib;
* CR LF line ends: tomllib reads a multi-line string's CR LF as LF, rtoml
  keeps it, so rtoml reads the text with LF; a lone CR goes to tomllib;

and anything unusual (deep nesting, conflict markers) goes to tomllib too; so
does any text rtoml rejects, and every error message comes from ``codec``
(tomllib), with its line and column. The property test in tests/test_index.py
checks that the two agree on every text this gate lets through.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time

from ..domain.problems import Problem
from ..domain.taxonomy import Settings
from ..format import codec
from ..format.layout import INQUIRIES

try:  # optional: without it every file goes through tomllib
    import rtoml
except ImportError:  # pragma: no cover
    rtoml = None

# Anything rtoml might read differently from tomllib sends the text to tomllib.
# TOML 1.0's escapes, looked for once the escaped backslashes ("\\\\", taken left
# to right as the parser does) are out of the text.
_BAD_ESCAPE = re.compile(r'\\[^btnfr"uU \t\r\n]')
_LONE_CR = re.compile(r"\r(?!\n)")
# What a line holds outside strings: quoted strings on one line, and the
# quotes that open or close a multi-line one, are taken out.
_STRINGS = re.compile(r'"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_TRAILING_COMMA = re.compile(r",\s*}")
_MAX_BRACKETS = 200  # tomllib raises RecursionError on very deep nesting; rtoml would not


def _inline_tables_on_one_line(text: str) -> bool:
    """Whether every inline table is written on one line with no trailing comma (TOML
    1.0, read alike by both): on each line, the braces outside strings pair up."""
    for line in text.split("\n"):
        if "{" in line or "}" in line:
            bare = _STRINGS.sub("", line)
            if bare.count("{") != bare.count("}") or _TRAILING_COMMA.search(bare):
                return False
    return True


def safe_for_rtoml(text: str) -> bool:
    """Whether ``text`` may go to rtoml (see the module's doc; ``loads`` then
    also looks at what rtoml made of it)."""
    return not (
        rtoml is None
        or "<<<<<<< " in text or text.startswith("\ufeff")  # (rtoml skips a BOM; tomllib does not)
        or text.count("[") + text.count("{") >= _MAX_BRACKETS
        or ("\r" in text and _LONE_CR.search(text))
        or ("\\" in text and _BAD_ESCAPE.search(text.replace("\\\\", "")))
        or (("{" in text or "}" in text) and not _inline_tables_on_one_line(text))
    )


def _has_time(value) -> bool:
    """Whether a parsed document holds a time or a date-time anywhere."""
    stack = [value]
    pop, push, many = stack.pop, stack.append, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t is str or t is int or t is date or t is bool or t is float:
            continue
        if t is dict:
            many(v.values())
        elif t is list:
            many(v)
        elif isinstance(v, (datetime, time)):
            return True
        elif isinstance(v, dict):
            push(list(v.values()))
        elif isinstance(v, list):
            many(v)
    return False


_TIME = re.compile(r"[0-9]:[0-9]")  # no time without it (for diagnose.py: which files hold one)


def _rtoml(text: str, times: bool = True) -> dict | None:
    """rtoml's reading of a text that passed ``safe_for_rtoml``, or None (tomllib then).
    ``times=False``: the caller looks for times itself (``has_time``)."""
    try:
        data = rtoml.loads(text.replace("\r\n", "\n") if "\r" in text else text)
    except Exception:  # rtoml is stricter here: let tomllib decide and explain
        return None
    return None if times and ":" in text and _has_time(data) else data


def loads(text: str) -> dict:
    """``tomllib.loads(text)``, faster where that is safe; raises like tomllib."""
    if safe_for_rtoml(text):
        data = _rtoml(text)
        if data is not None:
            return data
    return tomllib.loads(text)


def parse(text: str, path: str, times: bool = True) -> tuple[dict | None, list[Problem]]:
    """``codec._parse`` with the fast parser for the texts it can take.

    ``times=False``: a document holding a time may come from rtoml; the caller
    then reads it again with ``codec._parse`` where ``has_time`` says so (a
    record's row made from the dict never holds one: it is checked for types).
    """
    if safe_for_rtoml(text):
        data = _rtoml(text, times)
        if data is not None:
            return data, []
    return codec._parse(text, path)


def has_time(text: str, data: dict) -> bool:
    """Whether ``data`` (read from ``text``) holds a time or a date-time: rtoml reads
    those unlike tomllib (times without seconds, its own tzinfo class)."""
    return ":" in text and _has_time(data)


def read_record(raw: bytes, rel: str, kind_dir: str, settings: Settings | None):
    """``codec.read_inquiry`` / ``read_appeal`` with the fast parser."""
    text, problems = codec._decode(raw, rel)
    if text is None:
        return None, problems
    data, problems = parse(text, rel)
    if data is None:
        return None, problems
    if kind_dir == INQUIRIES:
        return codec.inquiry_from_dict(data, rel, text, settings)
    return codec.appeal_from_dict(data, rel, text, settings)
