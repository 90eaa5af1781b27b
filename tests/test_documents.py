"""The report as a document (docx, html, xlsx): the same numbers as --format json.

Every table of every document is read back (python-docx, html.parser,
openpyxl) and compared cell by cell with what ``caselog report --format
json`` says for the same folder, this period and the ones before; the charts'
data are caught on their way to the plotting code and compared likewise.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from store.domain.records import Appeal, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.workspace.workspace import Workspace
from tui.cli import main
from tui.i18n import set_language

PERIOD, PREVIOUS, EARLIEST = "2024/25", "2023/24", "2022/23"


def run_main(*args: str) -> str:
    """``caselog ARGS`` in this process; its standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(args)) == 0
    set_language("da")
    return out.getvalue()


def report_json(root: Path, period: str) -> dict:
    return json.loads(run_main("report", str(root), "--period", period, "--format", "json"))


def make_documents(root: Path, out: Path, *extra: str) -> dict[str, Path]:
    paths = {}
    for fmt in ("docx", "html", "xlsx"):
        path = out / f"bilag.{fmt}"
        run_main("report", str(root), "--period", PERIOD, "--format", fmt, "-o", str(path), *extra)
        paths[fmt] = path
    return paths


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "d"
    run_main("demo", str(root), "--no-open")
    return root


@pytest.fixture(scope="module")
def documents(demo, tmp_path_factory):
    return make_documents(demo, tmp_path_factory.mktemp("out"))


# ---------------------------------------------------------------------------
# What the tables must hold, from the JSON alone (the text report's rules:
# rows without issues in this period and the one before are left out, except a
# department of the taxonomy in Tabel 1).


def pct(n: float) -> str:
    return f"{n:.1f} %".replace(".", ",")


def expected_tables(root: Path) -> list[list[list]]:
    """Tabel 1-4 as rows of cells (header first); numbers as ints, shares as floats."""
    cur, prev = report_json(root, PERIOD), report_json(root, PREVIOUS)
    settings = DataFolder(root).settings()
    known = set(settings.department_names)
    depts = [d["name"] for d in cur["departments"]]
    prev_dept = {d["name"]: d["total"] for d in prev["departments"]}
    points = cur["points"]

    t1 = [["Afdeling", "Hovedsag", "Følgesager", "Sager i alt", "Andel", PREVIOUS]]
    for d in cur["departments"]:
        if d["total"] or prev_dept.get(d["name"]) or d["name"] in known:
            t1.append([d["name"], d["main"], d["follow_up"], d["total"],
                       100.0 * d["total"] / points, prev_dept.get(d["name"], 0)])
    t1.append(["I alt", sum(d["main"] for d in cur["departments"]),
               sum(d["follow_up"] for d in cur["departments"]), points, 100.0, prev["points"]])

    prev_theme = {(r["theme"], r["subtheme"]): r["total"] for r in prev["themes"]}
    t2 = [["Emne", *[settings.short_name(d) for d in depts], "I alt", PREVIOUS]]
    for r in cur["themes"]:
        before = prev_theme.get((r["theme"], r["subtheme"]), 0)
        if r["total"] or before:
            t2.append([r["subtheme"] or r["theme"], *[r["by_department"][d] for d in depts],
                       r["total"], before])
    themes = [r for r in cur["themes"] if r["subtheme"] is None]
    t2.append(["I alt", *[sum(r["by_department"][d] for r in themes) for d in depts],
               sum(r["total"] for r in themes),
               sum(r["total"] for r in prev["themes"] if r["subtheme"] is None)])

    a, pa = cur["appeals"], prev["appeals"]
    prev_appeal = {r["name"]: r["total"] for r in pa["by_department"]}
    t3 = [["Afdeling", "Uden bemærkninger", "Med bemærkninger", "Klage afvist", "Sager i alt",
           PREVIOUS]]
    for r in a["by_department"]:
        if r["total"] or prev_appeal.get(r["name"]):
            t3.append([r["name"], r["no_remarks"], r["remarks"], r["rejected"], r["total"],
                       prev_appeal.get(r["name"], 0)])
    t3.append(["I alt", sum(r["no_remarks"] for r in a["by_department"]),
               sum(r["remarks"] for r in a["by_department"]),
               sum(r["rejected"] for r in a["by_department"]), a["decisions"], pa["decisions"]])

    active = {r["name"] for r in a["by_department"] if r["total"]}
    active |= {r["name"] for r in pa["by_department"] if r["total"]}
    t4 = [["Afdeling", *[r["name"] for r in a["remarks"]]]]
    for d in depts:
        values = [r["by_department"][d] for r in a["remarks"]]
        if any(values) or d in active:
            t4.append([d, *values])
    t4.append(["I alt", *[r["total"] for r in a["remarks"]]])
    t4.append([PREVIOUS, *[r["total"] for r in pa["remarks"]]])
    return [t1, t2, t3, t4]


