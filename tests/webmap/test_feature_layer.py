"""Tests of circlemap.webmap.feature_layer: what filters change."""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import Point

from circlemap import settings, styles, webmap
from tests.webmap.support import (
    BAD_NAME,
    distance_m,
    features_of,
    html_of,
    script_of_layer,
)


def test_amap_shifts_features_by_a_few_hundred_metres(catalog):
    def park(basemap):
        layer = webmap.build_feature_layer(catalog, catalog.features, lang="zh", basemap=basemap)
        return next(f for f in features_of(layer) if f["properties"]["id"] == "park-approx")

    plain, shifted = (
        park("none")["geometry"]["coordinates"],
        park("amap")["geometry"]["coordinates"],
    )
    assert plain == [117.8, 36.8]
    assert 100 < distance_m(plain, shifted) < 1000


def test_feature_layer_carries_ids_and_the_properties_a_click_needs(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    assert isinstance(layer, folium.FeatureGroup)
    interactive = [f for f in features_of(layer) if "tip" in f["properties"]]
    assert {f["properties"]["id"] for f in interactive} == set(catalog.features.index)
    for feature in interactive:
        props = feature["properties"]
        assert props["layer"] == "feature"
        for key in ("name_zh", "name_en", "kind", "status", "geometry_accuracy"):
            assert props[key] == catalog.features.loc[props["id"], key]


def test_feature_script_has_the_layers_ids_and_dash_arrays(catalog):
    js = script_of_layer(catalog, catalog.features, lang="zh", basemap="none")
    assert '"rail-test-line"' in js
    assert '"park-approx"' in js
    assert '"dashArray":"10 8"' in js  # schematic: dashed
    assert '"dashArray":"2 6"' in js  # approximate: dotted
    assert styles.kind_colour("rail") in js
    assert "map_div.addLayer(feature_group_feature_group_0)" in js


def test_accuracy_decides_the_dash_and_the_tooltip_says_why(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    tips = {
        f["properties"]["id"]: f["properties"]
        for f in features_of(layer)
        if "tip" in f["properties"]
    }
    assert tips["rail-test-line"]["style"].get("dashArray") is None  # the invisible hit line
    visible = {
        f["properties"]["id"]: f["properties"]["style"]
        for f in features_of(layer)
        if f["properties"].get("layer") == "feature" and "tip" not in f["properties"]
    }
    assert visible["rail-test-line"]["dashArray"] == styles.accuracy_dash("schematic")
    assert visible["road-exact"].get("dashArray") is None
    assert visible["road-exact"]["weight"] == styles.LINE_WEIGHT
    assert tips["park-approx"]["style"]["dashArray"] == styles.accuracy_dash("approximate")
    assert "Schematic alignment: route not public" in tips["rail-test-line"]["tip"]
    assert "Approximate location" in tips["park-approx"]["tip"]
    assert "Schematic" not in tips["road-exact"]["tip"]
    assert "Status: To plan" in tips["road-exact"]["tip"]


def test_tooltips_in_chinese(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    tip = next(
        f["properties"]["tip"]
        for f in features_of(layer)
        if f["properties"].get("id") == "rail-test-line" and "tip" in f["properties"]
    )
    assert "测试轨道" in tip
    assert "轨道交通" in tip
    assert "示意走向：线路走向未公开" in tip


def test_names_are_escaped_everywhere(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    tip = next(
        f["properties"]["tip"]
        for f in features_of(layer)
        if f["properties"].get("id") == "park-approx" and "tip" in f["properties"]
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tip
    assert BAD_NAME not in tip
    js = script_of_layer(catalog, catalog.features, lang="en", basemap="none")
    assert "<script>" not in js
    m = webmap.build_base_map(catalog, lang="en", basemap="none")
    layer.add_to(m)
    assert BAD_NAME not in html_of(m)


def test_selected_feature_is_highlighted_and_drawn_last(catalog):
    layer = webmap.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="road-exact"
    )
    feats = features_of(layer)
    halo = [f for f in feats if f["properties"]["layer"] == "highlight"]
    assert len(halo) == 1
    assert halo[0]["properties"]["style"]["color"] == styles.HIGHLIGHT
    transport = [
        f["properties"]["id"]
        for f in feats
        if f["properties"].get("id") in ("rail-test-line", "road-exact")
        and "tip" not in f["properties"]
    ]
    assert transport[-1] == "road-exact"
    selected = [f for f in feats if f["properties"].get("selected")]
    assert {f["properties"]["id"] for f in selected} == {"road-exact"}


def test_unknown_selected_id_draws_no_halo(catalog):
    layer = webmap.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="gone"
    )
    assert not [f for f in features_of(layer) if f["properties"]["layer"] == "highlight"]


def test_highlight_cities_are_outlined(catalog):
    layer = webmap.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", highlight_cities=("淄博", "潍坊")
    )
    outlined = [f for f in features_of(layer) if f["properties"]["layer"] == "city-highlight"]
    assert {f["properties"]["name_zh"] for f in outlined} == {"淄博", "潍坊"}
    assert all(f["properties"]["style"]["color"] == styles.HIGHLIGHT for f in outlined)


def test_empty_selection_gives_an_empty_layer(catalog):
    layer = webmap.build_feature_layer(
        catalog, catalog.features.iloc[0:0], lang="zh", basemap="none"
    )
    assert features_of(layer) == []


def test_feature_script_is_the_same_for_the_same_inputs(catalog):
    kwargs = {"lang": "zh", "basemap": "none", "selected_id": "park-approx"}
    assert script_of_layer(catalog, catalog.features, **kwargs) == script_of_layer(
        catalog, catalog.features, **kwargs
    )


def test_points_are_circles_not_icon_markers(catalog):
    js = script_of_layer(catalog, catalog.features, lang="zh", basemap="none")
    assert "L.CircleMarker" in js
    assert "AwesomeMarkers" not in js


def test_visible_copies_of_lines_carry_only_what_drawing_needs(catalog):
    layer = webmap.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    drawn = [
        f["properties"]
        for f in features_of(layer)
        if f["properties"].get("layer") == "feature"
        and "tip" not in f["properties"]
        and f["properties"]["id"] in ("rail-test-line", "road-exact")
    ]
    assert drawn
    assert all(set(p) <= {"layer", "id", "kind", "group", "selected", "style"} for p in drawn)


def test_points_on_the_same_spot_are_numbered_for_the_fan_out(catalog):
    features = catalog.features.copy()
    features.loc["road-exact", "geometry"] = Point(117.8, 36.8)  # not a point layer
    extra = features.loc[["park-approx"]].rename(index={"park-approx": "park-twin"})
    features = gpd.GeoDataFrame(
        [*features.reset_index().to_dict("records"), *extra.reset_index().to_dict("records")],
        crs=settings.STORAGE_CRS,
    ).set_index("id")
    layer = webmap.build_feature_layer(
        catalog, features, lang="zh", basemap="none", selected_id="park-twin"
    )
    fans = {
        f["properties"].get("id", f["properties"]["layer"]): f["properties"].get("fan")
        for f in features_of(layer)
        if f["geometry"]["type"] == "Point"
    }
    assert sorted(fans[k] for k in ("park-approx", "park-twin", "road-exact")) == [
        [0, 3],
        [1, 3],
        [2, 3],
    ]
    assert fans["highlight"] == fans["park-twin"]  # the halo follows its point
