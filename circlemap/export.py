"""Exports of the current view: print maps, an offline HTML map, and the data behind them.

One code path serves the app's download buttons and the command line::

    data = export(catalog, selection, lang="en", fmt="pdf", feature=None)
    name = suggested_filename(selection, "en", "pdf", today)

Formats
-------
``png`` (slides, >= 2400 px wide), ``pdf`` and ``svg`` (print)
    Rendered on the server with matplotlib, no browser and no internet: an
    A4-landscape map drawn in UTM zone 50N (:data:`circlemap.settings.METRIC_CRS`,
    metres) so the scale bar is true, with title, legend (colours per kind from
    :mod:`circlemap.styles`, dashes per geometry accuracy with their meaning),
    north arrow (true north, not grid north), the active filters, the date,
    the sources and an attribution line. The background is always the vector
    context (other Shandong cities, counties, the Yellow River): no tiles, so
    never a broken image. Text is set in the bundled font of
    :mod:`circlemap.fonts`; PDFs embed it (TrueType subsets, extractable text).
``html``
    The interactive map as one standalone file (assets inlined) built with
    :func:`circlemap.mapping.build_base_map`, :func:`~circlemap.mapping.build_feature_layer`
    and :func:`~circlemap.mapping.render_standalone_html` on the tile-free basemap.
``geojson``
    The selected features (EPSG:4326, RFC 7946) with their source, quote,
    geometry accuracy and labels in the chosen language.
``csv``
    The listed measures, UTF-8 with a byte-order mark (Excel opens the
    Chinese correctly), with source, quote, linked feature ids and the
    category/status/scope labels next to their keys.

``feature`` highlights one feature in the map formats (it is drawn even if the
filters hide it); the data formats always hold the selection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import re
import sys
import textwrap
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from circlemap import filters, i18n, settings, styles, vocab
from circlemap.errors import ExportError
from circlemap.filters import Selection

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from circlemap.catalog import Catalog


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format.

    Attributes
    ----------
    extension : str
        File name extension without the dot.
    media_type : str
        MIME type for a download button.
    binary : bool
        False for text formats (still returned as UTF-8 bytes).
    """

    extension: str
    media_type: str
    binary: bool = True


FORMATS: Final[dict[str, ExportFormat]] = {
    "png": ExportFormat("png", "image/png"),
    "pdf": ExportFormat("pdf", "application/pdf"),
    "svg": ExportFormat("svg", "image/svg+xml", binary=False),
    "html": ExportFormat("html", "text/html", binary=False),
    "geojson": ExportFormat("geojson", "application/geo+json", binary=False),
    "csv": ExportFormat("csv", "text/csv", binary=False),
}
"""Every format :func:`export` produces."""

PRINT_FORMATS: Final[tuple[str, ...]] = ("png", "pdf", "svg")

PAGE_SIZE_IN: Final[tuple[float, float]] = (297 / 25.4, 210 / 25.4)
"""A4 landscape (inches): the page of PDF and SVG, the aspect of PNG."""

DEFAULT_WIDTH_PX: Final = 2400
"""PNG width (pixels): sharp on a 4K slide."""

MIN_WIDTH_PX: Final = 600
MAX_WIDTH_PX: Final = 10000

MAP_CRS: Final = settings.METRIC_CRS
"""CRS the print maps are drawn in (UTM 50N, metres)."""

SCALE_BAR_FRACTION: Final = 0.22
"""Aim for a scale bar about this share of the map width."""

FILENAME_PREFIX: Final = "circle-map"

MAX_LABELLED_FEATURES: Final = 10
"""Print maps label each feature only when this many or fewer are drawn."""

MAX_LISTED_SOURCES: Final = 4

_GEOD: Final = Geod(ellps="WGS84")

# matplotlib's rcParams and font manager are process-wide: one render at a time.
_RENDER_LOCK: Final = threading.Lock()


# --- public API ----------------------------------------------------------------------------


def export(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    fmt: str,
    feature: str | None = None,
    today: dt.date | None = None,
    width_px: int = DEFAULT_WIDTH_PX,
) -> bytes:
    """Export the current view as ``fmt``.

    Parameters
    ----------
    catalog : Catalog
        From :func:`circlemap.catalog.load_catalog` (layers in EPSG:4326).
    selection : Selection
        The filters every page shares.
    lang : {"zh", "en"}
        Language of titles, labels and legend.
    fmt : str
        A key of :data:`FORMATS`.
    feature : str, optional
        Id of a feature to highlight (map formats).
    today : datetime.date, optional
        Date printed on the map and stored in the data; default today.
    width_px : int
        PNG width in pixels (ignored by the other formats).

    Returns
    -------
    bytes
        The file's content (UTF-8 for the text formats, with a BOM for CSV).

    Raises
    ------
    ExportError
        For an unknown format, language or feature id, or a bad PNG width.
    """
    check_format(fmt)
    if lang not in settings.LANGS:
        msg = f"unknown language {lang!r} (expected one of {', '.join(settings.LANGS)})"
        raise ExportError(msg)
    if feature is not None and feature not in catalog.features.index:
        msg = f"unknown feature id {feature!r}: no such feature in the catalog"
        raise ExportError(msg)
    if not MIN_WIDTH_PX <= width_px <= MAX_WIDTH_PX:
        msg = f"PNG width {width_px} px out of range ({MIN_WIDTH_PX}-{MAX_WIDTH_PX})"
        raise ExportError(msg)
    today = today or dt.date.today()
    if fmt == "geojson":
        return features_geojson(
            selected_features(catalog, selection), lang=lang, today=today, selection=selection
        )
    if fmt == "csv":
        return measures_csv(selected_measures(catalog, selection), lang=lang)
    if fmt == "html":
        return render_html(catalog, selection, lang=lang, feature=feature, today=today)
    return render_print(
        catalog, selection, lang=lang, fmt=fmt, feature=feature, today=today, width_px=width_px
    )


