"""The spreadsheet screen, by keys only: dry run, mapping, apply, export like the commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from screen_app import TODAY, ScreenApp, make_folder

from store.workspace.workspace import Workspace
from tui.cli import main
from tui.i18n import set_language
from tui.screens.confirm import ConfirmScreen
from tui.screens.sheets import ExportRecordsScreen, SheetsScreen, complete_path

openpyxl = pytest.importorskip("openpyxl")

SECRET = "Zebrafinke Quistgaard"


@pytest.fixture(autouse=True)
def _fixed(monkeypatch):
    from textual.widgets import Input

    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    monkeypatch.setattr(Input, "cursor_blink", False)
    set_language("da")
    yield
    set_language("da")


@pytest.fixture
def root(tmp_path):
    return make_folder(tmp_path / "data")


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """The current folder, holding a small spreadsheet: 2 good rows, 2 bad ones."""
    d = tmp_path / "in"
    d.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024"
    ws.append(["Sagsnr", "Modtaget", "Type", "Afdeling", "Tema", "Undertema", "Navn"])
    ws.append([1, date(2024, 11, 3), "Klagesag", "Børn og familie", "Forvaltningsskik",
               "Inddragelse", SECRET])
    ws.append([2, date(2024, 12, 5), "Anden henvendelse", "BAE", "Andet",
               "Anden offentligretlig lovgivning", ""])
    ws.append([3, "i går", "Klagesag", "BAE", "Andet", "Anden offentligretlig lovgivning", ""])
    ws.append([4, date(2025, 1, 7), "Klagesag", "Børn og Unge", "Andet",
               "Anden offentligretlig lovgivning", ""])
    wb.save(d / "gammelt-ark.xlsx")
    monkeypatch.chdir(d)
    return d


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "inquiries").rglob("*.toml")}


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def until(pilot, condition, tries: int = 100) -> None:
    """Pause until ``condition()`` holds (a worker waiting on a dialog never completes)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not met")


async def asked(app, pilot) -> None:
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_path_completion(here):
    (here / "notes.doc").write_text("x")
    (here / "gamle").mkdir()
    assert complete_path("gammelt", (".xlsx",)) == "gammelt-ark.xlsx"
    assert complete_path("gaml", (".xlsx",)) == "gamle/"
    assert complete_path("no", (".xlsx",)) is None  # not a spreadsheet
    assert complete_path(str(here) + "/gammelt-", (".xlsx",)) == str(here / "gammelt-ark.xlsx")


