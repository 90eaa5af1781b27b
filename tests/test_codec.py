"""Record files: round trip of any valid record, and reading never raises."""

from __future__ import annotations

import string
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.domain.problems import ERROR, MESSAGES, Problem, locate_key
from store.domain.records import KINDS, OUTCOMES, Appeal, Citizen, Inquiry, Point
from store.domain.taxonomy import default_settings
from store.format import codec

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(FAST, max_examples=80)

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
NASTY = [
    "\n", "\r", "\r\n", '"', "'", '"""', "'''", "\\", "\\n", "\\u00e6", "\t", "\x00", "\x01",
    "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "שלום", "مرحبا",
    "😀", "👩‍👩‍👧", "æøå ÆØÅ", "#", "=", "[main]", "[[follow_up]]", "<<<<<<< HEAD", " ", "",
]

texts = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=3)), max_size=8).map("".join),
)

dates = st.dates()

tzs = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
)
datetimes = st.builds(
    lambda d, tz: d.replace(tzinfo=tz), st.datetimes(allow_imaginary=True), tzs
)

scalars = st.one_of(
    texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    dates,
    st.times(),
    datetimes,
)


def toml_values(max_leaves: int = 6):
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(texts, inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def extras(known: tuple[str, ...]):
    return st.dictionaries(texts.filter(lambda k: k not in known), toml_values(), max_size=3)


@st.composite
def ids(draw, received: date) -> str:
    return received.isoformat() + "-" + "".join(draw(st.lists(st.sampled_from(ALPHABET),
                                                               min_size=4, max_size=4)))


points = st.builds(
    Point,
    department=texts,
    theme=texts,
    subtheme=st.none() | texts,
    extra=extras(codec.POINT_KEYS),
)

citizens = st.builds(
    Citizen, name=texts, phone=texts, email=texts, extra=extras(codec.CITIZEN_KEYS)
)

TOP_TABLES = ("main", "follow_up", "citizen")


@st.composite
def inquiries(draw) -> Inquiry:
    received = draw(dates)
    status = draw(st.sampled_from(["open", "closed"]))
    closed = None
    if status == "closed":
        closed = received + timedelta(days=draw(st.integers(0, 400)))
        if closed.year > 9999:
            closed = received
    return Inquiry(
        id=draw(ids(received)),
        received=received,
        kind=draw(st.sampled_from(KINDS)),
        status=status,
        main=draw(points),
        closed=closed,
        channel=draw(texts),
        title=draw(texts),
        notes=draw(texts),
        follow_up=tuple(draw(st.lists(points, max_size=5))),
        citizen=draw(st.none() | citizens),
        source=draw(texts),
        extra=draw(extras(codec.INQUIRY_KEYS + TOP_TABLES)),
    )


@st.composite
def appeals(draw) -> Appeal:
    received = draw(dates)
    outcome = draw(st.sampled_from(OUTCOMES))
    remarks = draw(st.lists(texts, min_size=1, max_size=4)) if outcome == "remarks" else []
    return Appeal(
        id=draw(ids(received)),
        received=received,
        board=draw(texts),
        department=draw(texts),
        outcome=outcome,
        remarks=tuple(remarks),
        result=draw(texts),
        notes=draw(texts),
        extra=draw(extras(codec.APPEAL_KEYS)),
    )


def path_of(r: Inquiry | Appeal) -> str:
    top = "inquiries" if isinstance(r, Inquiry) else "appeals"
    return f"{top}/{r.id[:4]}/{r.id[5:7]}/{r.id}.toml"


# ---------------------------------------------------------------------------
# Round trip


def _round_trip(record, reader):
    text = codec.to_toml(record)
    raw = text.encode("utf-8")
    back, problems = reader(raw, path_of(record))
    assert problems == [], [p.format() for p in problems]
    assert back == record
    assert codec.to_toml(back).encode("utf-8") == raw
    return text


@FAST
@given(inquiries())
def test_inquiry_round_trip(record):
    _round_trip(record, codec.read_inquiry)


@FAST
@given(appeals())
def test_appeal_round_trip(record):
    _round_trip(record, codec.read_appeal)


def test_round_trip_with_settings_has_no_problems():
    s = default_settings()
    r = Inquiry(
        id="2024-04-03-k7q2", received=date(2024, 4, 3), kind="complaint", status="closed",
        closed=date(2024, 4, 20), channel="Telefon", title="Ny aktivering", notes="a\nb\n",
        main=Point("Borger & Arbejdsmarked", "Andet", "Anden offentligretlig lovgivning"),
        follow_up=(Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"),),
    )
    back, problems = codec.read_inquiry(codec.to_toml(r).encode(), path_of(r), s)
    assert problems == []
    assert back == r


def test_layout_is_the_documented_one():
    r = Inquiry(
        id="2024-04-03-k7q2", received=date(2024, 4, 3), kind="complaint", status="closed",
        closed=date(2024, 4, 20), channel="Telefon", title="Titel", notes="",
        main=Point("Børn & Familie", "Andet", "Privatretlige spørgsmål"),
        follow_up=(Point("Øvrige", "GDPR", "Behandlingssikkerhed"),),
    )
    assert codec.to_toml(r) == (
        'id = "2024-04-03-k7q2"\n'
        "received = 2024-04-03\n"
        'kind = "complaint"\n'
        'status = "closed"\n'
        "closed = 2024-04-20\n"
        'channel = "Telefon"\n'
        'title = "Titel"\n'
        'notes = ""\n'
        "\n[main]\n"
        'department = "Børn & Familie"\n'
        'theme = "Andet"\n'
        'subtheme = "Privatretlige spørgsmål"\n'
        "\n[[follow_up]]\n"
        'department = "Øvrige"\n'
        'theme = "GDPR"\n'
        'subtheme = "Behandlingssikkerhed"\n'
    )


HAND_WRITTEN = """\
id = "2024-04-03-k7q2"
received = 2024-04-03
kind = "inquiry"
status = "open"
channel = "Mail"
title = "x"
notes = ""
priority = 3                     # a newer version's field
tags = ["a", "b"]

[main]
department = "Øvrige"
theme = "GDPR"
subtheme = "Behandlingssikkerhed"
reviewed = 2024-05-01

[citizen]
name = "A"
phone = ""
email = ""
cpr_checked = true

[review]
by = "B"
when = 2024-05-02T10:00:00+02:00
"""


def test_unknown_keys_survive_a_rewrite():
    r, problems = codec.read_inquiry(HAND_WRITTEN.encode(), "inquiries/2024/04/2024-04-03-k7q2.toml")
    assert problems == []
    assert r.extra["priority"] == 3 and r.extra["tags"] == ["a", "b"]
    assert r.main.extra == {"reviewed": date(2024, 5, 1)}
    assert r.citizen.extra == {"cpr_checked": True}
    edited = Inquiry(**{**r.__dict__, "title": "y"})
    text = codec.to_toml(edited)
    data = tomllib.loads(text)
    assert data["priority"] == 3 and data["tags"] == ["a", "b"]
    assert data["main"]["reviewed"] == date(2024, 5, 1)
    assert data["citizen"]["cpr_checked"] is True
    assert data["review"] == {
        "by": "B", "when": datetime(2024, 5, 2, 10, tzinfo=timezone(timedelta(hours=2)))
    }
    assert data["title"] == "y"


# ---------------------------------------------------------------------------
# Reading never raises


def _check_result(result, cls):
    record, problems = result
    assert record is None or isinstance(record, cls)
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) for p in problems)
    if record is None:
        assert any(p.severity == ERROR for p in problems)
    for p in problems:
        assert p.message("da") and p.message("en")
        assert p.format().startswith(p.path + ":")
        template = MESSAGES["en"][p.code]
        assert {f for _, f, _, _ in string.Formatter().parse(template) if f} <= set(p.params)


