"""The features of a print map: every symbol visible, numbered, and keyed.

Lines on one alignment are drawn side by side, a fixed number of points apart
(:func:`circlemap.cartography.shared_alignments`); lines along the Yellow River
beside it. Points on one spot are spread on a small ring with leader lines to
the true spot (:func:`circlemap.cartography.spread_on_ring`); on a map with too
many features to number, crowds of sites too close together to draw apart are
discs that count them (:func:`circlemap.cartography.spread_or_cluster`), as on
the web map. Each feature gets
a number, placed next to its symbol clear of the other numbers, the place names
and the symbols (:func:`circlemap.cartography.place_labels`); the key under the
map names every number.

Axes are in :data:`circlemap.export.tiles.MAP_CRS` (metres); label boxes are in
display pixels of the figure (y up), which scale with the output resolution.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import shapely
from matplotlib.collections import LineCollection

from circlemap import cartography, i18n, styles, vocab
from circlemap.cartography import Box
from circlemap.export import print_symbols
from circlemap.export.captions import wrap_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LINE_WIDTH_PT: Final = 2.2
"""Width of a feature line (points)."""

LANE_SPACING_PT: Final = 3.0
"""Distance between the centres of two lines drawn side by side (points)."""

POINT_SIZE_PT: Final = 9.0
"""Diameter of a point symbol (points); matplotlib's marker area is its square."""

RING_GAP_PT: Final = 2.5
"""Gap between neighbouring symbols on a ring (points)."""

NUMBER_SIZE_PT: Final = 7.0
"""Font size of the feature numbers."""

KEY_FONT_PT: Final = 6.5
"""Font size of the key under the map."""

KEY_COLUMNS: Final = 4

KEY_WRAP: Final = 38

MAX_NUMBERED_FEATURES: Final = 60
"""Above this many features the print map numbers none of them: the key would not fit
the page (four columns of about fifteen lines) and the numbers would bury the map; one
line under the map says so and where the names are (the GeoJSON/CSV export)."""


def numbered(features: gpd.GeoDataFrame) -> bool:
    """Whether the print map numbers ``features`` (at most :data:`MAX_NUMBERED_FEATURES`)."""
    return len(features) <= MAX_NUMBERED_FEATURES


"""Display width (CJK counts 2) a key entry wraps at."""

LEADER_COLOUR: Final = "#555555"

CLUSTER_MAX_RING: Final = 24
"""On a print map with too many features to number, more than this many sites too close
together to draw apart are one disc that counts them (the web map's ``MAX_RING``)."""

CLUSTER_DISC_PT: Final = 16.0
"""Diameter of a count disc (points)."""

CLUSTER_REACH_PT: Final = 40.0
"""A crowd is the sites within this distance of a seed site (points on the page; the
web map's ``CLUSTER_REACH`` in units of its point symbol)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """Where one feature was drawn and numbered.

    Attributes
    ----------
    fid, kind, shape : str
        Feature id, kind, ``point``/``line``/``area``.
    number : int
        Its number on the map and in the key.
    symbol : (float, float)
        Map units (metres) of the drawn point symbol (displaced on a ring when it
        shares its spot), or of the label's anchor for lines and areas.
    spot : (float, float)
        Map units of the stored location (points) or of the anchor.
    label : Box
        The number's box, display pixels.
    """

    fid: str
    kind: str
    shape: str
    number: int
    symbol: tuple[float, float]
    spot: tuple[float, float]
    label: Box


@dataclass(frozen=True, slots=True)
class FeatureLayout:
    """What :func:`draw_features` placed: one :class:`Mark` per numbered feature, the
    text boxes (place names) the numbers were kept clear of, display pixels, and the
    count discs of an unnumbered map (map units)."""

    marks: tuple[Mark, ...]
    obstacles: tuple[Box, ...]
    clusters: tuple[cartography.Cluster, ...] = ()


def shape_of(geom: Any) -> str:
    if geom.geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return "area"
    return "line"


def ordered(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drawable features in legend order (kinds as :data:`vocab.KINDS`, then as given)."""
    kinds = list(vocab.KINDS)
    order = features.assign(
        _rank=features["kind"].map(lambda k: kinds.index(k) if k in kinds else len(kinds))
    ).sort_values("_rank", kind="stable")
    return order[~(order.geometry.isna() | order.geometry.is_empty)].drop(columns="_rank")


