"""The summary screen: live after a save, period keys, export, snapshots."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from screen_app import TODAY, ScreenApp, make_folder

from store.domain.records import Inquiry, Point
from store.workspace.workspace import Workspace
from tui.cli import main
from tui.i18n import set_language
from tui.screens.summary import SummaryScreen


@pytest.fixture(autouse=True)
def _fixed(monkeypatch):
    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    set_language("da")
    yield
    set_language("da")


@pytest.fixture
def root(tmp_path):
    return make_folder(tmp_path / "data")


def total_row(screen: SummaryScreen, key: str = "t1") -> list[str]:
    lines = [ln.split() for ln in screen.section_text(key).splitlines()]
    row = next(ln for ln in lines if ln[:2] == ["I", "alt"])
    return row[2:]


async def test_summary_follows_a_save(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.period.label == "2024/25"
        # main, follow-up, total, share, previous period
        assert total_row(screen) == ["4", "2", "6", "100,0", "%", "2"]
        ws.save(Inquiry("2025-02-14-c001", date(2025, 2, 14), "complaint", "open",
                        Point("Miljø & Teknik", "GDPR", "Databehandlingsskik"),
                        follow_up=(Point("Øvrige", "GDPR", "Behandlingssikkerhed"),)))
        await pilot.pause()
        assert total_row(screen) == ["5", "3", "8", "100,0", "%", "2"]
        assert "5 henvendelser med i alt 8 klagepunkter" in screen.section_text("heading-2")
        # and a delete takes it away again
        ws.delete(ws.get("2025-02-14-c001"))
        await pilot.pause()
        assert total_row(screen)[:3] == ["4", "2", "6"]


async def test_period_keys_and_theme_cycle(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("comma")
        assert screen.period.label == "2023/24"
        assert total_row(screen) == ["2", "0", "2", "100,0", "%", "1"]
        assert "2022/23" in screen.section_text("f2") and "2023/24" in screen.section_text("f2")
        await pilot.press("full_stop", "full_stop")
        assert screen.period.label == "2025/26"
        assert "Ingen henvendelser" in screen.section_text("empty")
        await pilot.press("comma")
        assert "Forvaltningsskik" in screen.section_text("f4")
        await pilot.press("t")  # themes with points, in taxonomy order, round
        assert screen.focus_theme == "Andet"
        await pilot.press("t")
        assert screen.focus_theme == "GDPR"
        assert "Behandlingssikkerhed" in screen.section_text("f4")
        # rows without points are hidden; z shows them
        assert "Notatpligt" not in screen.section_text("t2")
        await pilot.press("z")
        assert "Notatpligt" in screen.section_text("t2")


async def test_appeal_tables_and_sentence(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        texts = " ".join(text for key, text in
                         ((k, screen.section_text(k)) for k, _ in screen.sections))
        assert "bemærkninger til sagsbehandlingen i 1 af 2 sager" in texts
        assert total_row(screen, "t3") == ["1", "1", "1", "3", "1"]
        assert total_row(screen, "t4") == ["1", "0", "1"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder with a documents folder (XDG's user-dirs.dirs names it)."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "Dokumenter").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Dokumenter"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.chdir(tmp_path)  # not where the file goes
    return home


async def _export_dialog(app, pilot, *keys: str):
    await pilot.pause()
    await pilot.press(*keys, "e")
    await pilot.pause()
    return app.screen.query_one("#export-name")


async def _save(app, pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_equals_caselog_report(root, home, capsys):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        name = await _export_dialog(app, pilot)
        # a Word document in the documents folder, unless told otherwise
        assert name.value == str(home / "Dokumenter" / "opgoerelse-2024-25.docx")
        assert "Dokumenter" in str(app.screen.query_one(".export-hint").render())
        name.value = "opgoerelse-2024-25.md"  # no folder: the documents folder
        await _save(app, pilot)
    written = (home / "Dokumenter" / "opgoerelse-2024-25.md").read_text()
    assert main(["report", str(root), "--period", "2024/25", "--format", "md"]) == 0
    assert written == capsys.readouterr().out
    assert "| **I alt** | **4** | **2** | **6** |" in written


async def test_export_csv_by_extension_and_bad_name(root, home, tmp_path, capsys):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        name = await _export_dialog(app, pilot, "comma")
        assert name.value.endswith("opgoerelse-2023-24.docx")
        name.value = "tabeller.doc"
        await pilot.press("enter")
        await pilot.pause()
        assert ".docx, .html, .xlsx, .md, .txt eller .csv" in str(
            app.screen.query_one("#export-error").render())
        name.value = str(tmp_path / "tabeller.csv")  # a folder written: that folder
        await pilot.pause()
        assert app.screen.query_one("#export-csv").value  # the extension chose the format
        await _save(app, pilot)
    written = (tmp_path / "tabeller.csv").read_text()
    assert main(["report", str(root), "--period", "2023/24", "--format", "csv"]) == 0
    assert written == capsys.readouterr().out


def _docx_tables(path):
    import docx

    return [[[c.text for c in row.cells] for row in table.rows]
            for table in docx.Document(str(path)).tables]


async def test_export_docx_equals_caselog_report_docx(root, home, tmp_path):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _export_dialog(app, pilot)
        await _save(app, pilot)
    written = home / "Dokumenter" / "opgoerelse-2024-25.docx"
    expected = tmp_path / "expected.docx"
    assert main(["report", str(root), "--period", "2024/25", "--format", "docx",
                 "-o", str(expected)]) == 0
    assert _docx_tables(written) == _docx_tables(expected)
    assert len(_docx_tables(written)) == 4


async def test_export_format_chosen_by_keys_and_figure4_as_shown(root, home, monkeypatch):
    from tui.documents import charts

    drawn = []
    monkeypatch.setattr(charts, "svg", lambda f: drawn.append(f) or "<svg></svg>")
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")  # Figur 4 of another theme
        theme = app.screen.focus_theme
        assert theme != "Forvaltningsskik"
        name = await _export_dialog(app, pilot)
        await pilot.press("shift+tab", "down", "enter")  # the format list: HTML
        await pilot.pause()
        assert name.value == str(home / "Dokumenter" / "opgoerelse-2024-25.html")
        await pilot.press("down", "enter")  # Excel
        await pilot.pause()
        assert name.value.endswith(".xlsx")
        await pilot.press("up", "enter", "tab")  # back to HTML, and to the file name
        await pilot.pause()
        assert name.value.endswith(".html") and app.screen.focused is name
        await _save(app, pilot)
    page = (home / "Dokumenter" / "opgoerelse-2024-25.html").read_text(encoding="utf-8")
    assert "<caption>Tabel 1 Fordeling af henvendelser i de enkelte afdelinger</caption>" in page
    assert [f.key for f in drawn] == ["f1", "f2", "f3", "f4"]
    assert drawn[3].title == f"Figur 4: Emner under '{theme}'"


async def test_export_dialog_fits_80x24(root, home):
    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _export_dialog(app, pilot)
        box = app.screen.query_one("#export-box")
        assert box.region.height <= 24 and box.region.width <= 80
        for widget in app.screen.query("RadioButton, Input, .export-hint"):
            assert widget.region.bottom <= box.region.bottom
            assert widget.region.height >= 1


def test_documents_folder(tmp_path, monkeypatch):
    from tui.documents.folder import documents_dir

    home = tmp_path / "h"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "cfg"))
    assert documents_dir(home) == home  # nothing there: the home folder
    (home / "Dokumenter").mkdir()
    assert documents_dir(home) == home / "Dokumenter"
    (home / "Documents").mkdir()
    assert documents_dir(home) == home / "Documents"
    (home / "cfg").mkdir()
    (home / "Mine dokumenter").mkdir()
    (home / "cfg" / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DOCUMENTS_DIR="$HOME/Mine dokumenter"\n')
    assert documents_dir(home) == home / "Mine dokumenter"
    (home / "cfg" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/"\n')  # switched off
    assert documents_dir(home) == home / "Documents"


def _snap_app(root):
    return ScreenApp(Workspace.open(root), SummaryScreen)


def test_snapshot_80x24(root, snap_compare):
    assert snap_compare(_snap_app(root), terminal_size=(80, 24))


def test_snapshot_160x50(root, snap_compare):
    assert snap_compare(_snap_app(root), terminal_size=(160, 50))


async def test_through_the_real_app(root):
    from tui.app import CaselogApp

    ws = Workspace.open(root)
    app = CaselogApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert total_row(screen)[:3] == ["4", "2", "6"]
        ws.save(Inquiry("2025-02-14-c002", date(2025, 2, 14), "inquiry", "open",
                        Point("Børn & Familie", "Andet", "Privatretlige spørgsmål")))
        await pilot.pause()
        assert total_row(screen)[:3] == ["5", "2", "7"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "InquiriesScreen"
        # back on the summary (installed, so the same screen), a change made meanwhile shows
        ws.delete(ws.get("2025-02-14-c002"))
        await pilot.press("o")
        await pilot.pause()
        assert app.screen is screen
        assert total_row(screen)[:3] == ["4", "2", "6"]
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AppealsScreen"
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ProblemsScreen"


# -- speed without a visible change --------------------------------------------------------

def _summary_items(root, period_label, short, show_zero):
    from store.domain.summary import across_periods, build_report
    from tui import render as rd

    ws = Workspace.open(root)
    period = next(p for p in ws.tally.active_periods() if p.label == period_label)
    report = build_report(ws.tally, period, [])
    across = across_periods(ws.tally, period, 3)
    return rd.summary_renderables(report, across, "Forvaltningsskik", show_zero, short)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", str(path), "--no-open"]) == 0
    return path


def same_drawing(drawn, table, console, options) -> None:
    assert drawn.__rich_measure__(console, options) == table.__rich_measure__(console, options)
    assert list(console.render(drawn, options)) == list(console.render(table, options))


@pytest.mark.parametrize(("short", "show_zero"), [(False, False), (True, True)])
def test_drawn_tables_measure_and_draw_as_the_tables(demo, short, show_zero):
    """A table drawn once and replayed (``Drawn``) gives Textual what the table gives,
    in any room, asked in any order: the same measurement, the same segments."""
    from rich.console import Console
    from rich.table import Table

    from tui.render import PlainTable
    from tui.screens.summary import Drawn

    items = [i for i in _summary_items(demo, "2024/25", short, show_zero)
             if isinstance(i, Table)]
    assert len(items) == 8
    assert all(PlainTable.of(i) for i in items)  # all drawn without Rich's table layout
    console = Console(width=200, force_terminal=True, color_system="truecolor")
    widths = [200, 116, 60, 13, 0, 118, 200]  # fits, shrinks, nothing; again
    for item in items:
        drawn = Drawn(item)
        for width in widths:
            options = console.options.update_width(width)
            same_drawing(drawn, item, console, options)
            same_drawing(drawn, item, console, options)  # from what was kept


def test_drawn_empty_period(root):
    """No rows, a title wider than the table, columns with nothing in them."""
    from rich.console import Console
    from rich.table import Table

    from tui.screens.summary import Drawn

    items = [i for i in _summary_items(root, "2022/23", False, False) if isinstance(i, Table)]
    ws = Workspace.open(root)
    from store.domain.summary import across_periods, build_report
    from tui import render as rd

    period = ws.tally.active_periods()[0].previous()
    report = build_report(ws.tally, period, [])
    items += [i for i in rd.summary_renderables(report, across_periods(ws.tally, period, 3))
              if isinstance(i, Table)]
    console = Console(width=200, force_terminal=True, color_system="truecolor")
    for item in items:
        for width in (156, 40, 8):
            same_drawing(Drawn(item), item, console, console.options.update_width(width))


_words = st.text(alphabet=st.sampled_from("ab1 ,%æ漢\u0301-"), max_size=14)


@settings(max_examples=150, deadline=None)
@given(
    headers=st.lists(st.one_of(_words, st.just(None)), min_size=1, max_size=5),
    rows=st.lists(st.tuples(st.lists(_words, min_size=5, max_size=5),
                            st.sampled_from(["", "bold", "dim", "on red", None]),
                            st.booleans()), max_size=5),
    kind=st.sampled_from(["simple_head", "none", "square", "no_header"]),
    justify=st.lists(st.sampled_from(["left", "right"]), min_size=5, max_size=5),
    styles=st.lists(st.sampled_from(["", "dim", "bold red"]), min_size=5, max_size=5),
    no_wrap=st.lists(st.booleans(), min_size=5, max_size=5),
    min_width=st.sampled_from([None, 3, 12]),
    cell_style=st.sampled_from(["", "cyan"]),
    title=st.sampled_from([None, "T", "A title longer than the table is wide"]),
    width=st.integers(min_value=0, max_value=90),
)
def test_plain_tables_draw_as_rich_does(headers, rows, kind, justify, styles, no_wrap,
                                        min_width, cell_style, title, width):
    """Tables of one-line cells: measured and drawn as Rich does, where they fit (and by
    Rich where they do not), for any cell texts, styles, boxes and rooms."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.screens.summary import Drawn

    table = Table(title=Text(title, style="bold") if title else None, title_justify="left",
                  box={"simple_head": box.SIMPLE_HEAD, "square": box.SQUARE}.get(kind),
                  show_edge=False, pad_edge=False, show_header=kind != "no_header")
    for i, header in enumerate(headers):  # None: a column added without a header ("")
        table.add_column("" if header is None else Text(header), justify=justify[i],
                         style=styles[i], no_wrap=no_wrap[i],
                         min_width=min_width if i == 0 else None)
    for cells, style, end_section in rows:
        table.add_row(*[Text(c, style=cell_style if i == len(headers) - 1 else "")
                        for i, c in enumerate(cells[:len(headers)])],
                      style=style, end_section=end_section)
    console = Console(width=200, force_terminal=True, color_system="truecolor")
    same_drawing(Drawn(table), table, console, console.options.update_width(width))


