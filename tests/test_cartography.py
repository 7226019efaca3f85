"""Tests of circlemap.cartography: lanes of shared alignments, rings, label placement."""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from circlemap import cartography, settings
from circlemap.cartography import Box
from circlemap.catalog import load_catalog


def _metric_lines(coords: dict[str, list[tuple[float, float]]]) -> gpd.GeoSeries:
    """Lines given in UTM 50N metres, as a GeoSeries in EPSG:4326 (as stored)."""
    series = gpd.GeoSeries(
        [LineString(c) for c in coords.values()], index=list(coords), crs=settings.METRIC_CRS
    )
    return series.to_crs(settings.STORAGE_CRS)


X0, Y0 = 600_000.0, 4_080_000.0


def test_two_lines_along_each_other_get_opposite_lanes() -> None:
    lines = _metric_lines(
        {
            "road": [(X0, Y0), (X0 + 20_000, Y0)],
            "corridor": [(X0 + 5_000, Y0 + 50), (X0 + 30_000, Y0 + 50)],
            "far": [(X0, Y0 + 20_000), (X0 + 20_000, Y0 + 20_000)],
        }
    )
    lanes = cartography.shared_alignments(lines)
    assert lanes == {"road": -0.5, "corridor": 0.5}


@pytest.mark.parametrize("reverse", [False, True])
def test_lanes_put_lines_side_by_side_whatever_their_direction(reverse: bool) -> None:
    second = [(X0, Y0), (X0 + 20_000, Y0 + 10)]
    lines = _metric_lines(
        {"a": [(X0, Y0), (X0 + 20_000, Y0)], "b": second[::-1] if reverse else second}
    )
    lanes = cartography.shared_alignments(lines)
    metric = lines.to_crs(settings.METRIC_CRS)
    spacing = 500.0
    drawn = {
        fid: cartography.offset_line(metric[fid], lane * spacing) for fid, lane in lanes.items()
    }
    probe = Point(X0 + 10_000, Y0)
    ya = drawn["a"].interpolate(drawn["a"].project(probe)).y
    yb = drawn["b"].interpolate(drawn["b"].project(probe)).y
    assert abs(ya - yb) == pytest.approx(spacing, abs=15)


def test_lines_that_only_cross_share_nothing() -> None:
    lines = _metric_lines(
        {
            "ew": [(X0, Y0), (X0 + 20_000, Y0)],
            "ns": [(X0 + 10_000, Y0 - 10_000), (X0 + 10_000, Y0 + 10_000)],
        }
    )
    assert cartography.shared_alignments(lines) == {}


def test_jingshi_road_and_the_corridor_extension_share_an_alignment() -> None:
    features = load_catalog().features
    lines = features[features.geom_type.isin(["LineString", "MultiLineString"])].geometry
    lanes = cartography.shared_alignments(lines)
    road, corridor = "road-jingshi-east-extension", "science-qilu-corridor-east-extension"
    assert road in lanes
    assert corridor in lanes
    # Drawn apart: the two lines never sit in the same lane (one of them may keep
    # lane 0, the true line, when the group has an odd number of lines).
    assert lanes[road] != lanes[corridor]
    assert "bridge-huimin-gaoqing" not in lanes


def test_colocated_groups_and_rings() -> None:
    points = gpd.GeoSeries(
        [Point(117.0, 36.6), Point(117.0, 36.6), Point(117.0001, 36.6), Point(118.0, 36.8)],
        index=["a", "b", "c", "d"],
        crs=settings.STORAGE_CRS,
    )
    assert cartography.colocated_groups(points) == [["a", "b", "c"]]
    size, gap = 8.0, 3.0
    for count in (2, 3, 6, 12):
        radius = cartography.ring_radius(count, size, gap)
        spots = cartography.spread_on_ring((10.0, 20.0), count, radius)
        assert len(spots) == count
        for x, y in spots:
            assert math.hypot(x - 10.0, y - 20.0) == pytest.approx(radius)
        for p, q in itertools.combinations(spots, 2):
            assert math.dist(p, q) >= size  # symbols do not cover each other
        assert spots[0] == pytest.approx((10.0, 20.0 + radius))  # first on top


def test_labels_do_not_overlap_each_other_or_obstacles() -> None:
    # twelve symbols crowded on a small ring, with a city name right over them
    radius = cartography.ring_radius(12, 8.0, 3.0)
    anchors = cartography.spread_on_ring((100.0, 100.0), 12, radius)
    sizes = [(8.0 if i < 9 else 12.0, 9.0) for i in range(12)]
    city = Box(80.0, 100.0 + radius + 8, 140.0, 100.0 + radius + 23)
    symbols = [Box(x - 4, y - 4, x + 4, y + 4) for x, y in anchors]
    frame = Box(0.0, 0.0, 400.0, 300.0)
    outward = [(x - 100.0, y - 100.0) for x, y in anchors]
    boxes = cartography.place_labels(
        anchors, sizes, obstacles=[city, *symbols], frame=frame, preferred=outward
    )
    assert len(boxes) == 12
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for box in boxes:
        assert box.inside(frame)
        assert not box.overlaps(city)
        assert not any(box.overlaps(s) for s in symbols)
    for (x, y), box in zip(anchors, boxes, strict=True):
        # each label stays near its own symbol
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        assert math.hypot(cx - x, cy - y) < 30


