"""The app on a folder opened through the derived index (.caselog/index).

The first start reads every file behind a progress screen and writes the
index; later starts open from it (partial records: no notes, no citizen) and
check it against the files in the background. Forms, the stale check and the
search over notes must never take a partial record for the whole one.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from store.domain.records import Citizen
from store.index.file import index_path
from store.workspace.workspace import Workspace
from tui.app import CaselogApp
from tui.screens.inquiries import InquiriesScreen
from tui.screens.inquiry_form import InquiryForm
from tui.screens.stale import disk_state
from tui.widgets.record_list import RecordList

pytestmark = pytest.mark.asyncio

RID = "2024-04-03-k7q2"


def age_files(root: Path, seconds: float = 3600) -> None:
    """Make every record file older than the index's racy window."""
    then = time.time() - seconds
    for kind in ("inquiries", "appeals"):
        for p in (root / kind).rglob("*.toml"):
            os.utime(p, (then, then))


def prepare(root: Path) -> None:
    """A citizen on RID, the files aged, the index written (by a full read)."""
    ws = Workspace.open(root)
    ws.save(replace(ws.get(RID), citizen=Citizen(name="Hanne Holm", phone="12345678")))
    age_files(root)
    Workspace.open(root, use_index=True)  # no index yet: reads all, writes it
    assert index_path(root).exists()


def list_of(app) -> RecordList:
    return app.screen.query_one("#inquiry-list", RecordList)


async def settle(app, pilot) -> None:
    await pilot.pause(0.5)  # the index is checked shortly after the first screen
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def all_periods_when_settled(app, pilot):
    """The list once every background start-up job is done, showing all periods."""
    await settle(app, pilot)
    await pilot.pause(0.3)
    await settle(app, pilot)
    await pilot.press("asterisk")
    await pilot.pause()
    return app.screen


async def test_first_start_reads_behind_a_progress_screen_and_writes_the_index(app_folder):
    assert not index_path(app_folder).exists()
    app = CaselogApp(None, screens={}, folder=app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, InquiriesScreen)
        assert [r.id for r in list_of(app).rows] == ["2024-05-10-a1b2", RID]
        assert app.workspace.indexed
    assert index_path(app_folder).exists()


async def test_an_index_it_cannot_use_is_read_behind_the_progress_screen(app_folder, monkeypatch):
    """An index of an earlier version (after an update of caselog) or a damaged one:
    the app does not read every file before it shows anything; it starts without a
    workspace, and its progress screen reads them."""
    from store.index import load as index_load
    from tui.app import open_from_index

    assert open_from_index(str(app_folder)) is None  # no index yet
    prepare(app_folder)
    assert open_from_index(str(app_folder)).indexed
    path = index_path(app_folder)
    good = path.read_bytes()
    assert good.startswith(b"caselog-index 7 ")

    def read_all(*a, **k):
        raise AssertionError("every file read before the app shows")

    monkeypatch.setattr(index_load, "read_all", read_all)
    for bad in (b"caselog-index 6 " + good[16:], good[:-100]):
        path.write_bytes(bad)
        assert open_from_index(str(app_folder)) is None
        assert path.read_bytes() == bad  # (left for the app's first start to replace)


async def test_loading_screen_counts_the_files(app_env):
    from textual.app import App
    from textual.widgets import Static

    from tui.screens.loading import LoadingScreen

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(LoadingScreen("/data"))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.show(40, 120)
        await pilot.pause()
        text = str(app.screen.query_one("#loading-count", Static).render())
        assert text == "Læser 40 af 120 filer"


async def test_open_from_index_applies_outside_changes_and_rewrites_the_index(app_folder):
    prepare(app_folder)
    path = next((app_folder / "inquiries").rglob(f"{RID}.toml"))
    path.write_text(path.read_text().replace("Ny aktivering", "Gammel aktivering"))
    age_files(app_folder, 1800)
    before = index_path(app_folder).stat().st_mtime_ns
    ws = Workspace.open(app_folder, use_index=True)
    assert ws.from_index and RID in ws.partial
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        titles = {r.id: r.title for r in list_of(app).rows}
        assert titles[RID].startswith("Gammel aktivering")
    assert index_path(app_folder).stat().st_mtime_ns != before
    again = Workspace.open(app_folder, use_index=True)
    assert again.from_index and not again.verify()


