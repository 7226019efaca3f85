from __future__ import annotations

from types import SimpleNamespace

import altair as alt
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from circlemap import charts, panels, views
from circlemap.errors import UnknownViewError
from circlemap.filters import Selection


@pytest.fixture
def catalog() -> SimpleNamespace:
    features = gpd.GeoDataFrame(
        {
            "name_zh": ["经十路东延", "黄河绿道", "算力谷"],
            "name_en": ["Jingshi Road east", "Yellow River greenway", "Computing valley"],
            "kind": ["road", "greenway", "computing"],
            "group": ["transport", "ecology", "site"],
            "status": ["implementing", "building", "advancing"],
            "cities": [("济南", "淄博"), ("济南", "东营"), ("济南",)],
            "geometry_accuracy": ["schematic", "approximate", "approximate"],
            "accuracy_note_zh": ["示意", "大致", "大致"],
            "accuracy_note_en": ["schematic", "approx", "approx"],
            "source": ["a.txt", "a.txt", "b.txt"],
            "quote": ["实施经十路东延工程", "沿黄生态绿道", "中国算谷"],
            "description_zh": [None, None, None],
            "description_en": [None, None, None],
            "measure_ids": [("m-road",), ("m-eco",), ()],
        },
        geometry=[
            LineString([(117.5, 36.7), (117.9, 36.8)]),
            LineString([(117.0, 36.75), (118.9, 37.7)]),
            Point(117.05, 36.7),
        ],
        index=pd.Index(["road-jingshi", "greenway-yr", "computing-valley"], name="id"),
        crs="EPSG:4326",
    )
    measures = pd.DataFrame(
        {
            "category": ["transport", "ecology", "health"],
            "title_zh": ["经十路东延", "沿黄生态廊道", "医疗**合作**"],
            "title_en": ["Jingshi Road", "Yellow River corridor", "Health cooperation"],
            "scope": ["jinan_zibo_agreement", "jinan_zibo_agreement", "circle_369"],
            "cities": [("济南", "淄博"), ("济南", "东营"), ("淄博",)],
            "status": ["implementing", "building", "supported"],
            "source": ["a.txt", "a.txt", "b.txt"],
            "quote": ["实施经十路东延工程", "建设沿黄生态廊道", "医疗合作 hospital"],
            "features": [("road-jingshi",), ("greenway-yr",), ()],
        },
        index=pd.Index(["m-road", "m-eco", "m-health"], name="id"),
    )
    cities = gpd.GeoDataFrame(
        {
            "id": ["city-370100", "city-370300"],
            "adcode": ["370100", "370300"],
            "name_zh": ["济南", "淄博"],
            "name_en": ["Jinan", "Zibo"],
        },
        geometry=[box(116.2, 36.0, 117.9, 37.5), box(117.6, 35.9, 118.3, 37.3)],
        crs="EPSG:4326",
    )
    river = gpd.GeoDataFrame(
        {"id": ["river-yellow"]},
        geometry=[LineString([(116.0, 36.6), (117.0, 36.72), (118.9, 37.7)])],
        crs="EPSG:4326",
    )
    milestones = pd.DataFrame(
        {
            "date": pd.to_datetime(["2013-01-01", "2020-07-02"]),
            "end_date": pd.to_datetime([None, "2020-07-09"]),
            "date_precision": ["year", "day"],
            "text_zh": ["提出规划", "联席会议"],
            "text_en": ["Plan proposed", "Joint conference"],
            "source": ["a.txt", "b.txt"],
            "quote": ["2013年", "联席会议"],
        },
        index=pd.Index(["ms-2013", "ms-2020"], name="id"),
    )
    return SimpleNamespace(
        features=features, measures=measures, cities=cities, river=river, milestones=milestones
    )


