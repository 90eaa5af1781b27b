"""A command line run imports its own command's module, not every command's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_report_imports_no_other_command(tmp_path):
    from store.folder.datafolder import DataFolder

    DataFolder.init(tmp_path / "log")
    code = (
        "import sys, tui.cli\n"
        f"rc = tui.cli.main(['report', {str(tmp_path / 'log')!r}, '--format', 'json'])\n"
        "mods = sorted(m for m in sys.modules if m.startswith('tui.commands.'))\n"
        "print(rc, mods, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(ROOT), check=True)
    rc, mods = out.stderr.strip().splitlines()[-1].split(" ", 1)
    assert rc == "0"
    # what importing the report command brings in by itself, and nothing more
    own = subprocess.run([sys.executable, "-c", "import sys, tui.commands.report; print(sorted("
                          "m for m in sys.modules if m.startswith('tui.commands.')))"],
                         capture_output=True, text=True, cwd=str(ROOT), check=True).stdout
    assert eval(mods) == eval(own)
    assert len(eval(mods)) < len(__import__("tui.cli").cli.COMMANDS)


def test_every_command_still_has_its_help():
    from tui.cli import COMMANDS, build_parser

    parser = build_parser()
    for name in COMMANDS:
        sub = build_parser(name)
        assert sub.format_help() and parser.format_help()
