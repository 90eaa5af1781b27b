"""Fixtures for the store tests: the default settings and a fresh data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.domain.taxonomy import Settings, default_settings
from store.folder.datafolder import DataFolder


@pytest.fixture(autouse=True)
def danish_interface():
    """Every test starts and ends with the Danish interface.

    The interface language is one setting for the process (``--lang en`` in a
    test changes it), so it is reset here rather than in each test file.
    """
    from tui.i18n import set_language

    set_language("da")
    yield
    set_language("da")


@pytest.fixture
def settings() -> Settings:
    return default_settings()


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    """A new data folder with the default taxonomy."""
    return DataFolder.init(tmp_path / "data")


@pytest.fixture
def put(folder: DataFolder):
    """Write a file into the folder (mode 0600, as caselog writes): ``put(rel, text_or_bytes)``."""

    def put(rel: str, content: str | bytes, mode: int = 0o600) -> Path:
        p = folder.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
        os.chmod(p, mode)
        return p

    return put


# ---------------------------------------------------------------------------
# The app: a fixed today, no blinking cursors, a small fixture folder.

APP_TODAY = "2025-05-01"


@pytest.fixture
def app_env(monkeypatch):
    """A fixed today and steady cursors, so that app tests and snapshots do not vary."""
    from textual.widgets import Input, TextArea

    monkeypatch.setenv("CASELOG_TODAY", APP_TODAY)
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


def make_app_folder(root: Path) -> Path:
    """A folder with three inquiries in two periods (2023/24 and 2024/25)."""
    from datetime import date

    from store.domain.records import Inquiry, Point
    from store.workspace.workspace import Workspace

    DataFolder.init(root)
    ws = Workspace.open(root)
    ws.save(Inquiry(
        id="2024-04-03-k7q2", received=date(2024, 4, 3), kind="complaint", status="closed",
        closed=date(2024, 4, 20), channel="Telefon",
        title="Ny aktivering trods fleksjobafklaring", notes="[bold]x[/bold]\nmere tekst",
        main=Point("Borger, Arbejdsmarked & Erhverv", "Andet", "Anden offentligretlig lovgivning"),
        follow_up=(Point("Børn & Familie", "Forvaltningsskik",
                         "Sagsbehandlingstid og manglende svar"),),
    ))
    ws.save(Inquiry(
        id="2024-05-10-a1b2", received=date(2024, 5, 10), kind="inquiry", status="open",
        channel="Mail", title="Spørgsmål om aktindsigt",
        main=Point("Miljø & Teknik", "Offentlighedsloven", "Notatpligt"),
    ))
    ws.save(Inquiry(
        id="2023-06-01-c3d4", received=date(2023, 6, 1), kind="complaint-help", status="open",
        channel="Brev", title="Hjælp til klage over afgørelse",
        main=Point("Ældre, Sundhed & Social", "Hjemmelsspørgsmål", "Afgørelser"),
    ))
    return root


@pytest.fixture
def app_folder(tmp_path: Path, app_env) -> Path:
    return make_app_folder(tmp_path / "data")
