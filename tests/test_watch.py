"""The folder watcher: outside edits, new files and deletions reach the Workspace."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace

from gitutil import inquiry

from store.folder.datafolder import DataFolder
from store.format import codec
from store.workspace.workspace import Workspace
from tui.watch import FolderWatcher

RID = "2024-04-03-k7q2"
REL = f"inquiries/2024/04/{RID}.toml"


def wait_for(events: list, n: int, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while len(events) < n and time.monotonic() < deadline:
        time.sleep(0.02)


def test_outside_edit_new_file_and_deletion(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))  # the watcher needs no git
    root = DataFolder.init(tmp_path / "data").root
    ws = Workspace.open(root)
    ws.save(inquiry(RID))
    batches: list = []
    threads: set[str] = set()

    def on_change(changes):
        threads.add(threading.current_thread().name)
        batches.append(changes)

    watcher = FolderWatcher(ws, on_change, interval=0.1).start()
    try:
        # Our own save is not reported as an outside change.
        ws.save(replace(ws.get(RID), channel="Mail"))
        time.sleep(0.4)
        assert batches == []

        # An editor writing in place.
        path = root / REL
        path.write_text(path.read_text().replace('status = "open"', 'status = "closed"'))
        wait_for(batches, 1)
        assert [(c.action, c.path, c.outside) for c in batches[0]] == [("reloaded", REL, True)], \
            ws.problems
        assert ws.get(RID).status == "closed"

        # A new file, in a new month folder, as git pull would write it.
        other = inquiry("2024-06-01-abcd")
        new = root / "inquiries/2024/06/2024-06-01-abcd.toml"
        new.parent.mkdir(parents=True)
        new.write_bytes(codec.to_toml(other).encode())
        wait_for(batches, 2)
        assert [c.path for c in batches[1]] == ["inquiries/2024/06/2024-06-01-abcd.toml"]
        assert ws.get("2024-06-01-abcd") == other

        # A deletion.
        os.unlink(path)
        wait_for(batches, 3)
        assert [(c.action, c.path) for c in batches[2]] == [("deleted", REL)]
        assert ws.get(RID) is None
        assert ws.tally is not None
        assert threads == {"caselog-watch"}
    finally:
        watcher.stop()


def test_call_runs_on_the_callers_side(tmp_path):
    root = DataFolder.init(tmp_path / "data").root
    ws = Workspace.open(root)
    calls: list = []
    watcher = FolderWatcher(ws, lambda ch: None, call=lambda fn: (calls.append(1), fn()))
    (root / "inquiries/2024/04").mkdir(parents=True)
    (root / REL).write_bytes(codec.to_toml(inquiry(RID)).encode())
    assert watcher.poll() == []  # just written: read at the next poll, when it has settled
    time.sleep(0.2)
    changes = watcher.poll()
    assert calls and [c.action for c in changes] == ["reloaded"]
    assert watcher.poll() == []


def test_quiet_folder_costs_little(tmp_path):
    """Unchanged month folders are not listed again (only the rotation's share)."""
    root = DataFolder.init(tmp_path / "data").root
    for month in range(1, 13):
        d = root / f"inquiries/2023/{month:02d}"
        d.mkdir(parents=True)
        for i in range(20):
            p = d / f"2023-{month:02d}-01-{i:04d}.toml"
            p.write_text("x")
            old = time.time() - 86400 * 30
            os.utime(p, (old, old))
    ws = Workspace.open(root)
    watcher = FolderWatcher(ws, lambda ch: None, full_every=30)
    watcher.poll()  # the unknown (unreadable) files are reported once
    listed: list[str] = []
    original = watcher._list
    watcher._list = lambda d: (listed.append(d), original(d))[1]
    for _ in range(5):
        watcher.poll()
    assert len(listed) <= 5  # at most one folder a poll with 15 folders and full_every=30


def _indexed(tmp_path, ids):
    root = DataFolder.init(tmp_path / "data").root
    ws = Workspace.open(root)
    for rid in ids:
        ws.save(inquiry(rid))
    old = time.time() - 3600  # older than the index's racy window
    for p in (root / "inquiries").rglob("*.toml"):
        os.utime(p, (old, old))
    Workspace.open(root, use_index=True)  # reads every file, writes the index
    return root, Workspace.open(root, use_index=True)


def test_indexed_workspace_baseline_is_what_the_workspace_read(tmp_path):
    """The watcher of an indexed workspace lists nothing before its thread runs, and
    its first poll reports every file that differs from what the workspace read,
    also changes made between opening and watching, and a vanished month folder."""
    other = "2024-05-02-abcd"
    root, ws = _indexed(tmp_path, [RID, other])
    assert ws.from_index
    listed: list[str] = []
    original = FolderWatcher._list
    FolderWatcher._list = lambda self, d: (listed.append(d), original(self, d))[1]
    try:
        watcher = FolderWatcher(ws, lambda ch: None)
        assert listed == []  # nothing stat-ed while the first screen waits
        # Changed after the workspace read the index, before the watcher looked.
        path = root / REL
        path.write_text(path.read_text().replace('status = "open"', 'status = "closed"'))
        old = time.time() - 60
        os.utime(path, (old, old))
        import shutil

        shutil.rmtree(root / "inquiries/2024/05")
        changes = watcher.poll()
    finally:
        FolderWatcher._list = original
    assert sorted((c.action, c.path) for c in changes) == [
        ("deleted", f"inquiries/2024/05/{other}.toml"), ("reloaded", REL)]
    assert ws.get(RID).status == "closed" and ws.get(other) is None
    assert watcher.poll() == []


def test_indexed_workspace_quiet_folder_reports_nothing(tmp_path):
    _root, ws = _indexed(tmp_path, [RID, "2024-05-02-abcd", "2023-01-09-zzzz"])
    watcher = FolderWatcher(ws, lambda ch: None)
    assert watcher.poll() == []
    assert watcher.poll() == []


def test_a_listing_keeps_the_workspaces_stat_tuples_of_files_that_did_not_change(tmp_path):
    """A folder listed again (the first poll lists every one) keeps, for each file
    that did not change, the path and stat tuple it had (the workspace's, shared):
    no second copy of 360,000 of them; a change after that is still seen."""
    other, third = "2024-04-09-abcd", "2024-04-21-wxyz"
    root, ws = _indexed(tmp_path, [RID, other, third])
    watcher = FolderWatcher(ws, lambda ch: None)
    assert watcher.poll() == []
    files = watcher._files["inquiries/2024/04"]
    stats = ws.stats
    assert len(files) == 3
    assert all(files[rel] is stats[rel] for rel in files)  # the same tuples, not copies
    keys = {id(k) for k in files}
    path = root / REL
    path.write_text(path.read_text().replace('status = "open"', 'status = "closed"'))
    old = time.time() - 60
    os.utime(path, (old, old))
    (root / f"inquiries/2024/04/{third}.toml").unlink()
    watcher._everything = True  # (list every folder at this poll: no waiting for the rotation)
    changes = watcher.poll()
    assert sorted((c.action, c.path) for c in changes) == [
        ("deleted", f"inquiries/2024/04/{third}.toml"), ("reloaded", REL)]
    files = watcher._files["inquiries/2024/04"]
    unchanged = f"inquiries/2024/04/{other}.toml"
    assert set(files) == {REL, unchanged} and files[unchanged] is stats[unchanged]
    assert id(next(k for k in files if k == unchanged)) in keys
    watcher._everything = True
    assert watcher.poll() == [] and ws.get(RID).status == "closed"


def test_adopting_the_index_checks_tree_lists_only_what_changes(tmp_path):
    """After ``adopt(tree)`` (the app's check of the index) the watcher lists a
    folder only when its mtime moves (or its rotation turn comes), and still sees
    an in-place edit and a new file."""
    from store.index.tree import Tree

    other = "2024-05-02-abcd"
    root, ws = _indexed(tmp_path, [RID, other])
    watcher = FolderWatcher(ws, lambda ch: None, full_every=1000)
    tree = Tree()
    assert ws.verify(tree) == []
    watcher.adopt(tree)
    # The workspace's paths and stat tuples taken over, not the tree's copies.
    stats = ws.stats
    own = {id(rel) for rel in stats}
    assert all(watcher._files[rel.rpartition("/")[0]][rel] is stats[rel] for rel in stats)
    assert all(id(rel) in own for files in watcher._files.values() for rel in files)
    listed: list[str] = []
    original = watcher._list
    watcher._list = lambda d: (listed.append(d), original(d))[1]
    assert watcher.poll() == [] and len(listed) <= 1  # the rotation's one folder at most
    listed.clear()
    new = inquiry("2024-05-09-zzzz")
    (root / "inquiries/2024/05/2024-05-09-zzzz.toml").write_bytes(codec.to_toml(new).encode())
    time.sleep(0.2)
    changes = watcher.poll()
    assert [c.path for c in changes] == ["inquiries/2024/05/2024-05-09-zzzz.toml"]
    assert "inquiries/2024/05" in listed and len(listed) <= 2
    assert ws.get("2024-05-09-zzzz") == new


def _edit_in_place(path):
    """As an editor writing in place: the folder's own mtime does not move."""
    folder_mtime = path.parent.stat().st_mtime_ns
    with open(path, "r+b") as f:
        data = f.read().replace(b'status = "open"', b'status = "closed"')
        f.seek(0)
        f.write(data)
        f.truncate()
    assert path.parent.stat().st_mtime_ns == folder_mtime


def test_inotify_shows_an_in_place_edit_of_an_old_file_at_once(tmp_path):
    root, ws = _indexed(tmp_path, [RID, "2024-05-02-abcd"])
    batches: list = []
    watcher = FolderWatcher(ws, batches.append, interval=30, full_every=1000).start()
    try:
        from store.index.tree import Tree

        tree = Tree()
        assert ws.verify(tree) == []
        watcher.adopt(tree)
        deadline = time.monotonic() + 2
        while watcher._inotify is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watcher._inotify is not None  # Linux
        t0 = time.monotonic()
        _edit_in_place(root / REL)
        wait_for(batches, 1, timeout=3.0)
        assert [(c.action, c.path) for c in batches[0]] == [("reloaded", REL)]
        assert time.monotonic() - t0 < 1.5  # the poll interval is 30 s
        assert ws.get(RID).status == "closed"
    finally:
        watcher.stop()
    assert watcher._inotify is None  # closed with the thread


def test_without_inotify_an_in_place_edit_waits_for_the_rotation(tmp_path):
    root, ws = _indexed(tmp_path, [RID])
    watcher = FolderWatcher(ws, lambda ch: None, full_every=1000, use_inotify=False)
    from store.index.tree import Tree

    tree = Tree()
    ws.verify(tree)
    watcher.adopt(tree)
    _edit_in_place(root / REL)
    time.sleep(0.2)
    assert watcher.poll() == []  # its folder's mtime did not move; not its rotation turn
