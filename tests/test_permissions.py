"""Files private to their owner: 0600 files and 0700 folders whatever the umask; check warns."""

from __future__ import annotations

import contextlib
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
    atomic_write(target, (b"head ", memoryview(b"and "), b"body"))  # parts, in order
    assert target.read_bytes() == b"head and body" and mode(target) == 0o600


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


def _opened_up(root: Path, n: int = 6) -> list[str]:
    """A folder as a plain git clone leaves it: the folder, record folders and files
    readable by others; returns the record files."""
    ws = Workspace.open(root)
    rels = [ws.save(inquiry(ws.new_id(date(2024, 5, 1 + d % 28)))).path for d in range(n)]
    for dirpath, _dirnames, filenames in os.walk(root / "inquiries"):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    os.chmod(root, 0o755)
    return rels


def test_many_readable_files_are_one_warning_and_fix_permissions_closes_them(tmp_path, capsys):
    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root)
    assert main(["check", str(root), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert err == "6 files read: 0 errors, 1 warnings\n"  # each file counted once
    assert out.splitlines() == [
        f".: warning: others can read 6 record files (mode 644; {sorted(rels)[0]} and more); "
        f"they may hold personal data. Make them private with: "
        f"caselog check --fix-permissions {root}"]
    assert main(["report", str(root), "--period", "2024/25", "--format", "json", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 1 and "6 record files" in captured.err
    assert main(["check", str(root), "--fix-permissions", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "6 files made private" in captured.err
    assert mode(root) == 0o700 and all(mode(root / r) == 0o600 for r in rels)
    assert mode(root / "inquiries" / "2024") == 0o700
    assert main(["check", str(root)]) == 0 and capsys.readouterr().out == ""


def test_a_few_readable_files_are_each_named(tmp_path):
    from store.domain.problems import collapse_readable

    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root, 3)
    problems = collapse_readable(DataFolder(root).load().problems, "fix")
    assert sorted(p.path for p in problems) == sorted(rels)


def test_init_on_a_clone_makes_it_private(tmp_path, capsys):
    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root, 2)
    settings = (root / "caselog.toml").read_bytes()
    assert main(["init", str(root), "--lang", "en"]) == 0
    assert "2 files made private" in capsys.readouterr().out
    assert (root / "caselog.toml").read_bytes() == settings  # nothing overwritten
    assert mode(root) == 0o700 and all(mode(root / r) == 0o600 for r in rels)


def test_report_after_the_files_were_closed_reads_no_file_again(tmp_path, monkeypatch):
    """Permissions alone changed (same mtime and size): the index takes the new
    modes without reading the files, and their warnings go."""
    from store.index import load as index_load
    from store.index.file import _read_payload

    root = tmp_path / "data"
    DataFolder.init(root)
    _opened_up(root, 120)  # over 100: the index is written again with the new modes
    old = __import__("time").time() - 3600
    for p in (root / "inquiries").rglob("*.toml"):
        os.utime(p, (old, old))
    data = DataFolder(root)
    first = index_load.load_fresh(data, data.settings(), records=False)  # no index: a full read
    assert sum(p.code == "world-readable" for p in first.result.problems) == 120
    from store.format.files import tighten

    assert len(tighten(root)) == 120

    def no_reading(*a, **k):
        raise AssertionError("a file read again")

    monkeypatch.setattr(index_load, "read_path", no_reading)
    monkeypatch.setattr(index_load, "read_all", no_reading)
    again = index_load.load_fresh(data, data.settings(), records=False)
    assert again.result.problems == []
    columns, _scan, _tally = _read_payload(root)
    assert all(k[2] == 0o600 for k in columns[1])
    assert columns[2] == ()  # no problem rows left in the index


@contextlib.asynccontextmanager
async def _started(root: Path, until):
    """The app started on ``root`` (headless), once the list is shown and ``until(app)``
    holds (or 10 s have passed); quits with ctrl+q after the block."""
    from tui.app import CaselogApp
    from tui.screens.inquiries import InquiriesScreen

    app = CaselogApp(None, screens={}, folder=root)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, InquiriesScreen):
            await pilot.pause()
        for _ in range(200):
            await pilot.pause(0.05)
            if until(app):
                break
        yield app
        await pilot.press("ctrl+q")


async def test_the_app_closes_a_clone_once_the_list_is_shown(tmp_path):
    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root)
    async with _started(root, lambda app: all(mode(root / r) == 0o600 for r in rels)
                        and not app.workspace.problems) as app:
        assert all(mode(root / r) == 0o600 for r in rels) and mode(root) == 0o700
        assert app.workspace.problems == []
        assert any("6 filer kunne læses af andre" in n.message for n in app._notifications)


def test_tighten_never_follows_a_link_out_of_the_folder(tmp_path):
    from store.format.files import tighten

    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root, 2)
    outside = tmp_path / "elsewhere"
    (outside / "05").mkdir(parents=True)
    theirs = outside / "05" / "2024-05-09-zzzz.toml"
    theirs.write_text('id = "2024-05-09-zzzz"\n')
    os.chmod(theirs, 0o644)
    os.chmod(outside, 0o755)
    (root / "inquiries" / "2023").symlink_to(outside, target_is_directory=True)
    (root / "inquiries" / "2024" / "05" / "link.toml").symlink_to(theirs)
    # a merge's names (rels), one of them through the linked folder
    tighten(root, [*rels, "inquiries/2023/05/2024-05-09-zzzz.toml",
                   "inquiries/2024/05/link.toml"])
    assert mode(theirs) == 0o644 and mode(outside) == 0o755
    assert all(mode(root / r) == 0o600 for r in rels)
    tighten(root)
    assert mode(theirs) == 0o644 and mode(outside) == 0o755 and mode(outside / "05") == 0o755


def test_tighten_closes_a_folder_opened_through_a_link(tmp_path):
    from store.format.files import is_private, tighten

    real = tmp_path / "data"
    DataFolder.init(real)
    rels = _opened_up(real, 2)
    link = tmp_path / "caselog"
    link.symlink_to(real, target_is_directory=True)
    assert not is_private(link)
    tighten(link)
    assert is_private(link) and mode(real) == 0o700
    assert all(mode(real / r) == 0o600 for r in rels)


def _deferred(eager):
    """A LoadResult holding ``eager``'s first problem as made and the rest as
    index rows, as an index load leaves them."""
    from store.domain.taxonomy import default_settings
    from store.folder.datafolder import LoadResult
    from store.folder.rowcodec import problem_row

    result = LoadResult(default_settings())
    result.problems.extend(eager[:1])
    result.defer_problems([problem_row(p) for p in eager[1:]])
    return result


def _mixed(readable: int):
    from store.domain.problems import ERROR, WARNING, Problem

    out = [Problem("inquiries/2024/x.toml", 3, 1, ERROR, "bad-date", {"value": "2024-13-01"})]
    out += [Problem(f"inquiries/2024/{i:03}.toml", None, None, WARNING, "world-readable",
                    {"mode": "644" if i % 2 else "640"}) for i in range(readable, 0, -1)]
    out.insert(2, Problem("inquiries/2024/y.toml", None, None, WARNING, "unknown-key", {"key": "zz"}))
    return out


@pytest.mark.parametrize("readable", [0, 2, 3, 4, 50])
def test_deferred_problems_read_and_shown_as_the_eager_list(readable):
    from store.domain.problems import collapse_readable

    eager = _mixed(readable)
    assert _deferred(eager).problem_paths() == {p.path for p in eager}
    shown = _deferred(eager).problems_shown("caselog check --fix-permissions D")
    assert shown == collapse_readable(eager, "caselog check --fix-permissions D")
    if readable > 3:
        assert shown[0].code == "world-readable-files" and shown[0].params["count"] == readable
        assert shown[0].params["modes"] == "640, 644"
    assert _deferred(eager).problems == eager  # every problem, in its order
    result = _deferred(eager)
    result.problems = eager[:1]  # the setter drops the rows too
    assert result.problems == eager[:1] and result.problem_paths() == {eager[0].path}


def test_report_of_a_readable_clone_from_its_index_is_one_line(tmp_path, capsys, monkeypatch):
    root = tmp_path / "data"
    DataFolder.init(root)
    _opened_up(root)
    args = ["report", str(root), "--period", "2024/25", "--format", "json", "--lang", "en"]
    assert main(args) == 0  # the first run writes the index
    first = capsys.readouterr()
    from store.folder.datafolder import LoadResult
    from store.index.file import index_path

    assert index_path(root).exists()
    deferred = []
    real = LoadResult.defer_problems
    monkeypatch.setattr(LoadResult, "defer_problems",
                        lambda self, rows: (deferred.append(len(rows)), real(self, rows)))
    assert main(args) == 0  # the second reads the problems back from it
    again = capsys.readouterr()
    assert again.out == first.out and again.err == first.err
    assert len(again.err.splitlines()) == 1 and "6 record files" in again.err
    assert deferred == [6]  # the warnings came from the index as rows


async def test_a_clones_first_start_writes_the_index_with_the_files_made_private(tmp_path):
    """The first start reads a clone's 0644 files, makes them private and writes the
    index: the index holds the new modes and none of the old warnings (else every
    later start would show 6 warnings until its check dropped them again)."""
    from store.index.file import _read_payload, index_path

    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root)
    old = __import__("time").time() - 3600  # out of the index's racy window: keys kept
    for r in rels:
        os.utime(root / r, (old, old))
    assert not index_path(root).exists()
    async with _started(root, lambda app: index_path(root).exists() and not app.workspace.problems):
        assert all(mode(root / r) == 0o600 for r in rels)
    columns, _scan, _tally = _read_payload(root)
    modes = {rel: key[2] for rel, key in zip(columns[0], columns[1], strict=True) if key}
    assert {modes[r] for r in rels} == {0o600}
    assert columns[2] == ()  # no problem rows: the permission warnings went with the modes


