"""The data behind a map: its features as GeoJSON, its measures as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from circlemap import i18n, panels, settings, views, vocab
from circlemap.export.captions import filters_summary
from circlemap.filters import Selection


def _plain(value: Any) -> Any:
    """A JSON-serialisable copy of a frame cell (tuples/arrays -> lists, NaN -> None)."""
    if isinstance(value, tuple | list | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is None:
        return None
    return value


def features_geojson(
    features: gpd.GeoDataFrame,
    *,
    lang: str,
    today: dt.date | None = None,
    selection: Selection | None = None,
) -> bytes:
    """Features as an RFC 7946 FeatureCollection (EPSG:4326), UTF-8 bytes.

    Every feature keeps its stored properties (``id``, names, ``kind``,
    ``status``, ``cities``, ``geometry_accuracy`` and notes, ``source``,
    ``quote``, ``measure_ids`` ...) and gains ``kind_label``, ``status_label``
    and ``accuracy_label`` in ``lang``, and ``source_title`` (what the source
    text is, :data:`circlemap.vocab.SOURCES`). A ``metadata`` member says what was
    exported, when, and under which licences.
    """
    frame = features.to_crs(settings.STORAGE_CRS) if features.crs else features
    out = []
    for fid, row in frame.iterrows():
        props: dict[str, Any] = {"id": str(fid)}
        for column, value in row.items():
            if column != frame.geometry.name:
                props[str(column)] = _plain(value)
        props["kind_label"] = i18n.term(vocab.KINDS, row["kind"], lang)
        props["status_label"] = panels.status_of(row, lang)
        props["as_of"] = vocab.as_of(str(row["source"]), lang)
        props["quote_shown"] = panels.quote_fields(row, lang)["quote"]
        props["accuracy_label"] = i18n.term(vocab.ACCURACIES, row["geometry_accuracy"], lang)
        props["source_title"] = views.source_title(row["source"], lang)
        geometry = row.geometry
        out.append(
            {
                "type": "Feature",
                "id": str(fid),
                "properties": props,
                "geometry": None if geometry is None else json.loads(shapely.to_geojson(geometry)),
            }
        )
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "metadata": {
            "title": i18n.t("app_title", lang),
            "exported": (today or dt.date.today()).isoformat(),
            "lang": lang,
            "crs": settings.STORAGE_CRS,
            "filters": filters_summary(selection or Selection(), lang),
            "attribution": i18n.t("export_attribution", lang),
        },
        "features": out,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


CSV_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "title",
    "category",
    "category_label",
    "status",
    "status_label",
    "standing",
    "as_of",
    "scope",
    "scope_label",
    "cities",
    "cities_label",
    "features",
    "source",
    "source_title",
    "quote",
    "quote_shown",
    "title_zh",
    "title_en",
)
"""Columns of the measures CSV; list cells are joined with ``"; "``."""


FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""


def spreadsheet_text(value: object) -> object:
    """``value`` as a spreadsheet shows it as text, never runs it as a formula.

    OWASP's advice for CSV injection: a cell starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading single quote
    (Excel, LibreOffice and Sheets then read the cell as text); the CSV
    writer quotes the cell. Other values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def measures_csv(measures: pd.DataFrame, *, lang: str) -> bytes:
    """Measures as CSV: UTF-8 with BOM, CRLF line ends, labels in ``lang`` next to keys.

    Every cell passes :func:`spreadsheet_text`: text from the data cannot
    become a formula when the file is opened in a spreadsheet.
    """
    rows = []
    for mid, row in measures.iterrows():
        rows.append(
            {
                "id": str(mid),
                "title": str(row["title_en"] if lang == "en" else row["title_zh"]),
                "category": row["category"],
                "category_label": i18n.term(vocab.CATEGORIES, row["category"], lang),
                "status": row["status"],
                "status_label": panels.status_of(row, lang),
                "standing": row.get("standing"),
                "as_of": vocab.as_of(str(row["source"]), lang),
                "scope": row["scope"],
                "scope_label": i18n.term(vocab.SCOPES, row["scope"], lang),
                "cities": "; ".join(row["cities"]),
                "cities_label": "; ".join(i18n.city_name(c, lang) for c in row["cities"]),
                "features": "; ".join(row["features"]),
                "source": row["source"],
                "source_title": views.source_title(row["source"], lang),
                "quote": row["quote"],
                "quote_shown": panels.quote_fields(row, lang)["quote"],
                "title_zh": row["title_zh"],
                "title_en": row["title_en"],
            }
        )
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS)).map(spreadsheet_text)
    text: str = frame.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    return text.encode("utf-8-sig")
