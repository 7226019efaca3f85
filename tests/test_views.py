"""Tests of circlemap.views: what each page's map shows."""

from __future__ import annotations

import pytest

from circlemap import views
from circlemap.catalog import Catalog
from circlemap.errors import UnknownViewError
from circlemap.filters import Selection
from tests import factories


@pytest.fixture
def catalog() -> Catalog:
    return factories.small_catalog()


def test_visible_measures_search_both_languages_and_scope(catalog):
    assert list(views.visible_measures(catalog, Selection(), text="corridor").index) == ["m-eco"]
    assert list(views.visible_measures(catalog, Selection(), text="经十路").index) == ["m-road"]
    scoped = views.visible_measures(catalog, Selection(), scopes=("circle_369",))
    assert list(scoped.index) == ["m-health"]


def test_sites_along_river_uses_metres(catalog):
    near = views.sites_along_river(catalog, Selection())
    assert list(near.index) == ["computing-valley"]  # about 2 km from the line
    assert views.NEAR_RIVER_M == 15_000.0


def test_concat_features_keeps_each_id_once(catalog):
    f = catalog.features
    joined = views.concat_features(f.iloc[:2], f.iloc[1:])
    # the loader puts projects before corridors
    assert list(joined.index) == ["road-jingshi", "computing-valley", "greenway-yr"]
    assert joined.crs == "EPSG:4326"


def test_map_view_features_per_page(catalog):
    everything = Selection()
    assert list(views.map_view_features(catalog, everything, "overview").index) == [
        "road-jingshi",
        "computing-valley",
        "greenway-yr",
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
