"""Where a document goes by default: the user's documents folder, not the current one."""

from __future__ import annotations

import os
import re
from pathlib import Path

_LINE = re.compile(r'^\s*XDG_DOCUMENTS_DIR\s*=\s*"([^"]*)"\s*$')


def _xdg_documents(home: Path) -> Path | None:
    """``XDG_DOCUMENTS_DIR`` of ``user-dirs.dirs`` (what ``xdg-user-dir DOCUMENTS`` reads)."""
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    try:
        text = (config / "user-dirs.dirs").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            value = m.group(1).replace("$HOME", str(home))
            path = Path(value)
            # "$HOME/" alone means the folder is switched off
            return path if path.is_absolute() and path != home else None
    return None


def documents_dir(home: Path | None = None) -> Path:
    """The XDG documents folder, else ~/Documents or ~/Dokumenter, else the home folder."""
    home = Path(home or os.path.expanduser("~"))
    candidates = [_xdg_documents(home), home / "Documents", home / "Dokumenter"]
    for path in candidates:
        if path is not None and path.is_dir():
            return path
    return home