def key_entries(features: gpd.GeoDataFrame, lang: str) -> list[tuple[int, str, str]]:
    """(number, name, kind) of every drawable feature, numbered in legend order."""
    return [
        (n, i18n.name_of(row, lang), str(row["kind"]))
        for n, (_, row) in enumerate(ordered(features).iterrows(), start=1)
    ]


def key_rows(features: gpd.GeoDataFrame, lang: str) -> int:
    """Text lines the key needs in its tallest column (0 without features; 1 for the
    note that replaces the key when there are too many to number)."""
    if not numbered(features):
        return 1
    heights = [
        len(wrap_text(f"{n}  {name}", KEY_WRAP)) for n, name, _ in key_entries(features, lang)
    ]
    if not heights:
        return 0
    per_column = math.ceil(len(heights) / KEY_COLUMNS)
    columns = [heights[i : i + per_column] for i in range(0, len(heights), per_column)]
    return max(sum(c) for c in columns)


def box_of(artist: Any, renderer: Any) -> Box:
    """Display-pixel box of a drawn artist."""
    return _display_box(artist, renderer)


def _display_box(artist: Any, renderer: Any) -> Box:
    ext = artist.get_window_extent(renderer)
    return Box(float(ext.x0), float(ext.y0), float(ext.x1), float(ext.y1))


@dataclass(frozen=True)
class _Plan:
    """Where each feature is drawn: offset lines, displaced points (map units)."""

    order: gpd.GeoDataFrame
    drawn: dict[str, Any]
    symbol_at: dict[str, tuple[float, float]]
    outward: dict[str, tuple[float, float]]
    units_per_pt: float
    clusters: tuple[cartography.Cluster, ...] = ()


