"""Exports of the current view: print maps, an offline HTML map, and the data behind them.

One code path serves the app's download buttons and the command line::

    data = export(catalog, selection, lang="en", fmt="pdf", feature=None, basemap="osm")
    name = suggested_filename(selection, "en", "pdf", today)

Formats
-------
``png`` (slides, >= 2400 px wide), ``pdf`` and ``svg`` (print)
    :mod:`circlemap.export.print_map`: rendered on the server with matplotlib,
    no browser and no internet: an A4-landscape map drawn in UTM zone 50N
    (:data:`circlemap.settings.METRIC_CRS`, metres) so the scale bar is true,
    with title, legend (colours per kind from :mod:`circlemap.styles`, dashes
    per geometry accuracy with their meaning), north arrow (true north, not
    grid north), the active filters, the date, the sources and an attribution
    line. The background is the vector context (other Shandong cities,
    counties, the Yellow River); with a tiled ``basemap`` (a key of
    :data:`circlemap.basemaps.BASEMAPS`, as the web map's switch) the server
    also fetches that provider's tiles (:mod:`circlemap.export.tiles`), warps
    them from Web Mercator into the UTM frame under lighter vector fills, and
    credits the provider in the attribution line. Tiles are all or nothing:
    when any tile cannot be fetched within
    :data:`circlemap.settings.TILE_TIMEOUT_S` seconds (no network, a missing
    Tianditu key, an error answer) the whole map keeps the vector background
    and the footer says why, so never a broken or half-tiled image. Amap
    tiles are in GCJ-02: they are warped back to WGS-84 with the GCJ-02
    formula, so the vector layers stay unshifted. Text is set in the bundled
    font of :mod:`circlemap.fonts`; PDFs embed it (TrueType subsets,
    extractable text).
``html``
    :mod:`circlemap.export.html`: the interactive map as one standalone file
    (assets inlined) built with :func:`circlemap.webmap.build_base_map`,
    :func:`~circlemap.webmap.build_feature_layer` and
    :func:`~circlemap.webmap.render_standalone_html` on the tile-free basemap
    (whatever ``basemap`` says: the file must open offline).
``geojson``
    :mod:`circlemap.export.data`: the selected features (EPSG:4326, RFC 7946)
    with their source, quote, geometry accuracy and labels in the chosen language.
``csv``
    The listed measures, UTF-8 with a byte-order mark (Excel opens the
    Chinese correctly), with source, quote, linked feature ids and the
    category/status/scope labels next to their keys.

``feature`` highlights one feature in the map formats (it is drawn even if the
filters hide it); the data formats always hold the selection.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from circlemap import basemaps, settings, views, vocab
from circlemap.errors import ExportError
from circlemap.export.data import features_geojson, measures_csv
from circlemap.export.html import render_html
from circlemap.export.print_map import (
    DEFAULT_WIDTH_PX,
    MAX_WIDTH_PX,
    MIN_WIDTH_PX,
    PRINT_FORMATS,
    check_basemap,
    render_print,
)
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

__all__ = [
    "DEFAULT_WIDTH_PX",
    "FORMATS",
    "PRINT_FORMATS",
    "ExportFormat",
    "export",
    "media_type",
    "suggested_filename",
]


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


FILENAME_PREFIX: Final = "circle-map"


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
    view: str = views.DEFAULT_VIEW,
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
        :data:`circlemap.views.MAP_VIEWS` (``"overview"``: every feature the
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
        For an unknown format, language, basemap or feature id, or a bad PNG
        width. Unreachable tiles are not an error.
    UnknownViewError
        For a ``view`` that is not a map page (:func:`circlemap.views.check_view`).
    """
    check_format(fmt)
    views.check_view(view)
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
            views.selected_features(catalog, selection, view=view),
            lang=lang,
            today=today,
            selection=selection,
        )
    if fmt == "csv":
        return measures_csv(views.selected_measures(catalog, selection, view=view), lang=lang)
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
    view: str = views.DEFAULT_VIEW,
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
    if views.check_view(view) != views.DEFAULT_VIEW:
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


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def _name_part(values: Sequence[str], what: str) -> str:
    if not values:
        return ""
    if len(values) > 3:
        return f"{len(values)}-{what}"
    return "-".join(values)
