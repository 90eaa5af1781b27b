"""Problems found while reading a data folder, with where and why.

A problem names the file (relative to the folder), the line and column where
they are known, a severity, and a message code with its parameters. The text
comes from a small catalogue per language, so ``caselog check`` and the
problems screen say the same in Danish or English.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "not-toml": "not valid TOML: {detail}",
        "not-utf8": "not UTF-8 text (save the file as UTF-8)",
        "empty": "the file is empty",
        "too-large": "the file is {size} bytes; a record file is at most {limit} bytes",
        "unreadable": "cannot be read: {detail}",
        "symlink": "a symbolic link; caselog does not follow links",
        "missing-key": "missing required key '{key}'",
        "wrong-type": "'{key}' must be {expected}, not {actual}",
        "unknown-code": "'{key}' is '{value}'; it must be one of {allowed}",
        "closed-before-received": "closed ({closed}) is before received ({received})",
        "closed-without-status": "'closed' is set but status is 'open'",
        "closed-missing": "status is 'closed' but there is no 'closed' date",
        "id-mismatch": "id '{id}' does not match the file name '{stem}'",
        "bad-id": "id '{id}' is not of the form YYYY-MM-DD-xxxx",
        "duplicate-id": "id '{id}' is used by {other} too; this file is not counted",
        "subtheme-missing": "{where}: theme '{theme}' needs a subtheme",
        "subtheme-not-in-theme": "{where}: subtheme '{subtheme}' does not belong to theme '{theme}'",
        "subtheme-unexpected": "{where}: theme '{theme}' has no subthemes, but subtheme is '{subtheme}'",
        "unknown-department": "{where}: department '{value}' is not in caselog.toml (counted under that name)",
        "unknown-theme": "{where}: theme '{value}' is not in caselog.toml (counted under that name)",
        "unknown-channel": "channel '{value}' is not in caselog.toml",
        "unknown-board": "board '{value}' is not in caselog.toml",
        "unknown-remark": "remark '{value}' is not in caselog.toml (counted under that name)",
        "remarks-without-outcome": "remarks are given but the outcome is '{outcome}'",
        "remarks-missing": "the outcome is 'remarks' but no remark is given",
        "wrong-folder": "lies outside its folder; expected {expected}",
        "world-readable": "others can read this file (mode {mode}); it may hold personal data",
        "world-readable-files": "others can read {count} record files (mode {modes}; {first} and more); they may hold personal data. Make them private with: {fix}",
        "cpr": "{where} looks like it holds a CPR number",
        "settings-missing": "caselog.toml is missing: this is not a caselog folder (caselog init FOLDER)",
        "settings-format": "'format' must be 1; this file was written by a newer caselog",
        "settings-language": "'language' is '{value}'; it must be 'da' or 'en'",
        "settings-period": "'period_start' is '{value}'; it must be a month-day such as \"04-01\"",
        "settings-type": "'{key}' must be a list of text",
        "settings-tables": "'{key}' must be tables: [[{key}]] with name = \"...\"",
        "settings-entry": "[[{key}]] number {n} needs a name (and lists of text)",
        "conflict-copy": "a conflict copy of {original}: choose which version to keep",
        "conflict-marker": "git conflict markers: two versions were merged; choose one and remove the markers",
        "main": "main issue",
        "follow_up": "follow-up issue {n}",
        "department": "department",
        "field.title": "the title",
        "field.notes": "the notes",
        "field.result": "the result",
        "field.citizen.name": "the citizen's name",
        "field.citizen.phone": "the citizen's phone",
        "field.citizen.email": "the citizen's e-mail",
    },
    "da": {
        "not-toml": "ikke gyldig TOML: {detail}",
        "not-utf8": "ikke UTF-8-tekst (gem filen som UTF-8)",
        "empty": "filen er tom",
        "too-large": "filen fylder {size} byte; en registrering må højst fylde {limit} byte",
        "unreadable": "kan ikke læses: {detail}",
        "symlink": "et symbolsk link; caselog følger ikke links",
        "missing-key": "mangler feltet '{key}'",
        "wrong-type": "'{key}' skal være {expected}, ikke {actual}",
        "unknown-code": "'{key}' er '{value}'; den skal være en af {allowed}",
        "closed-before-received": "lukket ({closed}) er før modtaget ({received})",
        "closed-without-status": "'closed' er udfyldt, men status er 'open'",
        "closed-missing": "status er 'closed', men der er ingen lukkedato ('closed')",
        "id-mismatch": "id '{id}' passer ikke med filnavnet '{stem}'",
        "bad-id": "id '{id}' har ikke formen ÅÅÅÅ-MM-DD-xxxx",
        "duplicate-id": "id '{id}' bruges også af {other}; denne fil tælles ikke med",
        "subtheme-missing": "{where}: temaet '{theme}' kræver et undertema",
        "subtheme-not-in-theme": "{where}: undertemaet '{subtheme}' hører ikke til temaet '{theme}'",
        "subtheme-unexpected": "{where}: temaet '{theme}' har ingen undertemaer, men undertema er '{subtheme}'",
        "unknown-department": "{where}: afdelingen '{value}' findes ikke i caselog.toml (tælles under det navn)",
        "unknown-theme": "{where}: temaet '{value}' findes ikke i caselog.toml (tælles under det navn)",
        "unknown-channel": "kanalen '{value}' findes ikke i caselog.toml",
        "unknown-board": "klageinstansen '{value}' findes ikke i caselog.toml",
        "unknown-remark": "bemærkningen '{value}' findes ikke i caselog.toml (tælles under det navn)",
        "remarks-without-outcome": "der er bemærkninger, men udfaldet er '{outcome}'",
        "remarks-missing": "udfaldet er 'remarks', men der er ingen bemærkninger",
        "wrong-folder": "ligger uden for sin mappe; forventet {expected}",
        "world-readable": "andre kan læse filen (rettigheder {mode}); den kan indeholde personoplysninger",
        "world-readable-files": "andre kan læse {count} registreringsfiler (rettigheder {modes}; {first} og flere); de kan indeholde personoplysninger. Gør dem private med: {fix}",
        "cpr": "{where} ser ud til at indeholde et CPR-nummer",
        "settings-missing": "caselog.toml mangler: det er ikke en caselog-mappe (caselog init MAPPE)",
        "settings-format": "'format' skal være 1; filen er skrevet af en nyere caselog",
        "settings-language": "'language' er '{value}'; det skal være 'da' eller 'en'",
        "settings-period": "'period_start' er '{value}'; det skal være måned-dag som \"04-01\"",
        "settings-type": "'{key}' skal være en liste af tekster",
        "settings-tables": "'{key}' skal være tabeller: [[{key}]] med name = \"...\"",
        "settings-entry": "[[{key}]] nummer {n} skal have et navn (og lister af tekst)",
        "conflict-copy": "en konfliktkopi af {original}: vælg hvilken version der skal gælde",
        "conflict-marker": "git-konfliktmarkeringer: to versioner er flettet; vælg én og fjern markeringerne",
        "main": "hovedsag",
        "follow_up": "følgesag {n}",
        "department": "afdeling",
        "field.title": "titlen",
        "field.notes": "noterne",
        "field.result": "resultatet",
        "field.citizen.name": "borgerens navn",
        "field.citizen.phone": "borgerens telefon",
        "field.citizen.email": "borgerens e-mail",
    },
}

TYPE_NAMES = {
    "en": {
        "date": "a date (2024-04-03, without quotes)",
        "text": "text in quotes",
        "list": "a list",
        "table": "a table",
        "list of tables": "a list of tables ([[follow_up]])",
        "list of text": "a list of text",
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "dict": "a table",
        "datetime": "a date and time",
        "time": "a time",
    },
    "da": {
        "date": "en dato (2024-04-03, uden anførselstegn)",
        "text": "tekst i anførselstegn",
        "list": "en liste",
        "table": "en tabel",
        "list of tables": "en liste af tabeller ([[follow_up]])",
        "list of text": "en liste af tekster",
        "str": "tekst",
        "int": "et tal",
        "float": "et tal",
        "bool": "true/false",
        "dict": "en tabel",
        "datetime": "en dato med klokkeslæt",
        "time": "et klokkeslæt",
    },
}


def type_name(value: Any) -> str:
    return type(value).__name__


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: str
    line: int | None
    col: int | None
    severity: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    __hash__ = None  # type: ignore[assignment]

    def message(self, language: str = "en") -> str:
        catalogue = MESSAGES.get(language, MESSAGES["en"])
        types = TYPE_NAMES.get(language, TYPE_NAMES["en"])
        params = {}
        for k, v in self.params.items():
            if k in ("expected", "actual") and isinstance(v, str):
                v = types.get(v, v)
            elif k == "where":
                v = _where(v, catalogue)
            params[k] = v
        template = catalogue.get(self.code, self.code)
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return f"{template} {params}"

    def format(self, language: str = "en") -> str:
        """``path:line:col: severity: message`` as ``caselog check`` prints it
        (``.: severity: message`` for the folder as a whole)."""
        if self.path == FOLDER:
            return f"{self.path}: {self.severity}: {self.message(language)}"
        line = self.line if self.line is not None else 1
        col = self.col if self.col is not None else 1
        return f"{self.path}:{line}:{col}: {self.severity}: {self.message(language)}"

    @classmethod
    def at_key(
        cls,
        path: str,
        text: str,
        key: str,
        severity: str,
        code: str,
        /,
        table: tuple[str, int] | str | None = None,
        **params: Any,
    ) -> Problem:
        line, col = locate_key(text, key, table)
        return cls(path, line, col, severity, code, params)


FOLDER = "."  # the path of a problem of the folder as a whole
READABLE = "world-readable"  # the code of one file's permission warning
READABLE_LISTED = 3  # at most this many readable files are each named; more are one warning
READABLE_FILES = "world-readable-files"  # the code of the one warning for them all


def collapse_readable(problems: list[Problem], fix: str, limit: int = READABLE_LISTED) -> list[Problem]:
    """The problems as a person should read them: when more than ``limit`` record
    files are readable by others (a ``git clone`` leaves every file so), one
    warning for the folder with their number, their modes and ``fix`` (the
    command that makes them private) instead of one per file; a few unexpected
    ones stay named each. Everything else is left as it is, in its order."""
    readable = [p for p in problems if p.code == READABLE]
    if len(readable) <= limit:
        return problems
    modes = {str(p.params.get("mode", "?")) for p in readable}
    first = min(p.path for p in readable)
    out = [p for p in problems if p.code != READABLE]
    return [readable_files(len(readable), modes, first, fix), *out]


def shown_count(total: int, readable: int, limit: int = READABLE_LISTED) -> int:
    """How many lines ``collapse_readable`` makes of ``total`` problems of which
    ``readable`` are files others can read."""
    return total if readable <= limit else total - readable + 1


def readable_files(count: int, modes: set[str], first: str, fix: str) -> Problem:
    """The one warning for the folder that stands for ``count`` files others can read."""
    return Problem(FOLDER, None, None, WARNING, READABLE_FILES,
                   {"count": count, "modes": ", ".join(sorted(modes)), "first": first, "fix": fix})


def _where(where: Any, catalogue: dict[str, str]) -> str:
    if where in ("main", "department"):
        return catalogue[where]
    if isinstance(where, str) and f"field.{where}" in catalogue:
        return catalogue[f"field.{where}"]
    if isinstance(where, (list, tuple)) and where and where[0] == "follow_up":
        return catalogue["follow_up"].format(n=where[1] + 1)
    return str(where)


_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error_position(e: tomllib.TOMLDecodeError) -> tuple[int | None, int | None]:
    line = getattr(e, "lineno", None)
    col = getattr(e, "colno", None)
    if line is not None:
        return line, col
    m = _POS.search(str(e))
    if m:
        return int(m.group(1)), int(m.group(2))
    return None, None


def toml_error_detail(e: tomllib.TOMLDecodeError) -> str:
    msg = getattr(e, "msg", None) or str(e)
    return _POS.sub("", msg).strip()


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def locate_key(
    text: str, key: str, table: tuple[str, int] | str | None = None
) -> tuple[int | None, int | None]:
    """The line and column where ``key`` is set, in the top level or a table.

    ``table`` is None for the top level, a name for ``[name]``, or
    ``(name, i)`` for the i-th ``[[name]]``. Returns (None, None) if the key
    is not written in the file (it is missing), or the table's header line.
    """
    current: tuple[str, int] | str | None = None
    counts: dict[str, int] = {}
    header_line: int | None = None
    key_re = re.compile(r'^(\s*)(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*=")
    # TOML lines end at "\n" only; splitlines() would also split at \x85, \u2028, ...
    lines = text.split("\n")
    for n, (line, outside) in enumerate(zip(lines, _line_starts(text), strict=True), start=1):
        if not outside:  # it continues a multi-line string or a value
            continue
        m = _HEADER.match(line)
        if m and "=" not in line.split("]")[0]:
            name = m.group(2).strip().strip('"')
            if m.group(1) == "[[":
                i = counts.get(name, 0)
                counts[name] = i + 1
                current = (name, i)
            else:
                current = name
            if current == table:
                header_line = n
            continue
        if current == table:
            km = key_re.match(line)
            if km:
                return n, len(km.group(1)) + 1
    return header_line, (1 if header_line else None)


_OUTSIDE = re.compile(r"[\n\"'#\[\]{}]")  # what matters between values
_IN_BASIC = re.compile(r'[\\"\n]')
_IN_LITERAL = re.compile(r"['\n]")
_IN_BASIC_ML = re.compile(r'\\|"""|\n')
_IN_LITERAL_ML = re.compile(r"'''|\n")


