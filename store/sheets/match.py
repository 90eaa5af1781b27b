"""Forgiving matching of spreadsheet values: taxonomy names, codes and dates.

A name matches when it is the same after folding case, whitespace,
punctuation and ``&``/``og``/``and``; failing that, when each of its words is
the start of the corresponding word of exactly one name (``Arb.marked`` for
``Arbejdsmarked``, ``Øvr.`` for ``Øvrige``, ``B&F`` for ``Børn & Familie``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from ..domain.taxonomy import Settings

_AND = {"og", "and", "&", "+"}


def text_of(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``; None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def words(text: str) -> list[str]:
    """Lower-case words without punctuation and without 'og'/'and'/'&'.

    A word written with a full stop inside or after it (``Arb.marked``,
    ``Øvr.``) keeps its stops, marking an abbreviation.
    """
    text = text.casefold().replace("&", " og ").replace("+", " og ")
    text = re.sub(r"[^\w.]+|_", " ", text)
    return [w for w in text.split() if w.strip(".") and w not in _AND]


def norm(text: str) -> str:
    """The folded form two names are compared by: words without stops, one space apart."""
    return " ".join(w.replace(".", "") for w in words(text))


def _word_matches(abbrev: str, full: str) -> bool:
    """Whether one written word can stand for a word of a name."""
    full = full.replace(".", "")
    if "." not in abbrev:
        return full.startswith(abbrev)
    parts = [p for p in abbrev.split(".") if p]
    if not parts or not full.startswith(parts[0]):
        return False
    pos = len(parts[0])
    for p in parts[1:]:
        found = full.find(p, pos)
        if found < 0:
            return False
        pos = found + len(p)
    # "arb.marked": the last piece ends the word unless written with a final stop
    return abbrev.endswith(".") or full.endswith(parts[-1])


def abbreviates(written: str, name: str, leading: bool = False) -> bool:
    """Whether each written word starts the name's word in its place.

    With ``leading``, the written words may stand for the first words only
    (``Miljø`` for ``Miljø & Teknik``).
    """
    a, b = words(written), words(name)
    if not a or len(a) > len(b) or (len(a) < len(b) and not leading):
        return False
    return all(_word_matches(x, y) for x, y in zip(a, b, strict=False))


def best_match(written: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The canonical name for ``written`` among ``(form, canonical)`` pairs, if exactly one fits.

    Tried in turn: the same words; each word abbreviated; the first words
    abbreviated. A step that fits more than one name ends the search: an
    ambiguous value is better left for the person to decide.
    """
    candidates = list(candidates)
    n = norm(written)
    if not n:
        return None
    tests = (
        lambda form: norm(form) == n,
        lambda form: abbreviates(written, form),
        lambda form: abbreviates(written, form, leading=True),
    )
    for test in tests:
        found = {canon for form, canon in candidates if test(form)}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


