"""Fixtures for the store tests: the default settings and a fresh data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.folder import DataFolder
from store.taxonomy import Settings, default_settings


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
