from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from circlemap import search, settings

PINYIN = {
    "经十路东延工程": ["jingshiludongyangongcheng", "jsldygc"],
    "实施经十路东延工程": ["shishijingshiludongyangongcheng", "ssjsldygc"],
    "淄川区": ["zichuanqu", "zcq"],
}


@pytest.fixture
def catalog() -> SimpleNamespace:
    features = gpd.GeoDataFrame(
        {
            "name_zh": ["经十路东延工程", "滨临高铁"],
            "name_en": ["Jingshi Road eastward extension", "Binzhou–Linyi HSR"],
        },
        geometry=[Point(117.5, 36.7), Point(118, 37.4)],
        index=pd.Index(["road-jingshi", "rail-binlin"], name="id"),
    )
    counties = pd.DataFrame(
        {
            "id": ["county-370302"],
            "name_zh": ["淄川区"],
            "name_en": ["Zichuan District"],
            "city": ["淄博"],
        }
    )
    measures = pd.DataFrame(
        {"title_zh": ["实施经十路东延工程"], "title_en": ["Extend Jingshi Road east"]},
        index=pd.Index(["m-jingshi"], name="id"),
    )
    return SimpleNamespace(features=features, counties=counties, measures=measures)


@pytest.mark.parametrize("text", ["经十路", "Jingshi", "jingshilu", "JINGSHI road", "jsl"])
def test_chinese_english_and_pinyin_find_the_feature_first(catalog, text):
    hits = search.search(search.search_index(catalog, PINYIN), text)
    assert hits[0].kind == "feature"
    assert hits[0].id == "road-jingshi"
    assert [h.id for h in hits][:2] == ["road-jingshi", "m-jingshi"]  # then its measure


def test_cities_and_counties_are_found(catalog):
    index = search.search_index(catalog, PINYIN)
    assert search.search(index, "淄博")[0].kind == "city"
    county = search.search(index, "zichuan")[0]
    assert (county.kind, county.city) == ("county", "淄博")


def test_nothing_is_found_for_an_empty_or_unknown_query(catalog):
    index = search.search_index(catalog, PINYIN)
    assert search.search(index, "  ") == []
    assert search.search(index, "上海") == []


def test_normalise_folds_case_width_and_punctuation():
    assert search.normalise("Ｊｉｎｇｓｈｉ Road–East") == "jingshiroadeast"


def test_the_committed_pinyin_keys_are_current():
    script = settings.ROOT / "scripts" / "build_search_pinyin.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
