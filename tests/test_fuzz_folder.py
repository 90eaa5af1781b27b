"""Fuzzing a whole folder: junk files next to valid records never hide or break them.

Hypothesis writes random bytes, random text and damaged record files into
random record paths of a folder that also holds valid records. Loading never
raises, every valid record loads unchanged, and the tally is the valid
records' tally (plus whatever junk happened to be a valid record itself).
``caselog check`` never crashes on such a folder either.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.domain.summary import Tally
from store.domain.taxonomy import SETTINGS_FILE, default_settings, settings_to_toml
from store.folder.datafolder import DataFolder
from store.format import codec
from store.format.layout import record_relpath
from tui.cli import main

VALID: list[Inquiry | Appeal] = [
    Inquiry("2024-04-03-k7q2", date(2024, 4, 3), "complaint", "closed",
            Point("Børn & Familie", "Forvaltningsskik", "Sagsbehandlingstid og manglende svar"),
            closed=date(2024, 4, 20), channel="Telefon", title="t", notes="a\nb",
            follow_up=(Point("Øvrige", "GDPR", "Behandlingssikkerhed"),),
            citizen=Citizen("N", "12345678", "")),
    Inquiry("2024-04-03-a1b2", date(2024, 4, 3), "inquiry", "open",
            Point("Miljø & Teknik", "Offentlighedsloven", "Notatpligt"), channel="Mail"),
    Inquiry("2023-12-31-zzzz", date(2023, 12, 31), "complaint-help", "open",
            Point("Ældre, Sundhed & Social", "Hjemmelsspørgsmål", "Afgørelser"),
            extra={"future_key": [1, 2], "x": {"y": "z"}}),
    Inquiry("2025-03-31-0000", date(2025, 3, 31), "complaint", "open",
            Point("Ukendt afdeling", "Ukendt tema")),  # warnings only: still counted
    Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie", "remarks",
           ("Sagsbehandlingstid",)),
    Appeal("2024-06-01-q3r4", date(2024, 6, 1), "Ankestyrelsen", "Øvrige", "rejected"),
]
VALID_IDS = {r.id for r in VALID}
SETTINGS = default_settings()
SETTINGS_BYTES = settings_to_toml(SETTINGS).encode()
VALID_FILES = {record_relpath(r): codec.to_toml(r).encode() for r in VALID}
TEMPLATE = codec.to_toml(VALID[0])

ID_CHARS = "0123456789abcdefghjkmnpqrstvwxyz"
ids = st.builds(
    lambda y, m, d, s: f"{y:04d}-{m:02d}-{d:02d}-{s}",
    st.integers(1990, 2040), st.integers(1, 12), st.integers(1, 28),
    st.text(ID_CHARS, min_size=4, max_size=4),
).filter(lambda i: i not in VALID_IDS)
odd_names = st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
                    min_size=1, max_size=20).filter(lambda s: s not in (".", ".."))


@st.composite
def junk_path(draw) -> str:
    kind = draw(st.sampled_from(["inquiries", "appeals"]))
    stem = draw(st.one_of(ids, odd_names))
    where = draw(st.sampled_from(["home", "other", "top", "deep"]))
    if where == "home" and stem[:4].isdigit() and len(stem) >= 7:
        folder = f"{kind}/{stem[:4]}/{stem[5:7]}"
    elif where == "top":
        folder = kind
    elif where == "deep":
        folder = f"{kind}/x/y/z"
    else:
        folder = f"{kind}/2024/04"  # next to the valid records
    return f"{folder}/{stem}.toml"


FRAGMENTS = ['"""', "'''", "[main]", "[[follow_up]]", "[citizen]", "= 2024-13-45", "\x00",
             "<<<<<<< ours\n", "\n=======\n", ">>>>>>> theirs\n", "\ufeff", "\r\n", "[" * 50,
             'id = "', 'kind = "complaint"', "status = 1", "received = 2024-04-03T10:00:00",
             "department = []", "é", "\\u12", "# comment", "\n"]


