"""Settings and taxonomy of a data folder (``caselog.toml``).

The order of departments and themes here is the order of rows and columns in
every table. The default is the taxonomy of the citizens' advisor's 2024/25
report (Tabel 1-4).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, toml_error_detail, toml_error_position

SETTINGS_FILE = "caselog.toml"
FORMAT_VERSION = 1
LANGUAGES = ("da", "en")


@dataclass(frozen=True)
class Department:
    name: str
    short: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def label_short(self) -> str:
        return self.short or self.name


@dataclass(frozen=True)
class Theme:
    name: str
    subthemes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything ``caselog.toml`` holds."""

    departments: tuple[Department, ...]
    themes: tuple[Theme, ...]
    channels: tuple[str, ...]
    appeal_boards: tuple[str, ...]
    remark_themes: tuple[str, ...]
    period_start: tuple[int, int] = (4, 1)
    language: str = "da"
    format: int = FORMAT_VERSION
    # Look-ups built from the fields; init=False so that dataclasses.replace
    # builds new ones instead of sharing (and merging into) the old ones.
    _dept_index: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)
    _theme_index: dict[str, Theme] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    # name as written -> canonical name: department_name runs once per issue
    # when the tables are counted (100,000s of times), the folding once per name.
    _dept_names: dict[str, str] = field(default_factory=dict, init=False, compare=False,
                                        repr=False)
    _short_names: dict[str, str] = field(default_factory=dict, init=False, compare=False,
                                         repr=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for d in self.departments:
            index.setdefault(_fold(d.name), d.name)
        for d in self.departments:
            for alias in d.aliases:
                index.setdefault(_fold(alias), d.name)
        self._dept_index.update(index)
        self._theme_index.update({t.name: t for t in self.themes})

    # -- look-ups ----------------------------------------------------------
    def department_name(self, name: str) -> str:
        """The canonical name of a department, following aliases.

        A name that is not in the taxonomy is returned as it is: it is
        counted under that name (and reported as a warning when loading).
        """
        known = self._dept_names.get(name)
        if known is None:
            known = self._dept_names[name] = self._dept_index.get(_fold(name), name)
        return known

    def knows_department(self, name: str) -> bool:
        return _fold(name) in self._dept_index

    def department(self, name: str) -> Department | None:
        canonical = self.department_name(name)
        for d in self.departments:
            if d.name == canonical:
                return d
        return None

    def short_name(self, name: str) -> str:
        known = self._short_names.get(name)
        if known is None:
            d = self.department(name)
            known = self._short_names[name] = d.label_short if d else name
        return known

    def theme(self, name: str) -> Theme | None:
        return self._theme_index.get(name)

    @property
    def department_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.departments)

    @property
    def period_start_text(self) -> str:
        return f"{self.period_start[0]:02d}-{self.period_start[1]:02d}"


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


DEFAULT_DEPARTMENTS = (
    Department(
        "Borger, Arbejdsmarked & Erhverv",
        "BAE",
        ("Borger & Arbejdsmarked", "Borger, Arb.marked & Erhverv"),
    ),
    Department("Børn & Familie", "B&F"),
    Department("Dagtilbud & Skole", "D&S"),
    Department("Kultur, Fritid & Ejendomme", "KFE"),
    Department("Miljø & Teknik", "M&T"),
    Department("Ældre, Sundhed & Social", "ÆSS"),
    Department("Økonomi & Stab", "Ø&S"),
    Department("Øvrige", "Øvr.", ("Øvr.",)),
)

DEFAULT_THEMES = (
    Theme("Andet", ("Anden offentligretlig lovgivning", "Privatretlige spørgsmål")),
    Theme(
        "GDPR",
        ("Behandlingssikkerhed", "Berigtigelse, sletning eller blokering", "Databehandlingsskik"),
    ),
    Theme(
        "Forvaltningsloven",
        (
            "Begrundelse",
            "Klagevejledning",
            "Partsaktindsigt",
            "Partshøring",
            "Repræsentation",
            "Vejledning",
        ),
    ),
    Theme(
        "Forvaltningsskik",
        (
            "Betjening af borgerne",
            "Enkelhed og effektivitet",
            "Inddragelse",
            "Koordineret indsats",
            "Opfølgning",
            "Orientering om sagens gang eller status",
            "Sagsbehandlingstid og manglende svar",
            "Sprogbrug, klarhed, præcision m.v.",
            "Venlig og hensynsfuld optræden",
            "Åbenhed og tillid",
        ),
    ),
    Theme("Hjemmelsspørgsmål", ("Afgørelser", "Andre materielle spm")),
    Theme("Offentlighedsloven", ("Notatpligt",)),
    Theme("Opgavevaretagelse", ("Generelle serviceniveau", "Konkret serviceniveau")),
    Theme("Retsgrundsætninger", ("Sagsoplysning og oplysningsskridt",)),
)

DEFAULT_CHANNELS = ("Telefon", "Mail", "Personligt møde", "Brev", "Digital post")
DEFAULT_BOARDS = ("Ankestyrelsen", "Klagenævnet for Specialundervisning")
DEFAULT_REMARKS = (
    "Utilstrækkelig begrundelse",
    "Utilstrækkelig sagsoplysning",
    "Sagsbehandlingstid",
)


def default_settings(language: str = "da") -> Settings:
    return Settings(
        departments=DEFAULT_DEPARTMENTS,
        themes=DEFAULT_THEMES,
        channels=DEFAULT_CHANNELS,
        appeal_boards=DEFAULT_BOARDS,
        remark_themes=DEFAULT_REMARKS,
        language=language,
    )


