"""The derived index and the fast reader give exactly what reading the files gives."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.domain.summary import Tally, build_report, to_json
from store.folder import fastread, parse, rowcodec
from store.folder.datafolder import DataFolder
from store.format import codec
from store.index import assemble as index_assemble
from store.index import file as index_file
from store.index import load as index_load
from store.index import tree as index_tree
from store.workspace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_codec import appeals, inquiries, texts  # noqa: E402

from benchmarks.generate import write_folder  # noqa: E402

N = 150  # inquiries (and N // 5 appeal decisions)


def strip(r):
    """What the index keeps of a record."""
    if isinstance(r, Inquiry):
        return dataclasses.replace(
            r, notes="", citizen=None, extra={}, main=dataclasses.replace(r.main, extra={}),
            follow_up=tuple(dataclasses.replace(p, extra={}) for p in r.follow_up))
    return dataclasses.replace(r, notes="", extra={})


def key(p):
    return (p.path, p.line or 0, p.col or 0, p.code, repr(sorted(p.params.items())))


def tables(settings_, inquiries_, appeals_):
    t = Tally.of(settings_, inquiries_, appeals_)
    return {p.label: to_json(build_report(t, p)) for p in t.active_periods()}


def assert_same(folder: DataFolder, records, appeals_, paths, problems, tally=None):
    """``records`` etc. (possibly partial) equal a full read of the folder now."""
    truth = folder.load()
    assert {k: strip(v) for k, v in records.items()} == {
        k: strip(v) for k, v in truth.inquiries.items()}
    assert {k: strip(v) for k, v in appeals_.items()} == {
        k: strip(v) for k, v in truth.appeals.items()}
    assert paths == truth.paths
    assert sorted(map(key, problems)) == sorted(map(key, truth.problems))
    s = truth.settings
    expected = tables(s, truth.inquiries.values(), truth.appeals.values())
    assert tables(s, records.values(), appeals_.values()) == expected
    if tally is not None:
        assert {p.label: to_json(build_report(tally, p)) for p in tally.active_periods()} == expected


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    """Files here are minutes old at most; test_racy_files_are_read_again covers the window."""
    monkeypatch.setattr(index_file, "RACY_NS", 0)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gen") / "data"
    write_folder(root, N)
    return root


@pytest.fixture
def data(generated: Path, tmp_path: Path) -> DataFolder:
    """A copy of the generated folder with a few files that have problems."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(generated, root)
    bad = root / "inquiries/2024/05"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "2024-05-01-bad1.toml").write_text('id = "2024-05-01-bad1"\nreceived = 2024-05-01\nkind = ')
    (bad / "2024-05-02-bad2.toml").write_text("")
    os.chmod(bad / "2024-05-02-bad2.toml", 0o600)
    one = next((root / "inquiries").rglob("*.toml"))
    dup = root / "inquiries/2099/01" / one.name
    dup.parent.mkdir(parents=True)
    dup.write_bytes(one.read_bytes())  # the same id twice, outside its folder
    os.chmod(dup, 0o644)  # world-readable
    return DataFolder(root)


def outside_edits(root: Path) -> None:
    files = sorted((root / "inquiries").rglob("*.toml"))
    r, _ = codec.read_inquiry(files[3].read_bytes(), "x")
    changed = dataclasses.replace(r, title=r.title + " (changed outside)", status="open",
                                  closed=None, kind="complaint-help")
    files[3].write_bytes(codec.to_toml(changed).encode())
    st = files[3].stat()
    os.utime(files[3], ns=(st.st_atime_ns, st.st_mtime_ns - 5_000_000_000))
    files[5].unlink()
    new = dataclasses.replace(r, id="2023-06-07-zzzz", received=r.received.replace(2023, 6, 7),
                              closed=None, status="open")
    p = root / "inquiries/2023/06/2023-06-07-zzzz.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(codec.to_toml(new).encode())
    os.chmod(p, 0o600)
    (root / "appeals").joinpath(
        sorted(x.relative_to(root / "appeals") for x in (root / "appeals").rglob("*.toml"))[0]
    ).write_text("not toml at all = = =\n")