def check_format(fmt: str) -> ExportFormat:
    """The :class:`ExportFormat` of ``fmt``; :class:`ExportError` if unknown."""
    try:
        return FORMATS[fmt]
    except KeyError:
        msg = f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})"
        raise ExportError(msg) from None


def media_type(fmt: str) -> str:
    """MIME type of a format, for ``st.download_button(mime=...)``."""
    return check_format(fmt).media_type


def suggested_filename(
    selection: Selection,
    lang: str,
    fmt: str,
    today: dt.date | None = None,
    *,
    feature: str | None = None,
) -> str:
    """An ASCII file name that says what the export holds.

    ``circle-map_<cities>_<kinds>_<statuses>_<categories>_<feature>_<lang>_<date>.<ext>``,
    leaving out the filters that are not set; ``circle`` stands for "all cities".
    Many values of one filter collapse to ``<n>-kinds`` etc. to keep names short.

    Examples
    --------
    >>> suggested_filename(Selection(cities=("淄博",), kinds=("rail",)), "en", "pdf",
    ...                    dt.date(2026, 11, 22))
    'circle-map_zibo_rail_en_2026-11-22.pdf'
    """
    spec = check_format(fmt)
    today = today or dt.date.today()
    cities = [_slug(vocab.CITY_BY_ZH[c].en) for c in selection.cities]
    parts = [FILENAME_PREFIX, _name_part(cities, "cities") or "circle"]
    for values, what in (
        (selection.kinds, "kinds"),
        (selection.statuses, "statuses"),
        (selection.categories, "categories"),
    ):
        part = _name_part([_slug(v) for v in values], what)
        if part:
            parts.append(part)
    if feature:
        parts.append(_slug(feature)[:60])
    parts += [_slug(lang), today.isoformat()]
    return "_".join(parts) + "." + spec.extension


def selected_features(
    catalog: Catalog, selection: Selection, *, feature: str | None = None
) -> gpd.GeoDataFrame:
    """Features the selection keeps (EPSG:4326), plus ``feature`` if it is hidden."""
    kept = filters.filter_features(catalog.features, selection, measures=catalog.measures)
    if feature is not None and feature not in kept.index:
        kept = pd.concat([kept, catalog.features.loc[[feature]]])
    return kept


def selected_measures(catalog: Catalog, selection: Selection) -> pd.DataFrame:
    """Measures the selection lists (the measures table of the app)."""
    return filters.filter_measures(catalog.measures, selection, features=catalog.features)


# --- data formats ------------------------------------------------------------------------


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
    and ``accuracy_label`` in ``lang``. A ``metadata`` member says what was
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
        props["status_label"] = i18n.term(vocab.STATUSES, row["status"], lang)
        props["accuracy_label"] = i18n.term(vocab.ACCURACIES, row["geometry_accuracy"], lang)
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
    "scope",
    "scope_label",
    "cities",
    "cities_label",
    "features",
    "source",
    "quote",
    "title_zh",
    "title_en",
)
"""Columns of the measures CSV; list cells are joined with ``"; "``."""


def measures_csv(measures: pd.DataFrame, *, lang: str) -> bytes:
    """Measures as CSV: UTF-8 with BOM, CRLF line ends, labels in ``lang`` next to keys."""
    rows = []
    for mid, row in measures.iterrows():
        rows.append(
            {
                "id": str(mid),
                "title": str(row["title_en"] if lang == "en" else row["title_zh"]),
                "category": row["category"],
                "category_label": i18n.term(vocab.CATEGORIES, row["category"], lang),
                "status": row["status"],
                "status_label": i18n.term(vocab.STATUSES, row["status"], lang),
                "scope": row["scope"],
                "scope_label": i18n.term(vocab.SCOPES, row["scope"], lang),
                "cities": "; ".join(row["cities"]),
                "cities_label": "; ".join(i18n.city_name(c, lang) for c in row["cities"]),
                "features": "; ".join(row["features"]),
                "source": row["source"],
                "quote": row["quote"],
                "title_zh": row["title_zh"],
                "title_en": row["title_en"],
            }
        )
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    text = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


# --- text helpers --------------------------------------------------------------------------


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


def _display_width(text: str) -> int:
    """Width in half-width cells: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` half-width cells; CJK text may break anywhere.

    Latin words are kept whole (:func:`textwrap.wrap`); lines holding wide
    characters are cut by display width, preferring a break after a space or
    CJK punctuation.
    """
    if _display_width(text) <= width:
        return [text]
    if all(unicodedata.east_asian_width(ch) not in "WF" for ch in text):
        return textwrap.wrap(text, width) or [text]
    lines: list[str] = []
    line = ""
    for ch in text:
        if _display_width(line + ch) > width and line:
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


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def _name_part(values: Sequence[str], what: str) -> str:
    if not values:
        return ""
    if len(values) > 3:
        return f"{len(values)}-{what}"
    return "-".join(values)