async def test_dry_run_mapping_and_apply(root, here, capsys):
    # What the command says (Textual holds stdout while the app runs).
    assert main(["import", str(root), "gammelt-ark.xlsx", "--show-mapping"]) == 0
    mapping = capsys.readouterr().out
    assert main(["import", str(root), "gammelt-ark.xlsx"]) == 0
    dry_run = capsys.readouterr().out
    ws = Workspace.open(root)
    before = files(root)
    n_before = len(ws.inquiries)
    app = ScreenApp(ws, SheetsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SheetsScreen)
        await type_text(pilot, "gammelt")
        await pilot.press("right", "enter")  # → accepts the completion
        await settle(app, pilot)
        shown = screen.shown_text()
        assert "Prøvekørsel – intet er skrevet. ctrl+s opretter 2 henvendelser." in shown
        assert "2 henvendelser med 2 klagepunkter ville blive oprettet fra 2 rækker." in shown
        assert "række 4: 'i går' i kolonnen Modtaget er ikke en dato" in shown
        assert "række 5: 'Børn og Unge' i kolonnen Afdeling kendes ikke" in shown
        assert "Tabel 1" in shown
        assert SECRET not in shown  # the sample holds no personal data
        assert files(root) == before  # nothing written by the dry run

        # m: the mapping, exactly as --show-mapping prints it
        await pilot.press("m")
        await pilot.pause()
        assert screen.reading.mapping == mapping
        assert 'department = "Afdeling"' in screen.shown_text()
        await pilot.press("m")
        await pilot.pause()
        # the command's dry run says the same
        for part in (screen.reading.counts, screen.reading.rows, screen.reading.tables):
            assert part and part in dry_run

        # ctrl+s asks; no writes nothing
        await pilot.press("ctrl+s")
        await asked(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert files(root) == before

        await pilot.press("ctrl+s")
        await asked(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert app.screen is screen
        new = files(root) - before
        assert len(new) == 2
        assert len(ws.inquiries) == n_before + 2  # the workspace has read them
        received = sorted(r.received for r in ws.inquiries.values()
                          if (r.source or "").startswith("gammelt-ark.xlsx"))
        assert received == [date(2024, 11, 3), date(2024, 12, 5)]
        assert ws.tally is not None
        # the dry run again: imported before, nothing new
        shown = screen.shown_text()
        assert "ingen nye henvendelser" in shown
        assert "2 henvendelser er importeret fra filen før" in shown
        await pilot.press("ctrl+s")  # nothing to apply: no question
        await settle(app, pilot)
        assert app.screen is screen
        assert len(files(root)) == len(before) + 2


async def test_apply_shows_in_the_list_of_the_real_app(root, here):
    from tui.app import CaselogApp
    from tui.widgets.record_list import RecordList

    ws = Workspace.open(root)
    app = CaselogApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ids_before = {r.id for r in app.screen.query_one("#inquiry-list", RecordList).rows}
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, SheetsScreen)
        await type_text(pilot, "gammelt-ark.xlsx")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await asked(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        await pilot.press("escape")  # focus is on the result: back to the list
        await pilot.pause()
        assert app.screen.__class__.__name__ == "InquiriesScreen"
        rows = app.screen.query_one("#inquiry-list", RecordList).rows
        added = [r for r in rows if r.id not in ids_before]
        assert sorted(r.received for r in added) == [date(2024, 11, 3), date(2024, 12, 5)]


async def test_a_bad_file_says_why(root, here):
    (here / "tom.csv").write_text("a;b;c\n1;2;3\n")
    app = ScreenApp(Workspace.open(root), SheetsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "findes-ikke.xlsx")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "filen findes ikke" in app.screen.shown_text()
        await pilot.press("f", "ctrl+u")
        await type_text(pilot, "tom.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        shown = app.screen.shown_text()
        assert "Kan ikke importeres" in shown and "fandt ingen" in shown
        await pilot.press("ctrl+s")  # nothing to apply
        await settle(app, pilot)
        assert isinstance(app.screen, SheetsScreen)


async def _export(app, pilot, name: str, one_period: bool, personal: bool) -> None:
    await pilot.press("escape", "e")  # leave the file field; e exports
    await pilot.pause()
    assert isinstance(app.screen, ExportRecordsScreen)
    await pilot.press("ctrl+u")
    await type_text(pilot, name)
    await pilot.press("tab")  # the periods
    if one_period:
        await pilot.press("down", "space")
    await pilot.press("tab")  # the box
    if personal:
        await pilot.press("space")
        await pilot.pause()
        assert "personoplysninger" in str(app.screen.query_one("#exp-warning").render())
    await pilot.press("shift+tab", "shift+tab", "enter")
    await settle(app, pilot)


@pytest.mark.parametrize("name, one_period, personal, args", [
    ("alle.csv", False, False, []),
    ("periode.md", True, True, ["--period", "2024/25", "--include-personal"]),
    ("alle.txt", False, True, ["--include-personal"]),
])
async def test_export_equals_caselog_export(root, here, tmp_path, name, one_period, personal,
                                            args):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SheetsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _export(app, pilot, name, one_period, personal)
        assert isinstance(app.screen, SheetsScreen)
    written = (here / name).read_bytes()
    expected = tmp_path / f"cmd-{name}"
    assert main(["export", str(root), "--output", str(expected), *args]) == 0
    assert written == expected.read_bytes()
    assert (b"Titel" in written) == personal  # the column of titles: personal data


async def test_export_xlsx_equals_caselog_export(root, here, tmp_path):
    app = ScreenApp(Workspace.open(root), SheetsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _export(app, pilot, "ud.xlsx", True, False)
    expected = tmp_path / "cmd.xlsx"
    assert main(["export", str(root), "--output", str(expected), "--period", "2024/25"]) == 0

    def cells(path):
        wb = openpyxl.load_workbook(path)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}

    got = cells(here / "ud.xlsx")
    assert got == cells(expected)
    assert len(got["Henvendelser"]) > 1


async def test_export_refuses_an_unknown_suffix_and_fits_80x24(root, here):
    app = ScreenApp(Workspace.open(root), SheetsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape", "e")
        await pilot.pause()
        box = app.screen.query_one("#exp-box")
        await pilot.press("tab", "tab", "space", "shift+tab", "shift+tab")  # the warning shows
        await pilot.pause()
        assert box.region.bottom <= 24 and box.region.right <= 80
        await pilot.press("ctrl+u")
        await type_text(pilot, "ud.doc")
        await pilot.press("enter")
        await pilot.pause()
        assert ".csv, .xlsx, .md eller .txt" in str(app.screen.query_one("#exp-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SheetsScreen)
    assert not (here / "ud.doc").exists()
