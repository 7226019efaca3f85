"""Exports of the current view: print maps, an offline HTML map, and the data behind them.

One code path serves the app's download buttons and the command line::

    data = export(catalog, selection, lang="en", fmt="pdf", feature=None, basemap="osm")
    name = suggested_filename(selection, "en", "pdf", today)

Formats
-------
``png`` (slides, >= 2400 px wide), ``pdf`` and ``svg`` (print)
    Rendered on the server with matplotlib, no browser and no internet: an
    A4-landscape map drawn in UTM zone 50N (:data:`circlemap.settings.METRIC_CRS`,
    metres) so the scale bar is true, with title, legend (colours per kind from
    :mod:`circlemap.styles`, dashes per geometry accuracy with their meaning),
    north arrow (true north, not grid north), the active filters, the date,
    the sources and an attribution line. The background is the vector context
    (other Shandong cities, counties, the Yellow River); with a tiled
    ``basemap`` (a key of :data:`circlemap.basemaps.BASEMAPS`, as the web
    map's switch) the server also fetches that provider's tiles, warps them
    from Web Mercator into the UTM frame under lighter vector fills, and
    credits the provider in the attribution line. Tiles are all or nothing:
    when any tile cannot be fetched within :data:`TILE_TIMEOUT_S` seconds
    (no network, a missing Tianditu key, an error answer) the whole map keeps
    the vector background and the footer says why, so never a broken or
    half-tiled image. Amap tiles are in GCJ-02: they are warped back to
    WGS-84 with the GCJ-02 formula, so the vector layers stay unshifted.
    Text is set in the bundled font of :mod:`circlemap.fonts`; PDFs embed it
    (TrueType subsets, extractable text).
``html``
    The interactive map as one standalone file (assets inlined) built with
    :func:`circlemap.mapping.build_base_map`, :func:`~circlemap.mapping.build_feature_layer`
    and :func:`~circlemap.mapping.render_standalone_html` on the tile-free basemap
    (whatever ``basemap`` says: the file must open offline).
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
import http.client
import io
import json
import logging
import math
import os
import queue
import re
import sys
import textwrap
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from circlemap import __version__, basemaps, crs, filters, i18n, panels, settings, styles, vocab
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
DEFAULT_VIEW: Final = "overview"
"""The map page an export shows unless told otherwise (every feature the selection keeps)."""

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
    basemap: str | basemaps.Basemap = basemaps.DEFAULT_BASEMAP,
    tianditu_key: str | None = None,
    view: str = DEFAULT_VIEW,
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
    basemap : str or Basemap
        Background of the print formats: a key of
        :data:`circlemap.basemaps.BASEMAPS` (``"none"``, the default, draws no
        tiles and needs no network), or a :class:`~circlemap.basemaps.Basemap`
        (e.g. one pointed at another tile server). Tiles that cannot be
        fetched leave the vector background and a note in the footer. The
        HTML and data formats ignore it.
    tianditu_key : str, optional
        Key for ``basemap="tianditu"``; without one that basemap falls back.
    view : str
        The map page whose features to export, a key of
        :data:`circlemap.panels.MAP_VIEWS` (``"overview"``: every feature the
        selection keeps; ``"transport"``: its links; ``"ecology"``: its
        corridors and the sites along the river). The CSV holds the measures
        that page lists (the ecology page: the ecology measures).

    Returns
    -------
    bytes
        The file's content (UTF-8 for the text formats, with a BOM for CSV).

    Raises
    ------
    ExportError
        For an unknown format, language, basemap, view or feature id, or a bad
        PNG width. Unreachable tiles are not an error.
    """
    check_format(fmt)
    check_view(view)
    base = check_basemap(basemap)
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
            selected_features(catalog, selection, view=view),
            lang=lang,
            today=today,
            selection=selection,
        )
    if fmt == "csv":
        return measures_csv(selected_measures(catalog, selection, view=view), lang=lang)
    if fmt == "html":
        return render_html(catalog, selection, lang=lang, feature=feature, today=today, view=view)
    return render_print(
        catalog,
        selection,
        lang=lang,
        fmt=fmt,
        feature=feature,
        today=today,
        width_px=width_px,
        basemap=base,
        tianditu_key=tianditu_key,
        view=view,
    )


def check_view(view: str) -> str:
    """``view`` if it is a map page (:data:`circlemap.panels.MAP_VIEWS`), else ExportError."""
    if view not in panels.MAP_VIEWS:
        msg = f"unknown view {view!r} (expected one of {', '.join(panels.MAP_VIEWS)})"
        raise ExportError(msg)
    return view


def check_format(fmt: str) -> ExportFormat:
    """The :class:`ExportFormat` of ``fmt``; :class:`ExportError` if unknown."""
    try:
        return FORMATS[fmt]
    except KeyError:
        msg = f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})"
        raise ExportError(msg) from None