# --- scale bar and north arrow -----------------------------------------------------------


def nice_length(target: float) -> float:
    """Largest 1, 2 or 5 x 10^k not above ``target`` (``target`` > 0)."""
    if not target > 0 or not math.isfinite(target):
        msg = f"scale bar target must be a positive finite length, got {target!r}"
        raise ValueError(msg)
    exponent = math.floor(math.log10(target))
    for step in (5.0, 2.0, 1.0):
        value = step * 10.0**exponent
        if value <= target * (1 + 1e-12):
            return value
    return 10.0 ** (exponent - 1) * 5.0  # pragma: no cover - unreachable


def ground_metres_per_unit(crs: Any, x: float, y: float, *, step: float | None = None) -> float:
    """Ground (geodesic, WGS-84) metres per map unit, east-west at map point ``(x, y)``.

    Parameters
    ----------
    crs : CRS-like
        The map's CRS (anything :class:`pyproj.CRS` accepts).
    x, y : float
        A point in map units (metres for UTM, degrees for EPSG:4326).
    step : float, optional
        Half-width of the probe segment in map units; by default 1 km in a
        projected CRS, 0.01 in a geographic one.

    Returns
    -------
    float
        ``1 / k`` for a conformal projection with point scale ``k`` (UTM: 0.9996
        on the central meridian), about 88.9 km per degree of longitude at 37°N.
    """
    crs = CRS.from_user_input(crs)
    half = step if step is not None else (0.01 if crs.is_geographic else 1000.0)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon1, lat1 = to_lonlat.transform(x - half, y)
    lon2, lat2 = to_lonlat.transform(x + half, y)
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / (2 * half)


def scale_bar_length(
    map_width: float, metres_per_unit: float, *, fraction: float = SCALE_BAR_FRACTION
) -> tuple[float, float]:
    """Choose a round scale bar for a map ``map_width`` map units wide.

    Parameters
    ----------
    map_width : float
        Width of the map frame in map units.
    metres_per_unit : float
        Ground metres per map unit where the bar is drawn
        (:func:`ground_metres_per_unit`).
    fraction : float
        Target share of the map width.

    Returns
    -------
    (metres, map_units) : tuple of float
        Ground length of the bar (a round 1/2/5 x 10^k metres) and its length
        in map units (``metres / metres_per_unit``).
    """
    metres = nice_length(map_width * metres_per_unit * fraction)
    return metres, metres / metres_per_unit


def true_north(crs: Any, x: float, y: float) -> tuple[float, float]:
    """Unit vector (map units) pointing to true north from map point ``(x, y)``.

    In UTM, grid north differs from true north by the meridian convergence
    (about -1.2° at 115.5°E, 37°N in zone 50N), so the arrow is computed, not
    assumed vertical.
    """
    crs = CRS.from_user_input(crs)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.01)
    dx, dy = nx - x, ny - y
    norm = math.hypot(dx, dy)
    return dx / norm, dy / norm


def _format_km(metres: float) -> str:
    km = metres / 1000
    return f"{km:g}" if km >= 1 else f"{metres:g} m"


# --- print map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layers:
    """Everything a print map draws, projected to :data:`MAP_CRS`."""

    cities: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    river: gpd.GeoDataFrame
    features: gpd.GeoDataFrame


def _project(catalog: Catalog, features: gpd.GeoDataFrame) -> _Layers:
    return _Layers(
        cities=catalog.cities.to_crs(MAP_CRS),
        context=catalog.context.to_crs(MAP_CRS),
        counties=catalog.counties.to_crs(MAP_CRS),
        river=catalog.river.to_crs(MAP_CRS),
        features=features.to_crs(MAP_CRS),
    )


def _extent(
    layers: _Layers, selection: Selection, aspect: float
) -> tuple[float, float, float, float]:
    """Map frame (minx, miny, maxx, maxy) in map units with the given width/height."""
    if selection.cities:
        towns = pd.concat([layers.cities, layers.context])
        focus = towns[towns["name_zh"].isin(selection.cities)].geometry
    else:
        focus = layers.cities.geometry
    geoms = [*focus, *layers.features.geometry.dropna()]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    pad = 0.04 * max(maxx - minx, maxy - miny, 20_000.0)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / aspect - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return minx, miny, maxx, maxy


def _mpl_dash(accuracy: str) -> Any:
    offset, dashes = styles.ACCURACY_MPL_DASH.get(accuracy, (0.0, None))
    return "solid" if dashes is None else (offset, dashes)


def _outlined(
    draw: Any, *args: Any, halo: float = 0.0, bold: str | None = None, **kwargs: Any
) -> Any:
    """Draw text with ``draw`` (``ax.text``, ``ax.annotate``, ``fig.text``) and outlines.

    The outlines (a white halo of ``halo`` points; with ``bold`` a 0.7 pt
    stroke of that colour, as the bundled font has one weight) go in a copy
    drawn first with stroke-only path effects. The artist returned carries no
    path effects, so PDF and SVG keep it as real, extractable text.
    """
    from matplotlib import patheffects

    effects: list[Any] = []
    if halo:
        effects.append(patheffects.Stroke(linewidth=halo, foreground="white"))
    if bold:
        effects.append(patheffects.Stroke(linewidth=0.7, foreground=bold))
    if effects:
        draw(*args, path_effects=effects, **kwargs)
    return draw(*args, **kwargs)