def test_a_clones_warnings_are_counted_shown_and_dropped_as_rows(tmp_path):
    """A first start keeps a clone's permission warnings as rows: the list counts
    them as the problems screen shows them (one line), and making the files
    private drops them, with the same problems left as when they were made."""
    from store.domain.problems import collapse_readable
    from store.folder.rowcodec import stat_key
    from store.format.files import tighten

    root = tmp_path / "data"
    DataFolder.init(root)
    rels = _opened_up(root)
    (root / rels[0]).write_text((root / rels[0]).read_text().replace(
        'channel = "', 'channel = "Brevdue'), encoding="utf-8")  # an unknown channel too
    os.chmod(root / rels[0], 0o644)

    def opened():
        return Workspace.open(root, use_index=True, write_index=False, partial=True)

    lazy, eager = opened(), opened()
    made = list(eager.problems)  # made at once, as before
    assert sorted(p.code for p in made).count("world-readable") == len(rels)
    shown = len(collapse_readable(made, "fix"))
    assert lazy.problem_count() == eager.problem_count() == shown == 2
    tighten(root)
    modes = {rel: stat_key(os.lstat(root / rel)) for rel in rels}
    calls = []
    for ws in (lazy, eager):
        ws.problem_listeners.append(lambda ws=ws: calls.append(ws))
        ws.apply_modes(modes)
    assert calls == [lazy, eager]
    assert lazy.problems == eager.problems == [p for p in made if p.code != "world-readable"]
    assert [p.code for p in lazy.problems] == ["unknown-channel"]
    assert lazy.problem_count() == 1
