"""Tests of circlemap.panels: counters, cards and tables beside the map."""

from __future__ import annotations

import re

import pytest

from circlemap import panels, views
from circlemap.catalog import Catalog
from circlemap.filters import Selection
from tests import factories


@pytest.fixture
def catalog() -> Catalog:
    return factories.small_catalog()


def test_md_escape_neutralises_markup_and_html():
    text = panels.md_escape("<script>x</script> **bold** [a](http://x) :red[y] $1$")
    assert "<script>" not in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\\[a\\]\\(" in text
    assert "\\:\u2060red\\[" in text
    assert "\\$" in text


# What Streamlit 1.67's front end (StreamlitMarkdown) turns into live markup, from its
# bundle: ":material/" is rewritten in the raw source before parsing; GFM autolink
# literals and emoji shortcodes are found in the text after backslash escapes are undone.
_RAW_ICON = re.compile(r":material/")
_AUTOLINK = re.compile(r"(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.I)
_EMOJI = re.compile(r":[\w+-][\w_+-]*:")


def live_markup(markdown: str) -> list[str]:
    """The links and icons Streamlit's front end would make of ``markdown``."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)  # CommonMark backslash escapes
    return (
        _RAW_ICON.findall(markdown) + [m.group(0) for m in _AUTOLINK.finditer(text)]
        + _EMOJI.findall(text)
    )  # fmt: skip


def test_md_escape_keeps_prose_free_of_word_joiners():
    assert panels.WORD_JOINER not in panels.md_escape("Approved: joint conference; 济南：省会")


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/login",
        "http://evil.example",
        "www.evil.example",
        "WWW.Evil.example/x",
        "staff@evil.example",
        ":material/home:",
        ":smile:",
        ":+1:",
        "see :material/lock: at https://x.example",
    ],
)
def test_md_escape_leaves_no_autolink_emoji_or_icon(hostile):
    assert live_markup(hostile), "the pattern itself must be live unescaped"
    escaped = panels.md_escape(hostile)
    assert live_markup(escaped) == []
    # shown verbatim: only invisible word joiners and escaping backslashes added
    visible = re.sub(r"\\(.)", r"\1", escaped).replace(panels.WORD_JOINER, "")
    assert visible == hostile


def test_cities_label_names_all_seven_at_once():
    seven = ("济南", "淄博", "泰安", "聊城", "德州", "滨州", "东营")
    assert panels.cities_label(seven, "en") == "All seven cities"
    assert panels.cities_label(("淄博", "临沂"), "en") == "Zibo, Linyi"
    assert panels.cities_label(("淄博", "临沂"), "zh") == "淄博、临沂"


def test_counters_follow_the_selection(catalog):
    assert panels.counters(catalog, Selection()) == panels.Counters(3, 3, 3)
    zibo = panels.counters(catalog, Selection(cities=("淄博",)))
    assert zibo == panels.Counters(projects=1, measures=2, cities=1)
    # the frame the overview's map already has gives the same numbers
    shown = views.visible_features(catalog, Selection(cities=("淄博",)))
    assert panels.counters(catalog, Selection(cities=("淄博",)), features=shown) == zibo


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


def test_milestone_table_dates_and_text(catalog):
    table = panels.milestone_table(catalog.milestones, "en")
    assert list(table["when"]) == ["2013", "2020-07-02 – 2020-07-09"]
    assert list(table["text"]) == ["Plan proposed", "Joint conference"]


def test_option_labels_and_accuracy_table(catalog):
    labels = panels.option_labels(catalog.features, "zh")
    assert labels["road-jingshi"] == "经十路东延 · 公路 · 实施"
    acc = panels.accuracy_table(catalog, "en")
    assert list(acc["Features"]) == [0, 2, 1]


def test_shapes_for_fitting_views(catalog):
    assert len(panels.city_shapes(catalog, ("淄博",))) == 1
    assert panels.city_shapes(catalog, ()).empty
    shapes = panels.feature_shapes(catalog.features, ["road-jingshi", "nope"])
    assert list(shapes.index) == ["road-jingshi"]


def test_unmapped_measures_are_those_linked_to_no_feature(catalog):
    assert list(panels.unmapped_measures(catalog, Selection(), "health").index) == ["m-health"]
    assert panels.unmapped_measures(catalog, Selection(), "transport").empty  # m-road is mapped
    assert panels.unmapped_measures(catalog, Selection(cities=("济南",)), "health").empty
