from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    shape,
)

from circlemap import polyline

# The worked example of Google's polyline algorithm documentation (lat, lng order there).
GOOGLE_POINTS = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)]
GOOGLE_TEXT = "_p~iF~ps|U_ulLnnqC_mqNvxq`@"


def test_encodes_googles_worked_example():
    assert polyline.encode(GOOGLE_POINTS, 5) == GOOGLE_TEXT
    assert polyline.decode(GOOGLE_TEXT, 5).tolist() == [list(p) for p in GOOGLE_POINTS]


def test_round_trip_is_exact_at_the_stored_precision():
    rng = np.random.default_rng(7)
    coords = np.round(
        np.column_stack([rng.uniform(-180, 180, 2000), rng.uniform(-90, 90, 2000)]), 5
    )
    assert np.array_equal(polyline.decode(polyline.encode(coords, 5), 5), coords)


def test_empty_input_gives_an_empty_string_and_back():
    assert polyline.encode([], 5) == ""
    assert polyline.decode("", 5).shape == (0, 2)


def test_runs_are_encoded_independently_in_one_pass():
    coords = np.array([(117.0, 36.6), (117.1, 36.7), (118.0, 37.0), (118.2, 37.1), (118.3, 37.4)])
    runs = polyline.encode_many(coords, [2, 0, 3], 5)
    assert runs == [polyline.encode(coords[:2], 5), "", polyline.encode(coords[2:], 5)]
    with pytest.raises(ValueError, match="add up"):
        polyline.encode_many(coords, [2, 2], 5)


def test_text_is_printable_ascii():
    text = polyline.encode([(117.12345, 36.54321), (-117.0, -36.0), (0.0, 0.0)], 5)
    assert all(63 <= ord(c) <= 126 for c in text)


POLYGON = Polygon(
    [(117.0, 36.0), (118.0, 36.0), (118.0, 37.0), (117.0, 36.0)],
    holes=[[(117.6, 36.2), (117.8, 36.2), (117.8, 36.4), (117.6, 36.2)]],
)


@pytest.mark.parametrize(
    "geom",
    [
        Point(117.12345, 36.54321),
        MultiPoint([(117.0, 36.0), (118.0, 37.0)]),
        LineString([(117.0, 36.0), (117.5, 36.25), (118.0, 37.0)]),
        MultiLineString([[(117.0, 36.0), (118.0, 37.0)], [(116.0, 35.0), (116.5, 35.5)]]),
        POLYGON,
        MultiPolygon([POLYGON, Polygon([(119, 37), (119.5, 37), (119.5, 37.5), (119, 37)])]),
    ],
)
def test_every_geometry_type_packs_and_unpacks_exactly(geom):
    packed = polyline.pack_geometry(geom, 5)
    assert packed["type"] == geom.geom_type
    assert shape(polyline.unpack_geometry(packed, 5)).equals_exact(geom, 0)


def test_lines_become_strings_and_points_stay_numbers():
    line = polyline.pack_geometry(LineString([(117.0, 36.0), (118.0, 37.0)]), 5)
    assert isinstance(line["coordinates"], str)
    polygon = polyline.pack_geometry(POLYGON, 5)
    assert [type(r) for r in polygon["coordinates"]] == [str, str]  # exterior, hole
    assert polyline.pack_geometry(Point(117.123456, 36.0), 5)["coordinates"] == [117.12346, 36.0]


def test_many_geometries_pack_as_each_alone():
    geoms = [POLYGON, Point(117.0, 36.0), LineString([(117.0, 36.0), (118.0, 37.0)])]
    assert polyline.pack_geometries(geoms, 5) == [polyline.pack_geometry(g, 5) for g in geoms]
    assert polyline.pack_geometries([], 5) == []


def test_a_geometry_collection_is_refused():
    with pytest.raises(ValueError, match="GeometryCollection"):
        polyline.pack_geometry(GeometryCollection([Point(0, 0)]), 5)
