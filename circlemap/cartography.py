"""Cartographic placement: symbols that share a place, and labels that must not collide.

Pure geometry, used by the web map and the print map alike:

- :func:`shared_alignments` finds lines that run along each other (a road under a
  corridor) and gives each a *lane*, a signed multiple of the line width by which
  it is drawn beside the others, so every one is seen and can be clicked.
- :func:`colocated_groups` finds point features on the same spot and
  :func:`spread_on_ring` places them on a small ring around it (leader lines go
  back to the true spot).
- :func:`place_labels` puts short labels (feature numbers) next to their anchors
  without overlapping each other or other text, greedily over candidate positions.

Stored coordinates never change: the offsets are for drawing only. Geometries
come in EPSG:4326 (degrees) and are measured in :data:`circlemap.settings.METRIC_CRS`
(metres); label boxes are in any one unit (points or pixels on the page).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from circlemap import settings

ALIGNMENT_TOLERANCE_M: Final = 300.0
"""Two lines closer than this (metres) along a stretch run along each other."""

ALIGNMENT_MIN_SHARED_M: Final = 2000.0
"""...when that stretch is at least this long (metres)."""

COLOCATED_TOLERANCE_M: Final = 50.0
"""Points closer than this (metres) share a spot."""

LABEL_POSITIONS: Final[tuple[tuple[float, float], ...]] = (
    (1.0, 1.0),
    (1.0, -1.0),
    (-1.0, 1.0),
    (-1.0, -1.0),
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
)
"""Candidate label positions around an anchor, best first: unit directions
(x right, y up); the label's nearest corner or edge sits at the gap distance."""


# --- lines along each other -----------------------------------------------------------------


def _tangent(line: BaseGeometry, point: shapely.Point, step: float) -> tuple[float, float]:
    """Unit direction of ``line`` (metres) at the point of it nearest to ``point``."""
    at = line.project(point)
    a = line.interpolate(max(0.0, at - step))
    b = line.interpolate(min(line.length, at + step))
    dx, dy = b.x - a.x, b.y - a.y
    norm = math.hypot(dx, dy) or 1.0
    return dx / norm, dy / norm


def shared_alignments(
    lines: gpd.GeoSeries,
    *,
    fixed: gpd.GeoSeries | None = None,
    tolerance_m: float = ALIGNMENT_TOLERANCE_M,
    min_shared_m: float = ALIGNMENT_MIN_SHARED_M,
) -> dict[str, float]:
    """Lanes of the lines that run along another line.

    Lines that run along each other form groups; in a group each line gets the
    lowest lane its neighbours leave free (greedy colouring, in the given order),
    so a chain of lines that overlap one after the other alternates between two
    lanes instead of fanning out.

    Parameters
    ----------
    lines : geopandas.GeoSeries
        LineStrings (or MultiLineStrings), any CRS with a known transform
        (EPSG:4326 as stored), indexed by feature id, in drawing order.
    fixed : geopandas.GeoSeries, optional
        Lines that stay where they are (the Yellow River): the lines along them
        are drawn beside them, on alternate sides (lanes 1, -1, 2, ...).
    tolerance_m, min_shared_m : float
        Lines within ``tolerance_m`` metres of each other over at least
        ``min_shared_m`` metres share an alignment.

    Returns
    -------
    dict
        Feature id of ``lines`` -> lane, only for lines that share an alignment.
        In a group without a fixed line the ``n`` lanes used are
        ``k - (n - 1) / 2`` (-0.5 and 0.5 for two). Each lane is signed for the
        line's own direction: positive is to the left of the line as drawn from
        its first vertex (shapely's ``offset_curve`` and, on screen,
        Leaflet.PolylineOffset's ``offset``), so two lines drawn in opposite
        directions still end up side by side. Multiply by the spacing (line
        width plus a gap) to get the offset.
    """
    parts = [lines.to_crs(settings.METRIC_CRS)]
    if fixed is not None and len(fixed):
        parts.insert(0, fixed.to_crs(settings.METRIC_CRS))
    n_fixed = len(parts[0]) if len(parts) == 2 else 0
    ids = [str(i) for part in parts for i in part.index]
    geoms = [g for part in parts for g in part.geometry]
    links = _alignment_links(geoms, tolerance_m=tolerance_m, min_shared_m=min_shared_m)
    return _lanes(ids, n_fixed, links)


