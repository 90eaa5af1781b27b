"""The problems screen and the file view: broken files listed by line, shown literally."""

from __future__ import annotations

import os

import pytest
from screen_app import TODAY, ScreenApp, make_folder

from store.workspace.workspace import Workspace
from tui.i18n import set_language
from tui.screens.file_view import FileViewScreen, numbered, read_for_view
from tui.screens.problems import ProblemsScreen
from tui.widgets.record_list import RecordList

BROKEN = 'id = "2024-05-01-zzzz"\nreceived = 2024-05-01\nkind = "complaint"\nstatus = open\n'


@pytest.fixture(autouse=True)
def _fixed(monkeypatch):
    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    set_language("da")
    yield
    set_language("da")


@pytest.fixture
def root(tmp_path):
    root = make_folder(tmp_path / "data")
    d = root / "inquiries" / "2024" / "05"
    d.mkdir(parents=True)
    (d / "2024-05-01-zzzz.toml").write_text(BROKEN)
    os.chmod(d / "2024-05-01-zzzz.toml", 0o600)
    return root


async def test_lists_the_broken_file_with_its_line_and_opens_it(root):
    ws = Workspace.open(root)
    app = ScreenApp(ws, ProblemsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(RecordList)
        rows = [(p.path, p.line, p.severity) for p in lst.rows]
        assert rows == [("inquiries/2024/05/2024-05-01-zzzz.toml", 4, "error")]
        assert "ikke gyldig TOML" in lst.rows[0].message("da")
        detail = str(app.screen.query_one("#problems-detail").render())
        assert "2024-05-01-zzzz.toml:4: fejl: ikke gyldig TOML" in detail
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, FileViewScreen)
        text = str(view.query_one("#file-text").render())
        assert "▶4 │ status = open" in text
        assert " 3 │ kind" in text
        assert "Linje 4: ikke gyldig TOML" in str(view.query_one("#file-notes").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)


async def test_follows_a_fix_on_disk_and_speaks_english(root):
    set_language("en")
    ws = Workspace.open(root)
    app = ScreenApp(ws, ProblemsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(RecordList)
        assert "not valid TOML" in lst._cells(lst.rows[0])[3]
        rel = "inquiries/2024/05/2024-05-01-zzzz.toml"
        fixed = BROKEN.replace("status = open", 'status = "open"') + (
            '[main]\ndepartment = "Øvrige"\ntheme = "GDPR"\nsubtheme = "Behandlingssikkerhed"\n')
        (root / rel).write_text(fixed)
        ws.reload_path(rel)
        await pilot.pause()
        assert list(lst.rows) == []
        assert "Problems · 0 in all" in str(app.screen.query_one("#problems-bar").render())


def test_read_for_view_shows_bytes_literally(tmp_path):
    (tmp_path / "a.toml").write_bytes(b'title = "\x1b[31mred\x1b[0m [bold]x[/bold]"\nbad = "\xff"\n')
    content = read_for_view(tmp_path, "a.toml")
    assert content.lines == ['title = "\x1b[31mred\x1b[0m [bold]x[/bold]"', 'bad = "\ufffd"']
    assert any("UTF-8" in n for n in content.notices)
    shown = numbered(content.lines, {2})
    assert "\x1b" not in shown.plain and "␛[31mred" in shown.plain
    assert "[bold]x[/bold]" in shown.plain  # never markup
    assert shown.plain.splitlines()[1].startswith("▶2 │ ")


def test_read_for_view_never_follows_links(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not show\n")
    (tmp_path / "f").mkdir()
    os.symlink(secret, tmp_path / "f" / "link.toml")
    os.symlink(tmp_path / "f", tmp_path / "linked")
    (tmp_path / "f" / "ok.toml").write_text("x = 1\n")
    for rel in ("f/link.toml", "linked/ok.toml", "../secret.txt", "/etc/passwd"):
        content = read_for_view(tmp_path, rel)
        assert content.lines == [], rel
        assert content.notices, rel
    assert read_for_view(tmp_path, "f/ok.toml").lines == ["x = 1"]
    os.mkfifo(tmp_path / "f" / "fifo.toml")
    assert read_for_view(tmp_path, "f/fifo.toml").lines == []
    assert read_for_view(tmp_path, "f/missing.toml").notices