def _kind_shape(features: gpd.GeoDataFrame, kind: str) -> str:
    types = set(features.loc[features["kind"] == kind].geometry.geom_type)
    if types & {"LineString", "MultiLineString"}:
        return "line"
    if types & {"Polygon", "MultiPolygon"}:
        return "area"
    return "point"


def _draw_base(ax: Axes, layers: _Layers, selection: Selection, lang: str, bounds: Any) -> None:
    minx, miny, maxx, maxy = bounds
    inset = 0.05 * (maxy - miny)
    frame = shapely.box(minx + inset, miny + inset, maxx - inset, maxy - inset)
    layers.context.plot(
        ax=ax, facecolor=styles.CONTEXT_FILL, edgecolor=styles.CONTEXT_EDGE, linewidth=0.6, zorder=1
    )
    chosen = layers.cities["name_zh"].isin(selection.cities) if selection.cities else None
    layers.cities.plot(ax=ax, facecolor=styles.CITY_FILL, edgecolor="none", zorder=2)
    if chosen is not None and (~chosen).any():
        layers.cities[~chosen].plot(
            ax=ax, facecolor="#fbf8f3", edgecolor="none", zorder=2.1, alpha=0.9
        )
    layers.counties.plot(
        ax=ax, facecolor="none", edgecolor=styles.COUNTY_EDGE, linewidth=0.35, zorder=3
    )
    layers.cities.plot(ax=ax, facecolor="none", edgecolor=styles.CITY_EDGE, linewidth=1.0, zorder=4)
    if chosen is not None and chosen.any():
        # as the web map outlines highlight_cities
        layers.cities[chosen].plot(
            ax=ax, facecolor="none", edgecolor=styles.HIGHLIGHT, linewidth=1.8, zorder=4.1
        )
    layers.river.plot(ax=ax, color=styles.RIVER_COLOUR, linewidth=1.6, zorder=5)

    if len(selection.cities) == 1:
        county_rows = layers.counties[layers.counties["city"] == selection.cities[0]]
        for _, row in county_rows.iterrows():
            point = row.geometry.representative_point()
            _outlined(
                ax.text,
                point.x,
                point.y,
                i18n.name_of(row, lang),
                fontsize=6,
                color="#8c7b66",
                ha="center",
                va="center",
                zorder=6,
                clip_on=True,
                halo=1.8,
            )
    for frame_rows, size, colour, bold in (
        (layers.context, 8, "#9a9a9a", False),
        (layers.cities, 11, "#4a3a28", True),
    ):
        for _, row in frame_rows.iterrows():
            point = row.geometry.representative_point()
            if not frame.contains(point):
                continue
            _outlined(
                ax.text,
                point.x,
                point.y,
                i18n.name_of(row, lang),
                fontsize=size,
                color=colour,
                ha="center",
                va="center",
                zorder=9,
                halo=3,
                bold=colour if bold else None,
            )


def _draw_features(ax: Axes, features: gpd.GeoDataFrame, feature: str | None, lang: str) -> None:
    """Features in legend order: highlight halo, symbols, then labels."""
    kinds = list(vocab.KINDS)
    order = features.assign(
        _rank=features["kind"].map(lambda k: kinds.index(k) if k in kinds else len(kinds))
    ).sort_values("_rank", kind="stable")
    order = order[~(order.geometry.isna() | order.geometry.is_empty)]
    if feature is not None and feature in order.index:
        _draw_highlight(ax, order.loc[feature].geometry)
    for fid, row in order.iterrows():
        _draw_symbol(ax, row, selected=fid == feature)
    if len(order) <= MAX_LABELLED_FEATURES:
        labelled = order
    else:
        labelled = order.loc[[f for f in (feature,) if f is not None and f in order.index]]
    for fid, row in labelled.iterrows():
        _draw_feature_label(ax, row, lang, selected=fid == feature)


def _draw_highlight(ax: Axes, geom: Any) -> None:
    if geom.geom_type in ("Point", "MultiPoint"):
        coords = shapely.get_coordinates(geom)
        ax.scatter(coords[:, 0], coords[:, 1], s=260, color=styles.HIGHLIGHT, alpha=0.45, zorder=6)
        return
    outline = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    gpd.GeoSeries([outline]).plot(ax=ax, color=styles.HIGHLIGHT, linewidth=6, alpha=0.45, zorder=6)


def _draw_symbol(ax: Axes, row: pd.Series, *, selected: bool) -> None:
    """One feature: kind colour; solid/dashed/dotted by geometry accuracy."""
    geom = row.geometry
    colour = styles.kind_colour(row["kind"])
    dash = _mpl_dash(row["geometry_accuracy"])
    if geom.geom_type in ("LineString", "MultiLineString"):
        gpd.GeoSeries([geom]).plot(ax=ax, color=colour, linewidth=2.2, linestyle=dash, zorder=7)
    elif geom.geom_type in ("Polygon", "MultiPolygon"):
        gpd.GeoSeries([geom]).plot(
            ax=ax, facecolor=colour, alpha=0.22, edgecolor="none", zorder=6.5
        )
        gpd.GeoSeries([geom.boundary]).plot(
            ax=ax, color=colour, linewidth=1.4, linestyle=dash, zorder=6.6
        )
    else:
        coords = shapely.get_coordinates(geom)
        opacity = 0.85 if row["geometry_accuracy"] == "exact" else 0.55
        ax.scatter(
            coords[:, 0],
            coords[:, 1],
            s=80,
            facecolor=(*_rgb(colour), opacity),
            edgecolor=colour,
            linewidths=1.3,
            linestyle=dash,
            zorder=8.5 if selected else 8,
        )


