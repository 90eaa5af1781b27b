"""A data folder: loading a folder full of broken files, and saving safely."""

from __future__ import annotations

import os
import re
import stat
from datetime import date

import pytest

from store.domain.problems import ERROR, WARNING
from store.domain.records import Appeal, Inquiry, Point
from store.domain.summary import Tally, table1
from store.folder import datafolder
from store.folder.datafolder import DataFolder
from store.format.layout import APPEALS, INQUIRIES


def inquiry(rid: str, **lines: str) -> str:
    """An inquiry file; ``lines`` replace (or, set to None, drop) the default lines."""
    base = {
        "id": f'"{rid}"',
        "received": rid[:10],
        "kind": '"complaint"',
        "status": '"open"',
        "channel": '"Telefon"',
        "title": '"t"',
        "notes": '""',
    }
    main = {"department": '"Børn & Familie"', "theme": '"Andet"',
            "subtheme": '"Privatretlige spørgsmål"'}
    for k, v in lines.items():
        target = main if k.startswith("main_") else base
        k = k.removeprefix("main_")
        if v is None:
            target.pop(k)
        else:
            target[k] = v
    out = [f"{k} = {v}" for k, v in base.items()]
    out += ["", "[main]"] + [f"{k} = {v}" for k, v in main.items()]
    return "\n".join(out) + "\n"


def appeal(rid: str, outcome: str = "no-remarks", remarks: str | None = None) -> str:
    out = [f'id = "{rid}"', f"received = {rid[:10]}", 'board = "Ankestyrelsen"',
           'department = "Børn & Familie"', f'outcome = "{outcome}"']
    if remarks is not None:
        out.append(f"remarks = {remarks}")
    out += ['result = ""', 'notes = ""']
    return "\n".join(out) + "\n"


def ipath(rid: str) -> str:
    return f"inquiries/{rid[:4]}/{rid[5:7]}/{rid}.toml"


def apath(rid: str) -> str:
    return f"appeals/{rid[:4]}/{rid[5:7]}/{rid}.toml"


FOLLOW_UPS = """
[[follow_up]]
department = "Øvrige"
theme = "GDPR"
subtheme = "Behandlingssikkerhed"

[[follow_up]]
department = "Øvrige"
theme = "Forvaltningsskik"
subtheme = "Partshøring"
"""


