from __future__ import annotations

import json

from circlemap import basemaps, layers, webmap


def test_control_lists_present_groups_base_first_in_both_languages():
    items = layers.control_items(
        ["rail", "road", "science", "greenway"], webmap.BASE_LAYER_NAMES, lang="zh"
    )
    keys = [i["key"] for i in items]
    assert keys == ["cities", "counties", "context", "river", "rail", "road", "sites", "corridors"]
    assert items[1]["label"] == "县级行政区"
    en = layers.control_items(["bus"], ["county", "lake"], lang="en")
    assert [(i["key"], i["label"], i["section"]) for i in en] == [
        ("counties", "Counties and districts", "base"),
        ("water", "Lakes and rivers", "base"),
        ("bus", "Intercity bus", "content"),
    ]


def test_the_surroundings_of_the_repository_are_switchable_as_context_and_water():
    from circlemap.catalog import load_catalog

    items = webmap.base_layers(load_catalog(), lang="en", basemap="none").layer_items
    keys = [i["key"] for i in items]
    assert keys[:5] == ["cities", "counties", "context", "water", "river"]


def test_an_unknown_base_layer_is_drawn_but_not_switchable():
    assert layers.control_items([], ["city", "clouds"], lang="en") == [
        {"key": "cities", "label": "Circle cities", "section": "base"}
    ]


def test_content_groups_follow_the_kind():
    assert layers.group_of_kind("rail") == "rail"
    assert layers.group_of_kind("science") == "sites"
    assert layers.group_of_kind("wetland") == "corridors"


def _returned(payload):
    return {"selected_layers": [{"name": webmap.REPORT_NAME, "url": json.dumps(payload)}]}


def test_the_maps_report_is_read_and_checked():
    report = webmap.parse_report(
        _returned({"view": [36.7, 117.5, 9.5], "hidden": ["counties", "nope"], "basemap": None})
    )
    assert report == webmap.MapReport(view=(36.7, 117.5, 9.5), hidden=("counties",))
    assert webmap.parse_report({"selected_layers": []}) is None
    assert webmap.parse_report(None) is None
    bad = webmap.parse_report(_returned({"view": ["x", 1, 2], "hidden": "counties"}))
    assert bad == webmap.MapReport(view=None, hidden=())
    junk = {"selected_layers": [{"name": webmap.REPORT_NAME, "url": "{not json"}]}
    assert webmap.parse_report(junk) is None


def test_a_view_request_prefers_the_readers_view_and_shifts_on_amap():
    req = webmap.view_request(
        view=(36.7, 117.5, 9), bounds=(115, 35, 119, 38), hidden=["rail", "x"]
    )
    assert req == {"hidden": ["rail"], "view": [36.7, 117.5, 9]}
    fit = webmap.view_request(bounds=(115.0, 35.0, 119.0, 38.0))
    assert fit == {"hidden": [], "bounds": [[35.0, 115.0], [38.0, 119.0]]}
    amap = basemaps.get_basemap("amap")
    shifted = webmap.view_request(view=(36.7, 117.5, 9), basemap=amap)["view"]
    assert shifted != [36.7, 117.5, 9]
    back = webmap.view_from_map(shifted, amap)
    assert abs(back[0] - 36.7) < 1e-5
    assert abs(back[1] - 117.5) < 1e-5
