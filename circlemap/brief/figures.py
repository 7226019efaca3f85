"""The maps of a briefing: the print map on the cover and a numbered locator map.

Both are rendered by matplotlib into one-page PDFs (vector, text in the
bundled font as TrueType subsets), which :mod:`circlemap.brief.pdf` places on
its pages as they are; the DOCX gets PNGs of the same figures. Maps are drawn
in UTM zone 50N (:data:`circlemap.settings.METRIC_CRS`, metres).
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import pandas as pd
import shapely

from circlemap import export, fonts, settings, styles, vocab
from circlemap.brief.content import Briefing
from circlemap.export import print_map
from circlemap.i18n import city_name

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

LOCATOR_SIZE_IN: Final[tuple[float, float]] = (6.85, 5.2)
"""Size of the numbered map (inches): the width of the briefing's text frame."""

PNG_DPI: Final = 200
"""Resolution of the PNG copies placed in the DOCX (dots per inch)."""


def cover_map(catalog: Catalog, briefing: Briefing, *, fmt: str = "pdf") -> bytes:
    """The app's print map of the briefing's selection (A4 landscape), ``pdf`` or ``png``.

    The same call as the Overview page's export buttons
    (:func:`circlemap.export.export`), on the offline vector background.
    """
    return export.export(
        catalog,
        briefing.selection,
        lang=briefing.lang,
        fmt=fmt,
        today=briefing.today,
        width_px=2000,
    )


def _anchor(geom: Any) -> Any:
    if geom.geom_type in ("LineString", "MultiLineString"):
        return shapely.line_interpolate_point(geom, 0.5, normalized=True)
    if geom.geom_type == "Point":
        return geom
    return geom.representative_point()


