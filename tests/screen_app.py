"""A minimal App for testing one screen on its own, and a small fixture folder.

The screens of the summary, the appeal decisions and the problems read
``self.app.workspace``; ``ScreenApp(workspace, screen_factory)`` gives them
one without the real app (tui/app.py), so these tests do not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from store.domain.records import Appeal, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.workspace.workspace import Workspace

TODAY = "2025-02-14"  # CASELOG_TODAY of the tests: in 2024/25


class ScreenApp(App):
    """Pushes one screen over an empty base screen."""

    def __init__(self, workspace: Workspace, screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.workspace = workspace
        self._make_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())


def P(dept: str, theme: str, sub: str | None = None) -> Point:  # noqa: N802
    return Point(dept, theme, sub)


def fixture_records() -> list[Inquiry | Appeal]:
    """A few inquiries and decisions in 2022/23, 2023/24 and 2024/25."""
    bf, bae, oe = "Børn & Familie", "Borger, Arbejdsmarked & Erhverv", "Øvrige"
    fs, andet = "Forvaltningsskik", "Andet"
    return [
        Inquiry("2022-09-01-a001", date(2022, 9, 1), "complaint", "closed",
                P(bf, fs, "Inddragelse"), closed=date(2022, 9, 20), channel="Telefon",
                title="Gammel sag"),
        Inquiry("2023-05-02-a002", date(2023, 5, 2), "complaint", "closed",
                P(bae, andet, "Anden offentligretlig lovgivning"), closed=date(2023, 6, 1),
                channel="Mail", title="Sidste år"),
        Inquiry("2023-11-12-a003", date(2023, 11, 12), "inquiry", "closed",
                P(bf, fs, "Sagsbehandlingstid og manglende svar"), closed=date(2023, 12, 1),
                channel="Telefon", title="Ventetid"),
        Inquiry("2024-04-03-a004", date(2024, 4, 3), "complaint", "closed",
                P(bae, andet, "Anden offentligretlig lovgivning"),
                follow_up=(P(bf, fs, "Inddragelse"), P(bae, fs, "Opfølgning")),
                closed=date(2024, 4, 20), channel="Telefon",
                title="Titel med [bold]markup[/bold] | pipe"),
        Inquiry("2024-06-10-a005", date(2024, 6, 10), "inquiry", "open",
                P(bf, fs, "Sagsbehandlingstid og manglende svar"), channel="Mail",
                title="Svar mangler"),
        Inquiry("2024-09-30-a006", date(2024, 9, 30), "complaint", "closed",
                P(oe, "GDPR", "Behandlingssikkerhed"), closed=date(2024, 10, 5),
                channel="Brev", title="Udbetaling Danmark"),
        Inquiry("2024-12-01-a007", date(2024, 12, 1), "complaint-help", "closed",
                P(bf, andet, "Privatretlige spørgsmål"), closed=date(2024, 12, 2),
                channel="Telefon", title="Hjælp til klage"),
        Inquiry("2025-01-15-a008", date(2025, 1, 15), "complaint", "open",
                P("Ældre, Sundhed & Social", fs, "Betjening af borgerne"), channel="Telefon",
                title="Hjemmepleje"),
        Appeal("2023-08-01-b001", date(2023, 8, 1), "Ankestyrelsen", bf, "no-remarks",
               result="Stadfæstet"),
        Appeal("2024-05-10-b002", date(2024, 5, 10), "Ankestyrelsen", bf, "remarks",
               ("Utilstrækkelig begrundelse", "Sagsbehandlingstid"), result="Hjemvist"),
        Appeal("2024-07-01-b003", date(2024, 7, 1), "Ankestyrelsen", bae, "no-remarks",
               result="Stadfæstet"),
        Appeal("2024-08-15-b004", date(2024, 8, 15), "Klagenævnet for Specialundervisning",
               "Dagtilbud & Skole", "rejected"),
    ]


def make_folder(root: Path) -> Path:
    """A data folder with the default taxonomy and ``fixture_records()``."""
    DataFolder.init(root)
    ws = Workspace.open(root)
    for r in fixture_records():
        ws.save(r)
    return root
