"""The fast full read gives exactly what the plain reading of every file gives.

``index.read_all`` (worker processes, files in caselog's own layout turned
into rows without a TOML parser, CPR numbers looked for field by field only
where the whole file might hold one, stat keys from the open files, the
tally counted on the way, the index written from the rows) against
``DataFolder.load()`` and ``reading.read_path``: the same records, problems
(with their lines), paths, tally and index.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.domain import cpr
from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.domain.summary import Tally, build_report, to_json
from store.domain.taxonomy import Settings, Theme, default_settings
from store.folder import canonical, fastread, reading, rowcodec
from store.folder.datafolder import DataFolder
from store.folder.reading import file_warnings, read_bytes, read_files, read_path
from store.format import codec
from store.format.layout import record_relpath
from store.index import assemble as index_assemble
from store.index import file as index_file
from store.index import load as index_load
from store.index import tree as index_tree
from store.tools.demo import write_demo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_codec import NASTY, appeals, inquiries, texts  # noqa: E402
from test_index import strip  # noqa: E402  (what a partial record keeps of a record)

from benchmarks.generate import write_folder  # noqa: E402

# CASELOG_EXAMPLES=5000 for a longer search
PROPERTY = settings(max_examples=int(os.environ.get("CASELOG_EXAMPLES", 300)), deadline=None,
                   suppress_health_check=list(HealthCheck))
SETTINGS = default_settings()
# A theme without subthemes, and an alias, so that every rule of the taxonomy is met.
WIDE = dataclasses.replace(
    SETTINGS,
    themes=(*SETTINGS.themes, Theme("Uden undertema")),
    departments=(*SETTINGS.departments[:-1],
                 dataclasses.replace(SETTINGS.departments[-1], aliases=("Andre",))),
)


def key(p):
    return (p.path, p.line or 0, p.col or 0, p.severity, p.code, repr(sorted(p.params.items())))


# ---------------------------------------------------------------------------
# Records as caselog writes them, mostly valid for the taxonomy, with any text

CPR_LIKE = ["010203-1234", "0102031234", "010203 1234", "010203\u20131234", "311299-4321",
            "290200-5555", "300200-1234", "12345678", "0102030-1234", "010203-12345",
            "\\u0030102031234", "01\\u00302031234", "010203\\u20101234", "010203\\\n1234"]
free = st.one_of(
    texts,
    st.lists(st.one_of(st.sampled_from(NASTY + CPR_LIKE), st.text(max_size=3),
                       st.text(alphabet="0123456789- \u2013\u00a0", max_size=12)),
             max_size=6).map("".join),
)
plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
# what the fast way takes: no quote, backslash or control character (but tabs and new lines)
clean = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                       blacklist_characters='"\\'), max_size=30)
clean_lines = st.lists(st.one_of(clean, st.just("\t")), max_size=4).map("\n".join)
some_text = st.one_of(clean, clean_lines, plain, free)


def mostly(draw, known, other=None):
    """One of ``known`` mostly (so that many records take the fast way), else any text."""
    if draw(st.sampled_from([True] * 4 + [False])):
        return draw(st.sampled_from(known))
    return draw(other or some_text)


def taxonomy_points(s: Settings):
    pairs = [(t.name, sub) for t in s.themes for sub in (t.subthemes or (None,))]
    depts = [d.name for d in s.departments] + ["andre", "ØVRIGE ", "Ukendt afdeling"]

    @st.composite
    def point(draw):
        dept = mostly(draw, depts)
        theme, sub = draw(st.sampled_from(pairs))
        if draw(st.sampled_from([False] * 5 + [True])):
            theme = mostly(draw, [t.name for t in s.themes] + ["Ukendt tema"])
        if draw(st.sampled_from([False] * 5 + [True])):
            sub = draw(st.none() | st.sampled_from(["Notatpligt", "Afgørelser"]) | some_text)
        return Point(dept, theme, sub)

    return point()


@st.composite
def valid_inquiries(draw, s: Settings = WIDE) -> Inquiry:
    received = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(9990, 1, 1)))
    status = draw(st.sampled_from(["open", "closed"]))
    closed = None
    if status == "closed" or draw(st.sampled_from([False] * 9 + [True])):
        closed = received + timedelta(days=draw(st.integers(-3, 400)))
    rid = received.isoformat() + "-" + draw(st.text(alphabet="0123456789abcdefghjkmnpqrstvwxyz",
                                                    min_size=4, max_size=4))
    points = taxonomy_points(s)
    citizen = draw(st.none() | st.builds(Citizen, name=some_text, phone=some_text,
                                         email=some_text))
    return Inquiry(
        id=rid, received=received, kind=draw(st.sampled_from(["complaint", "inquiry",
                                                               "complaint-help"])),
        status=status, main=draw(points), closed=closed,
        channel=mostly(draw, ("",) + s.channels),
        title=draw(some_text), notes=draw(some_text),
        follow_up=tuple(draw(st.lists(points, max_size=3))), citizen=citizen,
        source=mostly(draw, ["", "import"]),
    )


@st.composite
def valid_appeals(draw, s: Settings = WIDE) -> Appeal:
    received = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(9990, 1, 1)))
    rid = received.isoformat() + "-" + draw(st.text(alphabet="0123456789abcdefghjkmnpqrstvwxyz",
                                                    min_size=4, max_size=4))
    outcome = draw(st.sampled_from(["no-remarks", "remarks", "rejected"]))
    n = draw(st.sampled_from([1, 1, 2, 3]))
    remarks = [mostly(draw, s.remark_themes) for _ in range(n)] if outcome == "remarks" else []
    if draw(st.sampled_from([False] * 9 + [True])):  # remarks where they do not belong, or none
        remarks = [] if remarks else ["Sagsbehandlingstid"]
    return Appeal(
        id=rid, received=received,
        board=mostly(draw, s.appeal_boards),
        department=mostly(draw, [d.name for d in s.departments] + ["andre"]),
        outcome=outcome, remarks=tuple(remarks), result=draw(some_text), notes=draw(some_text),
    )


any_record = st.one_of(valid_inquiries(), valid_appeals(), inquiries(), appeals())
EDITS = st.one_of(free, st.sampled_from([
    '"', "'", "\\", "\n", "\r\n", "=", "[", "]", "#", "\x00", "\x7f", "\t", " ", "1979-05-27",
    "2023-02-30", '"""', "'''", "\\u0030", "\\U00000030", "x = 1\n", "[citizen]\n", "\ufeff",
    'source = "s"\n', "[[follow_up]]\n", "0102031234", "kind", "status = \"open\"\n",
]))


