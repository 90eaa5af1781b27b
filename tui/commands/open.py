"""Opening a folder in the app (``caselog [FOLDER]``)."""

from __future__ import annotations

import sys

from store.domain.taxonomy import default_settings
from store.folder.datafolder import DataFolder

from ..errors import CommandError
from ..i18n import language, t


def open_folder(folder: str, lang: str | None, ask_create: bool = False) -> int:
    data = DataFolder(folder)
    if not data.is_folder():
        if not ask_create:
            raise CommandError(t("cli.not_folder", folder=folder))
        if not sys.stdin.isatty():
            raise CommandError(t("cli.not_folder", folder=folder))
        answer = input(t("cli.open.ask_create", folder=data.root) + " ")
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            return 1
        DataFolder.init(data.root, default_settings(lang or language()))
    from ..app import run_app

    return run_app(str(data.root), lang)
