"""What a print map draws inside its frame: base layers, features, their names.

matplotlib artists on axes in :data:`circlemap.export.tiles.MAP_CRS` (UTM 50N, metres).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import shapely
import shapely.ops

from circlemap import i18n, styles, vocab
from circlemap.filters import Selection

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class PrintLayers:
    """Everything a print map draws, projected to :data:`MAP_CRS`."""

    cities: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    river: gpd.GeoDataFrame
    features: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    places: gpd.GeoDataFrame


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
    shown = draw(*args, path_effects=[*effects, patheffects.Normal()], **kwargs)
    real = draw(*args, **{**kwargs, "alpha": 0.0})
    real.cm_twin = shown  # removed with it (:func:`declutter`)
    return real


def declutter(
    names: list[Any], *, blocked: Sequence[Any] = (), frame: Any = None, margin: float = 1.0
) -> list[Any]:
    """Remove the names that overlap a name before them or a ``blocked`` box, or that
    reach out of ``frame`` (a Box, display pixels).

    ``names`` are text artists, most important first (as :func:`draw_base`
    returns them); ``blocked`` are :class:`circlemap.cartography.Box` es in
    display pixels (the inset). Returns the names kept.
    """
    from circlemap.cartography import Box

    if not names:
        return []
    renderer = names[0].figure.canvas.get_renderer()
    kept: list[Any] = []
    boxes: list[Box] = list(blocked)
    for name in names:
        ext = name.get_window_extent(renderer)
        box = Box(float(ext.x0), float(ext.y0), float(ext.x1), float(ext.y1))
        outside = frame is not None and not box.inside(frame)
        if outside or any(box.overlaps(other, margin) for other in boxes):
            name.remove()
            twin = getattr(name, "cm_twin", None)
            if twin is not None:
                twin.remove()
            continue
        kept.append(name)
        boxes.append(box)
    return kept


def draw_base(
    ax: Axes,
    layers: PrintLayers,
    selection: Selection,
    lang: str,
    bounds: Any,
    *,
    tiled: bool = False,
    keep_clear: Any = None,
) -> list[Any]:
    """Surroundings, context, cities, counties, water and their names; lighter over tiles.

    Returns the name artists, most important first: circle cities, other cities,
    counties, then the surroundings (the numbers of the features keep clear of
    them; :func:`declutter` drops those that collide). The names of the
    surroundings avoid ``keep_clear`` (map units, the inset's place).
    """
    chosen = layers.cities["name_zh"].isin(selection.cities) if selection.cities else None
    _draw_surroundings(ax, layers, tiled=tiled)
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
    _draw_water(ax, layers)
    layers.river.plot(ax=ax, color=styles.RIVER_COLOUR, linewidth=1.6, zorder=5)
    return _draw_names(ax, layers, selection, lang, bounds, keep_clear=keep_clear)


def _draw_names(
    ax: Axes,
    layers: PrintLayers,
    selection: Selection,
    lang: str,
    bounds: Any,
    *,
    keep_clear: Any = None,
) -> list[Any]:
    """City and context names inside the frame; county names when one city is chosen;
    the names of the surroundings. Returned most important first."""
    minx, miny, maxx, maxy = bounds
    inset = 0.05 * (maxy - miny)
    frame = shapely.box(minx + inset, miny + inset, maxx - inset, maxy - inset)
    ranked: list[tuple[int, Any]] = [
        (3, a) for a in _surrounding_names(ax, layers, lang, frame, keep_clear)
    ]
    if len(selection.cities) == 1:
        county_rows = layers.counties[layers.counties["city"] == selection.cities[0]]
        for _, row in county_rows.iterrows():
            point = row.geometry.representative_point()
            county = _place_name(
                ax,
                point.x,
                point.y,
                i18n.name_of(row, lang),
                fontsize=6,
                color="#8c7b66",
                zorder=6,
                clip_on=True,
                halo=1.8,
            )
            ranked.append((2, county))
    for frame_rows, size, colour, bold, rank in (
        (layers.context, 8, "#9a9a9a", False, 1),
        (layers.cities, 11, "#4a3a28", True, 0),
    ):
        for _, row in frame_rows.iterrows():
            point = row.geometry.representative_point()
            if not frame.contains(point):
                continue
            name = _place_name(
                ax,
                point.x,
                point.y,
                i18n.name_of(row, lang),
                fontsize=size,
                color=colour,
                zorder=9,
                halo=3,
                bold=colour if bold else None,
            )
            ranked.append((rank, name))
    return [a for _, a in sorted(ranked, key=lambda item: item[0])]


def _draw_surroundings(ax: Axes, layers: PrintLayers, *, tiled: bool) -> None:
    """The neighbouring provinces as land (not over tiles, which show the land)."""
    provinces = layers.provinces
    if tiled or "kind" not in provinces:
        return
    land = provinces[provinces["kind"] == "province"]
    if len(land):
        land.plot(ax=ax, facecolor=styles.NEIGHBOUR_FILL, edgecolor="none", zorder=0.8)


def _draw_water(ax: Axes, layers: PrintLayers) -> None:
    """Other rivers, lakes and the provincial border, above the county lines."""
    if len(layers.rivers):
        layers.rivers.plot(ax=ax, color=styles.OTHER_RIVER_COLOUR, linewidth=0.7, zorder=4.3)
    if len(layers.lakes):
        layers.lakes.plot(
            ax=ax, facecolor=styles.LAKE_FILL, edgecolor=styles.LAKE_EDGE, linewidth=0.6, zorder=4.4
        )
    provinces = layers.provinces
    if "kind" in provinces:
        border = provinces[provinces["kind"] == "border"]
        if len(border):
            border.plot(
                ax=ax,
                color=styles.PROVINCE_BORDER,
                linewidth=1.1,
                linestyle=styles.PROVINCE_BORDER_MPL_DASH,
                zorder=4.5,
            )


def _place_name(
    ax: Axes, x: float, y: float, text: str, *, zorder: float = 8.9, **style: Any
) -> Any:
    """A centred place name with a halo (:func:`outlined`), above the map's layers."""
    return outlined(ax.text, x, y, text, ha="center", va="center", zorder=zorder, **style)


def _surrounding_names(
    ax: Axes, layers: PrintLayers, lang: str, frame: Any, keep_clear: Any = None
) -> list[Any]:
    """Names of the neighbouring provinces and cities and of the lakes, inside ``frame``
    and outside ``keep_clear``; provinces first."""
    if keep_clear is not None:
        frame = frame.difference(keep_clear)
    names: list[Any] = []
    provinces = layers.provinces
    if "kind" in provinces:
        for _, row in provinces[provinces["kind"] == "province"].iterrows():
            # named where the province shows: the widest point of its part in the frame
            part = row.geometry.intersection(frame)
            if part.is_empty or part.area < 0.02 * frame.area:
                continue
            largest = max(shapely.get_parts(part), key=lambda g: g.area)
            point = shapely.ops.polylabel(largest, tolerance=2000.0)
            names.append(
                _place_name(
                    ax,
                    point.x,
                    point.y,
                    i18n.name_of(row, lang),
                    fontsize=10,
                    color="#9d93ab",
                    halo=2.5,
                )
            )
    places = layers.places
    if "rank" in places:
        outside = places[(places["rank"] == "city") & ~places["name_zh"].isin(vocab.CITY_BY_ZH)]
        for _, row in outside.iterrows():
            if not frame.contains(row.geometry):
                continue
            names.append(
                _place_name(
                    ax,
                    row.geometry.x,
                    row.geometry.y,
                    i18n.name_of(row, lang),
                    fontsize=7,
                    color=styles.NEIGHBOUR_LABEL,
                    halo=2.5,
                )
            )
    for _, row in layers.lakes.iterrows():
        point = row.geometry.representative_point()
        if not frame.contains(point):
            continue
        names.append(
            _place_name(
                ax,
                point.x,
                point.y,
                i18n.name_of(row, lang),
                fontsize=6.5,
                style="italic",
                color="#3f74a6",
                halo=2.0,
            )
        )
    return names


def rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)
