"""The terminal app, driven by keys in a headless terminal; checked on the files it writes."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from textual import events

from store.workspace.workspace import Workspace
from tui.app import CaselogApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.inquiries import InquiriesScreen
from tui.screens.inquiry_form import InquiryForm
from tui.widgets.record_list import RecordList

pytestmark = pytest.mark.asyncio


def make_app(folder: Path) -> CaselogApp:
    return CaselogApp(Workspace.open(folder), screens={})


def inquiry_files(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in (folder / "inquiries").rglob("*.toml")}


def list_of(app) -> RecordList:
    return app.screen.query_one("#inquiry-list", RecordList)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


def lines_of(widget) -> list[str]:
    """What a line-API widget shows, as plain text."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_start_screen_shows_the_latest_period_with_inquiries(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)
        ids = [r.id for r in list_of(app).rows]
        assert ids == ["2024-05-10-a1b2", "2024-04-03-k7q2"]  # 2024/25, newest first


async def test_register_with_main_issue_and_two_follow_ups(app_folder):
    app = make_app(app_folder)
    before = set(inquiry_files(app_folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        # received: replace "i dag" with 3/4
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "3/4")
        await pilot.press("tab", "tab", "tab")  # kind, channel, status (closed is disabled)
        await pilot.press("tab")  # title
        await type_text(pilot, "Klage over ventetid")
        await pilot.press("tab")  # notes
        await type_text(pilot, "Ringede to gange")
        await pilot.press("tab")  # main department
        await type_text(pilot, "børn")
        await pilot.press("tab")
        await type_text(pilot, "forvaltningss")
        await pilot.press("tab")
        await type_text(pilot, "sagsb")
        await pilot.press("tab")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "miljø")
        await pilot.press("tab")
        await type_text(pilot, "gdpr")
        await pilot.press("tab")
        await type_text(pilot, "databeh")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "øvrige")
        await pilot.press("tab")
        await type_text(pilot, "offentlighedsl")
        await pilot.press("tab")
        await type_text(pilot, "notat")
        await pilot.press("tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)
        new = set(inquiry_files(app_folder)) - before
        assert len(new) == 1
        rid = new.pop()
        assert list_of(app).current.id == rid
    data = tomllib.loads(inquiry_files(app_folder)[rid].read_text())
    assert rid.startswith("2025-04-03-")
    assert data["received"].isoformat() == "2025-04-03"
    assert data["kind"] == "complaint"
    assert data["status"] == "open"
    assert "closed" not in data
    assert data["channel"] == "Mail"  # the channel of the latest inquiry
    assert data["title"] == "Klage over ventetid"
    assert data["notes"] == "Ringede to gange"
    assert data["main"] == {"department": "Børn & Familie", "theme": "Forvaltningsskik",
                            "subtheme": "Sagsbehandlingstid og manglende svar"}
    assert data["follow_up"] == [
        {"department": "Miljø & Teknik", "theme": "GDPR", "subtheme": "Databehandlingsskik"},
        {"department": "Øvrige", "theme": "Offentlighedsloven", "subtheme": "Notatpligt"},
    ]
    assert "citizen" not in data


async def test_edit_one_field_changes_one_line(app_folder):
    path = inquiry_files(app_folder)["2024-04-03-k7q2"]
    # keys this version does not know must survive the edit
    ws = Workspace.open(app_folder)
    record = ws.get("2024-04-03-k7q2")
    ws.save(replace(record, extra={"priority": "high"},
                    main=replace(record.main, extra={"weight": 2})))
    before = path.read_text()
    assert 'priority = "high"' in before and "weight = 2" in before
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        assert app.screen.record.id == "2024-04-03-k7q2"
        await pilot.press("end")  # focus starts in the title
        await type_text(pilot, " (rettet)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)
    after = path.read_text()
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert diff == [('title = "Ny aktivering trods fleksjobafklaring"',
                     'title = "Ny aktivering trods fleksjobafklaring (rettet)"')]
    assert 'priority = "high"' in after and "weight = 2" in after


async def test_delete_asks_and_removes_the_file(app_folder):
    app = make_app(app_folder)
    path = inquiry_files(app_folder)["2024-05-10-a1b2"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert path.exists()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert not path.exists()
        assert [r.id for r in list_of(app).rows] == ["2024-04-03-k7q2"]


async def test_leaving_a_changed_form_asks_and_keeps_the_draft(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InquiryForm)
        await type_text(pilot, "X")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#title").value.endswith("X")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)
    assert "X" not in inquiry_files(app_folder)["2024-05-10-a1b2"].read_text()


async def test_leaving_an_unchanged_form_does_not_ask(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)


async def test_a_failed_save_keeps_the_form(app_folder, monkeypatch):
    app = make_app(app_folder)

    def refuse(record):
        raise PermissionError(13, "Permission denied")

    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(app.workspace, "save", refuse)
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Y")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        assert app.screen.query_one("#title").value.endswith("Y")


async def test_form_refuses_a_missing_subtheme(app_folder):
    app = make_app(app_folder)
    before = set(inquiry_files(app_folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # to the notes... then department
        await pilot.press("tab")
        await type_text(pilot, "børn")
        await pilot.press("tab")
        await type_text(pilot, "forvaltningss")
        await pilot.press("tab", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        assert "Vælg et undertema" in str(app.screen.query_one("#main .field-error").render())
    assert set(inquiry_files(app_folder)) == before


async def test_filtering_by_typing(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("*")  # all periods
        await pilot.pause()
        assert len(list_of(app).rows) == 3
        await type_text(pilot, "aktind")  # typing in the list starts the filter
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "aktind"
        assert [r.id for r in list_of(app).rows] == ["2024-05-10-a1b2"]
        await pilot.press("escape")  # clears
        await pilot.pause()
        assert len(list_of(app).rows) == 3
        await pilot.press("slash")
        await type_text(pilot, "fleksjob børn")  # words from the title and a follow-up department
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == ["2024-04-03-k7q2"]
        await pilot.press("enter")  # back to the list
        await pilot.press("enter")  # opens the one found
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)


async def test_period_switching_and_open_only(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert screen.query_state.period.label == "2024/25"
        await pilot.press("left")
        await pilot.pause()
        assert screen.query_state.period.label == "2023/24"
        assert [r.id for r in list_of(app).rows] == ["2023-06-01-c3d4"]
        await pilot.press("right", "right")
        await pilot.pause()
        assert screen.query_state.period.label == "2025/26"  # today's period: empty
        assert list_of(app).rows == []
        await pilot.press("left", "u")
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == ["2024-05-10-a1b2"]


async def test_record_text_is_shown_literally(app_folder):
    app = make_app(app_folder)
    path = inquiry_files(app_folder)["2024-05-10-a1b2"]
    path.write_text(path.read_text().replace("Spørgsmål om aktindsigt",
                                             "[bold]x[/bold] \\u001b[31mrød"))
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "[bold]x[/bold] ␛[31mrød" in lines_of(list_of(app))[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#notes").text.startswith("[bold]x[/bold]")
        assert lines_of(form.query_one("#notes"))[0].startswith("[bold]x[/bold]")


async def test_every_field_of_every_issue_has_room_at_80x24(app_folder):
    """With follow-up issues the form scrolls; no issue's fields are squeezed to nothing."""
    from tui.widgets.picker import Picker
    from tui.widgets.point_editor import PointEditor

    app = make_app(app_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        list_of(app).cursor = next(i for i, r in enumerate(list_of(app).rows) if r.follow_up)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")  # and one more
        await pilot.pause()
        pickers = list(app.screen.query(Picker))
        assert len(pickers) == 9
        editors = list(app.screen.query(PointEditor))
        # a heading and three fields each, none of them clipped by its issue's box
        assert all(ed.size.height >= 4 for ed in editors)


async def test_keys_typed_before_the_filter_has_focus_all_reach_it(app_folder):
    app = make_app(app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        # deliver three keys in one go, before focus can move ('s' and 'u' are list keys)
        for ch in "fsu":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#filter").value == "fsu"


async def test_names_and_tabs_typed_in_one_burst_each_land_in_their_field(app_folder):
    """A fast typist (or a paste, or keys typed while the app was busy) gives the
    terminal several keys at once: "børn", Tab, "forvaltningss", Tab, "sagsb", Tab.
    Each name lands in its own field and is taken as the name it finds."""
    app = make_app(app_folder)
    before = set(inquiry_files(app_folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab")  # kind, channel, status, title
        await type_text(pilot, "Burst")
        await pilot.press("tab", "tab")  # notes, main department
        for key in [*"børn", "tab", *"forvaltningss", "tab", *"sagsb", "tab"]:
            app.post_message(events.Key(key, None if key == "tab" else key))
        for _ in range(4):
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)
        (rid,) = set(inquiry_files(app_folder)) - before
    data = tomllib.loads(inquiry_files(app_folder)[rid].read_text())
    assert data["title"] == "Burst"
    assert data["main"] == {"department": "Børn & Familie", "theme": "Forvaltningsskik",
                            "subtheme": "Sagsbehandlingstid og manglende svar"}


async def test_the_command_palette_finds_the_app_wide_commands(app_folder):
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    app = CaselogApp(Workspace.open(app_folder))  # with every screen installed
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "opg")
        for _ in range(50):
            await pilot.pause(0.05)
            results = app.screen.query_one(OptionList)
            if results.option_count:
                break
        titles = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert any("Opgørelse" in title for title in titles), titles
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SummaryScreen"
