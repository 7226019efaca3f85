from __future__ import annotations

import json
import math
import pickle
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import folium
import geopandas as gpd
import pytest
import streamlit_folium
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box, shape

from circlemap import assets, basemaps, mapping, settings, styles
from circlemap.mapping import Click

BAD_NAME = "<script>alert(1)</script>"


def _frame(rows, **kwargs):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=settings.STORAGE_CRS, **kwargs)


def _city(adcode, zh, en, geom):
    return {
        "id": f"city-{adcode}",
        "adcode": adcode,
        "name_zh": zh,
        "name_en": en,
        "kind": "city",
        "cities": [zh],
        "geometry_accuracy": "exact",
        "source": "test",
        "geometry": geom,
    }


def _feature(fid, kind, group, accuracy, geom, *, name_zh=None, name_en=None, status="planning"):
    return {
        "id": fid,
        "name_zh": name_zh or f"要素{fid}",
        "name_en": name_en or f"Feature {fid}",
        "kind": kind,
        "group": group,
        "status": status,
        "cities": ("济南",),
        "geometry_accuracy": accuracy,
        "accuracy_note_zh": "说明",
        "accuracy_note_en": "note",
        "measure_ids": (),
        "geometry": geom,
    }


@pytest.fixture
def catalog():
    """A Catalog-like namespace: two circle cities, one county each, one context city."""
    jinan = box(116.8, 36.4, 117.6, 37.0)
    zibo = box(117.6, 36.3, 118.3, 37.0)
    cities = _frame(
        [_city("370100", "济南", "Jinan", jinan), _city("370300", "淄博", "Zibo", zibo)]
    )
    counties = _frame(
        [
            {
                **_city("370102", "历下区", "Lixia District", box(116.9, 36.5, 117.2, 36.8)),
                "id": "county-370102",
                "kind": "county",
                "city": "济南",
            },
            {
                **_city("370306", "周村区", "Zhoucun District", box(117.7, 36.7, 117.9, 36.9)),
                "id": "county-370306",
                "kind": "county",
                "city": "淄博",
            },
        ]
    )
    context = _frame([_city("370700", "潍坊", "Weifang", box(118.3, 36.0, 119.5, 37.3))])
    river = _frame(
        [
            {
                "id": "river-yellow",
                "name_zh": "黄河",
                "name_en": "Yellow River",
                "kind": "river",
                "cities": ["济南", "淄博"],
                "geometry_accuracy": "approximate",
                "source": "test",
                "geometry": LineString([(116.5, 36.5), (117.5, 37.0), (118.5, 37.6)]),
            }
        ]
    )
    features = _frame(
        [
            _feature(
                "rail-test-line",
                "rail",
                "transport",
                "schematic",
                LineString([(117.0, 36.65), (118.05, 36.8)]),
                name_zh="测试轨道",
                name_en="Test rail",
            ),
            _feature(
                "road-exact",
                "road",
                "transport",
                "exact",
                LineString([(117.1, 36.6), (117.3, 36.7)]),
            ),
            _feature(
                "park-approx",
                "industrial_park",
                "site",
                "approximate",
                Point(117.8, 36.8),
                name_zh=BAD_NAME,
                name_en=BAD_NAME,
            ),
            _feature(
                "pilot-zone-area",
                "pilot_zone",
                "site",
                "approximate",
                Polygon([(117.7, 36.7), (117.9, 36.7), (117.9, 36.9)]),
            ),
            _feature(
                "greenway-test",
                "greenway",
                "ecology",
                "approximate",
                LineString([(116.6, 36.55), (117.4, 36.95)]),
            ),
        ]
    ).set_index("id")
    return SimpleNamespace(
        cities=cities, counties=counties, context=context, river=river, features=features
    )


def _geojson_layers(element):
    return [el for el in mapping._walk(element) if isinstance(el, mapping._VectorLayer)]


def _features_of(element):
    return [f for layer in _geojson_layers(element) for f in layer.data["features"]]


def _html(m):
    return m.get_root().render()


def _script_of_layer(catalog, features, **kwargs):
    """The JavaScript streamlit-folium sends for ``feature_group_to_add``."""
    base = mapping.build_base_map(catalog, lang=kwargs.get("lang", "zh"), basemap="none")
    base.get_root().render()
    layer = mapping.build_feature_layer(catalog, features, **kwargs)
    return streamlit_folium._get_feature_group_string(layer, base)