@st.composite
def junk_content(draw, stem: str) -> bytes:
    how = draw(st.sampled_from(["bytes", "text", "fragments", "truncated", "inserted", "cut",
                                "empty"]))
    if how == "bytes":
        return draw(st.binary(max_size=400))
    if how == "text":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    if how == "fragments":
        return "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=30))).encode()
    if how == "empty":
        return draw(st.sampled_from([b"", b" \n\t", b"\xef\xbb\xbf"]))
    # a damaged record whose id is its own file name (a junk copy of a valid
    # record would be a duplicate id, which is reported, by design)
    text = TEMPLATE.replace(VALID[0].id, stem)
    i = draw(st.integers(0, len(text)))
    if how == "truncated":
        return text[:i].encode()
    if how == "inserted":
        return (text[:i] + draw(st.text(max_size=20)) + text[i:]).encode("utf-8", "surrogatepass")
    j = draw(st.integers(i, len(text)))
    return (text[:i] + text[j:]).encode()


@st.composite
def junk_files(draw) -> list[tuple[str, bytes | None, int]]:
    """``(relpath, content or None for a folder, mode)``."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        rel = draw(junk_path())
        if rel in VALID_FILES or any(rel == r or rel.startswith(r + "/") or r.startswith(rel + "/")
                                     for r, _, _ in out):
            continue
        stem = rel.rsplit("/", 1)[1][:-5]
        kind = draw(st.sampled_from(["file"] * 8 + ["folder"]))
        content = None if kind == "folder" else draw(junk_content(stem))
        out.append((rel, content, draw(st.sampled_from([0o600, 0o644, 0o000]))))
    return out


def make_folder(root: Path, junk: list[tuple[str, bytes | None, int]]) -> None:
    root.mkdir(mode=0o700)
    (root / SETTINGS_FILE).write_bytes(SETTINGS_BYTES)
    for rel, data in VALID_FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        os.chmod(p, 0o600)
    for rel, data, mode in junk:
        p = root / rel
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            if data is None:
                p.mkdir()
            else:
                p.write_bytes(data)
                os.chmod(p, mode)
        except OSError:  # a name the file system refuses (too long, ...)
            continue


def tally_state(t: Tally) -> dict:
    return {p: c for p, c in t.periods.items() if not c.is_empty()}


@settings(max_examples=int(os.environ.get("CASELOG_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(junk_files())
def test_junk_never_hides_or_breaks_a_valid_record(junk):
    tmp = Path(tempfile.mkdtemp(prefix="caselog-fuzz-"))
    try:
        root = tmp / "data"
        make_folder(root, junk)
        result = DataFolder(root).load(SETTINGS)  # never raises

        for r in VALID:
            table = result.inquiries if isinstance(r, Inquiry) else result.appeals
            assert table.get(r.id) == r, r.id
            assert result.paths[r.id] == record_relpath(r)
        # No problem is ever reported against a valid record's file except the
        # warnings it has anyway (unknown department/theme of the last inquiry).
        valid_paths = set(VALID_FILES)
        for p in result.problems:
            if p.path in valid_paths:
                assert p.severity == "warning" and p.path.endswith("2025-03-31-0000.toml"), p
        # Whatever else loaded came from a junk file that is itself a whole record.
        junk_paths = {rel for rel, _, _ in junk}
        extra = [(rid, rel) for rid, rel in result.paths.items() if rid not in VALID_IDS]
        assert all(rel in junk_paths for _, rel in extra)
        event(f"junk records that loaded: {min(len(extra), 2)}")
        event(f"errors reported: {min(len(result.errors), 3)}")

        expected = Tally.of(SETTINGS, [r for r in VALID if isinstance(r, Inquiry)]
                            + [result.inquiries[rid] for rid, _ in extra if rid in result.inquiries],
                            [r for r in VALID if isinstance(r, Appeal)]
                            + [result.appeals[rid] for rid, _ in extra if rid in result.appeals])
        got = Tally.of(SETTINGS, result.inquiries.values(), result.appeals.values())
        assert tally_state(got) == tally_state(expected)
        if not extra:
            assert tally_state(got) == tally_state(
                Tally.of(SETTINGS, [r for r in VALID if isinstance(r, Inquiry)],
                         [r for r in VALID if isinstance(r, Appeal)]))

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["check", str(root), "--lang", "en"]) in (0, 1)
    finally:
        for dirpath, dirnames, _ in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o700)
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_valid_records_alone_have_the_expected_tally(tmp_path):
    make_folder(tmp_path / "data", [])
    result = DataFolder(tmp_path / "data").load(SETTINGS)
    assert len(result.inquiries) == 4 and len(result.appeals) == 2
    assert [p.code for p in result.problems] == ["unknown-department", "unknown-theme"]