@pytest.mark.parametrize("many", [False, True], ids=["few", "many"])
async def test_files_whose_stat_alone_changed_are_read_again_not_written_for(
        app_folder, monkeypatch, many):
    """A file touched (its record the same: as after a save just before the last
    quit, which the index had to leave its stat out for) is read again at the next
    start, quietly; the index is not written for a few of them (WRITE_AFTER), but
    it is for many."""
    from tui import app as app_module

    prepare(app_folder)
    if many:
        monkeypatch.setattr(app_module, "WRITE_AFTER", 0)
    path = next((app_folder / "inquiries").rglob(f"{RID}.toml"))
    then = time.time() - 1800
    os.utime(path, (then, then))  # another mtime, the same bytes
    before = index_path(app_folder).read_bytes()
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    notices = []
    monkeypatch.setattr(app, "outside_changes", notices.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app._index_dirty and notices == []
        assert ws.stats[str(path.relative_to(app_folder))][0] == path.stat().st_mtime_ns
    assert (index_path(app_folder).read_bytes() == before) is not many
    again = Workspace.open(app_folder, use_index=True)
    assert again.verify() == ([] if many else [str(path.relative_to(app_folder))])


async def test_first_start_with_a_few_files_made_private_writes_the_index(app_folder):
    """A first start reads every file; the check after it makes a clone's files
    private (their modes alone change, fewer than WRITE_AFTER): the index is
    written then, from the records, not only at quit."""
    path = next((app_folder / "inquiries").rglob(f"{RID}.toml"))
    path.chmod(0o644)
    app_folder.chmod(0o755)
    age_files(app_folder)  # (older than the index's racy window: their stats kept)
    assert not index_path(app_folder).exists()
    app = CaselogApp(None, screens={}, folder=app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert path.stat().st_mode & 0o777 == 0o600
        assert index_path(app_folder).exists()
        again = Workspace.open(app_folder, use_index=True)
        assert again.from_index and again.verify() == []
        assert not [p for p in again.problems if p.code == "world-readable"]


async def test_the_cursor_stays_on_its_record_beyond_the_first_rows(app_folder, monkeypatch):
    """The filter's first rows may end before the cursor's record: once every
    match is found the cursor is on it again (unless it was moved meanwhile)."""
    from tui import inquiry_index
    from tui.screens import inquiries

    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await all_periods_when_settled(app, pilot)  # three rows
        last = list_of(app).rows[-1].id
        assert list_of(app).select_key(last)
        monkeypatch.setattr(inquiry_index, "SEARCH_CHUNK", 1)
        monkeypatch.setattr(inquiries, "FIRST_ROWS", 1)
        screen._set_query(text="2")  # every row matches; the first turn shows one
        assert len(list_of(app).rows) < 3 and screen.index.searching
        await pilot.pause(0.3)
        assert not screen.index.searching and len(list_of(app).rows) == 3
        assert list_of(app).current.id == last


async def test_edit_through_the_index_keeps_notes_and_citizen(app_folder):
    prepare(app_folder)
    path = next((app_folder / "inquiries").rglob(f"{RID}.toml"))
    before = path.read_text()
    assert "notes" in before and "Hanne Holm" in before
    ws = Workspace.open(app_folder, use_index=True)
    assert RID in ws.partial and ws.peek(RID).notes == "" and ws.peek(RID).citizen is None
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InquiryForm)
        assert app.screen.record.id == RID
        assert app.screen.record.notes.startswith("[bold]x")  # the full record
        assert app.screen.record.citizen.name == "Hanne Holm"
        await pilot.press("end")
        await pilot.press("space", *"(rettet)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InquiriesScreen)  # saved without asking
    after = path.read_text()
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert diff == [('title = "Ny aktivering trods fleksjobafklaring"',
                     'title = "Ny aktivering trods fleksjobafklaring (rettet)"')]
    assert "Hanne Holm" in after and "mere tekst" in after


async def test_stale_check_does_not_take_a_partial_record_for_an_outside_change(app_folder):
    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    partial = ws.peek(RID)
    assert RID in ws.partial
    assert disk_state(ws, partial).unchanged
    assert disk_state(ws, ws.get(RID)).unchanged


async def test_a_note_only_word_is_found_after_the_notes_are_read(app_folder, monkeypatch):
    from tui.screens import inquiries

    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    assert ws.peek(RID).notes == ""
    # Started by hand below: with the timer, a slow first pause may see the
    # notes read already.
    monkeypatch.setattr(inquiries, "SEARCH_DELAY", 60)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.hydrating
        screen._prepare_search()
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert not screen.hydrating
        await pilot.press("slash", *"mere", "space", *"tekst")  # only in the notes
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == [RID]
        await pilot.press("escape")
        await pilot.press("slash", *"hanne")  # only in the citizen block
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == [RID]
    assert b"mere tekst" not in index_path(app_folder).read_bytes()
    assert b"Hanne" not in index_path(app_folder).read_bytes()


async def test_the_filter_searches_the_other_fields_while_notes_are_read(app_folder):
    from tui.screens import inquiries

    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    inquiries_delay = inquiries.SEARCH_DELAY
    inquiries.SEARCH_DELAY = 60  # the notes are not read during this test
    try:
        app = CaselogApp(ws, screens={})
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            status = str(app.screen.query_one("#status-line").render())
            assert "søgning i noter klar om lidt" in status
            await pilot.press("slash", *"aktivering")
            await pilot.pause()
            assert [r.id for r in list_of(app).rows] == [RID]
            await pilot.press("escape")
            await pilot.press("slash", *"mere", "space", *"tekst")
            await pilot.pause()
            assert list_of(app).rows == []
    finally:
        inquiries.SEARCH_DELAY = inquiries_delay


async def test_first_start_writes_the_index_after_the_list_is_shown(app_folder, monkeypatch):
    """The first start's index is written in the background once the list is on
    screen; quitting at once still leaves it written."""
    from store.index import load as index_load

    age_files(app_folder, 1800)  # older than the index's racy window
    written = []
    original = index_load.save
    monkeypatch.setattr(index_load, "save",
                        lambda folder, loaded: (written.append(1), original(folder, loaded))[1])
    app = CaselogApp(None, screens={}, folder=app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, InquiriesScreen):
            await pilot.pause()
        assert app.workspace.index_unwritten and not index_path(app_folder).exists()
    assert written == [1] and index_path(app_folder).exists()
    again = Workspace.open(app_folder, use_index=True)
    assert again.from_index and not again.verify()
    assert set(again.inquiries) == set(Workspace.open(app_folder).inquiries)


async def test_first_start_records_are_partial_and_the_notes_are_searched(app_folder):
    """The first start reads partial records (no notes or citizen data sent from
    the reading processes); the notes are read for the search afterwards."""
    prepare(app_folder)
    index_path(app_folder).unlink()
    app = CaselogApp(None, screens={}, folder=app_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, InquiriesScreen):
            await pilot.pause()
        ws = app.workspace
        assert RID in ws.partial and ws.peek(RID).notes == ""
        assert ws.get(RID).notes  # read from its file when needed (and kept: whole now)
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert not app.screen.hydrating
        await pilot.press("slash", *"mere", "space", *"tekst")  # only in the notes
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == [RID]
    assert b"mere tekst" not in index_path(app_folder).read_bytes()


async def test_the_list_shows_its_period_first_and_every_period_once_all_are_built(app_folder):
    """From the index only the first period's inquiries are built before the
    list shows; the rest follow after the first screen, into the list too."""
    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    first = set(ws.first_inquiries())
    assert not ws.complete_ and first == {RID, "2024-05-10-a1b2"}
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert {r.id for r in list_of(app).rows} == first
        await settle(app, pilot)
        assert ws.complete_ and set(app.screen.index.records) == set(ws.inquiries)
        await pilot.press("asterisk")  # all periods
        await pilot.pause()
        assert {r.id for r in list_of(app).rows} == {RID, "2024-05-10-a1b2", "2023-06-01-c3d4"}
        app.screen.query_one("#filter").value = "klage over"  # a later record's search text
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == ["2023-06-01-c3d4"]


@pytest.mark.parametrize("key,shown", [("asterisk", {RID, "2024-05-10-a1b2", "2023-06-01-c3d4"}),
                                       ("left", {"2023-06-01-c3d4"})])
async def test_another_period_asked_for_at_once_builds_the_rest_first(app_folder, monkeypatch,
                                                                      key, shown):
    from tui.screens import inquiries

    monkeypatch.setattr(inquiries, "COMPLETE_DELAY", 60)  # not after the first screen: now
    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not ws.complete_
        await pilot.press(key)
        await pilot.pause()
        assert ws.complete_
        assert {r.id for r in list_of(app).rows} == shown
        screen = app.screen
        assert screen.index.count(screen.query_state.period)[0] == len(shown)


async def test_the_filter_shows_what_it_found_and_goes_on_in_the_notes(app_folder, monkeypatch):
    """A filter over many rows looks in their notes a part per turn of the
    interface: the rows found so far show at once, the rest follow."""
    from tui import inquiry_index
    from tui.screens import inquiries

    prepare(app_folder)
    ws = Workspace.open(app_folder)
    for rid in ("2024-05-10-a1b2", "2023-06-01-c3d4"):
        ws.save(replace(ws.get(rid), notes=f"noter om {rid}"))
    age_files(app_folder)
    Workspace.open(app_folder, use_index=True).write_index()
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        screen = app.screen
        assert not screen.hydrating
        await pilot.press("asterisk")  # all periods: three rows with notes
        await pilot.pause()
        monkeypatch.setattr(inquiry_index, "SEARCH_CHUNK", 1)
        monkeypatch.setattr(inquiries, "SEARCH_BUDGET", 0)
        screen._set_query(text="tekst")  # as typing it does (only in RID's notes)
        assert screen.index.searching and list_of(app).rows == []
        status = str(screen.query_one("#status-line").render())
        assert "søger …" in status, status
        await pilot.pause(0.3)
        assert not screen.index.searching
        assert [r.id for r in list_of(app).rows] == [RID]
        assert "søger …" not in str(screen.query_one("#status-line").render())
        screen._set_query(text="noter")  # two, both in the notes
        await pilot.pause(0.3)
        assert [r.id for r in list_of(app).rows] == ["2024-05-10-a1b2", "2023-06-01-c3d4"]
        # A record found through its notes, shown (after a save) while the look goes
        # on: the look is finished first; the filter stays and the cursor is on it.
        screen._set_query(text="noter")
        assert screen.index.searching
        screen.show_record(ws.peek("2023-06-01-c3d4"))
        assert not screen.index.searching and screen.query_state.text == "noter"
        assert list_of(app).current.id == "2023-06-01-c3d4"
        assert [r.id for r in list_of(app).rows] == ["2024-05-10-a1b2", "2023-06-01-c3d4"]


async def test_a_letter_shows_the_first_rows_at_once_and_the_rest_follow(app_folder, monkeypatch):
    """The filter's first turn stops once it can fill the screen: the rows shown
    are the first ones of the answer, all of them; the look goes on after the
    frame, and then every row is shown."""
    from tui import inquiry_index
    from tui.screens import inquiries

    prepare(app_folder)
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await all_periods_when_settled(app, pilot)
        want = [r.id for r in screen.index.view(replace(screen.query_state, text="2"))]
        assert len(want) == 3
        screen.index.view(screen.query_state)  # (the next look not narrowed from this one)
        monkeypatch.setattr(inquiry_index, "SEARCH_CHUNK", 1)
        monkeypatch.setattr(inquiries, "FIRST_ROWS", 2)
        screen._set_query(text="2")  # as typing it does
        first = [r.id for r in list_of(app).rows]
        assert first == want[:2] and screen.index.searching
        assert "søger …" in str(screen.query_one("#status-line").render())
        await pilot.pause(0.3)
        assert not screen.index.searching
        assert [r.id for r in list_of(app).rows] == want


async def test_notes_pending_is_said_when_the_first_period_has_no_inquiry(app_folder,
                                                                          monkeypatch):
    """Today's period has an appeal decision alone: the list opens in it, empty, and
    the other periods' records (partial: no notes yet) make the status say so."""
    from datetime import date

    from gitutil import appeal

    from store.domain.periods import period_of

    prepare(app_folder)
    ws = Workspace.open(app_folder)
    today = period_of(date(2025, 5, 1), ws.settings.period_start)  # (CASELOG_TODAY)
    assert not any(r.received in today for r in ws.inquiries.values())
    ws.save(appeal(f"{today.start.isoformat()}-b001"))
    age_files(app_folder)
    index_path(app_folder).unlink()
    Workspace.open(app_folder, use_index=True)  # every file read, the index written
    ws = Workspace.open(app_folder, use_index=True)
    assert not ws.complete_ and ws.first_inquiries() == {}
    from tui.screens import inquiries

    monkeypatch.setattr(inquiries, "SEARCH_DELAY", 60)  # the notes are not read meanwhile
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        assert ws.complete_ and len(screen.index.records) == 3
        assert screen.hydrating
        status = str(screen.query_one("#status-line").render())
        assert "søgning i noter klar om lidt" in status, status


async def test_quit_after_a_save_writes_the_index_without_the_search_texts(app_folder):
    """At quit the list's search texts and notes are let go before the index is
    written from the records (the writing does not add to the session's peak);
    the index holds the save."""
    prepare(app_folder)
    age_files(app_folder, 1800)
    ws = Workspace.open(app_folder, use_index=True)
    app = CaselogApp(ws, screens={})
    texts_when_written = []
    write = ws.write_index

    def write_index() -> None:
        texts_when_written.append(len(screen.index.texts))
        write()

    ws.write_index = write_index
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        texts = screen.index.texts
        assert len(texts) == len(ws.inquiries)
        assert all(r.notes.casefold().encode() in texts.text(texts.entry[r.id])
                   for r in map(ws.full, ws.inquiries))  # (the notes were read)
        ws.save(replace(ws.get(RID), title="Gemt lige før lukning"))
        await pilot.pause()
        assert app._index_dirty
        await app.action_quit()
    assert texts_when_written == [0]  # written once, after the texts were let go
    # (a filter after that shows the rows unfiltered: no search text is made again)
    q = replace(screen.query_state, text="ingen-sådan-tekst")
    assert screen.index.closed and screen.index.view(q) == screen.index.base(q)
    again = Workspace.open(app_folder, use_index=True)
    assert again.from_index and again.peek(RID).title == "Gemt lige før lukning"


async def test_quitting_while_the_index_is_checked_stops_the_check(app_folder, monkeypatch):
    """The start-up check's walk (one stat per file: seconds at 300,000) ends when
    the app quits; quitting does not wait for it, and nothing of it is applied."""
    from store.index.tree import Stopped

    prepare(app_folder)
    seen = {}

    def slow_verify(self, tree=None, stop=None):
        seen["stop"] = stop
        assert stop is not None and stop.wait(10)  # a walk of many folders, ended by stop
        raise Stopped

    monkeypatch.setattr(Workspace, "verify", slow_verify)
    app = CaselogApp(Workspace.open(app_folder, use_index=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)  # the check has begun
        assert "stop" in seen and not seen["stop"].is_set()
        t0 = time.monotonic()
        await pilot.press("ctrl+q")
        await app.workers.wait_for_complete()
        assert time.monotonic() - t0 < 3 and seen["stop"].is_set()
    assert app.return_code == 0


async def test_the_records_left_to_build_are_not_built_once_the_app_quits(app_folder, monkeypatch):
    """After the first screen the other periods' records are built a part at a time,
    and the index is checked; once the app has begun to quit, neither is begun
    (quitting does not wait for them)."""
    import tui.screens.inquiries as inquiries

    prepare(app_folder)
    monkeypatch.setattr(inquiries, "COMPLETE_CHUNK", 1)  # one record a step
    ws = Workspace.open(app_folder, use_index=True)
    left = ws.pending_count()
    assert left > 0 and not ws.complete_  # 2023/24's inquiry is not built yet
    checked = []
    monkeypatch.setattr(Workspace, "verify", lambda self, *a, **k: checked.append(1) or [])
    app = CaselogApp(ws)
    app.closing.set()  # as at the start of quitting
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)  # a step, and the index check, would have run by now
        assert ws.pending_count() == left and not ws.complete_
        assert not checked  # the check's timer came after the quit began: nothing done