def slow(raw: bytes, kind_dir: str, rel: str, s: Settings | None, mode: int = 0o100600):
    """What reading.read_path makes of these bytes (with the full CPR check)."""
    return read_bytes(raw, kind_dir, rel, mode, s)


def check_canonical(raw: bytes, kind_dir: str, rel: str, s: Settings | None) -> bool:
    """The canonical row, when there is one, is the slow path's, with no problem at all
    (read_files takes it only where maybe_cpr finds no CPR-like number)."""
    row = canonical.Canonical(s).row(raw, kind_dir, rel)
    if row is None:
        return False
    record, problems = slow(raw, kind_dir, rel, s)
    if cpr.maybe_cpr(raw):
        assert {p.code for p in problems} <= {"cpr"}
    else:
        assert problems == []
    assert record is not None
    assert row == rowcodec.to_row(record)
    assert rowcodec.Builder().build(row) == record
    # and tomllib itself, without toml-rs
    reader = codec.read_inquiry if kind_dir == "inquiries" else codec.read_appeal
    assert reader(raw, rel, s) == (record, [])
    assert canonical.Canonical(s, partial=True).row(raw, kind_dir, rel) == rowcodec.to_row(
        record, partial=True)
    return not cpr.maybe_cpr(raw)


def edited(record, edits):
    """``(kind_dir, rel, bytes)`` of the record's file as written, then after each
    edit ``(position, text)`` in turn (texts that cannot be UTF-8 are skipped)."""
    kind_dir = "inquiries" if isinstance(record, Inquiry) else "appeals"
    rel = record_relpath(record)
    text = codec.to_toml(record)
    for pos, ins in [(None, None), *edits]:
        if pos is not None:
            i = pos % (len(text) + 1)
            text = text[:i] + ins + text[i + 1:]
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        yield kind_dir, rel, raw


@PROPERTY
@given(any_record, st.lists(st.tuples(st.integers(0, 10**6), EDITS), max_size=3),
       st.sampled_from([WIDE, SETTINGS, None]))
def test_canonical_rows_are_what_codec_reads(record, edits, s):
    for kind_dir, rel, raw in edited(record, edits):
        check_canonical(raw, kind_dir, rel, s)
        # never as the other kind of record, nor under another name or folder
        other = "appeals" if kind_dir == "inquiries" else "inquiries"
        assert canonical.Canonical(s).row(raw, other, other + rel[len(kind_dir):]) is None \
            or check_canonical(raw, other, other + rel[len(kind_dir):], s)
        for moved in (rel.replace("/", "/x", 1), rel[:-9] + "zzzz.toml",
                      f"{kind_dir}/{rel.rpartition('/')[2]}"):
            assert canonical.Canonical(s).row(raw, kind_dir, moved) is None


def test_canonical_layout_is_taken_when_it_should():
    """caselog's own files of valid records take the fast way (or it would not pay)."""
    s = WIDE
    taken = 0
    r = Inquiry("2024-04-03-k7q2", date(2024, 4, 3), "complaint", "closed",
                Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"),
                closed=date(2024, 4, 20), channel="Telefon", title="Tæt på\tmål",
                notes="a\nb\n", follow_up=(Point("Andre", "Uden undertema"),
                                           Point("Øvrige", "GDPR", "Behandlingssikkerhed")),
                citizen=Citizen("N", "12345678", ""), source="import")
    a = Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie",
               "remarks", ("Sagsbehandlingstid", "Utilstrækkelig begrundelse"), "Ændret", "n\n")
    b = dataclasses.replace(a, id="2024-05-10-x9p2", outcome="rejected", remarks=())
    for rec in (r, a, b, dataclasses.replace(r, notes="", title="", citizen=None, follow_up=(),
                                             closed=None, status="open", source="")):
        kind_dir = "inquiries" if isinstance(rec, Inquiry) else "appeals"
        taken += check_canonical(codec.to_toml(rec).encode(), kind_dir, record_relpath(rec), s)
    assert taken == 4


# ---------------------------------------------------------------------------
# Other layouts: the row from the parsed dict is codec's record, or there is none

DICT_EDITS = st.one_of(
    st.tuples(st.just("drop"), st.sampled_from(["id", "received", "kind", "status", "closed",
                                                "channel", "title", "notes", "main", "follow_up",
                                                "citizen", "board", "department", "outcome",
                                                "remarks", "result"])),
    st.tuples(st.just("set"), st.sampled_from(["id", "received", "kind", "status", "closed",
                                               "channel", "title", "source", "board",
                                               "department", "outcome", "remarks", "result",
                                               "future"]),
              st.one_of(st.sampled_from(["", "open", "closed", "complaint", "remarks", "rejected",
                                         "Telefon", "Ankestyrelsen", "Børn & Familie",
                                         "2024-04-03-k7q2", "Ukendt"]),
                        st.dates(), st.integers(), st.booleans(), st.datetimes(),
                        st.lists(st.sampled_from(["Sagsbehandlingstid", "x", 1]), max_size=2))),
    st.tuples(st.just("point"), st.sampled_from(["department", "theme", "subtheme", "extra"]),
              st.one_of(st.sampled_from(["Børn & Familie", "Andre", "Ukendt", "GDPR",
                                         "Forvaltningsskik", "Inddragelse", "Uden undertema"]),
                        st.none(), st.integers())),
    st.tuples(st.just("citizen"), st.sampled_from(["name", "phone", "other"]),
              st.one_of(st.text(max_size=3), st.integers())),
)


