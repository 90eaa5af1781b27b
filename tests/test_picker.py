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


async def test_new_subtheme_choices_empty_an_old_choice_and_find_letters_typed_ahead():
    """When the theme changes: a subtheme of the old theme is emptied; letters
    typed before the new choices came (keys typed ahead) are looked for again."""
    from textual.app import App

    from store.domain.records import Point
    from tui.widgets.point_editor import PointEditor

    class One(App):
        def compose(self):
            yield PointEditor(default_settings(), Point("Øvrige", "Forvaltningsskik",
                                                        "Sagsbehandlingstid og manglende svar"), "")

    app = One()
    async with app.run_test():
        sub = app.query_one(PointEditor)._picker("subtheme")
        notes = [t.subthemes for t in DEFAULT_THEMES if t.name == "Offentlighedsloven"][0]
        sub.refit(notes)
        assert sub.value == "" and sub.choices == list(notes)  # an old theme's subtheme
        sub.refit([])
        sub.value = "notat"  # typed while the subtheme had no choices yet
        sub.refit(notes)
        assert sub.value == "Notatpligt"
        sub.value = "zzz"  # letters that name no subtheme
        sub.refit([*notes, "Andet"])
        assert sub.value == ""
