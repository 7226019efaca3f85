"""Tests of circlemap.export's public face: export(), formats, file names, views."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from circlemap import export, views
from circlemap.errors import ExportError, UnknownViewError
from circlemap.filters import Selection
from tests.export.support import (
    TITLE_ZH,
    TODAY,
)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "jpeg"}, "unknown format 'jpeg'"),
        ({"fmt": "png", "lang": "fr"}, "unknown language 'fr'"),
        ({"fmt": "png", "feature": "no-such-thing"}, "unknown feature id 'no-such-thing'"),
        ({"fmt": "png", "width_px": 10}, "PNG width 10 px out of range"),
        ({"fmt": "pdf", "basemap": "google"}, "unknown basemap 'google'"),
    ],
)
def test_bad_arguments_raise_export_error(catalog, kwargs, message):
    kwargs = {"lang": "zh", **kwargs}
    with pytest.raises(ExportError, match=message):
        export.export(catalog, Selection(), **kwargs)


def test_suggested_filename_says_what_is_inside():
    selection = Selection(cities=("淄博",), kinds=("rail",))
    name = export.suggested_filename(selection, "en", "pdf", TODAY)
    assert name == "circle-map_zibo_rail_en_2026-11-22.pdf"
    assert export.suggested_filename(Selection(), "zh", "csv", TODAY) == (
        "circle-map_circle_zh_2026-11-22.csv"
    )


def test_suggested_filename_is_ascii_and_short_for_big_selections():
    selection = Selection(
        cities=("泰安", "济南"),
        kinds=("rail", "road", "bridge", "bus", "science"),
        statuses=("planning",),
        categories=("market_ip",),
    )
    name = export.suggested_filename(selection, "zh", "geojson", TODAY, feature="rail-x")
    assert name == (
        "circle-map_jinan-tai-an_5-kinds_planning_market-ip_rail-x_zh_2026-11-22.geojson"
    )
    assert name.isascii()


def test_media_types():
    assert export.media_type("pdf") == "application/pdf"
    assert export.media_type("csv") == "text/csv"
    with pytest.raises(ExportError):
        export.media_type("doc")


def test_real_catalog_exports_every_data_format():
    from circlemap.catalog import load_catalog

    real = load_catalog()
    selection = Selection(cities=("淄博",))
    frame = gpd.read_file(io.BytesIO(export.export(real, selection, lang="zh", fmt="geojson")))
    assert sorted(frame["id"]) == sorted(views.selected_features(real, selection).index)
    csv = pd.read_csv(
        io.BytesIO(export.export(real, selection, lang="en", fmt="csv")), encoding="utf-8-sig"
    )
    assert len(csv) == len(views.selected_measures(real, selection))
    assert csv["source"].notna().all()
    assert csv["source_title"].notna().all()  # every source the data names has a title
    assert csv["quote"].notna().all()


def test_view_exports_what_that_page_draws(catalog):
    def ids(view: str) -> set[str]:
        data = export.export(catalog, Selection(), lang="en", fmt="geojson", today=TODAY, view=view)
        return {f["properties"]["id"] for f in json.loads(data)["features"]}

    assert ids("overview") == set(catalog.features.index)
    assert ids("transport") == {"rail-zibo-airport", "road-jingshi-east"}
    # corridors, plus the sites within 15 km of the river (the Jinan centre, not the Zibo park)
    assert ids("ecology") == {"wetland-zibo", "medical-jinan"}


def test_view_names_the_file_and_titles_the_map(catalog):
    zibo = Selection(cities=("淄博",))
    name = export.suggested_filename(zibo, "en", "pdf", TODAY, view="transport")
    assert name == "circle-map_transport_zibo_en_2026-11-22.pdf"
    assert (
        export.suggested_filename(zibo, "en", "pdf", TODAY) == "circle-map_zibo_en_2026-11-22.pdf"
    )
    html = export.export(catalog, zibo, lang="zh", fmt="html", today=TODAY, view="ecology")
    assert f"{TITLE_ZH} · 生态廊道 · 淄博" in html.decode("utf-8")


def test_ecology_view_lists_the_ecology_measures_only(catalog):
    everything = export.export(catalog, Selection(), lang="en", fmt="csv", today=TODAY)
    ecology = export.export(catalog, Selection(), lang="en", fmt="csv", today=TODAY, view="ecology")
    assert len(pd.read_csv(io.BytesIO(everything), encoding="utf-8-sig")) == 2
    assert len(pd.read_csv(io.BytesIO(ecology), encoding="utf-8-sig")) == 0


def test_unknown_view_is_an_export_error(catalog):
    with pytest.raises(UnknownViewError, match="unknown view 'measures'"):
        export.export(catalog, Selection(), lang="en", fmt="png", view="measures")
