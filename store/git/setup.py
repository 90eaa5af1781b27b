"""Making a data folder a git repository, and the merge driver every clone needs."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from ..format.files import atomic_write
from ..format.layout import FOLDER_FILES, GITATTRIBUTES
from .commits import commit_paths
from .repo import (
    git_available,
    has_commits,
    identity_env,
    is_repo,
    run,
)

DRIVER_NAME = "caselog field-by-field merge of record files"
ATTRIBUTE_LINES = (
    "inquiries/**/*.toml merge=caselog",
    "appeals/**/*.toml merge=caselog",
    "/caselog.toml merge=caselog",  # the taxonomy: lists merged as sets (settings_merge)
    "/.gitignore merge=union",  # two folders begun apart: both sides' lines
    "/.gitattributes merge=union",
)


# ---------------------------------------------------------------------------
# Setting a folder up


def merge_driver_command() -> str:
    """The merge driver as git runs it: this interpreter, so no PATH is needed."""
    return f"{shlex.quote(sys.executable)} -m tui.cli merge-driver %O %A %B %P"


def _ensure_attributes(root: Path) -> bool:
    """Add the merge driver's lines to .gitattributes; True when the file changed."""
    path = root / GITATTRIBUTES
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines()
    missing = [line for line in ATTRIBUTE_LINES if line not in lines]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(path, (text + "\n".join(missing) + "\n").encode("utf-8"))
    os.chmod(path, 0o644)
    return True


def ensure_merge_driver(root: Path | str) -> bool:
    """Set up the field-by-field merge driver where missing; True if anything was set.

    Writes ``merge.caselog.name``/``merge.caselog.driver`` into the repository's
    own config (a clone does not carry config, so every caselog command that
    opens a folder calls this) and the lines of ``.gitattributes``. A changed
    ``.gitattributes`` is committed on its own. Does nothing without git or
    outside a repository.
    """
    root = Path(root)
    if not is_repo(root):
        return False
    changed = False
    want = merge_driver_command()
    proc = run(root, "config", "--local", "--get", "merge.caselog.driver", check=False)
    if proc.stdout.decode("utf-8", "replace").strip() != want:
        run(root, "config", "--local", "merge.caselog.name", DRIVER_NAME)
        run(root, "config", "--local", "merge.caselog.driver", want)
        changed = True
    if _ensure_attributes(root):
        changed = True
        if has_commits(root):
            commit_paths(root, [GITATTRIBUTES], "caselog: merge driver for record files",
                         identity_env(root))
    return changed


def init_repo(root: Path | str, message: str = "caselog") -> bool:
    """Make a new data folder a git repository with a first commit; False without git.

    The first commit holds caselog.toml, .gitignore and .gitattributes.
    """
    root = Path(root)
    if not git_available():
        return False
    if not is_repo(root):
        # The branch is git's default (init.defaultBranch), like a shared
        # repository made with the same git: a colleague's clone checks it out.
        run(root, "init", "-q")
    _ensure_attributes(root)
    ensure_merge_driver(root)
    env = identity_env(root)
    present = [f for f in FOLDER_FILES if (root / f).exists()]
    if present:
        commit_paths(root, present, message, env)
    return True
