"""Tests of circlemap.webmap.clicks: a click is a pure function of st_folium's return value."""

from __future__ import annotations

import pytest

from circlemap import webmap
from circlemap.webmap.clicks import Click
from tests.webmap.support import (
    features_of,
)


def _returned(props):
    return {
        "last_active_drawing": {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [117.0, 36.6]},
        }
    }


def test_parse_click_on_a_feature():
    props = {"layer": "feature", "id": "rail-test-line", "kind": "rail", "name_zh": "测试"}
    assert webmap.parse_click(_returned(props)) == Click("feature", "rail-test-line")


def test_parse_click_on_a_city():
    props = {"layer": "city", "id": "city-370300", "name_zh": "淄博", "kind": "city"}
    assert webmap.parse_click(_returned(props)) == Click("city", "淄博")


def test_parse_click_on_a_county_means_its_city():
    props = {"layer": "county", "id": "county-370306", "name_zh": "周村区", "city": "淄博"}
    assert webmap.parse_click(_returned(props)) == Click("city", "淄博")


def test_parse_click_falls_back_on_kind():
    assert webmap.parse_click(_returned({"id": "x-1", "kind": "rail"})) == Click("feature", "x-1")
    assert webmap.parse_click(_returned({"name_zh": "济南", "kind": "city"})) == Click(
        "city", "济南"
    )


@pytest.mark.parametrize(
    "returned",
    [
        None,
        {},
        {"last_active_drawing": None},
        {"last_active_drawing": "nonsense"},
        {"last_active_drawing": {"type": "Feature", "geometry": None}},
        {"last_active_drawing": {"type": "Feature", "properties": None}},
        _returned({"layer": "river", "id": "river-yellow", "kind": "river"}),
        _returned({"layer": "feature", "id": ""}),
        _returned({"layer": "feature", "id": 7}),
        _returned({"layer": "city", "name_zh": "上海"}),
        _returned({"layer": "highlight"}),
    ],
)
def test_parse_click_ignores_what_is_not_a_feature_or_city(returned):
    assert webmap.parse_click(returned) is None


def test_returned_objects_ask_only_for_clicks_and_our_report():
    assert webmap.RETURNED_OBJECTS == [
        "last_active_drawing",
        "last_object_clicked_count",
        "selected_layers",
    ]


def test_clicks_round_trip_through_the_drawn_properties(catalog):
    m = webmap.build_base_map(catalog, lang="zh", basemap="none")
    city = next(f for f in features_of(m) if f["properties"]["layer"] == "city")
    assert webmap.parse_click({"last_active_drawing": city}) == Click("city", "济南")
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    for feature in features_of(layer):
        if "tip" in feature["properties"]:
            click = webmap.parse_click({"last_active_drawing": feature})
            assert click == Click("feature", feature["properties"]["id"])
