"""What a print map draws inside its frame: base layers, features, their names.

matplotlib artists on axes in :data:`circlemap.export.tiles.MAP_CRS` (UTM 50N, metres).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import pandas as pd
import shapely

from circlemap import i18n, styles, vocab
from circlemap.export.captions import wrap_text
from circlemap.filters import Selection

if TYPE_CHECKING:
    from matplotlib.axes import Axes


MAX_LABELLED_FEATURES: Final = 10
"""Print maps label each feature only when this many or fewer are drawn."""


@dataclass(frozen=True)
class PrintLayers:
    """Everything a print map draws, projected to :data:`MAP_CRS`."""

    cities: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    river: gpd.GeoDataFrame
    features: gpd.GeoDataFrame


TILED_CITY_ALPHA: Final = 0.3
"""Opacity of the circle cities' fill over tiles (opaque without tiles)."""


TILED_DIM_ALPHA: Final = 0.45
"""Opacity of the veil over cities the filter leaves out, over tiles."""


TILED_CONTEXT_EDGE: Final = "#8c8c8c"
"""Outline of the other Shandong cities over tiles (they are not filled there)."""


def mpl_dash(accuracy: str) -> Any:
    offset, dashes = styles.ACCURACY_MPL_DASH.get(accuracy, (0.0, None))
    return "solid" if dashes is None else (offset, dashes)


def outlined(
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


def draw_base(
    ax: Axes,
    layers: PrintLayers,
    selection: Selection,
    lang: str,
    bounds: Any,
    *,
    tiled: bool = False,
) -> None:
    """Context, cities, counties, river and their names; lighter fills over tiles."""
    minx, miny, maxx, maxy = bounds
    inset = 0.05 * (maxy - miny)
    frame = shapely.box(minx + inset, miny + inset, maxx - inset, maxy - inset)
    chosen = layers.cities["name_zh"].isin(selection.cities) if selection.cities else None
    if tiled:
        # The tiles must read: outlines only outside the circle, a thin tint in it.
        layers.context.plot(
            ax=ax, facecolor="none", edgecolor=TILED_CONTEXT_EDGE, linewidth=0.6, zorder=1
        )
        layers.cities.plot(
            ax=ax, facecolor=styles.CITY_FILL, edgecolor="none", alpha=TILED_CITY_ALPHA, zorder=2
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
            alpha=TILED_DIM_ALPHA if tiled else 0.9,
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
            outlined(
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
            outlined(
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


def draw_features(ax: Axes, features: gpd.GeoDataFrame, feature: str | None, lang: str) -> None:
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
    dash = mpl_dash(row["geometry_accuracy"])
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
            facecolor=(*rgb(colour), opacity),
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
    outlined(
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


def rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)
