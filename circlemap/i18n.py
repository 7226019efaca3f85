"""Translations: every label the app or an export shows, in Chinese and English.

``t(key, lang)`` looks a UI string up; ``term(mapping, key, lang)`` labels a
vocabulary key (kind, status, category, ...). Chinese is the default language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from circlemap import vocab

# Strings of the app's pages and map (keep keys sorted within a block).
UI_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "app_title": ("省会经济圈一体化地图", "Circle Map: Provincial Capital Economic Circle"),
}

# Strings of the print and file exports.
EXPORT_STRINGS: Final[dict[str, tuple[str, str]]] = {}

_ALL: Final[dict[str, tuple[str, str]]] = {**UI_STRINGS, **EXPORT_STRINGS}


def t(key: str, lang: str) -> str:
    """Return the string ``key`` in ``lang`` (``"zh"`` or ``"en"``).

    Raises
    ------
    KeyError
        For an unknown key: a missing translation is a bug, not a fallback.
    """
    zh, en = _ALL[key]
    return en if lang == "en" else zh


def term(mapping: Mapping[str, vocab.Term], key: str, lang: str) -> str:
    """Label of a vocabulary key, e.g. ``term(vocab.KINDS, "rail", "en")``."""
    entry = mapping[key]
    return entry.en if lang == "en" else entry.zh


def city_name(zh: str, lang: str) -> str:
    """Name of a city given its zh key, in ``lang``."""
    return vocab.CITY_BY_ZH[zh].en if lang == "en" else zh


def name_of(row: Mapping[str, object], lang: str) -> str:
    """A feature's or row's name (``name_en``/``name_zh``) in ``lang``."""
    return str(row["name_en"] if lang == "en" else row["name_zh"])