SETTINGS = default_settings()


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_give_a_record_or_problems(raw):
    _check_result(codec.read_inquiry(raw, "inquiries/x.toml", SETTINGS), Inquiry)
    _check_result(codec.read_appeal(raw, "appeals/x.toml", SETTINGS), Appeal)


@FAST
@given(st.text(max_size=400))
def test_any_text_gives_a_record_or_problems(text):
    raw = text.encode("utf-8")
    _check_result(codec.read_inquiry(raw, "inquiries/x.toml", SETTINGS), Inquiry)
    _check_result(codec.read_appeal(raw, "appeals/x.toml", None), Appeal)


toml_docs = st.dictionaries(
    st.sampled_from(["id", "received", "kind", "status", "closed", "main", "follow_up", "citizen",
                     "channel", "board", "department", "outcome", "remarks", "notes", "x"]),
    toml_values(4),
    max_size=10,
)


@QUICK
@given(toml_docs)
def test_any_toml_document_gives_a_record_or_problems(data):
    import tomli_w

    raw = tomli_w.dumps(data).encode()
    _check_result(codec.read_inquiry(raw, "inquiries/x.toml", SETTINGS), Inquiry)
    _check_result(codec.read_appeal(raw, "appeals/x.toml", SETTINGS), Appeal)


