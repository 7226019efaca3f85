"""Tests of circlemap.webmap.base_map: what filters never change."""

from __future__ import annotations

import pickle
import re

import pytest

from circlemap import settings, styles, webmap
from circlemap.errors import BasemapError
from circlemap.webmap import elements
from circlemap.webmap.packing import unpack_collection
from tests.webmap.support import (
    distance_m,
    features_of,
    html_of,
    sent_by_st_folium,
)


def test_base_map_renders_identical_html_for_the_same_arguments(catalog):
    first = webmap.build_base_map(catalog, lang="zh", basemap="none")
    second = webmap.build_base_map(catalog, lang="zh", basemap="none")
    assert html_of(first) == html_of(second)
    # What streamlit-folium compares to decide whether to re-create the iframe.
    assert sent_by_st_folium(first)["script"] == sent_by_st_folium(second)["script"]


def test_base_map_differs_by_language(catalog):
    zh = html_of(webmap.build_base_map(catalog, lang="zh", basemap="none"))
    en = html_of(webmap.build_base_map(catalog, lang="en", basemap="none"))
    assert zh != en


def test_offline_base_map_has_no_tiles_and_paints_the_water_colour(catalog):
    html = html_of(webmap.build_base_map(catalog, lang="zh", basemap="none"))
    assert "L.tileLayer" not in html
    assert styles.WATER_BACKGROUND in html
    assert "L.circlemap.furnish" in html


def test_base_map_links_only_assets_the_app_serves(catalog):
    html = html_of(webmap.build_base_map(catalog, lang="zh", basemap="none"))
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
        for f in features_of(webmap.build_base_map(catalog, lang="zh", basemap="none"))
    ]
    layers = {p["layer"] for p in props}
    assert {"context", "city", "county", "river"} <= layers
    city_names = {p["name_zh"] for p in props if p["layer"] == "city"}
    assert city_names == {"济南", "淄博"}


def test_river_has_a_tooltip_in_the_chosen_language(catalog):
    for lang, name in (("zh", "黄河"), ("en", "Yellow River")):
        river = next(
            f["properties"]
            for f in features_of(webmap.build_base_map(catalog, lang=lang, basemap="none"))
            if f["properties"]["layer"] == "river"
        )
        assert name in river["tip"]
        assert river["style"]["color"] == styles.RIVER_COLOUR


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"), [("zh", "济南", "Jinan"), ("en", "Jinan", "济南")]
)
def test_city_labels_follow_the_language(catalog, lang, shown, hidden):
    m = webmap.build_base_map(catalog, lang=lang, basemap="none")
    labels = next(el for el in elements.walk(m) if isinstance(el, elements.LabelLayer)).labels
    texts = [item[2] for item in labels]
    assert shown in texts
    assert hidden not in texts
    css = {item[2]: item[3] for item in labels}
    assert css[shown] == "cm-label-city"
    assert css["潍坊" if lang == "zh" else "Weifang"] == "cm-label-context"


def test_tiled_basemaps_add_their_tiles_and_attribution(catalog):
    html = html_of(webmap.build_base_map(catalog, lang="en", basemap="osm"))
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "OpenStreetMap contributors" in html


def test_tianditu_needs_a_key(catalog):
    with pytest.raises(BasemapError):
        webmap.build_base_map(catalog, lang="zh", basemap="tianditu")
    html = html_of(webmap.build_base_map(catalog, lang="zh", basemap="tianditu", tianditu_key="k1"))
    assert "vec_w" in html
    assert "cva_w" in html
    assert "tk=k1" in html


def test_amap_shifts_base_layers_by_a_few_hundred_metres(catalog):
    def first_corner(basemap):
        m = webmap.build_base_map(catalog, lang="zh", basemap=basemap)
        city = next(f for f in features_of(m) if f["properties"]["layer"] == "city")
        return city["geometry"]["coordinates"][0][0]

    plain, shifted = first_corner("none"), first_corner("amap")
    assert 100 < distance_m(plain, shifted) < 1000


def test_unknown_basemap_raises(catalog):
    with pytest.raises(BasemapError):
        webmap.build_base_map(catalog, lang="zh", basemap="nope")


def test_base_layers_made_ahead_draw_the_same_map(catalog):
    layers = webmap.base_layers(catalog, lang="en", basemap="none")
    assert pickle.loads(pickle.dumps(layers)) == layers  # plain data: st.cache_data can keep it
    ahead = webmap.build_base_map(catalog, lang="en", basemap="none", layers=layers)
    assert html_of(ahead) == html_of(webmap.build_base_map(catalog, lang="en", basemap="none"))
    with pytest.raises(ValueError, match="cannot draw"):
        webmap.build_base_map(catalog, lang="zh", basemap="none", layers=layers)


def test_outline_only_polygons_stay_unfilled(catalog):
    # Leaflet fills polygons unless told not to: county borders and the city
    # outlines drawn above them must say fill: false, or they tint the land.
    layers = webmap.base_layers(catalog, lang="zh", basemap="none")
    for layer in layers.layers:
        for feature in unpack_collection(layer.packed)["features"]:
            style = feature["properties"].get("style", {})
            if feature["properties"].get("layer") in ("county", "city-outline"):
                assert style.get("fill") is False, (layer.name, style)
