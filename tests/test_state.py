from __future__ import annotations

import pytest
from shapely.geometry import LineString

from circlemap.catalog import Catalog
from circlemap.filters import Selection
from circlemap.state import ViewState, state_from_params, state_to_params
from tests import factories

BASEMAPS = ("none", "osm", "amap")


@pytest.fixture
def catalog() -> Catalog:
    line = LineString([(117.0, 36.6), (117.5, 36.7)])
    return factories.make_catalog(
        features=[
            factories.feature("road-jingshi-east", "road", line),
            factories.feature("rail-a", "rail", line),
        ],
        measures=[factories.measure("m-1"), factories.measure("m-2")],
        milestones=[factories.milestone("2020-guidance", "2020-06-08")],
    )


def parse(params, catalog, notice_lang="en"):
    return state_from_params(params, catalog=catalog, basemaps=BASEMAPS, notice_lang=notice_lang)


def test_empty_params_give_default_state(catalog):
    state, notices = parse({}, catalog)
    assert state == ViewState()
    assert notices == []


def test_round_trip_restores_every_field(catalog):
    state = ViewState(
        selection=Selection(cities=("淄博", "济南"), kinds=("road",), categories=("transport",)),
        lang="en",
        basemap="amap",
        view=(36.66123, 117.12, 9.5),
        hidden=("counties", "rail"),
        query="经十路",
        measure_query="氢能",
        feature="road-jingshi-east",
        city="淄博",
        scopes=("circle_guidance",),
        measure="m-2",
        milestone="2020-guidance",
    )
    params = state_to_params(state)
    assert params["city"] == "济南,淄博"  # vocabulary order
    assert params["map"] == "9.5/36.66123/117.12000"  # zoom/lat/lon, as openstreetmap.org
    back, notices = parse(params, catalog)
    assert back == state
    assert notices == []


def test_defaults_are_left_out_of_the_link():
    assert state_to_params(ViewState()) == {}


def test_unknown_parameter_is_ignored_and_named(catalog):
    state, notices = parse({"zoom": "12", "city": "淄博"}, catalog)
    assert state.selection.cities == ("淄博",)
    assert notices == ["unknown parameter 'zoom'"]


def test_unknown_values_are_dropped_known_ones_kept(catalog):
    state, notices = parse({"city": "淄博,上海", "kind": "rail,teleport"}, catalog)
    assert state.selection.cities == ("淄博",)
    assert state.selection.kinds == ("rail",)
    assert any("上海" in n for n in notices)
    assert any("teleport" in n for n in notices)


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"lang": "fr"}, "fr"),
        ({"basemap": "google"}, "google"),
        ({"feature": "no-such-thing"}, "no-such-thing"),
        ({"focus": "青岛"}, "青岛"),
    ],
)
def test_malformed_single_values_fall_back_to_default(catalog, params, word):
    state, notices = parse(params, catalog)
    assert state == ViewState()
    assert len(notices) == 1
    assert word in notices[0]


def test_repeated_and_list_values_are_accepted(catalog):
    state, notices = parse({"city": ["济南", "淄博,东营"], "lang": ["zh", "en"]}, catalog)
    assert state.selection.cities == ("济南", "淄博", "东营")
    assert state.lang == "en"
    assert notices == []


def test_long_garbage_is_shortened_in_notices(catalog):
    _, notices = parse({"x" * 500: "1"}, catalog)
    assert len(notices[0]) < 80


def test_blank_values_mean_no_restriction(catalog):
    state, notices = parse({"city": " , "}, catalog)
    assert state.selection == Selection()
    assert notices == []


def test_repeated_parameters_select_every_value(catalog):
    state, notices = parse({"city": ["济南", "淄博"], "hide": ["counties", "river"]}, catalog)
    assert state.selection.cities == ("济南", "淄博")
    assert state.hidden == ("counties", "river")
    assert notices == []


@pytest.mark.parametrize(
    "text",
    ["9/36.6", "nine/36.6/117", "9/60/117", "9/36.6/140", "40/36.6/117", "nan/36.6/117"],
)
def test_a_malformed_or_faraway_view_is_dropped_and_named(catalog, text):
    state, notices = parse({"map": text}, catalog)
    assert state.view is None
    assert len(notices) == 1
    assert text in notices[0]


def test_unknown_layer_groups_measures_and_milestones_are_named(catalog):
    state, notices = parse(
        {"hide": "counties,clouds", "measure": "m-9", "milestone": "1999", "scope": "nope"},
        catalog,
    )
    assert state.hidden == ("counties",)
    assert state.measure is None
    assert state.milestone is None
    assert state.scopes == ()
    assert len(notices) == 4


def test_notices_follow_the_links_language(catalog):
    _, zh = state_from_params({"zoom": "1"}, catalog=catalog, basemaps=BASEMAPS)
    _, en = state_from_params({"zoom": "1", "lang": "en"}, catalog=catalog, basemaps=BASEMAPS)
    assert zh == ["未知参数“zoom”"]
    assert en == ["unknown parameter 'zoom'"]


def test_search_text_is_kept_and_shortened(catalog):
    state, _ = parse({"q": "  jingshilu  "}, catalog)
    assert state.query == "jingshilu"
    long, _ = parse({"q": "x" * 500}, catalog)
    assert len(long.query) <= 80
