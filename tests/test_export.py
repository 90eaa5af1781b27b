"""caselog export: the records as rows; personal data only when asked, no formulas."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from store.domain.records import Appeal, Citizen, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.sheets.export import safe_cell
from tui.cli import main

openpyxl = pytest.importorskip("openpyxl")

SECRET_TITLE = "Zebrafinke-sagen om Kvistgaard"
SECRET_NOTES = "Borgeren nævnte sin diagnose: xylofon-syndrom"
SECRET_NAME = "Ingeborg Quistgaard-Madsen"
SECRET_PHONE = "+45 12 34 56 78"
SECRET_EMAIL = "ingeborg@example.invalid"
SECRETS = (SECRET_TITLE, "Zebrafinke", "xylofon", SECRET_NAME, "Quistgaard", "12 34 56 78",
           "ingeborg@")



@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "log"
    f = DataFolder.init(root)
    f.save(Inquiry(
        "2024-04-03-k7q2", date(2024, 4, 3), "complaint", "closed",
        Point("Børn & Familie", "Forvaltningsskik", "Inddragelse"), closed=date(2024, 4, 20),
        channel="Telefon", title=SECRET_TITLE, notes=SECRET_NOTES + "\nlinje to",
        follow_up=(Point("Borger & Arbejdsmarked", "Andet", "Anden offentligretlig lovgivning"),),
        citizen=Citizen(SECRET_NAME, SECRET_PHONE, SECRET_EMAIL)))
    f.save(Inquiry(
        "2023-06-01-c3d4", date(2023, 6, 1), "complaint-help", "open",
        Point("Øvrige", "GDPR", "Behandlingssikkerhed"), channel="Mail",
        title="=HYPERLINK(\"http://x.invalid\",\"klik\")", notes="@SUM(A1)"))
    f.save(Appeal("2024-05-10-x9p1", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie",
                  "remarks", ("Utilstrækkelig begrundelse", "Sagsbehandlingstid"), "Stadfæstet"))
    return root


def export(folder: Path, tmp_path: Path, fmt: str, *extra: str) -> str:
    """The exported file as text (an xlsx as every cell of every sheet)."""
    out = tmp_path / f"export.{ 'txt' if fmt == 'text' else fmt}"
    assert main(["export", str(folder), "--format", fmt, "--output", str(out), *extra]) == 0
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(out)
        return "\n".join(
            "\t".join("" if c is None else str(c) for c in row)
            for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md", "text"])
def test_no_personal_data_without_the_flag(folder, tmp_path, fmt):
    text = export(folder, tmp_path, fmt)
    assert "Børn & Familie" in text or "Børn \\& Familie" in text
    for secret in SECRETS:
        assert secret not in text
    assert "HYPERLINK" not in text and "SUM(" not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md", "text"])
def test_personal_data_with_the_flag(folder, tmp_path, fmt, capsys):
    text = export(folder, tmp_path, fmt, "--include-personal")
    for secret in (SECRET_NAME, SECRET_EMAIL.replace("@", "")[:8], "xylofon"):
        assert secret in text.replace("\\", "")
    assert "personoplysninger" in capsys.readouterr().err


def test_stdout_without_the_flag_has_no_personal_data(folder, capsys):
    for fmt in ("csv", "md", "text"):
        assert main(["export", str(folder), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "Inddragelse" in out
        for secret in SECRETS:
            assert secret not in out


def test_csv_is_for_danish_excel(folder, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", str(folder), "--output", str(out), "--include-personal"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:10] == ["Id", "Modtaget", "Type", "Status", "Afsluttet", "Kanal", "Rolle",
                            "Afdeling", "Tema", "Undertema"]
    assert rows[0][10:] == ["Titel", "Noter", "Navn", "Telefon", "E-mail"]
    # one row per issue, oldest first; the main issue first
    assert [r[0] for r in rows[1:]] == ["2023-06-01-c3d4", "2024-04-03-k7q2", "2024-04-03-k7q2"]
    assert [r[6] for r in rows[1:]] == ["Hovedsag", "Hovedsag", "Følgesag"]
    assert rows[2][1:5] == ["2024-04-03", "Klagesag", "Afsluttet", "2024-04-20"]
    assert rows[1][2:4] == ["Hjælp til klage", "Åben"]
    assert rows[3][7] == "Borger & Arbejdsmarked"  # as recorded; the alias counts as its department
    # formulas are quoted
    assert rows[1][10] == "'=HYPERLINK(\"http://x.invalid\",\"klik\")"
    assert rows[1][11] == "'@SUM(A1)"
    assert rows[2][11] == SECRET_NOTES + "\nlinje to"
    assert rows[2][13] == SECRET_PHONE.replace("+", "'+", 1)


def test_xlsx_has_inquiries_and_appeal_decisions(folder, tmp_path):
    out = tmp_path / "x.xlsx"
    assert main(["export", str(folder), "--output", str(out), "--include-personal"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Henvendelser", "Ankeafgørelser"]
    rows = list(wb["Henvendelser"].iter_rows(values_only=True))
    assert rows[1][1].date() == date(2023, 6, 1)  # a date cell, not text
    assert rows[1][10].startswith("'=")  # never a formula
    assert all(c.data_type != "f" for row in wb["Henvendelser"].iter_rows() for c in row)
    appeals = list(wb["Ankeafgørelser"].iter_rows(values_only=True))
    assert appeals[0] == ("Id", "Modtaget", "Ankeinstans", "Afdeling", "Udfald", "Bemærkninger",
                          "Afgørelse")
    assert appeals[1][0] == "2024-05-10-x9p1"
    assert appeals[1][4:] == ("Med bemærkninger", "Utilstrækkelig begrundelse; Sagsbehandlingstid",
                              "Stadfæstet")


def test_period_and_english(folder, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", str(folder), "--period", "2024/25", "--lang", "en",
                 "--output", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Id", "Received", "Kind"]
    assert {r[0] for r in rows[1:]} == {"2024-04-03-k7q2"}
    assert [r[6] for r in rows[1:]] == ["Main", "Follow-up"]
    assert rows[1][2] == "Complaint"


def test_xlsx_needs_a_file_and_bad_period_is_one_line(folder, capsys):
    assert main(["export", str(folder), "--format", "xlsx"]) == 2
    assert main(["export", str(folder), "--period", "nonsense"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+45", "'+45"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"),
    ("ok", "ok"), ("", ""), (5, 5), (-5, -5), (None, None),
])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_the_command_line_lists_export_and_import(folder):
    r = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True,
                       timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert "export" in r.stdout and "import" in r.stdout


def test_importing_store_sheets_loads_no_openpyxl_nor_terminal_library():
    code = (
        "import store.sheets, store.sheets.read, store.sheets.build, store.sheets.export, "
        "store.sheets.apply, store.sheets.mapping, store.sheets.match; import sys; "
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('openpyxl', 'textual', 'rich', 'tui')); assert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       cwd=Path(__file__).resolve().parent.parent)
    assert r.returncode == 0, r.stderr
