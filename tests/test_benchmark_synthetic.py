"""The synthetic content of the benchmark's scale curve (``benchmarks/synthetic.py``)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from shapely.geometry import LineString, Point, box, shape

from benchmarks import synthetic
from circlemap import settings, validate, vocab
from circlemap.catalog import load_catalog


def _content(root):
    return [
        f
        for name in synthetic.CONTENT_FILES
        for f in json.loads((root / "geodata" / name).read_text(encoding="utf-8"))["features"]
    ]


@pytest.fixture(scope="module")
def triple(tmp_path_factory):
    """A data root with every content feature three times."""
    return synthetic.write_data_root(tmp_path_factory.mktemp("x3"), 3)


def test_the_synthetic_data_passes_the_projects_validator(triple):
    failures = validate.validate_files(validate.expand_paths([triple]))
    assert failures == []
    cat = load_catalog(geodata_dir=triple / "geodata", data_dir=triple / "data")
    assert cat.features.index.is_unique


def test_the_feature_count_scales_and_the_originals_stay(triple):
    originals = _content(settings.DATA_ROOT)
    copies = _content(triple)
    assert len(copies) == 3 * len(originals)
    ids = [f["properties"]["id"] for f in copies]
    assert {f["properties"]["id"] for f in originals} <= set(ids)
    assert len(set(ids)) == len(ids)
    assert f"{originals[0]['properties']['id']}-x2" in ids


def test_copies_are_spread_over_all_seven_cities_and_lie_in_their_city(triple):
    cities = synthetic.city_shapes(triple / "geodata")
    copies = [f for f in _content(triple) if "-x" in f["properties"]["id"]]
    # a copy's first city is the one it was moved into; it may cross others
    counts = Counter(f["properties"]["cities"][0] for f in copies)
    assert set(counts) == set(vocab.CIRCLE_CITIES)
    assert max(counts.values()) - min(counts.values()) <= 1  # taken in turn
    for f in copies:
        city = f["properties"]["cities"][0]
        assert shape(f["geometry"]).intersects(cities[city]), f["properties"]["id"]


def test_a_copy_keeps_its_shape_quote_and_links_to_the_parents_copy():
    feature = {
        "type": "Feature",
        "properties": {
            "id": "a-b",
            "name_zh": "甲",
            "name_en": "A",
            "quote": "原文",
            "part_of": "p",
        },
        "geometry": {"type": "LineString", "coordinates": [[117.0, 36.0], [117.5, 36.25]]},
    }
    copy = synthetic.copy_feature(feature, 4, "淄博", Point(118.0, 36.8), {"p"})
    props = copy["properties"]
    assert props["id"] == "a-b-x4"
    assert props["part_of"] == "p-x4"
    assert props["quote"] == "原文"
    assert props["cities"] == ["淄博"]
    assert props["name_en"] == "A · copy 4"
    moved = shape(copy["geometry"])
    assert moved.length == pytest.approx(LineString([(117.0, 36.0), (117.5, 36.25)]).length)
    assert moved.centroid.distance(Point(118.0, 36.8)) < 1e-4
    assert all(round(c, 5) == c for xy in copy["geometry"]["coordinates"] for c in xy)


def test_a_move_that_would_leave_the_region_is_clamped_to_it():
    geometry = {"type": "Polygon", "coordinates": [list(box(117, 36, 119, 38).exterior.coords)]}
    moved = shape(synthetic.moved_geometry(geometry, Point(123.4, 38.4)))
    *_, max_lon, max_lat = settings.REGION_BOUNDS
    # as far towards the target as the region allows, and no further
    assert moved.bounds[2:] == pytest.approx((max_lon, max_lat))
    assert moved.area == pytest.approx(4.0)


def test_scale_below_one_is_an_error():
    with pytest.raises(ValueError, match="at least 1"):
        synthetic.multiply({}, {}, 0)
