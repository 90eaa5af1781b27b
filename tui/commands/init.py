"""caselog init FOLDER."""

from __future__ import annotations

import sys

from store.domain.taxonomy import default_settings
from store.folder.datafolder import DataFolder

from ..errors import CommandError
from ..i18n import language, t

HELP = "Make a new data folder with the default taxonomy (caselog.toml) and a .gitignore."


def add_arguments(p) -> None:
    p.add_argument("folder", help="the folder to create (may exist if empty)")


def run(args) -> int:
    folder = DataFolder(args.folder)
    if folder.is_folder():
        raise CommandError(t("cli.init.exists", folder=args.folder))
    DataFolder.init(args.folder, default_settings(args.lang or language()))
    print(t("cli.init.done", folder=folder.root))
    from store.git.repo import git_available

    if not git_available():
        print(t("git.notice.no_git"), file=sys.stderr)
    return 0
