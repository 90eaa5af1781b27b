"""Choosing a name by typing a few letters."""

from textual import events
from textual.widgets import Input

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


def _editor_app(point):
    from textual.app import App

    from tui.widgets.point_editor import PointEditor

    class One(App):
        def compose(self):
            yield PointEditor(default_settings(), point, "")
            yield Input(id="after")

    return One()


async def test_new_subtheme_choices_empty_an_old_choice_and_find_letters_typed_ahead():
    """When the theme changes: a subtheme not among the new theme's is emptied,
    also a record's saved one that the taxonomy no longer has (never matched to
    another by its letters); letters typed that named no subtheme (typed before
    the new choices came, as when keys are typed ahead) are looked for again."""
    from store.domain.records import Point
    from tui.widgets.point_editor import PointEditor

    notes = [t.subthemes for t in DEFAULT_THEMES if t.name == "Offentlighedsloven"][0]
    app = _editor_app(Point("Øvrige", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"))
    async with app.run_test() as pilot:
        editor = app.query_one(PointEditor)
        sub = editor._picker("subtheme")
        sub.refit(notes)
        assert sub.value == "" and sub.choices == list(notes)  # an old theme's subtheme
        sub.refit([])
        sub.focus()
        await pilot.press(*"notat", "tab")  # typed while the subtheme had no choices
        await pilot.pause()
        assert sub.value == "notat" and app.focused.id == "after"
        sub.refit(notes)
        assert sub.value == "Notatpligt"
        sub.refit([])
        sub.focus()
        await pilot.press(*"zzz", "tab")  # letters that name no subtheme
        await pilot.pause()
        sub.refit([*notes, "Andet"])
        assert sub.value == ""
    # a record saved with a subtheme its theme no longer has
    app = _editor_app(Point("Børn & Familie", "Forvaltningsret", "Aktindsigt"))
    async with app.run_test() as pilot:
        editor = app.query_one(PointEditor)
        editor._picker("theme")._set("Forvaltningsloven")
        await pilot.pause()
        assert editor._picker("subtheme").value == "" and editor.problem() is not None


async def test_enter_takes_the_highlighted_choice_and_goes_on():
    from store.domain.records import Point
    from tui.widgets.point_editor import PointEditor

    app = _editor_app(Point("Øvrige", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"))
    async with app.run_test() as pilot:
        theme = app.query_one(PointEditor)._picker("theme")
        theme.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"forv", "down", "enter")
        await pilot.pause()
        assert theme.value == matches(THEMES, "forv")[1] and app.focused is not theme.input
        # keys in one burst: each name in its field
        editor = app.query_one(PointEditor)
        editor._picker("department").focus()
        await pilot.pause()
        for key in [*"børn", "enter", *"forvaltningsl", "enter", *"partsh", "enter"]:
            app.post_message(events.Key(key, None if key == "enter" else key))
        for _ in range(4):
            await pilot.pause()
        assert editor.values() == ("Børn & Familie", "Forvaltningsloven", "Partshøring")
        assert app.focused.id == "after"
