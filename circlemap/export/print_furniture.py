"""A print map's furniture: scale bar, north arrow and legend.

The scale bar is true on the ground (geodesic metres per map unit,
:func:`circlemap.crs.ground_metres_per_unit`) and the arrow points to true
north (:func:`circlemap.crs.true_north`), not grid north.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd

from circlemap import crs, i18n, styles, vocab
from circlemap.export.captions import wrap_text
from circlemap.export.print_layers import (
    TILED_CITY_ALPHA,
    TILED_CONTEXT_EDGE,
    mpl_dash,
    outlined,
    rgb,
)
from circlemap.export.tiles import MAP_CRS

if TYPE_CHECKING:
    from matplotlib.axes import Axes


SCALE_BAR_FRACTION: Final = 0.22
"""Aim for a scale bar about this share of the map width."""


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
        (:func:`crs.ground_metres_per_unit`).
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


def _format_km(metres: float) -> str:
    km = metres / 1000
    return f"{km:g}" if km >= 1 else f"{metres:g} m"


def draw_scale_bar(ax: Axes, bounds: Any, lang: str) -> tuple[float, float]:
    """Draw a two-segment scale bar, bottom left; return (metres, map units)."""
    from matplotlib.patches import Rectangle

    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    x0, y0 = minx + 0.04 * width, miny + 0.05 * height
    metres, units = scale_bar_length(
        width, crs.ground_metres_per_unit(MAP_CRS, x0 + 0.1 * width, y0)
    )
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


def draw_north_arrow(ax: Axes, bounds: Any, lang: str) -> tuple[float, float]:
    """Draw an arrow to true north, top right; return its unit vector (map units)."""
    from matplotlib.patches import FancyBboxPatch

    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    x, y = minx + 0.95 * width, miny + 0.83 * height
    ux, uy = crs.true_north(MAP_CRS, x, y)
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
    outlined(
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


def _kind_shape(features: gpd.GeoDataFrame, kind: str) -> str:
    types = set(features.loc[features["kind"] == kind].geometry.geom_type)
    if types & {"LineString", "MultiLineString"}:
        return "line"
    if types & {"Polygon", "MultiPolygon"}:
        return "area"
    return "point"


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
        markerfacecolor=(*rgb(colour), 0.85),
        markeredgecolor=colour,
        markeredgewidth=1.2,
    )


def _surroundings_entries(lang: str, *, tiled: bool) -> list[tuple[Any, str]]:
    """Legend entries of the surroundings: provinces (not over tiles), border, lakes, rivers."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entries: list[tuple[Any, str]] = []
    if not tiled:
        entries.append(
            (
                Patch(facecolor=styles.NEIGHBOUR_FILL, edgecolor="#dddddd"),
                i18n.term(vocab.LAYERS, "provinces", lang),
            )
        )
    border = Line2D(
        [0, 1],
        [0, 0],
        color=styles.PROVINCE_BORDER,
        linewidth=1.1,
        linestyle=styles.PROVINCE_BORDER_MPL_DASH,
    )
    lakes = Patch(facecolor=styles.LAKE_FILL, edgecolor=styles.LAKE_EDGE, linewidth=0.6)
    rivers = Line2D([0, 1], [0, 0], color=styles.OTHER_RIVER_COLOUR, linewidth=0.9)
    entries += [
        (border, i18n.term(vocab.LAYERS, "borders", lang)),
        (lakes, i18n.term(vocab.LAYERS, "lakes", lang)),
        (rivers, i18n.term(vocab.LAYERS, "rivers", lang)),
    ]
    return entries


def _legend_sections(
    features: gpd.GeoDataFrame,
    feature: str | None,
    lang: str,
    *,
    tiled: bool = False,
    clusters: bool = False,
) -> list[tuple[str, list[tuple[Any, str]]]]:
    """(heading, [(handle, label), ...]) per legend section.

    Mirrors the web map's legend (:func:`circlemap.webmap.legend_html`): the
    kinds present by map group, the geometry accuracies as line styles with
    their meaning, then the base layers, with the same strings.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sections: list[tuple[str, list[tuple[Any, str]]]] = []
    present = [k for k in vocab.KINDS if k in set(features["kind"])]
    sites = -1  # the section of the site kinds, which the count disc joins
    for group in vocab.KIND_GROUPS:
        in_group = [k for k in present if vocab.KINDS[k].group == group]
        if in_group:
            if any(
                features.loc[features["kind"] == k].geom_type.eq("Point").any() for k in in_group
            ):
                sites = len(sections)
            sections.append(
                (
                    i18n.term(vocab.KIND_GROUPS, group, lang),
                    [
                        (_kind_handle(features, k), i18n.term(vocab.KINDS, k, lang))
                        for k in in_group
                    ],
                )
            )
    if clusters and sections:
        sections[sites][1].append(
            (
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=11,
                    markerfacecolor="white",
                    markeredgecolor=styles.CLUSTER_EDGE,
                    markeredgewidth=1.4,
                ),
                i18n.t("export_cluster", lang),
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
            Line2D([0, 1], [0, 0], color="#444444", linewidth=1.8, linestyle=mpl_dash(accuracy)),
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
                facecolor=(*rgb(styles.CITY_FILL), TILED_CITY_ALPHA),
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
            Patch(facecolor="none", edgecolor=TILED_CONTEXT_EDGE)
            if tiled
            else Patch(facecolor=styles.CONTEXT_FILL, edgecolor=styles.CONTEXT_EDGE),
            i18n.term(vocab.LAYERS, "context", lang),
        ),
    ]
    base_entries += _surroundings_entries(lang, tiled=tiled)
    sections.append((i18n.t("map_legend_base", lang), base_entries))
    return sections


def draw_legend(
    panel: Axes,
    features: gpd.GeoDataFrame,
    feature: str | None,
    lang: str,
    *,
    tiled: bool = False,
    clusters: bool = False,
) -> None:
    """Stack one matplotlib legend per section in the side panel, top down
    (``clusters``: the map has count discs, which the section of point kinds explains)."""
    from matplotlib.legend import Legend

    sections = _legend_sections(features, feature, lang, tiled=tiled, clusters=clusters)
    rows = sum(len(entries) + 1 for _, entries in sections)
    fontsize = 8.5 if rows <= 30 else 7.2
    wrap = 36 if fontsize > 8 else 42
    renderer = panel.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    title = outlined(
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