def _edit_dict(d: dict, edit) -> None:
    kind = edit[0]
    if kind == "drop":
        d.pop(edit[1], None)
    elif kind == "set":
        d[edit[1]] = edit[2]
    elif kind == "point":
        target = d.get("main") if not d.get("follow_up") else d["follow_up"][0]
        if isinstance(target, dict):
            if edit[2] is None:
                target.pop(edit[1], None)
            else:
                target[edit[1]] = edit[2]
    elif kind == "citizen":
        c = d.setdefault("citizen", {})
        if isinstance(c, dict):
            c[edit[1]] = edit[2]


def check_from_dict(d: dict, kind_dir: str, rel: str, s: Settings) -> bool:
    """A row from the dict is exactly what codec makes of it, with no problem at all."""
    text = tomli_w.dumps(d)
    row = canonical.Canonical(s).from_dict(d, kind_dir, rel)
    reader = codec.inquiry_from_dict if kind_dir == "inquiries" else codec.appeal_from_dict
    record, problems = reader(d, rel, text, s)
    if record is not None:
        problems = problems + file_warnings(record.id, kind_dir, rel, 0o100600)
    if row is None:
        return False
    assert problems == [] and record is not None
    assert row == rowcodec.to_row(record)
    assert canonical.Canonical(s, partial=True).from_dict(d, kind_dir, rel) == rowcodec.to_row(
        record, partial=True)
    return True


@PROPERTY
@given(any_record, st.lists(DICT_EDITS, max_size=3), st.sampled_from([WIDE, SETTINGS]),
       st.randoms())
def test_rows_from_parsed_dicts_are_what_codec_reads(record, edits, s, rnd):
    kind_dir = "inquiries" if isinstance(record, Inquiry) else "appeals"
    rel = record_relpath(record)
    d = tomllib.loads(codec.to_toml(record))
    items = list(d.items())
    rnd.shuffle(items)  # another program's key order
    d = dict(items)
    for edit in [None, *edits]:
        if edit is not None:
            _edit_dict(d, edit)
        check_from_dict(d, kind_dir, rel, s)
        for moved in (rel.replace("/", "/x", 1), rel[:-9] + "zzzz.toml"):
            assert canonical.Canonical(s).from_dict(d, kind_dir, moved) is None


@PROPERTY
@given(st.one_of(valid_inquiries(), valid_appeals()))
def test_records_without_a_problem_take_the_dict_way(record):
    """Every record codec reads without a problem, in another key order, becomes a row
    from the dict (unless it has keys this version does not know)."""
    kind_dir = "inquiries" if isinstance(record, Inquiry) else "appeals"
    rel = record_relpath(record)
    d = dict(reversed(list(tomllib.loads(codec.to_toml(record)).items())))
    reader = codec.inquiry_from_dict if kind_dir == "inquiries" else codec.appeal_from_dict
    got, problems = reader(d, rel, tomli_w.dumps(d), WIDE)
    exotic = record.extra or (isinstance(record, Inquiry) and (
        record.main.extra or any(p.extra for p in record.follow_up)
        or (record.citizen is not None and record.citizen.extra)))
    assert check_from_dict(d, kind_dir, rel, WIDE) == (not problems and not exotic)


def test_read_files_reads_other_layouts_as_read_path(tmp_path, monkeypatch):
    """Files written as another program would (key order, inline tables, literal
    strings, comments, CR LF): read_files gives what read_path gives."""
    root = tmp_path
    s = default_settings()
    texts = {
        "inquiries/2024/04/2024-04-03-k7q2.toml":
            "# fra et andet program\r\nkind = 'complaint'\r\nid = \"2024-04-03-k7q2\"\r\n"
            "received = 2024-04-03\r\nstatus = \"open\"\r\n"
            "main = { department = \"Børn & Familie\", theme = \"GDPR\", "
            "subtheme = \"Databehandlingsskik\" }\r\n"
            "notes = \"\"\"\r\nKl. 10:30 ringede hun: \\\"hvorfor {ikke}?\\\" C:\\\\D\r\n\"\"\"\r\n",
        "inquiries/2024/04/2024-04-04-k7q3.toml":
            'id = "2024-04-04-k7q3"\nreceived = 2024-04-04\nkind = "inquiry"\nstatus = "closed"\n'
            'closed = 2024-04-05\nchannel = "Mail"\n'
            'follow_up = [{ department = "Øvrige", theme = "Andet", '
            'subtheme = "Privatretlige spørgsmål" }]\n'
            '[main]\ndepartment = "Jobcenter"\ntheme = "Andet"\n'
            'subtheme = "Anden offentligretlig lovgivning"\n',
        "appeals/2024/05/2024-05-10-x9p1.toml":
            "outcome = 'remarks'\nremarks = ['Sagsbehandlingstid']\nid = '2024-05-10-x9p1'\n"
            "received = 2024-05-10\nboard = 'Ankestyrelsen'\ndepartment = 'Børn & Familie'\n",
        "inquiries/2024/04/2024-04-05-k7q5.toml":  # a CPR-like number, and a \\u escape
            "main = { department = 'Øvrige', theme = 'Andet', "
            "subtheme = 'Privatretlige spørgsmål' }\nid = '2024-04-05-k7q5'\n"
            "received = 2024-04-05\nkind = 'inquiry'\nstatus = 'open'\n"
            'notes = "Borgeren oplyste 010203-1234 i telefonen (\\u00e6)"\n'
            "[citizen]\nname = 'Hanne Holm'\nphone = '0102031234'\n",
        "inquiries/2024/04/2024-04-06-k7q4.toml":  # a time: tomllib's reading stands
            'id = "2024-04-06-k7q4"\nreceived = 2024-04-06\nkind = "inquiry"\nstatus = "open"\n'
            'at = 10:30\n[main]\ndepartment = "Øvrige"\ntheme = "Andet"\n'
            'subtheme = "Privatretlige spørgsmål"\n',
        "inquiries/2024/04/2024-04-07-k7q7.toml":  # brackets in a string: still a record
            "id = '2024-04-07-k7q7'\nreceived = 2024-04-07\nkind = 'inquiry'\nstatus = 'open'\n"
            "notes = '" + "[{" * 300 + "'\nmain = { department = 'Øvrige', theme = 'Andet', "
            "subtheme = 'Privatretlige spørgsmål' }\n",
        "inquiries/2024/04/2024-04-08-k7q8.toml":  # nested deeper than tomllib reads
            "id = '2024-04-08-k7q8'\nreceived = 2024-04-08\nkind = 'inquiry'\nstatus = 'open'\n"
            "x = " + "[" * 600 + "]" * 600 + "\nmain = { department = 'Øvrige', "
            "theme = 'Andet', subtheme = 'Privatretlige spørgsmål' }\n",
    }
    for rel, text in texts.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text.encode())
        os.chmod(root / rel, 0o600)
    files = [(rel.split("/")[0], rel) for rel in sorted(texts)]
    for partial in (False, True):
        fast = read_files(str(root), files, s, canonical.Canonical(s, partial))
        slow_ = [read_path(str(root), k, rel, s) for k, rel in files]
        for (key, row, prows), (record, problems, skey) in zip(fast, slow_, strict=True):
            assert key == skey
            assert row == (rowcodec.to_row(record, partial) if record is not None else None)
            assert [rowcodec.problem_of(p) for p in prows] == problems
        # every file's mode is one int object: marshal sends it, and the index
        # writes it, once (index_file._one_mode_object keeps such keys as they are)
        assert len({id(k[2]) for k, _row, _prows in fast}) == 1
    # the appeal and the first inquiry take the dict way (codec is not asked); the
    # unknown department and the time are codec's to explain
    asked = []
    for name in ("inquiry_from_dict", "appeal_from_dict"):
        real = getattr(codec, name)
        monkeypatch.setattr(codec, name, lambda *a, _real=real, **k: (asked.append(a[1]),
                                                                       _real(*a, **k))[1])
    fast = read_files(str(root), files, s)
    assert [[rowcodec.problem_of(p).code for p in prows] for _k, _r, prows in fast] == [
        [], [], ["unknown-department"], ["cpr", "cpr"], ["not-toml"], [], ["not-toml"]]
    assert asked == ["inquiries/2024/04/2024-04-04-k7q3.toml"]