# ---------------------------------------------------------------------------


def test_index_gives_the_same_records_problems_and_tables(data: DataFolder):
    s = data.settings()
    full, rebuilt = index_load.load_with_index(data, s)
    assert rebuilt and not full.from_index
    assert_same(data, full.result.inquiries, full.result.appeals, full.result.paths,
                full.result.problems, full.tally)
    truth = data.load()
    assert full.result.inquiries == truth.inquiries  # a full read is complete
    fast, rebuilt = index_load.load_with_index(data, s)
    assert not rebuilt and fast.from_index
    assert fast.partial == set(fast.result.inquiries) | set(fast.result.appeals)
    assert all(r.notes == "" and r.citizen is None for r in fast.result.inquiries.values())
    assert_same(data, fast.result.inquiries, fast.result.appeals, fast.result.paths,
                fast.result.problems, fast.tally)
    assert index_tree.verify(data.root, fast.stats, fast.scan_problems) == []


def test_the_index_holds_one_int_for_each_files_mode(data: DataFolder):
    """Read back, the stat keys of the files share one int object for each mode (a
    clone's 0o644 and the private 0o600), not one each; a later write keeps it so
    with a changed file's new key among them, and the keys are as they were."""
    _loaded, rebuilt = index_load.load_with_index(data, data.settings())
    assert rebuilt

    def modes() -> tuple[dict[int, set[int]], tuple]:
        (_rels, keys, *_rest), _scan, _tally = index_file._read_payload(data.root)
        objects: dict[int, set[int]] = {}
        for k in keys:
            if k is not None:
                objects.setdefault(k[2], set()).add(id(k[2]))
        return objects, keys

    objects, keys = modes()
    assert {0o600, 0o644} <= set(objects) and all(len(v) == 1 for v in objects.values())
    ws = Workspace.open(data.root, use_index=True)
    rid = next(iter(ws.inquiries))
    ws.save(dataclasses.replace(ws.get(rid), title="Ændret"))  # a key of its own
    changed = ws.paths[rid]
    assert ws.stats[changed][2] is not next(
        k[2] for rel, k in ws.stats.items() if k is not None and k[2] == 0o600 and rel != changed)
    ws.write_index()
    objects, again = modes()
    assert all(len(v) == 1 for v in objects.values())
    rels = index_file._read_payload(data.root)[0][0]
    assert dict(zip(rels, again, strict=True)) == {
        rel: key for rel, key in ws.stats.items()}
    assert len(again) == len(keys) and changed in rels


def test_one_mode_object_makes_anew_only_the_keys_that_need_it():
    a, b = int("384"), int("384")  # two int objects of one value
    c = int("420")
    keys = ((1, 2, a), (3, 4, a), None, (5, 6, b), (7, 8, c))
    assert a is not b
    out = index_file._one_mode_object(keys)
    assert out == keys and out[2] is None
    assert out[0] is keys[0] and out[1] is keys[1] and out[4] is keys[4]  # (kept)
    assert out[3] is not keys[3] and out[3][2] is a  # the first one seen
    same = ((1, 2, a), (3, 4, c))
    assert index_file._one_mode_object(same) is same
    # a full read's keys: one object a chunk of the reading processes, 64 keys
    # or more to each on average: kept as they are (marshal writes each once)
    chunks = tuple((i, 1, a if i < 64 else b) for i in range(128))
    assert index_file._one_mode_object(chunks) is chunks
    fewer = chunks[:127]  # fewer than 64 keys to each object: made one
    out = index_file._one_mode_object(fewer)
    assert out == fewer and {id(k[2]) for k in out} == {id(a)}


def test_index_holds_no_notes_or_citizen_data(data: DataFolder):
    index_load.load_with_index(data, data.settings())
    blob = index_file.index_path(data.root).read_bytes()
    truth = data.load()
    for r in list(truth.inquiries.values())[:50]:
        if r.notes.strip():
            assert r.notes.strip().splitlines()[0].encode() not in blob
        if r.citizen is not None and r.citizen.phone:
            assert r.citizen.phone.encode() not in blob
        assert r.title.encode() in blob  # the list shows titles


