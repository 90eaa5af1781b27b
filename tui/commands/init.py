"""caselog init FOLDER."""

from __future__ import annotations

import sys

from store.domain.taxonomy import default_settings
from store.folder.datafolder import DataFolder
from store.format.files import tighten
from store.git.repo import is_repo
from store.git.setup import ensure_merge_driver

from ..errors import CommandError
from ..i18n import language, t

HELP = ("Make a new data folder with the default taxonomy (caselog.toml) and a .gitignore; "
        "on a colleague's clone, make its files private and set up merging.")


def add_arguments(p) -> None:
    p.add_argument("folder", help="the folder to create (may exist if empty)")


def run(args) -> int:
    folder = DataFolder(args.folder)
    if folder.is_folder():
        # A colleague's clone (git clone): nothing is overwritten; what caselog
        # needs on this machine is set up (private files, the merge driver).
        fixed = tighten(folder.root)
        if not ensure_merge_driver(folder.root) and not fixed and is_repo(folder.root):
            raise CommandError(t("cli.init.exists", folder=args.folder))
        print(t("cli.init.setup", folder=args.folder, n=len(fixed)))
        return 0
    DataFolder.init(args.folder, default_settings(args.lang or language()))
    print(t("cli.init.done", folder=folder.root))
    from store.git.repo import git_available

    if not git_available():
        print(t("git.notice.no_git"), file=sys.stderr)
    return 0
