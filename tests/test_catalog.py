"""Unit tests of circlemap.catalog with a tiny data set written to tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from circlemap import catalog, errors, settings

SRC = "000_62d8a2b4d5d19bc4.txt"  # a known source name; the text is the fixture's own
SEED = "甲市与乙市谋划轨道交通。两市共建绿道。会议召开。"


def square(lon: float, lat: float, size: float = 0.5) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def fc(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def base(fid: str, kind: str, zh: str, geometry: dict[str, Any], **extra: Any) -> dict[str, Any]:
    props = {
        "id": fid,
        "name_zh": zh,
        "name_en": fid,
        "kind": kind,
        "cities": [zh] if kind != "river" else ["济南"],
        "geometry_accuracy": "exact",
        "source": "test fixture",
        **extra,
    }
    return {"type": "Feature", "properties": props, "geometry": geometry}


def content(
    fid: str, kind: str, geometry: dict[str, Any], quote: str, **extra: Any
) -> dict[str, Any]:
    props = {
        "id": fid,
        "name_zh": "名称",
        "name_en": "Name",
        "kind": kind,
        "status": "planning",
        "standing": "agreed",
        "cities": ["济南", "淄博"],
        "geometry_accuracy": "schematic",
        "accuracy_note_zh": "示意",
        "accuracy_note_en": "Schematic",
        "source": SRC,
        "quote": quote,
        **extra,
    }
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A complete, valid, tiny data set; returns its root (``geodata/``, ``data/``)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SRC).write_text(SEED, encoding="utf-8")
    monkeypatch.setattr(settings, "SEEDS_DIR", seeds)
    geo, data = tmp_path / "geodata", tmp_path / "data"
    write(
        geo / "cities.geojson",
        fc(
            base("city-370100", "city", "济南", square(117.0, 36.5), adcode="370100"),
            base("city-370300", "city", "淄博", square(117.5, 36.5), adcode="370300"),
        ),
    )
    write(
        geo / "counties.geojson",
        fc(
            base(
                "county-370102", "county", "济南", square(117.0, 36.5), adcode="370102", city="济南"
            ),
        ),
    )
    write(
        geo / "context.geojson",
        fc(
            base("city-371300", "city", "临沂", square(118.0, 35.0), adcode="371300"),
        ),
    )
    write(
        geo / "yellow_river.geojson",
        fc(
            base(
                "river-yellow",
                "river",
                "黄河",
                {"type": "LineString", "coordinates": [[116.0, 36.0], [119.0, 37.7]]},
            ),
        ),
    )
    line = {"type": "LineString", "coordinates": [[117.1, 36.6], [117.9, 36.8]]}
    write(
        geo / "projects.geojson",
        fc(
            content("rail-a", "rail", line, "谋划轨道交通"),
            content("rail-a-section", "rail", line, "谋划轨道交通", part_of="rail-a"),
        ),
    )
    write(
        geo / "corridors.geojson",
        fc(
            content("greenway-a", "greenway", line, "两市共建绿道", description_en="Green lung"),
        ),
    )
    measure = {
        "id": "m-rail",
        "category": "transport",
        "title_zh": "轨道",
        "title_en": "Rail",
        "scope": "jinan_zibo_agreement",
        "cities": ["济南", "淄博"],
        "status": "planning",
        "standing": "agreed",
        "source": SRC,
        "quote": "谋划轨道交通",
        "features": ["rail-a", "greenway-a"],
    }
    other = {**measure, "id": "m-none", "category": "ecology", "features": []}
    write(data / "measures.yaml", [measure, other])  # JSON is YAML too
    source = {
        "file": SRC,
        "title_zh": "测试来源",
        "title_en": "Test source",
        "date": "2021-02-06",
        "language": ["zh-Hans"],
        "script": "simplified",
        "licence": "test fixture",
    }
    write(data / "sources.yaml", [source])
    milestone = {
        "id": "late",
        "date": "2021-02-06",
        "end_date": None,
        "date_precision": "day",
        "text_zh": "会议",
        "text_en": "Meeting",
        "source": SRC,
        "quote": "会议召开",
    }
    early = {**milestone, "id": "early", "date": "2013-01-01", "date_precision": "year"}
    ranged = {**milestone, "id": "ranged", "date": "2020-07-09", "end_date": "2020-08-07"}
    write(data / "milestones.yaml", [milestone, early, ranged])
    return tmp_path


def load(root: Path) -> catalog.Catalog:
    return catalog.load_catalog(geodata_dir=root / "geodata", data_dir=root / "data")


def test_features_frame_per_contract(tiny: Path) -> None:
    cat = load(tiny)
    features = cat.features
    assert features.index.name == "id"
    assert list(features.index) == ["rail-a", "rail-a-section", "greenway-a"]
    assert features.crs.to_string() == settings.STORAGE_CRS
    assert features.loc["rail-a", "group"] == "transport"
    assert features.loc["greenway-a", "group"] == "ecology"
    assert features.loc["greenway-a", "layer"] == "corridors"
    assert features.loc["rail-a", "cities"] == ("济南", "淄博")
    assert features.loc["rail-a", "measure_ids"] == ("m-rail",)
    assert features.loc["rail-a-section", "measure_ids"] == ()
    assert features.loc["rail-a-section", "part_of"] == "rail-a"
    assert features.loc["rail-a", "part_of"] is None
    assert features.loc["greenway-a", "description_en"] == "Green lung"
    assert features.loc["rail-a"].geometry.geom_type == "LineString"


def test_measures_and_milestones_frames(tiny: Path) -> None:
    cat = load(tiny)
    assert cat.measures.index.name == "id"
    assert cat.measures.loc["m-rail", "features"] == ("rail-a", "greenway-a")
    assert cat.measures.loc["m-none", "features"] == ()
    assert cat.measures.loc["m-rail", "cities"] == ("济南", "淄博")
    assert list(cat.milestones.index) == ["early", "ranged", "late"]
    assert cat.milestones.loc["ranged", "end_date"] == pd.Timestamp("2020-08-07")
    assert pd.isna(cat.milestones.loc["late", "end_date"])
    assert cat.milestones.loc["early", "date_precision"] == "year"


def test_base_layers_as_stored(tiny: Path) -> None:
    cat = load(tiny)
    assert list(cat.cities["name_zh"]) == ["济南", "淄博"]
    assert cat.counties.loc[0, "city"] == "济南"
    assert cat.context.loc[0, "name_zh"] == "临沂"
    assert cat.river.loc[0, "id"] == "river-yellow"
    assert cat.cities.crs.to_string() == settings.STORAGE_CRS


def test_catalog_is_frozen(tiny: Path) -> None:
    cat = load(tiny)
    with pytest.raises(AttributeError):
        cat.features = cat.features  # type: ignore[misc]


def test_settings_are_read_at_call_time(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "GEODATA_DIR", tiny / "geodata")
    monkeypatch.setattr(settings, "DATA_DIR", tiny / "data")
    assert len(catalog.load_catalog().features) == 3


def test_broken_file_raises_naming_file_id_field(tiny: Path) -> None:
    path = tiny / "data" / "measures.yaml"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["cities"] = ["济南", "上海"]
    write(path, rows)
    with pytest.raises(errors.DataValidationError) as info:
        load(tiny)
    assert info.value.file.endswith("measures.yaml")
    assert info.value.problems[0][:2] == ("m-rail", "cities.1")
    assert "unknown city '上海'" in str(info.value)


def test_dangling_link_raises(tiny: Path) -> None:
    path = tiny / "data" / "measures.yaml"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[1]["features"] = ["nowhere"]
    write(path, rows)
    with pytest.raises(
        errors.DataValidationError, match="'m-none': field 'features': links unknown"
    ):
        load(tiny)


def test_missing_layer_raises(tiny: Path) -> None:
    (tiny / "geodata" / "corridors.geojson").unlink()
    with pytest.raises(errors.DataValidationError, match=r"corridors\.geojson: file not found"):
        load(tiny)


def test_surroundings_are_optional_but_checked_when_present(tiny: Path) -> None:
    cat = load(tiny)
    assert cat.provinces.empty
    assert cat.places.empty
    lake = base("lake-a", "lake", "济南", square(117.1, 36.6, 0.1), area_km2=90.0)
    write(tiny / "geodata" / "lakes.geojson", fc(lake))
    assert load(tiny).lakes["id"].tolist() == ["lake-a"]
    lake["properties"]["area_km2"] = -1.0
    write(tiny / "geodata" / "lakes.geojson", fc(lake))
    with pytest.raises(errors.DataValidationError, match="'lake-a': field 'area_km2'"):
        load(tiny)


def test_repository_catalog_holds_the_surroundings() -> None:
    cat = catalog.load_catalog()
    assert "河北省" in set(cat.provinces["name_zh"])
    assert "东平湖" in set(cat.lakes["name_zh"])
    assert cat.rivers["id"].tolist() == ["rivers-region"]
    assert set(cat.places["rank"]) == {"province", "city", "county"}


def test_quote_checked_against_seeds(tiny: Path) -> None:
    path = tiny / "geodata" / "projects.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["quote"] = "不在原文"
    write(path, data)
    with pytest.raises(errors.DataValidationError, match="'rail-a': field 'quote'"):
        load(tiny)


def test_repository_catalog_loads() -> None:
    cat = catalog.load_catalog()
    assert len(cat.cities) == 7
    assert set(cat.features["group"]) == {"transport", "site", "ecology"}