def _plan(ax: Axes, features: gpd.GeoDataFrame, river: gpd.GeoDataFrame | None) -> _Plan:
    """Lanes of the lines and rings of the points, sized in points on the page."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    order = ordered(features)
    (x0, x1), bbox = ax.get_xlim(), ax.get_window_extent(renderer)
    units_per_pt = (x1 - x0) / bbox.width * fig.dpi / 72.0
    lines = order.geometry[order.geom_type.isin(cartography.LINE_TYPES)]
    fixed = cartography.fixed_lines(river)
    lanes = cartography.cached_alignments(lines, fixed=fixed) if len(lines) else {}
    drawn = {
        str(fid): cartography.offset_line(
            geom, lanes.get(str(fid), 0.0) * LANE_SPACING_PT * units_per_pt
        )
        for fid, geom in order.geometry.items()
    }
    points = order.geometry[order.geom_type == "Point"]
    spots = {str(fid): (g.x, g.y) for fid, g in points.items()}
    spread = cartography.spread_or_cluster(
        spots,
        symbol=POINT_SIZE_PT * units_per_pt,
        gap=RING_GAP_PT * units_per_pt,
        same_spot=cartography.COLOCATED_TOLERANCE_M,
        # Numbered, every site keeps its own symbol for its number.
        max_ring=None if numbered(features) else CLUSTER_MAX_RING,
        disc=CLUSTER_DISC_PT * units_per_pt,
        reach=CLUSTER_REACH_PT * units_per_pt,
    )
    symbol_at = spread.drawn
    outward = {
        fid: (xy[0] - spots[fid][0], xy[1] - spots[fid][1])
        for fid, xy in symbol_at.items()
        if xy != spots[fid]
    }
    return _Plan(order, drawn, symbol_at, outward, units_per_pt, spread.clusters)


def _draw_leaders(ax: Axes, plan: _Plan) -> None:
    """Thin lines from each shared spot to the symbols spread around it (to their edge),
    and a dot on each such spot: one collection and one scatter call for all."""
    segments: list[list[tuple[float, float]]] = []
    spots: dict[tuple[float, float], None] = {}
    for fid, (dx, dy) in plan.outward.items():
        spot = plan.order.geometry[fid]
        reach = max(0.0, 1 - POINT_SIZE_PT / 2 * plan.units_per_pt / math.hypot(dx, dy))
        segments.append([(spot.x, spot.y), (spot.x + dx * reach, spot.y + dy * reach)])
        spots[(spot.x, spot.y)] = None
    if not segments:
        return
    ax.add_collection(
        LineCollection(segments, colors=LEADER_COLOUR, linewidths=0.6, zorder=7.9),
        autolim=False,
    )
    xs, ys = zip(*spots, strict=True)
    ax.scatter(xs, ys, s=6, color=LEADER_COLOUR, zorder=7.95)


def _draw_symbols(ax: Axes, plan: _Plan, feature: str | None) -> None:
    """Each feature where the plan put it (offset lines, spread points), in batches."""
    from shapely.geometry import Point

    counted = {fid for cluster in plan.clusters for fid in cluster.members}
    order = plan.order[~plan.order.index.astype(str).isin(counted)]
    geometry = [
        Point(plan.symbol_at[str(fid)]) if str(fid) in plan.symbol_at else plan.drawn[str(fid)]
        for fid in order.index
    ]
    drawn = order.set_geometry(gpd.GeoSeries(geometry, index=order.index))
    print_symbols.draw_symbols(
        ax,
        drawn,
        feature,
        style=print_symbols.SymbolStyle(line_width=LINE_WIDTH_PT, point_size=POINT_SIZE_PT**2),
    )


def _symbol_boxes(ax: Axes, plan: _Plan) -> list[Box]:
    """Display-pixel boxes of the point symbols drawn where the plan put them."""
    half = POINT_SIZE_PT * ax.figure.dpi / 72.0 / 2
    boxes = []
    for xy in plan.symbol_at.values():
        px, py = ax.transData.transform(xy)
        boxes.append(Box(px - half, py - half, px + half, py + half))
    return boxes


def _clear_of(ax: Axes, plan: _Plan, obstacles: list[Box]) -> tuple[cartography.Cluster, ...]:
    """The count discs, each moved off the place names it would cover (``obstacles``,
    display pixels) or the frame's edge to the nearest spot in the frame clear of them,
    of the other discs and of the point symbols: up to two disc widths away, in the
    label directions; a disc with no such spot stays where it is."""
    width = CLUSTER_DISC_PT * ax.figure.dpi / 72.0
    size = (width, width)
    ext = ax.get_window_extent(ax.figure.canvas.get_renderer())  # type: ignore[attr-defined]
    frame = Box(float(ext.x0), float(ext.y0), float(ext.x1), float(ext.y1))
    symbols = _symbol_boxes(ax, plan)
    placed: list[Box] = []
    out = []
    for cluster in plan.clusters:
        px, py = ax.transData.transform(cluster.centre)
        here = cartography.candidate_box((float(px), float(py)), size, (0.0, 0.0), 0.0)
        if not here.inside(frame) or any(here.overlaps(o) for o in obstacles):
            blocked = [*obstacles, *placed, *symbols]
            options = (
                cartography.candidate_box((float(px), float(py)), size, direction, gap)
                for gap in (0.0, width / 2, width, 1.5 * width)
                for direction in cartography.LABEL_POSITIONS
            )
            here = next(
                (b for b in options if b.inside(frame) and not any(b.overlaps(o) for o in blocked)),
                here,
            )
        placed.append(here)
        x, y = ax.transData.inverted().transform(((here.x0 + here.x1) / 2, (here.y0 + here.y1) / 2))
        out.append(cartography.Cluster((float(x), float(y)), cluster.members))
    return tuple(out)


def _draw_clusters(ax: Axes, plan: _Plan) -> None:
    """One count disc per crowd (a white disc, its count in bold): one scatter call."""
    from circlemap.export.print_layers import outlined

    if not plan.clusters:
        return
    xs, ys = zip(*(c.centre for c in plan.clusters), strict=True)
    ax.scatter(
        xs,
        ys,
        s=CLUSTER_DISC_PT**2,
        facecolor="white",
        edgecolor=styles.CLUSTER_EDGE,
        linewidths=1.4,
        alpha=0.95,
        zorder=8.5,
    )
    for cluster in plan.clusters:
        count = str(len(cluster.members))
        outlined(
            ax.text,
            *cluster.centre,
            count,
            fontsize=6.5 if len(count) <= 3 else 5.2,
            color="#3b2a1e",
            ha="center",
            va="center",
            zorder=8.6,
            clip_on=True,
            bold="#3b2a1e",
        )


def _label_anchors(ax: Axes, plan: _Plan, frame: Box) -> list[list[tuple[float, float]]]:
    """Display-pixel anchors of each feature's number: the symbol, points along a line."""
    to_px = ax.transData.transform
    out = []
    for fid in plan.order.index:
        geom = plan.drawn[str(fid)]
        shape = shape_of(geom)
        if shape == "point":
            options = [to_px(plan.symbol_at[str(fid)])]
        elif shape == "line":
            options = [
                to_px(shapely.line_interpolate_point(geom, f, normalized=True).coords[0])
                for f in (0.5, 0.35, 0.65, 0.2, 0.8)
            ]
        else:
            options = [to_px(geom.representative_point().coords[0])]
        pairs = [(float(o[0]), float(o[1])) for o in options]
        visible = [
            o for o in pairs if frame.x0 <= o[0] <= frame.x1 and frame.y0 <= o[1] <= frame.y1
        ]
        out.append(visible or pairs)
    return out


