"""A CPR number typed into a form is flagged before saving; the user may still save."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.workspace.workspace import Workspace
from tui.app import CaselogApp
from tui.screens.appeal_form import AppealForm
from tui.screens.inquiry_form import InquiryForm
from tui.widgets.cpr_notice import CprNotice

pytestmark = pytest.mark.asyncio

CPR = "010190-1234"  # 1 January 1990: a plausible date


def notice(app) -> CprNotice:
    return app.screen.query_one(CprNotice)


async def test_inquiry_notes_with_a_cpr_number_warn_and_still_save(app_folder: Path):
    app = CaselogApp(Workspace.open(app_folder), screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # open the selected inquiry
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        assert not notice(app).has_class("-shown")
        app.screen.query_one("#notes").text = f"Borgerens cpr {CPR} står i brevet"
        await pilot.pause()
        assert notice(app).has_class("-shown")
        shown = str(notice(app).render())
        assert "CPR" in shown and "Noter" in shown and CPR not in shown
        rid = app.screen.record.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, InquiryForm)  # saved, not blocked
    path = next((app_folder / "inquiries").rglob(f"{rid}.toml"))
    assert CPR in path.read_text()


async def test_a_phone_number_is_not_flagged(app_folder: Path):
    app = CaselogApp(Workspace.open(app_folder), screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#citizen-phone").value = "43 68 68 68"
        await pilot.pause()
        assert not notice(app).has_class("-shown")
        app.screen.query_one("#citizen-phone").value = "0101901234"
        await pilot.pause()
        assert notice(app).has_class("-shown")


async def test_appeal_notes_warn(app_folder: Path):
    ws = Workspace.open(app_folder)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(AppealForm())
        await pilot.pause()
        assert not notice(app).has_class("-shown")
        app.screen.query_one("#notes").text = f"cpr {CPR}"
        await pilot.pause()
        assert notice(app).has_class("-shown")