# --- base map ------------------------------------------------------------------------------


def test_base_map_renders_identical_html_for_the_same_arguments(catalog):
    first = mapping.build_base_map(catalog, lang="zh", basemap="none")
    second = mapping.build_base_map(catalog, lang="zh", basemap="none")
    assert _html(first) == _html(second)
    # What streamlit-folium hashes to decide whether to re-create the iframe.
    assert streamlit_folium._get_map_string(first) == streamlit_folium._get_map_string(second)


def test_base_map_differs_by_language(catalog):
    zh = _html(mapping.build_base_map(catalog, lang="zh", basemap="none"))
    en = _html(mapping.build_base_map(catalog, lang="en", basemap="none"))
    assert zh != en


def test_offline_base_map_has_no_tiles_and_paints_the_water_colour(catalog):
    html = _html(mapping.build_base_map(catalog, lang="zh", basemap="none"))
    assert "L.tileLayer" not in html
    assert styles.WATER_BACKGROUND in html
    assert "L.circlemap.furnish" in html


def test_base_map_links_only_assets_the_app_serves(catalog):
    html = _html(mapping.build_base_map(catalog, lang="zh", basemap="none"))
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', html)
    hrefs = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert srcs
    assert hrefs
    for url in srcs + hrefs:
        assert url.startswith(settings.STATIC_URL + "/"), url
    assert f"{settings.STATIC_URL}/circlemap/circlemap.js" in srcs
    assert f"{settings.STATIC_URL}/circlemap/circlemap.css" in hrefs
    for banned in ("jquery", "bootstrap", "awesome-markers", "cdn.jsdelivr", "cdnjs"):
        assert banned not in html.lower()


def test_base_map_draws_every_base_layer(catalog):
    props = [
        f["properties"]
        for f in _features_of(mapping.build_base_map(catalog, lang="zh", basemap="none"))
    ]
    layers = {p["layer"] for p in props}
    assert {"context", "city", "county", "river"} <= layers
    city_names = {p["name_zh"] for p in props if p["layer"] == "city"}
    assert city_names == {"济南", "淄博"}


def test_river_has_a_tooltip_in_the_chosen_language(catalog):
    for lang, name in (("zh", "黄河"), ("en", "Yellow River")):
        river = next(
            f["properties"]
            for f in _features_of(mapping.build_base_map(catalog, lang=lang, basemap="none"))
            if f["properties"]["layer"] == "river"
        )
        assert name in river["tip"]
        assert river["style"]["color"] == styles.RIVER_COLOUR


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"), [("zh", "济南", "Jinan"), ("en", "Jinan", "济南")]
)
def test_city_labels_follow_the_language(catalog, lang, shown, hidden):
    m = mapping.build_base_map(catalog, lang=lang, basemap="none")
    labels = next(el for el in mapping._walk(m) if isinstance(el, mapping._LabelLayer)).labels
    texts = [item[2] for item in labels]
    assert shown in texts
    assert hidden not in texts
    css = {item[2]: item[3] for item in labels}
    assert css[shown] == "cm-label-city"
    assert css["潍坊" if lang == "zh" else "Weifang"] == "cm-label-context"


def test_legend_lists_kinds_present_and_explains_the_line_styles(catalog):
    zh = mapping.legend_html(catalog, lang="zh")
    assert "轨道交通" in zh
    assert "产业园区" in zh
    assert "沿黄生态绿道" in zh
    assert "桥梁" not in zh  # no bridge in the catalog
    assert "示意走向" in zh
    assert "线路走向未公开" in zh
    assert "大致位置" in zh
    assert 'stroke-dasharray="10 8"' in zh
    assert 'stroke-dasharray="2 6"' in zh
    assert styles.kind_colour("rail") in zh
    en = mapping.legend_html(catalog, lang="en")
    assert "route not public" in en
    assert "approximate location" in en
    assert "Yellow River" in en


def test_legend_is_part_of_the_base_map(catalog):
    m = mapping.build_base_map(catalog, lang="en", basemap="none")
    furniture = next(el for el in mapping._walk(m) if isinstance(el, mapping._Furniture))
    assert furniture.options["legendHtml"] == mapping.legend_html(catalog, lang="en")
    assert furniture.options["fullscreenTitle"] == "Full screen"


