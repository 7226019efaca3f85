"""Tests of circlemap.webmap.packing: what travels to the browser."""

from __future__ import annotations

import json

from shapely.geometry import shape

from circlemap import webmap
from circlemap.webmap import packing
from tests.webmap.support import (
    features_of,
    html_of,
    sent_by_st_folium,
)


def test_layers_send_packed_coordinates_that_unpack_to_the_stored_ones(catalog):
    m = webmap.build_base_map(catalog, lang="zh", basemap="none")
    script = sent_by_st_folium(m)["script"]
    assert "L.circlemap.unpack(" in script
    assert "116.8" not in script  # no coordinate travels as a JSON number
    cities = [f for f in features_of(m) if f["properties"]["layer"] == "city"]
    jinan = next(f for f in cities if f["properties"]["name_zh"] == "济南")
    assert shape(jinan["geometry"]).equals_exact(catalog.cities.geometry.iloc[0], 0)


def test_points_stay_numbers(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    park = next(f for f in features_of(layer) if f["properties"]["id"] == "park-approx")
    assert park["geometry"] == {"type": "Point", "coordinates": [117.8, 36.8]}


def test_template_syntax_in_names_is_shown_as_text(catalog):
    features = catalog.features.copy()
    features.loc["road-exact", "name_en"] = "{{ boom }} {% if %}"
    layer = webmap.build_feature_layer(catalog, features, lang="en", basemap="none")
    m = webmap.build_base_map(catalog, lang="en", basemap="none")
    layer.add_to(m)
    html = html_of(m)  # branca renders; a template pass over the data would fail here
    assert "{\\u007b boom }}" in html
    assert "{{" not in packing.html_safe_json({"name": "{{x}}"})


def test_styles_travel_once_as_a_table_and_unpack_to_each_feature_s_own():
    from shapely.geometry import LineString, Point

    red = {"color": "#c00", "weight": 3}
    blue = {"color": "#00c", "weight": 3}
    glow = {"weight": 5}
    shapes = [
        (red, LineString([(117, 36), (118, 37)])),
        (blue, Point(117.5, 36.5)),
        (red, Point(117, 36)),
    ]
    features = [
        {"type": "Feature", "properties": {"id": f"f{i}", "style": s, "hover": glow}, "geometry": g}
        for i, (s, g) in enumerate(shapes)
    ]
    layer = packing.pack_layer({"type": "FeatureCollection", "features": features}, name="t")
    sent = json.loads(layer.packed)
    assert sent["styles"] == [red, glow, blue]  # three distinct of six uses
    assert [f["properties"]["style"] for f in sent["features"]] == [0, 2, 0]
    assert {f["properties"]["hover"] for f in sent["features"]} == {1}
    back = packing.unpack_collection(layer.packed)
    assert "styles" not in back
    for was, now in zip(features, back["features"], strict=True):
        assert now["properties"] == was["properties"]
        assert shape(now["geometry"]).equals(was["geometry"])


def test_a_collection_without_styles_sends_no_table():
    from shapely.geometry import Point

    feature = {"type": "Feature", "properties": {"id": "a"}, "geometry": Point(117, 36)}
    layer = packing.pack_layer({"type": "FeatureCollection", "features": [feature]}, name="t")
    assert "styles" not in json.loads(layer.packed)
    assert packing.unpack_collection(layer.packed)["features"][0]["properties"] == {"id": "a"}