def check_basemap(basemap: str | basemaps.Basemap) -> basemaps.Basemap:
    """The :class:`~circlemap.basemaps.Basemap` of a key; :class:`ExportError` if unknown."""
    if isinstance(basemap, basemaps.Basemap):
        return basemap
    try:
        return basemaps.get_basemap(basemap)
    except basemaps.BasemapError as exc:
        raise ExportError(str(exc)) from None


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
    view: str = DEFAULT_VIEW,
) -> str:
    """An ASCII file name that says what the export holds.

    ``circle-map_<view>_<cities>_<kinds>_<statuses>_<categories>_<feature>_<lang>_<date>.<ext>``,
    leaving out the filters that are not set and the view when it is the
    overview; ``circle`` stands for "all cities".
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
    parts = [FILENAME_PREFIX]
    if check_view(view) != DEFAULT_VIEW:
        parts.append(view)
    parts.append(_name_part(cities, "cities") or "circle")
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
    catalog: Catalog,
    selection: Selection,
    *,
    feature: str | None = None,
    view: str = DEFAULT_VIEW,
) -> gpd.GeoDataFrame:
    """Features the map of page ``view`` draws (EPSG:4326), plus ``feature`` if it is hidden."""
    kept = panels.map_view_features(catalog, selection, check_view(view))
    if feature is not None and feature not in kept.index:
        kept = pd.concat([kept, catalog.features.loc[[feature]]])
    return kept


def selected_measures(
    catalog: Catalog, selection: Selection, *, view: str = DEFAULT_VIEW
) -> pd.DataFrame:
    """Measures the page ``view`` lists for the selection (the ecology page: ecology only)."""
    if check_view(view) == "ecology":
        return panels.ecology_measures(catalog, selection)
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
        props["status_label"] = i18n.term(vocab.STATUSES, row["status"], lang)
        props["accuracy_label"] = i18n.term(vocab.ACCURACIES, row["geometry_accuracy"], lang)
        props["source_title"] = panels.source_title(row["source"], lang)
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
    "source_title",
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
                "source_title": panels.source_title(row["source"], lang),
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


# --- tile background -----------------------------------------------------------------------

TILE_SIZE: Final = 256
"""Edge of a web map tile (pixels)."""

TILE_TIMEOUT_S: float = 4.0
"""Seconds a print export may spend fetching basemap tiles, all tiles together;
past that it draws the vector background. Read at call time."""

MAX_TILES: int = 64
"""Most tiles fetched per tile layer: the zoom drops until the frame fits. Read at call time."""

TILE_WORKERS: Final = 6
"""Tiles fetched at once."""

MAX_TILE_BYTES: Final = 2 * 1024 * 1024
"""A larger answer is not a tile."""

PRINT_RASTER_DPI: Final = 200
"""Resolution of the tile background in PDF and SVG (dots per inch of paper)."""

MAX_RASTER_WIDTH_PX: Final = 2400
"""Widest tile background (pixels); wider PNGs upsample it, as the capped tiles
hold no more detail."""

TILE_USER_AGENT: Final = f"CircleMap/{__version__} (print export)"
"""Sent with every tile request, as tile usage policies ask."""

_WEB_MERCATOR_HALF: Final = math.pi * 6378137.0
"""Half the width of the EPSG:3857 world (metres)."""

_GRID_STEP: Final = 8
"""Tile coordinates are computed every this many raster pixels and interpolated
between (the UTM -> Web Mercator map is smooth: far below a pixel of error)."""

_CHUNK_ROWS: Final = 256
"""Raster rows resampled at a time (bounds the memory of a warp)."""

_LOG: Final = logging.getLogger(__name__)


class TileError(ExportError):
    """Basemap tiles could not be used, so the print map keeps its vector background.

    Parameters
    ----------
    reason : {"key", "network", "timeout", "http", "invalid"}
        What went wrong; selects the footer's explanation
        (``export_tiles_reason_<reason>`` in :mod:`circlemap.i18n`).
    message : str
        The English message (logs, ``str(error)``).
    **params
        Values the explanation quotes (``host``, ``status``, ``seconds`` ...).
    """

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params

    def explain(self, lang: str) -> str:
        """Why no tiles were drawn, in ``lang`` (for the footer)."""
        return i18n.t(f"export_tiles_reason_{self.reason}", lang).format(**self.params)


@dataclass(frozen=True, slots=True, eq=False)
class TileBackground:
    """Basemap tiles warped onto a print map's frame.

    Attributes
    ----------
    image : numpy.ndarray
        ``(rows, cols, 4)`` RGBA, ``uint8``; row 0 is the top (north) edge.
    bounds : tuple of float
        ``(minx, miny, maxx, maxy)`` the image covers, :data:`MAP_CRS` metres.
    zoom : int
        Zoom level of the tiles.
    tile_count : int
        Tiles fetched, over every tile layer of the basemap.
    """

    image: np.ndarray
    bounds: tuple[float, float, float, float]
    zoom: int
    tile_count: int


def map_to_world_pixels(x: Any, y: Any, *, gcj02: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Where map points fall on web map tiles, in world pixels at zoom 0.

    Parameters
    ----------
    x, y : array_like
        Points in :data:`MAP_CRS` (UTM 50N, metres; WGS-84 datum).
    gcj02 : bool
        True for tiles drawn in GCJ-02 (Amap): the points are moved with the
        GCJ-02 forward formula (:func:`circlemap.crs.wgs84_to_gcj02`), so a
        true WGS-84 place samples the tile pixel that shows it. Warping the
        tiles this way leaves the vector layers where they are.

    Returns
    -------
    (px, py) : tuple of numpy.ndarray
        Web Mercator (EPSG:3857) pixel coordinates in a world 256 pixels
        wide: ``px`` east from 180°W, ``py`` south from 85.05°N. Multiply by
        ``2 ** zoom`` for the pixels at ``zoom``; ``// 256`` is the tile.
    """
    to_lonlat = Transformer.from_crs(MAP_CRS, settings.STORAGE_CRS, always_xy=True)
    to_mercator = Transformer.from_crs(settings.STORAGE_CRS, "EPSG:3857", always_xy=True)
    lon, lat = to_lonlat.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    if gcj02:
        lon, lat = crs.wgs84_to_gcj02(lon, lat)
    mx, my = to_mercator.transform(lon, lat)
    scale = TILE_SIZE / (2 * _WEB_MERCATOR_HALF)
    return (
        (np.asarray(mx) + _WEB_MERCATOR_HALF) * scale,
        (_WEB_MERCATOR_HALF - np.asarray(my)) * scale,
    )