def as_text(table: list[list]) -> list[list[str]]:
    """The cells as a document writes them: shares in the Danish way."""
    out = []
    for row in table:
        out.append([pct(c) if isinstance(c, float) else str(c) for c in row])
    return out


# ---------------------------------------------------------------------------
# Reading the documents back


def docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    doc = docx.Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


class TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption))
            self._caption = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def html_tables(path: Path) -> TableParser:
    p = TableParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def xlsx_tables(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(min_row=3, values_only=True):
            if all(v is None for v in row):
                break
            rows.append(list(row))
        out[ws.title] = [ws["A1"].value, rows]
    return out


def xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


# ---------------------------------------------------------------------------
# The demo: the published numbers, cell by cell


TITLES = [
    "Tabel 1 Fordeling af henvendelser i de enkelte afdelinger",
    "Tabel 2: Sager fordelt efter emne og afdeling",
    "Tabel 3: Oversigt over klagesagsafgørelser fra Ankestyrelsen",
    "Tabel 4: Oversigt over temaet for Ankestyrelsens bemærkninger i klagesagsafgørelser",
]


def test_docx_tables_equal_the_json(demo, documents):
    got = docx_tables(documents["docx"])
    want = expected_tables(demo)
    assert len(got) == 4
    for g, w in zip(got, want, strict=True):
        assert g == as_text(w)
    # the seed report's Tabel 1, as a reader sees it
    assert got[0][1] == ["Borger, Arbejdsmarked & Erhverv", "50", "10", "60", "29,6 %", "62"]
    assert got[0][-1][:4] == ["I alt", "162", "41", "203"]


def test_docx_titles_headline_and_pictures(demo, documents):
    import docx

    doc = docx.Document(str(documents["docx"]))
    text = [p.text for p in doc.paragraphs]
    for title in TITLES:
        assert title in text
    for figure in ("Figur 1: Forholdsmæssig fordeling mellem afdelingerne",
                   "Figur 2: Sager pr. afdeling over perioderne", "Figur 3: Tema for henvendelserne",
                   "Figur 4: Emner under 'Forvaltningsskik'"):
        assert figure in text
    assert "Bilag 1: Uddybende statistik" in text and "Bilag 2: Klagesager fra Ankestyrelsen" in text
    assert any(t.startswith("162 henvendelser med i alt 203 klagepunkter") for t in text)
    assert any("i 31 af 60 sager" in t for t in text)
    assert len(doc.inline_shapes) == 4
    with zipfile.ZipFile(documents["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 4 and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    # numbers right-aligned, names left
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    row = doc.tables[0].rows[1].cells
    assert row[0].paragraphs[0].alignment is None
    assert all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in row[1:])
    assert doc.core_properties.author == "caselog"


def test_html_tables_equal_the_json(demo, documents):
    parsed = html_tables(documents["html"])
    assert parsed.captions == TITLES
    for g, w in zip(parsed.tables, expected_tables(demo), strict=True):
        assert g == as_text(w)
    html = documents["html"].read_text(encoding="utf-8")
    assert html.count("<svg") == 4
    # self-contained: nothing is fetched, every reference is to an element of the page
    body = re.sub(r'xmlns(:xlink)?="http://www\.w3\.org/[^"]*"', "", html)
    for needle in ("http://", "https://", "src=", "@import", "<link", "<script"):
        assert needle not in body
    assert not re.findall(r'url\((?!#)|href="(?!#)', body)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) > 20 and len(ids) == len(set(ids))  # four charts in one page: no id twice
    refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', html))
    assert refs and refs <= set(ids)
    assert '<html lang="da">' in html and '<meta charset="utf-8">' in html


def test_xlsx_cells_equal_the_json(demo, documents):
    sheets = xlsx_tables(documents["xlsx"])
    assert list(sheets) == ["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4", "Figur 2"]
    for name, title, want in zip(list(sheets)[:4], TITLES, expected_tables(demo), strict=True):
        got_title, rows = sheets[name]
        assert got_title == title
        assert len(rows) == len(want)
        for g, w in zip(rows, want, strict=True):
            assert len(g) >= len(w)
            for gc, wc in zip(g, w, strict=False):
                if isinstance(wc, float):  # a share: a fraction, shown with a per-cent format
                    assert gc == pytest.approx(wc / 100)
                else:
                    assert gc == wc and type(gc) is type(wc)  # numbers as numbers
    from openpyxl import load_workbook

    ws = load_workbook(documents["xlsx"])["Tabel 1"]
    assert ws["E4"].number_format == "0.0 %"
    # Figur 2's numbers: the departments across the three periods
    per = {p: {d["name"]: d["total"] for d in report_json(demo, p)["departments"]}
           for p in (EARLIEST, PREVIOUS, PERIOD)}
    header, *rows = sheets["Figur 2"][1]
    assert header == ["Afdeling", EARLIEST, PREVIOUS, PERIOD]
    assert rows == [[d, per[EARLIEST][d], per[PREVIOUS][d], per[PERIOD][d]] for d in per[PERIOD]]


def test_each_chart_draws_the_numbers_of_its_table(demo, tmp_path, monkeypatch):
    from tui.documents import charts

    drawn = []
    real = charts.png

    def spy(figure, *a, **k):
        drawn.append(figure)
        return real(figure, *a, **k)

    monkeypatch.setattr(charts, "png", spy)
    out = tmp_path / "b.docx"
    run_main("report", str(demo), "--period", PERIOD, "--format", "docx", "-o", str(out))
    assert [f.key for f in drawn] == ["f1", "f2", "f3", "f4"]
    f1, f2, f3, f4 = drawn
    cur, prev = report_json(demo, PERIOD), report_json(demo, PREVIOUS)

    assert f1.labels == tuple(d["name"] for d in cur["departments"])
    assert [s.label for s in f1.series] == [PERIOD]
    assert f1.series[0].values == pytest.approx(
        [100.0 * d["total"] / cur["points"] for d in cur["departments"]])
    assert f1.text(f1.series[0].values[0]) == "29,6 %"

    per = [report_json(demo, p) for p in (EARLIEST, PREVIOUS, PERIOD)]
    assert [s.label for s in f2.series] == [EARLIEST, PREVIOUS, PERIOD]
    assert f2.labels == tuple(d["name"] for d in cur["departments"])
    for s, data in zip(f2.series, per, strict=True):
        assert list(s.values) == [d["total"] for d in data["departments"]]
    assert [s.current for s in f2.series] == [False, False, True]

    prev_theme = {(r["theme"], r["subtheme"]): r["total"] for r in prev["themes"]}
    themes = [r for r in cur["themes"] if r["subtheme"] is None
              and (r["total"] or prev_theme.get((r["theme"], None)))]
    assert f3.labels == tuple(r["theme"] for r in themes)
    assert [s.label for s in f3.series] == [PREVIOUS, PERIOD]
    assert list(f3.series[1].values) == [r["total"] for r in themes]
    assert list(f3.series[0].values) == [prev_theme.get((r["theme"], None), 0) for r in themes]
    assert dict(zip(f3.labels, f3.series[1].values, strict=True))["Forvaltningsskik"] == 85

    subs = [r for r in cur["themes"] if r["theme"] == "Forvaltningsskik" and r["subtheme"]
            and (r["total"] or prev_theme.get((r["theme"], r["subtheme"])))]
    assert f4.labels == tuple(r["subtheme"] for r in subs)
    assert list(f4.series[1].values) == [r["total"] for r in subs]
    assert list(f4.series[0].values) == [prev_theme.get((r["theme"], r["subtheme"]), 0)
                                         for r in subs]
    assert sum(f4.series[1].values) == 85


def test_figure_options_periods_and_theme(demo, tmp_path, monkeypatch):
    from tui.documents import charts

    drawn = []
    monkeypatch.setattr(charts, "svg", lambda f: drawn.append(f) or "<svg></svg>")
    out = tmp_path / "b.html"
    run_main("report", str(demo), "--period", PERIOD, "--format", "html", "-o", str(out),
             "--periods", "2", "--figure4-theme", "gdpr")
    f2, f4 = drawn[1], drawn[3]
    assert [s.label for s in f2.series] == [PREVIOUS, PERIOD]
    gdpr = [r for r in report_json(demo, PERIOD)["themes"] if r["theme"] == "GDPR" and r["subtheme"]]
    assert f4.title == "Figur 4: Emner under 'GDPR'"
    assert list(f4.series[1].values) == [r["total"] for r in gdpr if r["total"]]


def test_unknown_theme_for_figure4_is_one_plain_line(demo, tmp_path):
    r = subprocess.run([sys.executable, "-m", "tui.cli", "report", str(demo), "--period", PERIOD,
                        "--format", "docx", "-o", str(tmp_path / "x.docx"),
                        "--figure4-theme", "Ingenting"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "Ingenting" in r.stderr
    assert "Forvaltningsskik" in r.stderr
    assert not (tmp_path / "x.docx").exists()


def test_english_titles_with_lang_en(demo, tmp_path):
    paths = make_documents(demo, tmp_path, "--lang", "en")
    import docx

    text = [p.text for p in docx.Document(str(paths["docx"])).paragraphs]
    assert "Table 1 Inquiries by department" in text
    assert "Appendix 1: Detailed statistics" in text
    assert "Figure 4: Subthemes of 'Forvaltningsskik'" in text
    assert docx_tables(paths["docx"])[0][1][4] == "29.6 %"
    assert html_tables(paths["html"]).captions[0] == "Table 1 Inquiries by department"
    assert '<html lang="en">' in paths["html"].read_text(encoding="utf-8")
    assert list(xlsx_tables(paths["xlsx"]))[:2] == ["Table 1", "Table 2"]


def test_files_are_private(documents):
    for path in documents.values():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_docx_to_standard_output_when_it_is_not_a_terminal(demo):
    r = subprocess.run([sys.executable, "-m", "tui.cli", "report", str(demo), "--period", PERIOD,
                        "--format", "docx"], capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stdout[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(r.stdout)) as z:
        assert "word/document.xml" in z.namelist()


# ---------------------------------------------------------------------------
# No personal data


def test_no_titles_notes_or_citizen_data_in_any_document(demo, documents):
    data = DataFolder(demo)
    result = data.load(data.settings())
    needles = set()
    for r in result.inquiries.values():
        needles |= {r.title, r.notes}
        if r.citizen:
            needles |= {r.citizen.name, r.citizen.phone, r.citizen.email}
    needles = {n.strip() for n in needles if n and len(n.strip()) >= 6}
    assert len(needles) > 100  # the demo has titles, notes and citizens to leak
    contents = {
        "docx": xml_text(documents["docx"]),
        "xlsx": xml_text(documents["xlsx"]),
        "html": documents["html"].read_text(encoding="utf-8"),
    }
    for fmt, text in contents.items():
        leaked = [n for n in needles if n in text or escape(n, quote=False) in text]
        assert leaked == [], (fmt, leaked[:3])
    # and the record ids (which name the files) are not there either
    ids = list(result.inquiries)
    for fmt, text in contents.items():
        assert not [i for i in ids if i in text], fmt


# ---------------------------------------------------------------------------
# An unknown department and rows without issues: as the text report shows them


@pytest.fixture
def odd_folder(tmp_path):
    root = tmp_path / "odd"
    DataFolder.init(root)
    ws = Workspace.open(root)
    for r in [
        Inquiry("2024-04-03-aaaa", date(2024, 4, 3), "complaint", "open",
                Point("Teknisk Forvaltning", "Forvaltningsskik", "Inddragelse"),
                follow_up=(Point("Børn & Familie", "GDPR", "Behandlingssikkerhed"),)),
        Inquiry("2024-05-03-bbbb", date(2024, 5, 3), "inquiry", "open",
                Point("Børn & Familie", "Forvaltningsskik", "Inddragelse")),
        Appeal("2024-05-10-eeee", date(2024, 5, 10), "Ankestyrelsen", "Børn & Familie",
               "remarks", ("Sagsbehandlingstid",)),
    ]:
        ws.save(r)
    return root


def test_unknown_department_and_zero_rows_as_in_the_text_report(odd_folder, tmp_path):
    paths = make_documents(odd_folder, tmp_path)
    text = run_main("report", str(odd_folder), "--period", PERIOD)
    lines = {tuple(line.split()) for line in text.splitlines()}
    tables = docx_tables(paths["docx"])
    for table in tables:
        for row in table[1:]:
            assert tuple(" ".join(row).split()) in lines, row
    t1, t2, _t3, t4 = tables
    names = [r[0] for r in t1]
    # the unknown department has its own row, after the taxonomy's; every known one is there
    assert names[-2:] == ["Teknisk Forvaltning", "I alt"]
    assert t1[names.index("Teknisk Forvaltning")][1:5] == ["1", "0", "1", "33,3 %"]
    assert t1[names.index("Økonomi & Stab")][1:5] == ["0", "0", "0", "0,0 %"]
    assert len(t1) == 1 + 8 + 1 + 1
    # Tabel 2: a column for the unknown department, zero rows left out as in the text
    assert t2[0][-3] == "Teknisk Forvaltning"
    labels = [r[0] for r in t2]
    assert "Notatpligt" not in labels and "Andet" not in labels
    assert labels == ["Emne", "GDPR", "Behandlingssikkerhed", "Forvaltningsskik", "Inddragelse",
                      "I alt"]
    assert "Notatpligt" not in text
    assert [r[0] for r in t4] == ["Afdeling", "Børn & Familie", "I alt", PREVIOUS]
    # html and xlsx show the same rows
    for g, d in zip(html_tables(paths["html"]).tables, tables, strict=True):
        assert g == d
    sheets = xlsx_tables(paths["xlsx"])
    for name, d in zip(["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4"], tables, strict=True):
        assert [str(r[0]) for r in sheets[name][1]] == [r[0] for r in d]
    # the problem in the folder is said, without its path
    import docx

    paragraphs = [p.text for p in docx.Document(str(paths["docx"])).paragraphs]
    assert any(p.startswith("1 filer kunne ikke læses") for p in paragraphs)
    assert "2024-04-03-aaaa" not in xml_text(paths["docx"])


def test_show_zero_keeps_every_row(odd_folder, tmp_path):
    paths = make_documents(odd_folder, tmp_path, "--show-zero")
    labels = [r[0] for r in docx_tables(paths["docx"])[1]]
    assert "Notatpligt" in labels and "Andet" in labels


# ---------------------------------------------------------------------------
# Start-up: nothing of this is imported until a document is made


def test_the_app_and_the_command_line_import_no_document_library():
    code = (
        "import tui.app, tui.cli, tui.screens.summary, tui.commands.report; "
        "from tui.cli import build_parser; build_parser(); import sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('docx', 'matplotlib', 'openpyxl', 'numpy', 'PIL', 'lxml')); assert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       cwd=Path(__file__).resolve().parent.parent)
    assert r.returncode == 0, r.stderr


def test_matplotlib_writes_its_cache_in_the_cache_folder_and_says_nothing(tmp_path, demo):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("MPLCONFIGDIR", None)
    out = tmp_path / "b.html"
    r = subprocess.run([sys.executable, "-m", "tui.cli", "report", str(demo), "--period", PERIOD,
                        "--format", "html", "-o", str(out)], capture_output=True, text=True,
                       timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == f"Skrev {out}"  # no font-cache message
    assert (tmp_path / "cache" / "caselog" / "matplotlib").is_dir()
    assert not list(demo.glob("**/fontlist*.json"))