@pytest.fixture
def broken(folder, put, tmp_path):
    """A folder with two valid records and one file for each thing that can be wrong."""
    put(ipath("2024-04-03-aaaa"), inquiry("2024-04-03-aaaa"))
    put(apath("2024-05-10-aaaa"), appeal("2024-05-10-aaaa"))
    # not TOML: a bare word on line 3
    put(ipath("2024-04-03-bbbb"), inquiry("2024-04-03-bbbb", kind="complaint"))
    put(ipath("2024-04-03-cccc"), "")
    put(ipath("2024-04-03-dddd"), inquiry("2024-04-03-dddd").encode().replace(b"t", b"\xff", 1))
    put(ipath("2024-04-03-eeee"), b"# padding\n" * 200_000)  # 2 MB
    put(ipath("2024-04-04-aaaa"), inquiry("2024-04-04-aaaa", received="20240404"))
    put(ipath("2024-04-04-bbbb"), inquiry("2024-04-04-bbbb", follow_up='"Øvrige"'))
    put(ipath("2024-04-04-cccc"), inquiry("2024-04-04-cccc", received='"2024-04-04"'))
    put(ipath("2024-04-05-aaaa"), inquiry("2024-04-05-aaaa", kind=None))
    put(ipath("2024-04-05-bbbb"), inquiry("2024-04-05-bbbb").split("\n[main]")[0] + "\n")
    put(ipath("2024-04-06-aaaa"), inquiry("2024-04-06-aaaa", kind='"question"'))
    put(ipath("2024-04-06-bbbb"), inquiry("2024-04-06-bbbb", status='"pending"'))
    put(apath("2024-05-11-aaaa"), appeal("2024-05-11-aaaa", outcome="upheld"))
    put(ipath("2024-04-07-aaaa"), inquiry("2024-04-07-aaaa", received="2024-02-30"))
    put(ipath("2024-04-08-aaaa"),
        inquiry("2024-04-08-aaaa", status='"closed"', closed="2024-04-01"))
    put(ipath("2024-04-09-aaaa"), inquiry("2024-04-09-zzzz"))
    # the same id twice: the second file (in the wrong month folder) is not counted
    put(ipath("2024-04-10-aaaa"), inquiry("2024-04-10-aaaa"))
    put("inquiries/2024/05/2024-04-10-aaaa.toml", inquiry("2024-04-10-aaaa"))
    put(ipath("2024-04-11-aaaa"),
        inquiry("2024-04-11-aaaa", main_subtheme='"Partshøring"'))
    put(ipath("2024-04-11-bbbb"), inquiry("2024-04-11-bbbb", main_subtheme=None))
    put(ipath("2024-04-11-cccc"), inquiry("2024-04-11-cccc") + FOLLOW_UPS)
    # unknown names: warnings only, the record loads and counts under that name
    put(ipath("2024-04-12-aaaa"), inquiry(
        "2024-04-12-aaaa", channel='"Brevdue"', main_department='"Rådhuskantinen"',
        main_theme='"Vejr"', main_subtheme=None))
    # symbolic links, to a file and a folder outside the data folder
    outside = tmp_path / "outside"
    (outside / "04").mkdir(parents=True)
    (outside / "2024-04-13-aaaa.toml").write_text(inquiry("2024-04-13-aaaa"))
    (outside / "04" / "2024-04-14-aaaa.toml").write_text(inquiry("2024-04-14-aaaa"))
    os.symlink(outside / "2024-04-13-aaaa.toml", folder.root / ipath("2024-04-13-aaaa"))
    os.makedirs(folder.root / "appeals/2023")
    os.symlink(outside / "04", folder.root / "appeals/2023/04")
    # outside its year/month folder
    put("inquiries/2024-04-15-aaaa.toml", inquiry("2024-04-15-aaaa"))
    put(apath("2024-05-12-aaaa"), appeal("2024-05-12-aaaa", outcome="remarks"))
    put(apath("2024-05-13-aaaa"), appeal("2024-05-13-aaaa", outcome="remarks",
                                          remarks='["Sagsbehandlingstid"]'))
    return folder


def rows(result):
    return sorted(((p.path, p.line, p.col, p.severity, p.code) for p in result.problems), key=repr)


def test_every_broken_file_is_listed_with_its_line(broken):
    result = broken.load()
    i, a = ipath, apath
    assert rows(result) == sorted([
        (i("2024-04-03-bbbb"), 3, 8, ERROR, "not-toml"),
        (i("2024-04-03-cccc"), 1, 1, ERROR, "empty"),
        (i("2024-04-03-dddd"), 3, 17, ERROR, "not-utf8"),
        (i("2024-04-03-eeee"), None, None, ERROR, "too-large"),
        (i("2024-04-04-aaaa"), 2, 1, ERROR, "wrong-type"),
        (i("2024-04-04-bbbb"), 8, 1, ERROR, "wrong-type"),
        (i("2024-04-04-cccc"), 2, 1, ERROR, "wrong-type"),
        (i("2024-04-05-aaaa"), None, None, ERROR, "missing-key"),
        (i("2024-04-05-bbbb"), None, None, ERROR, "missing-key"),
        (i("2024-04-06-aaaa"), 3, 1, ERROR, "unknown-code"),
        (i("2024-04-06-bbbb"), 4, 1, ERROR, "unknown-code"),
        (a("2024-05-11-aaaa"), 5, 1, ERROR, "unknown-code"),
        (i("2024-04-07-aaaa"), 2, 12, ERROR, "not-toml"),
        (i("2024-04-08-aaaa"), 8, 1, ERROR, "closed-before-received"),
        (i("2024-04-09-aaaa"), 1, 1, ERROR, "id-mismatch"),
        ("inquiries/2024/05/2024-04-10-aaaa.toml", None, None, WARNING, "wrong-folder"),
        ("inquiries/2024/05/2024-04-10-aaaa.toml", 1, 1, ERROR, "duplicate-id"),
        (i("2024-04-11-aaaa"), 12, 1, ERROR, "subtheme-not-in-theme"),
        (i("2024-04-11-bbbb"), 11, 1, ERROR, "subtheme-missing"),
        (i("2024-04-11-cccc"), 22, 1, ERROR, "subtheme-not-in-theme"),
        (i("2024-04-12-aaaa"), 5, 1, WARNING, "unknown-channel"),
        (i("2024-04-12-aaaa"), 10, 1, WARNING, "unknown-department"),
        (i("2024-04-12-aaaa"), 11, 1, WARNING, "unknown-theme"),
        (i("2024-04-13-aaaa"), None, None, ERROR, "symlink"),
        ("appeals/2023/04", None, None, ERROR, "symlink"),
        ("inquiries/2024-04-15-aaaa.toml", None, None, WARNING, "wrong-folder"),
        (a("2024-05-12-aaaa"), 5, 1, ERROR, "remarks-missing"),
    ], key=repr)


