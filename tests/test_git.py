"""Git as the audit trail: one commit per save and delete, field-level history, restore."""

from __future__ import annotations

import getpass
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from gitutil import FOLLOW, appeal, inquiry, isolate_git
from gitutil import git as g

from store.folder.datafolder import DataFolder
from store.git import commits as git_commits
from store.git import repo as git_repo
from store.git import setup as git_setup
from store.workspace.workspace import Workspace
from tui.cli import main
from tui.i18n import set_language
from tui.vcs import commit_message, make_committer

RID = "2024-04-03-k7q2"
REL = f"inquiries/2024/04/{RID}.toml"



@pytest.fixture
def anna(tmp_path, monkeypatch) -> Path:
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    return DataFolder.init(tmp_path / "data").root


def subjects(root: Path) -> list[str]:
    return g(root, "log", "--format=%s").splitlines()


def files_of(root: Path, rev: str = "HEAD") -> list[str]:
    return g(root, "show", "--format=", "--name-only", rev).split()


def test_init_makes_a_repository_with_a_first_commit(anna):
    assert git_repo.is_repo(anna)
    assert sorted(files_of(anna)) == [".gitattributes", ".gitignore", "caselog.toml"]
    assert "inquiries/**/*.toml merge=caselog" in (anna / ".gitattributes").read_text()
    driver = g(anna, "config", "merge.caselog.driver").strip()
    assert driver.startswith(sys.executable) or sys.executable in driver
    assert driver.endswith("-m tui.cli merge-driver %O %A %B %P")
    assert g(anna, "status", "--porcelain") == ""


def test_the_count_of_uncommitted_records_is_the_length_of_their_list(anna):
    """``count_uncommitted`` counts what ``uncommitted(records_only=True)`` lists:
    new, changed and deleted record files, not the folder's own files, other
    files, dot files or files beside the record folders."""
    ws = Workspace.open(anna)
    for rid in (RID, "2024-05-01-abcd", "2024-05-02-efgh"):
        ws.save(inquiry(rid))
    ws.save(appeal("2024-04-09-k7q3"))
    g(anna, "add", "-A")
    g(anna, "commit", "-q", "-m", "records")
    assert git_commits.count_uncommitted(anna) == 0
    ws.save(replace(ws.get(RID), title="Ændret"))  # changed
    (anna / "inquiries/2024/05/2024-05-02-efgh.toml").unlink()  # deleted
    new = anna / "inquiries/2025/01/2025-01-02-ærø1.toml"  # new, in a new folder, not ASCII
    new.parent.mkdir(parents=True)
    new.write_text((anna / REL).read_text())
    (anna / "inquiries/2024/05/.2024-05-01-abcd.toml.swp").write_text("x")  # an editor's
    (anna / "inquiries/2024/05/.hidden.toml").write_text("x")
    (anna / "inquiries/notes.txt").write_text("x")
    (anna / "caselog.toml").write_text((anna / "caselog.toml").read_text() + "\n# edit\n")
    listed = git_commits.uncommitted(anna, records_only=True)
    assert len(listed) == 3 and git_commits.count_uncommitted(anna) == 3, listed


def test_save_edit_delete_one_commit_each(anna):
    ws = Workspace.open(anna)
    errors: list[str] = []
    committer = make_committer(ws, errors.append)
    # Something else changed in the folder must not be swept into the commits.
    (anna / "caselog.toml").write_text((anna / "caselog.toml").read_text() + "\n# hand edit\n")
    r = inquiry(RID)
    ws.save(r)
    ws.save(replace(r, status="closed", closed=date(2024, 4, 20)))
    ws.delete(ws.get(RID))
    a = appeal("2024-05-10-x9p1")
    ws.save(a)
    committer.close()
    assert errors == []
    assert subjects(anna)[:4] == [
        "Ny afgørelse 2024-05-10-x9p1",
        f"Slettet {RID}",
        f"Ændret {RID}: status, lukket",
        f"Ny henvendelse {RID}",
    ]
    for rev in ("HEAD~1", "HEAD~2", "HEAD~3"):
        assert files_of(anna, rev) == [REL]
    assert files_of(anna, "HEAD") == ["appeals/2024/05/2024-05-10-x9p1.toml"]
    # The hand edit of caselog.toml is still uncommitted, and the index is clean for records.
    assert git_commits.uncommitted(anna) == ["caselog.toml"]
    assert g(anna, "diff", "--cached", "--name-only") == ""
    assert g(anna, "log", "-1", "--format=%an <%ae>").strip() == "Anna Rådgiver <anna@example.org>"
    # Never personal data in a message.
    log = g(anna, "log", "--format=%B")
    assert "Borgerens" not in log and "Private" not in log


