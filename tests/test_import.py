"""caselog import: spreadsheets kept before caselog become ordinary record files.

The spreadsheets are made here (openpyxl, a cp1252 CSV); every expectation
is counted from the rows the test wrote, not from caselog's own tables.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from store.domain.periods import parse_period
from store.domain.summary import Tally, build_report, to_json
from store.domain.taxonomy import default_settings
from store.folder.datafolder import DataFolder
from store.sheets.build import plan_import
from store.sheets.mapping import Mapping, field_of_header, parse_mapping
from store.sheets.match import Matcher, parse_date
from store.sheets.read import read_table, sniff_delimiter
from tui.cli import main

openpyxl = pytest.importorskip("openpyxl")

BAE = "Borger, Arbejdsmarked & Erhverv"
BF = "Børn & Familie"
DS = "Dagtilbud & Skole"
OVR = "Øvrige"
ASS = "Ældre, Sundhed & Social"
FS = "Forvaltningsskik"
SAGS = "Sagsbehandlingstid og manglende svar"



@pytest.fixture
def empty(tmp_path) -> Path:
    root = tmp_path / "log"
    assert main(["init", str(root)]) == 0
    return root


def records(root: Path):
    return DataFolder(root).load()


def tables(root: Path, label: str) -> dict:
    result = records(root)
    tally = Tally.of(result.settings, result.inquiries.values(), result.appeals.values())
    return to_json(build_report(tally, parse_period(label, result.settings.period_start)))


def expected_tables(points: list[tuple[str, int, str, str, str | None]], label: str) -> dict:
    """Tabel 1 and 2 counted from the test's own rows: (period, index, department, theme, subtheme)."""
    main_c, follow_c, cells = Counter(), Counter(), Counter()
    for period, i, dept, theme, sub in points:
        if period != label:
            continue
        (main_c if i == 0 else follow_c)[dept] += 1
        cells[(theme, sub, dept)] += 1
    return {"main": main_c, "follow": follow_c, "cells": cells}


def assert_tables_match(root: Path, points, label: str) -> None:
    got = tables(root, label)
    want = expected_tables(points, label)
    for row in got["departments"]:
        assert row["main"] == want["main"][row["name"]], row
        assert row["follow_up"] == want["follow"][row["name"]], row
    for row in got["themes"]:
        for dept, n in row["by_department"].items():
            if row["subtheme"] is None:
                expected = sum(v for (t, _s, d), v in want["cells"].items()
                               if t == row["theme"] and d == dept)
            else:
                expected = want["cells"][(row["theme"], row["subtheme"], dept)]
            assert n == expected, (row["theme"], row["subtheme"], dept)


# ---------------------------------------------------------------------------
# Units: dates, names, headers, delimiters


@pytest.mark.parametrize("value", [
    "03-04-2024", "3.4.24", "3/4/2024", "2024-04-03", " 3. april 2024 ", 45385, 45385.0,
    "45385", datetime(2024, 4, 3, 0, 0), date(2024, 4, 3), "2024-04-03 00:00:00",
])
def test_dates_in_the_usual_forms(value):
    assert parse_date(value) == date(2024, 4, 3)


@pytest.mark.parametrize("value", ["31-02-2024", "i går", "", None, 12, True, "2024-13-01"])
def test_what_is_not_a_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("written, meaning", [
    ("børn og familie", BF), ("  BØRN   &  FAMILIE ", BF), ("B&F", BF), ("Øvr.", OVR),
    ("Borger, Arb.marked & Erhverv", BAE), ("Borger & Arbejdsmarked", BAE), ("BAE", BAE),
    ("Ældre, sundhed og social", ASS), ("Dagtilbud og Skole", DS), ("Miljø", "Miljø & Teknik"),
    ("Børn og Unge", None), ("Teknik", None),
])
def test_departments_match_forgivingly(written, meaning):
    assert Matcher(default_settings()).department(written) == meaning


def test_ambiguous_and_mapped_values():
    m = Matcher(default_settings(), {"department": {"Børn og Unge": BF}, "": {"Forv.": FS}})
    assert m.theme("Forvaltning") is None  # -skik or -loven: left for the person
    assert m.theme("forv.") == FS
    assert m.department("børn og unge") == BF
    assert m.subtheme(None, "sagsbehandlingstid og manglende svar") == (FS, SAGS)
    assert m.subtheme(None, "Sprogbrug, klarhed") == (FS, "Sprogbrug, klarhed, præcision m.v.")


