"""``index.stat_tree`` (what verify stats) sees exactly the files and links ``walk`` does."""

from __future__ import annotations

import os

from store.index import tree as index_tree


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


def test_stat_tree_sees_linked_tops(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "inquiries")
    keys, links = index_tree.stat_tree(tmp_path)
    assert keys == {} and links == {"inquiries"}


def test_verify_reports_a_changed_file_and_nothing_when_quiet(tmp_path):
    _tree(tmp_path)
    keys, links = index_tree.stat_tree(tmp_path)
    assert index_tree.verify(tmp_path, keys) == sorted(links, key=index_tree._scan_order)
    p = tmp_path / "inquiries/2024/04/a.toml"
    p.write_text("x = 22\n")
    assert "inquiries/2024/04/a.toml" in index_tree.verify(tmp_path, keys)


def test_a_stat_walk_in_another_process_gives_what_stat_tree_gives(tmp_path, monkeypatch):
    import threading

    _tree(tmp_path)
    (tmp_path / "caselog.toml.conflict-abcdef1").write_text("x = 1\n")
    here = index_tree.Tree(with_keys=False)
    expected = index_tree.stat_tree(tmp_path, here)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a command
    walk = index_tree.StatWalk(tmp_path, processes=2)
    assert len(walk.children) == 2  # (forks, where there are: the years shared out)
    there = index_tree.Tree(with_keys=False)
    assert walk.result(there) == expected
    assert there.conflicts == here.conflicts == {"inquiries/2024/04/a.toml.conflict-1234",
                                                "caselog.toml.conflict-abcdef1"}
    # with other threads (the app) it never forks, and walks when asked
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    walk = index_tree.StatWalk(tmp_path)
    assert walk.children == [] and walk.result() == expected
    # a walk no longer needed leaves no process behind
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    walk = index_tree.StatWalk(tmp_path)
    pids = [pid for pid, _fd in walk.children]
    assert pids
    walk.cancel()
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
            raise AssertionError("a child is still waited for")
        except ChildProcessError:
            pass
