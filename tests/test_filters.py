from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from circlemap.filters import Selection, filter_features, filter_measures, search_measures


@pytest.fixture
def features() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kind": ["rail", "road", "science"],
            "status": ["planning", "implementing", "supported"],
            "cities": [("济南", "淄博"), ("济南",), ("淄博",)],
            "measure_ids": [("m1",), ("m2",), ()],
        },
        geometry=[Point(117, 36.7), Point(117.1, 36.7), Point(118, 36.8)],
        index=pd.Index(["rail-a", "road-b", "sci-c"], name="id"),
        crs="EPSG:4326",
    )


@pytest.fixture
def measures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["transport", "transport", "health"],
            "status": ["planning", "implementing", "supported"],
            "cities": [("济南", "淄博"), ("济南",), ("淄博",)],
            "features": [("rail-a",), ("road-b",), ()],
            "title_zh": ["轨道交通", "经十路东延", "医疗中心"],
            "title_en": ["Rail link", "Jingshi Road", "Medical centre"],
            "quote": ["谋划淄博至济南遥墙机场", "实施经十路东延工程", "省级区域医疗中心"],
        },
        index=pd.Index(["m1", "m2", "m3"], name="id"),
    )


def test_empty_selection_keeps_everything(features, measures):
    assert list(filter_features(features, Selection())) == list(features)
    assert len(filter_features(features, Selection())) == 3
    assert len(filter_measures(measures, Selection())) == 3


def test_city_filter_keeps_features_touching_city(features):
    kept = filter_features(features, Selection(cities=("淄博",)))
    assert list(kept.index) == ["rail-a", "sci-c"]


def test_kind_and_status_combine(features):
    kept = filter_features(features, Selection(kinds=("rail", "road"), statuses=("implementing",)))
    assert list(kept.index) == ["road-b"]


def test_category_filter_on_features_uses_linked_measures(features, measures):
    kept = filter_features(features, Selection(categories=("transport",)), measures=measures)
    assert list(kept.index) == ["rail-a", "road-b"]


def test_kind_filter_on_measures_uses_linked_features(features, measures):
    kept = filter_measures(measures, Selection(kinds=("road",)), features=features)
    assert list(kept.index) == ["m2"]


def test_selection_normalises_order_and_rejects_unknown():
    assert Selection(cities=("淄博", "济南", "淄博")) == Selection(cities=("济南", "淄博"))
    with pytest.raises(ValueError, match="上海"):
        Selection(cities=("上海",))


def test_search_matches_both_languages_case_insensitively(measures):
    assert list(search_measures(measures, "jingshi").index) == ["m2"]
    assert list(search_measures(measures, "医疗").index) == ["m3"]
    assert len(search_measures(measures, "  ")) == 3