@st.composite
def mutated(draw, records):
    record = draw(records)
    lines = codec.to_toml(record).splitlines(keepends=True)
    how = draw(st.sampled_from(["delete-line", "change-char", "insert-char", "duplicate-line"]))
    if how == "delete-line":
        del lines[draw(st.integers(0, len(lines) - 1))]
        text = "".join(lines)
    elif how == "duplicate-line":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
        text = "".join(lines)
    else:
        text = "".join(lines)
        i = draw(st.integers(0, len(text) - 1))
        c = draw(st.sampled_from(NASTY[:20]) | st.characters())
        text = text[:i] + c + text[i + (how == "change-char"):]
    return record, text.encode("utf-8", "surrogatepass")


@QUICK
@given(mutated(inquiries()))
def test_mutated_inquiry_gives_a_record_or_problems(case):
    record, raw = case
    _check_result(codec.read_inquiry(raw, path_of(record), SETTINGS), Inquiry)


@QUICK
@given(mutated(appeals()))
def test_mutated_appeal_gives_a_record_or_problems(case):
    record, raw = case
    _check_result(codec.read_appeal(raw, path_of(record), SETTINGS), Appeal)


VALID = b"""\
id = "2024-04-03-k7q2"
received = 2024-04-03
kind = "complaint"
status = "open"

[main]
department = "\xc3\x98vrige"
theme = "GDPR"
subtheme = "Behandlingssikkerhed"
"""
VALID_PATH = "inquiries/2024/04/2024-04-03-k7q2.toml"


def test_each_required_key_missing_is_reported_not_raised():
    for key in (b"id", b"received", b"kind", b"status"):
        raw = b"\n".join(x for x in VALID.split(b"\n") if not x.startswith(key + b" "))
        r, problems = codec.read_inquiry(raw, VALID_PATH, SETTINGS)
        assert r is None
        assert [(p.code, p.params["key"]) for p in problems] == [("missing-key", key.decode())]


def test_deep_nesting_is_a_problem_not_a_crash():
    for raw in (b"x = " + b"[" * 5000, b"x = " + b"{a = " * 5000):
        r, problems = codec.read_inquiry(raw, VALID_PATH, SETTINGS)
        assert r is None
        assert [p.code for p in problems] == ["not-toml"]


def test_byte_order_mark_is_accepted():
    r, problems = codec.read_inquiry(b"\xef\xbb\xbf" + VALID, VALID_PATH, SETTINGS)
    assert problems == [] and r is not None


def test_conflict_markers_are_reported_at_their_line():
    raw = VALID.replace(b'status = "open"\n',
                        b'<<<<<<< HEAD\nstatus = "open"\n=======\nstatus = "closed"\n>>>>>>> x\n')
    r, problems = codec.read_inquiry(raw, VALID_PATH, SETTINGS)
    assert r is None
    assert [(p.code, p.line) for p in problems] == [("conflict-marker", 4)]


def test_time_of_day_is_not_a_date():
    raw = VALID.replace(b"received = 2024-04-03", b"received = 10:00:00")
    r, problems = codec.read_inquiry(raw, VALID_PATH, SETTINGS)
    assert r is None
    assert [(p.code, p.line, p.params["actual"]) for p in problems] == [("wrong-type", 2, "time")]
    assert "a time" in problems[0].message("en")


