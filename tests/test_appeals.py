"""Appeal decisions: register by keys only, edit one field, delete, validation."""

from __future__ import annotations

import difflib

import pytest
from screen_app import TODAY, ScreenApp, make_folder

from store.workspace.workspace import Workspace
from tui.i18n import set_language
from tui.screens.appeal_form import AppealForm
from tui.screens.appeals import AppealsScreen
from tui.widgets.record_list import RecordList


@pytest.fixture(autouse=True)
def _fixed(monkeypatch):
    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    set_language("da")


@pytest.fixture
def root(tmp_path):
    return make_folder(tmp_path / "data")


async def press(pilot, *keys):
    await pilot.press(*keys)
    await pilot.pause()


async def test_register_with_two_remarks_by_keys_only(root):
    ws = Workspace.open(root)
    before = set(ws.appeals)
    app = ScreenApp(ws, AppealsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.screen.query_one(RecordList).rows) == 3
        await press(pilot, "n")
        assert isinstance(app.screen, AppealForm)
        await press(pilot, "k", "l", "a", "g", "enter")  # board: Klagenævnet ...
        await press(pilot, "f", "a", "m", "enter")  # department: Børn & Familie
        await press(pilot, "3", "/", "4", "enter")  # received: 3 April (2024: not in the future)
        await press(pilot, "down", "enter")  # outcome: Med bemærkninger
        await press(pilot, "tab", "space", "down", "down", "space")  # remarks 1 and 3
        await press(pilot, "tab", *"Hjemvist", "tab", *"Ny frist", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AppealsScreen)
        new = set(ws.appeals) - before
        assert len(new) == 1
        rid = new.pop()
        assert rid.startswith("2024-04-03-")
        assert app.screen.query_one(RecordList).current.id == rid
    text = (root / "appeals" / "2024" / "04" / f"{rid}.toml").read_text()
    assert text == (
        f'id = "{rid}"\n'
        "received = 2024-04-03\n"
        'board = "Klagenævnet for Specialundervisning"\n'
        'department = "Børn & Familie"\n'
        'outcome = "remarks"\n'
        'remarks = ["Utilstrækkelig begrundelse", "Sagsbehandlingstid"]\n'
        'result = "Hjemvist"\n'
        'notes = "Ny frist"\n'
    )


async def test_edit_one_field_changes_one_line(root):
    path = root / "appeals" / "2024" / "05" / "2024-05-10-b002.toml"
    # a key this version does not know is kept on rewrite
    path.write_text(path.read_text() + 'sagsnummer = "AST-17"\n')
    before = path.read_text()
    ws = Workspace.open(root)
    app = ScreenApp(ws, AppealsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(RecordList)
        assert lst.select_key("2024-05-10-b002")
        await press(pilot, "enter")
        assert isinstance(app.screen, AppealForm)
        app.screen.query_one("#result").focus()
        await pilot.pause()
        await press(pilot, "end", *" delvist", "ctrl+s")
        assert isinstance(app.screen, AppealsScreen)
    after = path.read_text()
    diff = [ln for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="",
                                               n=0) if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert diff == ['-result = "Hjemvist"', '+result = "Hjemvist delvist"']
    assert 'sagsnummer = "AST-17"' in after


async def test_validation_keeps_the_form_and_escape_asks(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, AppealsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "n", "enter", "tab")
        await press(pilot, *"2099-01-01")
        await press(pilot, "ctrl+s")
        form = app.screen
        assert isinstance(form, AppealForm)
        errors = str(form.query_one("#appeal-error").render())
        assert "Vælg en afdeling" in errors
        assert "fremtiden" in errors
        assert "Vælg et udfald" in errors
        await press(pilot, "escape")  # changed: asks
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await press(pilot, "n")
        assert app.screen is form
        await press(pilot, "escape", "j")
        assert isinstance(app.screen, AppealsScreen)
    assert len(ws.appeals) == 4


async def test_failed_save_keeps_the_draft(root, monkeypatch):
    ws = Workspace.open(root)

    def fail(record):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ws, "save", fail)
    app = ScreenApp(ws, AppealsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(RecordList).select_key("2024-07-01-b003")
        await press(pilot, "enter")
        form = app.screen
        form.query_one("#result").value = "Ændret"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "Permission denied" in str(form.query_one("#appeal-error").render())
        assert form.query_one("#result").value == "Ændret"


async def test_delete_asks_and_period_keys(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, AppealsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(RecordList)
        assert [a.id for a in lst.rows] == ["2024-08-15-b004", "2024-07-01-b003", "2024-05-10-b002"]
        await press(pilot, "delete", "n")
        assert "2024-08-15-b004" in ws.appeals
        await press(pilot, "delete", "j")
        assert "2024-08-15-b004" not in ws.appeals
        assert not (root / "appeals" / "2024" / "08" / "2024-08-15-b004.toml").exists()
        assert len(lst.rows) == 2
        await press(pilot, "left")
        assert [a.id for a in lst.rows] == ["2023-08-01-b001"]
        await press(pilot, "asterisk")
        assert len(lst.rows) == 3
        await press(pilot, "full_stop")
        assert len(lst.rows) == 1  # back to one period
