"""The Workspace: saves, deletes and outside changes keep records, tally and listeners in step."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date

import pytest

from store.domain.periods import parse_period
from store.domain.records import Inquiry, Point
from store.domain.summary import Tally, build_report, to_json
from store.folder.datafolder import DataFolder
from store.workspace.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    DataFolder.init(tmp_path / "f")
    return Workspace.open(tmp_path / "f")


def inquiry(rid="2024-04-03-k7q2", **kw):
    base = Inquiry(rid, date(2024, 4, 3), "complaint", "open",
                   Point("Børn & Familie", "Forvaltningsskik", "Inddragelse"), channel="Mail")
    return replace(base, **kw)


def tables(ws):
    p = parse_period("2024/25", ws.settings.period_start)
    return to_json(build_report(ws.tally, p))


def recount(ws):
    fresh = Workspace.open(ws.folder.root)
    t = Tally.of(fresh.settings, fresh.inquiries.values(), fresh.appeals.values())
    return to_json(build_report(t, parse_period("2024/25", fresh.settings.period_start)))


def test_save_edit_delete_keep_the_tally_equal_to_a_recount(ws):
    seen = []
    ws.listeners.append(lambda c: seen.append(c.action))
    ws.save(inquiry())
    assert tables(ws)["points"] == 1 and tables(ws) == recount(ws)
    ws.save(inquiry(follow_up=(Point("Øvrige", "GDPR", "Databehandlingsskik"),)))
    assert tables(ws)["points"] == 2 and tables(ws) == recount(ws)
    assert ws.save(ws.get("2024-04-03-k7q2")) is None  # unchanged: nothing written
    ws.delete(ws.get("2024-04-03-k7q2"))
    assert tables(ws)["points"] == 0 and tables(ws) == recount(ws)
    assert seen == ["created", "changed", "deleted"]
    assert not (ws.folder.root / "inquiries/2024/04/2024-04-03-k7q2.toml").exists()


def test_last_channel_is_the_latest_inquiry_s(ws):
    ws.save(inquiry(channel="Brev"))
    ws.save(inquiry("2024-05-01-aaaa", received=date(2024, 5, 1), channel="Telefon"))
    assert ws.last_channel() == "Telefon"


def test_outside_edit_breakage_and_deletion_are_followed(ws):
    ws.save(inquiry())
    rel = "inquiries/2024/04/2024-04-03-k7q2.toml"
    path = ws.folder.root / rel
    problem_calls = []
    ws.problem_listeners.append(lambda: problem_calls.append(len(ws.problems)))

    path.write_text(path.read_text().replace('status = "open"', 'status = "closed"\n'
                                             'closed = 2024-04-09'))
    change = ws.reload_path(rel)
    assert change.outside and ws.get("2024-04-03-k7q2").status == "closed"

    path.write_text("not toml = = =")
    change = ws.reload_path(rel)
    assert change.action == "deleted" and ws.get("2024-04-03-k7q2") is None
    assert [p.path for p in ws.problems] == [rel] and problem_calls == [1]
    assert tables(ws)["points"] == 0

    os.unlink(path)
    ws.reload_path(rel)
    assert ws.problems == [] and problem_calls == [1, 0]


def test_failed_save_changes_nothing_in_memory(ws, monkeypatch):
    ws.save(inquiry())

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("store.workspace.workspace.atomic_write", boom)
    with pytest.raises(OSError):
        ws.save(inquiry(status="closed", closed=date(2024, 4, 5)))
    assert ws.get("2024-04-03-k7q2").status == "open"
    assert 'status = "open"' in (ws.folder.root / "inquiries/2024/04/2024-04-03-k7q2.toml").read_text()


def _aged(root):
    """Every file older than the index's racy window, as after a while."""
    for p in root.rglob("*.toml"):
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))


def test_a_partial_copy_is_never_written_over_an_unreadable_file(ws):
    from store.domain.records import Citizen
    from store.format import codec

    root = ws.folder.root
    r = inquiry(notes="hemmelige noter", citizen=Citizen("Navn"), extra={"prio": 3})
    ws.save(r)
    ws.write_index()
    _aged(root)
    opened = Workspace.open(root, use_index=True)
    assert r.id in opened.partial
    path = root / opened.paths[r.id]
    both = ("<<<<<<< ours\n" + codec.to_toml(r) + "=======\n"
            + codec.to_toml(replace(r, notes="kollegaens noter")) + ">>>>>>> theirs\n")
    path.write_text(both)
    with pytest.raises(OSError):
        opened.save(replace(opened.peek(r.id), status="closed", closed=date(2024, 5, 1)))
    assert path.read_text() == both  # both versions still there


def test_when_a_record_goes_its_duplicate_takes_over(ws):
    """Two files with one id: one counts; delete it and the other counts, as a fresh load."""
    from store.format import codec

    root = ws.folder.root
    a = inquiry()
    ws.save(a)
    other = root / "inquiries/2024/05/2024-04-03-k7q2.toml"
    other.parent.mkdir(parents=True)
    other.write_bytes(codec.to_toml(replace(a, kind="inquiry")).encode())
    other.chmod(0o600)
    opened = Workspace.open(root)
    assert sorted(p.code for p in opened.problems if p.path.startswith("inquiries/2024/05")) \
        == ["duplicate-id", "wrong-folder"]
    opened.delete(opened.get(a.id))
    assert opened.get(a.id).kind == "inquiry"
    assert not any(p.code == "duplicate-id" for p in opened.problems)
    assert tables(opened) == recount(opened)