@QUICK
@given(texts, texts, texts, st.sampled_from([None, date(2024, 5, 1)]))
def test_problems_after_free_text_name_the_right_line(title, notes, channel, closed):
    r = Inquiry(
        id="2024-04-03-k7q2", received=date(2024, 4, 3), kind="complaint",
        status="open" if closed is None else "closed", closed=closed,
        channel=channel, title=title, notes=notes,
        main=Point("Øvrige", "Andet", "Partshøring"),
    )
    text = codec.to_toml(r)
    header = text.rsplit("\n[main]\n", 1)[0].count("\n") + 2
    back, problems = codec.read_inquiry(text.encode(), VALID_PATH, SETTINGS)
    assert back == r
    found = {p.code: p.line for p in problems}
    assert found["subtheme-not-in-theme"] == header + 3
    if channel and channel not in SETTINGS.channels:
        assert found["unknown-channel"] == (5 if closed is None else 6)


def _replace_value(text: str, key: str, table, value) -> str:
    """The text with the value of ``key`` (found by locate_key) replaced by 12345."""
    line, col = locate_key(text, key, table)
    assert line is not None and col is not None
    offset = sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1
    written = f"{key} = {codec._literal(value)}"
    assert text.startswith(written, offset), (key, table, line)
    return text[:offset] + f"{key} = 12345" + text[offset + len(written):]


@QUICK
@given(inquiries())
def test_locate_key_finds_every_key_the_writer_wrote(r):
    text = codec.to_toml(r)
    top = {"id": r.id, "received": r.received, "kind": r.kind, "status": r.status,
           "channel": r.channel, "title": r.title, "notes": r.notes}
    for key, value in top.items():
        assert tomllib.loads(_replace_value(text, key, None, value))[key] == 12345
    for i, p in enumerate(r.points):
        table = "main" if i == 0 else ("follow_up", i - 1)
        for key in ("department", "theme", "subtheme"):
            value = getattr(p, key)
            if value is None:
                continue
            data = tomllib.loads(_replace_value(text, key, table, value))
            got = data["main"] if i == 0 else data["follow_up"][i - 1]
            assert got[key] == 12345
    if r.citizen is not None:
        data = tomllib.loads(_replace_value(text, "email", "citizen", r.citizen.email))
        assert data["citizen"]["email"] == 12345


TRICKY = "\n".join([
    '# a comment with "quotes" and [main]',
    'id = "2024-04-03-k7q2"   # "x"',
    'received = 2024-04-03',
    'title = \'literal with """ in it\'',
    "notes = '''",
    '[main]',
    'kind = "inquiry"',
    "'''",
    'tags = [',
    '  [1, 2],',
    '  ["]", "[main]"],',
    '  [3]',
    ']',
    'extra = { a = "}", b = [1] }',
    'x = """ends with quotes"""""',
    'kind = "complaint"',
    '',
    '[ main ]   # spaced',
    'department = "A"',
    '"theme" = "Andet"',
    '',
    '[[follow_up]]',
    'department = "B"',
    '',
    '[[ follow_up ]]',
    'department = "C"',
]) + "\n"


def test_locate_key_in_a_tricky_hand_written_file():
    data = tomllib.loads(TRICKY)
    assert data["kind"] == "complaint" and data["x"] == 'ends with quotes""'
    assert locate_key(TRICKY, "kind") == (16, 1)
    assert locate_key(TRICKY, "notes") == (5, 1)
    assert locate_key(TRICKY, "department", "main") == (19, 1)
    assert locate_key(TRICKY, "theme", "main") == (20, 1)
    assert locate_key(TRICKY, "subtheme", "main") == (18, 1)  # missing: the table's header
    assert locate_key(TRICKY, "department", ("follow_up", 1)) == (26, 1)
    assert locate_key(TRICKY, "status") == (None, None)


APPEAL = b"""\
id = "2024-05-10-x9p1"
received = 2024-05-10
board = "Ankestyrelsen"
department = "B\xc3\xb8rn & Familie"
outcome = "no-remarks"
result = ""
notes = ""
"""
APPEAL_PATH = "appeals/2024/05/2024-05-10-x9p1.toml"


