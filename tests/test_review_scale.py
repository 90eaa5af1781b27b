"""Review of the scale work: places where a fast path differed from the plain one."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

from store.folder import canonical
from store.folder.datafolder import DataFolder
from store.index import file as index_file
from store.index import load as index_load
from store.index import tree as index_tree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_index import assert_same_counts, generated  # noqa: E402,F401


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    monkeypatch.setattr(index_file, "RACY_NS", 0)


@pytest.fixture
def clean(generated: Path, tmp_path: Path) -> DataFolder:  # noqa: F811
    root = tmp_path / "clean"
    shutil.copytree(generated, root)
    return DataFolder(root)


def test_report_from_an_unchanged_index_reports_duplicate_ids(clean):
    """The index keeps both files of a repeated id; a report from it (no records
    built) still names the duplicate, as a full read does."""
    one = sorted((clean.root / "inquiries").rglob("*.toml"))[4]
    dup = clean.root / "inquiries/2099/01" / one.name
    dup.parent.mkdir(parents=True)
    dup.write_bytes(one.read_bytes())
    dup.chmod(0o600)
    s = clean.settings()
    index_load.load_with_index(clean, s)  # writes the index, duplicate and all
    loaded = index_load.load_fresh(clean, s, records=False)
    assert_same_counts(clean, loaded)


def test_conflict_markers_inside_the_notes_are_not_taken_the_fast_way():
    """git leaves a conflict in a multi-line notes string as valid TOML; codec
    reports it (conflict-marker) and makes no record, so the fast way must not."""
    from datetime import date

    from store.domain.records import Inquiry, Point
    from store.domain.taxonomy import default_settings
    from store.folder.reading import read_bytes
    from store.format import codec
    from store.format.layout import record_relpath

    s = default_settings()
    r = Inquiry("2024-04-03-k7q2", date(2024, 4, 3), "complaint", "open",
                Point("Børn & Familie", "GDPR", "Behandlingssikkerhed"), channel="Telefon",
                notes="<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> other\n")
    raw = codec.to_toml(r).encode()
    rel = record_relpath(r)
    truth, problems = codec.read_inquiry(raw, rel, s)
    assert truth is None and [p.code for p in problems] == ["conflict-marker"]
    assert read_bytes(raw, "inquiries", rel, 0o100600, s) == (truth, problems)
    assert canonical.Canonical(s).row(raw, "inquiries", rel) is None
    # the same record without the markers is taken the fast way (the test means something)
    ok = codec.to_toml(dataclasses.replace(r, notes="mine\n")).encode()
    assert canonical.Canonical(s).row(ok, "inquiries", rel) is not None


@pytest.mark.asyncio
async def test_a_record_made_whole_before_the_notes_pass_keeps_its_citizen_searchable(
        app_folder, monkeypatch):
    """A partial record opened (made whole) before the notes are read: its text
    takes the citizen from the whole record also when it has no notes."""
    from dataclasses import replace

    from test_app_index import RID, age_files, list_of, settle

    from store.domain.records import Citizen
    from store.workspace.workspace import Workspace
    from tui.app import CaselogApp
    from tui.screens import inquiries

    ws = Workspace.open(app_folder)
    ws.save(replace(ws.get(RID), notes="", citizen=Citizen(name="Hanne Holm")))
    age_files(app_folder)
    Workspace.open(app_folder, use_index=True)  # writes the index
    ws = Workspace.open(app_folder, use_index=True)
    assert RID in ws.partial
    monkeypatch.setattr(inquiries, "SEARCH_DELAY", 60)  # started by hand below
    app = CaselogApp(ws, screens={})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert ws.get(RID).citizen is not None and RID not in ws.partial  # opened: whole
        screen._prepare_search()
        await settle(app, pilot)
        assert not screen.hydrating
        await pilot.press("slash", *"hanne")
        await pilot.pause()
        assert [r.id for r in list_of(app).rows] == [RID]


def test_an_index_written_later_still_leaves_out_the_stats_of_files_changed_just_before_reading(
        clean, monkeypatch):
    """The racy window is counted from when the files were read, not from when
    the index is written (the first start writes it later, even at quit): a file
    changed just before it was read may change again in the same tick unseen."""
    import os
    import time

    from store.workspace.workspace import Workspace

    monkeypatch.setattr(index_file, "RACY_NS", 2_000_000_000)
    old = time.time() - 3600
    for p in clean.root.rglob("*.toml"):
        os.utime(p, (old, old))
    fresh = sorted((clean.root / "inquiries").rglob("*.toml"))[3]
    fresh.write_bytes(fresh.read_bytes())  # modified now, just before the read
    rel = fresh.relative_to(clean.root).as_posix()
    ws = Workspace.open(clean.root, use_index=True, write_index=False)
    later = time.time_ns() + 60_000_000_000
    monkeypatch.setattr(index_load.time, "time_ns", lambda: later)  # written a minute later
    ws.write_index()
    columns, _scan, _tally = index_file._read_payload(clean.root)
    keys = dict(zip(columns[0], columns[1], strict=True))
    assert keys[rel] is None
    assert sum(k is None for k in keys.values()) == 1


def test_a_file_created_while_the_check_lists_its_folder_is_seen_by_the_watcher(clean, monkeypatch):
    """The folder's mtime in the check's Tree is the one before its listing: a
    file created in it meanwhile (missed by the listing) shows to the watcher as a
    changed folder, not only at the slow rotation."""
    import os
    import time

    target = sorted((clean.root / "inquiries").rglob("*.toml"))[0].parent
    rel_dir = target.relative_to(clean.root).as_posix()
    real = os.listdir

    def listdir(fd):
        names = real(fd)
        if isinstance(fd, int) and os.path.samefile(f"/proc/self/fd/{fd}", target):
            time.sleep(0.02)
            (target / "2024-01-01-zzzz.toml").write_text("x")
        return names

    monkeypatch.setattr(os, "listdir", listdir)
    tree = index_tree.Tree()
    keys, _links = index_tree.stat_tree(clean.root, tree)
    assert f"{rel_dir}/2024-01-01-zzzz.toml" not in keys  # missed by the listing
    assert tree.folders[rel_dir][0] != os.stat(target).st_mtime_ns


def test_a_permission_change_outside_reaches_the_problems(tmp_path, monkeypatch):
    """chmod 644 outside: the watcher sees the new mode (its signature holds it), and
    the file's warnings follow, although the bytes are the workspace's own."""
    import os
    import time

    from gitutil import inquiry

    from store.workspace.workspace import Workspace
    from tui.watch import FolderWatcher

    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))
    root = DataFolder.init(tmp_path / "data").root
    ws = Workspace.open(root)
    rid = "2024-04-03-k7q2"
    ws.save(inquiry(rid))
    rel = f"inquiries/2024/04/{rid}.toml"
    old = time.time() - 60
    os.utime(root / rel, (old, old))
    watcher = FolderWatcher(ws, lambda changes: None, use_inotify=False, full_every=1)
    os.chmod(root / rel, 0o644)
    watcher.poll()
    assert [p.code for p in ws.problems] == ["world-readable"]
    os.chmod(root / rel, 0o600)
    watcher.poll()
    assert ws.problems == []


def test_a_new_conflict_copy_is_reported_by_load_fresh(clean):
    """A merge's conflict copy that appears after the index was written (a sync)
    is reported by the next report, with or without other changes."""
    from store.format import codec

    d, root = clean, clean.root
    s = d.settings()
    index_load.load_with_index(d, s)
    files = sorted((root / "inquiries").rglob("*.toml"))
    for changed_too in (False, True):
        f = files[10 + changed_too]
        if changed_too:
            rec, _ = codec.read_inquiry(f.read_bytes(), "x")
            f.write_bytes(codec.to_toml(dataclasses.replace(rec, title="ny titel")).encode())
        copy = f.with_name(f.stem + ".toml.conflict-abc123")
        copy.write_bytes(f.read_bytes())
        truth = sorted(p.path for p in d.load().problems if p.code == "conflict-copy")
        assert truth == [str(copy.relative_to(root))]
        for records in (False, True):
            loaded = index_load.load_fresh(d, s, records=records)
            found = sorted(p.path for p in loaded.result.problems if p.code == "conflict-copy")
            assert found == truth, (changed_too, records)
        copy.unlink()
        loaded = index_load.load_fresh(d, s, records=False)
        assert not [p for p in loaded.result.problems if p.code == "conflict-copy"]
