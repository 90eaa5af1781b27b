"""Crashes and full disks: a record file always holds a whole version, old or new.

A writer process is killed (SIGKILL) at random moments while it rewrites one
record over and over; afterwards the file must parse and be exactly one of
the two versions. Temporary files a kill leaves behind are never read as
records. A write that fails (disk full, read-only folder) raises OSError,
leaves the old file as it was and leaves no temporary file.

CASELOG_CRASH_ITERATIONS sets the number of kills (default 60).
"""

from __future__ import annotations

import errno
import inspect
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import store.format.files as files
from store.domain.records import Citizen, Inquiry, Point
from store.folder.datafolder import DataFolder
from store.format import codec
from store.workspace.workspace import Workspace
from tui.cli import main

ITERATIONS = int(os.environ.get("CASELOG_CRASH_ITERATIONS", "60"))
RID = "2024-04-03-k7q2"
REL = f"inquiries/2024/04/{RID}.toml"
ROOT_DIR = Path(__file__).resolve().parent.parent


def version(letter: str, size: int = 400_000) -> Inquiry:
    """A large record (the writes take a while), different in every field that is text."""
    line = f"{letter} Borgeren fortæller om forløbet, linje for linje. æøå\n"
    return Inquiry(
        RID, date(2024, 4, 3), "complaint", "closed" if letter == "A" else "open",
        Point("Børn & Familie", "Andet", "Privatretlige spørgsmål"),
        closed=date(2024, 4, 20) if letter == "A" else None,
        channel="Telefon", title=f"Version {letter}",
        notes=line * (size // len(line.encode())),
        citizen=Citizen(name=f"Navn {letter}", phone=letter * 8),
    )


WRITER_LOOP = r"""
root = sys.argv[1]
a, b = version("A"), version("B")
folder = DataFolder(root)
ws = Workspace.open(root)
print("ready", flush=True)
n = 0
while True:
    # alternate the two ways the program writes a record
    if n % 4 < 2:
        folder.save(a if n % 2 == 0 else b)
    else:
        ws.save(a if n % 2 == 0 else b)
    n += 1
    print("saved", flush=True)  # the test waits for some saves, however slow the machine
"""
# The writer: only the store's imports, this file's version(), and the loop.
WRITER = "\n".join([
    "import sys",
    "from datetime import date",
    "from store.folder.datafolder import DataFolder",
    "from store.domain.records import Citizen, Inquiry, Point",
    "from store.workspace.workspace import Workspace",
    f"RID = {RID!r}",
    inspect.getsource(version),
    WRITER_LOOP,
])


def read_version(root: Path) -> Inquiry:
    raw = (root / REL).read_bytes()
    record, problems = codec.read_inquiry(raw, REL)
    assert record is not None, [p.format() for p in problems]
    assert problems == []
    return record


def test_killed_writer_leaves_a_whole_version(tmp_path, capsys):
    root = tmp_path / "data"
    folder = DataFolder.init(root)
    a, b = version("A"), version("B")
    folder.save(a)
    expected = {codec.to_toml(a).encode(), codec.to_toml(b).encode()}
    env = dict(os.environ, PYTHONPATH=str(ROOT_DIR) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rng = random.Random(20240403)
    seen = {"A": 0, "B": 0}
    for _ in range(ITERATIONS):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(root)], stdout=subprocess.PIPE,
                                cwd=ROOT_DIR, env=env)
        try:
            assert proc.stdout.readline() == b"ready\n"
            # Killed during the save after some whole ones (A, B, A, ...): on a
            # loaded machine a kill at a fixed time could fall before the first.
            for _ in range(rng.randrange(4)):
                assert proc.stdout.readline() == b"saved\n"
            time.sleep(rng.uniform(0, 0.010))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        assert (root / REL).read_bytes() in expected
        r = read_version(root)
        assert r in (a, b)
        seen[r.title[-1]] += 1
    assert seen["A"] and seen["B"], seen  # the writer did write, both ways round

    # Whatever temporary files the kills left are not records.
    found, problems = folder.scan()
    assert found == [("inquiries", REL)] and problems == []
    result = folder.load()
    assert list(result.inquiries) == [RID] and result.problems == []
    capsys.readouterr()
    assert main(["check", str(root)]) == 0
    assert capsys.readouterr().out == ""


def test_temporary_files_are_never_records(folder, capsys):
    r = version("A", size=100)
    folder.save(r)
    month = folder.root / "inquiries/2024/04"
    text = codec.to_toml(r)
    # what atomic_write's mkstemp names look like, whole and cut short
    (month / f".{RID}.toml.k3j2_x.tmp").write_text(text)
    (month / f".{RID}.toml.9a8b7c.tmp").write_text(text[:57])
    (month / f".{RID}.toml").write_text(text)  # any hidden file
    for p in month.iterdir():
        os.chmod(p, 0o600)
    found, problems = folder.scan()
    assert found == [("inquiries", REL)] and problems == []
    assert folder.load().problems == []
    assert main(["check", str(folder.root)]) == 0
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------------------
# Failing writes


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _state(month: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in month.iterdir()}


@pytest.mark.parametrize("where", ["fsync", "replace", "write", "chmod"])
def test_disk_full_leaves_the_old_file_and_no_temp_file(folder, monkeypatch, where):
    old = version("A", size=2000)
    path, _ = folder.save(old)
    month = path.parent
    before = _state(month)
    if where == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                self.f.write(data[: len(data) // 2])  # part of it reached the disk
                _enospc()

            def __getattr__(self, name):
                return getattr(self.f, name)

        monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(files.os, where, _enospc)
    with pytest.raises(OSError) as e:
        folder.save(version("B", size=2000))
    assert e.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert _state(month) == before  # the old bytes, and no temporary file
    assert read_version(folder.root) == old


def test_workspace_save_failure_changes_nothing_in_memory(folder, monkeypatch):
    ws = Workspace.open(folder.root)
    old = version("A", size=2000)
    ws.save(old)
    tally_before = {p: c for p, c in ws.tally.periods.items()}
    counts_before = [(p, sum(c.kinds.values())) for p, c in tally_before.items()]
    monkeypatch.setattr(files.os, "replace", _enospc)
    with pytest.raises(OSError):
        ws.save(version("B", size=2000))
    with pytest.raises(OSError):
        ws.save(Inquiry("2024-05-01-aaaa", date(2024, 5, 1), "inquiry", "open",
                        Point("Øvrige", "GDPR", "Behandlingssikkerhed")))
    monkeypatch.undo()
    assert ws.get(RID) == old
    assert ws.get("2024-05-01-aaaa") is None
    assert [(p, sum(c.kinds.values())) for p, c in ws.tally.periods.items()] == counts_before
    assert read_version(folder.root) == old
    assert not list(folder.root.rglob("*.tmp"))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_folder(folder):
    old = version("A", size=2000)
    path, _ = folder.save(old)
    month = path.parent
    before = _state(month)
    os.chmod(month, 0o500)
    try:
        with pytest.raises(OSError):
            folder.save(version("B", size=2000))
    finally:
        os.chmod(month, 0o700)
    assert _state(month) == before
    assert read_version(folder.root) == old
