"""A workspace opened from the index builds the first period's inquiries alone,
and the rest a part at a time (or at once, when something asks for them): the
records, their order and everything made from them are those of a full build."""

from __future__ import annotations

import dataclasses
import sys
import threading
from pathlib import Path

import pytest

from store.domain import clock
from store.domain.records import Point
from store.folder.rowcodec import INQUIRY_ROW as INQ
from store.index import file as index_file
from store.workspace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate import write_folder  # noqa: E402

TODAY = "2025-05-01"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lazy") / "data"
    write_folder(root, 300)  # three periods, 60 appeal decisions
    return root


@pytest.fixture
def root(generated: Path, tmp_path: Path, monkeypatch) -> Path:
    import shutil

    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    root = tmp_path / "data"
    shutil.copytree(generated, root)
    Workspace.open(root, use_index=True)  # the first start: every file read, the index written
    assert index_file.index_path(root).exists()
    return root


def test_a_first_open_without_an_index_builds_the_first_periods_inquiries_alone(root: Path):
    """A first start (no index: a fresh clone) reads every file, then builds as an
    open from the index does: the first period's inquiries, the rest later; the
    same records, tally, paths, stats and problems as every record built at once,
    and the index written from the rows read."""
    index_file.remove_index(root)
    for f in sorted(root.glob("inquiries/*/*/*.toml"))[:3]:
        f.chmod(0o644)
    ws = Workspace.open(root, use_index=True, write_index=False, partial=True)
    assert not ws.from_index and ws.index_unwritten and not ws.complete_
    eager = Workspace.open(root, use_index=True, write_index=False, partial=True, lazy=False)
    assert eager.complete_
    period = eager.tally.default_period(clock.today())
    assert ws.first_period == period
    first = ws.first_inquiries()
    in_period = {rid for rid, r in eager.inquiries.items() if r.received in period}
    assert set(first) == in_period and 0 < len(in_period) < len(eager.inquiries)
    assert ws.tally.periods == eager.tally.periods and ws.paths == eager.paths
    assert ws.stats == eager.stats and ws.problem_count() == eager.problem_count() >= 3
    while not ws.complete_step(50):
        pass
    assert list(ws.inquiries.items()) == list(eager.inquiries.items())
    assert list(ws.appeals.items()) == list(eager.appeals.items())
    assert ws.partial == eager.partial and ws.problems == eager.problems
    ws.write_index()
    again = Workspace.open(root, use_index=True, lazy=False)
    assert again.from_index
    assert list(again.inquiries.items()) == list(eager.inquiries.items())
    assert again.problem_count() == eager.problem_count()


def test_only_the_first_periods_inquiries_are_built_before_the_rest(root: Path):
    ws = Workspace.open(root, use_index=True)
    eager = Workspace.open(root, use_index=True, lazy=False)
    assert ws.from_index and not ws.complete_ and eager.complete_
    period = eager.tally.default_period(clock.today())
    assert ws.first_period == period
    first = ws.first_inquiries()
    in_period = {rid for rid, r in eager.inquiries.items() if r.received in period}
    assert set(first) == in_period and 0 < len(in_period) < len(eager.inquiries)
    assert ws.pending_count() == len(eager.inquiries) - len(first) + len(eager.appeals)
    # What the list needs before its first screen builds nothing more.
    rid = next(iter(first))
    assert ws.peek(rid) is first[rid]
    whole = ws.get(rid)  # read from its file: it takes the partial one's place
    assert whole == Workspace.open(root).inquiries[rid] and whole.notes and rid not in ws.partial
    assert ws.tally.periods == eager.tally.periods and ws.paths == eager.paths
    assert ws.problem_count() == eager.problem_count()
    assert not ws.complete_
    steps = 1
    while not ws.complete_step(50):
        steps += 1
        assert not ws.complete_
    assert steps > 2 and ws.complete_ and ws.pending_count() == 0
    # The same records, in the same (scan) order, as every record built at once,
    # but for the one made whole meanwhile.
    assert ws.inquiries[rid] is whole
    eager.inquiries[rid] = whole
    assert list(ws.inquiries.items()) == list(eager.inquiries.items())
    assert list(ws.appeals.items()) == list(eager.appeals.items())
    assert all(ws.inquiries[k] is first[k] for k in first)  # the first ones kept
    assert ws.partial == eager.partial - {rid}


def test_asking_for_the_records_builds_them_all_at_once(root: Path):
    eager = Workspace.open(root, use_index=True, lazy=False)
    ws = Workspace.open(root, use_index=True)
    assert ws.appeals == eager.appeals and ws.complete_
    ws = Workspace.open(root, use_index=True)
    other = next(rid for rid, r in eager.inquiries.items() if r.received not in ws.first_period)
    assert ws.peek(other) == eager.inquiries[other] and ws.complete_
    assert ws.inquiries == eager.inquiries


