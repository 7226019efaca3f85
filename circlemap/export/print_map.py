"""The print map: PNG, PDF and SVG drawn on the server with matplotlib.

An A4-landscape page in UTM zone 50N (:data:`circlemap.export.tiles.MAP_CRS`,
metres): title and filters, the map (:mod:`circlemap.export.print_layers`)
over an optional tile background (:mod:`circlemap.export.tiles`), its scale
bar, north arrow and legend (:mod:`circlemap.export.print_furniture`), and a
footer with sources, attribution and projection. Text is set in the bundled
font (:mod:`circlemap.fonts`); PDFs and SVGs embed it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import pandas as pd
import shapely

from circlemap import basemaps, i18n, styles, views
from circlemap.cartography import Box, Cluster
from circlemap.catalog import empty_frame
from circlemap.errors import BasemapError, ExportError, TileError
from circlemap.export import print_inset, print_marks, tiles
from circlemap.export.captions import map_subtitle, map_title, sources_line, wrap_text
from circlemap.export.print_furniture import draw_legend, draw_north_arrow, draw_scale_bar
from circlemap.export.print_layers import PrintLayers, declutter, draw_base, outlined
from circlemap.export.tiles import MAP_CRS, TileBackground
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


PRINT_FORMATS: Final[tuple[str, ...]] = ("png", "pdf", "svg")


PAGE_SIZE_IN: Final[tuple[float, float]] = (297 / 25.4, 210 / 25.4)
"""A4 landscape (inches): the page of PDF and SVG, the aspect of PNG."""


DEFAULT_WIDTH_PX: Final = 2400
"""PNG width (pixels): sharp on a 4K slide."""


MIN_WIDTH_PX: Final = 600


MAX_WIDTH_PX: Final = 10000


PRINT_RASTER_DPI: Final = 200
"""Resolution of the tile background in PDF and SVG (dots per inch of paper)."""


MAX_RASTER_WIDTH_PX: Final = 2400
"""Widest tile background (pixels); wider PNGs upsample it, as the capped tiles
hold no more detail."""


# matplotlib's rcParams and font manager are process-wide: one render at a time.
_RENDER_LOCK: Final = threading.Lock()


_LOG: Final = logging.getLogger(__name__)


def check_basemap(basemap: str | basemaps.Basemap) -> basemaps.Basemap:
    """The :class:`~circlemap.basemaps.Basemap` of a key; :class:`ExportError` if unknown."""
    if isinstance(basemap, basemaps.Basemap):
        return basemap
    try:
        return basemaps.get_basemap(basemap)
    except BasemapError as exc:
        raise ExportError(str(exc)) from None


def _project(catalog: Catalog, features: gpd.GeoDataFrame) -> PrintLayers:
    return PrintLayers(
        cities=catalog.cities.to_crs(MAP_CRS),
        context=catalog.context.to_crs(MAP_CRS),
        counties=catalog.counties.to_crs(MAP_CRS),
        river=catalog.river.to_crs(MAP_CRS),
        features=features.to_crs(MAP_CRS),
        **{
            name: getattr(catalog, name, empty_frame()).to_crs(MAP_CRS)
            for name in ("provinces", "lakes", "rivers", "places")
        },
    )


def _extent(
    layers: PrintLayers, selection: Selection, aspect: float
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


_MAP_LEFT: Final = 0.03
_MAP_WIDTH: Final = 0.645
_MAP_TOP: Final = 0.88
"""Map axes on the page: left edge, width, top edge (figure fraction)."""

_PANEL_BOX: Final = (0.70, 0.07, 0.28, 0.81)
"""Legend panel on the page (left, bottom, width, height; figure fraction)."""

_FOOTER_BOTTOM: Final = 0.018
_FOOTER_FONT_PT: Final = 6.5
_GAP: Final = 0.012
"""Space between footer, key and map (figure fraction)."""


@dataclass(frozen=True, slots=True)
class PageLayout:
    """Where the map and its key sit on the page (left, bottom, width, height; figure
    fraction): the key fills the room between map and footer, the map the rest."""

    map_box: tuple[float, float, float, float]
    key_box: tuple[float, float, float, float] | None
    footer_top: float = _FOOTER_BOTTOM


def page_layout(*, footer_lines: int, key_rows: int) -> PageLayout:
    """Map and key boxes for a footer of ``footer_lines`` and a key of ``key_rows`` lines.

    The footer hangs from ``footer_top``: a note known only after the tiles were
    fetched (or not) takes a line of the bottom margin, so the map's frame does
    not depend on whether the tiles came.
    """
    page_h_pt = PAGE_SIZE_IN[1] * 72
    footer_top = _FOOTER_BOTTOM + footer_lines * _FOOTER_FONT_PT * 1.22 / page_h_pt
    bottom = footer_top + _GAP
    key = None
    if key_rows:
        key_h = key_rows * print_marks.KEY_FONT_PT * 1.3 / page_h_pt
        key = (_MAP_LEFT, bottom, _MAP_WIDTH, key_h)
        bottom += key_h + _GAP
    return PageLayout(
        map_box=(_MAP_LEFT, bottom, _MAP_WIDTH, _MAP_TOP - bottom),
        key_box=key,
        footer_top=footer_top,
    )


@dataclass(frozen=True, eq=False)
class _PrintMap:
    """What a print map draws, ready for matplotlib: layers, frame and background."""

    features: gpd.GeoDataFrame
    layers: PrintLayers
    bounds: tuple[float, float, float, float]
    basemap: basemaps.Basemap
    tiles: TileBackground | None
    tile_error: TileError | None
    view: str = "overview"
    layout: PageLayout = PageLayout(map_box=(_MAP_LEFT, 0.115, _MAP_WIDTH, 0.765), key_box=None)


def _raster_shape(bounds: tuple[float, float, float, float], dpi: float) -> tuple[int, int]:
    """(rows, cols) of a tile background at ``dpi``, at most :data:`MAX_RASTER_WIDTH_PX` wide."""
    minx, miny, maxx, maxy = bounds
    cols = max(2, min(MAX_RASTER_WIDTH_PX, round(_MAP_WIDTH * PAGE_SIZE_IN[0] * dpi)))
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
    view: str = views.DEFAULT_VIEW,
    lang: str = "zh",
) -> _PrintMap:
    """Select and project the layers, frame them, fetch the tiles (no matplotlib)."""
    features = views.selected_features(catalog, selection, feature=feature, view=view)
    layers = _project(catalog, features)
    footer = [
        sources_line(features, lang),
        _attribution(basemap, lang, tiled=bool(basemap.tiles)),
        i18n.t("export_projection", lang),
    ]
    layout = page_layout(
        footer_lines=sum(len(wrap_text(t, 230)) for t in footer if t),
        key_rows=print_marks.key_rows(features, lang),
    )
    aspect = (layout.map_box[2] * PAGE_SIZE_IN[0]) / (layout.map_box[3] * PAGE_SIZE_IN[1])
    bounds = _extent(layers, selection, aspect)
    background = None
    tile_error = None
    if basemap.tiles:
        try:
            background = tiles.tile_background(
                basemap, bounds, shape=_raster_shape(bounds, tile_dpi), tianditu_key=tianditu_key
            )
        except TileError as exc:  # the map keeps its vector background; the footer says why
            _LOG.warning("basemap %r: %s; drawing the vector background", basemap.key, exc)
            tile_error = exc
    return _PrintMap(features, layers, bounds, basemap, background, tile_error, view, layout)


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """Where a print map put things, in display pixels of the figure (y up, ``dpi``).

    A PNG of ``width_px`` has ``width_px / (PAGE_SIZE_IN[0] * dpi)`` image pixels
    per display pixel; its rows count from the top.

    Attributes
    ----------
    frame : Box
        The map frame.
    inset : Box or None
        The locator inset.
    names : tuple of Box
        Every place name drawn (cities, counties, surroundings).
    marks : tuple of print_marks.Mark
        Every feature: symbol position (map units), number and its box.
    dpi : float
    clusters : tuple of circlemap.cartography.Cluster
        Count discs of a map with too many features to number (map units).
    """

    frame: Box
    inset: Box | None
    names: tuple[Box, ...]
    marks: tuple[print_marks.Mark, ...]
    dpi: float
    clusters: tuple[Cluster, ...] = ()


def print_layout(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    feature: str | None = None,
    view: str = views.DEFAULT_VIEW,
) -> tuple[PrintLayout, Any]:
    """The :class:`PrintLayout` of the vector print map, and a function from map units
    to display pixels (for tests: where is each symbol in the PNG?)."""
    import matplotlib as mpl

    from circlemap import fonts

    rc: Any = fonts.export_rc()
    with _RENDER_LOCK, mpl.rc_context(rc), fonts.quiet_subsetting():
        fig = build_figure(catalog, selection, lang=lang, feature=feature, view=view)
        fig.canvas.draw()
        layout: PrintLayout = fig.circlemap_layout
        transform = fig.axes[0].transData.transform
    return layout, transform


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
    view: str = views.DEFAULT_VIEW,
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
        lang=lang,
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
    bounds = prepared.bounds
    tiled = prepared.tiles is not None
    fig = _new_figure()
    ax = fig.add_axes(prepared.layout.map_box)
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
    _frame_axes(ax, bounds)  # limits first: features are offset and spread by points
    fig.circlemap_layout = _draw_map(fig, ax, prepared, selection, lang=lang, feature=feature)
    if prepared.layout.key_box is not None:
        print_marks.draw_key(fig, prepared.layout.key_box, features, lang)
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
    clusters = bool(fig.circlemap_layout.clusters)
    draw_legend(panel, features, feature, lang, tiled=tiled, clusters=clusters)

    outlined(
        fig.text,
        0.03,
        0.955,
        map_title(selection, lang, prepared.view),
        fontsize=18,
        va="top",
        halo=0,
        bold="black",
    )
    subtitle = "\n".join(wrap_text(map_subtitle(selection, lang, len(features), today), 190))
    fig.text(0.03, 0.905, subtitle, fontsize=8.5, color="#444444", va="top")
    lines = [line for text in _footer(prepared, lang) if text for line in wrap_text(text, 230)]
    fig.text(
        0.03,
        prepared.layout.footer_top,
        "\n".join(lines),
        fontsize=_FOOTER_FONT_PT,
        color="#555555",
        va="top",
    )
    return fig


def _frame_axes(ax: Any, bounds: tuple[float, float, float, float]) -> None:
    """Limits, equal aspect, no ticks, a thin grey frame."""
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.8)


def _draw_map(
    fig: Any,
    ax: Any,
    prepared: _PrintMap,
    selection: Selection,
    *,
    lang: str,
    feature: str | None,
) -> PrintLayout:
    """What the frame holds: base layers, scale bar, north arrow, inset, the features;
    returns where it put the names, numbers and inset."""
    layers, bounds = prepared.layers, prepared.bounds
    clear = print_inset.locator_region(layers, bounds)
    names = draw_base(
        ax, layers, selection, lang, bounds, tiled=prepared.tiles is not None, keep_clear=clear
    )
    ax.set_xlim(bounds[0], bounds[2])  # geopandas may have moved them
    ax.set_ylim(bounds[1], bounds[3])
    draw_scale_bar(ax, bounds, lang)
    draw_north_arrow(ax, bounds, lang)
    inset = print_inset.draw_locator(fig, ax, layers, bounds, lang)
    renderer = fig.canvas.get_renderer()
    ext = ax.get_window_extent(renderer)
    frame = Box(float(ext.x0), float(ext.y0), float(ext.x1), float(ext.y1))
    inner = Box(frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2)
    names = declutter(names, blocked=inset, frame=inner)
    marks = print_marks.draw_features(
        ax, layers.features, feature, lang, river=layers.river, avoid=[*names, *inset]
    )
    for axes in fig.axes:  # geopandas labels the axes with the CRS's axis names
        axes.set_xlabel("")
        axes.set_ylabel("")
    return PrintLayout(
        frame=frame,
        inset=inset[0] if inset else None,
        names=tuple(print_marks.box_of(n, renderer) for n in names if n.get_text()),
        marks=marks.marks,
        dpi=float(fig.dpi),
        clusters=marks.clusters,
    )


def _attribution(basemap: basemaps.Basemap, lang: str, *, tiled: bool) -> str:
    """The attribution line, with the tile provider's credit when tiles are drawn."""
    attribution = i18n.t("export_attribution", lang)
    if tiled:
        credit = basemaps.print_attribution(basemap, lang)
        attribution += ("；" if lang == "zh" else "; ") + i18n.t(
            "export_tiles_credit", lang
        ).format(credit=credit)
    return attribution


def _footer(prepared: _PrintMap, lang: str) -> list[str]:
    """Footer lines: sources, attribution (with the tile provider's), projection, notes."""
    attribution = _attribution(prepared.basemap, lang, tiled=prepared.tiles is not None)
    notes = []
    if prepared.tiles is not None and prepared.basemap.is_gcj02:
        notes.append(i18n.t("export_tiles_gcj02", lang))
    if prepared.tile_error is not None:
        notes.append(
            i18n.t("export_tiles_unavailable", lang).format(
                name=prepared.basemap.label(lang), reason=prepared.tile_error.explain(lang)
            )
        )
    return [
        sources_line(prepared.features, lang),
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
    view: str = views.DEFAULT_VIEW,
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
    title = map_title(selection, lang, view)
    png_dpi = (width_px + 0.5) / PAGE_SIZE_IN[0]
    prepared = _prepare(
        catalog,
        selection,
        feature=feature,
        basemap=check_basemap(basemap),
        tianditu_key=tianditu_key,
        tile_dpi=png_dpi if fmt == "png" else PRINT_RASTER_DPI,
        view=view,
        lang=lang,
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