def test_a_label_with_no_free_place_still_gets_the_least_crowded_one() -> None:
    wall = Box(-100.0, -100.0, 100.0, 100.0)
    [box] = cartography.place_labels([(0.0, 0.0)], [(5.0, 5.0)], obstacles=[wall])
    assert box.overlaps(wall)


def test_spread_points_keeps_every_symbol_clear_of_the_others() -> None:
    spots = {
        **{f"a{i}": (0.0, 0.0) for i in range(6)},  # six on one spot
        "near": (14.0, 3.0),  # a neighbour the ring would touch
        "far": (200.0, 0.0),  # alone, untouched
    }
    drawn = cartography.spread_points(spots, symbol=9.0, gap=2.5, same_spot=0.5)
    assert set(drawn) == set(spots)
    assert drawn["far"] == (200.0, 0.0)
    for a, b in itertools.combinations(drawn, 2):
        assert math.dist(drawn[a], drawn[b]) >= 9.0, (a, b)
    assert drawn["near"] != spots["near"]  # joined the ring


def test_spread_points_clears_hundreds_of_crowded_symbols() -> None:
    """A crowded print map (many sites a few symbols apart, some on one spot): every
    symbol clear of every other, lone far points untouched, nothing lost."""
    spots = {f"p{i}": (float(i % 20) * 4.0, float(i // 20) * 4.0) for i in range(300)}
    spots |= {f"s{i}": (40.0, 40.0) for i in range(12)}  # a shared spot in the crowd
    spots["far"] = (5_000.0, 0.0)
    drawn = cartography.spread_points(spots, symbol=9.0, gap=2.5, same_spot=0.5)
    assert set(drawn) == set(spots)
    assert drawn["far"] == (5_000.0, 0.0)
    xy = sorted(drawn.values())
    for i, a in enumerate(xy):  # sorted by x: only neighbours within 9 in x can clash
        for b in xy[i + 1 :]:
            if b[0] - a[0] >= 9.0:
                break
            assert math.dist(a, b) >= 9.0 - 1e-9, (a, b)


def test_lanes_of_a_subset_from_the_links_of_every_line_are_the_subsets_own() -> None:
    """cached_alignments with a universe: the pairwise overlay is done once for all
    lines, and each shown subset gets exactly what shared_alignments of it gives."""
    cat = load_catalog()
    features = cat.features
    every = features[features.geom_type.isin(["LineString", "MultiLineString"])].geometry
    river = cat.river.set_index("id").geometry
    chain = _metric_lines(  # three lines that overlap one after the other
        {
            "c1": [(X0, Y0), (X0 + 20_000, Y0)],
            "c2": [(X0 + 10_000, Y0 + 40), (X0 + 30_000, Y0 + 40)],
            "c3": [(X0 + 22_000, Y0 + 80), (X0 + 40_000, Y0 + 80)],
        }
    )
    universe = gpd.GeoSeries(
        [*every.geometry, *chain.geometry], index=[*every.index, *chain.index], crs=every.crs
    )
    ids = list(universe.index)
    subsets = [
        ids,
        ids[::-1],
        [i for i in ids if i.startswith(("road", "science", "c"))],
        ["c1", "c3"],  # the link between them goes through c2: not shown, no lanes
        ["c2", "c1"],
    ]
    for subset in subsets:
        lines = universe[subset]
        for fixed in (None, river):
            want = cartography.shared_alignments(lines, fixed=fixed)
            got = cartography.cached_alignments(lines, fixed=fixed, universe=universe)
            assert got == want, subset
    assert cartography.cached_alignments(universe[["c1", "c3"]], universe=universe) == {}
    with pytest.raises(ValueError, match="not in the universe"):
        cartography.cached_alignments(chain, universe=every)


def test_crowds_beyond_a_ring_become_discs_clear_of_every_symbol() -> None:
    """spread_or_cluster as the web map's spread: a crowd of more than max_ring points
    from several spots is one disc that counts them; small groups stay rings; a lone
    far point stays put; every id is drawn or counted exactly once; nothing touches."""
    crowd = {f"c{i}": (float(i % 10) * 3.0, float(i // 10) * 3.0) for i in range(60)}
    pair = {"p0": (300.0, 0.0), "p1": (300.0, 0.0)}  # one spot: a small ring
    spots = {**crowd, **pair, "far": (5_000.0, 0.0)}
    spread = cartography.spread_or_cluster(
        spots, symbol=9.0, gap=2.5, same_spot=0.5, max_ring=24, disc=16.0, reach=40.0
    )
    counted = [fid for cluster in spread.clusters for fid in cluster.members]
    assert sorted([*spread.drawn, *counted]) == sorted(spots)
    assert len(counted) == len(set(counted))
    assert spread.clusters
    assert set(counted) <= set(crowd)
    assert spread.drawn["far"] == (5_000.0, 0.0)
    assert spread.drawn["p0"] != spread.drawn["p1"]
    symbols = [(xy, 9.0) for xy in spread.drawn.values()]
    symbols += [(c.centre, 16.0) for c in spread.clusters]
    for (a, da), (b, db) in itertools.combinations(symbols, 2):
        assert math.dist(a, b) >= (da + db) / 2 - 1e-9, (a, b)
    # Without max_ring every point is drawn, as spread_points draws it.
    plain = cartography.spread_or_cluster(spots, symbol=9.0, gap=2.5, same_spot=0.5)
    assert not plain.clusters
    assert plain.drawn == cartography.spread_points(spots, symbol=9.0, gap=2.5, same_spot=0.5)