def test_a_save_before_the_rest_is_built_keeps_every_record(root: Path):
    eager = Workspace.open(root, use_index=True, lazy=False)
    ws = Workspace.open(root, use_index=True)
    rid = next(rid for rid, r in eager.inquiries.items() if r.received not in ws.first_period)
    changed = dataclasses.replace(ws.get(rid), title="Ændret før resten var bygget",
                                  main=Point("Børn & Familie", "Forvaltningsskik", "Partshøring"))
    ws.save(changed)
    assert ws.complete_ and ws.inquiries[rid].title == "Ændret før resten var bygget"
    assert len(ws.inquiries) == len(eager.inquiries) and len(ws.appeals) == len(eager.appeals)
    ws.write_index()
    again = Workspace.open(root, use_index=True)
    assert again.inquiries[rid].title == "Ændret før resten var bygget"
    assert again.tally.periods == Workspace.open(root).tally.periods  # the files, read in full


def test_a_thread_asking_while_the_interface_builds_parts_gets_them_all(root: Path):
    eager = Workspace.open(root, use_index=True, lazy=False)
    ws = Workspace.open(root, use_index=True)
    seen: list[dict] = []
    t = threading.Thread(target=lambda: seen.append(dict(ws.inquiries)))
    t.start()
    while not ws.complete_step(7):
        pass
    t.join(10)
    assert seen == [eager.inquiries] and ws.inquiries == eager.inquiries


