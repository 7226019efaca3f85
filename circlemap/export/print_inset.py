"""The locator inset of a print map: where the frame and the circle lie in Shandong.

A small map in the top-left corner of the map frame, in the same projection
(:data:`circlemap.export.tiles.MAP_CRS`): Shandong and its neighbours, the seven
circle cities filled, and the main map's frame as a rectangle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import pandas as pd
import shapely

from circlemap import i18n, styles
from circlemap.cartography import Box

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from circlemap.export.print_layers import PrintLayers

INSET_WIDTH: Final = 0.25
"""Width of the inset as a share of the map frame's width."""

INSET_MARGIN: Final = 0.012
"""Space between the inset and the frame's edges (share of the frame's width)."""


def _extent(layers: PrintLayers) -> tuple[float, float, float, float] | None:
    """What the inset shows: Shandong with a margin (map units), None without cities."""
    province = pd.concat([layers.cities, layers.context])
    if province.empty:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(province.geometry.values)
    pad = 0.08 * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def locator_region(layers: PrintLayers, bounds: Any) -> Any:
    """The part of the main map (map units, a shapely box) the inset covers, or None.

    Names of the surroundings are placed outside it.
    """
    extent = _extent(layers)
    if extent is None:
        return None
    fx0, _, fx1, fy1 = bounds
    w = INSET_WIDTH * (fx1 - fx0)
    h = w * (extent[3] - extent[1]) / (extent[2] - extent[0])
    m = INSET_MARGIN * (fx1 - fx0)
    return shapely.box(fx0 + m, fy1 - m - h, fx0 + m + w, fy1 - m).buffer(m)


def draw_locator(fig: Figure, ax: Axes, layers: PrintLayers, bounds: Any, lang: str) -> list[Box]:
    """Draw the inset over ``ax`` (top left); return its box in display pixels.

    ``bounds`` is the main map's frame (minx, miny, maxx, maxy, map units).
    """
    from matplotlib.patches import Rectangle

    extent = _extent(layers)
    if extent is None:
        return []
    minx, miny, maxx, maxy = extent
    province = pd.concat([layers.cities, layers.context])
    left, bottom, width, height = ax.get_position().bounds
    w = INSET_WIDTH * width
    fig_aspect = fig.get_figwidth() / fig.get_figheight()
    h = w * fig_aspect * (maxy - miny) / (maxx - minx)
    margin = INSET_MARGIN * width
    box = (left + margin, bottom + height - margin * fig_aspect - h, w, h)
    inset = fig.add_axes(box, zorder=20)
    inset.set_facecolor(styles.WATER_BACKGROUND)
    provinces = layers.provinces
    if "kind" in provinces:
        land = provinces[provinces["kind"] == "province"]
        if len(land):
            land.plot(ax=inset, facecolor=styles.NEIGHBOUR_FILL, edgecolor="none")
    layers.context.plot(ax=inset, facecolor=styles.CONTEXT_FILL, edgecolor="#bbbbbb", linewidth=0.3)
    layers.cities.plot(
        ax=inset, facecolor=styles.CITY_FILL, edgecolor=styles.CITY_EDGE, linewidth=0.5
    )
    outline = shapely.union_all(province.geometry.values).boundary
    inset.plot(*_xy(outline), color="#777777", linewidth=0.5)
    fx0, fy0, fx1, fy1 = bounds
    inset.add_patch(
        Rectangle(
            (fx0, fy0),
            fx1 - fx0,
            fy1 - fy0,
            facecolor="none",
            edgecolor=styles.HIGHLIGHT,
            linewidth=1.2,
            zorder=5,
        )
    )
    inset.set_xlim(minx, maxx)
    inset.set_ylim(miny, maxy)
    inset.set_aspect("equal", adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.6)
    inset.text(
        0.04,
        0.04,
        i18n.t("export_locator", lang),
        transform=inset.transAxes,
        fontsize=6,
        color="#555555",
        ha="left",
        va="bottom",
    )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ext = inset.get_window_extent(renderer)
    return [Box(float(ext.x0), float(ext.y0), float(ext.x1), float(ext.y1))]


def _xy(geom: Any) -> tuple[list[float], list[float]]:
    """x and y lists of all parts of a (multi)line, separated by NaN (one plot call)."""
    xs: list[float] = []
    ys: list[float] = []
    for part in shapely.get_parts(geom):
        coords = list(part.coords)
        xs.extend([c[0] for c in coords] + [float("nan")])
        ys.extend([c[1] for c in coords] + [float("nan")])
    return xs, ys
