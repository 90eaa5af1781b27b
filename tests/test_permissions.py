"""Files private to their owner: 0600 files and 0700 folders whatever the umask; check warns."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from store.domain.records import Appeal, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.format.files import atomic_write, ensure_dir
from store.workspace.workspace import Workspace
from tui.cli import main

POINT = Point("Børn & Familie", "Andet", "Privatretlige spørgsmål")


@pytest.fixture(params=[0o000, 0o022, 0o002], ids=["umask0", "umask022", "umask002"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def inquiry(rid: str, **kw) -> Inquiry:
    return Inquiry(rid, date.fromisoformat(rid[:10]), "complaint", "open", POINT, **kw)


def test_init_makes_a_private_folder(tmp_path, umask):
    root = tmp_path / "new" / "data"  # the parent is created too
    DataFolder.init(root)
    assert mode(root) == 0o700
    assert mode(root.parent) == 0o700
    for d in ("inquiries", "appeals"):
        assert mode(root / d) == 0o700
    for f in ("caselog.toml", ".gitignore"):
        assert mode(root / f) == 0o600


def test_init_of_an_existing_open_folder_closes_it(tmp_path, umask):
    # git writes its objects (every version of every record) with the umask's
    # modes; the folder above them must keep others out.
    root = tmp_path / "existing"
    root.mkdir()
    os.chmod(root, 0o755)
    DataFolder.init(root)
    assert mode(root) == 0o700


def test_init_refusing_an_existing_folder_changes_nothing(tmp_path):
    root = tmp_path / "data"
    DataFolder.init(root)
    os.chmod(root, 0o750)
    with pytest.raises(FileExistsError):
        DataFolder.init(root)
    assert mode(root) == 0o750


def test_workspace_save_in_a_new_month_folder(tmp_path, umask):
    root = tmp_path / "data"
    DataFolder.init(root)
    ws = Workspace.open(root)
    change = ws.save(inquiry("2031-11-05-k7q2", notes="privat"))
    path = root / change.path
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700  # 11
    assert mode(path.parent.parent) == 0o700  # 2031
    change = ws.save(Appeal("2031-12-01-x9p1", date(2031, 12, 1), "Ankestyrelsen",
                            "Børn & Familie", "no-remarks"))
    assert mode(root / change.path) == 0o600
    assert mode((root / change.path).parent) == 0o700


def test_folder_save_and_rewrite(tmp_path, umask):
    folder = DataFolder.init(tmp_path / "data")
    r = inquiry("2030-01-02-aaaa")
    path, _ = folder.save(r)
    assert mode(path) == 0o600
    os.chmod(path, 0o644)  # opened up by hand
    folder.save(inquiry("2030-01-02-aaaa", title="ny"))
    assert mode(path) == 0o600  # a rewrite closes it again


def test_atomic_write_and_ensure_dir(tmp_path, umask):
    target = tmp_path / "a" / "b" / "report.txt"
    atomic_write(target, b"x")
    assert mode(target) == 0o600
    assert mode(target.parent) == mode(target.parent.parent) == 0o700
    ensure_dir(tmp_path / "c" / "d")
    assert mode(tmp_path / "c") == mode(tmp_path / "c" / "d") == 0o700


def test_report_output_file_is_private(tmp_path, umask):
    root = tmp_path / "data"
    DataFolder.init(root)
    Workspace.open(root).save(inquiry("2024-05-01-aaaa"))
    out = tmp_path / "report.md"
    assert main(["report", str(root), "--format", "md", "--output", str(out)]) == 0
    assert mode(out) == 0o600


def test_anonymize_keeps_files_private(tmp_path, umask):
    root = tmp_path / "data"
    DataFolder.init(root)
    ch = Workspace.open(root).save(
        Inquiry("2020-05-01-aaaa", date(2020, 5, 1), "complaint", "closed", POINT,
                closed=date(2020, 6, 1), notes="privat"))
    assert main(["anonymize", str(root), "--before", "2021-01-01"]) == 0
    assert mode(root / ch.path) == 0o600


@pytest.mark.parametrize("bits", [0o644, 0o640, 0o604, 0o660, 0o666])
def test_check_warns_about_a_record_others_can_read(tmp_path, capsys, bits):
    root = tmp_path / "data"
    DataFolder.init(root)
    ws = Workspace.open(root)
    ch = ws.save(inquiry("2024-05-01-aaaa", notes="Borgerens helbred"))
    ws.save(Appeal("2024-05-02-bbbb", date(2024, 5, 2), "Ankestyrelsen", "Børn & Familie",
                   "no-remarks", notes="sag"))
    os.chmod(root / ch.path, bits)
    result = DataFolder(root).load()
    assert [(p.path, p.code, p.severity, p.params) for p in result.problems] == [
        (ch.path, "world-readable", "warning", {"mode": oct(bits)[2:]})]
    assert "2024-05-01-aaaa" in result.inquiries  # still counted
    assert main(["check", str(root), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"{ch.path}:1:1: warning: others can read this file (mode {oct(bits)[2:]})" in out
    assert "helbred" not in out
    assert main(["check", str(root), "--strict"]) == 1


@pytest.mark.parametrize("bits", [0o600, 0o400, 0o700])
def test_no_warning_for_private_files(tmp_path, bits):
    root = tmp_path / "data"
    DataFolder.init(root)
    ch = Workspace.open(root).save(inquiry("2024-05-01-aaaa"))
    os.chmod(root / ch.path, bits)
    assert DataFolder(root).load().problems == []


def test_appeal_readable_by_others_is_warned_too(tmp_path):
    root = tmp_path / "data"
    DataFolder.init(root)
    ch = Workspace.open(root).save(Appeal("2024-05-02-bbbb", date(2024, 5, 2), "Ankestyrelsen",
                                          "Børn & Familie", "no-remarks"))
    os.chmod(root / ch.path, 0o644)
    assert [p.code for p in DataFolder(root).load().problems] == ["world-readable"]


@pytest.mark.parametrize("name", ["export.csv", "export.md"])
def test_export_output_file_is_private(tmp_path, umask, name):
    root = tmp_path / "data"
    DataFolder.init(root)
    Workspace.open(root).save(inquiry("2024-05-01-aaaa", notes="privat"))
    out = tmp_path / name
    assert main(["export", str(root), "--output", str(out), "--include-personal"]) == 0
    assert mode(out) == 0o600