# ---------------------------------------------------------------------------
# CPR: the look at the whole file never misses what the fields hold


@PROPERTY
@given(st.one_of(valid_inquiries(), valid_appeals(), inquiries(), appeals()),
       st.lists(st.tuples(st.integers(0, 10**6), EDITS), max_size=2))
def test_maybe_cpr_never_misses_a_field(record, edits):
    for kind_dir, rel, raw in edited(record, edits):
        got, _ = codec.read_inquiry(raw, rel) if kind_dir == "inquiries" \
            else codec.read_appeal(raw, rel)
        if got is not None and cpr.cpr_fields(got):
            assert cpr.maybe_cpr(raw)


@PROPERTY
@given(st.text(alphabet="0123456789-\u2010\u2013\u2212 \u00a0\u202fx\"'\\uUn\r\n\t", max_size=40))
def test_maybe_cpr_on_any_string_value(s):
    # as caselog writes it, as a literal, and as a person might: the text between
    # quotes taken as written (its backslashes escapes, its backslash-newlines joins)
    for literal in (codec._literal(s), "'" + s + "'", "'''\n" + s + "'''", '"' + s + '"',
                    '"""\n' + s + '"""'):
        text = f"title = {literal}\n"
        try:
            value = codec.tomllib.loads(text)["title"]
        except codec.tomllib.TOMLDecodeError:
            continue
        if cpr.has_cpr(value):
            assert cpr.maybe_cpr(text.encode())


@PROPERTY
@given(st.one_of(valid_inquiries(), valid_appeals(), inquiries(), appeals()),
       st.lists(st.tuples(st.integers(0, 10**6), EDITS), max_size=2))
def test_values_may_hold_cpr_never_misses_a_field(record, edits):
    """The look at a parsed file's values (for a file whose bytes hold an escape)
    finds every field the full check warns about."""
    for kind_dir, rel, raw in edited(record, edits):
        got, _ = codec.read_inquiry(raw, rel) if kind_dir == "inquiries" \
            else codec.read_appeal(raw, rel)
        if got is not None and cpr.cpr_fields(got):
            assert cpr.values_may_hold_cpr(codec.tomllib.loads(raw.decode("utf-8")))


def test_values_may_hold_cpr_examples():
    assert cpr.values_may_hold_cpr({"notes": "ring 010203-1234 op"})
    assert cpr.values_may_hold_cpr({"main": {"x": ["a", "0102031234"]}})
    assert cpr.values_may_hold_cpr({"x": "010203\u20131234"})
    # an escape that wrote a digit: the value holds the number the bytes did not
    assert cpr.values_may_hold_cpr(codec.tomllib.loads('x = "\\u0030102031234"'))
    assert not cpr.values_may_hold_cpr({"title": "S\u00e6rlig st\u00f8tte", "n": 1020312345})
    # two values side by side never make one number
    assert not cpr.values_may_hold_cpr({"a": "xxxxx010203", "b": "1234xxxxxx"})
    assert not cpr.values_may_hold_cpr({"phone": "51817228", "received": "2024-01-02"})


def test_read_files_escape_without_cpr_takes_the_dict_way(tmp_path, monkeypatch):
    """A file whose only CPR hint is a \\u escape gets no field by field check, and
    one whose escape writes a CPR-like number gets its warning."""
    s = default_settings()
    head = ("id = '{rid}'\nreceived = 2024-04-05\nkind = 'inquiry'\nstatus = 'open'\n"
            "main = {{ department = '\u00d8vrige', theme = 'Andet', "
            "subtheme = 'Privatretlige sp\u00f8rgsm\u00e5l' }}\n")
    texts = {
        "2024-04-05-k7q5": 'notes = "S\\u00e6rlig st\\u00f8tte, tlf. 51817228"\n',
        "2024-04-05-k7q6": 'notes = "nr. \\u0030102031234"\n',
    }
    files = []
    for rid, tail in texts.items():
        rel = f"inquiries/2024/04/{rid}.toml"
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(head.format(rid=rid) + tail, encoding="utf-8")
        os.chmod(tmp_path / rel, 0o644)
        files.append(("inquiries", rel))
    slow_ = [read_path(str(tmp_path), k, rel, s) for k, rel in files]
    checked = []
    real = cpr.cpr_problems
    monkeypatch.setattr("store.folder.reading.cpr_problems",
                        lambda rec, *a, **k: (checked.append(rec.id), real(rec, *a, **k))[1])
    fast = read_files(str(tmp_path), files, s)
    for (key, row, prows), (record, problems, skey) in zip(fast, slow_, strict=True):
        assert key == skey and row == rowcodec.to_row(record)
        assert [rowcodec.problem_of(p) for p in prows] == problems
    assert [[p.code for p in problems] for _r, problems, _k in slow_] == [
        ["world-readable"], ["world-readable", "cpr"]]
    assert checked == ["2024-04-05-k7q6"]


