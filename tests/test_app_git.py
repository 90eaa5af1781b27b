"""Git in the running app: commits of saves, outside changes followed live, saving over an
outside change, the history and deleted records, ctrl+g, and no git at all.

Real git in a temporary folder with its own HOME (tests/gitutil.py).
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import make_app_folder
from gitutil import git as g
from gitutil import isolate_git
from textual.widgets import Input

from store.format import codec
from store.git import repo as git_repo
from store.workspace.workspace import Workspace
from tui.app import CaselogApp, available_screens
from tui.i18n import t
from tui.screens.commit import CommitScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.deleted import DeletedScreen
from tui.screens.history import HistoryScreen
from tui.screens.inquiry_form import InquiryForm
from tui.screens.stale import StaleScreen
from tui.widgets.record_list import RecordList

pytestmark = pytest.mark.asyncio

RID = "2024-05-10-a1b2"  # the newest inquiry: the first row of the list
REL = f"inquiries/2024/05/{RID}.toml"


@pytest.fixture
def repo(tmp_path, monkeypatch, app_env) -> Path:
    """The app's fixture folder, everything committed, with a private git identity."""
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    monkeypatch.setattr(CaselogApp, "WATCH_INTERVAL", 0.2)
    root = make_app_folder(tmp_path / "data")
    g(root, "add", "-A")
    g(root, "commit", "-q", "-m", "fixture")
    return root


def make_app(root: Path, summary: bool = False) -> CaselogApp:
    screens = {k: v for k, v in available_screens().items() if k == "summary"} if summary else {}
    return CaselogApp(Workspace.open(root), screens=screens)


async def until(pilot, condition, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def subjects(root: Path) -> list[str]:
    return g(root, "log", "--format=%s").splitlines()


def read(root: Path, rel: str) -> dict:
    return tomllib.loads((root / rel).read_text(encoding="utf-8"))


def write_outside(root: Path, rel: str, **changes) -> None:
    """Change a record's file as an editor would, behind the app's back."""
    record = codec.read_inquiry((root / rel).read_bytes(), rel)[0]
    (root / rel).write_text(codec.to_toml(replace(record, **changes)), encoding="utf-8")


def main_count(table: str, department: str) -> int:
    """The main-issue count of a department's row of Tabel 1 as shown."""
    line = next(ln for ln in table.splitlines() if ln.strip().startswith(department))
    return int(line.strip()[len(department):].split()[0])


def list_ids(app) -> list[str]:
    return [r.id for r in app.get_screen("inquiries").query_one(RecordList).rows]


def git_status_text(app) -> str:
    return str(app.get_screen("inquiries").query_one("#git-status").render())


async def test_a_registration_is_one_commit_of_its_file(repo):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.uncommitted_count == 0)
        assert git_status_text(app) == t("git.status.clean")
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, InquiryForm)
        form.query_one("#title", Input).value = "Ventetid"
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # to the main department
        for word in ("børn", "tab", "forvaltningss", "tab", "sagsb", "tab"):
            await pilot.press(*(list(word) if word != "tab" else ["tab"]))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, InquiryForm), app._notifications
        assert app.committer.flush(10)
        new = sorted(set(app.workspace.inquiries) - {RID, "2024-04-03-k7q2", "2023-06-01-c3d4"})
        assert len(new) == 1
        assert subjects(repo)[0] == f"Ny henvendelse {new[0]}"
        changed = g(repo, "show", "--format=", "--name-only", "HEAD").split()
        assert changed == [app.workspace.paths[new[0]]]
        await until(pilot, lambda: app.uncommitted_count == 0)
        assert g(repo, "status", "--porcelain") == ""


