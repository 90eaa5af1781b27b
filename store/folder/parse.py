"""One record file parsed fast, with the same results as ``codec``.

``loads``/``parse``: rtoml (a TOML parser in Rust, about six times faster than
tomllib) where it is proven to give the same result. rtoml follows a newer
TOML than tomllib in a few places (``\\x`` escapes, new lines in inline
tables, times without seconds, its own tzinfo class), so a text that holds
any of those constructs, or anything unusual (carriage returns, braces,
deep nesting, conflict markers), goes to tomllib; so does any text rtoml
rejects, and every error message comes from ``codec`` (tomllib), with its
line and column. The property test in tests/test_index.py checks that the
two agree on every text this gate lets through.
"""

from __future__ import annotations

import re
import tomllib

from ..domain.problems import Problem
from ..domain.taxonomy import Settings
from ..format import codec
from ..format.layout import INQUIRIES

try:  # optional: without it every file goes through tomllib
    import rtoml
except ImportError:  # pragma: no cover
    rtoml = None

# Anything rtoml might read differently from tomllib sends the text to tomllib.
_BAD_ESCAPE = re.compile(r'\\[^btnfr"\\uU \t\n]')
_TIME = re.compile(r"\d:\d")
_MAX_BRACKETS = 200  # tomllib raises RecursionError on very deep nesting; rtoml would not


def safe_for_rtoml(text: str) -> bool:
    """Whether rtoml reads ``text`` as tomllib does (see the module's doc)."""
    return not (
        rtoml is None
        or "{" in text or "}" in text or "\r" in text or "<<<<<<< " in text
        or text.count("[") >= _MAX_BRACKETS
        or ("\\" in text and _BAD_ESCAPE.search(text))
        or (":" in text and _TIME.search(text))
    )


def loads(text: str) -> dict:
    """``tomllib.loads(text)``, faster where that is safe; raises like tomllib."""
    if safe_for_rtoml(text):
        try:
            return rtoml.loads(text)
        except Exception:  # rtoml is stricter here: let tomllib decide and explain
            pass
    return tomllib.loads(text)


def parse(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    """``codec._parse`` with the fast parser for the texts it can take."""
    if safe_for_rtoml(text):
        try:
            return rtoml.loads(text), []
        except Exception:
            pass
    return codec._parse(text, path)


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