def test_maybe_cpr_examples():
    assert cpr.maybe_cpr(b'title = "010203-1234"\n')
    assert cpr.maybe_cpr(b'notes = """\n0102031234"""\n')
    assert cpr.maybe_cpr('x = "010203\u20131234"'.encode())
    assert cpr.maybe_cpr(b'x = "\\u0030102031234"')  # an escape that may write a digit
    assert cpr.maybe_cpr(b'x = "\\U00000030102031234"')
    assert cpr.maybe_cpr(b'x = """\n010203\\\n   1234"""')  # a line-ending backslash joins
    assert cpr.maybe_cpr(b'x = """\n010203\\  \r\n1234"""')
    assert not cpr.maybe_cpr(b'x = "a \\"quote\\" and C:\\\\Dokumenter 123"')  # other escapes
    assert not cpr.maybe_cpr(b'phone = "51817228"\nreceived = 2024-01-02\n')
    assert not cpr.maybe_cpr(b'x = "12345-67890 123456--7890 123456\xc2\xa0\xc2\xa07890"')
    assert not cpr.maybe_cpr('x = "123456\u20137 890"'.encode())


# ---------------------------------------------------------------------------
# Whole folders


def odd_files(root: Path) -> None:
    """Files of every kind next to valid ones: CPR numbers in every field, escapes,
    unknown keys, wrong types, unknown taxonomy, wrong places and modes, damage."""
    rid = iter(f"2024-0{m}-{d:02d}-{c}aaa" for m in range(1, 10) for d in range(1, 29)
               for c in "abcd")

    def put(kind_dir: str, text: str | bytes, name: str | None = None, mode: int = 0o600,
            where: str | None = None) -> None:
        i = next(rid)
        text = text.replace("RID", i).replace("DAY", i[:10]) if isinstance(text, str) else text
        rel = where.format(id=i) if where else f"{kind_dir}/{i[:4]}/{i[5:7]}/{name or i}.toml"
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text.encode() if isinstance(text, str) else text)
        os.chmod(p, mode)

    base = Inquiry("RID", date(2024, 1, 1), "complaint", "closed",
                   Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"),
                   closed=date(2024, 2, 1), channel="Telefon", title="t", notes="n",
                   follow_up=(Point("Øvrige", "GDPR", "Behandlingssikkerhed"),),
                   citizen=Citizen("N", "12345678", "e@x.dk"), source="s")
    text = codec.to_toml(base).replace("2024-01-01", "DAY")
    # a CPR number in every field, in every form
    fields = ['channel = "', 'title = "', 'notes = "', 'source = "', 'department = "',
              'theme = "', 'subtheme = "', 'name = "', 'phone = "', 'email = "']
    for f in fields:
        for cprn in ("010203-1234", "0102031234", "010203 1234", "010203\u20131234",
                     "\\u0030102031234"):
            put("inquiries", text.replace(f, f + cprn + " ", 1))
    put("inquiries", text.replace('notes = "n"', 'notes = """\nx\n010203-1234\n"""'))
    put("inquiries", text + 'extra = "010203-1234"\n')
    put("inquiries", text + '\n[future]\nx = ["010203-1234"]\n')
    put("inquiries", text.replace('title = "t"', 'title = "t\\u00e6\\"q\\\\"'))
    put("inquiries", text.replace('title = "t"', 'title = "t"\nunknown = 1'))
    put("inquiries", text.replace('[main]', '[main]\nx = 1'))
    put("inquiries", text.replace('[citizen]', '[citizen]\nage = 3'))
    put("inquiries", text.replace('title = "t"', "title = 3"))
    put("inquiries", text.replace('title = "t"', "title = 't'"))
    put("inquiries", text.replace('received = DAY', 'received = "DAY"'))
    put("inquiries", text.replace('kind = "complaint"', 'kind = "klage"'))
    put("inquiries", text.replace('status = "closed"', 'status = "open"'))
    put("inquiries", text.replace('closed = 2024-02-01\n', ''))
    put("inquiries", text.replace('closed = 2024-02-01', 'closed = 2023-02-01'))
    put("inquiries", text.replace('channel = "Telefon"', 'channel = "Brevdue"'))
    put("inquiries", text.replace('"Børn & Familie"', '"Ukendt"'))
    put("inquiries", text.replace('"Børn & Familie"', '"børn  &  familie"'))
    put("inquiries", text.replace('"Forvaltningsskik"', '"Ukendt"'))
    put("inquiries", text.replace('"Sagsbehandlingstid og manglende svar"', '"Notatpligt"'))
    put("inquiries", text.replace('subtheme = "Sagsbehandlingstid og manglende svar"\n', ''))
    put("inquiries", text.replace('"Behandlingssikkerhed"', '"x"'))
    put("inquiries", text.replace('\r', '').replace('\n', '\r\n'))
    put("inquiries", "\ufeff" + text)
    put("inquiries", text.replace("DAY", "2024-02-30"))
    put("inquiries", text, mode=0o644)
    put("inquiries", text, name="2024-01-01-zzzz")  # id-mismatch
    put("inquiries", text, where="inquiries/2023/12/{id}.toml")  # wrong folder
    put("appeals", text, where="appeals/{id}.toml")
    put("inquiries", text.replace('"RID"', '"../x"'))
    put("inquiries", b"")
    put("inquiries", b"\xff\xfe junk")
    put("inquiries", "id = ")
    put("inquiries", "<<<<<<< HEAD\n" + text + "=======\n" + text + ">>>>>>> theirs\n")
    put("inquiries", b"x" * (codec.MAX_FILE_SIZE + 1))
    ap = codec.to_toml(Appeal("RID", date(2024, 1, 1), "Ankestyrelsen", "Børn & Familie",
                              "remarks", ("Sagsbehandlingstid",), "r", "n"))
    ap = ap.replace("2024-01-01", "DAY")
    put("appeals", ap)
    for f in ('board = "', 'department = "', 'result = "', 'notes = "', 'remarks = ["'):
        put("appeals", ap.replace(f, f + "0102031234 ", 1))
    put("appeals", ap.replace('remarks = ["Sagsbehandlingstid"]', 'remarks = []'))
    put("appeals", ap.replace('"remarks"', '"rejected"'))
    put("appeals", ap.replace('"Sagsbehandlingstid"', '"Ukendt"'))
    put("appeals", ap.replace('"Ankestyrelsen"', '"Ukendt"'))
    put("appeals", ap + "x = 1\n")
    put("appeals", ap, mode=0o640)
    put("appeals", text)  # an inquiry among the appeals
    put("inquiries", ap)  # and the other way round
    dup = root / record_relpath(dataclasses.replace(base, id="2024-09-28-dbbb"))
    dup.parent.mkdir(parents=True, exist_ok=True)
    dup.write_text(text.replace("RID", "2024-01-01-aaaa").replace("DAY", "2024-01-01"))
    os.chmod(dup, 0o600)
    (root / "inquiries/2024/01/2024-01-01-aaaa.toml.conflict-abc").write_text("x")
    os.symlink(dup, root / "inquiries/2024/01/2024-01-01-link.toml")
    os.mkfifo(root / "inquiries/2024/01/2024-01-01-fifo.toml")


