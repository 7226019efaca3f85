"""Tests of the committed base layers built by scripts/build_base_geodata.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from circlemap import settings, vocab

BUILD_SCRIPT = settings.ROOT / "scripts" / "build_base_geodata.py"
OUTPUT_FILES = (
    "cities.geojson",
    "counties.geojson",
    "context.geojson",
    "yellow_river.geojson",
    "provinces.geojson",
    "lakes.geojson",
    "rivers.geojson",
    "places.geojson",
    "SOURCES.md",
)
CONTEXT_FILES = ("provinces.geojson", "lakes.geojson", "rivers.geojson", "places.geojson")

OFFICIAL_AREA_KM2 = {
    # city: (official land area km², allowed relative difference)
    "济南": (10244.0, 0.01),
    "淄博": (5965.0, 0.01),
    "泰安": (7761.0, 0.01),
    "聊城": (8628.0, 0.01),
    "德州": (10356.0, 0.01),
    # coastal: official figures include tidal flats outside the Amap land boundary
    "滨州": (9660.0, 0.06),
    "东营": (8243.0, 0.06),
}

CITY_KEYS = {
    "id",
    "adcode",
    "name_zh",
    "name_en",
    "kind",
    "cities",
    "area_km2",
    "geometry_accuracy",
    "source",
}
COUNTY_KEYS = CITY_KEYS | {"city", "city_adcode"}
RIVER_KEYS = {"id", "name_zh", "name_en", "kind", "cities", "geometry_accuracy", "source"}

KM2 = 1e6


def _read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(settings.GEODATA_DIR / name)


def _raw(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((settings.GEODATA_DIR / name).read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def cities() -> gpd.GeoDataFrame:
    return _read("cities.geojson")


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return _read("counties.geojson")


@pytest.fixture(scope="module")
def context() -> gpd.GeoDataFrame:
    return _read("context.geojson")


@pytest.fixture(scope="module")
def river() -> gpd.GeoDataFrame:
    return _read("yellow_river.geojson")


def _overlap_areas_km2(layer: gpd.GeoDataFrame) -> list[tuple[str, str, float]]:
    """Area of every pairwise intersection (equal-area CRS), for pairs that touch."""
    projected = layer.to_crs(settings.AREA_CRS).reset_index(drop=True)
    left, right = projected.sindex.query(projected.geometry, predicate="intersects")
    out = []
    for i, j in zip(left, right, strict=True):
        if i < j:
            area = projected.geometry[i].intersection(projected.geometry[j]).area / KM2
            out.append((projected["id"][i], projected["id"][j], area))
    return out


# --- contract -----------------------------------------------------------------------


def test_cities_properties_match_contract(cities: gpd.GeoDataFrame) -> None:
    features = _raw("cities.geojson")["features"]
    assert [f["properties"]["name_zh"] for f in features] == list(vocab.CIRCLE_CITIES)
    for feature in features:
        props = feature["properties"]
        city = vocab.CITY_BY_ZH[props["name_zh"]]
        assert set(props) == CITY_KEYS
        assert props["id"] == f"city-{city.adcode}"
        assert props["adcode"] == city.adcode
        assert props["name_en"] == city.en
        assert props["kind"] == "city"
        assert props["cities"] == [city.zh]
        assert props["geometry_accuracy"] == "exact"
        assert props["source"]
    assert cities.crs.to_epsg() == 4326


def test_context_holds_the_nine_other_cities() -> None:
    features = _raw("context.geojson")["features"]
    others = [c.zh for c in vocab.CITIES if not c.in_circle]
    assert [f["properties"]["name_zh"] for f in features] == others
    for feature in features:
        props = feature["properties"]
        assert set(props) == CITY_KEYS
        assert props["kind"] == "city"
        assert props["id"] == f"city-{props['adcode']}"
        assert props["cities"] == [props["name_zh"]]


def test_counties_properties_match_contract(counties: gpd.GeoDataFrame) -> None:
    features = _raw("counties.geojson")["features"]
    assert len(features) == 57
    ids = [f["properties"]["id"] for f in features]
    assert len(set(ids)) == len(ids)
    for feature in features:
        props = feature["properties"]
        city = vocab.CITY_BY_ZH[props["city"]]
        assert set(props) == COUNTY_KEYS
        assert props["id"] == f"county-{props['adcode']}"
        assert props["adcode"][:4] == city.adcode[:4]
        assert props["city_adcode"] == city.adcode
        assert city.in_circle
        assert props["kind"] == "county"
        assert props["cities"] == [city.zh]
        assert props["geometry_accuracy"] == "exact"
        assert re.fullmatch(r"[A-Z][a-z']+ (District|County|City)", props["name_en"])
        suffix = {"区": "District", "县": "County", "市": "City"}[props["name_zh"][-1]]
        assert props["name_en"].endswith(suffix)
    assert counties.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("name_zh", "name_en"),
    [
        ("长清区", "Changqing District"),
        ("泰山区", "Taishan District"),
        ("东平县", "Dongping County"),
        ("莘县", "Shen County"),
        ("冠县", "Guan County"),
        ("东阿县", "Dong'e County"),
        ("乐陵市", "Laoling City"),
        ("茌平区", "Chiping District"),
        ("周村区", "Zhoucun District"),
        ("东昌府区", "Dongchangfu District"),
        ("新泰市", "Xintai City"),
    ],
)
def test_county_english_names(counties: gpd.GeoDataFrame, name_zh: str, name_en: str) -> None:
    assert counties.loc[counties["name_zh"] == name_zh, "name_en"].tolist() == [name_en]


def test_jinan_includes_former_laiwu(counties: gpd.GeoDataFrame) -> None:
    jinan = set(counties.loc[counties["city"] == "济南", "name_zh"])
    assert {"莱芜区", "钢城区"} <= jinan
    assert len(jinan) == 12


def test_river_properties_match_contract() -> None:
    features = _raw("yellow_river.geojson")["features"]
    assert len(features) == 1
    props = features[0]["properties"]
    assert set(props) == RIVER_KEYS
    assert props["id"] == "river-yellow"
    assert props["name_zh"] == "黄河"
    assert props["name_en"] == "Yellow River"
    assert props["kind"] == "river"
    assert props["geometry_accuracy"] in vocab.ACCURACIES
    assert set(props["cities"]) <= set(vocab.CIRCLE_CITIES)
    assert props["source"]


# --- geometry -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cities.geojson", "counties.geojson", "context.geojson"])
def test_polygons_are_valid(name: str) -> None:
    layer = _read(name)
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    assert layer.is_valid.all()
    assert not layer.is_empty.any()


@pytest.mark.parametrize("name", OUTPUT_FILES[:4])
def test_coordinates_inside_region_and_rounded(name: str) -> None:
    layer = _read(name)
    coords = shapely.get_coordinates(np.asarray(layer.geometry.values))
    min_lon, min_lat, max_lon, max_lat = settings.REGION_BOUNDS
    assert coords[:, 0].min() >= min_lon
    assert coords[:, 0].max() <= max_lon
    assert coords[:, 1].min() >= min_lat
    assert coords[:, 1].max() <= max_lat
    scale = 10**settings.COORD_PRECISION
    np.testing.assert_allclose(coords * scale, np.round(coords * scale), atol=1e-6)


def test_counties_do_not_overlap(counties: gpd.GeoDataFrame) -> None:
    overlaps = [o for o in _overlap_areas_km2(counties) if o[2] >= 0.01]
    assert overlaps == []


def test_cities_and_context_do_not_overlap(
    cities: gpd.GeoDataFrame, context: gpd.GeoDataFrame
) -> None:
    province = gpd.GeoDataFrame(pd.concat([cities, context], ignore_index=True), crs=cities.crs)
    overlaps = [o for o in _overlap_areas_km2(province) if o[2] >= 0.01]
    assert overlaps == []


def test_counties_exactly_cover_their_city(
    cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame
) -> None:
    cities_m = cities.to_crs(settings.AREA_CRS)
    counties_m = counties.to_crs(settings.AREA_CRS)
    for zh, city_geom in zip(cities_m["name_zh"], cities_m.geometry, strict=True):
        union = shapely.union_all(np.asarray(counties_m.loc[counties_m["city"] == zh].geometry))
        assert city_geom.symmetric_difference(union).area / KM2 < 0.01, zh


def test_city_areas_match_official_figures(cities: gpd.GeoDataFrame) -> None:
    computed = cities.to_crs(settings.AREA_CRS).area / KM2
    for zh, stored, area in zip(cities["name_zh"], cities["area_km2"], computed, strict=True):
        official, tolerance = OFFICIAL_AREA_KM2[zh]
        assert stored == pytest.approx(area, abs=0.05), zh
        assert abs(area / official - 1) < tolerance, f"{zh}: {area:.1f} vs {official}"


def test_county_areas_add_up_to_city_area(
    cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame
) -> None:
    totals = counties.groupby("city")["area_km2"].sum()
    sizes = counties.groupby("city").size()
    for zh, area in zip(cities["name_zh"], cities["area_km2"], strict=True):
        # each stored area is rounded to 0.1 km², so sums may drift by 0.05 per term
        assert totals[zh] == pytest.approx(area, abs=0.05 * (sizes[zh] + 1)), zh


def test_river_is_one_line_from_upstream_to_the_sea(
    river: gpd.GeoDataFrame, cities: gpd.GeoDataFrame
) -> None:
    assert len(river) == 1
    line = river.geometry.iloc[0]
    assert isinstance(line, LineString)
    assert line.is_simple
    by_name = dict(zip(cities["name_zh"], cities.geometry, strict=True))
    assert line.crosses(by_name["济南"])
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    assert start.x < end.x
    assert end.x > 118.9
    # it ends at the coast in Dongying: on Dongying's outline, where the circle meets the sea
    metric = gpd.GeoSeries(
        [end, by_name["东营"].boundary, shapely.union_all(cities.geometry.values).boundary],
        crs=cities.crs,
    ).to_crs(settings.METRIC_CRS)
    assert metric.iloc[0].distance(metric.iloc[1]) < 10
    assert metric.iloc[0].distance(metric.iloc[2]) < 10


def test_river_cities_are_ordered_upstream_first(river: gpd.GeoDataFrame) -> None:
    crossed = list(river["cities"].iloc[0])
    assert crossed[-1] == "东营"
    assert "济南" in crossed
    assert crossed.index("济南") < crossed.index("滨州")
    assert crossed[0] in {"聊城", "泰安"}


# --- surroundings: provinces, water, place names -------------------------------------


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return _read("provinces.geojson")


@pytest.fixture(scope="module")
def shandong(cities: gpd.GeoDataFrame, context: gpd.GeoDataFrame) -> Any:
    return shapely.union_all(np.concatenate([cities.geometry.values, context.geometry.values]))


def _metric(*geoms: Any) -> list[Any]:
    return list(gpd.GeoSeries(list(geoms), crs=settings.STORAGE_CRS).to_crs(settings.METRIC_CRS))


def test_neighbouring_provinces_are_there(provinces: gpd.GeoDataFrame) -> None:
    names = set(provinces.loc[provinces["kind"] == "province", "name_zh"])
    assert {"河北省", "河南省", "江苏省", "安徽省", "天津市"} <= names
    assert "山东省" not in names
    by_name = dict(zip(provinces["name_zh"], provinces["name_en"], strict=True))
    assert by_name["河北省"] == "Hebei"
    assert by_name["内蒙古自治区"] == "Inner Mongolia"
    polys = provinces[provinces["kind"] == "province"]
    assert set(polys.geom_type) <= {"Polygon", "MultiPolygon"}
    assert polys.is_valid.all()
    # Hebei borders Dezhou and Liaocheng, Henan borders Liaocheng and Tai'an
    cities_of = dict(zip(polys["name_zh"], polys["cities"], strict=True))
    assert {"德州", "聊城"} <= set(cities_of["河北省"])
    assert "聊城" in cities_of["河南省"]


def test_provinces_do_not_overlap_shandong_and_leave_no_gap(
    provinces: gpd.GeoDataFrame, shandong: Any
) -> None:
    polys = provinces[provinces["kind"] == "province"].geometry.values
    land = shapely.union_all(np.concatenate([polys, [shandong]]))
    overlap = shapely.union_all(polys).intersection(shandong)
    (overlap_m,) = _metric(overlap)
    assert overlap_m.area / KM2 < 0.01
    # inland west of the circle (Hebei, Henan, Liaocheng, Dezhou) is land through and through
    inland = shapely.box(114.6, 34.6, 117.0, 38.0)
    (gap_m,) = _metric(inland.difference(land))
    assert gap_m.area / KM2 < 0.01


def test_provincial_border_follows_shandong_outline_not_the_coast(
    provinces: gpd.GeoDataFrame, shandong: Any, cities: gpd.GeoDataFrame
) -> None:
    border = provinces.loc[provinces["kind"] == "border"].geometry
    assert len(border) == 1
    line = border.iloc[0]
    assert line.geom_type == "MultiLineString"
    dezhou = cities.loc[cities["name_zh"] == "德州"].geometry.iloc[0]
    border_m, dezhou_m, coast_m = _metric(
        line, dezhou.boundary, shapely.box(118.5, 37.4, 119.5, 38.4).intersection(shandong.boundary)
    )
    shared = border_m.intersection(dezhou_m.buffer(1.0))
    assert shared.length / 1000 > 100  # Dezhou's long border with Hebei
    # Dongying's coast is not a provincial border
    assert border_m.intersection(coast_m.buffer(50.0)).length < 1.0


def test_dongping_lake_is_in_taian() -> None:
    lakes = _read("lakes.geojson")
    assert lakes.is_valid.all()
    dongping = lakes.loc[lakes["id"] == "lake-dongping"]
    assert dongping["name_zh"].tolist() == ["东平湖"]
    assert dongping["name_en"].tolist() == ["Dongping Lake"]
    assert list(dongping["cities"].iloc[0]) == ["泰安"]
    assert 100 < dongping["area_km2"].iloc[0] < 200
    assert dongping.geometry.iloc[0].contains(Point(116.2, 36.0))


def test_other_rivers_leave_the_yellow_river_to_its_own_layer(river: gpd.GeoDataFrame) -> None:
    rivers = _read("rivers.geojson")
    assert rivers["id"].tolist() == ["rivers-region"]
    others, yellow = _metric(rivers.geometry.iloc[0], river.geometry.iloc[0])
    assert others.length / 1000 > 1000
    # no stretch drawn twice: at most a few km of the others lie along the Yellow River
    assert others.intersection(yellow.buffer(200.0)).length / 1000 < 5


def test_places_label_every_circle_county_inside_it(counties: gpd.GeoDataFrame) -> None:
    places = _read("places.geojson")
    assert set(places["rank"]) == {"province", "city", "county"}
    assert places["id"].is_unique
    labels = places[places["rank"] == "county"].set_index("adcode")
    assert len(labels) == len(counties)
    for row in counties.itertuples():
        label = labels.loc[row.adcode]
        assert label["name_zh"] == row.name_zh
        assert label["name_en"] == row.name_en
        assert row.geometry.contains(label.geometry), row.name_zh
    cities = places[places["rank"] == "city"]
    assert set(vocab.CITY_BY_ZH) <= set(cities["name_zh"])
    names = dict(zip(cities["name_zh"], cities["name_en"], strict=True))
    assert names["沧州市"] == "Cangzhou"
    assert names["濮阳市"] == "Puyang"
    assert names["长治市"] == "Changzhi"


@pytest.mark.parametrize("name", CONTEXT_FILES)
def test_context_coordinates_inside_context_bounds(name: str) -> None:
    layer = _read(name)
    coords = shapely.get_coordinates(np.asarray(layer.geometry.values))
    min_lon, min_lat, max_lon, max_lat = settings.CONTEXT_BOUNDS
    assert coords[:, 0].min() >= min_lon
    assert coords[:, 0].max() <= max_lon
    assert coords[:, 1].min() >= min_lat
    assert coords[:, 1].max() <= max_lat
    scale = 10**settings.COORD_PRECISION
    np.testing.assert_allclose(coords * scale, np.round(coords * scale), atol=1e-6)


# --- reproducibility ----------------------------------------------------------------


def test_rebuild_reproduces_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out-dir", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in OUTPUT_FILES:
        built = (tmp_path / name).read_bytes()
        committed = (settings.GEODATA_DIR / name).read_bytes()
        assert built == committed, f"{name} differs from a fresh build; rerun the script"
