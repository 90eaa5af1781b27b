"""One record file parsed fast, with the same results as ``codec``.

``loads``/``parse``: toml-rs (a TOML parser in Rust, about fifteen times
faster than tomllib) told to read TOML 1.0, the version tomllib reads. In
that mode it agrees with tomllib on every text: the same escapes, inline
tables on one line, times with seconds, CR LF read as LF in multi-line
strings, lone CRs and control characters refused, tomllib's own tzinfo
values. Only a few texts still go to tomllib:

* a text that begins with a byte order mark (toml-rs skips it; tomllib does
  not: ``codec._decode`` has taken the file's own BOM off already);
* conflict markers, which ``codec._parse`` reports as such;
* very deep nesting, on which tomllib raises RecursionError;

and every text toml-rs rejects, so that each error message comes from
``codec`` (tomllib), with its line and column. The property test in
tests/test_index.py checks that the two agree on every text.
"""

from __future__ import annotations

import tomllib

from ..domain.problems import Problem
from ..domain.taxonomy import Settings
from ..format import codec
from ..format.layout import INQUIRIES

try:  # optional: without it every file goes through tomllib
    from toml_rs import loads as _toml_rs_loads
except ImportError:  # pragma: no cover
    _toml_rs_loads = None

FAST = _toml_rs_loads is not None  # whether the fast parser is there (the index's fingerprint)
_MAX_BRACKETS = 200  # tomllib raises RecursionError on very deep nesting; toml-rs would not


def safe_for_fast(text: str) -> bool:
    """Whether ``text`` may go to the fast parser (see the module's doc). The count of
    brackets also keeps deep nesting from toml-rs, which has no limit of its own and
    overflows its stack at some thousands of levels (the process ends)."""
    return not (
        not FAST
        or text.startswith("\ufeff")
        or "<<<<<<< " in text
        or text.count("[") + text.count("{") >= _MAX_BRACKETS
    )


def _fast(text: str) -> dict | None:
    """The fast parser's reading of a text that passed ``safe_for_fast``, or None
    (it refused: tomllib then decides and explains)."""
    try:
        return _toml_rs_loads(text, toml_version="1.0.0")
    except Exception:  # (its TOMLDecodeError, or anything else: tomllib has the last word)
        return None


def loads(text: str) -> dict:
    """``tomllib.loads(text)``, faster where that is safe; raises like tomllib."""
    if safe_for_fast(text):
        data = _fast(text)
        if data is not None:
            return data
    return tomllib.loads(text)


def parse(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    """``codec._parse`` with the fast parser for the texts it can take."""
    if safe_for_fast(text):
        data = _fast(text)
        if data is not None:
            return data, []
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