async def test_outside_edit_shows_in_list_and_summary_and_ctrl_g_commits_it(repo):
    app = make_app(repo, summary=True)
    async with app.run_test(size=(120, 30)) as pilot:  # wide: full department names
        await until(pilot, lambda: app.uncommitted_count == 0)
        await pilot.press("o")
        await pilot.pause()
        summary = app.screen
        before = summary.section_text("t1")
        assert "Børn & Familie" in before and "Miljø & Teknik" in before
        await pilot.press("escape")
        await pilot.pause()
        # kind and department change in an editor: the list and the summary follow
        write_outside(repo, REL, title="Rettet i editoren",
                      main=replace(app.workspace.get(RID).main, department="Børn & Familie"))
        started = time.monotonic()
        lst = app.get_screen("inquiries").query_one(RecordList)
        await until(pilot, lambda: any(r.title == "Rettet i editoren" for r in lst.rows), 2.0)
        assert time.monotonic() - started < 2.0
        await until(pilot, lambda: app.uncommitted_count == 1)
        assert git_status_text(app) == t("git.status.dirty", n=1)
        await pilot.press("o")
        await pilot.pause()
        after = summary.section_text("t1")
        # its only main issue moved from Miljø & Teknik to Børn & Familie
        assert main_count(before, "Miljø & Teknik") == 1 and main_count(after, "Miljø & Teknik") == 0
        assert main_count(after, "Børn & Familie") == main_count(before, "Børn & Familie") + 1
        await pilot.press("escape")
        await pilot.pause()
        # ctrl+g: the files changed outside, committed with the message typed
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, CommitScreen))
        box = app.screen.query_one("#commit-message", Input)
        assert box.value == t("git.msg.outside", n=1)
        box.value = "Rettet afdeling efter telefonsamtale"
        await pilot.press("enter")
        await until(pilot, lambda: app.uncommitted_count == 0)
        assert subjects(repo)[0] == "Rettet afdeling efter telefonsamtale"
        assert g(repo, "show", "--format=", "--name-only", "HEAD").split() == [REL]
        assert git_status_text(app) == t("git.status.clean")


async def open_and_change_on_disk(app, pilot, root: Path) -> InquiryForm:
    """Open RID, type a new title, and meanwhile someone closes the case on disk."""
    await until(pilot, lambda: app.uncommitted_count == 0)
    assert list_ids(app)[0] == RID
    await pilot.press("enter")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, InquiryForm)
    form.query_one("#title", Input).value = "Min titel"
    write_outside(root, REL, status="closed", closed=date(2024, 6, 1))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, StaleScreen))
    stale = app.screen
    fields = {row[0]: row[1:] for row in stale.rows}
    assert fields["status"] == ("closed", "open")
    assert fields["lukket"] == ("2024-06-01", "–")
    assert fields["titel"] == ("–", "ændret")  # a text field: named, its value not shown
    return form


async def test_saving_over_an_outside_change_keep_mine(repo):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_and_change_on_disk(app, pilot, repo)
        await pilot.press("b")
        await until(pilot, lambda: not form.is_attached)
        data = read(repo, REL)
        assert (data["title"], data["status"]) == ("Min titel", "open")
        assert "closed" not in data
        assert app.committer.flush(10)


async def test_saving_over_an_outside_change_take_the_one_on_disk(repo):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_and_change_on_disk(app, pilot, repo)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # not sure after all: back to the form, the draft kept
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#title", Input).value == "Min titel"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StaleScreen))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("j")
        await until(pilot, lambda: not form.is_attached)
        data = read(repo, REL)
        assert (data["title"], data["status"]) == ("Spørgsmål om aktindsigt", "closed")
        assert sorted(p.stem for p in (repo / "inquiries").rglob("*.toml")) == sorted(
            ["2024-04-03-k7q2", RID, "2023-06-01-c3d4"])


async def test_saving_over_an_outside_change_as_a_new_record(repo):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_and_change_on_disk(app, pilot, repo)
        await pilot.press("n")
        await until(pilot, lambda: not form.is_attached)
        data = read(repo, REL)
        assert (data["title"], data["status"]) == ("Spørgsmål om aktindsigt", "closed")
        files = {p.stem: p for p in (repo / "inquiries").rglob("*.toml")}
        new = [rid for rid in files if rid not in ("2024-04-03-k7q2", RID, "2023-06-01-c3d4")]
        assert len(new) == 1 and new[0].startswith("2024-05-10-")
        mine = tomllib.loads(files[new[0]].read_text(encoding="utf-8"))
        assert (mine["id"], mine["title"], mine["status"]) == (new[0], "Min titel", "open")
        assert app.committer.flush(10)
        assert subjects(repo)[0] == f"Ny henvendelse {new[0]}"