def _lanes(ids: Sequence[str], n_fixed: int, links: dict[tuple[int, int], int]) -> dict[str, float]:
    """Lanes of the lines ``ids`` (the first ``n_fixed`` fixed) under their ``links``
    (pairs of indexes into ``ids`` -> +1 same direction, -1 opposite)."""
    lanes: dict[str, float] = {}
    near: dict[int, list[int]] = {}
    for i, j in links:
        near.setdefault(i, []).append(j)
    for members in _components(len(ids), links):
        if len(members) < 2:
            continue
        ref = members[0]
        direction = {ref: 1}
        frontier = [ref]
        while frontier:  # each member's direction relative to the reference
            i = frontier.pop()
            for j in sorted(near.get(i, ())):
                if j not in direction:
                    direction[j] = direction[i] * links[(i, j)]
                    frontier.append(j)
        slot: dict[int, int] = {}
        for i in members:
            if i < n_fixed:
                slot[i] = 0
                continue
            taken = {slot[j] for j in near.get(i, ()) if j in slot}
            slot[i] = next(k for k in range(len(members) + 1) if k not in taken)
        anchored = any(i < n_fixed for i in members)
        count = max(slot.values()) + 1
        for i in members:
            if i < n_fixed:
                continue
            k = slot[i]
            lane = ((k + 1) // 2) * (1 if k % 2 else -1) if anchored else k - (count - 1) / 2
            lanes[ids[i]] = lane * direction[i]
    return lanes


LINE_TYPES: Final = ("LineString", "MultiLineString")
"""Geometry types of the lines that can share an alignment."""


def fixed_lines(river: gpd.GeoDataFrame | None) -> gpd.GeoSeries | None:
    """The Yellow River's lines by id, as the ``fixed`` lines of an alignment
    (``None`` without a river layer)."""
    return river.set_index("id").geometry if river is not None and "id" in river else None


@dataclass(frozen=True, slots=True)
class Alignments:
    """Which lines of a universe run along each other (and along fixed lines), found once.

    Whether two lines run along each other depends on the two alone, so the
    pairwise overlay of :func:`shared_alignments` is done once for every line
    a filter can show; :meth:`lanes` of any subset then comes from these links
    restricted to it, without another overlay (made by :func:`alignments`).

    Attributes
    ----------
    fixed_ids : tuple of str
        Keys of the fixed lines (``"\0fixed:" + id``: feature ids cannot start with a NUL).
    line_ids : frozenset of str
        Ids of the universe's lines.
    links : dict
        ``{(key a, key b): sign}`` of every pair along each other, +1 same direction,
        -1 opposite.
    """

    fixed_ids: tuple[str, ...]
    line_ids: frozenset[str]
    links: Mapping[tuple[str, str], int]

    def lanes(self, ids: Sequence[str]) -> dict[str, float]:
        """:func:`shared_alignments` of the universe's lines ``ids``, in drawing order.

        Raises
        ------
        ValueError
            If an id is not a line of the universe.
        """
        missing = set(ids) - self.line_ids
        if missing:
            msg = f"lines not in the universe of alignments: {sorted(missing)}"
            raise ValueError(msg)
        keys = [*self.fixed_ids, *ids]
        position = {fid: k for k, fid in enumerate(keys)}
        links: dict[tuple[int, int], int] = {}
        for (a, b), sign in self.links.items():
            if a in position and b in position:
                links[(position[a], position[b])] = links[(position[b], position[a])] = sign
        return _lanes(keys, len(self.fixed_ids), links)


def alignments(universe: gpd.GeoSeries, *, fixed: gpd.GeoSeries | None = None) -> Alignments:
    """The :class:`Alignments` of ``universe`` (lines indexed by feature id) and
    ``fixed`` (lines that stay where they are), with the default tolerances;
    remembered per input (ids and exact geometries, WKB)."""

    def key(series: gpd.GeoSeries | None) -> tuple[tuple[str, bytes], ...]:
        if series is None:
            return ()
        wkb = shapely.to_wkb(series.to_crs(settings.STORAGE_CRS).geometry.values)
        return tuple(zip((str(i) for i in series.index), wkb, strict=True))

    lines = key(universe)
    fixed_ids, by_pair = _links_of(lines, key(fixed))
    return Alignments(fixed_ids, frozenset(i for i, _ in lines), by_pair)


def cached_alignments(
    lines: gpd.GeoSeries,
    *,
    fixed: gpd.GeoSeries | None = None,
    universe: gpd.GeoSeries | None = None,
) -> dict[str, float]:
    """:func:`shared_alignments` with the default tolerances, from links remembered:
    ``alignments(universe).lanes(lines)`` (``universe`` is ``lines`` when omitted)."""
    every = lines if universe is None else universe
    return alignments(every, fixed=fixed).lanes([str(i) for i in lines.index])


@lru_cache(maxsize=16)
def _links_of(
    lines: tuple[tuple[str, bytes], ...], fixed: tuple[tuple[str, bytes], ...]
) -> tuple[tuple[str, ...], dict[tuple[str, str], int]]:
    """(ids of the fixed lines, as keys; {(key a, key b): sign}) of every pair of
    ``fixed`` and ``lines`` along each other; a fixed line's key is ``"\0fixed:" + id``
    (feature ids cannot start with a NUL)."""
    fixed_ids = tuple(f"\0fixed:{i}" for i, _ in fixed)
    ids = [*fixed_ids, *(i for i, _ in lines)]
    series = gpd.GeoSeries(
        shapely.from_wkb([w for _, w in (*fixed, *lines)]), crs=settings.STORAGE_CRS
    ).to_crs(settings.METRIC_CRS)
    found = _alignment_links(
        list(series.geometry),
        tolerance_m=ALIGNMENT_TOLERANCE_M,
        min_shared_m=ALIGNMENT_MIN_SHARED_M,
    )
    return fixed_ids, {(ids[i], ids[j]): sign for (i, j), sign in found.items()}


def _alignment_links(
    geoms: Sequence[BaseGeometry | None], *, tolerance_m: float, min_shared_m: float
) -> dict[tuple[int, int], int]:
    """Pairs of ``geoms`` (metres) along each other -> +1 same direction, -1 opposite.

    Candidate pairs (within ``tolerance_m``) come from an STR tree of the
    buffers, not a test of every pair.
    """
    links: dict[tuple[int, int], int] = {}
    present = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    if len(present) < 2:
        return links
    shapes = [geoms[i] for i in present]
    buffers = shapely.buffer(shapes, tolerance_m)
    tree = shapely.STRtree(buffers)
    near = tree.query(shapes, predicate="intersects")
    for a, b in sorted(zip(near[0].tolist(), near[1].tolist(), strict=True)):
        if a >= b:
            continue
        i, j = present[a], present[b]
        gi, gj = shapes[a], shapes[b]
        shared = gi.intersection(buffers[b])
        if shared.length < min_shared_m:
            continue
        mid = shared.interpolate(0.5, normalized=True)
        step = min(tolerance_m, shared.length / 4)
        ti, tj = _tangent(gi, mid, step), _tangent(gj, mid, step)
        links[(i, j)] = links[(j, i)] = 1 if ti[0] * tj[0] + ti[1] * tj[1] >= 0 else -1
    return links


def _components(n: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of ``range(n)`` under the pairs ``links``, members in order,
    each component at the place of its first member."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in links:
        parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def offset_line(geom: BaseGeometry, distance: float) -> BaseGeometry:
    """``geom`` moved ``distance`` (its units) to its left (right if negative), for drawing.

    A thin wrapper over :func:`shapely.offset_curve` (mitred joins, kept in the
    line's own direction) that also takes MultiLineStrings.
    """
    if distance == 0:
        return geom
    parts = [
        shapely.offset_curve(part, distance, join_style="mitre", mitre_limit=2.0)
        for part in shapely.get_parts(geom)
    ]
    return shapely.multilinestrings(parts) if len(parts) > 1 else parts[0]


# --- points on one spot ---------------------------------------------------------------------


def colocated_groups(
    points: gpd.GeoSeries, *, tolerance_m: float = COLOCATED_TOLERANCE_M
) -> list[list[str]]:
    """Ids of the point features that share a spot, in input order; only groups of two or more.

    ``points`` is indexed by feature id (any CRS with a known transform).
    """
    metric = points.to_crs(settings.METRIC_CRS)
    groups: list[tuple[shapely.Point, list[str]]] = []
    for fid, geom in metric.items():
        if geom is None or geom.geom_type != "Point":
            continue
        for spot, members in groups:
            if spot.distance(geom) <= tolerance_m:
                members.append(str(fid))
                break
        else:
            groups.append((geom, [str(fid)]))
    return [members for _, members in groups if len(members) > 1]


def ring_radius(count: int, symbol_size: float, gap: float) -> float:
    """Radius of a ring holding ``count`` symbols of ``symbol_size`` with ``gap`` between them.

    At least 1.5 symbol sizes, so the ring clears the true spot's own mark.
    Same unit as ``symbol_size`` (pixels, points or metres).
    """
    return max(1.5 * symbol_size, count * (symbol_size + gap) / (2 * math.pi))


def spread_on_ring(
    centre: tuple[float, float], count: int, radius: float
) -> list[tuple[float, float]]:
    """``count`` positions on a ring of ``radius`` around ``centre``, from the top, clockwise.

    Coordinates with y up (map units); the same order as :func:`colocated_groups`.
    """
    out = []
    for k in range(count):
        angle = math.pi / 2 - 2 * math.pi * k / count
        out.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return out


def spread_points(
    spots: dict[str, tuple[float, float]], *, symbol: float, gap: float, same_spot: float
) -> dict[str, tuple[float, float]]:
    """Where to draw point symbols so that none covers another (one unit throughout).

    Points within ``same_spot`` of each other share a spot and go on a ring
    around it (:func:`ring_radius`, :func:`spread_on_ring`, in the order given).
    When symbols then still touch (two nearby spots, or a ring reaching a
    neighbour) their groups merge, every touching pair at once, into one ring
    around the groups' mean spot, until every symbol is at least ``symbol``
    from every other. Points alone stay where they are. Touching pairs are
    found on a grid of ``symbol`` cells: each round is linear in the points.

    Returns
    -------
    dict
        Id -> drawn position, for every id of ``spots``.
    """
    return spread_or_cluster(spots, symbol=symbol, gap=gap, same_spot=same_spot).drawn


@dataclass(frozen=True, slots=True)
class Cluster:
    """Points drawn as one numbered disc: its centre and the ids it stands for."""

    centre: tuple[float, float]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Spread:
    """Where :func:`spread_or_cluster` draws points: ``drawn`` (id -> position) for each
    point drawn as its own symbol, ``clusters`` for the rest."""

    drawn: dict[str, tuple[float, float]]
    clusters: tuple[Cluster, ...]


@dataclass(slots=True)
class _Group:
    members: list[str]
    disc: bool = False
    centre: tuple[float, float] | None = None  # a disc's (its seed), else the mean spot


def spread_or_cluster(
    spots: dict[str, tuple[float, float]],
    *,
    symbol: float,
    gap: float,
    same_spot: float,
    max_ring: int | None = None,
    disc: float = 0.0,
    reach: float = 0.0,
) -> Spread:
    """:func:`spread_points`, with the crowds that rings cannot hold as numbered discs.

    Without ``max_ring`` every point is drawn (:func:`spread_points`). With it,
    as the web map does (``spread`` in ``static/circlemap/circlemap.js``):
    seeds in the order given each take every point not yet taken within
    ``reach``; a seed's points that are more than ``max_ring`` and not all on
    one spot become a disc of diameter ``disc`` at the seed (seeds are more
    than ``reach`` apart, so such discs do not pile up). The rest go on rings
    as in :func:`spread_points`. A symbol that touches a disc joins it (the
    disc stays at its largest part's seed); a merged ring of more than
    ``max_ring`` points from several spots becomes a disc at its mean spot.
    Rings, single points and discs end clear of one another.
    """
    order = {fid: i for i, fid in enumerate(spots)}
    if max_ring is None:
        groups = [_Group(members) for members in _same_spot_groups(spots, same_spot)]
    else:
        groups = _seeded_groups(spots, order, same_spot=same_spot, max_ring=max_ring, reach=reach)
    for _ in range(len(spots) + 1):  # each round with a clash has one group fewer
        symbols = _placed(groups, spots, symbol=symbol, gap=gap, disc=disc)
        clashes = _clashes(symbols)
        if not clashes:
            break
        groups = _merged(groups, clashes, max_ring=max_ring)
    drawn = {fid: xy for g, fid, xy, _ in symbols if not groups[g].disc}
    clusters = tuple(
        Cluster(group.centre, tuple(group.members))
        for group in groups
        if group.disc and group.centre is not None
    )
    return Spread(drawn, clusters)


def _cell(xy: tuple[float, float], size: float) -> tuple[int, int]:
    return (math.floor(xy[0] / size), math.floor(xy[1] / size)) if size > 0 else (0, 0)


def _near_cells(cell: tuple[int, int]) -> Iterator[tuple[int, int]]:
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            yield cell[0] + dx, cell[1] + dy


def _same_spot_groups(spots: dict[str, tuple[float, float]], same_spot: float) -> list[list[str]]:
    """Ids in groups whose first member is within ``same_spot`` (in ``spots``' order;
    a point joins the earliest such group)."""
    groups: list[list[str]] = []
    seeds: dict[tuple[int, int], list[int]] = {}  # grid cell -> groups seeded there
    for fid, xy in spots.items():
        cell = _cell(xy, same_spot)
        near = [
            g
            for c in _near_cells(cell)
            for g in seeds.get(c, ())
            if math.dist(spots[groups[g][0]], xy) <= same_spot
        ]
        if near:
            groups[min(near)].append(fid)
        else:
            seeds.setdefault(cell, []).append(len(groups))
            groups.append([fid])
    return groups


def _seeded_groups(
    spots: dict[str, tuple[float, float]],
    order: dict[str, int],
    *,
    same_spot: float,
    max_ring: int,
    reach: float,
) -> list[_Group]:
    """Each seed's points within ``reach``: one disc, or their same-spot groups."""
    grid: dict[tuple[int, int], list[str]] = {}
    for fid, xy in spots.items():
        grid.setdefault(_cell(xy, reach), []).append(fid)
    taken: set[str] = set()
    groups: list[_Group] = []
    for seed, xy in spots.items():
        if seed in taken:
            continue
        members = sorted(
            (
                fid
                for c in _near_cells(_cell(xy, reach))
                for fid in grid.get(c, ())
                if fid not in taken and math.dist(xy, spots[fid]) <= reach
            ),
            key=order.__getitem__,
        )
        taken.update(members)
        parts = _same_spot_groups({fid: spots[fid] for fid in members}, same_spot)
        if len(members) > max_ring and len(parts) > 1:
            groups.append(_Group(members, disc=True, centre=xy))
        else:
            groups.extend(_Group(part) for part in parts)
    return groups


_Symbol = tuple[int, str, tuple[float, float], float]
"""(group index, id, drawn position, diameter): a disc is one symbol, its first id's."""


def _placed(
    groups: list[_Group],
    spots: dict[str, tuple[float, float]],
    *,
    symbol: float,
    gap: float,
    disc: float,
) -> list[_Symbol]:
    """The symbols drawn: each point alone or on its group's ring, each disc once."""
    out: list[_Symbol] = []
    for g, group in enumerate(groups):
        members = group.members
        if group.centre is None:
            group.centre = (
                sum(spots[f][0] for f in members) / len(members),
                sum(spots[f][1] for f in members) / len(members),
            )
        if group.disc:
            out.append((g, members[0], group.centre, disc))
            continue
        if len(members) == 1:
            places = [spots[members[0]]]
        else:
            places = spread_on_ring(
                group.centre, len(members), ring_radius(len(members), symbol, gap)
            )
        out.extend((g, fid, xy, symbol) for fid, xy in zip(members, places, strict=True))
    return out


def _clashes(symbols: list[_Symbol]) -> set[tuple[int, int]]:
    """Pairs of groups (lower index first) whose symbols touch (centres closer than the
    mean of their diameters)."""
    size = max((d for *_, d in symbols), default=0.0)
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (_, _, xy, _) in enumerate(symbols):
        grid.setdefault(_cell(xy, size), []).append(i)
    out: set[tuple[int, int]] = set()
    for g, _, xy, d in symbols:
        for c in _near_cells(_cell(xy, size)):
            for j in grid.get(c, ()):
                h, _, other, e = symbols[j]
                if g < h and math.dist(xy, other) < (d + e) / 2:
                    out.add((g, h))
    return out


def _merged(
    groups: list[_Group],
    clashes: set[tuple[int, int]],
    *,
    max_ring: int | None,
) -> list[_Group]:
    """``groups`` with every clashing pair joined (transitively), each joined group at
    the place of its earliest member group, members in group order. A join holding a
    disc is a disc at its largest disc's centre; one of more than ``max_ring`` points
    from several spots becomes a disc at its mean spot."""
    out = []
    for parts in _components(len(groups), clashes):
        members = [fid for g in parts for fid in groups[g].members]
        discs = [groups[g] for g in parts if groups[g].disc]
        if discs:
            largest = max(discs, key=lambda d: len(d.members))
            out.append(_Group(members, disc=True, centre=largest.centre))
        elif len(parts) == 1:
            out.append(groups[parts[0]])
        else:  # several spots joined: more than max_ring of them are a crowd
            crowd = max_ring is not None and len(members) > max_ring
            out.append(_Group(members, disc=crowd))
    return out


# --- labels ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box (x0, y0) - (x1, y1), y up, in one unit (points or pixels)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True if the boxes, each grown by ``margin``, share any area."""
        return not (
            self.x1 + margin <= other.x0
            or other.x1 + margin <= self.x0
            or self.y1 + margin <= other.y0
            or other.y1 + margin <= self.y0
        )

    def inside(self, other: Box) -> bool:
        """True if this box lies within ``other``."""
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )


def candidate_box(
    anchor: tuple[float, float],
    size: tuple[float, float],
    direction: tuple[float, float],
    gap: float,
) -> Box:
    """Box of a label of ``size`` (w, h) beside ``anchor`` in ``direction`` at ``gap``."""
    w, h = size
    dx, dy = direction
    cx = anchor[0] + dx * (gap + w / 2)
    cy = anchor[1] + dy * (gap + h / 2)
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def place_labels(
    anchors: Sequence[tuple[float, float] | Sequence[tuple[float, float]]],
    sizes: Sequence[tuple[float, float]],
    *,
    obstacles: Sequence[Box] = (),
    frame: Box | None = None,
    preferred: Sequence[tuple[float, float] | None] | None = None,
    clearances: Sequence[float] | None = None,
    gaps: Sequence[float] = (2.0, 6.0, 11.0, 18.0),
    margin: float = 0.5,
) -> list[Box]:
    """Place one label per anchor so that no two labels and no label and obstacle overlap.

    Greedy, in the given order (put the most important first): for each label
    the first of :data:`LABEL_POSITIONS` at the first of ``gaps`` that is free
    and inside ``frame``; when none is free, the candidate with the least
    overlap, so every label is placed (and a test can tell).

    Parameters
    ----------
    anchors : sequence of (x, y), or of sequences of (x, y)
        Where each label belongs (a symbol's centre), y up; a label may list
        several anchors (points along a line), tried in turn at each gap.
    sizes : sequence of (width, height)
        Each label's size, same unit.
    obstacles : sequence of Box
        Other text and symbols the labels must not cover.
    frame : Box, optional
        Labels stay inside it when they can.
    preferred : sequence of (dx, dy) or None, optional
        Per anchor, a direction to try first (e.g. outward from the centre of a
        ring of displaced symbols); the candidates are tried by closeness to it.
    clearances : sequence of float, optional
        Per anchor, added to every gap (the radius of the symbol the label names).
    gaps : sequence of float
        Distances from the anchor to try, nearest first.
    margin : float
        Clearance kept between boxes.

    Returns
    -------
    list of Box
        The label boxes, in the order of ``anchors``.
    """
    placed: list[Box] = []
    blocked = list(obstacles)
    wishes = list(preferred) if preferred is not None else [None] * len(anchors)
    clear = list(clearances) if clearances is not None else [0.0] * len(anchors)
    for given, size, wish, extra in zip(anchors, sizes, wishes, clear, strict=True):
        options = _anchor_options(given)
        best: tuple[float, Box] | None = None
        for gap in (g + extra for g in gaps):
            for anchor in options:
                for direction in _directions(wish):
                    box = candidate_box(anchor, size, direction, gap)
                    if frame is not None and not box.inside(frame):
                        continue
                    clash = sum(_overlap_area(box, other, margin) for other in blocked)
                    if best is None or clash < best[0]:
                        best = (clash, box)
                    if clash == 0:
                        break
                if best is not None and best[0] == 0:
                    break
            if best is not None and best[0] == 0:
                break
        if best is None:  # nothing inside the frame: the first candidate
            best = (0.0, candidate_box(options[0], size, LABEL_POSITIONS[0], gaps[0] + extra))
        placed.append(best[1])
        blocked.append(best[1])
    return placed


def _anchor_options(
    given: tuple[float, float] | Sequence[tuple[float, float]],
) -> list[tuple[float, float]]:
    """One anchor ``(x, y)`` or several, as a list of anchors."""
    if len(given) == 2 and all(isinstance(v, (int, float)) for v in given):
        x, y = given
        return [(float(x), float(y))]  # type: ignore[arg-type]
    return [(float(a[0]), float(a[1])) for a in given]  # type: ignore[index]


def _directions(wish: tuple[float, float] | None) -> tuple[tuple[float, float], ...]:
    """:data:`LABEL_POSITIONS`, closest to ``wish`` first (as given without one)."""
    if wish is None:
        return LABEL_POSITIONS

    def closeness(d: tuple[float, float]) -> float:
        return -(d[0] * wish[0] + d[1] * wish[1]) / math.hypot(*d)

    return tuple(sorted(LABEL_POSITIONS, key=closeness))


def _overlap_area(a: Box, b: Box, margin: float) -> float:
    w = min(a.x1 + margin, b.x1) - max(a.x0 - margin, b.x0)
    h = min(a.y1 + margin, b.y1) - max(a.y0 - margin, b.y0)
    return w * h if w > 0 and h > 0 else 0.0