def test_outside_changes_are_found_by_verify(data: DataFolder):
    index_load.load_with_index(data, data.settings())
    time.sleep(0.01)
    outside_edits(data.root)
    ws = Workspace.open(data.root, use_index=True)
    assert ws.from_index
    changed = ws.verify()
    assert len(changed) == 4
    for rel in changed:
        ws.reload_path(rel)
    assert ws.verify() == []
    assert_same(data, ws.inquiries, ws.appeals, ws.paths, ws.problems, ws.tally)
    # and the index written now gives the same again
    ws.write_index()
    again = Workspace.open(data.root, use_index=True)
    assert again.verify() == []
    assert_same(data, again.inquiries, again.appeals, again.paths, again.problems, again.tally)


def test_load_fresh_reads_only_what_changed(data: DataFolder):
    s = data.settings()
    index_load.load_with_index(data, s)
    outside_edits(data.root)
    loaded = index_load.load_fresh(data, s)
    assert loaded.from_index
    r = loaded.result
    assert_same(data, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)
    again = index_load.load_fresh(data, s)  # the same again (few changes: the index is kept)
    r = again.result
    assert_same(data, r.inquiries, r.appeals, r.paths, r.problems, again.tally)


def test_saves_and_deletes_then_reopen(data: DataFolder):
    Workspace.open(data.root, use_index=True)
    ws = Workspace.open(data.root, use_index=True)
    ids = sorted(ws.inquiries)
    # A record edited from its partial copy keeps the notes and citizen data it never saw.
    rid = next(i for i in ids if data.load().inquiries[i].citizen is not None)
    before = data.load().inquiries[rid]
    assert ws.peek(rid).notes == ""
    ws.save(dataclasses.replace(ws.peek(rid), title="Edited title"))
    after = data.load().inquiries[rid]
    assert after.title == "Edited title"
    assert after.notes == before.notes and after.citizen == before.citizen
    # get() reads the file: the full record.
    other = ids[7]
    assert ws.get(other) == data.load().inquiries[other]
    assert other not in ws.partial
    ws.delete(ws.get(ids[9]))
    new = dataclasses.replace(before, id="2024-07-01-abcd", received=before.received.replace(2024, 7, 1),
                              closed=None, status="open", notes="New notes",
                              citizen=Citizen(name="Someone"))
    ws.save(new)
    assert_same(data, ws.inquiries, ws.appeals, ws.paths, ws.problems, ws.tally)
    ws.write_index()
    blob = index_file.index_path(data.root).read_bytes()
    assert b"New notes" not in blob and b"Someone" not in blob
    again = Workspace.open(data.root, use_index=True)
    for rel in again.verify():
        again.reload_path(rel)
    assert_same(data, again.inquiries, again.appeals, again.paths, again.problems, again.tally)


def test_partial_record_changed_outside_before_save(data: DataFolder):
    """get() never applies a change itself; save() still keeps notes it never saw."""
    Workspace.open(data.root, use_index=True)
    ws = Workspace.open(data.root, use_index=True)
    truth = data.load()
    rid = next(i for i, r in truth.inquiries.items() if r.citizen is not None and r.notes)
    rel = ws.paths[rid]
    changed = dataclasses.replace(truth.inquiries[rid], notes="Changed outside\n", channel="Mail")
    (data.root / rel).write_bytes(codec.to_toml(changed).encode())
    partial = ws.peek(rid)
    assert ws.get(rid) is partial  # the change is for reload_path to apply
    ws.save(dataclasses.replace(partial, title="Edited"))
    after = data.load().inquiries[rid]
    assert after.title == "Edited"
    assert after.notes == "Changed outside\n" and after.citizen == changed.citizen


