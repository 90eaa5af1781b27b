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


# ---------------------------------------------------------------------------
# Several clones of one shared repository, each advisor a caselog process

REGISTER = Path(__file__).resolve().parent / "team" / "register.py"
READABLE = ("others can read", "andre kan læse")


def caselog(*args: str, check: bool = True, who: str | None = None) -> subprocess.CompletedProcess:
    """A caselog command as a process; ``who``: as another advisor (their git identity)."""
    import os

    env = dict(os.environ)
    if who:
        for role in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{role}_NAME"] = who
            env[f"GIT_{role}_EMAIL"] = who.split()[0].lower() + "@example.org"
    r = subprocess.run([sys.executable, "-m", "tui.cli", *args, "--lang", "en"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300, env=env)
    if check:
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def plain_git(*args: str, cwd: Path | None = None) -> str:
    """git as a person runs it, with the usual umask (files 0644)."""
    import os

    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                       preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    return r.stdout


def ids(root: Path) -> set[str]:
    return {p.stem for p in root.glob("inquiries/**/*.toml")} | \
        {p.stem for p in root.glob("appeals/**/*.toml")}


def save_records(root: Path, n: int, month: int) -> list[str]:
    r = subprocess.run([sys.executable, str(SAVER), str(root), str(n), str(month)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["saved"]


def register(root: Path, title: str) -> str:
    r = subprocess.run([sys.executable, str(REGISTER), str(root), title], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout.strip().splitlines()[-1]


def readable_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(w in line for w in READABLE)]


@pytest.fixture
def office(tmp_path, monkeypatch) -> Path:
    """A shared bare repository whose default branch is main, on a machine whose
    git makes new repositories on master (as git does unless told otherwise)."""
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    shared = tmp_path / "shared.git"
    plain_git("-c", "init.defaultBranch=main", "init", "-q", "--bare", str(shared))
    return shared


def test_three_clones_sync_in_turn_and_every_record_arrives_everywhere(office, tmp_path):
    # Anna: the first folder, made by caselog on master, joined to the remote by hand
    anna = tmp_path / "anna"
    caselog("init", str(anna))
    assert g(anna, "symbolic-ref", "--short", "HEAD").strip() == "master"
    g(anna, "remote", "add", "origin", str(office))
    mine = {register(anna, "Klage over ventetid")} | set(save_records(anna, 5, 5))
    out = caselog("sync", str(anna)).stdout
    assert "(main)" in out  # the remote's default branch, said
    assert plain_git("ls-remote", "--heads", str(office)).split()[1::2] == ["refs/heads/main"]
    # Bo: a plain git clone, its files 0644 as git leaves them
    bo = tmp_path / "bo"
    plain_git("clone", "-q", str(office), str(bo))
    assert oct((bo / "caselog.toml").stat().st_mode & 0o777) == "0o644"
    first = caselog("check", str(bo))
    assert len(readable_lines(first.stdout + first.stderr)) <= 1
    assert "others can read 6 record files" in first.stdout  # one line for all six
    assert f"caselog check --fix-permissions {bo}" in first.stdout
    mine |= set(save_records(bo, 3, 7))
    caselog("sync", str(bo))
    after = caselog("check", str(bo))
    assert readable_lines(after.stdout + after.stderr) == [] and after.stdout == ""
    # Cleo: a clone with another remote name and her own name for the branch
    cleo = tmp_path / "cleo"
    plain_git("clone", "-q", "--origin", "shared", str(office), str(cleo))
    g(cleo, "branch", "-m", "trunk")
    mine.add(register(cleo, "Spørgsmål om aktindsigt"))
    caselog("sync", str(cleo))
    # each syncs in turn until every record is everywhere
    for folder in (anna, bo, cleo, anna, bo):
        caselog("sync", str(folder))
    assert ids(anna) == ids(bo) == ids(cleo) == mine
    assert plain_git("ls-remote", "--heads", str(office)).split()[1::2] == ["refs/heads/main"]
    for folder in (anna, bo, cleo):
        assert g(folder, "status", "--porcelain") == ""
        assert caselog("check", str(folder)).stdout == ""
    # git itself agrees: the upstream is the remote's main
    assert g(anna, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == "origin/main"
    assert g(cleo, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == "shared/main"


def report(root: Path, period: str) -> dict:
    return json.loads(caselog("report", str(root), "--period", period, "--format", "json").stdout)


def test_two_folders_begun_apart_join_into_one_log(office, tmp_path):
    anna, dan = tmp_path / "anna", tmp_path / "dan"
    caselog("init", str(anna))
    caselog("init", str(dan), who="Dan Rådgiver")  # two first commits of their own
    assert g(anna, "rev-parse", "HEAD") != g(dan, "rev-parse", "HEAD")
    a = save_records(anna, 5, 5)
    d = save_records(dan, 4, 6) + [register(dan, "Klage over afslag")]
    before = [report(anna, "2024/25"), report(dan, "2024/25")]
    for folder in (anna, dan):
        g(folder, "remote", "add", "origin", str(office))
    caselog("sync", str(anna))
    joined = caselog("sync", str(dan))
    assert "history of its own" in joined.stdout
    caselog("sync", str(anna))
    assert ids(anna) == ids(dan) == set(a) | set(d)
    after = report(anna, "2024/25")
    assert after == report(dan, "2024/25")
    assert after["inquiries"] == before[0]["inquiries"] + before[1]["inquiries"] == 10
    for row, r0, r1 in zip(after["departments"], before[0]["departments"], before[1]["departments"],
                           strict=True):
        assert row["total"] == r0["total"] + r1["total"]
    assert plain_git("ls-remote", "--heads", str(office)).split()[1::2] == ["refs/heads/main"]


def test_a_folder_is_never_joined_with_a_repository_that_is_no_log(office, tmp_path):
    other = tmp_path / "other"
    plain_git("-c", "init.defaultBranch=main", "init", "-q", str(other))
    (other / "README").write_text("not a log\n")
    plain_git("add", "README", cwd=other)
    plain_git("-c", "user.name=X", "-c", "user.email=x@example.org", "commit", "-qm", "x", cwd=other)
    plain_git("push", "-q", str(office), "HEAD:refs/heads/main", cwd=other)
    anna = tmp_path / "anna"
    caselog("init", str(anna))
    save_records(anna, 1, 5)
    g(anna, "remote", "add", "origin", str(office))
    r = caselog("sync", str(anna), check=False)
    assert r.returncode == 1 and "no caselog folder" in r.stderr
    assert not (anna / "README").exists()


def _settings_clones(office: Path, tmp_path: Path) -> tuple[Path, Path]:
    anna, bo = tmp_path / "anna", tmp_path / "bo"
    caselog("init", str(anna))
    g(anna, "remote", "add", "origin", str(office))
    caselog("sync", str(anna))
    plain_git("clone", "-q", str(office), str(bo))
    caselog("init", str(bo))  # a colleague sets up the clone
    return anna, bo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_both_edit_the_settings_and_both_additions_are_kept(office, tmp_path):
    anna, bo = _settings_clones(office, tmp_path)
    _edit(anna / "caselog.toml", '"Digital post"]', '"Digital post", "Sms"]')
    _edit(bo / "caselog.toml", 'name = "Børn & Familie"\nshort = "B&F"',
          'name = "Børn & Familie"\nshort = "B&F"\naliases = ["Familieafdelingen"]')
    for folder in (anna, bo, anna):
        r = caselog("sync", str(folder))
        assert "caselog.toml" not in r.stderr
    from store.domain.taxonomy import load_settings

    for folder in (anna, bo):
        s = load_settings(folder)
        assert "Sms" in s.channels
        assert s.department("Familieafdelingen").name == "Børn & Familie"
        assert not list(folder.glob("caselog.toml.conflict-*"))
        assert g(folder, "status", "--porcelain") == ""


def test_a_setting_both_changed_is_said_in_words_and_both_versions_kept(office, tmp_path):
    anna, bo = _settings_clones(office, tmp_path)
    _edit(anna / "caselog.toml", 'period_start = "04-01"', 'period_start = "01-01"')
    _edit(bo / "caselog.toml", 'period_start = "04-01"', 'period_start = "07-01"')
    caselog("sync", str(anna))
    r = caselog("sync", str(bo))
    assert "Both changed the period's first day in caselog.toml: here 07-01, " \
           "on the other side 01-01" in r.stderr
    copies = list(bo.glob("caselog.toml.conflict-*"))
    assert len(copies) == 1 and '"01-01"' in copies[0].read_text(encoding="utf-8")
    assert 'period_start = "07-01"' in (bo / "caselog.toml").read_text(encoding="utf-8")
    check = caselog("check", str(bo), check=False)
    assert copies[0].name in check.stdout


def test_two_syncs_of_one_folder_at_once_take_turns(office, tmp_path):
    # The app's sync and a scheduled caselog sync of the same folder at once:
    # one fetch failed on the other's remote-tracking ref ("cannot lock ref").
    anna, bo = tmp_path / "anna", tmp_path / "bo"
    caselog("init", str(anna))
    g(anna, "remote", "add", "origin", str(office))
    caselog("sync", str(anna))
    plain_git("clone", "-q", str(office), str(bo))
    mine = set()
    for month in (4, 5, 6, 7):
        mine |= set(save_records(bo, 2, month))
        caselog("sync", str(bo))
        mine |= set(save_records(anna, 2, month + 4))
        procs = [subprocess.Popen([sys.executable, "-m", "tui.cli", "sync", str(anna), "--lang", "en"],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
    caselog("sync", str(bo))
    assert ids(anna) == ids(bo) == mine
    assert g(anna, "status", "--porcelain") == ""


def test_a_sync_waits_for_another_a_while_then_says_so(anna, monkeypatch, tmp_path):
    from store.git import sync as git_sync
    from store.git.repo import GitError

    remote = tmp_path / "shared.git"
    plain_git("init", "-q", "--bare", str(remote))
    g(anna, "remote", "add", "origin", str(remote))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | "
         "os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
         str(anna / ".git" / "caselog-sync.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(git_sync, "SYNC_WAIT", 0.5)
        with pytest.raises(GitError, match="another caselog sync"):
            git_sync.sync(anna, "m")
    finally:
        holder.kill()
        holder.wait()
    assert git_sync.sync(anna, "m").sent == 1


def test_a_department_setting_both_changed_is_said_in_words(office, tmp_path):
    anna, bo = _settings_clones(office, tmp_path)
    _edit(anna / "caselog.toml", 'short = "B&F"', 'short = "BF"')
    _edit(bo / "caselog.toml", 'short = "B&F"', 'short = "BFam"')
    caselog("sync", str(anna))
    r = caselog("sync", str(bo))
    assert "Both changed the short name of the department Børn & Familie in caselog.toml: " \
           "here BFam, on the other side BF" in r.stderr
    assert "Traceback" not in r.stderr
