"""``index.stat_tree`` (what verify stats) sees exactly the files and links ``walk`` does."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from store.format.layout import INQUIRIES
from store.index import tree as index_tree


def scan_order(rel: str) -> tuple:
    """The order the walk finds files in, spelt out: inquiries before appeals; in
    a folder its files, then its subfolders, each by name (``scan_key`` must sort so)."""
    top, _, rest = rel.partition("/")
    parts = rest.split("/")
    return (top != INQUIRIES, [(1, p) for p in parts[:-1]] + [(0, parts[-1])])


def _tree(root):
    (root / "inquiries/2024/04").mkdir(parents=True)
    (root / "inquiries/2024/05/deeper").mkdir(parents=True)
    (root / "inquiries/.hidden").mkdir()
    (root / "appeals/2024/01").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    for rel in ("inquiries/2024/04/a.toml", "inquiries/2024/05/deeper/b.toml",
                "inquiries/.hidden/c.toml", "inquiries/2024/04/.d.toml",
                "inquiries/2024/04/e.txt", "inquiries/2024/04/a.toml.conflict-1234",
                "appeals/2024/01/f.toml", "elsewhere/g.toml", "inquiries/top.toml"):
        (root / rel).write_text("x = 1\n")
    os.symlink(root / "elsewhere", root / "inquiries/2024/linked-dir")
    os.symlink(root / "elsewhere/g.toml", root / "inquiries/2024/04/link.toml")
    os.symlink(root / "missing.toml", root / "inquiries/2024/04/dangling.toml")
    os.symlink(root / "elsewhere/g.toml", root / "inquiries/2024/04/link.txt")
    os.mkfifo(root / "inquiries/2024/04/fifo.toml")


def test_stat_tree_matches_walk(tmp_path):
    _tree(tmp_path)
    _found, problems, stats = index_tree.walk(tmp_path)
    keys, links = index_tree.stat_tree(tmp_path)
    assert keys == stats
    assert links == {p.path for p in problems if p.code == "symlink"}
    assert links == {"inquiries/2024/linked-dir", "inquiries/2024/04/link.toml",
                     "inquiries/2024/04/dangling.toml"}
    assert "inquiries/2024/04/fifo.toml" in keys and "inquiries/.hidden/c.toml" not in keys


def test_stat_tree_keeps_the_known_tuple_of_a_file_that_did_not_change(tmp_path):
    """Given the keys held already, an unchanged file's key is that tuple (no second
    copy of each at 360,000 files); a changed file's is a new one, and the keys are
    the same as without ``known``."""
    _tree(tmp_path)
    known, _links = index_tree.stat_tree(tmp_path)
    (tmp_path / "inquiries/2024/04/a.toml").write_text("x = 22\n")
    keys, _links = index_tree.stat_tree(tmp_path, known=known)
    assert keys == index_tree.stat_tree(tmp_path)[0]
    changed = "inquiries/2024/04/a.toml"
    assert keys[changed] != known[changed]
    assert all(keys[rel] is known[rel] for rel in keys if rel != changed)


def test_stat_tree_sees_linked_tops(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "inquiries")
    keys, links = index_tree.stat_tree(tmp_path)
    assert keys == {} and links == {"inquiries"}


def test_verify_reports_a_changed_file_and_nothing_when_quiet(tmp_path):
    _tree(tmp_path)
    keys, links = index_tree.stat_tree(tmp_path)
    assert index_tree.verify(tmp_path, keys) == sorted(links, key=scan_order)
    p = tmp_path / "inquiries/2024/04/a.toml"
    p.write_text("x = 22\n")
    assert "inquiries/2024/04/a.toml" in index_tree.verify(tmp_path, keys)


def _verify_both(root, stats, scan, monkeypatch):
    """verify and verify_forked on the same folder: the same changes, modes and copies."""
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a command
    expected_tree = index_tree.Tree(with_keys=False, modes={})
    expected = index_tree.verify(root, stats, scan, expected_tree)
    tree = index_tree.Tree(with_keys=False, modes={})
    order = sorted(stats, key=scan_order)
    got = index_tree.verify_forked(root, stats, order, scan, tree, processes=3)
    assert got == expected
    assert tree.modes == expected_tree.modes and tree.conflicts == expected_tree.conflicts
    assert index_tree.verify_forked(root, stats, order, scan, None, processes=2) == \
        index_tree.verify(root, stats, scan, None)
    # the keys in order's order instead of the dict (as a command has them from
    # the index, unmarshalled by the children): the same again
    import marshal

    from store.index.file import LazyTuple

    for keys in ([stats[r] for r in order],
                 LazyTuple(marshal.dumps(tuple(stats[r] for r in order)), len(order))):
        tree = index_tree.Tree(with_keys=False, modes={})
        assert index_tree.verify_forked(root, None, order, scan, tree, processes=3,
                                        keys=keys) == expected
        assert tree.modes == expected_tree.modes and tree.conflicts == expected_tree.conflicts
    # paths out of scan order: it steps aside rather than miss a deleted file
    if len(order) > 2:
        assert index_tree.verify_forked(root, stats, order[::-1], scan, None, processes=2) is None
    return expected, expected_tree.modes


def test_verify_in_child_processes_finds_what_verify_finds(tmp_path, monkeypatch):
    import threading

    _tree(tmp_path)
    (tmp_path / "inquiries/2023/12").mkdir(parents=True)
    (tmp_path / "inquiries/2023/12/h.toml").write_text("x = 1\n")
    (tmp_path / "appeals/2025/02").mkdir(parents=True)
    (tmp_path / "appeals/2025/02/i.toml").write_text("x = 1\n")
    found, problems, stats = index_tree.walk(tmp_path)
    scan = [p for p in problems if p.code == "symlink"]
    assert _verify_both(tmp_path, stats, scan, monkeypatch) == ([], {})
    # new, changed, deleted, a folder gone, permissions alone, links come and go, a copy
    (tmp_path / "inquiries/2024/04/new.toml").write_text("x = 2\n")
    (tmp_path / "inquiries/2024/05/deeper/b.toml").write_text("x = 22\n")
    (tmp_path / "appeals/2024/01/f.toml").unlink()
    import shutil

    shutil.rmtree(tmp_path / "inquiries/2023")
    (tmp_path / "inquiries/top.toml").unlink()
    os.chmod(tmp_path / "appeals/2025/02/i.toml", 0o600)
    os.unlink(tmp_path / "inquiries/2024/04/link.toml")
    os.symlink(tmp_path / "elsewhere/g.toml", tmp_path / "appeals/2025/02/new-link.toml")
    (tmp_path / "caselog.toml.conflict-abcdef1").write_text("x = 1\n")
    changed, modes = _verify_both(tmp_path, stats, scan, monkeypatch)
    assert set(changed) >= {"inquiries/2024/04/new.toml", "inquiries/2024/05/deeper/b.toml",
                            "appeals/2024/01/f.toml", "inquiries/2023/12/h.toml",
                            "inquiries/top.toml", "inquiries/2024/04/link.toml",
                            "appeals/2025/02/new-link.toml"}
    assert list(modes) == ["appeals/2025/02/i.toml"]
    # with other threads (the app) it steps aside, and the caller verifies itself
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert index_tree.verify_forked(tmp_path, stats, sorted(stats, key=scan_order),
                                    scan) is None


def test_verify_in_child_processes_leaves_the_keys_to_them(tmp_path, monkeypatch):
    """Given the index's keys unread (``LazyTuple``), the children unmarshal them;
    this process does not, where no file lies above the folders shared out."""
    import marshal
    import threading

    from store.index.file import LazyTuple

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a command
    for month in ("2024/01", "2024/02", "2024/03"):
        for name in "abc":
            p = tmp_path / f"inquiries/{month}/{name}.toml"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("x = 1\n")
    _found, _problems, stats = index_tree.walk(tmp_path)
    order = sorted(stats, key=scan_order)
    keys = LazyTuple(marshal.dumps(tuple(stats[r] for r in order)), len(order))
    assert index_tree.verify_forked(tmp_path, None, order, [], None, processes=2, keys=keys) == []
    assert not keys.loaded
    (tmp_path / "inquiries/2024/02/b.toml").write_text("x = 22\n")
    (tmp_path / "inquiries/2024/03/c.toml").unlink()
    assert index_tree.verify_forked(tmp_path, None, order, [], None, processes=2, keys=keys) == [
        "inquiries/2024/02/b.toml", "inquiries/2024/03/c.toml"]
    assert not keys.loaded


_NAMES = st.text(alphabet="09az-._ æ\x01\x02~", min_size=1, max_size=6)
_PATHS = st.builds(lambda top, parts: "/".join([top, *parts]),
                   st.sampled_from(["inquiries", "appeals", "caselog.toml"]),
                   st.lists(_NAMES, min_size=0, max_size=4))


@given(st.lists(_PATHS, max_size=40))
def test_scan_key_sorts_as_scan_order(paths):
    """The one-string key sorts paths as the scan walks them (a folder's files,
    then its subfolders; a name that begins another first)."""
    assert sorted(paths, key=index_tree.scan_key) == sorted(paths, key=scan_order)


def test_scan_key_examples():
    paths = ["appeals/2024/01/b.toml", "inquiries/2019/03/x.toml", "inquiries/2019-old/a.toml",
             "inquiries/2019/z.toml", "inquiries/a.toml", "inquiries/2019/03/w.toml"]
    assert sorted(paths, key=index_tree.scan_key) == [
        "inquiries/a.toml", "inquiries/2019/z.toml", "inquiries/2019/03/w.toml",
        "inquiries/2019/03/x.toml", "inquiries/2019-old/a.toml", "appeals/2024/01/b.toml"]


_RECORD_PATHS = st.builds(lambda top, parts: "/".join([top, *parts]),  # (below a top folder)
                         st.sampled_from(["inquiries", "appeals"]),
                         st.lists(_NAMES, min_size=1, max_size=4))
_FOLDERS = st.builds(lambda top, parts: "/".join([top, *parts]),  # (a record folder)
                     st.sampled_from(["inquiries", "appeals"]),
                     st.lists(_NAMES, max_size=3))


@given(st.lists(_RECORD_PATHS, max_size=40), _FOLDERS)
def test_a_folders_files_are_one_range_in_scan_order(paths, folder):
    """What verify_forked bisects for: in record paths sorted by ``scan_key``, the
    ones below a folder lie between its ``_folder_key`` and that key plus \\x03."""
    from bisect import bisect_left

    order = sorted(set(paths), key=index_tree.scan_key)
    top, *parts = folder.split("/")
    start = index_tree._folder_key(top, parts)
    lo = bisect_left(order, start, key=index_tree.scan_key)
    hi = bisect_left(order, start + "\x03", key=index_tree.scan_key)
    assert order[lo:hi] == [p for p in order if p.startswith(folder + "/")]


def test_a_walk_ends_between_two_folders_when_told_to_stop(tmp_path, monkeypatch):
    """``stop`` set (the app quits): the walk raises ``Stopped`` before its next
    folder, having read no more; unset, it sees every file."""
    import threading

    import pytest

    _tree(tmp_path)
    stop = threading.Event()
    keys, _links = index_tree.stat_tree(tmp_path, stop=stop)
    assert keys  # not set: the whole walk
    stop.set()
    with pytest.raises(index_tree.Stopped):
        index_tree.verify(tmp_path, keys, stop=stop)
    stop.clear()
    read = []
    real = os.listdir

    def listing(fd):
        read.append(fd)
        if len(read) == 2:
            stop.set()  # set while the second folder is read
        return real(fd)

    monkeypatch.setattr(os, "listdir", listing)
    with pytest.raises(index_tree.Stopped):
        index_tree.stat_tree(tmp_path, stop=stop)
    assert len(read) == 2  # no third folder read