def test_each_save_commits_what_was_saved_then(anna):
    """Quick saves: the commit of the first save holds the first version, not a later one."""
    ws = Workspace.open(anna)
    committer = make_committer(ws)
    r = inquiry(RID)
    ws.save(r)
    ws.save(replace(r, channel="Mail"))
    committer.close()
    first = g(anna, "show", f"HEAD~1:{REL}")
    assert 'channel = "Telefon"' in first
    assert 'channel = "Mail"' in g(anna, "show", f"HEAD:{REL}")


def test_english_messages():
    set_language("en")
    from store.workspace.workspace import Change

    r = inquiry(RID)
    assert commit_message(Change("created", None, r, REL)) == f"New inquiry {RID}"
    changed = replace(r, status="closed", closed=date(2024, 4, 20), follow_up=(FOLLOW,))
    assert commit_message(Change("changed", r, changed, REL)) == \
        f"Changed {RID}: status, closed, follow-up issues"
    assert commit_message(Change("deleted", r, None, REL)) == f"Deleted {RID}"


def test_no_identity_configured(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "empty-home")
    root = DataFolder.init(tmp_path / "data").root
    ws = Workspace.open(root)
    errors: list[str] = []
    committer = make_committer(ws, errors.append)
    ws.save(inquiry(RID))
    committer.close()
    assert errors == []
    author = g(root, "log", "-1", "--format=%an <%ae>").strip()
    assert author.startswith(getpass.getuser() + " <")
    assert author.endswith(".invalid>")