async def test_history_key_shows_the_versions(repo):
    ws = Workspace.open(repo)
    from tui.vcs import make_committer

    committer = make_committer(ws)
    ws.save(replace(ws.get(RID), status="closed", closed=date(2024, 6, 1)))
    committer.close()
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        await until(pilot, lambda: screen.versions is not None)
        text = screen.render_history().plain
        assert f"Ændret {RID}: status, lukket" in text and "status: åben → afsluttet" in text
        assert "fixture" in text and "Anna Rådgiver" in text
        assert len(screen.versions) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_a_deleted_record_is_listed_and_restored(repo):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.uncommitted_count == 0)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("j")
        await until(pilot, lambda: RID not in app.workspace.inquiries)
        assert app.committer.flush(10)
        assert subjects(repo)[0] == f"Slettet {RID}"
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, DeletedScreen))
        screen = app.screen
        await until(pilot, lambda: screen.records is not None)
        rows = screen.query_one(RecordList).rows
        assert [d.id for d in rows] == [RID] and rows[0].author == "Anna Rådgiver"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("j")
        await until(pilot, lambda: RID in app.workspace.inquiries)
        assert read(repo, REL)["title"] == "Spørgsmål om aktindsigt"
        assert app.committer.flush(10)
        assert subjects(repo)[0] == f"Gendannet {RID}"
        await until(pilot, lambda: screen.records == [])
        await pilot.press("escape")
        await pilot.pause()
        assert RID in list_ids(app)
        await until(pilot, lambda: app.uncommitted_count == 0)


async def test_without_git_the_app_works_and_says_so(tmp_path, monkeypatch, app_env):
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    getattr(git_repo.git_available, "cache_clear", lambda: None)()  # in case it is ever cached
    monkeypatch.setattr(CaselogApp, "WATCH_INTERVAL", 0.2)
    assert not git_repo.git_available()
    root = make_app_folder(tmp_path / "data")
    assert not (root / ".git").exists()
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.git_off == t("git.notice.no_git")
        assert git_status_text(app) == t("git.status.no_git")
        assert [n.message for n in list(app._notifications)] == [t("git.notice.no_git")]
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Uden git"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert read(root, REL)["title"] == "Uden git"
        # outside changes are still followed; ctrl+g and ctrl+y say why they cannot
        write_outside(root, REL, title="Rettet uden git")
        lst = app.get_screen("inquiries").query_one(RecordList)
        await until(pilot, lambda: any(r.title == "Rettet uden git" for r in lst.rows), 2.0)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert list(app._notifications)[-1].message == t("git.status.off", reason=t("git.notice.no_git"))
        await pilot.press("ctrl+q")
        await pilot.pause()
    getattr(git_repo.git_available, "cache_clear", lambda: None)()


def notices(app) -> list[str]:
    return [n.message for n in list(app._notifications)]


async def test_sync_key_sends_and_receives_and_says_how_to_add_a_remote(repo, tmp_path):
    app = make_app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.uncommitted_count == 0)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: any("remote add origin" in m for m in notices(app)))
        assert t("git.sync.no_remote", folder=str(repo)) in notices(app)
        # a shared copy: the first sync sends everything
        bare = tmp_path / "shared.git"
        g(tmp_path, "init", "-q", "--bare", str(bare))
        g(repo, "remote", "add", "origin", str(bare))
        await pilot.press("ctrl+y")
        branch = g(repo, "symbolic-ref", "--short", "HEAD").strip()  # git's default, as the bare's
        sent = t("git.sync.done", remote="origin", branch=branch, received=0, sent=2)
        await until(pilot, lambda: sent in "\n".join(notices(app)))
        # a colleague changes a record and pushes; the next sync brings it into the list
        clone = tmp_path / "clone"
        g(tmp_path, "clone", "-q", str(bare), str(clone))
        write_outside(clone, REL, title="Fra en kollega")
        g(clone, "commit", "-q", "-am", f"Ændret {RID}: titel")
        g(clone, "push", "-q", "origin", "HEAD")
        await pilot.press("ctrl+y")
        received = t("git.sync.done", remote="origin", branch=branch, received=1, sent=0)
        await until(pilot, lambda: received in "\n".join(notices(app)))
        lst = app.get_screen("inquiries").query_one(RecordList)
        await until(pilot, lambda: any(r.title == "Fra en kollega" for r in lst.rows), 2.0)
        await until(pilot, lambda: app.uncommitted_count == 0)


async def test_a_new_broken_file_shows_in_the_status_line(repo):
    app = make_app(repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.uncommitted_count == 0)
        status = app.get_screen("inquiries").query_one("#status-line")
        assert t("app.list.problems", n=1) not in str(status.render())
        broken = repo / "inquiries/2024/05/2024-05-11-zzzz.toml"
        broken.write_text('id = "2024-05-11-zzzz"\nstatus = open\n')
        await until(pilot, lambda: t("app.list.problems", n=1) in str(status.render()), 2.0)
        await until(pilot, lambda: app.uncommitted_count == 1)