def assert_read_all_is_load(data: DataFolder, workers: int | None = None,
                            partial: bool = False) -> index_assemble.Loaded:
    s = data.settings()
    truth = data.load(s)
    loaded = index_load.read_all(data, s, workers=workers, partial=partial)
    got = loaded.result
    if partial:
        assert {k: strip(v) for k, v in truth.inquiries.items()} == got.inquiries
        assert {k: strip(v) for k, v in truth.appeals.items()} == got.appeals
        assert loaded.partial == set(got.inquiries) | set(got.appeals)
        assert all(rowcodec.partial_row(e[3]) == e[3] for e in loaded.read_rows if e[3])
    else:
        assert got.inquiries == truth.inquiries
        assert got.appeals == truth.appeals
        assert not loaded.partial
    assert list(got.inquiries) == list(truth.inquiries)
    assert list(got.appeals) == list(truth.appeals)
    assert got.paths == truth.paths
    assert sorted(map(key, got.problems)) == sorted(map(key, truth.problems))
    t = Tally.of(s, truth.inquiries.values(), truth.appeals.values())
    assert loaded.tally.periods == t.periods
    for p in t.active_periods():
        assert to_json(build_report(loaded.tally, p)) == to_json(build_report(t, p))
    # every file's stat key, as read_path takes it
    found, _, _ = index_tree.walk(data.root)
    assert loaded.stats == {rel: read_path(str(data.root), k, rel, s)[2] for k, rel in found}
    # and without records (a report, check): the same tally, problems, paths and index rows
    bare = index_load.read_all(data, s, workers=workers, partial=True, records=False)
    assert bare.tally.periods == t.periods
    assert sorted(map(key, bare.result.problems)) == sorted(map(key, truth.problems))
    assert bare.result.paths == truth.paths
    assert bare.read_rows == index_load.read_all(data, s, workers=workers, partial=True).read_rows
    return loaded


@pytest.fixture(scope="module")
def odd_folder(tmp_path_factory) -> DataFolder:
    root = tmp_path_factory.mktemp("odd") / "data"
    write_folder(root, 60)
    odd_files(root)
    return DataFolder(root)


@pytest.fixture(params=[1, 2], ids=["here", "workers"])
def workers(request, monkeypatch):
    monkeypatch.setattr(fastread, "CHUNK", 7)  # several chunks, and workers at a few dozen files
    return request.param


@pytest.mark.parametrize("partial", [False, True], ids=["full", "partial"])
def test_read_all_is_load_on_odd_files(odd_folder: DataFolder, workers, partial):
    loaded = assert_read_all_is_load(odd_folder, workers, partial)
    codes = {p.code for p in loaded.result.problems}
    assert {"cpr", "wrong-type", "unknown-department", "unknown-theme", "unknown-channel",
            "unknown-board", "unknown-remark", "subtheme-missing", "subtheme-not-in-theme",
            "closed-missing", "closed-without-status", "closed-before-received",
            "remarks-missing", "remarks-without-outcome", "missing-key", "bad-id",
            "world-readable", "wrong-folder", "id-mismatch", "duplicate-id", "symlink",
            "conflict-copy", "conflict-marker", "not-toml", "empty", "not-utf8", "too-large",
            "unreadable", "unknown-code"} <= codes


def test_read_all_is_load_on_the_demo(tmp_path: Path, workers):
    data = write_demo(tmp_path / "demo")
    assert_read_all_is_load(data, workers)


def test_read_all_is_load_on_a_generated_folder(tmp_path: Path, workers):
    root = tmp_path / "gen"
    write_folder(root, 300)
    assert_read_all_is_load(DataFolder(root), workers)
    assert_read_all_is_load(DataFolder(root), workers, partial=True)


def test_read_files_is_read_path_file_by_file(odd_folder: DataFolder):
    s = odd_folder.settings()
    root = str(odd_folder.root)
    found, _, _ = index_tree.walk(odd_folder.root)
    reads = reading.read_files(root, found, s)
    b = rowcodec.Builder()
    for (kind_dir, rel), (k, row, prows) in zip(found, reads, strict=True):
        record, problems, k2 = read_path(root, kind_dir, rel, s)
        assert k == k2, rel
        assert [rowcodec.problem_of(p) for p in prows] == problems, rel
        assert (None if row is None else b.build(row)) == record, rel