def _damage(p: Path, how: str) -> None:
    b = p.read_bytes()
    if how == "truncated":
        p.write_bytes(b[: len(b) // 2])
    elif how == "garbage":
        p.write_bytes(os.urandom(len(b)))
    elif how == "empty":
        p.write_bytes(b"")
    elif how == "version":
        p.write_bytes(b.replace(b"caselog-index %d " % index_file.VERSION, b"caselog-index 99 ", 1))
    elif how == "flipped":
        i = len(b) - 100
        p.write_bytes(b[:i] + bytes([b[i] ^ 1]) + b[i + 1:])
    elif how == "payload":  # a valid header and checksum over a payload of the wrong shape
        import marshal

        head = marshal.dumps((index_file.code_fingerprint(), index_file.settings_digest(p.parent.parent),
                              ((1, 2, 3),), (), (), (True, 0, ((11, 1, 0, -1),))))
        p.write_bytes(index_file.framed(head, marshal.dumps(()), marshal.dumps(((1, 2),))))


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "version", "flipped", "payload",
                                 "settings"])
def test_a_damaged_or_stale_index_is_rebuilt(data: DataFolder, how: str):
    s = data.settings()
    index_load.load_with_index(data, s)
    p = index_file.index_path(data.root)
    if how == "settings":
        cfg = data.root / "caselog.toml"
        cfg.write_text(cfg.read_text() + "\n# changed\n")
    else:
        _damage(p, how)
    with pytest.raises(index_file.IndexError_):
        index_load.read_index(data.root, s)
    loaded, rebuilt = index_load.load_with_index(data, s)
    assert rebuilt
    r = loaded.result
    assert_same(data, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)
    assert not index_load.load_with_index(data, s)[1]


def test_racy_files_are_read_again(data: DataFolder, monkeypatch):
    """A file modified as the index is written may change again in the same mtime tick."""
    monkeypatch.setattr(index_file, "RACY_NS", 2_000_000_000)
    for f in data.root.rglob("*.toml"):
        os.utime(f)  # modified just now
    loaded, _ = index_load.load_with_index(data, data.settings())
    fast = index_load.read_index(data.root, data.settings())
    assert set(index_tree.verify(data.root, fast.stats)) == set(loaded.stats)  # all just written
    ws = Workspace.open(data.root, use_index=True)
    assert all(ws.reload_path(rel) is None for rel in ws.verify())  # nothing changed: no events
    assert not ws.partial - {r.id for r in ws.duplicates.values()}


def test_deleting_the_index_loses_nothing(data: DataFolder):
    s = data.settings()
    index_load.load_with_index(data, s)
    index_file.remove_index(data.root)
    loaded, rebuilt = index_load.load_with_index(data, s)
    assert rebuilt
    assert loaded.result.inquiries == data.load().inquiries


def test_parallel_read_equals_sequential(data: DataFolder):
    s = data.settings()
    found, _, _ = index_tree.walk(data.root)
    one = fastread.read_many(str(data.root), found, s, workers=1)
    two = fastread.read_many(str(data.root), found, s, workers=2, chunk=20)
    assert one == two


def test_walk_is_scan(data: DataFolder, tmp_path: Path):
    root = data.root
    os.symlink(tmp_path, root / "inquiries/2024/linked")
    target = next((root / "appeals").rglob("*.toml"))
    os.symlink(target, root / "appeals/2024-01-01-link.toml")
    (root / "inquiries/.hidden").mkdir()
    (root / "inquiries/.hidden/2024-01-01-aaaa.toml").write_text("x")
    found, problems, stats = index_tree.walk(root)
    sfound, sproblems = data.scan()
    assert found == sfound
    assert sorted(map(key, problems)) == sorted(map(key, sproblems))
    assert set(stats) == {rel for _k, rel in found}


def test_rows_round_trip(data: DataFolder):
    truth = data.load()
    b = rowcodec.Builder()
    for r in [*truth.inquiries.values(), *truth.appeals.values()]:
        assert b.build(rowcodec.to_row(r)) == r
        assert b.build(rowcodec.to_row(r, partial=True)) == strip(r)
    odd = Inquiry(id="2024-01-01-aaaa", received=truth.inquiries[next(iter(truth.inquiries))].received,
                  kind="inquiry", status="open", main=Point("A", "B", None, {"x": 1}),
                  extra={"future": [1, 2]})
    assert b.build(rowcodec.to_row(odd)) == odd
    assert b.build(rowcodec.to_row(odd, partial=True)) == strip(odd)