def _q(s: str) -> str:
    import tomli_w

    return tomli_w.dumps({"x": s})[4:-1]


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def settings_to_toml(s: Settings) -> str:
    """``caselog.toml`` text for these settings, laid out for a person to edit."""
    out = [
        "# caselog settings and taxonomy (format 1).",
        "# The order of departments and themes is the order of rows and columns in every table.",
        "# To rename a department, change its name and add the old name to its aliases.",
        f"format = {s.format}",
        f"language = {_q(s.language)}            # da | en",
        f"period_start = {_q(s.period_start_text)}      # month-day the reporting period starts",
        "",
        f"channels = {_list(s.channels)}",
        f"appeal_boards = {_list(s.appeal_boards)}",
        f"remark_themes = {_list(s.remark_themes)}",
    ]
    for d in s.departments:
        out += ["", "[[departments]]", f"name = {_q(d.name)}"]
        if d.short:
            out.append(f"short = {_q(d.short)}")
        if d.aliases:
            out.append(f"aliases = {_list(d.aliases)}")
    for t in s.themes:
        out += ["", "[[themes]]", f"name = {_q(t.name)}"]
        if t.subthemes:
            out.append("subthemes = [")
            out += [f"    {_q(x)}," for x in t.subthemes]
            out.append("]")
    return "\n".join(out) + "\n"


class SettingsError(Exception):
    """``caselog.toml`` cannot be used; ``problem`` says where and why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message())
        self.problem = problem


_PERIOD_START = re.compile(r"^(\d\d)-(\d\d)$")


def _str_list(data: dict, key: str, default: tuple[str, ...], path: str, text: str) -> tuple:
    value = data.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(
            Problem.at_key(path, text, key, "error", "settings-type", key=key, expected="list")
        )
    return tuple(value)


def parse_settings(text: str, path: str = SETTINGS_FILE) -> Settings:
    """Settings from the text of ``caselog.toml``; raises SettingsError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, col = toml_error_position(e)
        raise SettingsError(
            Problem(path, line, col, "error", "not-toml", {"detail": toml_error_detail(e)})
        ) from None
    fmt = data.get("format", FORMAT_VERSION)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt > FORMAT_VERSION or fmt < 1:
        raise SettingsError(Problem.at_key(path, text, "format", "error", "settings-format"))
    language = data.get("language", "da")
    if language not in LANGUAGES:
        raise SettingsError(
            Problem.at_key(path, text, "language", "error", "settings-language", value=language)
        )
    ps = data.get("period_start", "04-01")
    m = _PERIOD_START.match(ps) if isinstance(ps, str) else None
    try:
        if not m:
            raise ValueError
        month, day = int(m.group(1)), int(m.group(2))
        __import__("datetime").date(2001, month, day)  # a valid month-day of a common year
    except ValueError:
        raise SettingsError(
            Problem.at_key(path, text, "period_start", "error", "settings-period", value=str(ps))
        ) from None

    departments = []
    raw_depts = data.get("departments")
    if raw_depts is None:
        departments = list(DEFAULT_DEPARTMENTS)
    elif not isinstance(raw_depts, list) or not all(isinstance(d, dict) for d in raw_depts):
        raise SettingsError(
            Problem.at_key(path, text, "departments", "error", "settings-tables", key="departments")
        )
    else:
        for i, d in enumerate(raw_depts):
            name, short, aliases = d.get("name"), d.get("short", ""), d.get("aliases", [])
            if not isinstance(name, str) or not name.strip():
                raise SettingsError(
                    Problem.at_key(
                        path, text, "name", "error", "settings-entry",
                        table=("departments", i), key="departments", n=i + 1,
                    )
                )
            if not isinstance(short, str) or not (
                isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)
            ):
                raise SettingsError(
                    Problem.at_key(
                        path, text, "aliases", "error", "settings-entry",
                        table=("departments", i), key="departments", n=i + 1,
                    )
                )
            departments.append(Department(name, short, tuple(aliases)))

    themes = []
    raw_themes = data.get("themes")
    if raw_themes is None:
        themes = list(DEFAULT_THEMES)
    elif not isinstance(raw_themes, list) or not all(isinstance(t, dict) for t in raw_themes):
        raise SettingsError(
            Problem.at_key(path, text, "themes", "error", "settings-tables", key="themes")
        )
    else:
        for i, t in enumerate(raw_themes):
            name, subs = t.get("name"), t.get("subthemes", [])
            if (
                not isinstance(name, str)
                or not name.strip()
                or not isinstance(subs, list)
                or not all(isinstance(x, str) for x in subs)
            ):
                raise SettingsError(
                    Problem.at_key(
                        path, text, "name", "error", "settings-entry",
                        table=("themes", i), key="themes", n=i + 1,
                    )
                )
            themes.append(Theme(name, tuple(subs)))

    return Settings(
        departments=tuple(departments),
        themes=tuple(themes),
        channels=_str_list(data, "channels", DEFAULT_CHANNELS, path, text),
        appeal_boards=_str_list(data, "appeal_boards", DEFAULT_BOARDS, path, text),
        remark_themes=_str_list(data, "remark_themes", DEFAULT_REMARKS, path, text),
        period_start=(month, day),
        language=language,
        format=fmt,
    )


def load_settings(folder: Path) -> Settings:
    """Read ``caselog.toml`` of a folder; raises SettingsError naming the line."""
    p = Path(folder) / SETTINGS_FILE
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SettingsError(Problem(SETTINGS_FILE, None, None, "error", "settings-missing")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SettingsError(Problem(SETTINGS_FILE, line, None, "error", "not-utf8")) from None
    return parse_settings(text, SETTINGS_FILE)