def test_tiled_basemaps_add_their_tiles_and_attribution(catalog):
    html = _html(mapping.build_base_map(catalog, lang="en", basemap="osm"))
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "OpenStreetMap contributors" in html


def test_tianditu_needs_a_key(catalog):
    with pytest.raises(basemaps.BasemapError):
        mapping.build_base_map(catalog, lang="zh", basemap="tianditu")
    html = _html(mapping.build_base_map(catalog, lang="zh", basemap="tianditu", tianditu_key="k1"))
    assert "vec_w" in html
    assert "cva_w" in html
    assert "tk=k1" in html


def _distance_m(a, b):
    return Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])[2]


def test_amap_shifts_base_layers_by_a_few_hundred_metres(catalog):
    def first_corner(basemap):
        m = mapping.build_base_map(catalog, lang="zh", basemap=basemap)
        city = next(f for f in _features_of(m) if f["properties"]["layer"] == "city")
        return city["geometry"]["coordinates"][0][0]

    plain, shifted = first_corner("none"), first_corner("amap")
    assert 100 < _distance_m(plain, shifted) < 1000


def test_amap_shifts_features_by_a_few_hundred_metres(catalog):
    def park(basemap):
        layer = mapping.build_feature_layer(catalog, catalog.features, lang="zh", basemap=basemap)
        return next(f for f in _features_of(layer) if f["properties"]["id"] == "park-approx")

    plain, shifted = (
        park("none")["geometry"]["coordinates"],
        park("amap")["geometry"]["coordinates"],
    )
    assert plain == [117.8, 36.8]
    assert 100 < _distance_m(plain, shifted) < 1000


def test_unknown_basemap_raises(catalog):
    with pytest.raises(basemaps.BasemapError):
        mapping.build_base_map(catalog, lang="zh", basemap="nope")


def test_base_layers_made_ahead_draw_the_same_map(catalog):
    layers = mapping.base_layers(catalog, lang="en", basemap="none")
    assert pickle.loads(pickle.dumps(layers)) == layers  # plain data: st.cache_data can keep it
    ahead = mapping.build_base_map(catalog, lang="en", basemap="none", layers=layers)
    assert _html(ahead) == _html(mapping.build_base_map(catalog, lang="en", basemap="none"))
    with pytest.raises(ValueError, match="cannot draw"):
        mapping.build_base_map(catalog, lang="zh", basemap="none", layers=layers)


def test_outline_only_polygons_stay_unfilled(catalog):
    # Leaflet fills polygons unless told not to: county borders and the city
    # outlines drawn above them must say fill: false, or they tint the land.
    layers = mapping.base_layers(catalog, lang="zh", basemap="none")
    for layer in layers.layers:
        for feature in json.loads(layer.packed)["features"]:
            style = feature["properties"].get("style", {})
            if feature["properties"].get("layer") in ("county", "city-outline"):
                assert style.get("fill") is False, (layer.name, style)


# --- feature layer -------------------------------------------------------------------------