@pytest.mark.parametrize("header, field", [
    ("Modtaget", "received"), ("DATO", "received"), ("Received", "received"),
    ("Afdeling", "department"), ("Afdeling 2", "department_2"), ("Tema 3", "theme_3"),
    ("Undertema 2", "subtheme_2"), ("Emne", "subtheme"), ("Sagstype", "kind"),
    ("Lukket", "closed"), ("Hovedsag/Følgesag", "role"), ("Sagsnr.", "id"),
    ("Bemærkninger", "notes"), ("Overskrift", "title"), ("Kanal", "channel"), ("Foo", None),
])
def test_headers_recognised(header, field):
    assert field_of_header(header) == field


@pytest.mark.parametrize("d", [";", ",", "\t", "|"])
def test_delimiter_sniffed(d):
    text = d.join(["Modtaget", "Afdeling", "Tema, undertema"]) + "\n" + \
        d.join(["03-04-2024", "Børn & Familie", '"x, y"']) + "\n"
    if d != ",":
        assert sniff_delimiter(text) == d
    else:
        assert sniff_delimiter(text.replace('"x, y"', "x")) == ","


# ---------------------------------------------------------------------------
# One row per inquiry: an xlsx made here

HEADERS = ["Sagsnr", "Modtaget", "Type", "Status", "Afsluttet", "Kanal", "Afdeling", "Tema",
           "Undertema", "Afdeling 2", "Tema 2", "Undertema 2", "Titel", "Navn"]

# (received as written, kind, status, closed, [(department written, canonical, theme, sub)])
XLSX_ROWS = [
    (datetime(2023, 4, 3), "Klagesag", "Afsluttet", "20-04-2023",
     [("Børn og familie", BF, FS, SAGS), ("Øvr.", OVR, "Andet", "Privatretlige spørgsmål")]),
    ("3.5.23", "Anden henvendelse", "Åben", None,
     [("Borger, Arb.marked & Erhverv", BAE, "Andet", "Anden offentligretlig lovgivning")]),
    (45100, "Hjælp til klage", "Lukket", 45110,
     [("B&F", BF, "Hjemmelsspørgsmål", "Afgørelser")]),
    ("2024-01-15", "klagesag", "Igang", None,
     [("Dagtilbud og Skole", DS, "gdpr", "Databehandlingsskik"),
      ("ÆLDRE, SUNDHED & SOCIAL", ASS, FS, "Inddragelse")]),
    ("3/4/2024", "Anden henvendelse", "Afsluttet", "5/4/2024",
     [("Øvrige", OVR, "Forvaltningsloven", "Vejledning")]),
    ("02-06-2024", "Klagesag", "Afsluttet", datetime(2024, 6, 30),
     [(BAE, BAE, "Opgavevaretagelse", "Konkret serviceniveau"),
      ("børn & familie", BF, FS, "Sprogbrug, klarhed")]),
]
KINDS = {"Klagesag": "complaint", "klagesag": "complaint", "Anden henvendelse": "inquiry",
         "Hjælp til klage": "complaint-help"}


def canonical_sub(sub: str) -> str:
    return "Sprogbrug, klarhed, præcision m.v." if sub == "Sprogbrug, klarhed" else sub


