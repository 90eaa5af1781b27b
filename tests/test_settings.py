"""caselog.toml: the default round trips, a broken file names its line."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.domain.taxonomy import (
    SETTINGS_FILE,
    Department,
    Settings,
    SettingsError,
    Theme,
    default_settings,
    load_settings,
    parse_settings,
    settings_to_toml,
)


@pytest.mark.parametrize("language", ["da", "en"])
def test_default_settings_round_trip(language):
    s = default_settings(language)
    text = settings_to_toml(s)
    back = parse_settings(text)
    assert back == s
    assert settings_to_toml(back) == text
    assert back.knows_department("Borger & Arbejdsmarked")
    assert back.theme("Forvaltningsskik").subthemes == s.theme("Forvaltningsskik").subthemes


def test_the_default_taxonomy_is_the_reports():
    s = default_settings()
    assert len(s.departments) == 8 and len(s.themes) == 8
    assert s.department_names[0] == "Borger, Arbejdsmarked & Erhverv"
    assert s.department_names[-1] == "Øvrige"
    assert s.period_start == (4, 1) and s.period_start_text == "04-01"


def test_other_settings_round_trip():
    s = Settings(
        departments=(Department('Sær "navn" \\ her', "", ("gammelt",)), Department("B", "b")),
        themes=(Theme("T", ()), Theme("U", ("u1", "u2"))),
        channels=(), appeal_boards=("X",), remark_themes=("r",),
        period_start=(1, 1), language="en",
    )
    assert parse_settings(settings_to_toml(s)) == s


def test_replace_does_not_share_the_look_up_tables():
    s = default_settings()
    renamed = dataclasses.replace(s, departments=(Department("Ny", "N", ("Gammel",)),))
    assert renamed.knows_department("Gammel")
    assert renamed.department_name("Gammel") == "Ny"
    assert not renamed.knows_department("Børn & Familie")
    assert renamed.department_name("Borger & Arbejdsmarked") == "Borger & Arbejdsmarked"
    assert not s.knows_department("Gammel")
    assert s.knows_department("Børn & Familie")
    fewer = dataclasses.replace(s, themes=(Theme("Kun"),))
    assert fewer.theme("Andet") is None and s.theme("Andet") is not None


MINIMAL = """\
format = 1
language = "da"
period_start = "04-01"
channels = ["Telefon"]

[[departments]]
name = "A"

[[themes]]
name = "T"
"""


def broken(text: str) -> SettingsError:
    with pytest.raises(SettingsError) as e:
        parse_settings(text)
    return e.value


def where(e: SettingsError) -> tuple:
    p = e.problem
    return (p.path, p.line, p.severity, p.code)


def test_minimal_settings_parse():
    s = parse_settings(MINIMAL)
    assert s.department_names == ("A",) and s.channels == ("Telefon",)


def test_syntax_error_names_its_line():
    e = broken(MINIMAL.replace('name = "T"', 'name = "T'))
    assert where(e) == (SETTINGS_FILE, 10, "error", "not-toml")
    assert "(at line" not in e.problem.message("en")
    assert str(e).startswith("not valid TOML")


def test_unknown_language():
    e = broken(MINIMAL.replace('language = "da"', 'language = "fr"'))
    assert where(e) == (SETTINGS_FILE, 2, "error", "settings-language")
    assert "'fr'" in e.problem.message("en")


@pytest.mark.parametrize("value", ['"13-01"', '"02-30"', '"4-1"', "401", '"02-29"'])
def test_bad_period_start(value):
    e = broken(MINIMAL.replace('period_start = "04-01"', f"period_start = {value}"))
    assert where(e) == (SETTINGS_FILE, 3, "error", "settings-period")


def test_departments_not_tables():
    e = broken(MINIMAL.replace('[[departments]]\nname = "A"\n', "").replace(
        'channels = ["Telefon"]', 'channels = ["Telefon"]\ndepartments = ["A", "B"]'))
    assert where(e) == (SETTINGS_FILE, 5, "error", "settings-tables")
    assert "[[departments]]" in e.problem.message("en")


def test_themes_not_tables():
    e = broken('themes = "T"\n')
    assert where(e) == (SETTINGS_FILE, 1, "error", "settings-tables")


def test_a_department_without_a_name():
    e = broken(MINIMAL.replace('name = "A"', 'short = "A"'))
    assert where(e) == (SETTINGS_FILE, 6, "error", "settings-entry")
    assert e.problem.params["n"] == 1


def test_a_theme_with_bad_subthemes():
    e = broken(MINIMAL + "subthemes = [1, 2]\n")
    assert where(e) == (SETTINGS_FILE, 10, "error", "settings-entry")


def test_aliases_not_a_list():
    e = broken(MINIMAL.replace('name = "A"', 'name = "A"\naliases = "B"'))
    assert where(e) == (SETTINGS_FILE, 8, "error", "settings-entry")


def test_channels_not_a_list_of_text():
    e = broken(MINIMAL.replace('channels = ["Telefon"]', "channels = [1]"))
    assert where(e) == (SETTINGS_FILE, 4, "error", "settings-type")
    assert "channels" in e.problem.message("en")


@pytest.mark.parametrize("value", ["2", "0", "true", '"1"'])
def test_bad_format(value):
    e = broken(MINIMAL.replace("format = 1", f"format = {value}"))
    assert where(e) == (SETTINGS_FILE, 1, "error", "settings-format")


def test_load_settings_from_a_folder(tmp_path):
    with pytest.raises(SettingsError) as e:
        load_settings(tmp_path)
    assert e.value.problem.code == "settings-missing"
    (tmp_path / SETTINGS_FILE).write_bytes(b'format = 1\nlanguage = "\xff"\n')
    with pytest.raises(SettingsError) as e:
        load_settings(tmp_path)
    assert (e.value.problem.code, e.value.problem.line) == ("not-utf8", 2)
    (tmp_path / SETTINGS_FILE).write_text(MINIMAL)
    assert load_settings(tmp_path).department_names == ("A",)


names = st.text(min_size=1, max_size=12).filter(lambda x: x.strip())
texts = st.lists(names, max_size=3).map(tuple)
any_settings = st.builds(
    Settings,
    departments=st.lists(st.builds(Department, names, st.text(max_size=5), texts),
                         min_size=1, max_size=3).map(tuple),
    themes=st.lists(st.builds(Theme, names, texts), min_size=1, max_size=3).map(tuple),
    channels=texts, appeal_boards=texts, remark_themes=texts,
    period_start=st.sampled_from([(1, 1), (4, 1), (12, 31), (2, 28)]),
    language=st.sampled_from(["da", "en"]),
)


@settings(max_examples=60, deadline=None)
@given(any_settings)
def test_any_settings_round_trip(s):
    text = settings_to_toml(s)
    assert parse_settings(text) == s
