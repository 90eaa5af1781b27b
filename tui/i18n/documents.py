"""Words of the report as a document (docx, html, xlsx): the appendices' headings."""

DA = {
    "document.appendix1": "Bilag 1: Uddybende statistik",
    "document.appendix2": "Bilag 2: Klagesager fra Ankestyrelsen",
    "document.legend": "Forkortelser: {legend}.",
    "document.no_bars": "Ingen sager i perioden.",
    "document.warnings": (
        "{n} filer kunne ikke læses eller passede ikke til caselog.toml, da tabellerne blev lavet, "
        "og tælles måske ikke med (se caselog check)."
    ),
    "document.page": "Side",
    "document.figure2.sheet": "Figur 2",
    "document.sheet": "Tabel {n}",
}

EN = {
    "document.appendix1": "Appendix 1: Detailed statistics",
    "document.appendix2": "Appendix 2: Appeal-board decisions",
    "document.legend": "Abbreviations: {legend}.",
    "document.no_bars": "No issues in the period.",
    "document.warnings": (
        "{n} files could not be read or did not fit caselog.toml when the tables were made, "
        "and may not be counted (see caselog check)."
    ),
    "document.page": "Page",
    "document.figure2.sheet": "Figure 2",
    "document.sheet": "Table {n}",
}
