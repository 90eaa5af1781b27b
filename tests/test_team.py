"""An office sharing one log: several advisors, several clones, several processes.

Real git, real processes: each advisor is a `caselog` process (or the app's
saving path in a process of its own), as a colleague meets it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from gitutil import git as g
from gitutil import isolate_git

from store.folder.datafolder import DataFolder

ROOT = Path(__file__).resolve().parent.parent
SAVER = Path(__file__).resolve().parent / "team" / "saver.py"


@pytest.fixture
def anna(tmp_path, monkeypatch) -> Path:
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    return DataFolder.init(tmp_path / "anna").root


def commits_per_path(root: Path) -> tuple[Counter, list[int]]:
    """How many commits touched each path, and how many paths each commit touched."""
    text = g(root, "log", "--format=%x1e", "--name-only", "--no-renames")
    per_path: Counter = Counter()
    sizes = []
    for chunk in text.split("\x1e")[1:]:
        names = [n for n in chunk.split("\n") if n]
        sizes.append(len(names))
        per_path.update(names)
    return per_path, sizes


def test_two_processes_saving_at_once_commit_every_save_exactly_once(anna):
    n = 200
    procs = [subprocess.Popen([sys.executable, str(SAVER), str(anna), str(n), str(month)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for month in (5, 6)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, (out.decode(), err.decode()[-2000:])
        results.append(json.loads(out))
    saved = [rid for r in results for rid in r["saved"]]
    assert len(set(saved)) == 2 * n
    assert all(r["errors"] == [] and r["pending"] == [] for r in results)
    per_path, sizes = commits_per_path(anna)
    paths = {f"inquiries/{rid[:4]}/{rid[5:7]}/{rid}.toml" for rid in saved}
    assert {p: per_path[p] for p in paths} == {p: 1 for p in paths}
    assert sizes.count(1) >= 2 * n and len(sizes) == 2 * n + 1  # and the first commit
    assert g(anna, "status", "--porcelain") == ""
    # no private index left behind
    assert not list((anna / ".git").glob("caselog-index*"))
