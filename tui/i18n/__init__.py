"""The interface's words, one catalogue per language.

Each area of the interface keeps its strings in a module of this package
(``report``, ``cli``, ``app``, ...) holding a ``DA`` and an ``EN`` dict with
the same keys. ``t(key, **params)`` looks a key up in the current language,
falling back to English and then to the key itself, so a missing translation
shows up as text rather than as a crash.
"""

from __future__ import annotations

import importlib
import pkgutil

_LANGUAGE = "da"
_CATALOGUES: dict[str, dict[str, str]] | None = None


def _load() -> dict[str, dict[str, str]]:
    global _CATALOGUES
    if _CATALOGUES is None:
        da: dict[str, str] = {}
        en: dict[str, str] = {}
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
            mod = importlib.import_module(f"{__name__}.{info.name}")
            da.update(getattr(mod, "DA", {}))
            en.update(getattr(mod, "EN", {}))
        _CATALOGUES = {"da": da, "en": en}
    return _CATALOGUES


def set_language(language: str) -> None:
    global _LANGUAGE
    _LANGUAGE = language if language in ("da", "en") else "da"


def language() -> str:
    return _LANGUAGE


def t(key: str, **params: object) -> str:
    cats = _load()
    text = cats[_LANGUAGE].get(key) or cats["en"].get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def catalogue(lang: str) -> dict[str, str]:
    return dict(_load()[lang])