async def test_footer_shows_the_keys_of_textuals_footer(root):
    """The summary's footer composes its keys at once and again only when they change;
    it shows what Textual's Footer shows, also after the bindings change."""
    from textual.widgets import Footer

    from tui.widgets.footer import SteadyFooter

    def keys(screen):
        footer = screen.query_one(Footer)
        return [(k.key, k.description, k.disabled, sorted(k.classes)) for k in
                footer.query("FooterKey")]

    class PlainFooter(SummaryScreen):
        def compose(self):
            for widget in super().compose():
                yield Footer() if isinstance(widget, SteadyFooter) else widget

    ws = Workspace.open(root)
    shown = []
    for make in (SummaryScreen, PlainFooter):
        app = ScreenApp(ws, make)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            first = keys(app.screen)
            await pilot.press("comma")
            await pilot.pause()
            app.screen.query_one("#summary-scroll").blur()
            await pilot.pause()
            shown.append((first, keys(app.screen)))
    assert shown[0] == shown[1]
    assert any(k[0] == "e" for k in shown[0][0])


async def test_tables_drawn_before_are_not_drawn_again(root):
    """Back on a period: its tables are the ones drawn before. After a save, only the
    tables it changed are new; the others keep what was drawn."""
    from tui.screens.summary import Drawn

    ws = Workspace.open(root)
    app = ScreenApp(ws, SummaryScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen

        def shown():
            return {k: v for k, v in screen._shown.items() if isinstance(v, Drawn)}

        first = shown()
        assert set(first) == {"t1", "f1", "t2", "f3", "f4", "f2", "t3", "t4"}
        await pilot.press("comma")
        await pilot.pause()
        assert all(shown()[k] is not first[k] for k in ("t1", "t2", "t3"))
        await pilot.press("full_stop")
        await pilot.pause()
        assert shown() == first and all(shown()[k] is first[k] for k in first)
        ws.save(Inquiry("2025-02-14-c003", date(2025, 2, 14), "complaint", "open",
                        Point("Miljø & Teknik", "GDPR", "Databehandlingsskik")))
        await pilot.pause()
        after = shown()
        assert after["t3"] is first["t3"] and after["t4"] is first["t4"]  # appeals: as they were
        assert after["t1"] is not first["t1"] and after["t2"] is not first["t2"]
        assert total_row(screen)[:3] == ["5", "2", "7"]


def test_signature_tells_tables_apart():
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from tui.screens.summary import drawn, signature

    def table(cell="1", style="", title="T", justify="right"):
        t = Table(title=Text(title, style="bold"))
        t.add_column(Text("a"), justify=justify)
        t.add_row(Text(cell), style=style)
        return t

    assert signature(table()) == signature(table())
    assert drawn(table()) is drawn(table())
    for other in (table(cell="2"), table(style="bold"), table(title="U"), table(justify="left")):
        assert signature(other) != signature(table())
        assert drawn(other) is not drawn(table())
    odd = table()
    odd.add_row(Panel("1"))  # a cell it does not know: never taken for another table
    assert signature(odd) is None
