"""What the commands share: opening a folder, reading it, choosing a period."""

from __future__ import annotations

from pathlib import Path

from store.domain import clock
from store.domain.periods import Period, parse_period
from store.domain.summary import Tally
from store.domain.taxonomy import Settings, SettingsError
from store.folder.datafolder import DataFolder, LoadResult

from ..errors import CommandError
from ..i18n import language, set_language, t


def open_folder_data(folder: str, lang: str | None) -> tuple[DataFolder, Settings]:
    """The folder and its settings; sets the interface language (``--lang`` wins)."""
    data = DataFolder(folder)
    if not data.is_folder():
        raise CommandError(t("cli.not_folder", folder=folder))
    try:
        settings = data.settings()
    except SettingsError as e:
        p = e.problem
        set_language(lang or language())
        raise CommandError(
            t("cli.settings_error", path=str(Path(folder) / p.path), line=p.line or 1,
              message=p.message(language()))
        ) from None
    set_language(lang or settings.language)
    return data, settings


def load(folder: str, lang: str | None) -> tuple[DataFolder, LoadResult]:
    data, settings = open_folder_data(folder, lang)
    return data, data.load(settings)


def choose_period(tally: Tally, text: str | None) -> Period:
    if text:
        try:
            return parse_period(text, tally.settings.period_start)
        except ValueError as e:
            raise CommandError(t("cli.report.bad_period", detail=str(e)), 2) from None
    return tally.default_period(clock.today())
