"""caselog anonymize: personal text goes, the tables stay, one commit, nothing printed."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.domain.summary import Tally, build_report, to_json
from store.folder.datafolder import DataFolder
from store.tools import anonymize
from store.workspace.workspace import Workspace
from tui.cli import main

SECRETS = ("Anna Hansen", "22334455", "anna@example.dk", "Sønnens anbringelse",
           "psykiatrisk diagnose", "Ukendt felt-tekst")

POINT = Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar")
FOLLOW = Point("Ældre, Sundhed & Social", "Andet", "Anden offentligretlig lovgivning")


def records() -> list[Inquiry | Appeal]:
    citizen = Citizen("Anna Hansen", "22334455", "anna@example.dk", extra={"note": "x"})
    return [
        # closed, before the date: anonymised
        Inquiry("2023-05-02-aaaa", date(2023, 5, 2), "complaint", "closed", POINT,
                closed=date(2023, 6, 1), channel="Telefon", title="Sønnens anbringelse",
                notes="Mor med psykiatrisk diagnose.\nRinger igen.", follow_up=(FOLLOW,),
                citizen=citizen, extra={"x_flag": True}),
        Inquiry("2024-03-30-bbbb", date(2024, 3, 30), "complaint-help", "closed", FOLLOW,
                closed=date(2024, 4, 2), channel="Mail", title="Sønnens anbringelse"),
        Inquiry("2023-12-24-cccc", date(2023, 12, 24), "inquiry", "closed", POINT,
                closed=date(2023, 12, 27), channel="Brev", notes="psykiatrisk diagnose"),
        # open: kept
        Inquiry("2023-07-01-dddd", date(2023, 7, 1), "complaint", "open", POINT,
                title="Sønnens anbringelse", citizen=citizen),
        # on or after the date: kept
        Inquiry("2024-04-01-eeee", date(2024, 4, 1), "complaint", "closed", POINT,
                closed=date(2024, 4, 5), title="Sønnens anbringelse", citizen=citizen),
        Appeal("2023-05-10-ffff", date(2023, 5, 10), "Ankestyrelsen", "Børn & Familie",
               "remarks", ("Sagsbehandlingstid",)),
    ]


ANONYMISED = {"2023-05-02-aaaa", "2024-03-30-bbbb", "2023-12-24-cccc"}
BEFORE = "2024-04-01"


def make(root: Path) -> Path:
    DataFolder.init(root)
    ws = Workspace.open(root)
    for r in records():
        ws.save(r)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    return root


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t.invalid")
    return subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args],
                          capture_output=True, text=True, check=True, env=env).stdout


def tables(root: Path) -> list[dict]:
    ws = Workspace.open(root)
    tally = Tally.of(ws.settings, ws.inquiries.values(), ws.appeals.values())
    return [to_json(build_report(tally, p)) for p in tally.active_periods()]


def file_texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text()
            for p in sorted((root / "inquiries").rglob("*.toml"))}


@pytest.fixture
def data(tmp_path) -> Path:
    return make(tmp_path / "data")


def test_anonymize_removes_the_text_and_keeps_the_tables(data, capsys):
    before_tables = tables(data)
    before_files = file_texts(data)
    assert len(before_tables) >= 2
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    out, err = capsys.readouterr()
    assert tables(data) == before_tables
    after = file_texts(data)
    assert after.keys() == before_files.keys()
    for rel, text in after.items():
        rid = Path(rel).stem
        if rid in ANONYMISED:
            for secret in SECRETS:
                assert secret not in text, (rel, secret)
            assert "[citizen]" not in text
            assert f'title = "{anonymize.MARKER}"' in text
            assert 'notes = ""' in text
        else:
            assert text == before_files[rel]  # untouched, byte for byte
    for secret in SECRETS:
        assert secret not in out + err
    assert "3" in out


def test_every_field_the_tables_use_is_kept(data):
    ws = Workspace.open(data)
    old = dict(ws.inquiries)
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    new = Workspace.open(data).inquiries
    for rid in ANONYMISED:
        a, b = old[rid], new[rid]
        for f in ("id", "received", "kind", "status", "closed", "channel", "main", "follow_up",
                  "source", "extra"):
            assert getattr(a, f) == getattr(b, f), (rid, f)
        assert (b.title, b.notes, b.citizen) == (anonymize.MARKER, "", None)
    assert new["2023-05-02-aaaa"].extra == {"x_flag": True}  # unknown keys kept


def test_one_commit_with_every_changed_file_and_a_plain_message(data, capsys):
    head = git(data, "rev-parse", "HEAD").strip()
    assert main(["anonymize", str(data), "--before", BEFORE, "--lang", "da"]) == 0
    out = capsys.readouterr().out
    log = git(data, "log", "--format=%s", f"{head}..HEAD").splitlines()
    assert log == [f"Anonymiseret 3 henvendelser modtaget før {BEFORE}"]
    changed = git(data, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(Path(p).stem for p in changed) == sorted(ANONYMISED)
    assert git(data, "status", "--porcelain") == ""
    # The old text is still in the history, and the output says so and how to purge it.
    assert "Sønnens anbringelse" in git(data, "show", f"{head}:inquiries/2023/05/2023-05-02-aaaa.toml")
    assert "git-historikken indeholder stadig den gamle tekst" in out
    assert "filter-repo --replace-text" in out and "rm -rf .git" in out


def test_other_uncommitted_changes_stay_out_of_the_commit(data):
    other = data / "inquiries/2024/04/2024-04-01-eeee.toml"
    other.write_text(other.read_text().replace("Sønnens", "Datterens"))
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    assert git(data, "status", "--porcelain").split() == ["M", "inquiries/2024/04/2024-04-01-eeee.toml"]


def test_dry_run_lists_ids_and_fields_only_and_changes_nothing(data, capsys):
    before = file_texts(data)
    head = git(data, "rev-parse", "HEAD")
    assert main(["anonymize", str(data), "--before", BEFORE, "--dry-run", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert file_texts(data) == before
    assert git(data, "rev-parse", "HEAD") == head
    lines = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert lines == [
        "2023-05-02-aaaa: title, notes, citizen removed",
        "2023-12-24-cccc: notes removed",
        "2024-03-30-bbbb: title removed",
    ]
    for secret in SECRETS:
        assert secret not in out + err


def test_a_second_run_finds_nothing(data, capsys):
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    head = git(data, "rev-parse", "HEAD")
    capsys.readouterr()
    assert main(["anonymize", str(data), "--before", BEFORE, "--lang", "en"]) == 0
    assert "No closed inquiry" in capsys.readouterr().out
    assert git(data, "rev-parse", "HEAD") == head


def test_an_interrupted_run_is_committed_by_the_next(data):
    result = DataFolder(data).load()
    planned = anonymize.plan(result, date(2024, 4, 1))
    anonymize.apply(data, planned[:1])  # as if the first run died after one file
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    assert git(data, "log", "-1", "--format=%s").startswith("Anonymiseret 3 ")
    assert git(data, "status", "--porcelain") == ""


def test_identity_fallback_when_git_has_none(tmp_path, monkeypatch):
    root = make(tmp_path / "data")
    home = tmp_path / "home"
    home.mkdir()
    for k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("USER", "radgiver")
    monkeypatch.setenv("LOGNAME", "radgiver")
    subprocess.run(["git", "-C", str(root), "config", "--unset", "user.name"], check=False)
    subprocess.run(["git", "-C", str(root), "config", "--unset", "user.email"], check=False)
    assert main(["anonymize", str(root), "--before", BEFORE]) == 0
    assert git(root, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        "radgiver <radgiver@localhost.invalid>|radgiver <radgiver@localhost.invalid>")


def test_without_git(tmp_path, capsys):
    root = tmp_path / "plain"
    DataFolder.init(root)
    subprocess.run(["rm", "-rf", str(root / ".git")], check=True)
    ws = Workspace.open(root)
    for r in records():
        ws.save(r)
    before = tables(root)
    assert main(["anonymize", str(root), "--before", BEFORE, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "not a git repository" in out
    assert tables(root) == before
    texts = file_texts(root)
    assert not any(s in texts[rel] for rel in texts if Path(rel).stem in ANONYMISED
                   for s in SECRETS)


def test_broken_files_are_named_and_the_exit_status_says_so(data, capsys):
    broken = data / "inquiries/2023/01/2023-01-05-zzzz.toml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('id = "2023-01-05-zzzz"\ntitle = "Sønnens anbringelse"\nnotes = """\n')
    os.chmod(broken, 0o600)
    assert main(["anonymize", str(data), "--before", BEFORE]) == 1
    out = capsys.readouterr().out
    assert "inquiries/2023/01/2023-01-05-zzzz.toml" in out
    assert "Sønnens anbringelse" not in out
    assert file_texts(data)["inquiries/2023/05/2023-05-02-aaaa.toml"].count("[anonymiseret]") == 1


