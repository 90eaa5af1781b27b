"""Which column holds which field, and what the spreadsheet's words mean.

Without a mapping file the usual Danish and English headers are recognised
(case, spacing and punctuation do not matter); numbered headers such as
``Afdeling 2``/``Tema 2``/``Undertema 2`` hold the follow-up issues of a sheet
with one row per inquiry. ``mapping_to_toml`` writes the mapping in use as a
file the person can edit and pass back with ``--map``:

    header_row = 1

    [columns]                      # field = "header in the spreadsheet"
    received = "Modtaget"
    department_2 = "Afdeling 2"    # the first follow-up issue

    [defaults]                     # for a missing or empty column
    kind = "inquiry"

    [values]                       # "written" = "meaning", for any column
    "Børn og Unge" = "Børn & Familie"

    [values.kind]                  # only in one field's columns
    "Klagesag" = "complaint"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import SheetError
from .match import norm, text_of

# Fields in the order of the mapping file; numbered point fields come after.
INQUIRY_FIELDS = ("id", "received", "kind", "status", "closed", "channel", "role")
POINT_FIELDS = ("department", "theme", "subtheme")
PERSONAL_FIELDS = ("title", "notes", "name", "phone", "email")
FIELDS = INQUIRY_FIELDS + POINT_FIELDS + PERSONAL_FIELDS
REQUIRED = ("received", "department", "theme")
CODE_FIELDS = ("kind", "status", "role")
VALUE_FIELDS = CODE_FIELDS + ("channel",) + POINT_FIELDS
DEFAULT_FIELDS = ("kind", "status", "channel")
BUILTIN_DEFAULTS = {"kind": "inquiry"}

_NUMBERED_FIELD = re.compile(r"^(department|theme|subtheme)_(\d+)$")

# Folded headers (see match.norm) that name a field.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("sagsnr", "sagsnummer", "sag nr", "sagnr", "id", "case", "case no", "case number",
           "case id", "løbenr", "løbenummer", "nr", "journalnr", "j nr"),
    "received": ("modtaget", "dato", "modtagelsesdato", "received", "date", "dato modtaget",
                 "modtaget dato", "henvendelsesdato", "date received", "modtaget den"),
    "kind": ("type", "sagstype", "kind", "art", "henvendelsestype", "sagsart"),
    "status": ("status", "sagsstatus"),
    "closed": ("afsluttet", "lukket", "closed", "afslutningsdato", "dato afsluttet", "lukkedato",
               "afsluttet dato", "date closed", "afsluttet den"),
    "channel": ("kanal", "channel", "henvendelsesform", "henvendelseskanal"),
    "role": ("hovedsag følgesag", "rolle", "role", "hovedsag", "følgesag", "main follow up"),
    "department": ("afdeling", "department", "forvaltning", "område"),
    "theme": ("tema", "theme", "hovedtema"),
    "subtheme": ("emne", "undertema", "subtheme", "underemne"),
    "title": ("titel", "overskrift", "title"),
    "notes": ("noter", "bemærkninger", "notes", "note", "notat"),
    "name": ("navn", "borger", "name", "citizen", "borgers navn"),
    "phone": ("telefon", "tlf", "phone", "telefonnummer", "tlf nr"),
    "email": ("email", "e mail", "mail"),
}
_BY_HEADER = {h: f for f, hs in HEADERS.items() for h in hs}
_NUMBERED = re.compile(r"^(.*?)\s*(\d+)$")


def field_of_header(header: Any) -> str | None:
    """The field a header names: ``department``, or ``department_2`` for ``Afdeling 2``."""
    n = norm(text_of(header))
    if not n:
        return None
    if n in _BY_HEADER:
        return _BY_HEADER[n]
    m = _NUMBERED.match(n)
    if m and m.group(1) in _BY_HEADER and _BY_HEADER[m.group(1)] in POINT_FIELDS:
        base, number = _BY_HEADER[m.group(1)], int(m.group(2))
        return base if number <= 1 else f"{base}_{number}"
    return None


def is_field(name: str) -> bool:
    return name in FIELDS or bool(_NUMBERED_FIELD.match(name))


def point_field(name: str) -> tuple[str, int]:
    """``("department", 2)`` for ``department_2``; number 1 is the main (first) point."""
    m = _NUMBERED_FIELD.match(name)
    return (m.group(1), int(m.group(2))) if m else (name, 1)


def field_order(name: str) -> tuple[int, int, int]:
    base, n = point_field(name)
    return (n, FIELDS.index(base) if base in FIELDS else 99, 0)


@dataclass
class Mapping:
    """A mapping file's content; empty parts are filled by recognising the headers."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> header text
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # "" = any field
    header_row: int | None = None
    given: bool = False  # read from a file (else recognised)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_mapping(text: str) -> Mapping:
    """A mapping from the text of a mapping file; raises SheetError naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SheetError("map-toml", detail=str(e)) from None
    m = Mapping(given=True)
    hr = data.get("header_row")
    if hr is not None:
        if not isinstance(hr, int) or isinstance(hr, bool) or hr < 1:
            raise SheetError("map-entry", name="header_row")
        m.header_row = hr
    for key in data:
        if key not in ("header_row", "columns", "defaults", "values"):
            raise SheetError("map-unknown", name=key)
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise SheetError("map-entry", name="columns")
    for f, header in columns.items():
        if not is_field(f):
            raise SheetError("map-field", name=f, fields=", ".join(FIELDS))
        if not isinstance(header, str) or not header.strip():
            raise SheetError("map-entry", name=f"columns.{f}")
        m.columns[f] = header
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SheetError("map-entry", name="defaults")
    for f, v in defaults.items():
        if f not in DEFAULT_FIELDS or not isinstance(v, str):
            raise SheetError("map-entry", name=f"defaults.{f}")
        m.defaults[f] = v
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise SheetError("map-entry", name="values")
    for k, v in values.items():
        if isinstance(v, dict):
            if k not in VALUE_FIELDS:
                raise SheetError("map-field", name=f"values.{k}", fields=", ".join(VALUE_FIELDS))
            for written, meaning in v.items():
                if not isinstance(meaning, str):
                    raise SheetError("map-entry", name=f"values.{k}.{written}")
                m.values.setdefault(k, {})[written] = meaning
        elif isinstance(v, str):
            m.values.setdefault("", {})[k] = v
        else:
            raise SheetError("map-entry", name=f"values.{k}")
    return m


def load_mapping(path: Path | str) -> Mapping:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SheetError("map-missing", path=str(path)) from None
    except OSError as e:
        raise SheetError("unreadable", detail=e.strerror or str(e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError("map-toml", detail="not UTF-8") from None
    return parse_mapping(text)


# ---------------------------------------------------------------------------
# Columns of one sheet


@dataclass
class Columns:
    """The header row found and the column index of each field."""

    header_row: int  # spreadsheet row number; 0 when none was found
    index: dict[str, int]  # field -> 0-based column
    headers: list[str]  # the header row's texts
    unused: list[str]  # headers that hold no field
    missing: list[str]  # fields of the mapping file whose header is not in the row

    def header(self, f: str) -> str:
        i = self.index.get(f)
        return self.headers[i] if i is not None and i < len(self.headers) else f

    def point_numbers(self) -> list[int]:
        return sorted({point_field(f)[1] for f in self.index if point_field(f)[0] in POINT_FIELDS}
                      | {1})


def _recognise(headers: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        f = field_of_header(h)
        if f is not None and f not in index:
            index[f] = i
    return index


def _mapped(headers: list[str], columns: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    folded = [_fold(h) for h in headers]
    index, missing = {}, []
    for f, header in columns.items():
        key = _fold(header)
        if key in folded:
            index[f] = folded.index(key)
        else:
            missing.append(f)
    return index, missing


def find_columns(rows, mapping: Mapping, scan: int = 15) -> Columns:
    """The header row (the first of the first rows that names at least two fields) and columns."""
    candidates = [r for r in rows[: scan * 2] if not r.is_empty()][:scan]
    if mapping.header_row is not None:
        candidates = [r for r in rows if r.number == mapping.header_row]
        if not candidates:
            raise SheetError("no-header-row", row=mapping.header_row)
    best = None
    for r in candidates:
        headers = [text_of(c) for c in r.cells]
        if mapping.columns:
            index, missing = _mapped(headers, mapping.columns)
        else:
            index, missing = _recognise(headers), []
        score = len(index)
        if best is None or score > best[0] or mapping.header_row is not None:
            best = (score, r.number, headers, index, missing)
        if score >= 2 and mapping.header_row is None:
            break
    if best is None:
        return Columns(0, {}, [], [], list(mapping.columns))
    _, number, headers, index, missing = best
    used = set(index.values())
    unused = [h for i, h in enumerate(headers) if h and i not in used]
    return Columns(number, index, headers, unused, missing)


# ---------------------------------------------------------------------------
# Writing a mapping file


def _q(s: str) -> str:
    import tomli_w

    return tomli_w.dumps({"x": s})[4:-1]


def _k(s: str) -> str:
    import tomli_w

    return tomli_w.dumps({s: 0})[:-5]


def _rows_text(rows: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" (+{len(rows) - limit})" if len(rows) > limit else "")


def mapping_to_toml(columns: Columns, mapping: Mapping, source: str,
                    seen: dict[tuple[str, str], tuple[str | None, list[int]]]) -> str:
    """The mapping in use as a file to edit and pass back with ``--map``.

    ``seen`` holds, per ``(field, written value)``, what it was read as (None
    when not understood) and its rows: values read loosely and values not
    understood are written out (the latter commented) for the person to check.
    """
    out = [
        f"# caselog import mapping for {source}",
        "# Edit and pass back with: caselog import FOLDER FILE --map THIS_FILE",
        "# Fields: " + ", ".join(FIELDS) + ";",
        "#   department_2, theme_2, subtheme_2, ... = the follow-up issues of a one-row-per-inquiry sheet.",
        f"header_row = {columns.header_row or 1}",
        "",
        "[columns]                         # field = \"header in the spreadsheet\"",
    ]
    for f in sorted(columns.index, key=field_order):
        out.append(f"{_k(f)} = {_q(columns.header(f))}")
    for f in columns.missing:
        out.append(f"{_k(f)} = {_q(mapping.columns[f])}   # not found in row {columns.header_row}")
    for f in REQUIRED:
        if f not in columns.index and f not in columns.missing:
            out.append(f"# {f} = \"\"   # required: the header of this column")
    for h in columns.unused:
        out.append(f"# not used: {_q(h)}")
    out += ["", "[defaults]                        # when the column is missing or the cell empty"]
    defaults = {**BUILTIN_DEFAULTS, **mapping.defaults}
    for f in DEFAULT_FIELDS:
        if f in defaults:
            out.append(f"{f} = {_q(defaults[f])}")
        elif f == "status":
            out.append("# status = \"closed\"   # default: closed when a closed date is given, else open")
        else:
            out.append(f"# {f} = \"\"")
    out += ["", "[values]                          # \"written\" = \"meaning\", in any column"]
    for written, meaning in mapping.values.get("", {}).items():
        out.append(f"{_q(written)} = {_q(meaning)}")
    for f in VALUE_FIELDS:
        explicit = mapping.values.get(f, {})
        lines = [f"{_q(w)} = {_q(v)}" for w, v in explicit.items()]
        known = {_fold(w) for w in explicit} | {_fold(w) for w in mapping.values.get("", {})}
        for (ff, written), (meaning, rows) in sorted(seen.items(), key=lambda kv: kv[1][1][:1]):
            if ff != f or _fold(written) in known:
                continue
            if meaning is None:
                lines.append(f"# {_q(written)} = \"\"   # not understood, rows {_rows_text(rows)}")
            elif meaning != written:
                lines.append(f"{_q(written)} = {_q(meaning)}   # rows {_rows_text(rows)}")
        if lines:
            out += ["", f"[values.{f}]", *lines]
    return "\n".join(out) + "\n"