def test_problem_details(broken):
    result = broken.load()
    by = {(p.path, p.code): p for p in result.problems}
    assert by[(ipath("2024-04-04-aaaa"), "wrong-type")].params == {
        "key": "received", "expected": "date", "actual": "int"}
    assert by[(ipath("2024-04-04-cccc"), "wrong-type")].params["actual"] == "str"
    assert by[(ipath("2024-04-04-bbbb"), "wrong-type")].params["key"] == "follow_up"
    assert by[(ipath("2024-04-05-aaaa"), "missing-key")].params == {"key": "kind"}
    assert by[(ipath("2024-04-05-bbbb"), "missing-key")].params == {"key": "main"}
    assert by[(ipath("2024-04-06-aaaa"), "unknown-code")].params["value"] == "question"
    assert by[(ipath("2024-04-03-eeee"), "too-large")].params["size"] == 2_000_000
    sub = by[(ipath("2024-04-11-cccc"), "subtheme-not-in-theme")]
    assert sub.message("en").startswith("follow-up issue 2: subtheme 'Partshøring'")
    assert by[("inquiries/2024/05/2024-04-10-aaaa.toml", "duplicate-id")].params["other"] == \
        ipath("2024-04-10-aaaa")
    assert by[("inquiries/2024-04-15-aaaa.toml", "wrong-folder")].params["expected"] == \
        ipath("2024-04-15-aaaa")
    for p in result.problems:
        assert p.format("da").startswith(f"{p.path}:")


def test_valid_records_and_warned_records_still_load(broken):
    result = broken.load()
    # Records with only warnings load; so do records whose errors do not stop reading.
    assert "2024-04-03-aaaa" in result.inquiries
    assert "2024-05-10-aaaa" in result.appeals
    assert "2024-05-13-aaaa" in result.appeals
    assert "2024-04-12-aaaa" in result.inquiries
    assert "2024-04-15-aaaa" in result.inquiries
    assert result.paths["2024-04-10-aaaa"] == ipath("2024-04-10-aaaa")
    not_loaded = {"2024-04-03-bbbb", "2024-04-03-cccc", "2024-04-03-dddd", "2024-04-03-eeee",
                  "2024-04-04-aaaa", "2024-04-04-bbbb", "2024-04-04-cccc", "2024-04-05-aaaa",
                  "2024-04-05-bbbb", "2024-04-06-aaaa", "2024-04-06-bbbb", "2024-04-07-aaaa",
                  "2024-04-13-aaaa", "2024-04-14-aaaa", "2024-05-11-aaaa"}
    assert not_loaded.isdisjoint(result.inquiries) and not_loaded.isdisjoint(result.appeals)
    # the unknown department is counted under its own name, after the taxonomy
    tally = Tally.of(result.settings, [result.inquiries["2024-04-12-aaaa"]])
    (period,) = tally.active_periods()
    names = [r.name for r in table1(result.settings, tally.counts(period))]
    assert names[-1] == "Rådhuskantinen"
    assert names[:-1] == list(result.settings.department_names)