def test_without_git_on_path(tmp_path, monkeypatch, capsys):
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert not git_repo.git_available()
    assert main(["init", str(tmp_path / "data"), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "git is not installed" in err and "without history" in err
    root = tmp_path / "data"
    assert not (root / ".git").exists()
    ws = Workspace.open(root)
    committer = make_committer(ws)
    assert not committer.enabled
    ws.save(inquiry(RID))
    committer.close()
    assert (root / REL).exists()
    assert main(["log", str(root), "--lang", "en"]) == 1
    assert "git is not installed" in capsys.readouterr().err


def test_failed_commit_is_reported_kept_and_retried(anna):
    ws = Workspace.open(anna)
    errors: list[str] = []
    committer = make_committer(ws, errors.append)
    head = anna / ".git" / "HEAD"
    good = head.read_bytes()
    head.write_bytes(b"broken\n")  # git no longer sees a repository
    ws.save(inquiry(RID))
    committer.flush()
    assert len(errors) == 1 and "gemt i filen" in errors[0]
    assert (anna / REL).exists()
    assert REL in committer.pending
    head.write_bytes(good)
    assert committer.commit_pending()
    committer.close()
    assert subjects(anna)[0] == f"Ny henvendelse {RID}"
    assert files_of(anna) == [REL]


def test_outside_changes_and_caselog_commit(anna, capsys):
    ws = Workspace.open(anna)
    committer = make_committer(ws)
    ws.save(inquiry(RID))
    committer.close()
    path = anna / REL
    path.write_text(path.read_text().replace('status = "open"', 'status = "closed"'))
    other = anna / "appeals/2024/05/2024-05-10-x9p1.toml"
    other.parent.mkdir(parents=True)
    other.write_text("id = 'x'\n")
    (anna / "notes.txt").write_text("not a record")
    assert git_commits.uncommitted(anna, records_only=True) == [
        "appeals/2024/05/2024-05-10-x9p1.toml", REL]
    assert main(["commit", str(anna), "-m", "Rettet i hånden"]) == 0
    assert subjects(anna)[0] == "Rettet i hånden"
    assert sorted(files_of(anna)) == ["appeals/2024/05/2024-05-10-x9p1.toml", REL]
    assert git_commits.uncommitted(anna) == []
    capsys.readouterr()
    assert main(["commit", str(anna), "-m", "x"]) == 0
    assert "Intet at gemme" in capsys.readouterr().out


def test_log_shows_field_changes(anna, capsys):
    ws = Workspace.open(anna)
    committer = make_committer(ws)
    r = inquiry(RID)
    ws.save(r)
    r = replace(r, status="closed", closed=date(2024, 4, 20), notes="Endnu mere privat")
    ws.save(r)
    ws.save(replace(r, follow_up=(FOLLOW, FOLLOW)))
    committer.close()
    capsys.readouterr()
    assert main(["log", str(anna), RID, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "status: open → closed" in text
    assert "closed: → 2024-04-20" in text
    assert "notes changed" in text
    assert "follow-up issues[2] added: Børn & Familie / Forvaltningsskik / Inddragelse" in text
    assert "Anna Rådgiver" in text
    assert f"Changed {RID}" in text or f"Ændret {RID}" in text
    assert "privat" not in text and "Private" not in text and "Borgerens" not in text
    # The newest version comes first.
    assert text.index("follow-up issues[2]") < text.index("status: open → closed")
    assert main(["log", str(anna), RID, "--show-text", "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert '"Private noter om borgeren" → "Endnu mere privat"' in shown
    # The folder's recent commits.
    assert main(["log", str(anna), "--lang", "en"]) == 0
    recent = capsys.readouterr().out
    assert f"{RID}: created" in recent and "status: open → closed" in recent
    assert main(["log", str(anna), "2024-01-01-zzzz", "--lang", "en"]) == 1


def test_deleted_record_is_found_and_restored(anna, capsys):
    ws = Workspace.open(anna)
    committer = make_committer(ws)
    ws.save(inquiry(RID, status="closed", closed=date(2024, 4, 9)))
    ws.save(inquiry("2024-04-04-abcd"))
    ws.delete(ws.get(RID))
    committer.close()
    before = g(anna, "show", f"HEAD~1:{REL}")
    capsys.readouterr()
    assert main(["log", str(anna), "--deleted"]) == 0
    listing = capsys.readouterr().out
    assert RID in listing and "2024-04-04-abcd" not in listing
    assert main(["restore", str(anna), RID]) == 0
    assert (anna / REL).read_text() == before
    assert (anna / REL).stat().st_mode & 0o077 == 0
    assert subjects(anna)[0] == f"Gendannet {RID}"
    assert files_of(anna) == [REL]
    assert main(["restore", str(anna), RID]) == 1
    assert "findes allerede" in capsys.readouterr().err
    assert main(["log", str(anna), "--deleted"]) == 0
    assert "Ingen slettede" in capsys.readouterr().out


def test_merge_driver_set_up_for_a_plain_clone(anna, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(anna), str(clone)], check=True)
    assert subprocess.run(["git", "-C", str(clone), "config", "merge.caselog.driver"],
                          capture_output=True).returncode == 1
    assert git_setup.ensure_merge_driver(clone)
    assert "merge-driver" in g(clone, "config", "merge.caselog.driver")
    assert not git_setup.ensure_merge_driver(clone)  # nothing missing the second time
    assert g(clone, "status", "--porcelain") == ""


async def test_history_screen_shows_field_changes(anna):
    from textual.app import App

    from tui.screens.history import HistoryScreen

    ws = Workspace.open(anna)
    committer = make_committer(ws)
    r = inquiry(RID, title="[bold]markup[/bold]")
    ws.save(r)
    ws.save(replace(r, status="closed", closed=date(2024, 4, 20)))
    committer.close()

    class Host(App):
        def __init__(self):
            super().__init__()
            self.workspace = ws

        def on_mount(self):
            self.push_screen(HistoryScreen(RID))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen.render_history().plain
        assert "status: åben → afsluttet" in text and "lukket: → 2024-04-20" in text
        assert "markup" not in text
        await pilot.press("t")
        assert "[bold]markup[/bold]" in screen.render_history().plain
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


def test_the_lock_of_a_folder_made_a_repository_later_is_its_own(tmp_path, monkeypatch):
    # Asked while the folder lay inside another repository (a home folder kept
    # in git) and was none itself, git_path named that repository's git folder,
    # and kept it: the folder's commits then took another lock than its own.
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    outer = tmp_path / "home"
    g(outer, "init", "-q")
    folder = outer / "caselog"
    folder.mkdir()
    with pytest.raises(git_repo.GitError):
        git_repo.git_path(folder, "caselog.lock")  # not a repository (of its own) yet
    DataFolder.init(folder)
    assert git_repo.git_path(folder, "caselog.lock").resolve() == \
        (folder / ".git" / "caselog.lock").resolve()
    with git_repo.repo_lock(folder):
        assert (folder / ".git" / "caselog.lock").exists()


def test_a_folder_deleted_and_made_again_is_asked_again(tmp_path, monkeypatch):
    import shutil

    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    folder = tmp_path / "data"
    DataFolder.init(folder)
    assert git_repo.git_path(folder, "x").parent == folder / ".git"
    shutil.rmtree(folder)
    folder.mkdir()
    g(tmp_path, "init", "-q", "--separate-git-dir", str(tmp_path / "elsewhere.git"), str(folder))
    assert git_repo.git_path(folder, "x").parent.resolve() == (tmp_path / "elsewhere.git").resolve()


def test_closing_waits_for_the_commits_not_for_a_count(tmp_path):
    """A call marked ``may_drop`` (the status line's count) is not waited for at close:
    one queued is never run, one running is left to end and its result not handed
    over; a call not so marked (a sync, a commit) is waited for, as ever."""
    import threading
    import time as time_

    from store.git.commits import Committer

    c = Committer(tmp_path)
    assert not c.busy()
    done = c.submit(lambda: time_.sleep(0.3) or "synced")
    assert c.busy()
    release = threading.Event()
    running = c.submit(lambda: release.wait(10) and 5, may_drop=True)
    queued = c.submit(lambda: 6, may_drop=True)
    t0 = time_.monotonic()
    c.close(timeout=10)
    assert time_.monotonic() - t0 < 2  # not the 10 s of the running count
    assert done.result(0) == "synced" and not c.busy()  # (the count is no work to wait for)
    assert queued.cancelled() and not running.done()
    release.set()
    time_.sleep(0.2)
    assert not running.done()  # its result not handed over after close


def test_a_callback_of_a_call_may_queue_more_and_nothing_goes_after_close(tmp_path):
    """A done-callback that queues more work runs without blocking the committer;
    once closed, it takes no more work (its thread may still be ending a count)."""
    import threading

    import pytest

    from store.git.commits import Committer

    c = Committer(tmp_path)
    follow: list = []
    first = c.submit(lambda: 1)
    first.add_done_callback(lambda f: follow.append(c.submit(lambda: 2)))
    assert first.result(5) == 1
    c.flush(5)
    assert follow and follow[0].result(5) == 2
    other = threading.Thread(target=lambda: follow.append(c.submit(lambda: 3)))
    other.start()
    other.join(5)
    assert not other.is_alive() and follow[1].result(5) == 3
    c.close(5)
    with pytest.raises(RuntimeError):
        c.submit(lambda: 4)
