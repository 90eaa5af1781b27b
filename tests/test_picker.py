"""Choosing a name by typing a few letters."""

from store.domain.taxonomy import DEFAULT_THEMES, default_settings
from tui.widgets.picker import matches

DEPARTMENTS = default_settings().department_names
THEMES = [t.name for t in DEFAULT_THEMES]
SUBTHEMES = [s for t in DEFAULT_THEMES for s in t.subthemes]


def test_start_of_the_name_comes_first():
    assert matches(THEMES, "forvaltningss") == ["Forvaltningsskik"]
    assert matches(THEMES, "forv")[:2] == ["Forvaltningsloven", "Forvaltningsskik"]


def test_any_part_of_the_name():
    assert matches(SUBTHEMES, "sagsb")[0] == "Sagsbehandlingstid og manglende svar"
    assert "Databehandlingsskik" in matches(SUBTHEMES, "databeh")


def test_case_and_letters_like_æøå():
    assert matches(DEPARTMENTS, "børn") == ["Børn & Familie"]
    assert matches(DEPARTMENTS, "ØVRIGE") == ["Øvrige"]


def test_initials_and_scattered_letters():
    assert matches(DEPARTMENTS, "bae")[0] == "Borger, Arbejdsmarked & Erhverv"
    assert matches(THEMES, "forvsk") == ["Forvaltningsskik"]


def test_nothing_typed_gives_all():
    assert matches(THEMES, "") == THEMES