def test_feature_layer_carries_ids_and_the_properties_a_click_needs(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    assert isinstance(layer, folium.FeatureGroup)
    interactive = [f for f in _features_of(layer) if "tip" in f["properties"]]
    assert {f["properties"]["id"] for f in interactive} == set(catalog.features.index)
    for feature in interactive:
        props = feature["properties"]
        assert props["layer"] == "feature"
        for key in ("name_zh", "name_en", "kind", "status", "geometry_accuracy"):
            assert props[key] == catalog.features.loc[props["id"], key]


def test_feature_script_has_the_layers_ids_and_dash_arrays(catalog):
    js = _script_of_layer(catalog, catalog.features, lang="zh", basemap="none")
    assert '"rail-test-line"' in js
    assert '"park-approx"' in js
    assert '"dashArray":"10 8"' in js  # schematic: dashed
    assert '"dashArray":"2 6"' in js  # approximate: dotted
    assert styles.kind_colour("rail") in js
    assert "map_div.addLayer(feature_group_feature_group_0)" in js


def test_accuracy_decides_the_dash_and_the_tooltip_says_why(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    tips = {
        f["properties"]["id"]: f["properties"]
        for f in _features_of(layer)
        if "tip" in f["properties"]
    }
    assert tips["rail-test-line"]["style"].get("dashArray") is None  # the invisible hit line
    visible = {
        f["properties"]["id"]: f["properties"]["style"]
        for f in _features_of(layer)
        if f["properties"].get("layer") == "feature" and "tip" not in f["properties"]
    }
    assert visible["rail-test-line"]["dashArray"] == styles.accuracy_dash("schematic")
    assert visible["road-exact"].get("dashArray") is None
    assert visible["road-exact"]["weight"] == styles.LINE_WEIGHT
    assert tips["park-approx"]["style"]["dashArray"] == styles.accuracy_dash("approximate")
    assert "Schematic alignment: route not public" in tips["rail-test-line"]["tip"]
    assert "Approximate location" in tips["park-approx"]["tip"]
    assert "Schematic" not in tips["road-exact"]["tip"]
    assert "Status: Being planned" in tips["road-exact"]["tip"]


def test_tooltips_in_chinese(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    tip = next(
        f["properties"]["tip"]
        for f in _features_of(layer)
        if f["properties"].get("id") == "rail-test-line" and "tip" in f["properties"]
    )
    assert "测试轨道" in tip
    assert "轨道交通" in tip
    assert "示意走向：线路走向未公开" in tip


def test_names_are_escaped_everywhere(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    tip = next(
        f["properties"]["tip"]
        for f in _features_of(layer)
        if f["properties"].get("id") == "park-approx" and "tip" in f["properties"]
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tip
    assert BAD_NAME not in tip
    js = _script_of_layer(catalog, catalog.features, lang="en", basemap="none")
    assert "<script>" not in js
    m = mapping.build_base_map(catalog, lang="en", basemap="none")
    layer.add_to(m)
    assert BAD_NAME not in _html(m)


def test_selected_feature_is_highlighted_and_drawn_last(catalog):
    layer = mapping.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="road-exact"
    )
    feats = _features_of(layer)
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
    layer = mapping.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="gone"
    )
    assert not [f for f in _features_of(layer) if f["properties"]["layer"] == "highlight"]


def test_highlight_cities_are_outlined(catalog):
    layer = mapping.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", highlight_cities=("淄博", "潍坊")
    )
    outlined = [f for f in _features_of(layer) if f["properties"]["layer"] == "city-highlight"]
    assert {f["properties"]["name_zh"] for f in outlined} == {"淄博", "潍坊"}
    assert all(f["properties"]["style"]["color"] == styles.HIGHLIGHT for f in outlined)


def test_empty_selection_gives_an_empty_layer(catalog):
    layer = mapping.build_feature_layer(
        catalog, catalog.features.iloc[0:0], lang="zh", basemap="none"
    )
    assert _features_of(layer) == []


def test_feature_script_is_the_same_for_the_same_inputs(catalog):
    kwargs = {"lang": "zh", "basemap": "none", "selected_id": "park-approx"}
    assert _script_of_layer(catalog, catalog.features, **kwargs) == _script_of_layer(
        catalog, catalog.features, **kwargs
    )


def test_points_are_circles_not_icon_markers(catalog):
    js = _script_of_layer(catalog, catalog.features, lang="zh", basemap="none")
    assert "L.CircleMarker" in js
    assert "AwesomeMarkers" not in js


# --- what travels to the browser ---------------------------------------------------------


def test_layers_send_packed_coordinates_that_unpack_to_the_stored_ones(catalog):
    m = mapping.build_base_map(catalog, lang="zh", basemap="none")
    script = streamlit_folium._get_map_string(m)
    assert "L.circlemap.unpack(" in script
    assert "116.8" not in script  # no coordinate travels as a JSON number
    cities = [f for f in _features_of(m) if f["properties"]["layer"] == "city"]
    jinan = next(f for f in cities if f["properties"]["name_zh"] == "济南")
    assert shape(jinan["geometry"]).equals_exact(catalog.cities.geometry.iloc[0], 0)


def test_points_stay_numbers(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    park = next(f for f in _features_of(layer) if f["properties"]["id"] == "park-approx")
    assert park["geometry"] == {"type": "Point", "coordinates": [117.8, 36.8]}


def test_styles_leave_out_leaflet_defaults_and_hover_only_changes_what_style_sets(catalog):
    m = mapping.build_base_map(catalog, lang="zh", basemap="none")
    layer = mapping.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="road-exact"
    )
    props = [f["properties"] for f in _features_of(m) + _features_of(layer)]
    for p in props:
        style = p["style"]
        assert {"color", "weight"} <= set(style)
        assert style.get("opacity") != 1.0
        assert style.get("lineJoin") is None
        assert "dashArray" not in style or style["dashArray"]
        if "hover" in p:
            assert set(p["hover"]) <= set(style), p["id"]  # mouse-out restores every change
    with pytest.raises(ValueError, match="does not set"):
        mapping._hover({"color": "#000", "weight": 1}, opacity=0.5)


def test_template_syntax_in_names_is_shown_as_text(catalog):
    features = catalog.features.copy()
    features.loc["road-exact", "name_en"] = "{{ boom }} {% if %}"
    layer = mapping.build_feature_layer(catalog, features, lang="en", basemap="none")
    m = mapping.build_base_map(catalog, lang="en", basemap="none")
    layer.add_to(m)
    html = _html(m)  # branca renders; a template pass over the data would fail here
    assert "{\\u007b boom }}" in html
    assert "{{" not in mapping._html_safe_json({"name": "{{x}}"})


def test_visible_copies_of_lines_carry_only_what_drawing_needs(catalog):
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="en", basemap="none")
    drawn = [
        f["properties"]
        for f in _features_of(layer)
        if f["properties"].get("layer") == "feature"
        and "tip" not in f["properties"]
        and f["properties"]["id"] in ("rail-test-line", "road-exact")
    ]
    assert drawn
    assert all(set(p) <= {"layer", "id", "kind", "group", "selected", "style"} for p in drawn)


# --- clicks --------------------------------------------------------------------------------


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
    assert mapping.parse_click(_returned(props)) == Click("feature", "rail-test-line")


def test_parse_click_on_a_city():
    props = {"layer": "city", "id": "city-370300", "name_zh": "淄博", "kind": "city"}
    assert mapping.parse_click(_returned(props)) == Click("city", "淄博")


def test_parse_click_on_a_county_means_its_city():
    props = {"layer": "county", "id": "county-370306", "name_zh": "周村区", "city": "淄博"}
    assert mapping.parse_click(_returned(props)) == Click("city", "淄博")


def test_parse_click_falls_back_on_kind():
    assert mapping.parse_click(_returned({"id": "x-1", "kind": "rail"})) == Click("feature", "x-1")
    assert mapping.parse_click(_returned({"name_zh": "济南", "kind": "city"})) == Click(
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
    assert mapping.parse_click(returned) is None


def test_returned_objects_ask_only_for_clicks_and_our_report():
    assert mapping.RETURNED_OBJECTS == [
        "last_active_drawing",
        "last_object_clicked_count",
        "selected_layers",
    ]


def test_clicks_round_trip_through_the_drawn_properties(catalog):
    m = mapping.build_base_map(catalog, lang="zh", basemap="none")
    city = next(f for f in _features_of(m) if f["properties"]["layer"] == "city")
    assert mapping.parse_click({"last_active_drawing": city}) == Click("city", "济南")
    layer = mapping.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none")
    for feature in _features_of(layer):
        if "tip" in feature["properties"]:
            click = mapping.parse_click({"last_active_drawing": feature})
            assert click == Click("feature", feature["properties"]["id"])


# --- views ---------------------------------------------------------------------------------


def test_fit_view_without_geometries_is_the_default_view():
    assert mapping.fit_view(gpd.GeoSeries([], crs=settings.STORAGE_CRS)) == (
        settings.DEFAULT_CENTER,
        settings.DEFAULT_ZOOM,
    )


def test_fit_view_of_a_point_centres_on_it_at_the_cap():
    (lat, lon), zoom = mapping.fit_view([Point(117.8, 36.8)], max_zoom=12)
    assert (lat, lon) == (36.8, 117.8)
    assert zoom == 12


def test_fit_view_of_the_circle_shows_it_whole():
    min_lon, min_lat, max_lon, max_lat = settings.CIRCLE_BOUNDS
    (lat, lon), zoom = mapping.fit_view(gpd.GeoSeries([box(*settings.CIRCLE_BOUNDS)]))
    assert lat == pytest.approx((min_lat + max_lat) / 2)
    assert lon == pytest.approx((min_lon + max_lon) / 2)
    assert zoom in (7.0, 7.5, 8.0)
    assert zoom % mapping.ZOOM_STEP == 0


def _pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web-Mercator pixel coordinates (256 px tiles) of a point at ``zoom``."""
    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def test_default_view_shows_all_seven_cities_on_a_laptop_map():
    # the map column at a 1400 px wide window: 570 x 600 CSS px (circlemap.ui)
    cities = gpd.read_file(settings.GEODATA_DIR / "cities.geojson")
    min_lon, min_lat, max_lon, max_lat = cities.total_bounds
    zoom = settings.DEFAULT_ZOOM
    cx, cy = _pixel(*settings.DEFAULT_CENTER, zoom)
    left, top = _pixel(max_lat, min_lon, zoom)
    right, bottom = _pixel(min_lat, max_lon, zoom)
    assert cx - 570 / 2 <= left
    assert right <= cx + 570 / 2
    assert cy - 600 / 2 <= top
    assert bottom <= cy + 600 / 2
    # and no smaller than it must be: a half step closer would cut a city off
    closer = 2**mapping.ZOOM_STEP
    assert (right - left) * closer > 570 or (bottom - top) * closer > 600


def test_fit_view_zooms_in_on_a_short_line():
    (_, zoom_long) = mapping.fit_view([LineString([(116.0, 36.0), (119.0, 37.5)])])
    (_, zoom_short) = mapping.fit_view([LineString([(117.0, 36.6), (117.2, 36.7)])])
    assert zoom_short > zoom_long
    assert zoom_long >= mapping.MIN_ZOOM


def test_fit_view_skips_missing_geometries():
    (lat, lon), _ = mapping.fit_view(gpd.GeoSeries([None, Point(118.0, 37.0)]))
    assert (lat, lon) == (37.0, 118.0)


# --- standalone HTML -----------------------------------------------------------------------


class _Links(HTMLParser):
    """Every src/href attribute of the page's tags (script bodies are not tags)."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [(tag, v or "") for k, v in attrs if k in ("src", "href")]


def _links(page):
    parser = _Links()
    parser.feed(page)
    return parser.urls


def _without_vendored_code(page):
    """The page minus the inlined third-party files (their own licence and doc links)."""
    npm = [f"{p.name}/{f}" for p in assets.NPM_PACKAGES for f in p.files]
    for rel in [*assets.VENDOR_FILES, *npm]:
        if rel.endswith(".js"):
            page = page.replace(assets.static_path(f"vendor/{rel}").read_text(encoding="utf-8"), "")
        elif rel.endswith(".css"):
            page = page.replace(mapping._inline_css(f"vendor/{rel}"), "")
    return page


def test_standalone_html_inlines_every_asset(catalog):
    m = mapping.build_base_map(catalog, lang="zh", basemap="none")
    mapping.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none").add_to(m)
    page = mapping.render_standalone_html(m, title="测试", lang="zh")
    assert _links(page) == []  # no <script src>, <link href>, <img src> at all
    assert "1.9.4" in page  # Leaflet itself
    assert "L.circlemap" in page
    assert ".cm-legend" in page
    assert '<html lang="zh-CN">' in page
    assert "<title>测试</title>" in page
    assert BAD_NAME not in page
    assert not re.findall(r"https?://", _without_vendored_code(page))


def test_standalone_html_keeps_only_tile_templates_online(catalog):
    m = mapping.build_base_map(catalog, lang="en", basemap="osm")
    page = mapping.render_standalone_html(m, lang="en")
    assert _links(page) == []
    urls = set(re.findall(r"https?://[^\s\"'<>]+", _without_vendored_code(page)))
    assert urls == {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}


def test_points_on_the_same_spot_are_numbered_for_the_fan_out(catalog):
    features = catalog.features.copy()
    features.loc["road-exact", "geometry"] = Point(117.8, 36.8)  # not a point layer
    extra = features.loc[["park-approx"]].rename(index={"park-approx": "park-twin"})
    features = gpd.GeoDataFrame(
        [*features.reset_index().to_dict("records"), *extra.reset_index().to_dict("records")],
        crs=settings.STORAGE_CRS,
    ).set_index("id")
    layer = mapping.build_feature_layer(
        catalog, features, lang="zh", basemap="none", selected_id="park-twin"
    )
    fans = {
        f["properties"].get("id", f["properties"]["layer"]): f["properties"].get("fan")
        for f in _features_of(layer)
        if f["geometry"]["type"] == "Point"
    }
    assert sorted(fans[k] for k in ("park-approx", "park-twin", "road-exact")) == [
        [0, 3],
        [1, 3],
        [2, 3],
    ]
    assert fans["highlight"] == fans["park-twin"]  # the halo follows its point
