"""Helpers for the git tests: a private git environment and records to save."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from store.domain.records import Appeal, Inquiry, Point

MAIN = Point("Borger, Arbejdsmarked & Erhverv", "Andet", "Anden offentligretlig lovgivning")
FOLLOW = Point("Børn & Familie", "Forvaltningsskik", "Inddragelse")


def isolate_git(monkeypatch: pytest.MonkeyPatch, home: Path, name: str | None = None) -> None:
    """No machine or user git config leaks in; optionally a configured identity."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    if name:
        email = name.split()[0].lower() + "@example.org"
        (home / ".gitconfig").write_text(f"[user]\n\tname = {name}\n\temail = {email}\n")


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def inquiry(rid: str, **kw) -> Inquiry:
    y, m, d = (int(x) for x in rid.split("-")[:3])
    fields = dict(id=rid, received=date(y, m, d), kind="complaint", status="open", main=MAIN,
                  channel="Telefon", title="Borgerens private titel", notes="Private noter om borgeren")
    fields.update(kw)
    return Inquiry(**fields)


def appeal(rid: str, **kw) -> Appeal:
    y, m, d = (int(x) for x in rid.split("-")[:3])
    fields = dict(id=rid, received=date(y, m, d), board="Ankestyrelsen",
                  department="Børn & Familie", outcome="no-remarks")
    fields.update(kw)
    return Appeal(**fields)