def _place_numbers(
    ax: Axes, plan: _Plan, obstacles: list[Box]
) -> tuple[list[list[tuple[float, float]]], list[Box]]:
    """Anchors and boxes (display pixels) of the feature numbers, clear of ``obstacles``,
    of each other and of the point symbols."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    px_per_pt = fig.dpi / 72.0
    half = POINT_SIZE_PT * px_per_pt / 2
    symbols = _symbol_boxes(ax, plan)
    bbox = ax.get_window_extent(renderer)
    frame = Box(bbox.x0 + 2, bbox.y0 + 2, bbox.x1 - 2, bbox.y1 - 2)
    anchors = _label_anchors(ax, plan, frame)
    probe = ax.text(0, 0, "0", fontsize=NUMBER_SIZE_PT)
    sizes = []
    for n in range(1, len(plan.order) + 1):
        probe.set_text(str(n))
        box = _display_box(probe, renderer)
        sizes.append((box.x1 - box.x0 + 2, box.y1 - box.y0))
    probe.remove()
    boxes = cartography.place_labels(
        anchors,
        sizes,
        obstacles=[*obstacles, *symbols],
        frame=frame,
        preferred=[plan.outward.get(str(fid)) for fid in plan.order.index],
        clearances=[half if str(f) in plan.symbol_at else 0.0 for f in plan.order.index],
        gaps=tuple(g * px_per_pt for g in (1.0, 3.0, 6.0, 10.0, 15.0)),
        margin=0.8 * px_per_pt,
    )
    return anchors, boxes


def draw_features(
    ax: Axes,
    features: gpd.GeoDataFrame,
    feature: str | None,
    lang: str,
    *,
    river: gpd.GeoDataFrame | None = None,
    avoid: list[Any] | None = None,
) -> FeatureLayout:
    """Draw every feature (highlight, symbols, leader lines, numbers); return the layout.

    Call after the axes limits and aspect are set (offsets and rings are sized
    in points on the page). ``river`` (map CRS) is the line the greenways are
    drawn beside; ``avoid`` lists text artists (place names) or display-pixel
    :class:`Box` es the numbers keep clear of. ``lang`` is unused (numbers).
    """
    from circlemap.export.print_layers import outlined

    del lang
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    obstacles = [
        a if isinstance(a, Box) else _display_box(a, renderer)
        for a in (avoid or [])
        if isinstance(a, Box) or a.get_text()
    ]
    plan = _plan(ax, features, river)
    if plan.clusters:
        plan = dataclasses.replace(plan, clusters=_clear_of(ax, plan, obstacles))
    _draw_leaders(ax, plan)
    if feature is not None and str(feature) in plan.drawn:
        at = plan.symbol_at.get(str(feature))
        held = [c.centre for c in plan.clusters if str(feature) in c.members]
        _draw_highlight(ax, plan.drawn[str(feature)], held[0] if held else at)
    _draw_symbols(ax, plan, feature)
    _draw_clusters(ax, plan)
    if not numbered(features):
        return FeatureLayout(marks=(), obstacles=tuple(obstacles), clusters=plan.clusters)

    anchors, boxes = _place_numbers(ax, plan, obstacles)
    numbers = {str(fid): n for n, fid in enumerate(plan.order.index, start=1)}
    inverse = ax.transData.inverted().transform
    marks: list[Mark] = []
    for (fid, row), box, options in zip(plan.order.iterrows(), boxes, anchors, strict=True):
        x, y = inverse(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
        colour = styles.HIGHLIGHT if fid == feature else "#1a1a1a"
        outlined(
            ax.text,
            x,
            y,
            str(numbers[str(fid)]),
            fontsize=NUMBER_SIZE_PT,
            color=colour,
            ha="center",
            va="center",
            zorder=10,
            clip_on=True,
            halo=2.4,
            bold=colour,
        )
        at = plan.symbol_at.get(str(fid))
        spot = (row.geometry.x, row.geometry.y) if at is not None else tuple(inverse(options[0]))
        marks.append(
            Mark(
                fid=str(fid),
                kind=str(row["kind"]),
                shape=shape_of(plan.drawn[str(fid)]),
                number=numbers[str(fid)],
                symbol=(float((at or spot)[0]), float((at or spot)[1])),
                spot=(float(spot[0]), float(spot[1])),
                label=box,
            )
        )
    return FeatureLayout(marks=tuple(marks), obstacles=tuple(obstacles))


def _draw_highlight(ax: Axes, geom: Any, at: tuple[float, float] | None) -> None:
    if at is not None:
        ax.scatter([at[0]], [at[1]], s=260, color=styles.HIGHLIGHT, alpha=0.45, zorder=6)
        return
    outline = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    gpd.GeoSeries([outline]).plot(ax=ax, color=styles.HIGHLIGHT, linewidth=6, alpha=0.45, zorder=6)


def draw_key(
    fig: Figure, box: tuple[float, float, float, float], features: gpd.GeoDataFrame, lang: str
) -> list[Any]:
    """The key under the map: every number with its feature's name, in columns.

    ``box`` is (left, bottom, width, height) in figure fraction. Returns the
    text artists (one per entry).
    """
    left, bottom, width, height = box
    if not numbered(features):
        note = i18n.t("export_key_too_many", lang).format(n=len(features))
        return [
            fig.text(left, bottom + height, note, fontsize=KEY_FONT_PT, va="top", color="#222222")
        ]
    entries = key_entries(features, lang)
    if not entries:
        return []
    per_column = math.ceil(len(entries) / KEY_COLUMNS)
    line = KEY_FONT_PT * 1.3 / 72 / fig.get_figheight()
    artists = []
    for i, (number, name, kind) in enumerate(entries):
        column, row_in_column = divmod(i, per_column)
        if row_in_column == 0:
            y = bottom + height
        x = left + column * width / KEY_COLUMNS
        text = "\n".join(wrap_text(f"{number}  {name}", KEY_WRAP))
        fig.patches.append(_key_dot(fig, x, y - line / 2, kind))
        artists.append(
            fig.text(
                x + 0.012,
                y,
                text,
                fontsize=KEY_FONT_PT,
                va="top",
                ha="left",
                color="#222222",
                linespacing=1.1,
            )
        )
        y -= line * text.count("\n") + line
    return artists


def _key_dot(fig: Figure, x: float, y: float, kind: str) -> Any:
    from matplotlib.patches import Ellipse

    size = 0.0055
    aspect = fig.get_figwidth() / fig.get_figheight()
    colour = styles.kind_colour(kind)
    return Ellipse(
        (x + size, y),
        size * 1.4,
        size * 1.4 * aspect,
        transform=fig.transFigure,
        facecolor=colour,
        edgecolor=colour,
        figure=fig,
    )


def number_of(layout: FeatureLayout) -> dict[str, int]:
    """Feature id -> number (for tests and captions)."""
    return {m.fid: m.number for m in layout.marks}