class Matcher:
    """Taxonomy matching for one folder's settings, with the mapping file's translations."""

    def __init__(self, settings: Settings, values: dict[str, dict[str, str]] | None = None):
        self.settings = settings
        # field ("" = any) -> folded written value -> meaning
        self.values = {f: {_fold(k): v for k, v in m.items()} for f, m in (values or {}).items()}
        depts: list[tuple[str, str]] = []
        for d in settings.departments:
            depts.append((d.name, d.name))
            depts += [(a, d.name) for a in d.aliases]
            if d.short:
                depts.append((d.short, d.name))
        self._depts = depts
        self._themes = [(t.name, t.name) for t in settings.themes]

    def translated(self, field: str, written: str) -> str | None:
        """What the mapping file says ``written`` means in ``field`` (or in any field)."""
        key = _fold(written)
        for f in (field, ""):
            m = self.values.get(f)
            if m is not None and key in m:
                return m[key]
        return None

    def department(self, written: str) -> str | None:
        written = self.translated("department", written) or written
        if self.settings.knows_department(written):
            return self.settings.department_name(written)
        return best_match(written, self._depts)

    def theme(self, written: str) -> str | None:
        written = self.translated("theme", written) or written
        if self.settings.theme(written) is not None:
            return written
        return best_match(written, self._themes)

    def subtheme(self, theme: str | None, written: str) -> tuple[str | None, str | None]:
        """``(theme, subtheme)``: within ``theme``, or the one theme holding the subtheme."""
        written = self.translated("subtheme", written) or written
        themes = [self.settings.theme(theme)] if theme else list(self.settings.themes)
        pairs = [((t.name, s), s) for t in themes if t for s in t.subthemes]
        forms = [(s, f"{tn}\0{s}") for (tn, _), s in pairs]
        exact = [f"{tn}\0{s}" for (tn, _), s in pairs if s == written]
        found = exact[0] if len(exact) == 1 else best_match(written, forms)
        if found is None:
            return theme, None
        tn, s = found.split("\0")
        return tn, s

    def channel(self, written: str) -> str | None:
        written = self.translated("channel", written) or written
        if written in self.settings.channels:
            return written
        return best_match(written, [(c, c) for c in self.settings.channels])

    def code(self, field: str, written: str, builtin: dict[str, str]) -> str | None:
        """A fixed code (kind, status, role) from the mapping file or the built-in words."""
        mapped = self.translated(field, written)
        if mapped is not None:
            written = mapped
        n = norm(written)
        by_norm = {norm(k): v for k, v in builtin.items()}
        if n in by_norm:
            return by_norm[n]
        return None


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


# ---------------------------------------------------------------------------
# Fixed codes in the words a spreadsheet uses (Danish and English)

KIND_WORDS = {
    "complaint": "complaint", "klagesag": "complaint", "klage": "complaint",
    "klagesager": "complaint",
    "inquiry": "inquiry", "anden henvendelse": "inquiry", "andre henvendelser": "inquiry",
    "henvendelse": "inquiry", "other inquiry": "inquiry",
    "complaint-help": "complaint-help", "complaint help": "complaint-help",
    "help to complain": "complaint-help", "hjælp til klage": "complaint-help",
    "hjælp til at klage": "complaint-help", "klagehjælp": "complaint-help",
}

STATUS_WORDS = {
    "open": "open", "åben": "open", "åbne": "open", "igang": "open", "i gang": "open",
    "verserende": "open", "under behandling": "open", "aktiv": "open",
    "closed": "closed", "afsluttet": "closed", "lukket": "closed", "afsluttede": "closed",
    "færdig": "closed", "done": "closed",
}

ROLE_WORDS = {
    "main": "main", "hovedsag": "main", "hoved": "main", "h": "main", "ja": "main",
    "follow-up": "follow_up", "follow up": "follow_up", "følgesag": "follow_up",
    "følge": "follow_up", "f": "follow_up", "nej": "follow_up",
}


# ---------------------------------------------------------------------------
# Dates

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 29 Feb 1900
_SERIAL_RANGE = (20000, 80000)  # 1954 .. 2119: a number outside is not a date
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{2}|\d{4})"
                  r"(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$")
_NAMED = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]+)\.?\s*(\d{2}|\d{4})$")


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def parse_date(value: Any) -> date | None:
    """A date from a cell: a date/datetime, an Excel serial number, or day-first text.

    Accepts ``2024-04-03``, ``03-04-2024``, ``3.4.24``, ``3/4/2024``,
    ``3. april 2024`` and serials such as ``45385``. None when it is not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = " ".join(str(value or "").split())
    if not text:
        return None
    try:
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DMY.match(text):
            return date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _NAMED.match(text):
            month = _MONTHS.get(m.group(2).casefold()[:3])
            if month:
                return date(_year(m.group(3)), month, int(m.group(1)))
            return None
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text))
    except ValueError:
        return None
    return None
