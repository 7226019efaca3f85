"""Words on an export: title, filter summary, sources line, and text wrapping.

Shared by the print map, the offline HTML caption and the GeoJSON metadata,
so every format says the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from collections.abc import Iterable
from typing import Any, Final

import geopandas as gpd

from circlemap import i18n, views, vocab
from circlemap.filters import Selection

MAX_LISTED_SOURCES: Final = 4


def _values_label(values: Iterable[str], label: Any, lang: str) -> str:
    names = [label(v) for v in values]
    if not names:
        return i18n.t("export_all", lang)
    return ("、" if lang == "zh" else ", ").join(names)


def filters_summary(selection: Selection, lang: str) -> dict[str, str]:
    """The active filters as ``{heading: values}`` in ``lang`` ("all" when unset)."""
    return {
        i18n.t("export_cities", lang): _values_label(
            selection.cities, lambda c: i18n.city_name(c, lang), lang
        ),
        i18n.t("export_kinds", lang): _values_label(
            selection.kinds, lambda k: i18n.term(vocab.KINDS, k, lang), lang
        ),
        i18n.t("export_statuses", lang): _values_label(
            selection.statuses, lambda s: i18n.term(vocab.STATUSES, s, lang), lang
        ),
        i18n.t("export_categories", lang): _values_label(
            selection.categories, lambda c: i18n.term(vocab.CATEGORIES, c, lang), lang
        ),
    }


def display_width(text: str) -> int:
    """Width in half-width cells: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` half-width cells; CJK text may break anywhere.

    Latin words are kept whole (:func:`textwrap.wrap`); lines holding wide
    characters are cut by display width, preferring a break after a space or
    CJK punctuation.
    """
    if display_width(text) <= width:
        return [text]
    if all(unicodedata.east_asian_width(ch) not in "WF" for ch in text):
        return textwrap.wrap(text, width) or [text]
    lines: list[str] = []
    line = ""
    for ch in text:
        if display_width(line + ch) > width and line:
            cut = max(line.rfind(" "), line.rfind("，"), line.rfind("；"), line.rfind("、"))
            if cut >= len(line) // 2:
                lines.append(line[: cut + 1].rstrip())
                line = line[cut + 1 :].lstrip()
            else:
                lines.append(line)
                line = ""
        line += ch
    if line:
        lines.append(line)
    return lines


def map_title(selection: Selection, lang: str, view: str = "overview") -> str:
    title = i18n.t("app_title", lang)
    if view != views.DEFAULT_VIEW:
        title += " · " + i18n.t(f"nav_{view}", lang)
    if selection.cities:
        sep = "、" if lang == "zh" else ", "
        title += " · " + sep.join(i18n.city_name(c, lang) for c in selection.cities)
    return title


def map_subtitle(selection: Selection, lang: str, count: int, today: dt.date) -> str:
    colon = "：" if lang == "zh" else ": "
    bar = "｜" if lang == "zh" else " | "
    parts = [f"{key} {value}" for key, value in filters_summary(selection, lang).items()]
    text = i18n.t("export_filters", lang) + colon + bar.join(parts)
    text += bar + i18n.t("export_features_count", lang).format(n=count)
    text += bar + i18n.t("export_date", lang) + " " + today.isoformat()
    return text


def sources_line(features: gpd.GeoDataFrame, lang: str) -> str:
    sources = sorted({str(s) for s in features["source"].dropna()})
    colon = "：" if lang == "zh" else ": "
    sep = "、" if lang == "zh" else ", "
    if not sources:
        return ""
    shown = sep.join(views.source_label(s, lang) for s in sources[:MAX_LISTED_SOURCES])
    if len(sources) > MAX_LISTED_SOURCES:
        more = i18n.t("export_sources_more", lang).format(n=len(sources) - MAX_LISTED_SOURCES)
        shown += (" " if lang == "en" else "") + more
    return i18n.t("export_sources", lang) + colon + shown
