"""Tests of circlemap.export: print maps, data files, file names, CLI, scale bar, tiles.

A tiny in-memory catalog (two circle cities around Jinan and Zibo, one context
city, four counties, a river and five features) keeps the renders fast. Tile
backgrounds are fetched from a tile server on 127.0.0.1 run by the tests: no
test needs the internet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from lxml import etree
from PIL import Image
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, box

from circlemap import basemaps, cli, crs, export, fonts, settings, views
from circlemap.catalog import Catalog
from circlemap.errors import ExportError, UnknownViewError
from circlemap.export import captions, print_furniture, tiles
from circlemap.filters import Selection

TODAY = dt.date(2026, 11, 22)
TITLE_ZH = "省会经济圈一体化地图"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _base(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.STORAGE_CRS)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    city = {"kind": "city", "geometry_accuracy": "exact", "source": "test"}
    cities = _base(
        [
            {
                **city,
                "id": "city-370100",
                "name_zh": "济南",
                "name_en": "Jinan",
                "cities": ["济南"],
            },
            {**city, "id": "city-370300", "name_zh": "淄博", "name_en": "Zibo", "cities": ["淄博"]},
        ],
        [box(116.8, 36.3, 117.6, 37.0), box(117.6, 36.3, 118.3, 37.2)],
    )
    context = _base(
        [
            {
                **city,
                "id": "city-370700",
                "name_zh": "潍坊",
                "name_en": "Weifang",
                "cities": ["潍坊"],
            }
        ],
        [box(118.3, 36.0, 119.4, 37.2)],
    )
    county = {"kind": "county", "geometry_accuracy": "exact", "source": "test"}
    counties = _base(
        [
            {**county, "id": "county-1", "name_zh": "历下区", "name_en": "Lixia", "city": "济南"},
            {
                **county,
                "id": "county-2",
                "name_zh": "章丘区",
                "name_en": "Zhangqiu",
                "city": "济南",
            },
            {
                **county,
                "id": "county-3",
                "name_zh": "张店区",
                "name_en": "Zhangdian",
                "city": "淄博",
            },
            {**county, "id": "county-4", "name_zh": "博山区", "name_en": "Boshan", "city": "淄博"},
        ],
        [
            box(116.8, 36.3, 117.2, 37.0),
            box(117.2, 36.3, 117.6, 37.0),
            box(117.6, 36.75, 118.3, 37.2),
            box(117.6, 36.3, 118.3, 36.75),
        ],
    )
    river = _base(
        [
            {
                "id": "river-yellow",
                "name_zh": "黄河",
                "name_en": "Yellow River",
                "kind": "river",
                "cities": ["济南", "淄博"],
            }
        ],
        [LineString([(116.8, 36.5), (117.3, 36.8), (118.0, 37.1)])],
    )
    rows = [
        ("rail-zibo-airport", "淄博至遥墙机场轨道交通", "Zibo–airport rail", "rail", "planning",
         ("淄博", "济南"), "schematic",
         LineString([(118.05, 36.81), (117.5, 36.75), (117.2, 36.9)])),
        ("road-jingshi-east", "经十路东延", "Jingshi Road east extension", "road", "implementing",
         ("济南", "淄博"), "approximate", LineString([(117.3, 36.65), (117.95, 36.72)])),
        ("science-zibo-park", "淄博科创园", "Zibo science park", "science", "supported",
         ("淄博",), "approximate", Point(118.0, 36.85)),
        ("medical-jinan", "区域医疗中心", "Regional medical centre", "medical", "building",
         ("济南",), "exact", Point(117.05, 36.67)),
        ("wetland-zibo", "马踏湖湿地", "Mata Lake wetland", "wetland", "advancing",
         ("淄博",), "approximate", box(117.85, 36.95, 118.0, 37.05)),
    ]  # fmt: skip
    features = gpd.GeoDataFrame(
        [
            {
                "id": fid,
                "name_zh": zh,
                "name_en": en,
                "kind": kind,
                "status": status,
                "cities": cities_,
                "geometry_accuracy": acc,
                "accuracy_note_zh": "示意",
                "accuracy_note_en": "drawn by hand",
                "source": f"00{i}_62d8a2b4d5d19bc4.txt",
                "quote": f"原文{zh}",
                "part_of": None,
                "description_zh": None,
                "description_en": None,
                "layer": "corridors" if kind == "wetland" else "projects",
                "group": {"rail": "transport", "road": "transport", "wetland": "ecology"}.get(
                    kind, "site"
                ),
                "measure_ids": ("m1",) if fid == "rail-zibo-airport" else (),
            }
            for i, (fid, zh, en, kind, status, cities_, acc, _) in enumerate(rows)
        ],
        geometry=[row[-1] for row in rows],
        crs=settings.STORAGE_CRS,
    ).set_index("id")
    measures = pd.DataFrame(
        {
            "category": ["transport", "health"],
            "title_zh": ["谋划淄博至济南遥墙机场轨道交通", "建设区域医疗中心"],
            "title_en": ["Plan the Zibo–Yaoqiang Airport rail link", "Build a medical centre"],
            "scope": ["jinan_zibo_agreement", "circle_369"],
            "cities": [("淄博", "济南"), ("济南",)],
            "status": ["planning", "building"],
            "source": ["000_62d8a2b4d5d19bc4.txt", "001_62d8a2b4d5d19bc4.txt"],
            "quote": ["谋划淄博至济南遥墙机场轨道交通", "建设省级区域医疗中心"],
            "features": [("rail-zibo-airport",), ()],
        },
        index=pd.Index(["m1", "m2"], name="id"),
    )
    return Catalog(
        cities=cities,
        counties=counties,
        context=context,
        river=river,
        features=features,
        measures=measures,
        milestones=pd.DataFrame(),
    )


@pytest.fixture(scope="module")
def zibo_pdf_zh(catalog: Catalog) -> bytes:
    return export.export(catalog, Selection(cities=("淄博",)), lang="zh", fmt="pdf", today=TODAY)


def _pdf_tool(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not found: install Debian's poppler-utils")
    return path


def _pdf_text(data: bytes, tmp_path) -> str:
    """``pdftotext -raw`` (content-stream order: overlapping labels stay whole)."""
    path = tmp_path / "extract.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [_pdf_tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --- print formats -------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "lang"), [(export.DEFAULT_WIDTH_PX, "zh"), (1200, "en")])
def test_png_has_the_asked_width_a4_shape_and_real_content(catalog, width, lang):
    data = export.export(catalog, Selection(), lang=lang, fmt="png", width_px=width, today=TODAY)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width == width
    assert image.height == pytest.approx(width * 210 / 297, abs=2)
    pixels = np.asarray(image, dtype=float)
    assert pixels.std() > 20  # not a blank page
    colours = {tuple(c) for c in pixels[::7, ::7].reshape(-1, 3).astype(int)}
    assert len(colours) > 50


def test_png_default_is_at_least_2400_px_for_slides(catalog):
    data = export.export(catalog, Selection(kinds=("rail",)), lang="zh", fmt="png", today=TODAY)
    assert Image.open(io.BytesIO(data)).width >= 2400


def test_pdf_text_is_extractable_chinese_title_and_city(zibo_pdf_zh, tmp_path):
    text = _pdf_text(zibo_pdf_zh, tmp_path)
    assert TITLE_ZH in text
    assert "淄博" in text
    assert "济南" in text
    assert "2026-11-22" in text


def test_pdf_embeds_the_bundled_cjk_font_and_no_other(zibo_pdf_zh, tmp_path):
    path = tmp_path / "map.pdf"
    path.write_bytes(zibo_pdf_zh)
    listing = subprocess.run(
        [_pdf_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, listing
    for row in rows:
        assert "WenQuanYiMicroHei" in row[0], listing
        assert row[-5] == "yes", f"font not embedded: {listing}"  # emb column
    assert any("TrueType" in line for line in listing.splitlines()[2:])


def test_pdf_in_english_names_cities_in_english(catalog, tmp_path):
    data = export.export(catalog, Selection(kinds=("rail",)), lang="en", fmt="pdf", today=TODAY)
    text = _pdf_text(data, tmp_path)
    assert "Circle Map" in text
    assert "Zibo" in text
    assert "Dashed: schematic alignment" in text
    assert text.count("Other Shandong cities") == 1  # each legend drawn once


def test_svg_parses_keeps_text_and_embeds_the_font(catalog):
    data = export.export(catalog, Selection(cities=("淄博",)), lang="zh", fmt="svg", today=TODAY)
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG_NS}text")]
    joined = "\n".join(texts)
    assert any(TITLE_ZH in text for text in texts)
    assert "淄博" in joined
    styles = "".join(el.text or "" for el in root.iter(f"{SVG_NS}style"))
    assert "@font-face" in styles
    assert fonts.FONT_FAMILY in styles
    assert "data:font/ttf;base64," in styles


def test_empty_selection_still_renders_with_a_note(catalog, tmp_path):
    selection = Selection(cities=("济南",), kinds=("bridge",))
    text = _pdf_text(export.export(catalog, selection, lang="en", fmt="pdf", today=TODAY), tmp_path)
    assert "No features match the filters" in text


def test_selected_feature_is_named_in_the_legend_even_if_filtered_out(catalog, tmp_path):
    data = export.export(
        catalog,
        Selection(kinds=("road",)),
        lang="en",
        fmt="pdf",
        feature="science-zibo-park",
        today=TODAY,
    )
    assert "Selected: Zibo science park" in _pdf_text(data, tmp_path)


# --- data formats --------------------------------------------------------------------------


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
    assert row["status_label"] == "谋划"
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


# --- API checks and names ------------------------------------------------------------------


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


def test_wrap_text_breaks_cjk_by_width_and_latin_by_words():
    assert captions.wrap_text("短句", 10) == ["短句"]
    lines = captions.wrap_text("虚线：示意走向（按起讫地点直线连接，非实际线位）", 20)
    assert all(captions.display_width(line) <= 20 for line in lines)
    assert "".join(lines) == "虚线：示意走向（按起讫地点直线连接，非实际线位）"
    assert captions.wrap_text("Dashed: schematic alignment", 12) == [
        "Dashed:",
        "schematic",
        "alignment",
    ]


# --- scale bar and north arrow -------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [(1.0, 1.0), (1.9, 1.0), (2.0, 2.0), (4.99, 2.0), (7.5, 5.0), (22_000.0, 20_000.0),
     (99_999.0, 50_000.0), (0.03, 0.02)],
)  # fmt: skip
def test_nice_length_picks_1_2_5_steps(target, expected):
    assert print_furniture.nice_length(target) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan])
def test_nice_length_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="positive finite"):
        print_furniture.nice_length(bad)


def test_utm_map_unit_is_a_ground_metre_up_to_the_point_scale_factor():
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    x, y = to_utm.transform(117.0, 37.0)  # central meridian of zone 50: k = 0.9996
    assert crs.ground_metres_per_unit(settings.METRIC_CRS, x, y) == pytest.approx(
        1 / 0.9996, rel=2e-5
    )
    x, y = to_utm.transform(115.5, 36.0)  # 1.5 degrees west: k slightly above 0.9996
    mpu = crs.ground_metres_per_unit(settings.METRIC_CRS, x, y)
    assert 1 / 1.0002 < mpu < 1 / 0.9996


def test_degree_map_unit_is_a_degree_of_longitude_in_metres():
    mpu = crs.ground_metres_per_unit("EPSG:4326", 117.0, 37.0)
    # length of one degree of longitude at 37 N on WGS-84
    assert mpu == pytest.approx(89_012, rel=2e-3)


@pytest.mark.parametrize(
    ("map_crs", "point", "width"),
    [
        (settings.METRIC_CRS, (117.5, 36.8), 420_000.0),  # whole circle, metres
        (settings.METRIC_CRS, (115.6, 37.9), 90_000.0),  # one city at the zone's edge
        ("EPSG:4326", (117.5, 36.8), 3.8),  # a lon/lat map: units are degrees
    ],
)
def test_scale_bar_length_matches_the_geodesic_ground_distance(map_crs, point, width):
    to_map = Transformer.from_crs("EPSG:4326", map_crs, always_xy=True)
    to_lonlat = Transformer.from_crs(map_crs, "EPSG:4326", always_xy=True)
    x, y = to_map.transform(*point)
    metres, units = print_furniture.scale_bar_length(
        width, crs.ground_metres_per_unit(map_crs, x, y)
    )
    assert metres == print_furniture.nice_length(metres)  # a round number
    assert 0.1 * width <= units <= 0.25 * width
    lon1, lat1 = to_lonlat.transform(x, y)
    lon2, lat2 = to_lonlat.transform(x + units, y)
    _, _, ground = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    assert ground == pytest.approx(metres, rel=1e-3)


def test_true_north_follows_the_meridian_convergence():
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    ux, uy = crs.true_north(settings.METRIC_CRS, *to_utm.transform(117.0, 37.0))
    assert ux == pytest.approx(0.0, abs=1e-6)
    assert uy == pytest.approx(1.0)
    ux, uy = crs.true_north(settings.METRIC_CRS, *to_utm.transform(115.5, 37.0))
    # west of the central meridian, meridians lean towards it going north (+x)
    convergence = math.degrees(math.atan(math.tan(math.radians(1.5)) * math.sin(math.radians(37))))
    assert math.degrees(math.atan2(ux, uy)) == pytest.approx(convergence, abs=0.02)


# --- command line --------------------------------------------------------------------------


@pytest.fixture
def cli_catalog(monkeypatch, catalog):
    monkeypatch.setattr(cli, "_load_catalog", lambda: catalog)
    return catalog


def test_cli_writes_the_file(cli_catalog, tmp_path, capsys):
    out = tmp_path / "out.geojson"
    code = cli.main(
        ["export", "--city", "淄博", "--kind", "rail,road", "--lang", "en",
         "--format", "geojson", "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    frame = gpd.read_file(out)
    assert set(frame["id"]) == {"rail-zibo-airport", "road-jingshi-east"}
    assert str(out) in capsys.readouterr().out


def test_cli_infers_the_format_and_accepts_english_city_names(cli_catalog, tmp_path):
    out = tmp_path / "measures.csv"
    assert cli.main(["export", "--city", "Jinan", "--city", "zibo", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_default_name_is_the_suggested_one(cli_catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "--kind", "rail", "--format", "csv", "--date", "2026-11-22"]) == 0
    assert (tmp_path / "circle-map_circle_rail_zh_2026-11-22.csv").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--city", "上海"], "unknown city '上海'"),
        (["--format", "docx"], "unknown format 'docx'"),
        (["--kind", "rocket"], "unknown kind 'rocket'"),
        (["--lang", "fr"], "unknown language 'fr'"),
        (["--date", "22/11/2026"], "bad --date"),
        (["-o", "/no/such/folder/out.pdf"], "folder '/no/such/folder' does not exist"),
        (["--basemap", "mars"], "unknown basemap 'mars' for --basemap (expected one of none, osm"),
        (["--view", "timeline"], "unknown view 'timeline' (expected one of overview, transport"),
    ],
)
def test_cli_bad_arguments_exit_non_zero_with_a_message(
    cli_catalog, tmp_path, capsys, argv, message
):
    argv = ["export", *argv]
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "out.pdf")] if "--format" not in argv else []
    code = cli.main(argv)
    assert code != 0
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "out.pdf").exists()


def test_cli_refuses_a_directory_as_output(cli_catalog, tmp_path, capsys):
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


# --- fonts ---------------------------------------------------------------------------------


def test_export_font_comes_from_the_pinned_package_not_the_system():
    path = fonts.font_path()
    assert fonts.FONT_PACKAGE in str(path)
    assert fonts.register_export_font() == fonts.FONT_FAMILY
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=fonts.FONT_FAMILY))
    assert found == str(path)


def test_font_face_css_subsets_to_the_text():
    css = fonts.font_face_css("淄博 Zibo")
    assert css.startswith("@font-face")
    assert len(css) < 60_000  # a subset, not the 5 MB collection


# --- the real catalog ----------------------------------------------------------------------


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


# --- tile background -----------------------------------------------------------------------

TILE_COLOUR = (255, 0, 255)  # magenta: in no style of the map


def _png_tile(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class _TileServer(ThreadingHTTPServer):
    """Tiles for any ``/<route>/z/x/y.png``: ``ok`` magenta, ``labels`` clear with a green
    square, ``gaps`` 404 on odd columns, ``junk`` not an image, ``stall`` no answer until
    the tests end."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _TileHandler)
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.tile = _png_tile(TILE_COLOUR)
        labels = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
        labels.paste((0, 200, 0, 255), (96, 96, 160, 160))
        buffer = io.BytesIO()
        labels.save(buffer, format="PNG")
        self.labels = buffer.getvalue()

    def template(self, route: str) -> str:
        return f"http://127.0.0.1:{self.server_port}/{route}/{{z}}/{{x}}/{{y}}.png"


