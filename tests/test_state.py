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
        ]
    )


def parse(params, catalog):
    return state_from_params(params, catalog=catalog, basemaps=BASEMAPS)


def test_empty_params_give_default_state(catalog):
    state, notices = parse({}, catalog)
    assert state == ViewState()
    assert notices == []


def test_round_trip_restores_every_field(catalog):
    state = ViewState(
        selection=Selection(cities=("淄博", "济南"), kinds=("road",), categories=("transport",)),
        lang="en",
        basemap="amap",
        feature="road-jingshi-east",
        city="淄博",
    )
    params = state_to_params(state)
    assert params["city"] == "济南,淄博"  # vocabulary order
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