def _draw_feature_label(ax: Axes, row: pd.Series, lang: str, *, selected: bool) -> None:
    geom = row.geometry
    if geom.geom_type in ("LineString", "MultiLineString"):
        anchor = shapely.line_interpolate_point(geom, 0.5, normalized=True)
    else:
        anchor = geom.representative_point()
    _outlined(
        ax.annotate,
        "\n".join(wrap_text(i18n.name_of(row, lang), 24)),
        (anchor.x, anchor.y),
        xytext=(6, 6),
        textcoords="offset points",
        fontsize=8 if selected else 7,
        color=styles.HIGHLIGHT if selected else "#222222",
        zorder=10,
        annotation_clip=True,
        halo=2.2,
        bold=styles.HIGHLIGHT if selected else None,
    )


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _draw_scale_bar(ax: Axes, bounds: Any, lang: str) -> tuple[float, float]:
    """Draw a two-segment scale bar, bottom left; return (metres, map units)."""
    from matplotlib.patches import Rectangle

    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    x0, y0 = minx + 0.04 * width, miny + 0.05 * height
    metres, units = scale_bar_length(width, ground_metres_per_unit(MAP_CRS, x0 + 0.1 * width, y0))
    bar_h = 0.009 * height
    ax.add_patch(
        Rectangle(
            (x0 - 0.012 * width, y0 - 0.035 * height),
            units + 0.05 * width,
            0.085 * height,
            facecolor="white",
            edgecolor="none",
            alpha=0.75,
            zorder=11,
        )
    )
    for i, colour in enumerate(("#222222", "white")):
        ax.add_patch(
            Rectangle(
                (x0 + i * units / 2, y0),
                units / 2,
                bar_h,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.8,
                zorder=12,
            )
        )
    unit = " km" if lang == "en" else " 千米"
    for frac, label in (
        (0.0, "0"),
        (0.5, _format_km(metres / 2)),
        (1.0, _format_km(metres) + (unit if metres >= 1000 else "")),
    ):
        ax.text(
            x0 + frac * units,
            y0 + bar_h * 1.6,
            label,
            fontsize=7.5,
            ha="center",
            va="bottom",
            zorder=12,
        )
    return metres, units


def _draw_north_arrow(ax: Axes, bounds: Any, lang: str) -> tuple[float, float]:
    """Draw an arrow to true north, top right; return its unit vector (map units)."""
    from matplotlib.patches import FancyBboxPatch

    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    x, y = minx + 0.95 * width, miny + 0.83 * height
    ux, uy = true_north(MAP_CRS, x, y)
    length = 0.08 * height
    tip = (x + ux * length, y + uy * length)
    ax.add_patch(
        FancyBboxPatch(
            (x - 0.022 * width, y - 0.02 * height),
            0.044 * width,
            0.14 * height,
            boxstyle="round,pad=0,rounding_size=0.01",
            mutation_aspect=height / width,
            facecolor="white",
            edgecolor="none",
            alpha=0.75,
            zorder=11,
        )
    )
    ax.annotate(
        "",
        xy=tip,
        xytext=(x, y),
        arrowprops={
            "arrowstyle": "-|>,head_length=0.8,head_width=0.4",
            "color": "#222222",
            "linewidth": 1.6,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        zorder=12,
    )
    _outlined(
        ax.text,
        tip[0] + ux * 0.015 * height,
        tip[1] + uy * 0.015 * height,
        i18n.t("export_north", lang),
        fontsize=11,
        ha="center",
        va="bottom",
        zorder=12,
        halo=3,
        bold="#222222",
    )
    return ux, uy


def _kind_handle(features: gpd.GeoDataFrame, kind: str) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colour = styles.kind_colour(kind)
    shape = _kind_shape(features, kind)
    if shape == "line":
        return Line2D([0, 1], [0, 0], color=colour, linewidth=2.2, solid_capstyle="round")
    if shape == "area":
        return Patch(facecolor=colour, alpha=0.35, edgecolor=colour)
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="none",
        markersize=7,
        markerfacecolor=(*_rgb(colour), 0.85),
        markeredgecolor=colour,
        markeredgewidth=1.2,
    )


