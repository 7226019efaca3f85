"""Feature symbols of the print map, drawn in batches: one matplotlib call per style.

A style is (shape, kind, geometry accuracy): colour from the kind, solid, dashed
or dotted by accuracy. Drawing a batch at once, not one call per feature, keeps
a print export of thousands of features to a few collections (issue: print at
scale). Coordinates are the map's metric CRS (UTM 50N) as the caller gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import shapely

from circlemap import styles

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CASED_KINDS: Final[frozenset[str]] = frozenset({"greenway"})
"""Line kinds drawn over a light casing: green dots stay readable beside the blue river."""


@dataclass(frozen=True)
class SymbolStyle:
    """Sizes of the symbols (points, as matplotlib measures lines and markers)."""

    line_width: float = 2.2
    point_size: float = 80.0
    point_opacity: float = 0.6
    exact_point_opacity: float = 0.85


def shape_of_type(geom_type: str) -> str:
    """``line``, ``area`` or ``point`` for a shapely geometry type name."""
    if "LineString" in geom_type:
        return "line"
    return "area" if "Polygon" in geom_type else "point"


def symbol_batches(
    features: gpd.GeoDataFrame, feature: str | None = None
) -> list[tuple[str, str, str, bool, gpd.GeoSeries]]:
    """The features grouped by how they are drawn, in the order they come.

    Returns ``(shape, kind, accuracy, selected, geometries)`` per batch:
    ``shape`` is ``line``, ``area`` or ``point``; a batch holds every feature
    of that shape, kind and geometry accuracy (colour and dash), and
    ``selected`` sets the selected point apart (it is drawn above the other
    points). Batches come in the order of their first feature, so the
    legend order of ``features`` is kept.
    """
    shapes = [shape_of_type(t) for t in features.geometry.geom_type]
    rows: dict[tuple[str, str, str, bool], list[int]] = {}
    keys = zip(shapes, features["kind"], features["geometry_accuracy"], features.index, strict=True)
    for i, (shape, kind, accuracy, fid) in enumerate(keys):
        selected = shape == "point" and feature is not None and fid == feature
        rows.setdefault((shape, str(kind), str(accuracy), selected), []).append(i)
    return [(*key, features.geometry.iloc[at]) for key, at in rows.items()]


def draw_symbols(
    ax: Axes,
    features: gpd.GeoDataFrame,
    feature: str | None = None,
    *,
    style: SymbolStyle | None = None,
) -> None:
    """Every feature's symbol: kind colour; solid/dashed/dotted by geometry accuracy.

    One matplotlib call per style (:func:`symbol_batches`), not one per
    feature: a line batch is one ``LineCollection`` (two for a cased kind), an
    area batch one fill and one outline collection, a point batch one ``scatter``.
    """
    from circlemap.export.print_layers import mpl_dash, rgb

    style = style or SymbolStyle()
    for shape, kind, accuracy, selected, geoms in symbol_batches(features, feature):
        colour = styles.kind_colour(kind)
        dash: Any = mpl_dash(accuracy)
        if shape == "line":
            if kind in CASED_KINDS:
                geoms.plot(
                    ax=ax, color="white", linewidth=style.line_width + 0.8, alpha=0.6, zorder=6.9
                )
            geoms.plot(ax=ax, color=colour, linewidth=style.line_width, linestyle=dash, zorder=7)
        elif shape == "area":
            geoms.plot(ax=ax, facecolor=colour, alpha=0.22, edgecolor="none", zorder=6.5)
            geoms.boundary.plot(ax=ax, color=colour, linewidth=1.4, linestyle=dash, zorder=6.6)
        else:
            coords = shapely.get_coordinates(geoms.to_numpy())
            opacity = style.exact_point_opacity if accuracy == "exact" else style.point_opacity
            ax.scatter(
                coords[:, 0],
                coords[:, 1],
                s=style.point_size,
                facecolor=(*rgb(colour), opacity),
                edgecolor=colour,
                linewidths=1.3,
                zorder=8.5 if selected else 8,
            )
