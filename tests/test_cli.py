"""The command line: init, check, report; errors as one plain line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

import pytest

from store.domain.records import Appeal, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.workspace.workspace import Workspace
from tui.cli import main


def write(path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o600)  # as caselog writes them; others-readable files get a warning


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "log"
    DataFolder.init(root)
    ws = Workspace.open(root)
    records = [
        Inquiry("2024-04-03-aaaa", date(2024, 4, 3), "complaint", "open",
                Point("Børn & Familie", "Forvaltningsskik", "Inddragelse"),
                follow_up=(Point("Borger & Arbejdsmarked", "Andet",
                                 "Anden offentligretlig lovgivning"),),
                title="Titel med | pipe"),
        Inquiry("2025-03-31-bbbb", date(2025, 3, 31), "inquiry", "open",
                Point("Øvrige", "GDPR", "Behandlingssikkerhed")),
        Inquiry("2025-04-01-cccc", date(2025, 4, 1), "complaint", "open",
                Point("Øvrige", "GDPR", "Behandlingssikkerhed")),
        Inquiry("2024-06-01-dddd", date(2024, 6, 1), "complaint-help", "open",
                Point("Børn & Familie", "Andet", "Privatretlige spørgsmål")),
        Appeal("2024-05-10-eeee", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie",
               "remarks", ("Sagsbehandlingstid", "Utilstrækkelig begrundelse")),
        Appeal("2024-05-11-ffff", date(2024, 5, 11), "Ankestyrelsen", "Børn & Familie",
               "rejected"),
    ]
    for r in records:
        ws.save(r)
    return root


def test_report_json_follows_the_contract(folder, capsys):
    assert main(["report", str(folder), "--period", "2024/25", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"label": "2024/25", "from": "2024-04-01", "to": "2025-03-31"}
    assert data["inquiries"] == 2  # complaint-help left out
    assert data["points"] == 3
    assert data["kinds"] == {"complaint": 1, "inquiry": 1, "complaint-help": 1}
    depts = {d["name"]: d for d in data["departments"]}
    assert len(data["departments"]) == 8
    assert depts["Børn & Familie"] == {"name": "Børn & Familie", "main": 1, "follow_up": 0,
                                       "total": 1}
    # the alias counts as its department
    assert depts["Borger, Arbejdsmarked & Erhverv"]["follow_up"] == 1
    assert depts["Øvrige"]["main"] == 1  # 31 March is still 2024/25
    for row in data["themes"]:
        assert len(row["by_department"]) == 8
    gdpr = next(r for r in data["themes"] if r["theme"] == "GDPR" and r["subtheme"] is None)
    assert gdpr["total"] == 1
    a = data["appeals"]
    assert (a["decisions"], a["decided"], a["with_remarks"]) == (2, 1, 1)
    bf = next(r for r in a["by_department"] if r["name"] == "Børn & Familie")
    assert bf == {"name": "Børn & Familie", "no_remarks": 0, "remarks": 1, "rejected": 1,
                  "total": 2}
    assert [r["total"] for r in a["remarks"]] == [1, 0, 1]
    assert data["warnings"] == []


def test_report_next_period_starts_on_1_april(folder, capsys):
    assert main(["report", str(folder), "--period", "2025/26", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["inquiries"] == 1 and data["points"] == 1


def test_report_text_md_csv(folder, capsys):
    assert main(["report", str(folder), "--period", "2024/25"]) == 0
    text = capsys.readouterr().out
    assert "Tabel 1 Fordeling af henvendelser i de enkelte afdelinger" in text
    assert "Tabel 4" in text and "\x1b[" not in text
    assert "bemærkninger til sagsbehandlingen i 1 af 1 sager" in text

    assert main(["report", str(folder), "--period", "2024/25", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "## Tabel 2: Sager fordelt efter emne og afdeling" in md
    assert "| **I alt** | **2** | **1** | **3** |" in md

    assert main(["report", str(folder), "--period", "2024/25", "--format", "csv",
                 "--lang", "en"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["Table 1 Inquiries by department"]
    total = next(r for r in rows if r and r[0] == "Total")
    assert total[1:4] == ["2", "1", "3"]


def test_report_default_period_is_latest_with_records(folder, capsys, monkeypatch):
    monkeypatch.setenv("CASELOG_TODAY", "2030-01-01")
    assert main(["report", str(folder), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"]["label"] == "2025/26"


def test_check_lists_every_problem_and_fails_on_errors(folder):
    write(folder / "inquiries/2024/04/2024-04-09-zzzz.toml", "id = \n")
    write(
        folder / "inquiries/2024/04/2024-04-10-yyyy.toml",
        'id = "2024-04-10-yyyy"\nreceived = 2024-04-10\nkind = "complaint"\nstatus = "open"\n'
        'channel = "Telefon"\n\n[main]\ndepartment = "Ukendt afdeling"\ntheme = "GDPR"\n'
        'subtheme = "Databehandlingsskik"\n'
    )
    r = run("check", str(folder))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith("inquiries/2024/04/2024-04-09-zzzz.toml:1:6: error: ")
    assert lines[1].startswith("inquiries/2024/04/2024-04-10-yyyy.toml:8:1: warning: ")
    assert "Ukendt afdeling" in lines[1]
    assert len(lines) == 2


def test_check_warnings_only_passes_unless_strict(folder):
    write(
        folder / "inquiries/2024/04/2024-04-10-yyyy.toml",
        'id = "2024-04-10-yyyy"\nreceived = 2024-04-10\nkind = "complaint"\nstatus = "open"\n'
        'channel = "Fax"\n\n[main]\ndepartment = "Øvrige"\ntheme = "GDPR"\n'
        'subtheme = "Databehandlingsskik"\n'
    )
    assert run("check", str(folder)).returncode == 0
    r = run("check", str(folder), "--strict", "--lang", "en")
    assert r.returncode == 1
    assert "channel 'Fax' is not in caselog.toml" in r.stdout


def test_errors_are_one_plain_line(tmp_path):
    r = run("report", str(tmp_path / "nope"))
    assert r.returncode != 0
    assert r.stderr.count("\n") == 1 and "caselog.toml" in r.stderr
    r = run("report", str(tmp_path), "--format", "pdf")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_broken_settings_named_with_line(tmp_path):
    DataFolder.init(tmp_path / "f")
    (tmp_path / "f" / "caselog.toml").write_text('format = 1\nlanguage = "da"\nperiod_start = \n')
    r = run("check", str(tmp_path / "f"))
    assert r.returncode == 1
    assert "caselog.toml:3:" in r.stderr and r.stderr.count("\n") == 1


def test_init_refuses_existing_folder(tmp_path):
    assert run("init", str(tmp_path / "x")).returncode == 0
    assert (tmp_path / "x" / "caselog.toml").is_file()
    r = run("init", str(tmp_path / "x"))
    assert r.returncode == 1 and "caselog" in r.stderr


@pytest.mark.parametrize("command", ["init", "demo", "check", "report"])
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.returncode == 0 and "usage: caselog " + command in r.stdout


def test_demo_then_report_json_gives_the_published_tabel_1_and_3(tmp_path):
    """The README's walk-through, through the public command line."""
    target = tmp_path / "d"
    r = run("demo", str(target), "--no-open")
    assert r.returncode == 0, r.stderr
    r = run("report", str(target), "--period", "2024/25", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    published = {  # Tabel 1 of the 2024/25 report
        "Borger, Arbejdsmarked & Erhverv": (50, 10, 60),
        "Børn & Familie": (39, 12, 51),
        "Dagtilbud & Skole": (17, 9, 26),
        "Kultur, Fritid & Ejendomme": (5, 3, 8),
        "Miljø & Teknik": (4, 3, 7),
        "Ældre, Sundhed & Social": (34, 4, 38),
        "Økonomi & Stab": (1, 0, 1),
        "Øvrige": (12, 0, 12),
    }
    assert {d["name"]: (d["main"], d["follow_up"], d["total"])
            for d in data["departments"]} == published
    assert (data["inquiries"], data["points"]) == (162, 203)
    a = data["appeals"]
    assert (a["decisions"], a["decided"], a["with_remarks"]) == (64, 60, 31)
    t3 = {r["name"]: (r["no_remarks"], r["remarks"], r["rejected"]) for r in a["by_department"]
          if r["total"]}
    assert t3 == {"Børn & Familie": (7, 10, 2), "Borger, Arbejdsmarked & Erhverv": (11, 14, 2),
                  "Ældre, Sundhed & Social": (11, 7, 0)}
    assert run("check", str(target), "--strict").returncode == 0
    # the demo's records are committed: the app opens with nothing uncommitted
    status = subprocess.run(["git", "-C", str(target), "status", "--porcelain"],
                            capture_output=True, text=True)
    assert status.returncode == 0 and status.stdout == ""


def test_demo_on_an_existing_folder_opens_it_without_writing(folder, monkeypatch, capsys):
    opened = []
    monkeypatch.setattr("tui.commands.open.open_folder",
                        lambda f, lang, ask_create=False: opened.append(f) or 0)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*.toml"))
    assert main(["demo", str(folder)]) == 0
    assert opened == [str(folder)]
    assert sorted(p.relative_to(folder) for p in folder.rglob("*.toml")) == before
    # --no-open still refuses to write into it
    assert main(["demo", str(folder), "--no-open"]) == 1