# ---------------------------------------------------------------------------
# toml-rs where it is proven to read as tomllib does

PROPERTY = settings(max_examples=int(os.environ.get("CASELOG_EXAMPLES", 300)), deadline=None,
                    suppress_health_check=list(HealthCheck))  # CASELOG_EXAMPLES=5000: longer
EDITS = st.one_of(texts, st.sampled_from([
    '"', "'", "\\", "\n", "\r\n", "=", "[", "]", "#", "\x00", "\x7f", "\t", "1979-05-27",
    "07:32:00", "1979-05-27T07:32:00Z", "+inf", "nan", "0x1F", "1_000", " = 1\n", '"""', "'''",
    "\\u00e6", "\\x41", "\\e", "{", "}", ",", "[[follow_up]]\n", "a.b = 1\n", "\ufeff",
    # inline tables, line ends, times and escapes as other programs write them
    "x = { a = 1 }\n", "x = { a = 1, }\n", "x = {\n", "{ a = 1 }", ", }", '"}"', "'{'",
    'main = { department = "A", theme = "B" }\n', "x = [{ a = 1 }, { a = 2 }]\n", "\r",
    "07:32", "x = 07:32\n", "x = 1979-05-27T07:32\n", "\\\\D", "\\\\", "\\\\\\x", "# {\n",
    # where TOML 1.1 (toml-rs's default) reads what 1.0 refuses, and odd values
    "x = 1979-05-27T23:59:60Z\n", "\\U0001F600", "\\uD800", "x = 0o17\n",
    "x = 1979-05-27 07:32:00.999999999+01:00\n", "x = 99999999999999999999\n", "\x1b", "\u2028",
]))


def _both(text: str):
    try:
        a = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        a = None
    try:
        b = parse.loads(text)
    except tomllib.TOMLDecodeError:
        b = None
    return a, b