def _sections(data: bytes) -> list:
    """An index file's marshal sections, each unmarshalled (the lengths its header
    line gives, the keys first and the head last; the rows' parts as the head
    gives them, joined): head, keys, rows."""
    nl = data.index(b"\n")
    head_n, keys_n, rows_n = map(int, data[:nl].split(b" ")[3:6])
    at = nl + 1
    keys = marshal.loads(data[at:at + keys_n])
    head = marshal.loads(data[at + keys_n + rows_n:])
    assert at + keys_n + rows_n + head_n == len(data)
    at += keys_n
    rows = ()
    for nbytes, count, _first, _last in head[-1][2]:
        part = marshal.loads(data[at:at + nbytes])
        assert len(part) == count
        rows += part
        at += nbytes
    assert at == nl + 1 + keys_n + rows_n
    return [head, keys, rows]


@pytest.mark.parametrize("partial", [False, True], ids=["full", "partial"])
def test_the_index_from_rows_is_the_index_from_records(odd_folder: DataFolder, partial):
    s = odd_folder.settings()
    loaded = index_load.read_all(odd_folder, s, partial=partial)
    assert loaded.read_rows is not None
    assert all(rowcodec.partial_row(e[3]) == e[3] for e in loaded.read_rows if e[3])
    index_file.write_rows(odd_folder.root, loaded.read_rows, loaded.scan_problems, loaded.tally,
                     now_ns=1 << 62, partial=True)
    from_rows = index_file.index_path(odd_folder.root).read_bytes()
    index_file.write_index(odd_folder.root, index_load.entries_of(loaded), loaded.scan_problems,
                      loaded.tally, now_ns=1 << 62)
    from_records = index_file.index_path(odd_folder.root).read_bytes()

    assert _sections(from_rows) == _sections(from_records)
    # full rows are made partial by write_rows
    full = fastread.read_many(str(odd_folder.root), index_tree.walk(odd_folder.root)[0], s)
    index_file.write_rows(odd_folder.root, full, loaded.scan_problems, loaded.tally, now_ns=1 << 62)
    assert _sections(index_file.index_path(odd_folder.root).read_bytes()) == _sections(from_records)
    # a racy file is written without its stat
    some = loaded.read_rows[5]
    index_file.write_rows(odd_folder.root, loaded.read_rows, loaded.scan_problems, loaded.tally,
                     now_ns=some[2][0] + index_file.RACY_NS - 1, partial=True)
    head, keys, _rows = _sections(index_file.index_path(odd_folder.root).read_bytes())
    keys = dict(zip(head[2][0], keys, strict=True))
    assert keys[some[1]] is None
    # and what save writes reads back as the files are
    index_load.save(odd_folder, loaded)
    back = index_load.read_index(odd_folder.root, s)
    truth = odd_folder.load(s)
    assert back.result.paths == truth.paths
    assert sorted(map(key, back.result.problems)) == sorted(map(key, truth.problems))


def test_check_lists_what_load_finds(odd_folder: DataFolder, capsys):
    from tui.cli import main

    truth = odd_folder.load()
    lang = "en"
    code = main(["check", str(odd_folder.root), "--lang", lang])
    out = capsys.readouterr().out.splitlines()
    expected = [p.format(lang) for p in sorted(truth.problems,
                                               key=lambda p: (p.path, p.line or 0, p.col or 0))]
    assert out == expected  # in path order
    assert code == 1


def test_a_failing_worker_is_made_up_for(odd_folder: DataFolder, monkeypatch):
    """Chunks a worker does not deliver are read here, with the same result."""
    monkeypatch.setattr(fastread, "CHUNK", 7)
    s = odd_folder.settings()
    found, _, _ = index_tree.walk(odd_folder.root)
    expected = fastread.read_many(str(odd_folder.root), found, s, workers=1)
    real = fastread.Pool.run

    def flaky(self, parts):
        for i, (k, reads) in enumerate(real(self, parts)):
            if i % 3 == 0:
                continue  # lost
            if i % 3 == 1:
                reads = reads[:-1]  # short
            yield k, reads
        yield 10**6, []  # a chunk never asked for

    monkeypatch.setattr(fastread.Pool, "run", flaky)
    assert fastread.read_many(str(odd_folder.root), found, s, workers=2, chunk=7) == expected
    def no_workers(self, *args):
        self.procs, self.tasks = [], -1

    monkeypatch.setattr(fastread.Pool, "__init__", no_workers)
    assert fastread.read_many(str(odd_folder.root), found, s, workers=2, chunk=7) == expected


def test_a_worker_that_dies_is_made_up_for(odd_folder: DataFolder, monkeypatch):
    s = odd_folder.settings()
    found, _, _ = index_tree.walk(odd_folder.root)
    expected = fastread.read_many(str(odd_folder.root), found, s, workers=1)
    real = fastread.Pool.run

    def dying(self, parts):
        self.procs[0].kill()
        yield from real(self, parts)

    monkeypatch.setattr(fastread.Pool, "run", dying)
    assert fastread.read_many(str(odd_folder.root), found, s, workers=2, chunk=7) == expected
    assert fastread.read_many(str(odd_folder.root), found, s, workers=3, chunk=5) == expected


@pytest.mark.parametrize("threads", [1, 3])
def test_workers_are_forked_in_a_command_and_started_anew_beside_threads(odd_folder, monkeypatch,
                                                                           threads):
    """A command (one thread) forks its reading workers; the app (other threads)
    starts new interpreters. Either way they read what read_files reads."""
    import subprocess
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: threads)
    s = odd_folder.settings()
    found, _, _ = index_tree.walk(odd_folder.root)
    pool = fastread.Pool(str(odd_folder.root), s, 2, partial=True, nice=False)
    kinds = {type(p) for p in pool.procs}
    assert kinds == ({fastread._Forked} if threads == 1 else {subprocess.Popen})
    parts = [found[i:i + 7] for i in range(0, len(found), 7)]
    got = dict(pool.run(parts))
    pool.close()
    expected = {k: read_files(str(odd_folder.root), part, s, canonical.Canonical(s, True))
                for k, part in enumerate(parts)}
    assert got == expected