def _legend_sections(
    features: gpd.GeoDataFrame, feature: str | None, lang: str
) -> list[tuple[str, list[tuple[Any, str]]]]:
    """(heading, [(handle, label), ...]) per legend section.

    Mirrors the web map's legend (:func:`circlemap.mapping.legend_html`): the
    kinds present by map group, the geometry accuracies as line styles with
    their meaning, then the base layers, with the same strings.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sections: list[tuple[str, list[tuple[Any, str]]]] = []
    present = [k for k in vocab.KINDS if k in set(features["kind"])]
    for group in vocab.KIND_GROUPS:
        in_group = [k for k in present if vocab.KINDS[k].group == group]
        if in_group:
            sections.append(
                (
                    i18n.term(vocab.KIND_GROUPS, group, lang),
                    [
                        (_kind_handle(features, k), i18n.term(vocab.KINDS, k, lang))
                        for k in in_group
                    ],
                )
            )
    if feature is not None and sections:
        colon = "：" if lang == "zh" else ": "
        name = i18n.name_of(features.loc[feature], lang)
        sections[-1][1].append(
            (
                Line2D([0, 1], [0, 0], color=styles.HIGHLIGHT, linewidth=5, alpha=0.5),
                f"{i18n.t('export_selected', lang)}{colon}{name}",
            )
        )
    accuracy_entries: list[tuple[Any, str]] = [
        (
            Line2D([0, 1], [0, 0], color="#444444", linewidth=1.8, linestyle=_mpl_dash(accuracy)),
            i18n.t(f"map_accuracy_{accuracy}", lang),
        )
        for accuracy in vocab.ACCURACIES
    ]
    sections.append((i18n.t("map_legend_accuracy", lang), accuracy_entries))
    base_entries: list[tuple[Any, str]] = [
        (
            Line2D([0, 1], [0, 0], color=styles.RIVER_COLOUR, linewidth=1.8),
            i18n.term(vocab.LAYERS, "river", lang),
        ),
        (
            Patch(facecolor=styles.CITY_FILL, edgecolor=styles.CITY_EDGE, linewidth=1.2),
            i18n.term(vocab.LAYERS, "cities", lang),
        ),
        (
            Line2D([0, 1], [0, 0], color=styles.COUNTY_EDGE, linewidth=0.8),
            i18n.term(vocab.LAYERS, "counties", lang),
        ),
        (
            Patch(facecolor=styles.CONTEXT_FILL, edgecolor=styles.CONTEXT_EDGE),
            i18n.term(vocab.LAYERS, "context", lang),
        ),
    ]
    sections.append((i18n.t("map_legend_base", lang), base_entries))
    return sections


def _draw_legend(panel: Axes, features: gpd.GeoDataFrame, feature: str | None, lang: str) -> None:
    """Stack one matplotlib legend per section in the side panel, top down."""
    from matplotlib.legend import Legend

    sections = _legend_sections(features, feature, lang)
    rows = sum(len(entries) + 1 for _, entries in sections)
    fontsize = 8.5 if rows <= 30 else 7.2
    wrap = 36 if fontsize > 8 else 42
    renderer = panel.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    title = _outlined(
        panel.text,
        0.0,
        1.0,
        i18n.t("map_legend", lang),
        fontsize=fontsize + 3.5,
        va="top",
        ha="left",
        transform=panel.transAxes,
        bold="black",
    )
    top = _bottom_of(title, panel, renderer) - 0.02
    for heading, entries in sections:
        # A Legend artist per section (not ``panel.legend``, which would also
        # keep the last one as the axes legend and draw it twice).
        legend = Legend(
            panel,
            [handle for handle, _ in entries],
            ["\n".join(wrap_text(text, wrap)) for _, text in entries],
            loc="upper left",
            bbox_to_anchor=(0.0, top),
            bbox_transform=panel.transAxes,
            frameon=False,
            fontsize=fontsize,
            title=heading,
            title_fontproperties={"size": fontsize + 1},
            alignment="left",
            handlelength=2.8,
            borderaxespad=0.0,
            borderpad=0.0,
            labelspacing=0.5,
        )
        panel.add_artist(legend)
        top = _bottom_of(legend, panel, renderer) - 0.025


def _bottom_of(artist: Any, panel: Axes, renderer: Any) -> float:
    """Bottom edge of a drawn artist in the panel's axes fraction."""
    box = artist.get_window_extent(renderer)
    return float(panel.transAxes.inverted().transform((box.x0, box.y0))[1])


def _title(selection: Selection, lang: str) -> str:
    title = i18n.t("app_title", lang)
    if selection.cities:
        sep = "、" if lang == "zh" else ", "
        title += " · " + sep.join(i18n.city_name(c, lang) for c in selection.cities)
    return title


def _subtitle(selection: Selection, lang: str, count: int, today: dt.date) -> str:
    colon = "：" if lang == "zh" else ": "
    bar = "｜" if lang == "zh" else " | "
    parts = [f"{key} {value}" for key, value in filters_summary(selection, lang).items()]
    text = i18n.t("export_filters", lang) + colon + bar.join(parts)
    text += bar + i18n.t("export_features_count", lang).format(n=count)
    text += bar + i18n.t("export_date", lang) + " " + today.isoformat()
    return text


def _sources_line(features: gpd.GeoDataFrame, lang: str) -> str:
    sources = sorted({str(s) for s in features["source"].dropna()})
    colon = "：" if lang == "zh" else ": "
    sep = "、" if lang == "zh" else ", "
    if not sources:
        return ""
    shown = sep.join(sources[:MAX_LISTED_SOURCES])
    if len(sources) > MAX_LISTED_SOURCES:
        more = i18n.t("export_sources_more", lang).format(n=len(sources) - MAX_LISTED_SOURCES)
        shown += (" " if lang == "en" else "") + more
    return i18n.t("export_sources", lang) + colon + shown


