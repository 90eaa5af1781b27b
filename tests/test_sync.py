"""A team sharing one log: two clones of one bare repository, synced with caselog sync."""

from __future__ import annotations

import os
import subprocess
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from gitutil import FOLLOW, inquiry, isolate_git
from gitutil import git as g

from store.folder.datafolder import DataFolder, conflict_problems
from store.format import codec
from store.git import commits as git_commits
from store.git.merge import merge_files
from store.workspace.workspace import Workspace
from tui.cli import main
from tui.i18n import set_language
from tui.vcs import make_committer

RID = "2024-04-03-k7q2"
REL = f"inquiries/2024/04/{RID}.toml"


@pytest.fixture(autouse=True)
def english():
    set_language("en")  # conftest sets Danish again after each test


@pytest.fixture
def team(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Anna's folder and Bo's plain ``git clone`` of the shared bare repository."""
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    a = DataFolder.init(tmp_path / "anna").root
    g(a, "remote", "add", "origin", str(remote))
    assert sync(a) == 0
    b = tmp_path / "bo"
    subprocess.run(["git", "clone", "-q", str(remote), str(b)], check=True)
    return a, b


def save(root: Path, *records) -> None:
    ws = Workspace.open(root)
    committer = make_committer(ws)
    for r in records:
        ws.save(r)
    committer.close()


def sync(root: Path) -> int:
    return main(["sync", str(root), "--lang", "en"])


def ids(root: Path) -> set[str]:
    return set(Workspace.open(root).inquiries)


def test_no_remote_is_said_plainly(tmp_path, monkeypatch, capsys):
    isolate_git(monkeypatch, tmp_path / "home")
    root = DataFolder.init(tmp_path / "data").root
    assert sync(root) == 1
    err = capsys.readouterr().err
    assert "not connected to a shared copy" in err and "git -C" in err
    assert err.count("\n") == 1


def test_new_records_on_both_sides(team):
    a, b = team
    save(a, inquiry("2024-04-03-aaaa"))
    save(b, inquiry("2024-04-04-bbbb"))
    # Bo also edits a file by hand: sync commits it first.
    (b / "caselog.toml").write_text((b / "caselog.toml").read_text() + "\n# Bo's note\n")
    assert sync(a) == 0
    assert sync(b) == 0
    assert sync(a) == 0
    assert ids(a) == ids(b) == {"2024-04-03-aaaa", "2024-04-04-bbbb"}
    assert git_commits.uncommitted(a) == git_commits.uncommitted(b) == []
    assert "# Bo's note" in (a / "caselog.toml").read_text()
    # Merged, not rebased: Anna's commit keeps its id in Bo's history.
    anna_commit = g(a, "log", "--format=%H", "--grep", "2024-04-03-aaaa").split()[0]
    assert anna_commit in g(b, "log", "--format=%H")
    assert g(b, "config", "merge.caselog.driver")  # set up by Bo's first caselog command
    # Files that came in through git are private, as caselog writes them.
    assert (b / "inquiries/2024/04/2024-04-03-aaaa.toml").stat().st_mode & 0o077 == 0


def test_same_record_different_fields_merge_cleanly(team, capsys):
    a, b = team
    save(a, inquiry(RID))
    assert sync(a) == 0
    assert sync(b) == 0
    save(a, replace(inquiry(RID), status="closed", closed=date(2024, 4, 20)))
    save(b, replace(inquiry(RID), channel="Mail", follow_up=(FOLLOW,)))
    assert sync(a) == 0
    capsys.readouterr()
    assert sync(b) == 0
    assert "Both changed" not in capsys.readouterr().err
    assert sync(a) == 0
    for root in (a, b):
        r = Workspace.open(root).get(RID)
        assert (r.status, r.closed, r.channel, r.follow_up) == \
            ("closed", date(2024, 4, 20), "Mail", (FOLLOW,))
        assert conflict_problems(root) == []
        assert g(root, "status", "--porcelain") == ""
    assert (a / REL).read_bytes() == (b / REL).read_bytes()


def test_same_field_nothing_lost_and_reported(team, capsys):
    a, b = team
    save(a, inquiry(RID))
    sync(a)
    sync(b)
    save(a, replace(inquiry(RID), notes="Annas version", status="closed", closed=date(2024, 4, 9)))
    save(b, replace(inquiry(RID), notes="Bos version", channel="Brev"))
    assert sync(a) == 0
    capsys.readouterr()
    assert sync(b) == 0
    err = capsys.readouterr().err
    assert "Both changed the same field" in err
    kept = Workspace.open(b).get(RID)
    assert (kept.notes, kept.status, kept.channel) == ("Bos version", "closed", "Brev")
    copies = list((b / "inquiries/2024/04").glob(f"{RID}.toml.conflict-*"))
    assert len(copies) == 1
    assert "Annas version" in copies[0].read_text()
    problems = conflict_problems(b)
    assert [(p.path, p.code) for p in problems] == [(copies[0].relative_to(b).as_posix(),
                                                      "conflict-copy")]
    assert REL in problems[0].message("en")
    # The copy is not a record: the folder still loads one record with this id,
    # and loading (so check and the problems screen) reports the copy.
    loaded = DataFolder(b).load()
    assert len(loaded.inquiries) == 1
    assert [p.code for p in loaded.problems] == ["conflict-copy"]


def test_deleted_on_one_side_changed_on_the_other_is_kept(team, capsys):
    a, b = team
    save(a, inquiry(RID))
    sync(a)
    sync(b)
    ws = Workspace.open(a)
    committer = make_committer(ws)
    ws.delete(ws.get(RID))
    committer.close()
    save(b, replace(inquiry(RID), status="closed", closed=date(2024, 4, 9)))
    assert sync(a) == 0
    capsys.readouterr()
    assert sync(b) == 0
    assert "changed version is kept" in capsys.readouterr().err
    assert Workspace.open(b).get(RID).status == "closed"


def test_merge_files_unit():
    base = b'id = "x"\nstatus = "open"\nremarks = ["a"]\n[main]\ndepartment = "D"\ntheme = "T"\n'
    ours = base.replace(b'"open"', b'"closed"').replace(b'["a"]', b'["a", "b"]')
    theirs = base.replace(b'theme = "T"', b'theme = "U"').replace(b'["a"]', b'["a", "c"]')
    merged = merge_files(base, ours, theirs, "inquiries/x.toml")
    assert merged.conflicts == []
    text = merged.data.decode()
    assert 'status = "closed"' in text and 'theme = "U"' in text
    assert tomllib.loads(text)["remarks"] == ["a", "b", "c"]
    assert merge_files(base, b"<<<<<<< ours\n", theirs, "inquiries/x.toml") is None


def test_follow_up_added_on_both_sides_are_both_kept():
    from store.git.merge import record_dict

    base = inquiry(RID)
    ours = replace(base, follow_up=(FOLLOW,))
    other = replace(FOLLOW, theme="Andet", subtheme="Anden offentligretlig lovgivning")
    theirs = replace(base, follow_up=(other,), title="Ny titel")
    enc = [codec.to_toml(r).encode() for r in (base, ours, theirs)]
    merged = merge_files(*enc, REL)
    assert merged.conflicts == []
    data = tomllib.loads(merged.data.decode())
    assert data["follow_up"] == record_dict(ours)["follow_up"] + record_dict(theirs)["follow_up"]
    assert data["title"] == "Ny titel"
    # Both changed the same field: ours is kept and the field is named as a conflict.
    a = replace(base, status="closed", closed=date(2024, 4, 9))
    b = replace(base, status="closed", closed=date(2024, 4, 10))
    merged = merge_files(*[codec.to_toml(r).encode() for r in (base, a, b)], REL)
    assert merged.conflicts == ["closed"]
    assert "closed = 2024-04-09" in merged.data.decode()


def test_follow_up_edited_on_both_sides_merges_field_by_field():
    """One issue edited by both advisors stays one issue (not two), field by field."""
    base = replace(inquiry(RID), follow_up=(FOLLOW,))
    ours = replace(base, follow_up=(replace(FOLLOW, subtheme="Vejledning",
                                            theme="Forvaltningsloven"),))
    theirs = replace(base, follow_up=(replace(FOLLOW, department="Ældre, Sundhed & Social"),))
    merged = merge_files(*[codec.to_toml(r).encode() for r in (base, ours, theirs)], REL)
    assert merged.conflicts == []
    (only,) = tomllib.loads(merged.data.decode())["follow_up"]
    assert only == {"department": "Ældre, Sundhed & Social", "theme": "Forvaltningsloven",
                    "subtheme": "Vejledning"}
    # the same field of the same issue changed differently: ours kept, the field reported
    other = replace(base, follow_up=(replace(FOLLOW, subtheme="Koordineret indsats"),))
    merged = merge_files(*[codec.to_toml(r).encode() for r in (base, ours, other)], REL)
    assert merged.conflicts == ["follow_up[1].subtheme"]
    assert len(tomllib.loads(merged.data.decode())["follow_up"]) == 1


def test_follow_up_replaced_on_both_sides_with_lists_out_of_line_is_a_conflict():
    extra = replace(FOLLOW, theme="Andet", subtheme="Privatretlige spørgsmål")
    base = replace(inquiry(RID), follow_up=(FOLLOW,))
    ours = replace(base, follow_up=(replace(FOLLOW, subtheme="Opfølgning"), extra))
    theirs = replace(base, follow_up=(replace(FOLLOW, department="Øvrige"),))
    merged = merge_files(*[codec.to_toml(r).encode() for r in (base, ours, theirs)], REL)
    assert merged.conflicts == ["follow_up"]
    assert len(tomllib.loads(merged.data.decode())["follow_up"]) == 2  # ours, kept whole


# ---------------------------------------------------------------------------
# Which branch of the remote: one log, never a second branch beside it

FAKE_SSH = """#!/bin/sh
# ssh to this machine: run the remote command (the last argument) here
for last; do :; done
exec sh -c "$last"
"""


def heads(remote: Path) -> list[str]:
    out = subprocess.run(["git", "ls-remote", "--heads", str(remote)], capture_output=True,
                         text=True, check=True).stdout
    return sorted(line.split("\t")[1].removeprefix("refs/heads/") for line in out.splitlines())


def _url(remote: Path, how: str, tmp_path: Path, monkeypatch) -> str:
    if how == "path":
        return str(remote)
    ssh = tmp_path / "fakessh"
    ssh.write_text(FAKE_SSH)
    ssh.chmod(0o700)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    return f"ssh://localhost{remote}"


@pytest.mark.parametrize("how", ["path", "ssh"])
def test_a_remote_whose_head_names_no_branch_syncs_with_the_branch_it_has(tmp_path, monkeypatch,
                                                                          how):
    # The shared repository was made with HEAD on master (git init --bare), and
    # the first advisor pushed main with plain git: HEAD names no branch.
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "master", str(remote)], check=True)
    url = _url(remote, how, tmp_path, monkeypatch)
    a = DataFolder.init(tmp_path / "anna").root
    g(a, "branch", "-m", "main")
    g(a, "remote", "add", "origin", url)
    g(a, "push", "-q", "-u", "origin", "main")
    save(a, inquiry("2024-04-03-aaaa"))
    assert sync(a) == 0
    # Dan's folder, made with caselog init on master, joined to the remote
    d = DataFolder.init(tmp_path / "dan").root
    assert g(d, "symbolic-ref", "--short", "HEAD").strip() == "master"
    g(d, "remote", "add", "origin", url)
    save(d, inquiry("2024-04-04-dddd"))
    assert sync(d) == 0
    assert heads(remote) == ["main"]  # no second branch beside Anna's
    assert sync(a) == 0
    assert ids(a) == ids(d) == {"2024-04-03-aaaa", "2024-04-04-dddd"}


def test_an_upstream_beside_the_remote_default_does_not_split_the_log(team, capsys):
    # Bo follows the usual instructions and pushes his branch by its own name
    # (git push -u origin HEAD:bo): his folder's upstream is a second branch.
    a, b = team
    default = g(a, "symbolic-ref", "--short", "HEAD").strip()
    g(b, "push", "-q", "-u", "origin", "HEAD:bo")
    save(a, inquiry("2024-04-03-aaaa"))
    save(b, inquiry("2024-04-04-bbbb"))
    assert sync(a) == 0
    capsys.readouterr()
    assert sync(b) == 0
    out = capsys.readouterr()
    assert f"({default})" in out.out and "bo" in out.err  # the other branch is said
    assert sync(a) == 0
    assert ids(a) == ids(b) == {"2024-04-03-aaaa", "2024-04-04-bbbb"}
    assert g(b, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == f"origin/{default}"


def test_a_remote_with_several_branches_and_no_default_is_said_not_guessed(tmp_path, monkeypatch,
                                                                           capsys):
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "trunk", str(remote)], check=True)
    a = DataFolder.init(tmp_path / "anna").root
    g(a, "remote", "add", "origin", str(remote))
    g(a, "push", "-q", "origin", "HEAD:main", "HEAD:other")
    d = DataFolder.init(tmp_path / "dan").root
    g(d, "remote", "add", "origin", str(remote))
    capsys.readouterr()
    assert sync(d) == 1
    assert "main, other" in capsys.readouterr().err
    assert heads(remote) == ["main", "other"]


def test_a_clone_left_from_before_the_history_was_started_again_is_not_joined(team, capsys):
    # The administrator starts the history again (README: "The history still
    # holds the old text", way 1); Bo's clone from before still holds it.
    a, b = team
    save(a, inquiry(RID, notes="Borgerens CPR og helbred"))
    assert sync(a) == 0
    assert sync(b) == 0
    old = g(b, "rev-parse", "HEAD").strip()
    default = g(a, "symbolic-ref", "--short", "HEAD").strip()
    url = g(a, "remote", "get-url", "origin").strip()
    subprocess.run(["rm", "-rf", str(a / ".git")], check=True)
    for args in (["init", "-q", "-b", default], ["add", "-A"],
                 ["commit", "-q", "-m", "Anonymiseret historik"], ["remote", "add", "origin", url],
                 ["push", "-q", "--force", "origin", f"HEAD:{default}"]):
        g(a, *args)
    remote = Path(url)
    subprocess.run(["git", "-C", str(remote), "gc", "-q", "--prune=now"], check=True)
    assert subprocess.run(["git", "-C", str(remote), "cat-file", "-e", old]).returncode != 0
    save(b, inquiry("2024-04-05-bbbb"))
    capsys.readouterr()
    assert sync(b) == 1
    assert "cloned again" in capsys.readouterr().err
    # the old history (and the text it holds) does not come back to the shared copy
    assert subprocess.run(["git", "-C", str(remote), "cat-file", "-e", old]).returncode != 0
    assert (b / "inquiries/2024/04/2024-04-05-bbbb.toml").exists()  # nothing lost here


def test_a_branch_deleted_on_the_remote_is_no_longer_said(team, capsys):
    # A split log was mended (the second branch merged and deleted): the
    # remote-tracking ref a fetch leaves behind is not a branch of the remote.
    a, b = team
    g(b, "push", "-q", "origin", "HEAD:bo")
    capsys.readouterr()
    assert sync(a) == 0
    assert "besides" in capsys.readouterr().err
    g(b, "push", "-q", "origin", ":bo")
    assert sync(a) == 0
    assert "besides" not in capsys.readouterr().err
    assert g(a, "rev-parse", "--verify", "-q", "refs/remotes/origin/bo")  # nothing pruned


def test_a_log_beside_a_default_branch_that_holds_no_log_follows_its_upstream(tmp_path,
                                                                              monkeypatch):
    # A hosted repository made "with a README": its default branch main holds
    # no log, so the office keeps its log on a branch of its own, by hand
    # (git push -u origin HEAD:caselog, git clone -b caselog).
    isolate_git(monkeypatch, tmp_path / "home", "Anna Rådgiver")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    readme = tmp_path / "readme"
    subprocess.run(["git", "init", "-q", "-b", "main", str(readme)], check=True)
    (readme / "README.md").write_text("# Borgerrådgiverens log\n")
    g(readme, "add", "README.md")
    g(readme, "commit", "-q", "-m", "README")
    g(readme, "push", "-q", str(remote), "main")
    a = DataFolder.init(tmp_path / "anna").root
    g(a, "remote", "add", "origin", str(remote))
    g(a, "push", "-q", "-u", "origin", "HEAD:caselog")
    save(a, inquiry("2024-04-03-aaaa"))
    assert sync(a) == 0
    b = tmp_path / "bo"
    subprocess.run(["git", "clone", "-q", "-b", "caselog", str(remote), str(b)], check=True)
    save(b, inquiry("2024-04-04-bbbb"))
    assert sync(b) == 0
    assert sync(a) == 0
    assert ids(a) == ids(b) == {"2024-04-03-aaaa", "2024-04-04-bbbb"}
    assert g(readme, "ls-remote", str(remote), "main").split()[0] == \
        g(readme, "rev-parse", "HEAD").strip()  # main as it was


def test_a_merge_stopped_without_a_conflict_is_aborted(team, capsys):
    """A merge that stops with no file in conflict (here a hook refuses the merge
    commit) leaves the folder as before: no merge half done for the next sync, or
    for git, to trip over ("You have not concluded your merge")."""
    a, b = team
    save(b, inquiry("2024-04-04-bbbb"))
    assert sync(b) == 0
    save(a, inquiry("2024-04-03-aaaa"))
    hook = a / ".git" / "hooks" / "pre-merge-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    head = g(a, "rev-parse", "HEAD")
    assert sync(a) == 1
    assert not (a / ".git" / "MERGE_HEAD").exists()
    assert g(a, "rev-parse", "HEAD") == head and g(a, "status", "--porcelain") == ""
    hook.unlink()
    capsys.readouterr()
    assert sync(a) == 0  # and the next sync goes through
    assert ids(a) == {"2024-04-03-aaaa", "2024-04-04-bbbb"}


def test_looking_for_uncommitted_files_takes_no_lock(team):
    """``uncommitted`` (git status) does not write git's index (nor take its lock,
    which a merge of another process's sync would then find taken)."""
    a, _b = team
    save(a, inquiry("2024-04-03-aaaa"))
    path = next((a / "inquiries").rglob("*.toml"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the same bytes
    index = a / ".git" / "index"
    before = index.stat().st_mtime_ns, index.read_bytes()
    assert git_commits.uncommitted(a) == []
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before