def _line_starts(text: str) -> list[bool]:
    """For each line (split at "\n"): does it begin outside any string, array or inline table?

    Only such lines can hold a table header or a key; the others continue a
    multi-line string or a value. Quotes inside strings and comments are skipped.
    (The text is looked at only where a character matters: a regular expression
    finds the next one, the rest is skipped at C speed.)
    """
    starts = [True]
    append = starts.append
    quote: str | None = None  # the delimiter of the open multi-line string
    depth = 0  # open [ and { of a value
    i, n = 0, len(text)
    while i < n:
        if quote is not None:
            m = (_IN_BASIC_ML if quote == '"""' else _IN_LITERAL_ML).search(text, i)
            if m is None:
                break
            i = m.start()
            c = text[i]
            if c == "\n":
                append(False)
                i += 1
            elif c == "\\":  # (in a basic one) an escape, or a backslash before a new line
                i += 1 if text.startswith("\n", i + 1) else 2
            else:  # the closing quotes, with up to 2 quotes before them that are content
                run = text[i:i + 5]
                i += len(run) - len(run.lstrip(quote[0]))
                quote = None
            continue
        m = _OUTSIDE.search(text, i)
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c == "\n":
            append(depth == 0)
            i += 1
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote, i = text[i:i + 3], i + 3
        elif c == '"' or c == "'":
            i += 1
            inside = _IN_BASIC if c == '"' else _IN_LITERAL
            while True:
                m = inside.search(text, i)
                if m is None:
                    i = n
                    break
                i = m.start()
                ch = text[i]
                if ch == "\n":  # a string ends at its line's end
                    break
                if ch == "\\":
                    i += 1 if text.startswith("\n", i + 1) else 2
                    continue
                i += 1  # its closing quote
                break
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c == "[" or c == "{":
            depth += 1
            i += 1
        else:
            depth = max(depth - 1, 0)
            i += 1
    return starts