def test_md_escape_neutralises_markup_and_html():
    text = panels.md_escape("<script>x</script> **bold** [a](http://x) :red[y] $1$")
    assert "<script>" not in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\\[a\\]\\(" in text
    assert "\\:red\\[" in text
    assert "\\$" in text


def test_cities_label_names_all_seven_at_once():
    seven = ("济南", "淄博", "泰安", "聊城", "德州", "滨州", "东营")
    assert panels.cities_label(seven, "en") == "All seven cities"
    assert panels.cities_label(("淄博", "临沂"), "en") == "Zibo, Linyi"
    assert panels.cities_label(("淄博", "临沂"), "zh") == "淄博、临沂"


def test_counters_follow_the_selection(catalog):
    assert panels.counters(catalog, Selection()) == panels.Counters(3, 3, 3)
    zibo = panels.counters(catalog, Selection(cities=("淄博",)))
    assert zibo == panels.Counters(projects=1, measures=2, cities=1)


def test_visible_measures_search_both_languages_and_scope(catalog):
    assert list(views.visible_measures(catalog, Selection(), text="corridor").index) == ["m-eco"]
    assert list(views.visible_measures(catalog, Selection(), text="经十路").index) == ["m-road"]
    scoped = views.visible_measures(catalog, Selection(), scopes=("circle_369",))
    assert list(scoped.index) == ["m-health"]


def test_feature_card_is_labelled_in_the_language(catalog):
    zh = panels.feature_card(catalog, "road-jingshi", "zh")
    en = panels.feature_card(catalog, "road-jingshi", "en")
    assert (zh.name, zh.kind, zh.cities) == ("经十路东延", "公路", "济南、淄博")
    assert (en.name, en.kind, en.cities) == ("Jingshi Road east", "Road", "Jinan, Zibo")
    assert en.accuracy == "Schematic alignment"
    assert en.quote == "实施经十路东延工程"  # verbatim, never translated


def test_measures_of_feature_and_measure_card_links(catalog):
    assert list(panels.measures_of_feature(catalog, "road-jingshi").index) == ["m-road"]
    card = panels.measure_card(catalog, "m-road", "en")
    assert card.features == (("road-jingshi", "Jingshi Road east"),)
    assert card.scope == "Jinan–Zibo same-city agreement"


def test_tables_have_translated_headers(catalog):
    zh = panels.measure_table(catalog.measures, "zh")
    en = panels.measure_table(catalog.measures, "en")
    assert "举措" in zh.columns
    assert "Measure" in en.columns
    assert en.loc["m-road", "Category"] == "Transport & infrastructure"
    table = panels.feature_table(catalog.features, "en")
    assert table.loc["road-jingshi", "Name"] == "Jingshi Road east"


def test_city_panel_narrows_to_the_city(catalog):
    panel = panels.city_panel(catalog, "淄博", Selection(), "en")
    assert panel.name == "Zibo"
    assert list(panel.features.index) == ["road-jingshi"]
    assert list(panel.measures.index) == ["m-road", "m-health"]


@pytest.mark.parametrize("clicked", ["淄博", "city-370300", "370300", "Zibo"])
def test_city_of_click_accepts_id_adcode_or_name(catalog, clicked):
    assert panels.city_of_click(catalog, clicked) == "淄博"


def test_city_of_click_unknown_is_none(catalog):
    assert panels.city_of_click(catalog, "nowhere") is None


def test_corridors_by_city_lists_each_city(catalog):
    table = panels.corridors_by_city(catalog, Selection(), "en")
    assert list(table["City"]) == ["Jinan", "Dongying"]
    only = panels.corridors_by_city(catalog, Selection(cities=("东营",)), "en")
    assert list(only["City"]) == ["Dongying"]
    assert panels.corridors_by_city(catalog, Selection(cities=("泰安",)), "en").empty


def test_sites_along_river_uses_metres(catalog):
    near = views.sites_along_river(catalog, Selection())
    assert list(near.index) == ["computing-valley"]  # about 2 km from the line
    assert views.NEAR_RIVER_M == 15_000.0


def test_timeline_table_and_chart(catalog):
    table = panels.milestone_table(catalog.milestones, "en")
    assert list(table["when"]) == ["2013", "2020-07-02 – 2020-07-09"]
    assert list(table["text"]) == ["Plan proposed", "Joint conference"]
    chart = charts.timeline_chart(table, "en")
    assert isinstance(chart, alt.HConcatChart)
    assert len(chart.to_dict()["hconcat"]) == 2  # 2013 and 2020 are far apart


def test_option_labels_and_accuracy_table(catalog):
    labels = panels.option_labels(catalog.features, "zh")
    assert labels["road-jingshi"] == "经十路东延 · 公路 · 实施"
    acc = panels.accuracy_table(catalog, "en")
    assert list(acc["Features"]) == [0, 2, 1]


def test_concat_features_keeps_each_id_once(catalog):
    f = catalog.features
    joined = views.concat_features(f.iloc[:2], f.iloc[1:])
    assert list(joined.index) == ["road-jingshi", "greenway-yr", "computing-valley"]
    assert joined.crs == "EPSG:4326"


def test_shapes_for_fitting_views(catalog):
    assert len(panels.city_shapes(catalog, ("淄博",))) == 1
    assert panels.city_shapes(catalog, ()).empty
    shapes = panels.feature_shapes(catalog.features, ["road-jingshi", "nope"])
    assert list(shapes.index) == ["road-jingshi"]


def test_map_view_features_per_page(catalog):
    everything = Selection()
    assert list(views.map_view_features(catalog, everything, "overview").index) == [
        "road-jingshi",
        "greenway-yr",
        "computing-valley",
    ]
    assert list(views.map_view_features(catalog, everything, "transport").index) == ["road-jingshi"]
    ecology = views.map_view_features(catalog, everything, "ecology")
    assert list(ecology.index) == ["greenway-yr", "computing-valley"]
    dongying = views.map_view_features(catalog, Selection(cities=("东营",)), "ecology")
    assert list(dongying.index) == ["greenway-yr"]
    with pytest.raises(UnknownViewError, match="unknown view 'timeline'"):
        views.map_view_features(catalog, everything, "timeline")


def test_source_label_names_the_text_and_keeps_the_file():
    zh = views.source_label("000_62d8a2b4d5d19bc4.txt", "zh")
    en = views.source_label("000_62d8a2b4d5d19bc4.txt", "en")
    assert zh.startswith("鲁中晨报")
    assert zh.endswith("· 000_62d8a2b4d5d19bc4.txt")
    assert en.startswith("Luzhong Morning Post")
    assert en.endswith("000_62d8a2b4d5d19bc4.txt")
    assert views.source_label("elsewhere.txt", "en") == "elsewhere.txt"


def test_unmapped_measures_are_those_linked_to_no_feature(catalog):
    assert list(panels.unmapped_measures(catalog, Selection(), "health").index) == ["m-health"]
    assert panels.unmapped_measures(catalog, Selection(), "transport").empty  # m-road is mapped
    assert panels.unmapped_measures(catalog, Selection(cities=("济南",)), "health").empty