def _same_types(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same_types(a[k], b[k])
    elif isinstance(a, list):
        for x, y in zip(a, b, strict=True):
            _same_types(x, y)
    elif hasattr(a, "tzinfo"):
        assert repr(a) == repr(b)


@PROPERTY
@given(st.one_of(inquiries(), appeals()), st.lists(st.tuples(st.integers(0, 10**6), EDITS),
                                                   max_size=3))
def test_fast_parser_reads_as_tomllib(record, edits):
    text = codec.to_toml(record)
    for pos, ins in [(None, None), *edits]:
        if pos is not None:
            i = pos % (len(text) + 1)
            text = text[:i] + ins + text[i + 1:]
        a, b = _both(text)
        assert a == b
        if a is not None:
            _same_types(a, b)
        raw = text.encode("utf-8", "surrogatepass")
        for kind_dir, reader in (("inquiries", codec.read_inquiry), ("appeals", codec.read_appeal)):
            try:
                expected = reader(raw, "inquiries/2024/04/x.toml")
            except UnicodeEncodeError:
                continue
            assert parse.read_record(raw, "inquiries/2024/04/x.toml", kind_dir, None) == expected \
                or kind_dir != ("inquiries" if reader is codec.read_inquiry else "appeals")


def test_fast_parser_takes_generated_files(generated: Path):
    """The generated (realistic) files all go through toml-rs, with the same result."""
    files = sorted(generated.rglob("*.toml"))[:200]
    fast = 0
    for f in files:
        text = f.read_text()
        assert parse.loads(text) == tomllib.loads(text)
        fast += parse.safe_for_fast(text) and parse._fast(text) is not None
    if parse.FAST:
        assert fast > len(files) * 0.9


@pytest.fixture
def clean(generated: Path, tmp_path: Path) -> DataFolder:
    """A copy of the generated folder without duplicate ids."""
    import shutil

    root = tmp_path / "clean"
    shutil.copytree(generated, root)
    return DataFolder(root)


def test_load_fresh_reads_the_changed_files_into_the_index_records(clean, monkeypatch):
    s = clean.settings()
    index_load.load_with_index(clean, s)
    outside_edits(clean.root)

    def no(*a, **k):
        raise AssertionError("the long way")

    monkeypatch.setattr(index_load, "read_all", no)
    monkeypatch.setattr(index_load, "walk", no)
    loaded = index_load.load_fresh(clean, s)
    r = loaded.result
    assert loaded.from_index
    assert_same(clean, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)
    assert "2023-06-07-zzzz" not in loaded.partial  # read from its file: whole
    truth = clean.load()
    assert r.inquiries["2023-06-07-zzzz"] == truth.inquiries["2023-06-07-zzzz"]


def assert_same_counts(folder: DataFolder, loaded) -> None:
    """A Loaded without records: its problems and tally equal a full read's."""
    truth = folder.load()
    assert sorted(map(key, loaded.result.problems)) == sorted(map(key, truth.problems))
    expected = tables(truth.settings, truth.inquiries.values(), truth.appeals.values())
    assert {p.label: to_json(build_report(loaded.tally, p))
            for p in loaded.tally.active_periods()} == expected


def test_load_fresh_without_records_gives_the_same_tables_and_problems(clean):
    s = clean.settings()
    index_load.load_with_index(clean, s)
    loaded = index_load.load_fresh(clean, s, records=False)
    assert loaded.from_index and not loaded.result.inquiries
    assert_same_counts(clean, loaded)
    outside_edits(clean.root)  # the changed files are read, their old rows leave the tally
    loaded = index_load.load_fresh(clean, s, records=False)
    assert loaded.from_index and not loaded.result.inquiries
    assert_same_counts(clean, loaded)


def test_load_fresh_when_a_record_moves_or_its_id_repeats(clean):
    s = clean.settings()
    index_load.load_with_index(clean, s)
    files = sorted((clean.root / "inquiries").rglob("*.toml"))
    a, b, c = files[2], files[-2], files[5]
    a.rename(b.parent / a.name)  # the same id, now in another (later) folder
    loaded = index_load.load_fresh(clean, s)
    r = loaded.result
    assert_same(clean, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)
    c.write_bytes(b.read_bytes())  # b's id in c's file too: a duplicate
    loaded = index_load.load_fresh(clean, s)
    r = loaded.result
    assert_same(clean, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)
    assert any(p.code == "duplicate-id" for p in r.problems)
    assert_same_counts(clean, index_load.load_fresh(clean, s, records=False))  # the long way


def test_records_built_from_the_index_equal_the_builders(clean):
    s = clean.settings()
    index_load.load_with_index(clean, s)
    columns, _scan, _tally = index_file._read_payload(clean.root)
    rows = columns[4]
    built = index_assemble._build_partial(rows)
    b = rowcodec.Builder()
    assert built == [b.build(r) for r in rows]
    assert {type(r).__name__ for r in built} == {"Inquiry", "Appeal"}
    for r in (built[0], built[-1]):  # made as another class, then given theirs: still frozen
        assert type(r) in (Inquiry, Appeal)
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.notes = "changed"
        assert dataclasses.replace(r, notes="x").notes == "x"


def test_an_index_written_after_a_save_still_gives_the_right_tables(clean):
    """A first open writes its index later (write_index=False); a save made before
    then leaves the index holding the rows and tally as read, which the next
    start's check puts right."""
    index_file.remove_index(clean.root)
    ws = Workspace.open(clean.root, use_index=True, write_index=False)
    assert ws.index_unwritten and not index_file.index_path(clean.root).exists()
    rid = sorted(ws.inquiries)[7]
    rec = ws.get(rid)
    ws.save(dataclasses.replace(rec, kind="complaint-help" if rec.kind != "complaint-help"
                                else "complaint", main=Point("Børn & Familie", "GDPR",
                                                             "Indsigt")))
    ws.write_index()
    assert not ws.index_unwritten
    again = Workspace.open(clean.root, use_index=True)
    assert again.from_index
    for rel in again.verify():
        again.reload_path(rel)
    assert_same(clean, again.inquiries, again.appeals, again.paths, again.problems, again.tally)


class _Unpickled(Exception):
    pass


def _boom():
    raise _Unpickled


class _Evil:
    def __reduce__(self):
        return (_boom, ())


def test_a_pickled_row_in_the_index_is_refused_never_unpickled(clean):
    import marshal
    import pickle

    s = clean.settings()
    index_load.load_with_index(clean, s)
    columns, scan_rows, tally_rows = index_file._read_payload(clean.root)
    rels, keys, problems, rec_rels, rec_rows = columns
    rows = list(rec_rows)
    rows[3] = (rowcodec.PICKLED_ROW, pickle.dumps(_Evil()))
    # a well-formed index (header, checksum, sections) but for the one row
    body = marshal.dumps(tuple(rows))
    head = marshal.dumps((index_file.code_fingerprint(), index_file.settings_digest(clean.root),
                          (rels, problems, rec_rels), scan_rows, tally_rows,
                          (True, None, ((len(body), len(rows), 0, -1),))))
    index_file.index_path(clean.root).write_bytes(
        index_file.framed(head, marshal.dumps(tuple(keys)), body))
    with pytest.raises(index_file.IndexError_, match="another kind"):
        index_load.read_index(clean.root, s)
    loaded, rebuilt = index_load.load_with_index(clean, s)  # read again from the files
    assert rebuilt
    r = loaded.result
    assert_same(clean, r.inquiries, r.appeals, r.paths, r.problems, loaded.tally)


def test_a_report_reads_no_record_row_of_the_index(clean, monkeypatch):
    """The records' rows are a section of their own: a command that needs only the
    problems and the tally (report, nothing changed) never unmarshals them."""
    s = clean.settings()
    index_load.load_with_index(clean, s)
    full, scan, tally = index_file._read_payload(clean.root)
    lazy, scan2, tally2 = index_file._read_payload(clean.root, rows=False)
    assert lazy[0] == full[0] and lazy[2:4] == full[2:4] and (scan2, tally2) == (scan, tally)
    assert tuple(lazy[1]) == tuple(full[1])
    assert isinstance(lazy[4], index_file.LazyRows) and not lazy[4].loaded
    assert tuple(lazy[4]) == full[4] and lazy[4].unique_ids is True

    def no(self):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(index_file.LazyRows, "items", property(no))
    loaded = index_load.load_fresh(clean, s, records=False)
    assert loaded.from_index and loaded.result.inquiries == {}
    assert_same_counts(clean, loaded)


def test_the_stat_keys_are_read_when_first_looked_at(clean):
    """The files' stat keys are a section of their own, unmarshalled when first
    looked at: the app opens from the index without them (its check of the
    files comes after the first screen), holding a copy of their bytes alone."""
    s = clean.settings()
    index_load.load_with_index(clean, s)
    (rels, keys, *_), _scan, _tally = index_file._read_payload(clean.root, rows=False)
    assert isinstance(keys, index_file.LazyTuple) and not keys.loaded
    assert len(keys) == len(rels) and not keys.loaded  # (the length: the paths')
    assert isinstance(keys._data, bytes)  # not a view that keeps the whole file
    stats = index_tree.stat_tree(clean.root)[0]
    assert dict(zip(rels, keys, strict=True)) == stats and keys.loaded
    loaded = index_load.read_index(clean.root, s, lazy=True)
    assert loaded.stats is None and not loaded.stat_columns[1].loaded
    ws = Workspace.open(clean.root, use_index=True)
    assert not ws._stat_columns[1].loaded
    assert ws.stats == stats


def test_a_keys_section_of_another_length_is_refused():
    import marshal

    keys = index_file.LazyTuple(marshal.dumps(((1, 2, 0o600),)), 2)
    with pytest.raises(ValueError, match="another kind"):
        tuple(keys)
