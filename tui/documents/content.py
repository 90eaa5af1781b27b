"""What the statistical appendix holds, before it is laid out as docx, html or xlsx.

``build`` turns one ``Report`` (the computation behind ``caselog report
--format json``) into a ``Document``: the title and headline, then Bilag 1
(Tabel 1 and 2 with Figur 1-4) and Bilag 2 (Tabel 3 and 4). The tables are
the models of ``tui.tables`` that the text, Markdown and CSV reports print;
the figures are read off them (``figures.py``). Nothing here counts.

Only counts and the taxonomy's names go in: no titles, notes or citizen data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from store.domain.summary import Report

from .. import tables as tm
from ..i18n import t
from . import figures as fg

Block = tm.TableModel | fg.Figure


@dataclass
class Section:
    title: str
    intro: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = False


@dataclass
class Document:
    title: str
    period: str  # "Periode 2024/25: 2024-04-01 – 2025-03-31"
    headline: list[str]
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # at the end (problems in the folder)
    language: str = "da"

    def tables(self) -> list[tm.TableModel]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, tm.TableModel)]

    def figures(self) -> list[fg.Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, fg.Figure)]


def legend(report: Report) -> str:
    """The short department names of Tabel 2's columns, spelt out."""
    s = report.settings
    pairs = [(s.short_name(d), d) for d in report.departments if s.short_name(d) != d]
    return t("document.legend", legend="; ".join(f"{a} = {b}" for a, b in pairs)) if pairs else ""


def build(report: Report, across, focus_theme: str, show_zero: bool = False,
          problem_files: int = 0) -> Document:
    """The appendix of ``report``; ``across = across_periods(...)`` gives Figur 2."""
    from ..i18n import language

    t1, t2, t3, t4 = tm.report_tables(report, show_zero)
    key = legend(report)
    if key:
        t2 = dataclasses.replace(t2, notes=[*t2.notes, key])
    period, previous = report.period.label, report.previous.label
    periods, rows = across
    appendix1 = Section(t("document.appendix1"), [], [
        t1,
        fg.figure1(t1, period),
        fg.figure2(periods, rows, report.settings.department_names),
        t2,
        fg.figure3(t2, period, previous),
        fg.figure4(t2, focus_theme, period, previous),
    ])
    # Tabel 3's sentence ("bemærkninger ... i 31 af 60 sager") opens Bilag 2, as in the report
    appendix2 = Section(t("document.appendix2"), list(t3.notes),
                        [dataclasses.replace(t3, notes=[]), t4], new_page=True)
    notes = [t("document.warnings", n=problem_files)] if problem_files else []
    return Document(
        title=t("report.title", period=period),
        period=tm.period_line(report),
        headline=tm.headline_text(report),
        sections=[appendix1, appendix2],
        notes=notes,
        language=language(),
    )