def test_an_index_from_rows_read_in_chunks_shares_what_repeats(odd_folder: DataFolder):
    """Rows come from the reading processes a chunk at a time, each chunk with its
    own copies of every name and point: the index written from them holds each
    once, as the index written from records does (smaller, quicker to read)."""
    s = odd_folder.settings()
    loaded = index_load.read_all(odd_folder, s, partial=True)

    def copied(row):  # a row as another chunk would send it: equal values, other objects
        return marshal.loads(marshal.dumps(row))

    chunks = [(*e[:3], copied(e[3]) if e[3] else None, tuple(copied(p) for p in e[4]))
              for e in loaded.read_rows]
    index_file.write_rows(odd_folder.root, loaded.read_rows, loaded.scan_problems, loaded.tally,
                          now_ns=1 << 62, partial=True)
    from_rows = index_file.index_path(odd_folder.root).read_bytes()
    index_file.write_rows(odd_folder.root, chunks, loaded.scan_problems, loaded.tally,
                          now_ns=1 << 62, partial=True)
    from_chunks = index_file.index_path(odd_folder.root).read_bytes()
    index_file.write_index(odd_folder.root, index_load.entries_of(loaded), loaded.scan_problems,
                           loaded.tally, now_ns=1 << 62)
    from_records = index_file.index_path(odd_folder.root).read_bytes()
    # (unshared, the copies made it a tenth larger than the index from records)
    assert len(from_rows) <= len(from_chunks) <= 1.02 * len(from_records)

    assert _sections(from_chunks) == _sections(from_rows) == _sections(from_records)
    index_file.write_rows(odd_folder.root, chunks, loaded.scan_problems, loaded.tally,
                          now_ns=1 << 62, partial=True)
    columns, _scan, _tally = index_file._read_payload(odd_folder.root)
    inquiries = [r for r in columns[4] if r[0] == rowcodec.INQUIRY_ROW]
    assert len({id(r[3]) for r in inquiries}) == len({r[3] for r in inquiries})  # kinds
    assert len({id(r[10]) for r in inquiries}) == len({r[10] for r in inquiries})  # points


def test_rows_read_in_chunks_are_shared_value_by_value(odd_folder: DataFolder):
    """``shared`` takes a point or follow-up seen before with one look-up: rows as two
    reading processes send them (one object per value within each chunk) come out
    equal to what they were, each value one object, and so do their problem rows."""
    s = odd_folder.settings()
    rows = index_load.read_all(odd_folder, s, partial=True).read_rows
    half = len(rows) // 2
    entries = [*marshal.loads(marshal.dumps(list(rows[:half]))),
               *marshal.loads(marshal.dumps(list(rows[half:])))]
    same: dict = {}
    made, problems = [], []
    for e in entries:
        if e[3] is not None:
            row = rowcodec.shared(e[3], same)
            assert row == e[3]
            made.append(row)
        prows = tuple(rowcodec.shared_problem_row(r, same, e[1]) for r in e[4])
        assert prows == e[4]
        problems += prows
    inquiries = [r for r in made if r[0] == rowcodec.INQUIRY_ROW]
    assert len(inquiries) > 10 and any(r[11] for r in inquiries)
    for i in (3, 10, 11):  # kinds, main points, follow-ups
        assert len({id(r[i]) for r in inquiries}) == len({r[i] for r in inquiries})
    points = [p for r in inquiries for p in (r[10], *r[11])]
    assert len({id(p) for p in points}) == len(set(points))
    assert len({id(x) for p in points for x in p if x}) == len({x for p in points for x in p if x})
    params = [p[5] for p in problems if isinstance(p[5], tuple) and all(
        not isinstance(v, list) for _k, v in p[5])]
    assert len(params) > 2 and len({id(x) for x in params}) == len(set(params))


def test_a_file_nested_thousands_deep_is_not_toml_and_ends_nothing(tmp_path):
    """toml-rs has no limit on nesting and overflows its stack at some thousands of
    levels, ending the process: such a file never goes to it (the count of
    brackets), and is not-toml as tomllib says. Run in another process: a crash
    would end this one."""
    import subprocess

    rel = "inquiries/2024/04/2024-04-08-k7q8.toml"
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_text("x = " + "[" * 20000 + "]" * 20000 + "\n")
    code = (
        "import sys\n"
        "from store.domain.taxonomy import default_settings\n"
        "from store.folder.reading import read_files\n"
        f"out = read_files({str(tmp_path)!r}, [('inquiries', {rel!r})], default_settings())\n"
        "print([p[4] for p in out[0][2]])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['not-toml']"


def test_the_index_from_full_rows_of_records_with_unknown_keys_reads_back_right(tmp_path):
    """A record with a key caselog does not know has a pickled full row; the index
    written from full rows makes each one partial, and each keeps its own points
    (the partial rows made while writing are shared by value, not by identity)."""
    root = tmp_path / "d"
    DataFolder.init(root)
    points = [("Børn & Familie", "GDPR", "Behandlingssikkerhed"),
              ("Jobcenter", "Andet", "Anden offentligretlig lovgivning"),
              ("Øvrige", "Andet", "Privatretlige spørgsmål")]
    for i in range(9):
        rid = f"2024-04-{i + 1:02d}-k7q{i}"
        d, t, s = points[i % 3]
        p = root / "inquiries/2024/04" / f"{rid}.toml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f'id = "{rid}"\nreceived = 2024-04-{i + 1:02d}\nkind = "inquiry"\n'
                     f'status = "open"\nfuture = {i}\n[main]\ndepartment = "{d}"\n'
                     f'theme = "{t}"\nsubtheme = "{s}"\n', encoding="utf-8")
        os.chmod(p, 0o600)
    data = DataFolder(root)
    s = data.settings()
    loaded = index_load.read_all(data, s, partial=True)
    full = fastread.read_many(str(root), index_tree.walk(root)[0], s)
    assert sum(e[3][0] == rowcodec.PICKLED_ROW for e in full) == 9
    index_file.write_rows(root, full, loaded.scan_problems, loaded.tally, now_ns=1 << 62)
    back = index_load.read_index(root, s)
    truth = data.load(s)
    assert {rid: r.main for rid, r in back.result.inquiries.items()} == {
        rid: r.main for rid, r in truth.inquiries.items()}
