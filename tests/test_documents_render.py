"""The documents as a reader gets them: the docx through LibreOffice, the html through
Chromium, to PDF and PNG pages.

What can be checked without eyes is checked: the conversion succeeds, the
pages hold every table title, the seed report's numbers and the Danish
letters as text, the four charts as pictures, and no two words of the text
overlap or run off the page. The PNG pages are left in pytest's temporary
folder to look at (``docs/make_appendix_png.py`` makes the README's picture
the same way).

These tools are Debian packages a developer may not have; each test says
which one it misses and is skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from test_documents import PERIOD, run_main

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfimages"))

needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm, pdfimages) is not installed")
needs_soffice = pytest.mark.skipif(
    not SOFFICE, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)")

TITLES = [
    "Tabel 1 Fordeling af henvendelser i de enkelte afdelinger",
    "Tabel 2: Sager fordelt efter emne og afdeling",
    "Tabel 3: Oversigt over klagesagsafgørelser fra Ankestyrelsen",
    "Tabel 4: Oversigt over temaet for Ankestyrelsens bemærkninger i klagesagsafgørelser",
    "Figur 1: Forholdsmæssig fordeling mellem afdelingerne",
    "Figur 2: Sager pr. afdeling over perioderne",
    "Figur 3: Tema for henvendelserne",
    "Figur 4: Emner under 'Forvaltningsskik'",
]
# rows of the seed report's tables, as they read on the page
ROWS = [
    "Borger, Arbejdsmarked & Erhverv 50 10 60 29,6 % 62",
    "Ældre, Sundhed & Social 34 4 38 18,7 % 40",
    "Økonomi & Stab 1 0 1 0,5 % 1",
    "I alt 162 41 203 100,0 % 201",
    "Forvaltningsskik 20 23 17 3 5 16 1 0 85 99",
    "Åbenhed og tillid 4 4 7 1 1 2 0 0 19 11",
    "I alt 60 51 26 8 7 38 1 12 203 201",
    "I alt 29 31 4 64 62",
    "I alt 17 17 5",
]
# header words of narrow columns: each must stay whole, not broken over two lines
HEADER_WORDS = ["Hovedsag", "Følgesager", "bemærkninger", "Utilstrækkelig", "begrundelse",
                "sagsoplysning", "Sagsbehandlingstid", "2023/24"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "d"
    run_main("demo", str(root), "--no-open")
    return root


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def page_size(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    assert m
    return float(m.group(1)), float(m.group(2))


def overlaps(page) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap (more than a hair: glyphs' boxes touch)."""
    found = []
    boxes = sorted(page)
    for i, (x0, y0, x1, y1, w) in enumerate(boxes):
        for a0, b0, a1, b1, v in boxes[i + 1:]:
            if a0 >= x1 - 0.5:
                break
            dx = min(x1, a1) - max(x0, a0)
            dy = min(y1, b1) - max(y0, b0)
            if dx > 0.5 and dy > 0.5:
                found.append((w, v))
    return found


def check_pdf(pdf: Path, pictures: int) -> str:
    """The checks every rendering must pass; the words of all pages, a space between them."""
    pages = words(pdf)
    assert len(pages) >= 4
    width, height = page_size(pdf)
    assert sum(len(page) for page in pages) > 500
    for n, page in enumerate(pages, start=1):
        assert page, f"page {n} is empty"
        assert overlaps(page) == [], f"page {n}"
        for x0, y0, x1, y1, w in page:
            assert 0 < x0 and x1 < width and 0 < y0 and y1 < height, (n, w)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                            text=True, timeout=120, check=True).stdout
    lines = {" ".join(line.split()) for line in layout.splitlines()}
    text = " ".join(w for page in pages for *_, w in page)
    for title in TITLES:
        assert title in text
    for row in ROWS:
        assert row in lines
    found = {w for page in pages for *_, w in page}
    for word in HEADER_WORDS:
        assert word in found
        broken = [word[:k] for k in range(len(word) // 2, len(word)) if word[:k] in found]
        assert broken == [], word
    assert "�" not in text and "Ã" not in text  # no broken Danish letters
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                             timeout=60, check=True).stdout.splitlines()[2:]
    if pictures:
        assert [line.split()[2] for line in listing] == ["image"] * pictures  # no masks
    return text


def to_png(pdf: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))],
                   check=True, timeout=120)
    pngs = sorted(pdf.parent.glob(pdf.stem + "-*.png"))
    assert pngs and all(p.stat().st_size > 5000 for p in pngs)
    return pngs


def test_the_overlap_check_sees_overlaps():
    assert overlaps([(10, 10, 50, 20, "Sager"), (60, 10, 80, 20, "i alt")]) == []
    assert overlaps([(10, 10, 50, 20, "Følgesager"), (45, 12, 80, 22, "Sager")]) == [
        ("Følgesager", "Sager")]
    assert overlaps([(10, 10, 50, 20, "a"), (10, 20, 50, 30, "b")]) == []  # lines touching


@needs_soffice
@needs_poppler
def test_docx_through_libreoffice(demo, tmp_path):
    docx = tmp_path / "bilag.docx"
    run_main("report", str(demo), "--period", PERIOD, "--format", "docx", "-o", str(docx))
    r = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                        "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                       capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "bilag.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    assert "Error" not in r.stderr
    check_pdf(pdf, pictures=4)
    to_png(pdf)


@needs_chromium
@needs_poppler
def test_html_through_chromium(demo, tmp_path):
    page = tmp_path / "bilag.html"
    run_main("report", str(demo), "--period", PERIOD, "--format", "html", "-o", str(page))
    pdf = tmp_path / "bilag-html.pdf"
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={tmp_path}/chromium", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and pdf.exists(), r.stderr
    check_pdf(pdf, pictures=0)  # the charts are vector drawings, not pictures
    to_png(pdf)