def _frame_grid(
    bounds: tuple[float, float, float, float], shape: tuple[int, int], *, gcj02: bool
) -> tuple[np.ndarray, np.ndarray]:
    """World pixels (zoom 0) of every :data:`_GRID_STEP`-th raster pixel centre.

    The nodes are evenly spread from the first to the last pixel centre of
    each axis (at least two per axis); returns two ``(node_rows, node_cols)``
    arrays.
    """
    rows, cols = shape
    minx, miny, maxx, maxy = bounds
    node_cols = max(2, math.ceil((cols - 1) / _GRID_STEP) + 1)
    node_rows = max(2, math.ceil((rows - 1) / _GRID_STEP) + 1)
    xs = minx + (np.linspace(0, cols - 1, node_cols) + 0.5) * (maxx - minx) / cols
    ys = maxy - (np.linspace(0, rows - 1, node_rows) + 0.5) * (maxy - miny) / rows
    grid_x, grid_y = np.meshgrid(xs, ys)
    return map_to_world_pixels(grid_x, grid_y, gcj02=gcj02)


def _bilinear(grid: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Sample ``grid`` (H, W, C), H and W >= 2, at fractional column ``u`` and row ``v``.

    Positions are clamped to the grid; the result is float (float64 for a
    float64 grid, float32 otherwise) with shape ``u.shape + (C,)``.
    """
    height, width = grid.shape[:2]
    dtype = np.float64 if grid.dtype == np.float64 else np.float32
    u = np.clip(u, 0, width - 1)
    v = np.clip(v, 0, height - 1)
    u0 = np.minimum(np.floor(u).astype(np.intp), width - 2)
    v0 = np.minimum(np.floor(v).astype(np.intp), height - 2)
    fu = (u - u0).astype(dtype)[..., None]
    fv = (v - v0).astype(dtype)[..., None]
    top = grid[v0, u0] * (1 - fu) + grid[v0, u0 + 1] * fu
    bottom = grid[v0 + 1, u0] * (1 - fu) + grid[v0 + 1, u0 + 1] * fu
    return np.asarray(top * (1 - fv) + bottom * fv, dtype=dtype)


def _tile_range(px: np.ndarray, py: np.ndarray, zoom: int) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of the tiles under the pixels.

    One tile pixel of margin covers the bilinear neighbours of the edge pixels.
    """
    scale = 2.0**zoom
    last = 2**zoom - 1

    def index(value: float) -> int:
        return min(max(math.floor(value / TILE_SIZE), 0), last)

    return (
        index(float(px.min()) * scale - 1),
        index(float(py.min()) * scale - 1),
        index(float(px.max()) * scale + 1),
        index(float(py.max()) * scale + 1),
    )


def _tile_zoom(px: np.ndarray, py: np.ndarray, cols: int, *, max_zoom: int, max_tiles: int) -> int:
    """Zoom whose tile pixels are closest to the raster's, within ``max_tiles`` tiles.

    ``px``, ``py`` are world pixels (zoom 0) of a grid spanning ``cols``
    raster pixels from west to east.
    """
    per_pixel = (float(px.max()) - float(px.min())) / max(cols - 1, 1)
    zoom = min(max(round(-math.log2(per_pixel)), 0), max_zoom)
    while zoom > 0:
        tx0, ty0, tx1, ty1 = _tile_range(px, py, zoom)
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= max_tiles:
            break
        zoom -= 1
    return zoom


def warp_tiles(
    mosaic: np.ndarray,
    *,
    zoom: int,
    origin: tuple[int, int],
    bounds: tuple[float, float, float, float],
    shape: tuple[int, int],
    gcj02: bool = False,
) -> np.ndarray:
    """Resample a mosaic of Web Mercator tiles onto a print map's frame (bilinear).

    Parameters
    ----------
    mosaic : numpy.ndarray
        ``(H, W, 4)`` RGBA ``uint8``: tiles side by side, the top-left pixel
        being the top-left corner of tile ``origin``.
    zoom : int
        Zoom level of the tiles.
    origin : (int, int)
        Column and row (``x``, ``y``) of the mosaic's top-left tile.
    bounds : tuple of float
        Frame ``(minx, miny, maxx, maxy)`` in :data:`MAP_CRS` metres.
    shape : (int, int)
        ``(rows, cols)`` of the result.
    gcj02 : bool
        The tiles are drawn in GCJ-02 (see :func:`map_to_world_pixels`).

    Returns
    -------
    numpy.ndarray
        ``(rows, cols, 4)`` RGBA ``uint8``, row 0 north; pixels the mosaic
        does not cover are transparent.
    """
    rows, cols = shape
    grid = np.stack(_frame_grid(bounds, shape, gcj02=gcj02), axis=-1)
    scale = 2.0**zoom
    height, width = mosaic.shape[:2]
    node_rows, node_cols = grid.shape[:2]
    u_nodes = np.arange(cols) * ((node_cols - 1) / max(cols - 1, 1))
    out = np.zeros((rows, cols, 4), dtype=np.uint8)
    for start in range(0, rows, _CHUNK_ROWS):
        v_nodes = np.arange(start, min(rows, start + _CHUNK_ROWS)) * (
            (node_rows - 1) / max(rows - 1, 1)
        )
        uu, vv = np.meshgrid(u_nodes, v_nodes)
        world = _bilinear(grid, uu, vv)
        # mosaic pixel (i, j) is centred at (i + 0.5, j + 0.5) from its corner
        u = world[..., 0] * scale - origin[0] * TILE_SIZE - 0.5
        v = world[..., 1] * scale - origin[1] * TILE_SIZE - 0.5
        inside = (u >= -0.5) & (u <= width - 0.5) & (v >= -0.5) & (v <= height - 0.5)
        pixels = np.clip(np.rint(_bilinear(mosaic, u, v)), 0, 255).astype(np.uint8)
        pixels[~inside] = 0
        out[start : start + len(v_nodes)] = pixels
    return out


def _tile_url(template: str, subdomains: str, zoom: int, x: int, y: int) -> str:
    """A tile's URL from a Leaflet template (``{s}`` spread over the subdomains)."""
    choices = subdomains or "abc"  # Leaflet's default, as the web map
    return (
        template.replace("{s}", choices[(x + y) % len(choices)])
        .replace("{z}", str(zoom))
        .replace("{x}", str(x))
        .replace("{y}", str(y))
    )


def _fetch_tile(url: str, deadline: float) -> np.ndarray:
    """Download and decode one tile to ``(256, 256, 4)`` RGBA; :class:`TileError` if not."""
    from PIL import Image

    host = urlsplit(url).netloc or url
    remaining = max(deadline - time.monotonic(), 0.01)
    request = urllib.request.Request(url, headers={"User-Agent": TILE_USER_AGENT})  # noqa: S310
    try:
        # The scheme is checked (http or https) by tile_background.
        with urllib.request.urlopen(request, timeout=remaining) as response:  # noqa: S310
            data = response.read(MAX_TILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        msg = f"{host} answered HTTP {exc.code} for {url}"
        raise TileError("http", msg, host=host, status=exc.code) from exc
    except (OSError, http.client.HTTPException) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        msg = f"cannot reach {host}: {reason}"
        raise TileError("network", msg, host=host) from exc
    if len(data) > MAX_TILE_BYTES:
        msg = f"{host} sent more than {MAX_TILE_BYTES} bytes for one tile ({url})"
        raise TileError("invalid", msg, host=host)
    try:
        with Image.open(io.BytesIO(data)) as image:
            rgba = np.asarray(image.convert("RGBA"))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        msg = f"unreadable tile from {host} ({url}): {exc}"
        raise TileError("invalid", msg, host=host) from exc
    if rgba.shape != (TILE_SIZE, TILE_SIZE, 4):
        msg = f"tile of {rgba.shape[1]}x{rgba.shape[0]} px from {host}, expected 256x256"
        raise TileError("invalid", msg, host=host)
    return rgba


def fetch_tiles(urls: Sequence[str], *, timeout: float) -> list[np.ndarray]:
    """Download and decode tiles, several at once, all within ``timeout`` seconds.

    All or nothing: the first tile that fails (or the deadline) raises, and
    the tiles still in flight are abandoned. The workers are daemon threads
    whose sockets time out by the deadline, so a stalled server or resolver
    never holds an export (or the process's exit) back.

    Returns
    -------
    list of numpy.ndarray
        ``(256, 256, 4)`` RGBA ``uint8`` per URL, in order.

    Raises
    ------
    TileError
        A tile could not be fetched or read, or not every tile arrived in time.
    """
    deadline = time.monotonic() + timeout
    jobs: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
    for job in enumerate(urls):
        jobs.put(job)
    outcomes: queue.SimpleQueue[tuple[int, np.ndarray | Exception]] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                index, url = jobs.get_nowait()
            except queue.Empty:
                return
            outcome: np.ndarray | Exception
            try:
                outcome = _fetch_tile(url, deadline)
            except Exception as exc:  # handed to the caller's thread, raised there
                outcome = exc
            outcomes.put((index, outcome))

    for number in range(min(TILE_WORKERS, len(urls))):
        threading.Thread(target=work, name=f"circlemap-tile-{number}", daemon=True).start()
    tiles: dict[int, np.ndarray] = {}
    try:
        while len(tiles) < len(urls):
            try:
                index, outcome = outcomes.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                msg = f"not all {len(urls)} tiles arrived within {timeout:g} s"
                raise TileError("timeout", msg, seconds=timeout, count=len(urls)) from None
            if isinstance(outcome, Exception):
                raise outcome
            tiles[index] = outcome
    finally:
        stop.set()
    return [tiles[index] for index in range(len(urls))]


def _mosaic(tiles: Sequence[np.ndarray], columns: int) -> np.ndarray:
    """Tiles in row-major order side by side."""
    rows = [np.concatenate(tiles[i : i + columns], axis=1) for i in range(0, len(tiles), columns)]
    return np.concatenate(rows, axis=0)


def _over(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``upper`` composited over ``lower`` (RGBA ``uint8``, straight alpha)."""
    low = lower.astype(np.float32) / 255
    up = upper.astype(np.float32) / 255
    alpha = up[..., 3:] + low[..., 3:] * (1 - up[..., 3:])
    rgb = up[..., :3] * up[..., 3:] + low[..., :3] * low[..., 3:] * (1 - up[..., 3:])
    rgb = rgb / np.maximum(alpha, 1e-6)
    return np.clip(np.rint(np.concatenate([rgb, alpha], axis=-1) * 255), 0, 255).astype(np.uint8)


def tile_background(
    basemap: basemaps.Basemap,
    bounds: tuple[float, float, float, float],
    *,
    shape: tuple[int, int],
    tianditu_key: str | None = None,
) -> TileBackground:
    """Fetch the tiles of ``basemap`` that cover ``bounds``, mosaic and warp them.

    The zoom is the one whose tile pixels are closest to the raster's, lowered
    until each tile layer needs at most :data:`MAX_TILES` tiles; layers
    (Tianditu's map and labels) are composited bottom first.

    Parameters
    ----------
    basemap : Basemap
        A basemap with tiles (Web Mercator; ``crs="gcj02"`` for Amap).
    bounds : tuple of float
        Frame ``(minx, miny, maxx, maxy)`` in :data:`MAP_CRS` metres.
    shape : (int, int)
        ``(rows, cols)`` of the raster to draw, both >= 2.
    tianditu_key : str, optional
        Key of a basemap that needs one.

    Raises
    ------
    TileError
        A needed key is missing, or a tile cannot be fetched or read within
        :data:`TILE_TIMEOUT_S` seconds in all.
    ExportError
        The basemap has no tiles, or a template that is not http(s).
    """
    if not basemap.tiles:
        msg = f"basemap {basemap.key!r} has no tiles"
        raise ExportError(msg)
    try:
        templates = basemaps.tile_urls(basemap, key=tianditu_key)
    except basemaps.BasemapError as exc:
        raise TileError("key", str(exc), env=basemap.key_env or settings.TIANDITU_KEY_ENV) from exc
    for template in templates:
        if urlsplit(template).scheme not in ("http", "https"):
            msg = f"basemap {basemap.key!r}: tile URL {template!r} is not http(s)"
            raise ExportError(msg)
    px, py = _frame_grid(bounds, shape, gcj02=basemap.is_gcj02)
    max_zoom = min(spec.max_zoom for spec in basemap.tiles)
    zoom = _tile_zoom(px, py, shape[1], max_zoom=max_zoom, max_tiles=MAX_TILES)
    tx0, ty0, tx1, ty1 = _tile_range(px, py, zoom)
    cells = [(x, y) for y in range(ty0, ty1 + 1) for x in range(tx0, tx1 + 1)]
    urls = [
        _tile_url(template, spec.subdomains, zoom, x, y)
        for template, spec in zip(templates, basemap.tiles, strict=True)
        for x, y in cells
    ]
    tiles = fetch_tiles(urls, timeout=TILE_TIMEOUT_S)
    columns = tx1 - tx0 + 1
    mosaic = _mosaic(tiles[: len(cells)], columns)
    for layer in range(1, len(templates)):
        upper = _mosaic(tiles[layer * len(cells) : (layer + 1) * len(cells)], columns)
        mosaic = _over(mosaic, upper)
    image = warp_tiles(
        mosaic, zoom=zoom, origin=(tx0, ty0), bounds=bounds, shape=shape, gcj02=basemap.is_gcj02
    )
    return TileBackground(image=image, bounds=bounds, zoom=zoom, tile_count=len(urls))


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


_TILED_CITY_ALPHA: Final = 0.3
"""Opacity of the circle cities' fill over tiles (opaque without tiles)."""

_TILED_DIM_ALPHA: Final = 0.45
"""Opacity of the veil over cities the filter leaves out, over tiles."""

_TILED_CONTEXT_EDGE: Final = "#8c8c8c"
"""Outline of the other Shandong cities over tiles (they are not filled there)."""


def _mpl_dash(accuracy: str) -> Any:
    offset, dashes = styles.ACCURACY_MPL_DASH.get(accuracy, (0.0, None))
    return "solid" if dashes is None else (offset, dashes)


def _outlined(
    draw: Any, *args: Any, halo: float = 0.0, bold: str | None = None, **kwargs: Any
) -> Any:
    """Draw text with ``draw`` (``ax.text``, ``ax.annotate``, ``fig.text``) and outlines.

    With outlines (a white halo of ``halo`` points; with ``bold`` a 0.7 pt
    stroke of that colour, as the bundled font has one weight) the visible
    text is a copy drawn as glyph outlines, strokes and fill from one layout,
    so they cannot drift apart (real text and outlines are laid out with
    different kerning). The artist returned is the real text, transparent on
    top of it, so PDF and SVG still hold searchable, extractable text.
    """
    from matplotlib import patheffects

    effects: list[Any] = []
    if halo:
        effects.append(patheffects.Stroke(linewidth=halo, foreground="white"))
    if bold:
        effects.append(patheffects.Stroke(linewidth=0.7, foreground=bold))
    if not effects:
        return draw(*args, **kwargs)
    draw(*args, path_effects=[*effects, patheffects.Normal()], **kwargs)
    return draw(*args, **{**kwargs, "alpha": 0.0})


def _kind_shape(features: gpd.GeoDataFrame, kind: str) -> str:
    types = set(features.loc[features["kind"] == kind].geometry.geom_type)
    if types & {"LineString", "MultiLineString"}:
        return "line"
    if types & {"Polygon", "MultiPolygon"}:
        return "area"
    return "point"


def _draw_base(
    ax: Axes, layers: _Layers, selection: Selection, lang: str, bounds: Any, *, tiled: bool = False
) -> None:
    """Context, cities, counties, river and their names; lighter fills over tiles."""
    minx, miny, maxx, maxy = bounds
    inset = 0.05 * (maxy - miny)
    frame = shapely.box(minx + inset, miny + inset, maxx - inset, maxy - inset)
    chosen = layers.cities["name_zh"].isin(selection.cities) if selection.cities else None
    if tiled:
        # The tiles must read: outlines only outside the circle, a thin tint in it.
        layers.context.plot(
            ax=ax, facecolor="none", edgecolor=_TILED_CONTEXT_EDGE, linewidth=0.6, zorder=1
        )
        layers.cities.plot(
            ax=ax, facecolor=styles.CITY_FILL, edgecolor="none", alpha=_TILED_CITY_ALPHA, zorder=2
        )
    else:
        layers.context.plot(
            ax=ax,
            facecolor=styles.CONTEXT_FILL,
            edgecolor=styles.CONTEXT_EDGE,
            linewidth=0.6,
            zorder=1,
        )
        layers.cities.plot(ax=ax, facecolor=styles.CITY_FILL, edgecolor="none", zorder=2)
    if chosen is not None and (~chosen).any():
        layers.cities[~chosen].plot(
            ax=ax,
            facecolor="#fbf8f3",
            edgecolor="none",
            zorder=2.1,
            alpha=_TILED_DIM_ALPHA if tiled else 0.9,
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
    features: gpd.GeoDataFrame, feature: str | None, lang: str, *, tiled: bool = False
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
            Patch(
                facecolor=(*_rgb(styles.CITY_FILL), _TILED_CITY_ALPHA),
                edgecolor=styles.CITY_EDGE,
                linewidth=1.2,
            )
            if tiled
            else Patch(facecolor=styles.CITY_FILL, edgecolor=styles.CITY_EDGE, linewidth=1.2),
            i18n.term(vocab.LAYERS, "cities", lang),
        ),
        (
            Line2D([0, 1], [0, 0], color=styles.COUNTY_EDGE, linewidth=0.8),
            i18n.term(vocab.LAYERS, "counties", lang),
        ),
        (
            Patch(facecolor="none", edgecolor=_TILED_CONTEXT_EDGE)
            if tiled
            else Patch(facecolor=styles.CONTEXT_FILL, edgecolor=styles.CONTEXT_EDGE),
            i18n.term(vocab.LAYERS, "context", lang),
        ),
    ]
    sections.append((i18n.t("map_legend_base", lang), base_entries))
    return sections


def _draw_legend(
    panel: Axes, features: gpd.GeoDataFrame, feature: str | None, lang: str, *, tiled: bool = False
) -> None:
    """Stack one matplotlib legend per section in the side panel, top down."""
    from matplotlib.legend import Legend

    sections = _legend_sections(features, feature, lang, tiled=tiled)
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


def _title(selection: Selection, lang: str, view: str = "overview") -> str:
    title = i18n.t("app_title", lang)
    if view != DEFAULT_VIEW:
        title += " · " + i18n.t(f"nav_{view}", lang)
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
    shown = sep.join(panels.source_label(s, lang) for s in sources[:MAX_LISTED_SOURCES])
    if len(sources) > MAX_LISTED_SOURCES:
        more = i18n.t("export_sources_more", lang).format(n=len(sources) - MAX_LISTED_SOURCES)
        shown += (" " if lang == "en" else "") + more
    return i18n.t("export_sources", lang) + colon + shown


_MAP_BOX: Final = (0.03, 0.115, 0.645, 0.765)
"""Map axes on the page (left, bottom, width, height; figure fraction)."""

_PANEL_BOX: Final = (0.70, 0.115, 0.28, 0.765)
"""Legend panel on the page."""


@dataclass(frozen=True, eq=False)
class _PrintMap:
    """What a print map draws, ready for matplotlib: layers, frame and background."""

    features: gpd.GeoDataFrame
    layers: _Layers
    bounds: tuple[float, float, float, float]
    basemap: basemaps.Basemap
    tiles: TileBackground | None
    tile_error: TileError | None
    view: str = "overview"


def _raster_shape(bounds: tuple[float, float, float, float], dpi: float) -> tuple[int, int]:
    """(rows, cols) of a tile background at ``dpi``, at most :data:`MAX_RASTER_WIDTH_PX` wide."""
    minx, miny, maxx, maxy = bounds
    cols = max(2, min(MAX_RASTER_WIDTH_PX, round(_MAP_BOX[2] * PAGE_SIZE_IN[0] * dpi)))
    rows = max(2, round(cols * (maxy - miny) / (maxx - minx)))
    return rows, cols


def _prepare(
    catalog: Catalog,
    selection: Selection,
    *,
    feature: str | None,
    basemap: basemaps.Basemap,
    tianditu_key: str | None,
    tile_dpi: float,
    view: str = DEFAULT_VIEW,
) -> _PrintMap:
    """Select and project the layers, frame them, fetch the tiles (no matplotlib)."""
    features = selected_features(catalog, selection, feature=feature, view=view)
    layers = _project(catalog, features)
    aspect = (_MAP_BOX[2] * PAGE_SIZE_IN[0]) / (_MAP_BOX[3] * PAGE_SIZE_IN[1])
    bounds = _extent(layers, selection, aspect)
    tiles = None
    tile_error = None
    if basemap.tiles:
        try:
            tiles = tile_background(
                basemap, bounds, shape=_raster_shape(bounds, tile_dpi), tianditu_key=tianditu_key
            )
        except TileError as exc:  # the map keeps its vector background; the footer says why
            _LOG.warning("basemap %r: %s; drawing the vector background", basemap.key, exc)
            tile_error = exc
    return _PrintMap(features, layers, bounds, basemap, tiles, tile_error, view)


def build_figure(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    feature: str | None = None,
    today: dt.date | None = None,
    basemap: str | basemaps.Basemap = basemaps.DEFAULT_BASEMAP,
    tianditu_key: str | None = None,
    tile_dpi: float = PRINT_RASTER_DPI,
    view: str = DEFAULT_VIEW,
) -> Any:
    """The print map as a matplotlib :class:`~matplotlib.figure.Figure` (A4 landscape).

    Call under :func:`matplotlib.rc_context` with :func:`circlemap.fonts.export_rc`
    (as :func:`render_print` does) so text uses the bundled font. ``basemap``
    and ``tianditu_key`` are as in :func:`export`; ``tile_dpi`` is the
    resolution of the tile background on the page (dots per inch).
    """
    prepared = _prepare(
        catalog,
        selection,
        feature=feature,
        basemap=check_basemap(basemap),
        tianditu_key=tianditu_key,
        tile_dpi=tile_dpi,
        view=view,
    )
    return _draw_figure(prepared, selection, lang=lang, feature=feature, today=today)


def _new_figure() -> Any:
    """An A4-landscape figure on an Agg canvas that draws only when asked to.

    geopandas asks the canvas for an (idle) redraw after every ``plot`` call,
    and Agg's idle redraw is a full render; a print map makes a few dozen such
    calls, so they are skipped: ``savefig`` renders once, the same image.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    class _Canvas(FigureCanvasAgg):
        def draw_idle(self, *args: Any, **kwargs: Any) -> None:
            del args, kwargs

    fig = Figure(figsize=PAGE_SIZE_IN, facecolor="white")
    _Canvas(fig)
    return fig


def _draw_figure(
    prepared: _PrintMap,
    selection: Selection,
    *,
    lang: str,
    feature: str | None,
    today: dt.date | None,
) -> Any:
    today = today or dt.date.today()
    features = prepared.features
    layers = prepared.layers
    bounds = prepared.bounds
    tiled = prepared.tiles is not None
    fig = _new_figure()
    ax = fig.add_axes(_MAP_BOX)
    panel = fig.add_axes(_PANEL_BOX)
    panel.set_axis_off()

    ax.set_facecolor(styles.WATER_BACKGROUND)  # as the web map's container
    if prepared.tiles is not None:
        minx, miny, maxx, maxy = prepared.tiles.bounds
        # "none": PDF and SVG embed the raster as it is, at its own resolution
        ax.imshow(
            prepared.tiles.image,
            extent=(minx, maxx, miny, maxy),
            origin="upper",
            interpolation="none",
            zorder=0.5,
        )
    _draw_base(ax, layers, selection, lang, bounds, tiled=tiled)
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
    _draw_legend(panel, features, feature, lang, tiled=tiled)

    _outlined(
        fig.text,
        0.03,
        0.955,
        _title(selection, lang, prepared.view),
        fontsize=18,
        va="top",
        halo=0,
        bold="black",
    )
    subtitle = "\n".join(wrap_text(_subtitle(selection, lang, len(features), today), 190))
    fig.text(0.03, 0.905, subtitle, fontsize=8.5, color="#444444", va="top")
    lines = [line for text in _footer(prepared, lang) if text for line in wrap_text(text, 230)]
    fig.text(0.03, 0.018, "\n".join(lines), fontsize=6.5, color="#555555", va="bottom")
    return fig


def _footer(prepared: _PrintMap, lang: str) -> list[str]:
    """Footer lines: sources, attribution (with the tile provider's), projection, notes."""
    attribution = i18n.t("export_attribution", lang)
    notes = []
    if prepared.tiles is not None:
        credit = basemaps.print_attribution(prepared.basemap, lang)
        attribution += ("；" if lang == "zh" else "; ") + i18n.t(
            "export_tiles_credit", lang
        ).format(credit=credit)
        if prepared.basemap.is_gcj02:
            notes.append(i18n.t("export_tiles_gcj02", lang))
    if prepared.tile_error is not None:
        notes.append(
            i18n.t("export_tiles_unavailable", lang).format(
                name=prepared.basemap.label(lang), reason=prepared.tile_error.explain(lang)
            )
        )
    return [
        _sources_line(prepared.features, lang),
        attribution,
        i18n.t("export_projection", lang),
        *notes,
    ]


def render_print(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    fmt: str,
    feature: str | None = None,
    today: dt.date | None = None,
    width_px: int = DEFAULT_WIDTH_PX,
    basemap: str | basemaps.Basemap = basemaps.DEFAULT_BASEMAP,
    tianditu_key: str | None = None,
    view: str = DEFAULT_VIEW,
) -> bytes:
    """PNG, PDF or SVG bytes of :func:`build_figure`.

    PNG is ``width_px`` wide (height in A4 proportion); PDF and SVG are A4
    landscape with the bundled font embedded (PDF: TrueType subsets; SVG:
    ``<text>`` plus an ``@font-face`` subset). A tile background is drawn at
    the PNG's resolution, or :data:`PRINT_RASTER_DPI` in PDF and SVG; its
    tiles are fetched before the (process-wide) render lock is taken.
    """
    import matplotlib as mpl

    from circlemap import fonts

    if fmt not in PRINT_FORMATS:
        msg = f"{fmt!r} is not a print format (expected one of {', '.join(PRINT_FORMATS)})"
        raise ExportError(msg)
    today = today or dt.date.today()
    title = _title(selection, lang, view)
    png_dpi = (width_px + 0.5) / PAGE_SIZE_IN[0]
    prepared = _prepare(
        catalog,
        selection,
        feature=feature,
        basemap=check_basemap(basemap),
        tianditu_key=tianditu_key,
        tile_dpi=png_dpi if fmt == "png" else PRINT_RASTER_DPI,
        view=view,
    )
    rc: Any = fonts.export_rc()  # matplotlib types rc keys as literals
    with _RENDER_LOCK, mpl.rc_context(rc), fonts.quiet_subsetting():
        fig = _draw_figure(prepared, selection, lang=lang, feature=feature, today=today)
        buffer = io.BytesIO()
        if fmt == "png":
            fig.savefig(
                buffer,
                format="png",
                dpi=png_dpi,
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
    view: str = DEFAULT_VIEW,
) -> bytes:
    """The interactive map as one standalone UTF-8 HTML file that opens offline.

    Same layers, styles, legend and tooltips as the app (tile-free basemap),
    fitted to the selection, with a caption holding the title, filters and date.
    """
    from branca.element import Element

    from circlemap import mapping

    today = today or dt.date.today()
    features = selected_features(catalog, selection, feature=feature, view=view)
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
    cards = {
        str(fid): mapping.card_html(panels.feature_card(catalog, str(fid), lang), lang=lang)
        for fid in features.index
    }
    mapping.CardPopups(cards).add_to(fmap)
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
        f"<b>{escape(_title(selection, lang, view))}</b><br>"
        f'<span style="font-size:11px;color:#444">'
        f"{escape(_subtitle(selection, lang, len(features), today))}</span></div>"
    )
    fmap.get_root().html.add_child(Element(caption))  # type: ignore[attr-defined]
    page = mapping.render_standalone_html(fmap, title=_title(selection, lang, view), lang=lang)
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
        "--view",
        default=DEFAULT_VIEW,
        metavar="PAGE",
        help=(
            f"map page to export: {', '.join(panels.MAP_VIEWS)} (default %(default)s: every "
            "feature the filters keep; transport: the links; ecology: corridors and sites "
            "along the river, with the ecology measures)"
        ),
    )
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
    parser.add_argument(
        "--basemap",
        default=basemaps.DEFAULT_BASEMAP,
        metavar="KEY",
        help=(
            f"background of png/pdf/svg: {', '.join(basemaps.BASEMAPS)} (default %(default)s: "
            "no tiles, no network); tiles that cannot be fetched within "
            f"{TILE_TIMEOUT_S:g} s leave the vector background and a note in the footer; "
            f"tianditu reads its key from ${settings.TIANDITU_KEY_ENV}"
        ),
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
    if args.basemap not in basemaps.BASEMAPS:
        msg = (
            f"unknown basemap {args.basemap!r} for --basemap "
            f"(expected one of {', '.join(basemaps.BASEMAPS)})"
        )
        raise ExportError(msg)
    check_view(args.view)
    selection = selection_from_args(args)
    name = suggested_filename(
        selection, args.lang, fmt, today, feature=args.feature, view=args.view
    )
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
        basemap=args.basemap,
        tianditu_key=basemaps.key_from_env(args.basemap or "")
        or os.environ.get(settings.TIANDITU_KEY_ENV),
        view=args.view,
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