def test_cpr_left_in_a_kept_field_is_pointed_out(data, capsys):
    ws = Workspace.open(data)
    r = ws.inquiries["2023-12-24-cccc"]
    from dataclasses import replace
    ws.save(replace(r, extra={"hand": "cpr 010190-1234"}))
    assert main(["anonymize", str(data), "--before", BEFORE, "--dry-run", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "2023-12-24-cccc: hand still looks like a CPR number" in out
    assert "010190" not in out


def test_a_failed_write_leaves_the_file_as_it_was(data, monkeypatch, capsys):
    import errno

    import store.format.files as files

    before = file_texts(data)
    calls = []

    def full(src, dst):
        calls.append(dst)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    assert main(["anonymize", str(data), "--before", BEFORE]) == 1
    err = capsys.readouterr().err
    assert "No space left" in err and "0" in err
    assert file_texts(data) == before
    assert not [p for p in data.rglob("*.tmp")]
    assert calls


def test_bad_date(data, capsys):
    assert main(["anonymize", str(data), "--before", "i morgen og så"]) == 2
    assert "i morgen og så" in capsys.readouterr().err


def test_danish_date_forms(data):
    assert main(["anonymize", str(data), "--before", "1.4.2024", "--dry-run"]) == 0


def test_cache_is_removed(data):
    cache = data / ".caselog"
    cache.mkdir(exist_ok=True)
    (cache / "index").write_bytes("Sønnens anbringelse".encode())
    assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    assert not (cache / "index").exists()


def test_waits_for_a_git_lock_held_by_the_app(data):
    import threading

    lock = data / ".git" / "index.lock"
    lock.write_text("")
    timer = threading.Timer(0.4, lock.unlink)
    timer.start()
    try:
        assert main(["anonymize", str(data), "--before", BEFORE]) == 0
    finally:
        timer.join()
    assert git(data, "log", "-1", "--format=%s").startswith("Anonymiseret 3 ")