@pytest.mark.parametrize("old, new, expected, loads", [
    (b'status = "open"', b'status = "open"\nclosed = 2024-04-05', [("closed-without-status", 5, "warning")],
     True),
    (b'status = "open"', b'status = "closed"', [("closed-missing", 4, "warning")], True),
    (b'subtheme = "Behandlingssikkerhed"', b'', [("subtheme-missing", 8, "error")], True),
    (b'theme = "GDPR"\nsubtheme = "Behandlingssikkerhed"', b'theme = "Vejr"\nsubtheme = "Sol"',
     [("unknown-theme", 8, "warning")], True),
    (b'id = "2024-04-03-k7q2"', b'id = "2024-04-03-K7Q2"', [("bad-id", 1, "error")], True),
    (b'[main]', b'citizen = 3\n[main]', [("wrong-type", 6, "error")], False),
    (b'[main]', b'main = 3', [("wrong-type", 6, "error")], False),
    (b'[main]', b'follow_up = [1]\n[main]', [("wrong-type", 6, "error")], False),
    (b'kind = "complaint"', b'kind = 1', [("wrong-type", 3, "error")], False),
    (b'subtheme = "Behandlingssikkerhed"', b'subtheme = ["x"]', [("wrong-type", 9, "error")], False),
])
def test_inquiry_problems(old, new, expected, loads):
    raw = VALID.replace(old, new)
    assert raw != VALID
    r, problems = codec.read_inquiry(raw, VALID_PATH, SETTINGS)
    assert [(p.code, p.line, p.severity) for p in problems] == expected
    assert (r is not None) == loads


@pytest.mark.parametrize("old, new, expected, loads", [
    (b"", b"", [], True),
    (b'outcome = "no-remarks"', b'outcome = "no-remarks"\nremarks = ["Sagsbehandlingstid"]',
     [("remarks-without-outcome", 6, "error")], True),
    (b'outcome = "no-remarks"', b'outcome = "remarks"\nremarks = ["Sagsbehandlingstid", "Ny"]',
     [("unknown-remark", 6, "warning")], True),
    (b'outcome = "no-remarks"', b'outcome = "remarks"\nremarks = "Sagsbehandlingstid"',
     [("wrong-type", 6, "error"), ("remarks-missing", 5, "error")], False),
    (b'board = "Ankestyrelsen"', b'board = "Byretten"', [("unknown-board", 3, "warning")], True),
    (b"department = ", b"department = 'Ukendt' #", [("unknown-department", 4, "warning")], True),
    (b"board = ", b"bord = ", [("missing-key", None, "error")], False),
])
def test_appeal_problems(old, new, expected, loads):
    r, problems = codec.read_appeal(APPEAL.replace(old, new), APPEAL_PATH, SETTINGS)
    assert [(p.code, p.line, p.severity) for p in problems] == expected
    assert (r is not None) == loads


def _line_starts_reference(text: str) -> list[bool]:
    """The plain char-by-char reading that problems._line_starts does faster."""
    starts = [True]
    quote = None
    depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(quote is None and depth == 0)
            i += 1
        elif quote is not None:
            if c == "\\" and quote == '"""':
                i += 1 if text.startswith("\n", i + 1) else 2
            elif text.startswith(quote, i):
                run = text[i:i + 5]
                i += len(run) - len(run.lstrip(quote[0]))
                quote = None
            else:
                i += 1
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote, i = text[i:i + 3], i + 3
        elif c in "\"'":
            i += 1
            while i < n and text[i] not in (c, "\n"):
                escape = c == '"' and text[i] == "\\" and not text.startswith("\n", i + 1)
                i += 2 if escape else 1
            if text.startswith(c, i):
                i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth = max(depth - 1, 0)
            i += 1
    return starts


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="\"'\\\n#[]{}ax =", max_size=60))
def test_line_starts_reads_as_the_plain_reading(text):
    from store.domain.problems import _line_starts

    assert _line_starts(text) == _line_starts_reference(text)
