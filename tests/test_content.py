"""The repository's content traces back to the sources and covers what they name."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from circlemap import catalog, settings, vocab


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def seed(source: str) -> str:
    return (Path(settings.SEEDS_DIR) / source).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load_catalog()


def all_quotes() -> list[tuple[str, str, str]]:
    """(record id, source, quote) of every feature, measure, milestone and also_in."""
    out = []
    for name in ("projects.geojson", "corridors.geojson"):
        for f in read(Path(settings.GEODATA_DIR) / name)["features"]:
            p = f["properties"]
            out.append((p["id"], p["source"], p["quote"]))
    for r in read(Path(settings.DATA_DIR) / "measures.json"):
        out.append((r["id"], r["source"], r["quote"]))
    for r in read(Path(settings.DATA_DIR) / "milestones.json"):
        out.append((r["id"], r["source"], r["quote"]))
        out.extend((r["id"], ref["source"], ref["quote"]) for ref in r.get("also_in", []))
    return out


def test_every_quote_is_an_exact_substring_of_its_source() -> None:
    quotes = all_quotes()
    assert len(quotes) > 140
    for rid, source, quote in quotes:
        text = seed(source)
        assert quote in text, rid
        # never across a column break: the quote lies inside one paragraph
        assert any(quote in line for line in text.split("\n")), rid


def test_measures_cover_the_sources(cat: catalog.Catalog) -> None:
    m = cat.measures
    assert len(m) >= 100
    by_scope = Counter(m["scope"])
    assert by_scope["jinan_zibo_agreement"] >= 70
    assert by_scope["joint_conference_2020"] >= 15
    ids = set(m.index)
    assert sum(i.startswith("plan369-activity-") for i in ids) == 3
    assert sum(i.startswith("plan369-project-") for i in ids) == 6
    assert sum(i.startswith("plan369-goal-") for i in ids) == 9
    agreement = set(m.loc[m["scope"] == "jinan_zibo_agreement", "category"])
    assert {
        "transport", "digital", "industry", "agriculture", "finance", "science",
        "culture_tourism", "ecology", "education", "health", "employment", "emergency",
        "credit", "household_registration", "market_ip",
    } <= agreement  # fmt: skip
    for mid, cities in m.loc[m["scope"] == "jinan_zibo_agreement", "cities"].items():
        assert cities == ("济南", "淄博"), mid
    for mid, cities in m.loc[m["scope"] == "circle_369", "cities"].items():
        assert cities == vocab.CIRCLE_CITIES, mid


def test_named_projects_are_on_the_map(cat: catalog.Catalog) -> None:
    expected = {
        "rail-zibo-yaoqiang-airport", "rail-zibo-zhangqiu-jinan", "rail-binzhou-linyi",
        "rail-binzhou-linyi-circle-section", "road-jingshi-east-extension",
        "bridge-huimin-gaoqing", "bus-jinan-zibo", "pilot-zone-zhoucun",
        "park-zhoucun-new-materials", "science-zibo-two-cities-one-valley",
        "science-qilu-corridor", "science-qilu-corridor-east-extension",
        "computing-china-computing-valley", "computing-zibo-industrial-computing-centre",
        "computing-eco-environment-cloud", "medical-health-big-data-north-centre",
        "medical-zibo-central-hospital", "court-ip-tribunal-zibo-circuit", "ftz-jinan-area",
        "energy-hydrogen-demo-jinan", "energy-hydrogen-demo-zibo",
        "agri-zibo-digital-agriculture-city", "delta-yellow-river-mouth",
    }  # fmt: skip
    assert expected <= set(cat.features.index)


def test_every_feature_is_linked_by_a_measure(cat: catalog.Catalog) -> None:
    unlinked = [fid for fid, ids in cat.features["measure_ids"].items() if not ids]
    assert unlinked == []


def test_greenway_follows_the_river_in_every_city_it_crosses(cat: catalog.Catalog) -> None:
    greenway = cat.features[cat.features["kind"] == "greenway"]
    assert sorted(c for cs in greenway["cities"] for c in cs) == sorted(cat.river.loc[0, "cities"])
    river = cat.river.geometry.iloc[0].buffer(2e-5)
    for fid, geom in greenway.geometry.items():
        assert geom.within(river), fid
        assert len(getattr(geom, "geoms", [geom])) == 1, f"{fid} is broken into pieces"


def test_binzhou_linyi_section_is_the_part_inside_the_circle(cat: catalog.Catalog) -> None:
    full = cat.features.loc["rail-binzhou-linyi"]
    section = cat.features.loc["rail-binzhou-linyi-circle-section"]
    assert "临沂" in full["cities"]
    assert section["part_of"] == "rail-binzhou-linyi"
    assert section.geometry.within(full.geometry.buffer(2e-5))
    circle = unary_union(list(cat.cities.geometry))
    assert section.geometry.within(circle.buffer(2e-5))
    assert not full.geometry.within(circle)


def test_points_lie_in_their_cities(cat: catalog.Catalog) -> None:
    polygons = {
        row["name_zh"]: row.geometry
        for frame in (cat.cities, cat.context)
        for _, row in frame.iterrows()
    }
    for fid, row in cat.features.iterrows():
        if row.geometry.geom_type != "Point":
            continue
        assert any(polygons[c].buffer(1e-4).contains(row.geometry) for c in row["cities"]), fid


def test_line_vertices_lie_in_their_cities(cat: catalog.Catalog) -> None:
    polygons = {
        row["name_zh"]: row.geometry for f in (cat.cities, cat.context) for _, row in f.iterrows()
    }
    touched = {}
    for fid, row in cat.features.iterrows():
        if row["geometry_accuracy"] != "schematic":
            continue
        allowed = unary_union([polygons[c] for c in row["cities"]]).buffer(1e-4)
        coords = [p for part in getattr(row.geometry, "geoms", [row.geometry]) for p in part.coords]
        touched[fid] = all(
            allowed.contains(shape({"type": "Point", "coordinates": p})) for p in coords
        )
    assert touched
    assert all(touched.values()), touched


def test_accuracy_notes_in_both_languages(cat: catalog.Catalog) -> None:
    for fid, row in cat.features.iterrows():
        assert row["accuracy_note_zh"].strip(), fid
        assert row["accuracy_note_en"].strip(), fid
    counts = Counter(cat.features["geometry_accuracy"])
    assert set(counts) <= {"approximate", "schematic"}  # nothing here is surveyed


def test_milestones_timeline(cat: catalog.Catalog) -> None:
    ms = cat.milestones
    dates = [d.date().isoformat() for d in ms["date"]]
    assert dates[0] == "2013-01-01"
    assert dates[-1] == "2021-02-19"
    assert dates == sorted(dates)
    assert {
        "2020-06-08", "2020-07-02", "2020-07-09", "2020-11-30", "2021-02-02", "2021-02-06",
    } <= set(dates)  # fmt: skip
    ranges = ms[ms["end_date"].notna()]
    assert {d.date().isoformat() for d in ranges["end_date"]} == {"2020-08-07", "2020-12-02"}
    assert ms.loc["2013-one-plus-six-plan", "date_precision"] == "year"


@pytest.mark.parametrize("script", ["build_content_tables.py", "build_content_geodata.py"])
def test_generated_files_match_their_script(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(settings.ROOT / "scripts" / script), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