def test_links_are_never_followed(folder, put, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2024-04-03-aaaa.toml").write_text(inquiry("2024-04-03-aaaa"))
    os.symlink(outside, folder.root / INQUIRIES / "2024")
    target = tmp_path / "secret.toml"
    target.write_text(inquiry("2024-04-04-aaaa"))
    put(ipath("2024-04-05-aaaa"), inquiry("2024-04-05-aaaa"))
    os.symlink(target, folder.root / APPEALS / "2024-04-04-aaaa.toml")
    result = folder.load()
    assert rows(result) == [
        ("appeals/2024-04-04-aaaa.toml", None, None, ERROR, "symlink"),
        ("inquiries/2024", None, None, ERROR, "symlink"),
    ]
    assert result.inquiries == {} and result.appeals == {}
    # read_file refuses a link too
    record, problems = folder.read_file(APPEALS, "appeals/2024-04-04-aaaa.toml", None)
    assert record is None and [p.code for p in problems] == ["symlink"]


def test_a_linked_top_folder_is_not_followed(folder, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "2024" / "04"
    elsewhere.mkdir(parents=True)
    (elsewhere / "2024-04-03-aaaa.toml").write_text(inquiry("2024-04-03-aaaa"))
    os.rmdir(folder.root / INQUIRIES)
    os.symlink(tmp_path / "elsewhere", folder.root / INQUIRIES)
    result = folder.load()
    assert result.inquiries == {}
    assert rows(result) == [("inquiries", None, None, ERROR, "symlink")]


def test_a_file_others_can_read_is_a_warning(folder, put):
    put(ipath("2024-04-03-aaaa"), inquiry("2024-04-03-aaaa"), mode=0o644)
    result = folder.load()
    assert [(p.code, p.params["mode"]) for p in result.problems] == [("world-readable", "644")]
    assert "2024-04-03-aaaa" in result.inquiries


def test_the_same_id_as_inquiry_and_appeal_is_reported(folder, put):
    put(ipath("2024-04-03-aaaa"), inquiry("2024-04-03-aaaa"))
    put(apath("2024-04-03-aaaa"), appeal("2024-04-03-aaaa"))
    result = folder.load()
    assert [(p.path, p.code) for p in result.problems] == [
        (apath("2024-04-03-aaaa"), "duplicate-id")]


def test_hidden_files_and_other_names_are_ignored(folder, put):
    put("inquiries/2024/04/.2024-04-03-aaaa.toml.x1.tmp", "junk")
    put("inquiries/2024/04/notes.txt", "junk")
    put("inquiries/.git/x.toml", "junk")
    assert rows(folder.load()) == []


# ---------------------------------------------------------------------------
# Saving


def record(rid: str = "2024-04-03-k7q2", title: str = "t") -> Inquiry:
    return Inquiry(id=rid, received=date.fromisoformat(rid[:10]), kind="inquiry", status="open",
                   main=Point("Øvrige", "GDPR", "Behandlingssikkerhed"), channel="Mail",
                   title=title)


def all_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_save_creates_private_files_and_folders_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        folder = DataFolder.init(tmp_path / "data")
        path, changed = folder.save(record())
        assert changed
        ap, _ = folder.save(Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen",
                                   "Øvrige", "no-remarks"))
    finally:
        os.umask(old)
    assert path == folder.root / "inquiries/2024/04/2024-04-03-k7q2.toml"
    for f in (path, ap, folder.root / "caselog.toml", folder.root / ".gitignore"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    for d in (folder.root, folder.root / "inquiries", folder.root / "inquiries/2024",
              folder.root / "inquiries/2024/04", folder.root / "appeals/2024/05"):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    result = folder.load()
    assert result.problems == []
    assert result.inquiries == {"2024-04-03-k7q2": record()}


def test_save_leaves_no_temporary_files(folder):
    before = all_files(folder.root)
    folder.save(record())
    folder.save(record(title="changed"))
    after = all_files(folder.root)
    assert set(after) - set(before) == {
        "inquiries/2024", "inquiries/2024/04", "inquiries/2024/04/2024-04-03-k7q2.toml"}


def test_a_failed_save_keeps_the_old_file_and_no_temporary(folder, monkeypatch):
    path, _ = folder.save(record())
    old = path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        folder.save(record(title="new"))
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_saving_an_unchanged_record_does_not_rewrite(folder):
    path, changed = folder.save(record())
    assert changed
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    again, changed = folder.save(record())
    assert (again, changed) == (path, False)
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert path.read_bytes() == before
    _, changed = folder.save(record(title="other"))
    assert changed
    assert path.stat().st_mtime_ns != 1_000_000_000
    assert b'title = "other"' in path.read_bytes()


def test_delete(folder):
    path, _ = folder.save(record())
    assert folder.delete(record()) == path
    assert not path.exists()


ID = re.compile(r"^\d{4}-\d\d-\d\d-[0-9a-hjkmnp-tv-z]{4}$")


def test_new_id_format(folder):
    ids = {folder.new_id(date(2024, 4, 3)) for _ in range(200)}
    assert all(ID.match(i) and i.startswith("2024-04-03-") for i in ids)
    assert len(ids) > 190


def _forced(monkeypatch, *draws: str):
    chars = iter("".join(draws))
    monkeypatch.setattr(datafolder.secrets, "choice", lambda alphabet: next(chars))


def test_new_id_never_reuses_an_existing_file(folder, monkeypatch):
    folder.save(record("2024-04-03-k7q2"))
    _forced(monkeypatch, "k7q2", "abcd")
    assert folder.new_id(date(2024, 4, 3)) == "2024-04-03-abcd"


def test_new_id_skips_taken_ids(folder, monkeypatch):
    _forced(monkeypatch, "k7q2", "abcd")
    assert folder.new_id(date(2024, 4, 3), taken={"2024-04-03-k7q2"}) == "2024-04-03-abcd"


def test_new_id_of_an_appeal_does_not_reuse_an_inquiry_id(folder, monkeypatch):
    # load() treats ids as unique across inquiries and appeals
    folder.save(record("2024-04-03-k7q2"))
    _forced(monkeypatch, "k7q2", "abcd")
    assert folder.new_id(date(2024, 4, 3), APPEALS) == "2024-04-03-abcd"


def test_init_refuses_an_existing_folder(folder):
    with pytest.raises(FileExistsError):
        DataFolder.init(folder.root)
    assert folder.is_folder()
    assert (folder.root / ".gitignore").read_text() == ".caselog/\n"


def test_a_fifo_is_reported_not_read(folder, put):
    # open() on a FIFO would wait forever for a writer
    p = folder.root / ipath("2024-04-03-aaaa")
    p.parent.mkdir(parents=True)
    os.mkfifo(p, 0o600)
    put(ipath("2024-04-03-bbbb"), inquiry("2024-04-03-bbbb"))
    result = folder.load()
    assert rows(result) == [(ipath("2024-04-03-aaaa"), None, None, ERROR, "unreadable")]
    assert list(result.inquiries) == ["2024-04-03-bbbb"]


def test_a_record_with_a_bad_id_is_never_written_outside_the_folder(folder, put, tmp_path):
    # a bad id is an error but the record still loads; saving it must not follow the id
    evil = "../../../escaped"
    put(ipath("2024-04-03-aaaa"), inquiry("2024-04-03-aaaa", id=f'"{evil}"'))
    result = folder.load()
    assert [p.code for p in result.problems] == ["bad-id"]
    r = result.inquiries[evil]
    with pytest.raises(ValueError):
        folder.save(r)
    with pytest.raises(ValueError):
        folder.delete(r)
    assert not list(tmp_path.rglob("escaped*"))