class _TileHandler(BaseHTTPRequestHandler):
    server: _TileServer

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        route, _z, x, _y = urlsplit(self.path).path.strip("/").removesuffix(".png").split("/")
        if route == "stall":
            self.server.release.wait(30)
            return
        if route == "gaps" and int(x) % 2:
            self.send_error(404)
            return
        body = {"junk": b"<html>not a tile</html>", "labels": self.server.labels}.get(
            route, self.server.tile
        )
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture(scope="module")
def _tile_server_running() -> Iterator[_TileServer]:
    server = _TileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def tile_server(_tile_server_running: _TileServer) -> _TileServer:
    _tile_server_running.requests.clear()
    return _tile_server_running


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served(key: str, template: str) -> basemaps.Basemap:
    """The basemap ``key`` (labels, attribution, CRS) with its tiles from ``template``."""
    return dataclasses.replace(basemaps.BASEMAPS[key], tiles=(basemaps.TileSpec(template, "", 18),))


def _map_area(png: bytes) -> np.ndarray:
    """RGB pixels inside the map frame (axes at 3-67.5 % across, 11.5-88 % up)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width = pixels.shape[:2]
    return pixels[int(0.13 * height) : int(0.87 * height), int(0.04 * width) : int(0.66 * width)]


def _tile_share(pixels: np.ndarray) -> float:
    """Share of pixels showing the magenta tiles (alone or under a translucent fill)."""
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return float(((r > 150) & (g < 110) & (b > 150)).mean())


@pytest.mark.parametrize("host", ["tiles.invalid", "127.0.0.1:{closed}"])
def test_unreachable_tiles_give_the_vector_map_quickly_with_a_note(catalog, tmp_path, host):
    template = f"http://{host.format(closed=_closed_port())}/{{z}}/{{x}}/{{y}}.png"
    base = _served("osm", template)
    kwargs = {"lang": "en", "today": TODAY, "width_px": 1200}
    start = time.monotonic()
    png = export.export(catalog, Selection(), fmt="png", basemap=base, **kwargs)
    assert time.monotonic() - start < settings.TILE_TIMEOUT_S
    plain = export.export(catalog, Selection(), fmt="png", **kwargs)
    assert np.array_equal(_map_area(png), _map_area(plain))  # the whole vector background
    text = _pdf_text(
        export.export(catalog, Selection(), fmt="pdf", basemap=base, **kwargs), tmp_path
    )
    assert "Basemap tiles (OpenStreetMap) unavailable: cannot reach" in text
    assert "vector background used" in text
    assert "© OpenStreetMap" not in text  # no credit for tiles not drawn


def test_tile_note_is_in_the_chosen_language(catalog, tmp_path):
    base = _served("osm", f"http://127.0.0.1:{_closed_port()}/{{z}}/{{x}}/{{y}}.png")
    pdf = export.export(catalog, Selection(), lang="zh", fmt="pdf", basemap=base, today=TODAY)
    text = _pdf_text(pdf, tmp_path)
    assert "底图瓦片（OpenStreetMap）无法获取：无法连接 127.0.0.1" in text
    assert "改用矢量底图" in text


def test_tianditu_without_a_key_falls_back_without_asking_the_network(
    catalog, tmp_path, monkeypatch
):
    def no_network(*args, **kwargs):
        pytest.fail("fetched tiles without a Tianditu key")

    monkeypatch.setattr(tiles, "fetch_tiles", no_network)
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap="tianditu")
    text = _pdf_text(pdf, tmp_path)
    assert "Basemap tiles (Tianditu) unavailable: needs a key (TIANDITU_KEY)" in text


def test_the_tile_free_basemap_never_touches_tiles(catalog, monkeypatch):
    def no_tiles(*args, **kwargs):
        pytest.fail("the tile-free basemap fetched tiles")

    monkeypatch.setattr(tiles, "tile_background", no_tiles)
    data = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap="none")
    assert data.startswith(b"%PDF")


def test_a_stalled_tile_server_never_holds_the_export(catalog, tile_server, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TILE_TIMEOUT_S", 0.5)
    base = _served("osm", tile_server.template("stall"))
    start = time.monotonic()
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    assert time.monotonic() - start < 3.0
    assert tile_server.requests  # it did ask
    text = _pdf_text(pdf, tmp_path)
    assert "tiles arrived within 0.5 s; vector background used" in text


def test_tiles_from_the_server_show_under_the_vectors_with_the_credit(
    catalog, tile_server, tmp_path
):
    base = _served("osm", tile_server.template("ok"))
    png = export.export(catalog, Selection(), lang="en", fmt="png", basemap=base, today=TODAY)
    assert Image.open(io.BytesIO(png)).width == export.DEFAULT_WIDTH_PX
    assert _tile_share(_map_area(png)) > 0.5
    plain = export.export(catalog, Selection(), lang="en", fmt="png", today=TODAY)
    assert _tile_share(_map_area(plain)) == 0.0
    paths = [path for path, _ in tile_server.requests]
    assert 0 < len(paths) <= settings.MAX_TILES
    assert len(set(paths)) == len(paths)
    assert all(agent.startswith("CircleMap/") for _, agent in tile_server.requests)

    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    text = _pdf_text(pdf, tmp_path)
    assert "Basemap tiles: © OpenStreetMap contributors" in text
    assert "unavailable" not in text
    assert "Zibo" in text  # labels still drawn over the tiles
    assert "Other Shandong cities" in text  # and the legend


def test_svg_with_tiles_embeds_one_raster_and_keeps_text(catalog, tile_server):
    base = _served("carto_light", tile_server.template("ok"))
    svg = export.export(catalog, Selection(), lang="zh", fmt="svg", basemap=base, today=TODAY)
    root = etree.fromstring(svg, parser=etree.XMLParser(huge_tree=True))
    assert len(list(root.iter(f"{SVG_NS}image"))) == 1
    texts = "\n".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))
    assert "底图瓦片：© OpenStreetMap 贡献者 © CARTO" in texts


@pytest.mark.parametrize(
    ("route", "reason"),
    [("gaps", "{host} answered HTTP 404"), ("junk", "unreadable tile from {host}")],
)
def test_some_bad_tiles_give_the_vector_background_for_the_whole_map(
    catalog, tile_server, tmp_path, route, reason
):
    base = _served("osm", tile_server.template(route))
    kwargs = {"lang": "en", "today": TODAY, "basemap": base}
    png = export.export(catalog, Selection(), fmt="png", width_px=1200, **kwargs)
    assert _tile_share(_map_area(png)) == 0.0  # not one good tile is drawn
    text = _pdf_text(export.export(catalog, Selection(), fmt="pdf", **kwargs), tmp_path)
    host = f"127.0.0.1:{tile_server.server_port}"
    assert f"Basemap tiles (OpenStreetMap) unavailable: {reason.format(host=host)}" in text


def test_tile_count_is_capped_by_lowering_the_zoom(tile_server, monkeypatch):
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    minx, miny = to_utm.transform(116.8, 36.3)
    maxx, maxy = to_utm.transform(118.3, 37.2)
    bounds = (minx, miny, maxx, maxy)
    base = _served("osm", tile_server.template("ok"))
    fine = tiles.tile_background(base, bounds, shape=(1000, 1400))
    monkeypatch.setattr(settings, "MAX_TILES", 4)
    tile_server.requests.clear()
    coarse = tiles.tile_background(base, bounds, shape=(1000, 1400))
    assert coarse.tile_count == len(tile_server.requests) <= 4
    assert coarse.zoom < fine.zoom
    assert coarse.image.shape == (1000, 1400, 4)
    assert (coarse.image[..., 3] == 255).all()  # the frame is covered


def test_tianditu_labels_are_composited_over_its_map_layer(tile_server):
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    minx, miny = to_utm.transform(116.8, 36.3)
    maxx, maxy = to_utm.transform(118.3, 37.2)
    base = dataclasses.replace(
        basemaps.BASEMAPS["tianditu"],
        tiles=(
            basemaps.TileSpec(tile_server.template("ok") + "?tk={key}", "", 18),
            basemaps.TileSpec(tile_server.template("labels") + "?tk={key}", "", 18),
        ),
    )
    background = tiles.tile_background(
        base, (minx, miny, maxx, maxy), shape=(600, 800), tianditu_key="k&1"
    )
    pixels = background.image
    assert (pixels[..., 3] == 255).all()
    magenta = (pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] > 200)
    green = (pixels[..., 0] < 60) & (pixels[..., 1] > 150) & (pixels[..., 2] < 60)
    assert 0.6 < magenta.mean() < 0.98
    assert 0.02 < green.mean() < 0.3
    paths = [path for path, _ in tile_server.requests]
    assert background.tile_count == len(paths)
    assert sum("/labels/" in path for path in paths) == len(paths) / 2
    assert all(path.endswith("?tk=k%261") for path in paths)


def _metres_east_north(dx_px: float, dy_px: float, lat: float) -> tuple[float, float]:
    """World pixels (zoom 0) to ground metres east and north at ``lat``."""
    metres_per_px = 2 * math.pi * 6378137.0 / 256 * math.cos(math.radians(lat))
    return dx_px * metres_per_px, -dy_px * metres_per_px


def test_amap_tiles_are_sampled_at_the_gcj02_place_a_few_hundred_metres_east():
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    x, y = to_utm.transform(117.0, 36.65)  # Jinan
    wgs_px, wgs_py = tiles.map_to_world_pixels(x, y)
    gcj_px, gcj_py = tiles.map_to_world_pixels(x, y, gcj02=True)
    east, north = _metres_east_north(float(gcj_px - wgs_px), float(gcj_py - wgs_py), 36.65)
    # Amap draws Jinan about 520 m east (and a little north) of its WGS-84 place
    assert 400 < east < 650
    assert 0 < north < 100
    lon, lat = crs.wgs84_to_gcj02(117.0, 36.65)
    plain_x, plain_y = to_utm.transform(float(lon), float(lat))
    assert (gcj_px, gcj_py) == pytest.approx(tiles.map_to_world_pixels(plain_x, plain_y))


@pytest.mark.parametrize(("gcj02", "expected_east"), [(True, 0.0), (False, 520.0)])
def test_warped_amap_mark_lands_on_its_wgs84_place(gcj02, expected_east):
    """An Amap mosaic marks Jinan where Amap draws it (GCJ-02); the warp puts it back."""
    zoom = 15
    place = (117.0, 36.65)
    lon, lat = crs.wgs84_to_gcj02(*place)
    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    half = math.pi * 6378137.0
    mx, my = to_mercator.transform(float(lon), float(lat))
    px = (mx + half) / (2 * half) * 256 * 2**zoom
    py = (half - my) / (2 * half) * 256 * 2**zoom
    origin = (int(px // 256) - 1, int(py // 256) - 1)
    mosaic = np.full((3 * 256, 3 * 256, 4), 255, dtype=np.uint8)
    col, row = int(px - origin[0] * 256), int(py - origin[1] * 256)
    mosaic[row - 2 : row + 3, col - 2 : col + 3, :3] = (255, 0, 0)

    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    x, y = to_utm.transform(*place)
    bounds = (x - 1500.0, y - 1500.0, x + 1500.0, y + 1500.0)
    image = tiles.warp_tiles(
        mosaic, zoom=zoom, origin=origin, bounds=bounds, shape=(300, 300), gcj02=gcj02
    )
    red = (image[..., 0] > 200) & (image[..., 1] < 150)
    assert red.any()
    rows, cols = np.nonzero(red)
    found_x = bounds[0] + (cols.mean() + 0.5) * 10.0
    found_y = bounds[3] - (rows.mean() + 0.5) * 10.0
    assert found_x - x == pytest.approx(expected_east, abs=20.0)
    assert abs(found_y - y) < 40.0


def test_amap_export_says_the_tiles_were_warped_not_the_vectors(catalog, tile_server, tmp_path):
    base = _served("amap", tile_server.template("ok"))
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    text = _pdf_text(pdf, tmp_path)
    assert "Basemap tiles: © Amap/AutoNavi" in text
    assert "warped to WGS-84 with the GCJ-02 formula" in text
    assert "vector layers shifted to match" not in text


def test_cli_basemap_without_its_key_still_writes_the_map(
    cli_catalog, tmp_path, monkeypatch, caplog
):
    monkeypatch.delenv(settings.TIANDITU_KEY_ENV, raising=False)
    out = tmp_path / "map.pdf"
    assert cli.main(["export", "--basemap", "tianditu", "--lang", "en", "-o", str(out)]) == 0
    assert "Tianditu) unavailable: needs a key" in _pdf_text(out.read_bytes(), tmp_path)
    assert "needs a key" in caplog.text


# --- views: an export holds what one map page draws ------------------------------------------


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
