"""The renderers of the report's tables: text, Markdown, CSV, and the summary's sections."""

from __future__ import annotations

import csv
import io
from datetime import date

from rich.console import Console

from store.domain.periods import period_of
from store.domain.records import Appeal, Inquiry, Point
from store.domain.summary import Tally, across_periods, build_report
from store.domain.taxonomy import default_settings
from tui import render as rd
from tui.i18n import set_language

BF, BAE = "Børn & Familie", "Borger, Arbejdsmarked & Erhverv"



def report(extra_departments=()):
    s = default_settings()
    records = [
        Inquiry("2024-04-03-aaaa", date(2024, 4, 3), "complaint", "open",
                Point(BF, "Forvaltningsskik", "Inddragelse"),
                follow_up=(Point(BAE, "Andet", "Anden offentligretlig lovgivning"),)),
        Inquiry("2024-05-03-bbbb", date(2024, 5, 3), "inquiry", "open",
                Point(BF, "Forvaltningsskik", "Inddragelse")),
        Inquiry("2023-05-03-cccc", date(2023, 5, 3), "complaint", "open",
                Point(BAE, "GDPR", "Behandlingssikkerhed")),
        *[Inquiry(f"2024-06-0{i}-dddd", date(2024, 6, i), "complaint", "open",
                  Point(d, "Andet", "Privatretlige spørgsmål"))
          for i, d in enumerate(extra_departments, start=1)],
        Appeal("2024-05-10-eeee", date(2024, 5, 10), "Ankestyrelsen", BF, "remarks",
               ("Sagsbehandlingstid", "Utilstrækkelig begrundelse")),
        Appeal("2024-05-11-ffff", date(2024, 5, 11), "Ankestyrelsen", BF, "rejected"),
        Appeal("2024-05-12-gggg", date(2024, 5, 12), "Ankestyrelsen", BAE, "no-remarks"),
    ]
    tally = Tally.of(s, [r for r in records if isinstance(r, Inquiry)],
                     [r for r in records if isinstance(r, Appeal)])
    return tally, build_report(tally, period_of(date(2024, 4, 3), s.period_start))


def line_of(text: str, start: str) -> list[str]:
    return next(ln for ln in text.splitlines() if ln.strip().startswith(start)).split()


def test_text_has_the_numbers():
    _, r = report()
    text = rd.render_text(r)
    assert "2 henvendelser med i alt 3 klagepunkter" in text
    assert line_of(text, "Børn & Familie")[3:7] == ["2", "0", "2", "66,7"]
    assert line_of(text, "I alt")[2:5] == ["2", "1", "3"]  # Tabel 1: main, follow-up, total
    assert "bemærkninger til sagsbehandlingen i 1 af 2 sager" in text
    assert "\x1b" not in text  # no colour codes in a file


def test_markdown_has_the_numbers_and_escapes_pipes():
    _, r = report(extra_departments=("Afd | med *stjerne*",))
    md = rd.render_markdown(r)
    assert "| **I alt** | **3** | **1** | **4** | **100,0 %** | **1** |" in md
    assert "| Børn & Familie | 2 | 0 | 2 | 50,0 % | 0 |" in md
    assert "Afd \\| med \\*stjerne\\*" in md
    lines = md.splitlines()
    row = next(ln for ln in lines if ln.startswith("| Afd \\|"))
    header = next(ln for ln in lines if ln.startswith("| Afdeling | Hovedsag"))
    # an escaped pipe never opens a cell: the row has as many cells as Tabel 1's header
    assert row.replace("\\|", "").count("|") == header.count("|")


def test_csv_has_the_numbers():
    _, r = report()
    rows = list(csv.reader(io.StringIO(rd.render_csv(r))))
    t1 = rows.index(["Tabel 1 Fordeling af henvendelser i de enkelte afdelinger"])
    assert rows[t1 + 1][:4] == ["Afdeling", "Hovedsag", "Følgesager", "Sager i alt"]
    bf = next(row for row in rows[t1:] if row[0] == BF)
    assert bf[1:4] == ["2", "0", "2"]
    total = next(row for row in rows[t1:] if row[0] == "I alt")
    assert total[1:4] == ["2", "1", "3"]
    t3 = next(i for i, row in enumerate(rows) if row and row[0].startswith("Tabel 3"))
    bf3 = next(row for row in rows[t3:] if row[0] == BF)
    assert bf3[1:5] == ["0", "1", "1", "2"]


def test_summary_sections_show_figures_and_previous_period():
    tally, r = report()
    across = across_periods(tally, r.period, 3)
    items = rd.summary_renderables(r, across, "Forvaltningsskik")
    buf = io.StringIO()
    Console(file=buf, width=200, no_color=True).print(*items)
    out = buf.getvalue()
    assert "Figur 1" in out and "Figur 2" in out and "Figur 3" in out
    assert "Figur 4: Emner under 'Forvaltningsskik'" in out
    figure4 = out[out.index("Figur 4"):]
    assert line_of(figure4, "Inddragelse")[:3] == ["Inddragelse", "2", "0"]  # now, before
    assert "2022/23" in out and "2023/24" in out  # Figur 2: three periods side by side
    assert "█" in out  # bars read without colour
    assert rd.theme_names(r) == ["Andet", "GDPR", "Forvaltningsskik"]


def test_english_labels():
    set_language("en")
    _, r = report()
    md = rd.render_markdown(r)
    assert "## Table 1 Inquiries by department" in md
    assert "| **Total** | **2** | **1** | **3** | **100.0 %** | **1** |" in md


def test_markup_in_names_is_literal():
    _, r = report(extra_departments=("[bold]Afd[/bold]",))
    text = rd.render_text(r)
    assert "[bold]Afd[/bold]" in text