def make_xlsx(path: Path, rows=XLSX_ROWS, extra_rows=()) -> list:
    """Title and empty row above the headers; returns the points the test expects."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2023-2024"
    ws.append(["Registreringer hos borgerrådgiveren"])
    ws.append([])
    ws.append(HEADERS)
    points = []
    for n, (received, kind, status, closed, pts) in enumerate(rows, start=1):
        cells = [f"S-{n}", received, kind, status, closed, "Telefon"]
        for p in pts[:2]:
            cells += [p[0], p[2], p[3]]
        cells += [""] * (12 - len(cells)) + [f"Titel {n}", f"Borger {n}"]
        ws.append(cells)
        if kind != "Hjælp til klage":
            d = parse_date(received)
            label = "2023/24" if d < date(2024, 4, 1) else "2024/25"
            for i, p in enumerate(pts):
                theme = "GDPR" if p[2] == "gdpr" else p[2]
                points.append((label, i, p[1], theme, canonical_sub(p[3])))
    for cells in extra_rows:
        ws.append(cells)
    wb.save(path)
    return points


def test_xlsx_one_row_per_inquiry_imports_the_expected_records(empty, tmp_path, capsys):
    sheet = tmp_path / "registreringer-2023.xlsx"
    points = make_xlsx(sheet)
    assert main(["import", str(empty), str(sheet)]) == 0
    dry = capsys.readouterr().out
    assert "6 henvendelser med 9 klagepunkter" in dry
    assert "række 3" in dry and "--apply" in dry
    assert "Borger 1" not in dry and "Titel 1" not in dry  # no personal data in the sample
    assert "Tabel 1" in dry
    assert records(empty).inquiries == {}  # a dry run writes nothing

    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    result = records(empty)
    assert [p for p in result.problems if p.severity == "error"] == []
    by_source = {r.source: r for r in result.inquiries.values()}
    assert sorted(by_source) == [f"registreringer-2023.xlsx:{n}" for n in range(4, 10)]
    first = by_source["registreringer-2023.xlsx:4"]
    assert (first.received, first.kind, first.status, first.closed) == \
        (date(2023, 4, 3), "complaint", "closed", date(2023, 4, 20))
    assert first.main.department == BF and first.main.subtheme == SAGS
    assert [p.department for p in first.follow_up] == [OVR]
    assert first.title == "Titel 1" and first.citizen.name == "Borger 1"
    assert first.channel == "Telefon"
    third = by_source["registreringer-2023.xlsx:6"]
    assert third.kind == "complaint-help" and third.received == date(2023, 6, 23)
    assert third.closed == date(2023, 7, 3)
    assert by_source["registreringer-2023.xlsx:7"].status == "open"
    assert by_source["registreringer-2023.xlsx:7"].main.theme == "GDPR"
    for r in result.inquiries.values():
        assert r.id.startswith(r.received.isoformat())
    for label in ("2023/24", "2024/25"):
        assert_tables_match(empty, points, label)


def git_log(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True,
                         text=True, check=True).stdout
    return out.splitlines()


def test_reimport_creates_no_duplicates_and_commits_once(empty, tmp_path, capsys):
    sheet = tmp_path / "registreringer-2023.xlsx"
    make_xlsx(sheet)
    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    first = records(empty).inquiries
    if (empty / ".git").exists():
        assert git_log(empty)[0] == "Importeret 6 henvendelser fra registreringer-2023.xlsx"
        status = subprocess.run(["git", "-C", str(empty), "status", "--porcelain"],
                                capture_output=True, text=True, check=True).stdout
        assert status == ""
    capsys.readouterr()
    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    out = capsys.readouterr().out
    assert "6 henvendelser er importeret fra filen før" in out
    assert records(empty).inquiries == first
    if (empty / ".git").exists():
        assert sum(m.startswith("Importeret") for m in git_log(empty)) == 1


# ---------------------------------------------------------------------------
# One row per issue: a cp1252 CSV as Danish Excel writes it

CSV_TEXT = (
    "Sagsnr;Modtaget;Sagstype;Status;Afsluttet;Hovedsag/Følgesag;Afdeling;Tema;Emne;Bemærkninger\r\n"
    "17;03-04-2024;Klagesag;Afsluttet;20-04-2024;Følgesag;Børn & Familie;Forvaltningsskik;"
    "Sagsbehandlingstid og manglende svar;\r\n"
    "17;03-04-2024;Klagesag;Afsluttet;20-04-2024;Hovedsag;Borger, Arb.marked & Erhverv;Andet;"
    "Anden offentligretlig lovgivning;Ny aktivering trods fleksjobafklaring\r\n"
    "18;5.4.24;Anden henvendelse;Åben;;Hovedsag;Ældre, Sundhed og Social;Forvaltningsloven;"
    "Partshøring;Ønsker høring\r\n"
    "19;6/4/2024;Hjælp til klage;Afsluttet;7/4/2024;;Øvr.;Andet;Privatretlige spørgsmål;\r\n"
    "20;2023-12-01;Klagesag;Afsluttet;2023-12-24;;Dagtilbud & Skole;GDPR;Behandlingssikkerhed;\r\n"
    "20;2023-12-01;Klagesag;Afsluttet;2023-12-24;;Øvrige;Forvaltningsskik;Inddragelse;\r\n"
)


def test_cp1252_csv_one_row_per_issue(empty, tmp_path, capsys):
    sheet = tmp_path / "gamle sager.csv"
    sheet.write_bytes(CSV_TEXT.encode("cp1252"))
    table = read_table(sheet)
    assert (table.delimiter, table.encoding) == (";", "cp1252")
    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    inquiries = {r.source: r for r in records(empty).inquiries.values()}
    assert set(inquiries) == {"gamle sager.csv:2", "gamle sager.csv:4", "gamle sager.csv:5",
                              "gamle sager.csv:6"}
    case17 = inquiries["gamle sager.csv:2"]
    assert case17.main.department == BAE  # the row marked Hovedsag, not the first row
    assert [p.department for p in case17.follow_up] == [BF]
    assert case17.notes == "Ny aktivering trods fleksjobafklaring"
    assert inquiries["gamle sager.csv:4"].status == "open"
    assert inquiries["gamle sager.csv:4"].main.department == ASS
    assert inquiries["gamle sager.csv:5"].kind == "complaint-help"
    case20 = inquiries["gamle sager.csv:6"]  # no role column value: the first row is the main issue
    assert case20.main.department == DS and case20.follow_up[0].department == OVR
    points = [("2024/25", 0, BAE, "Andet", "Anden offentligretlig lovgivning"),
              ("2024/25", 1, BF, FS, SAGS), ("2024/25", 0, ASS, "Forvaltningsloven", "Partshøring"),
              ("2023/24", 0, DS, "GDPR", "Behandlingssikkerhed"), ("2023/24", 1, OVR, FS, "Inddragelse")]
    for label in ("2023/24", "2024/25"):
        assert_tables_match(empty, points, label)


def test_utf8_csv_with_bom_and_commas(empty, tmp_path):
    sheet = tmp_path / "x.csv"
    sheet.write_text("\ufeffReceived,Department,Theme,Subtheme,Kind\n"
                     "2024-04-03,Børn & Familie,Forvaltningsskik,Inddragelse,Complaint\n",
                     encoding="utf-8")
    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    (r,) = records(empty).inquiries.values()
    assert (r.main.department, r.kind, r.status) == (BF, "complaint", "open")


# ---------------------------------------------------------------------------
# Rows that cannot be used


def test_bad_rows_are_listed_and_nothing_half_imported(empty, tmp_path, capsys):
    sheet = tmp_path / "blandet.xlsx"
    bad = [
        ["S-90", "32-13-2024", "Klagesag", "Afsluttet", None, "Telefon", BF, FS, SAGS],  # row 10
        [],  # row 11: empty
        ["S-91", "2024-05-01", "Klagesag", "Afsluttet", None, "Telefon", "Børn og Unge", FS, SAGS],
        ["S-92", "2024-05-02", "Klagesag", "Afsluttet", None, "Telefon", BF, FS, SAGS,
         "Teknisk Forvaltning", FS, SAGS],  # row 13: a follow-up that is not known
        ["S-93", "2024-05-03", "Klagesag", "Afsluttet", None, "Telefon", BF, FS, None],  # row 14
        ["S-94", "2024-05-04", "Klagesag", "Afsluttet", "2024-05-01", "Telefon", BF, FS, SAGS],
    ]
    make_xlsx(sheet, extra_rows=bad)
    assert main(["import", str(empty), str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "6 henvendelser med 9 klagepunkter" in out
    assert "række 10: '32-13-2024' i kolonnen Modtaget er ikke en dato" in out
    assert "række 11: tom række" in out
    assert "række 12: 'Børn og Unge' i kolonnen Afdeling kendes ikke" in out
    assert "række 13: 'Teknisk Forvaltning' i kolonnen Afdeling 2 kendes ikke" in out
    assert "række 14: kolonnen Undertema er tom" in out
    assert "række 15: lukket (2024-05-01) er før modtaget (2024-05-04)" in out
    assert "'Børn og Unge' i kolonnen Afdeling: rækker 12" in out

    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    sources = {r.source for r in records(empty).inquiries.values()}
    assert sources == {f"blandet.xlsx:{n}" for n in range(4, 10)}  # only the whole, valid ones

    # The mapping file says what the unknown names mean: those rows come in next time.
    mapping = tmp_path / "map.toml"
    mapping.write_text('[values.department]\n"Børn og Unge" = "Børn & Familie"\n'
                       '"Teknisk Forvaltning" = "Miljø & Teknik"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(empty), str(sheet), "--map", str(mapping), "--apply"]) == 0
    out = capsys.readouterr().out
    assert "2 henvendelser med 3 klagepunkter" in out
    by_source = {r.source: r for r in records(empty).inquiries.values()}
    assert by_source["blandet.xlsx:12"].main.department == BF
    assert by_source["blandet.xlsx:13"].follow_up[0].department == "Miljø & Teknik"
    assert len(by_source) == 8


def test_a_case_with_a_bad_row_is_left_out_whole(empty, tmp_path, capsys):
    sheet = tmp_path / "sager.csv"
    sheet.write_text(
        "Sagsnr;Modtaget;Afdeling;Tema;Undertema;Rolle\n"
        "1;2024-05-01;Børn & Familie;Forvaltningsskik;Inddragelse;Hovedsag\n"
        "1;2024-05-01;Ukendt afdeling;Forvaltningsskik;Inddragelse;Følgesag\n"
        "2;2024-05-02;Børn & Familie;Forvaltningsskik;Inddragelse;Hovedsag\n"
        "2;2024-05-02;Øvrige;Forvaltningsskik;Inddragelse;Hovedsag\n"
        "3;2024-05-03;Øvrige;Forvaltningsskik;Inddragelse;\n", encoding="utf-8")
    assert main(["import", str(empty), str(sheet), "--apply"]) == 0
    out = capsys.readouterr().out
    assert "række 2: hører til sag 1, hvis række 3 ikke kan bruges" in out
    assert "række 4, 5: sag 2 har mere end én hovedsag" in out
    (r,) = records(empty).inquiries.values()
    assert r.source == "sager.csv:6"


def test_missing_columns_say_what_to_do(empty, tmp_path):
    sheet = tmp_path / "x.csv"
    sheet.write_text("Dato;Sted\n2024-01-01;Rådhuset\n", encoding="utf-8")
    assert main(["import", str(empty), str(sheet)]) == 1


def test_unreadable_files_are_one_line_errors(empty, tmp_path, capsys):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert main(["import", str(empty), str(bad)]) == 1
    assert main(["import", str(empty), str(tmp_path / "missing.csv")]) == 1
    sheet = tmp_path / "ok.xlsx"
    make_xlsx(sheet)
    assert main(["import", str(empty), str(sheet), "--sheet", "Nope"]) == 1
    err = capsys.readouterr().err
    assert "2023-2024" in err and len(err.strip().splitlines()) == 3


# ---------------------------------------------------------------------------
# The mapping file


def test_show_mapping_round_trip(empty, tmp_path, capsys):
    sheet = tmp_path / "registreringer.xlsx"
    make_xlsx(sheet)
    assert main(["import", str(empty), str(sheet), "--show-mapping"]) == 0
    text = capsys.readouterr().out
    mapping = parse_mapping(text)
    assert mapping.columns["received"] == "Modtaget"
    assert mapping.columns["department_2"] == "Afdeling 2"
    assert mapping.header_row == 3
    assert mapping.values["department"]["Øvr."] == OVR
    assert mapping.values["kind"]["Klagesag"] == "complaint"
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")

    assert main(["import", str(empty), str(sheet)]) == 0
    without = capsys.readouterr().out
    assert main(["import", str(empty), str(sheet), "--map", str(path)]) == 0
    with_map = capsys.readouterr().out
    assert with_map == without

    settings = default_settings()
    table = read_table(sheet)
    a = plan_import(table, settings, Mapping())
    b = plan_import(table, settings, mapping)
    assert a.inquiries == b.inquiries and a.problems == b.problems


def test_mapping_names_columns_the_recogniser_does_not_know(empty, tmp_path):
    sheet = tmp_path / "egen.csv"
    sheet.write_text("Hvornår;Hvem;Hvad;Præcis hvad;Art\n"
                     "1-2-2024;Børn og Unge;Forvaltningsskik;Inddragelse;K\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\nreceived = "Hvornår"\ndepartment = "Hvem"\ntheme = "Hvad"\n'
        'subtheme = "Præcis hvad"\nkind = "Art"\n\n[defaults]\nstatus = "closed"\n\n'
        '[values]\n"Børn og Unge" = "Børn & Familie"\n\n[values.kind]\n"K" = "complaint"\n',
        encoding="utf-8")
    assert main(["import", str(empty), str(sheet), "--map", str(mapping), "--apply"]) == 0
    (r,) = records(empty).inquiries.values()
    assert (r.received, r.main.department, r.kind, r.status) == \
        (date(2024, 2, 1), BF, "complaint", "closed")


def test_a_broken_mapping_file_is_one_line(empty, tmp_path, capsys):
    sheet = tmp_path / "x.csv"
    sheet.write_text("Modtaget;Afdeling;Tema;Emne\n", encoding="utf-8")
    for text in ("[columns]\nfoo = 'Bar'\n", "[columns\n", "unknown = 1\n"):
        m = tmp_path / "m.toml"
        m.write_text(text, encoding="utf-8")
        assert main(["import", str(empty), str(sheet), "--map", str(m)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 3


# ---------------------------------------------------------------------------
# DONE-WHEN: export a folder to xlsx, import into an empty one, same Tabel 1 and 2


def build_folder(root: Path) -> Path:
    """A folder with a few dozen varied inquiries over two periods (when store.tools.demo is absent)."""
    import random

    from store.domain.records import Appeal, Inquiry, Point

    folder = DataFolder.init(root)
    s = folder.settings()
    rng = random.Random(7)
    for n in range(48):
        received = date(2023, 4, 1) + __import__("datetime").timedelta(days=rng.randint(0, 720))
        pts = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            t = rng.choice(s.themes)
            dept = rng.choice(s.departments)
            name = rng.choice((dept.name, *dept.aliases))
            pts.append(Point(name, t.name, rng.choice(t.subthemes)))
        status = rng.choice(("open", "closed"))
        folder.save(Inquiry(
            id=folder.new_id(received), received=received,
            kind=rng.choice(("complaint", "inquiry", "complaint-help")), status=status,
            closed=received if status == "closed" else None, channel=rng.choice(s.channels),
            main=pts[0], follow_up=tuple(pts[1:]), title=f"=Titel {n}"))
    folder.save(Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen", BF, "remarks",
                       ("Sagsbehandlingstid",)))
    return root


def test_export_xlsx_then_import_gives_the_same_tables(tmp_path, capsys):
    original = tmp_path / "original"
    if importlib.util.find_spec("store.tools.demo") is not None:
        from store.tools.demo import write_demo

        write_demo(original)
    else:
        build_folder(original)
    book = tmp_path / "log.xlsx"
    assert main(["export", str(original), "--format", "xlsx", "--output", str(book)]) == 0
    copy = tmp_path / "copy"
    assert main(["init", str(copy)]) == 0
    assert main(["import", str(copy), str(book), "--apply"]) == 0
    out = capsys.readouterr().out
    assert "kan ikke bruges" not in out and "kendes ikke" not in out

    src, dst = records(original), records(copy)
    assert len(dst.inquiries) == len(src.inquiries)
    assert [p for p in dst.problems if p.severity == "error"] == []
    tally = Tally.of(src.settings, src.inquiries.values(), src.appeals.values())
    periods = tally.active_periods()
    assert len(periods) >= 2
    for period in periods:
        a = to_json(build_report(tally, period))
        b = tables(copy, period.label)
        assert a["departments"] == b["departments"], period.label
        assert a["themes"] == b["themes"], period.label
        assert a["kinds"] == b["kinds"], period.label
        assert a["inquiries"] == b["inquiries"]

    # The same workbook into the original folder: every row is known already.
    assert main(["import", str(original), str(book), "--apply"]) == 0
    assert len(records(original).inquiries) == len(src.inquiries)
    json.dumps(to_json(build_report(tally, periods[-1])))  # still serialisable