def build_figure(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    feature: str | None = None,
    today: dt.date | None = None,
) -> Any:
    """The print map as a matplotlib :class:`~matplotlib.figure.Figure` (A4 landscape).

    Call under :func:`matplotlib.rc_context` with :func:`circlemap.fonts.export_rc`
    (as :func:`render_print` does) so text uses the bundled font.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    today = today or dt.date.today()
    features = selected_features(catalog, selection, feature=feature)
    layers = _project(catalog, features)
    fig = Figure(figsize=PAGE_SIZE_IN, facecolor="white")
    FigureCanvasAgg(fig)
    map_box = (0.03, 0.115, 0.645, 0.765)
    ax = fig.add_axes(map_box)
    panel = fig.add_axes((0.70, 0.115, 0.28, 0.765))
    panel.set_axis_off()
    aspect = (map_box[2] * PAGE_SIZE_IN[0]) / (map_box[3] * PAGE_SIZE_IN[1])
    bounds = _extent(layers, selection, aspect)

    ax.set_facecolor(styles.WATER_BACKGROUND)  # as the web map's container
    _draw_base(ax, layers, selection, lang, bounds)
    _draw_features(ax, layers.features, feature, lang)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.8)
    _draw_scale_bar(ax, bounds, lang)
    _draw_north_arrow(ax, bounds, lang)
    if features.empty:
        ax.text(
            0.5,
            0.5,
            i18n.t("export_no_features", lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=12,
            color="#555555",
            zorder=13,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#bbbbbb"},
        )
    _draw_legend(panel, features, feature, lang)

    _outlined(
        fig.text,
        0.03,
        0.955,
        _title(selection, lang),
        fontsize=18,
        va="top",
        halo=0,
        bold="black",
    )
    subtitle = "\n".join(wrap_text(_subtitle(selection, lang, len(features), today), 190))
    fig.text(0.03, 0.905, subtitle, fontsize=8.5, color="#444444", va="top")
    footer = [
        _sources_line(features, lang),
        i18n.t("export_attribution", lang),
        i18n.t("export_projection", lang),
    ]
    lines = [line for text in footer if text for line in wrap_text(text, 230)]
    fig.text(0.03, 0.018, "\n".join(lines), fontsize=6.5, color="#555555", va="bottom")
    return fig


def render_print(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    fmt: str,
    feature: str | None = None,
    today: dt.date | None = None,
    width_px: int = DEFAULT_WIDTH_PX,
) -> bytes:
    """PNG, PDF or SVG bytes of :func:`build_figure`.

    PNG is ``width_px`` wide (height in A4 proportion); PDF and SVG are A4
    landscape with the bundled font embedded (PDF: TrueType subsets; SVG:
    ``<text>`` plus an ``@font-face`` subset).
    """
    import matplotlib as mpl

    from circlemap import fonts

    if fmt not in PRINT_FORMATS:
        msg = f"{fmt!r} is not a print format (expected one of {', '.join(PRINT_FORMATS)})"
        raise ExportError(msg)
    today = today or dt.date.today()
    title = _title(selection, lang)
    rc: Any = fonts.export_rc()  # matplotlib types rc keys as literals
    with _RENDER_LOCK, mpl.rc_context(rc), fonts.quiet_subsetting():
        fig = build_figure(catalog, selection, lang=lang, feature=feature, today=today)
        buffer = io.BytesIO()
        if fmt == "png":
            fig.savefig(
                buffer,
                format="png",
                dpi=(width_px + 0.5) / PAGE_SIZE_IN[0],
                metadata={"Title": title, "Software": "Circle Map"},
            )
        elif fmt == "pdf":
            fig.savefig(
                buffer,
                format="pdf",
                metadata={
                    "Title": title,
                    "Subject": i18n.t("app_title", lang),
                    "Creator": "Circle Map",
                    "CreationDate": None,
                },
            )
        else:
            fig.savefig(buffer, format="svg", metadata={"Title": title, "Date": today.isoformat()})
    data = buffer.getvalue()
    if fmt == "svg":
        data = _embed_svg_font(data)
    return data


def _embed_svg_font(svg: bytes) -> bytes:
    """Add an ``@font-face`` rule (font subset to the SVG's text) to a matplotlib SVG.

    The rule goes first in the ``<defs>`` matplotlib writes; its CSS holds no
    markup characters (a base64 data URL), so it is inserted as plain text.
    """
    import xml.etree.ElementTree as ET

    from circlemap import fonts

    # Our own matplotlib output, not untrusted input.
    root = ET.fromstring(svg)  # noqa: S314
    text = "".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))
    style = f'<style type="text/css">{fonts.font_face_css(text + "0123456789")}</style>'
    head, sep, tail = svg.partition(b"<defs>")
    if not sep:
        msg = "matplotlib SVG without <defs>: cannot embed the export font"
        raise ExportError(msg)
    return head + sep + b"\n  " + style.encode("utf-8") + tail


# --- interactive HTML ----------------------------------------------------------------------


def render_html(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    feature: str | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The interactive map as one standalone UTF-8 HTML file that opens offline.

    Same layers, styles, legend and tooltips as the app (tile-free basemap),
    fitted to the selection, with a caption holding the title, filters and date.
    """
    from branca.element import Element

    from circlemap import mapping

    today = today or dt.date.today()
    features = selected_features(catalog, selection, feature=feature)
    fmap = mapping.build_base_map(catalog, lang=lang, basemap="none")
    layer = mapping.build_feature_layer(
        catalog,
        features,
        lang=lang,
        basemap="none",
        selected_id=feature,
        highlight_cities=selection.cities,
    )
    layer.add_to(fmap)
    if selection.cities:
        towns = pd.concat([catalog.cities, catalog.context])
        focus = list(towns[towns["name_zh"].isin(selection.cities)].geometry)
    else:
        focus = list(catalog.cities.geometry)
    minx, miny, maxx, maxy = shapely.total_bounds([*focus, *features.geometry.dropna()])
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    caption = (
        '<div class="circlemap-export-caption" style="position:absolute;top:10px;left:54px;'
        "z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.25);font:13px sans-serif;max-width:60%">'
        f"<b>{escape(_title(selection, lang))}</b><br>"
        f'<span style="font-size:11px;color:#444">'
        f"{escape(_subtitle(selection, lang, len(features), today))}</span></div>"
    )
    fmap.get_root().html.add_child(Element(caption))  # type: ignore[attr-defined]
    page = mapping.render_standalone_html(fmap, title=_title(selection, lang), lang=lang)
    return page.encode("utf-8")


# --- command line --------------------------------------------------------------------------


def _split(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        out += [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]
    return out


def _city_key(name: str) -> str | None:
    folded = re.sub(r"[^a-z]", "", name.casefold())
    for city in vocab.CITIES:
        if name in (city.zh, city.adcode) or folded == re.sub(r"[^a-z]", "", city.en.casefold()):
            return city.zh
    return None


def _keys(values: list[str], mapping: dict[str, vocab.Term], what: str) -> tuple[str, ...]:
    keys = []
    for value in values:
        found = next(
            (
                k
                for k, term in mapping.items()
                if value.casefold() in (k, term.zh, term.en.casefold())
            ),
            None,
        )
        if found is None:
            msg = f"unknown {what} {value!r} (expected one of {', '.join(mapping)})"
            raise ExportError(msg)
        keys.append(found)
    return tuple(keys)


def selection_from_args(args: argparse.Namespace) -> Selection:
    """The :class:`Selection` of ``--city/--kind/--status/--category`` (zh, en or key)."""
    cities = []
    for name in _split(args.city):
        key = _city_key(name)
        if key is None:
            known = ", ".join(f"{c.zh} ({c.en})" for c in vocab.CITIES)
            msg = f"unknown city {name!r} (expected one of {known})"
            raise ExportError(msg)
        cities.append(key)
    return Selection(
        cities=tuple(cities),
        kinds=_keys(_split(args.kind), vocab.KINDS, "kind"),
        statuses=_keys(_split(args.status), vocab.STATUSES, "status"),
        categories=_keys(_split(args.category), vocab.CATEGORIES, "category"),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``python -m circlemap export``."""
    parser.epilog = (
        "example: python -m circlemap export --city 淄博 --kind rail --lang en "
        "--format pdf -o out.pdf"
    )
    parser.add_argument(
        "--city",
        action="append",
        metavar="CITY",
        help="city (zh or en name), repeatable or comma-separated; default: the whole circle",
    )
    parser.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help=f"feature kind, repeatable or comma-separated ({', '.join(vocab.KINDS)})",
    )
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help=f"status, repeatable or comma-separated ({', '.join(vocab.STATUSES)})",
    )
    parser.add_argument(
        "--category",
        action="append",
        metavar="CATEGORY",
        help="measure category, repeatable or comma-separated",
    )
    parser.add_argument("--feature", metavar="ID", help="id of a feature to highlight")
    parser.add_argument(
        "--lang",
        default=settings.DEFAULT_LANG,
        help=f"language of the export ({', '.join(settings.LANGS)}; default %(default)s)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        help=f"{'|'.join(FORMATS)}; default: from the -o suffix, else pdf",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file to write ('-' for standard output); default: a descriptive name here",
    )
    parser.add_argument(
        "--width",
        type=int,
        default=DEFAULT_WIDTH_PX,
        metavar="PX",
        help="PNG width in pixels (default %(default)s)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="date printed on the export (default: today)"
    )


def _load_catalog() -> Catalog:
    from circlemap.catalog import load_catalog

    return load_catalog()


def _output_path(output: str | None, name: str) -> Path:
    path = Path(output) if output else Path.cwd() / name
    if path.is_dir():
        msg = f"output {str(path)!r} is a directory (give a file name, e.g. {path / name})"
        raise ExportError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        msg = f"cannot write {str(path)!r}: folder {str(parent)!r} does not exist"
        raise ExportError(msg)
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        msg = f"cannot write {str(path)!r}: permission denied"
        raise ExportError(msg)
    return path


def run(args: argparse.Namespace) -> int:
    """Run ``export``: check every argument, render, write; return the exit code.

    Raises
    ------
    ExportError
        With a message naming the bad argument (the CLI prints it, exit 2).
    """
    fmt = args.fmt
    if fmt is None:
        suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
        fmt = {"json": "geojson", "htm": "html"}.get(suffix, suffix) if suffix else "pdf"
    fmt = fmt.lower()
    check_format(fmt)
    if args.lang not in settings.LANGS:
        msg = f"unknown language {args.lang!r} (expected one of {', '.join(settings.LANGS)})"
        raise ExportError(msg)
    try:
        today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        msg = f"bad --date {args.date!r} (expected YYYY-MM-DD)"
        raise ExportError(msg) from None
    selection = selection_from_args(args)
    name = suggested_filename(selection, args.lang, fmt, today, feature=args.feature)
    to_stdout = args.output == "-"
    path = None if to_stdout else _output_path(args.output, name)
    catalog = _load_catalog()
    data = export(
        catalog,
        selection,
        lang=args.lang,
        fmt=fmt,
        feature=args.feature,
        today=today,
        width_px=args.width,
    )
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        path.write_bytes(data)
    except OSError as exc:
        msg = f"cannot write {str(path)!r}: {exc.strerror or exc}"
        raise ExportError(msg) from exc
    print(f"wrote {path} ({len(data) / 1024:.0f} KiB, {fmt})")
    return 0