def test_a_folder_of_one_period_has_nothing_left_to_build(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CASELOG_TODAY", TODAY)
    root = tmp_path / "one"
    write_folder(root, 300)
    ws = Workspace.open(root)
    keep = ws.tally.default_period(clock.today())
    for r in list(ws.inquiries.values()):
        if r.received not in keep:
            ws.delete(r)
    for a in list(ws.appeals.values()):
        ws.delete(a)
    Workspace.open(root, use_index=True)  # writes the index
    lazy = Workspace.open(root, use_index=True)
    assert lazy.first_period == keep and lazy.pending_count() == 0
    assert lazy.complete_step() and lazy.complete_
    assert lazy.inquiries == Workspace.open(root, use_index=True, lazy=False).inquiries


def test_a_record_made_whole_while_the_parts_are_put_together_stays_whole(root: Path):
    """``full`` of a first-period record after it was put into the new dicts:
    those take the whole record too (else a partial one would pass for whole)."""
    ws = Workspace.open(root, use_index=True)
    first = ws.first_inquiries()
    # build every part, then put them together until a first-period one is in
    while not any(k in first for k in ws._pending.inquiries):
        assert not ws.complete_step(10)
    merged = ws._pending.inquiries
    rid = next(k for k in merged if k in first)
    whole = ws.get(rid)
    assert whole.notes and rid not in ws.partial
    while not ws.complete_step(40):
        pass
    assert ws.inquiries[rid] is whole
    assert ws.inquiries == {**Workspace.open(root, use_index=True, lazy=False).inquiries,
                            rid: whole}


def test_records_from_the_index_share_one_empty_extra_that_stays_empty(root: Path):
    """The records built from the index share one empty ``extra`` (not a dict each);
    a session of saves, a delete and an edit from outside leaves it empty."""
    from store.index.assemble import _NO_EXTRA

    ws = Workspace.open(root, use_index=True)
    records = [*ws.inquiries.values(), *ws.appeals.values()]
    assert all(r.extra is _NO_EXTRA for r in records) and _NO_EXTRA == {}
    first, second = list(ws.inquiries)[:2]
    ws.save(dataclasses.replace(ws.get(first), title="Ændret"))
    ws.delete(ws.get(second))
    appeal = next(iter(ws.appeals))
    ws.save(dataclasses.replace(ws.get(appeal), result="Ændret"))
    rel = ws.paths[list(ws.inquiries)[5]]
    path = root / rel
    path.write_text('ukendt_felt = "fra et andet program"\n' + path.read_text(encoding="utf-8"),
                    encoding="utf-8")  # (a top-level key: before the file's first table)
    ws.reload_path(rel)
    assert ws.get(ws._by_path[rel]).extra == {"ukendt_felt": "fra et andet program"}
    assert _NO_EXTRA == {}
    assert sum(r.extra is _NO_EXTRA for r in ws.inquiries.values()) == len(ws.inquiries) - 2


def test_paths_and_partial_ids_are_made_when_first_asked_for(root: Path):
    full = Workspace.open(root)  # every file read
    ws = Workspace.open(root, use_index=True)
    # Nothing the first screen needs makes them (0.2 s at 300,000)
    assert ws._paths is None and ws._partial is None and ws.has_partial()
    assert ws._paths is None and ws._partial is None
    assert ws.paths == full.paths and ws._partial is not None  # both made at once
    assert ws.partial == set(full.inquiries) | set(full.appeals)
    assert ws._id_columns is None  # the columns let go
    # Made from another thread while this one asks: one dict, one set
    ws = Workspace.open(root, use_index=True)
    seen: list = []
    t = threading.Thread(target=lambda: seen.append((ws.paths, ws.partial)))
    t.start()
    paths, partial = ws.paths, ws.partial
    t.join(10)
    assert seen[0][0] is paths and seen[0][1] is partial
    # A record read whole before they were made: its id leaves the set made then
    ws = Workspace.open(root, use_index=True)
    rid = next(iter(ws.first_inquiries()))
    assert ws.get(rid).notes and rid not in ws.partial and ws.has_partial()
    assert ws.paths[rid] == full.paths[rid]


def test_a_workspace_of_whole_records_has_no_partial_ones(root: Path):
    ws = Workspace.open(root)
    assert not ws.has_partial() and ws.partial == set() and ws.paths


@pytest.fixture
def parted(root: Path, monkeypatch) -> Path:
    """``root`` with its index written in parts of 16 rows."""
    monkeypatch.setattr(index_file, "PART_ROWS", 16)
    index_file.index_path(root).unlink()
    Workspace.open(root, use_index=True)
    return root


def test_the_first_screen_reads_only_the_parts_that_hold_its_period(parted: Path):
    root = parted
    eager = Workspace.open(root, use_index=True, lazy=False)
    ws = Workspace.open(root, use_index=True)
    rows = ws._pending.source
    assert isinstance(rows, index_file.LazyRows) and len(rows.parts) > 10
    read = [i for i, part in enumerate(rows._loaded) if part is not None]
    period = ws.first_period
    first, last = period.start.toordinal(), period.end.toordinal()
    # the parts read are those whose dates meet the period's, and no more
    assert read == [i for i, (_b, _n, lo, hi) in enumerate(rows.parts) if lo <= last and hi >= first]
    assert 0 < len(read) < len(rows.parts)
    assert list(ws.first_inquiries().items()) == [
        (rid, r) for rid, r in eager.inquiries.items() if r.received in period]
    # each step reads one more part until all are; then the records are built and joined
    unread = len(rows.parts) - len(read)
    for n in range(unread):
        assert not ws.complete_step(50) and rows._loaded.count(None) == unread - n - 1
    while not ws.complete_step(50):
        pass
    # every record built: their ids are kept for the paths, not every row
    assert ws._id_columns[0] is None and ws._ids == [*eager.inquiries, *eager.appeals]
    assert list(ws.inquiries.items()) == list(eager.inquiries.items())
    assert list(ws.appeals.items()) == list(eager.appeals.items())
    assert ws.paths == eager.paths and ws.partial == eager.partial and ws._ids is None


def test_the_rows_of_an_index_in_parts_read_back_as_written(parted: Path):
    root = parted
    (*_c, rows), _scan, _tally = index_file._read_payload(root, rows=False)
    (*_c, every), _scan, _tally = index_file._read_payload(root, rows=True)
    assert rows.n_inquiries == sum(r[0] == INQ for r in every) and rows.unique_ids
    assert len(rows) == len(every) and not rows.loaded  # (the length: the parts')
    at = 0
    for i, (_b, n, lo, hi) in enumerate(rows.parts):
        part = rows.part(i)
        assert part == every[at:at + n]
        received = [r[2] for r in part if r[0] == INQ]
        assert (lo, hi) == ((min(received), max(received)) if received else (0, -1))
        at += n
    assert at == len(every) and tuple(rows) == every and rows.loaded
    assert rows.part(3) == every[48:64]  # (after all are read: from the one tuple)
    dates = sorted({r[2] for r in every if r[0] == INQ})
    for first, last in [(dates[0], dates[-1]), (dates[5], dates[40]), (dates[-1] + 1, 10**7),
                        (dates[7], dates[7])]:
        fresh = index_file._read_payload(root, rows=False)[0][4]
        positions, found = fresh.inquiries_in(first, last)
        want = [(i, r) for i, r in enumerate(every) if r[0] == INQ and first <= r[2] <= last]
        assert list(zip(positions, found, strict=True)) == want


def test_the_rows_are_made_and_written_a_part_at_a_time(parted: Path):
    """The writer takes the rows as it writes them: when a part's bytes are
    given out, no row of a later part has been made; the file reads back the same."""
    (*_c, every), _scan, _tally = index_file._read_payload(parted, rows=True)
    made = []

    def rows():
        for row in every:
            made.append(row)
            yield row

    body = index_file._Body(rows())
    for i, blob in enumerate(body):
        assert len(made) == min(16 * (i + 1), len(every))  # this part's rows and no more
        assert index_file.marshal.loads(blob) == every[16 * i:16 * (i + 1)]
    assert body.shape == _shape(every) and body.shape[2] == tuple(
        (len(index_file.marshal.dumps(every[at:at + 16])), len(every[at:at + 16]), *_dates(every[at:at + 16]))
        for at in range(0, len(every), 16))


def _dates(part) -> tuple[int, int]:
    received = [r[2] for r in part if r[0] == INQ]
    return (min(received), max(received)) if received else (0, -1)


def test_an_index_written_again_copies_its_unread_parts(parted: Path):
    """Written again from an index read lazily (as a command does when only the
    files' permissions changed), the parts not unmarshalled are copied as
    they were read, byte for byte; a part that was unmarshalled is made again
    from its rows. The index reads back the same."""
    path = index_file.index_path(parted)
    columns, scan, tally = index_file._read_payload(parted, rows=False)
    every = index_file._read_payload(parted, rows=True)[0][4]
    before = columns[4]
    blobs = [bytes(before.blob(i)) for i in range(len(before.parts))]
    before.part(2)
    index_file.write_payload(parted, columns, scan, tally)
    after, scan2, tally2 = index_file._read_payload(parted, rows=False)
    assert after[4].parts[:2] == before.parts[:2] and after[4].parts[3:] == before.parts[3:]
    assert [bytes(after[4].blob(i)) for i in (0, 1, *range(3, len(blobs)))] == blobs[:2] + blobs[3:]
    assert tuple(after[4]) == every and (scan2, tally2) == (scan, tally)
    assert [tuple(c) for c in after[:4]] == [tuple(c) for c in columns[:4]]
    assert path.read_bytes().startswith(b"caselog-index %d " % index_file.VERSION)
    assert tuple(after[4]) == every and after[4].blob(0) is None  # every part read: made again
    index_file.write_payload(parted, after, scan2, tally2)
    assert index_file._read_payload(parted, rows=True)[0][4] == every


def _shape(rows) -> tuple:
    """The rows' shape as the index writes it."""
    body = index_file._Body(rows)
    assert all(isinstance(b, bytes) for b in body)
    return body.shape


def test_an_index_whose_rows_are_not_inquiries_first_opens_the_usual_way(root: Path, monkeypatch):
    """Rows out of their usual order (or of another kind) are told in the index
    (``n_inquiries`` None): the app's open then builds from all of them."""
    eager = Workspace.open(root, use_index=True, lazy=False)
    (*_c, rows), _scan, _tally = index_file._read_payload(root, rows=True)
    assert _shape(rows)[1] == sum(r[0] == INQ for r in rows)
    assert _shape((rows[-1], *rows[:-1]))[1] is None  # an appeal's row first
    real = index_file._Body.__iter__

    def untold(self):
        yield from real(self)
        unique, _n, parts = self.shape
        self.shape = (unique, None, parts)

    monkeypatch.setattr(index_file._Body, "__iter__", untold)
    index_file.index_path(root).unlink()
    Workspace.open(root, use_index=True)
    ws = Workspace.open(root, use_index=True)
    assert not ws.complete_ and isinstance(ws._pending.source, tuple)  # every row read at once
    assert ws.inquiries == eager.inquiries and ws.appeals == eager.appeals


def test_a_workspace_built_whole_from_the_index_keeps_the_ids_not_the_rows(root: Path):
    """``lazy=False``: every record built at once; for the paths made later the
    workspace keeps the ids, not every row of the index."""
    full = Workspace.open(root)
    ws = Workspace.open(root, use_index=True, lazy=False)
    assert ws.complete_ and ws._id_columns[0] is None and ws._ids == [*full.inquiries, *full.appeals]
    assert ws.paths == full.paths and ws.partial == set(full.paths) and ws._ids is None


def test_the_count_left_to_build_is_right_at_every_step(parted: Path):
    eager = Workspace.open(parted, use_index=True, lazy=False)
    ws = Workspace.open(parted, use_index=True)
    left_at_open = len(eager.inquiries) + len(eager.appeals) - len(ws.first_inquiries())
    left = [ws.pending_count()]
    while not ws.complete_step(25):
        left.append(ws.pending_count())
    # the same while the parts are read and taken, then less as records are built
    assert left[0] == left_at_open and left.count(left_at_open) > 2
    assert all(a >= b for a, b in zip(left, left[1:], strict=False))
    assert ws.pending_count() == 0