def _frame(focus: list[Any], aspect: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapely.total_bounds(focus)
    pad = 0.05 * max(maxx - minx, maxy - miny, 20_000.0)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / aspect - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return minx, miny, maxx, maxy


_DIRECTIONS: Final = tuple(
    (math.cos(math.radians(a)), math.sin(math.radians(a)))
    for a in (0, 180, 90, 270, 45, 135, 225, 315)
)


def _spread(
    points: list[tuple[float, float]], min_gap: float, bounds: Any
) -> list[tuple[float, float]]:
    """Place each number on its anchor, or nearby when that spot is taken (map units).

    Candidates ring the anchor at growing distances (right, left, up, down,
    then the diagonals); the first that keeps ``min_gap`` from every number
    already placed, inside ``bounds`` with a margin, wins.
    """
    margin = min_gap * 0.6
    placed: list[tuple[float, float]] = []

    def free(x: float, y: float) -> bool:
        inside = bounds[0] + margin < x < bounds[2] - margin and (
            bounds[1] + margin < y < bounds[3] - margin
        )
        return inside and all((p[0] - x) ** 2 + (p[1] - y) ** 2 >= min_gap**2 for p in placed)

    for x, y in points:
        spot = (x, y)
        if not free(x, y):
            rings = (
                (x + dx * min_gap * k, y + dy * min_gap * k)
                for k in (1.0, 1.6, 2.2, 3.0, 4.0)
                for dx, dy in _DIRECTIONS
            )
            spot = next((c for c in rings if free(*c)), spot)
        placed.append(spot)
    return placed


def _draw_base(ax: Any, catalog: Catalog, chosen: tuple[str, ...], bounds: Any, lang: str) -> None:
    """Other cities, circle cities, counties, the chosen cities' outline, river, city names."""
    cities = catalog.cities.to_crs(settings.METRIC_CRS)
    context = catalog.context.to_crs(settings.METRIC_CRS)
    ax.set_facecolor(styles.WATER_BACKGROUND)
    context.plot(ax=ax, facecolor=styles.CONTEXT_FILL, edgecolor=styles.CONTEXT_EDGE, lw=0.5)
    cities.plot(ax=ax, facecolor=styles.CITY_FILL, edgecolor=styles.CITY_EDGE, lw=0.8)
    catalog.counties.to_crs(settings.METRIC_CRS).boundary.plot(
        ax=ax, color=styles.COUNTY_EDGE, lw=0.3
    )
    if chosen:
        cities[cities["name_zh"].isin(chosen)].boundary.plot(ax=ax, color=styles.CITY_EDGE, lw=2.0)
    catalog.river.to_crs(settings.METRIC_CRS).plot(ax=ax, color=styles.RIVER_COLOUR, lw=1.4)
    for _, row in pd.concat([cities, context]).iterrows():
        point = row.geometry.representative_point()
        inset = 0.04 * (bounds[2] - bounds[0])  # a label's half width: keep it in the frame
        if not (
            bounds[0] + inset < point.x < bounds[2] - inset
            and bounds[1] + inset < point.y < bounds[3] - inset
        ):
            continue
        name = str(row["name_zh"])
        label = city_name(name, lang) if name in vocab.CITY_BY_ZH else name
        ax.text(
            point.x,
            point.y,
            label,
            fontsize=9,
            color="#6b5a45",
            ha="center",
            va="center",
            alpha=0.8,
            clip_on=True,
            zorder=3,
        )


def _draw_features(ax: Any, features: gpd.GeoDataFrame) -> None:
    """Each feature in its kind's colour, dashed or dotted by geometry accuracy."""
    for _, row in features.iterrows():
        geom = row.geometry
        colour = styles.kind_colour(row["kind"])
        dash = styles.ACCURACY_MPL_DASH.get(row["geometry_accuracy"], (0.0, None))
        style: Any = dash if dash[1] else "solid"
        if geom.geom_type in ("LineString", "MultiLineString"):
            gpd.GeoSeries([geom]).plot(ax=ax, color=colour, lw=2.0, linestyle=style, zorder=5)
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            gpd.GeoSeries([geom]).plot(
                ax=ax, facecolor=colour, alpha=0.2, edgecolor="none", zorder=4
            )
            gpd.GeoSeries([geom.boundary]).plot(
                ax=ax, color=colour, lw=1.2, linestyle=style, zorder=4.5
            )
        else:
            coords = shapely.get_coordinates(geom)
            ax.scatter(coords[:, 0], coords[:, 1], s=30, color=colour, zorder=6)


def _draw_numbers(ax: Any, features: gpd.GeoDataFrame, briefing: Briefing, bounds: Any) -> None:
    """The briefing's number of each feature, nudged apart, with a leader line if moved."""
    anchors = [_anchor(g) for g in features.geometry]
    gap = 0.028 * (bounds[2] - bounds[0])
    spots = _spread([(p.x, p.y) for p in anchors], gap, bounds)
    for item, (x, y), point in zip(briefing.features, spots, anchors, strict=True):
        if (x, y) != (point.x, point.y):
            ax.plot([point.x, x], [point.y, y], color="#333333", lw=0.5, zorder=7)
        bbox = {
            "boxstyle": "circle,pad=0.25",
            "facecolor": styles.kind_colour(item.kind_key),
            "edgecolor": "white",
            "linewidth": 0.8,
        }
        ax.text(
            x,
            y,
            str(item.number),
            fontsize=7.5,
            ha="center",
            va="center",
            color="white",
            zorder=8,
            bbox=bbox,
        )


def locator_figure(catalog: Catalog, briefing: Briefing) -> Any:
    """The numbered map: every feature of the briefing, labelled with its number.

    Returns a matplotlib Figure; call under :func:`matplotlib.rc_context` with
    :func:`circlemap.fonts.export_rc` (as :func:`locator_map` does).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    features = catalog.features.loc[[item.id for item in briefing.features]]
    features = features.to_crs(settings.METRIC_CRS)
    chosen = briefing.selection.cities
    cities = catalog.cities.to_crs(settings.METRIC_CRS)
    focus_cities = cities[cities["name_zh"].isin(chosen)] if chosen else cities
    bounds = _frame(
        [*focus_cities.geometry, *features.geometry.dropna()],
        LOCATOR_SIZE_IN[0] / LOCATOR_SIZE_IN[1],
    )
    fig = Figure(figsize=LOCATOR_SIZE_IN, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.005, 0.005, 0.99, 0.99))
    _draw_base(ax, catalog, chosen, bounds, briefing.lang)
    _draw_features(ax, features)
    _draw_numbers(ax, features, briefing, bounds)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.6)
    return fig


def locator_map(catalog: Catalog, briefing: Briefing, *, fmt: str = "pdf") -> bytes:
    """:func:`locator_figure` as PDF (vector, embedded font) or PNG (:data:`PNG_DPI`)."""
    import matplotlib as mpl

    rc: Any = fonts.export_rc()
    # matplotlib rcParams are process-wide: share the print map's render lock
    with print_map._RENDER_LOCK, mpl.rc_context(rc), fonts.quiet_subsetting():
        fig = locator_figure(catalog, briefing)
        buffer = io.BytesIO()
        if fmt == "png":
            fig.savefig(buffer, format="png", dpi=PNG_DPI)
        else:
            fig.savefig(
                buffer, format="pdf", metadata={"Creator": "Circle Map", "CreationDate": None}
            )
    return buffer.getvalue()
