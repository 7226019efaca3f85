"""Tests of circlemap.export.tiles: basemap tiles fetched from a local server, warped.

No test needs the internet: tiles come from a tile server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import math

import numpy as np
import pytest
from lxml import etree
from PIL import Image
from pyproj import Transformer

from circlemap import basemaps, crs, export, settings
from circlemap.export import tiles
from circlemap.filters import Selection
from tests.export.support import (
    SVG_NS,
    TODAY,
    closed_port,
    map_area,
    pdf_text,
    served,
    tile_share,
)


@pytest.mark.parametrize("host", ["tiles.invalid", "127.0.0.1:{closed}"])
def test_unreachable_tiles_give_the_vector_map_quickly_with_a_note(catalog, tmp_path, host):
    template = f"http://{host.format(closed=closed_port())}/{{z}}/{{x}}/{{y}}.png"
    base = served("osm", template)
    kwargs = {"lang": "en", "today": TODAY, "width_px": 1200}
    png = export.export(catalog, Selection(), fmt="png", basemap=base, **kwargs)
    plain = export.export(catalog, Selection(), fmt="png", **kwargs)
    assert np.array_equal(map_area(png), map_area(plain))  # the whole vector background
    text = pdf_text(
        export.export(catalog, Selection(), fmt="pdf", basemap=base, **kwargs), tmp_path
    )
    # The network error itself, not the deadline: the export did not wait for it
    # (a tile failing after the deadline reports the deadline).
    assert "Basemap tiles (OpenStreetMap) unavailable: cannot reach" in text
    assert "vector background used" in text
    assert "© OpenStreetMap" not in text  # no credit for tiles not drawn


def test_tile_note_is_in_the_chosen_language(catalog, tmp_path):
    base = served("osm", f"http://127.0.0.1:{closed_port()}/{{z}}/{{x}}/{{y}}.png")
    pdf = export.export(catalog, Selection(), lang="zh", fmt="pdf", basemap=base, today=TODAY)
    text = pdf_text(pdf, tmp_path)
    assert "底图瓦片（OpenStreetMap）无法获取：无法连接 127.0.0.1" in text
    assert "改用矢量底图" in text


def test_tianditu_without_a_key_falls_back_without_asking_the_network(
    catalog, tmp_path, monkeypatch
):
    def no_network(*args, **kwargs):
        pytest.fail("fetched tiles without a Tianditu key")

    monkeypatch.setattr(tiles, "fetch_tiles", no_network)
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap="tianditu")
    text = pdf_text(pdf, tmp_path)
    assert "Basemap tiles (Tianditu) unavailable: needs a key (TIANDITU_KEY)" in text


def test_the_tile_free_basemap_never_touches_tiles(catalog, monkeypatch):
    def no_tiles(*args, **kwargs):
        pytest.fail("the tile-free basemap fetched tiles")

    monkeypatch.setattr(tiles, "tile_background", no_tiles)
    data = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap="none")
    assert data.startswith(b"%PDF")


def test_a_stalled_tile_server_never_holds_the_export(catalog, tile_server, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TILE_TIMEOUT_S", 0.5)
    base = served("osm", tile_server.template("stall"))
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    assert tile_server.requests  # it did ask
    assert tile_server.stalls_ended == 0  # and came back while the server still held them
    text = pdf_text(pdf, tmp_path)
    assert "tiles arrived within 0.5 s; vector background used" in text


def test_tiles_from_the_server_show_under_the_vectors_with_the_credit(
    catalog, tile_server, tmp_path
):
    base = served("osm", tile_server.template("ok"))
    png = export.export(catalog, Selection(), lang="en", fmt="png", basemap=base, today=TODAY)
    assert Image.open(io.BytesIO(png)).width == export.DEFAULT_WIDTH_PX
    assert tile_share(map_area(png)) > 0.5
    plain = export.export(catalog, Selection(), lang="en", fmt="png", today=TODAY)
    assert tile_share(map_area(plain)) == 0.0
    paths = [path for path, _ in tile_server.requests]
    assert 0 < len(paths) <= settings.MAX_TILES
    assert len(set(paths)) == len(paths)
    assert all(agent.startswith("CircleMap/") for _, agent in tile_server.requests)

    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    text = pdf_text(pdf, tmp_path)
    assert "Basemap tiles: © OpenStreetMap contributors" in text
    assert "unavailable" not in text
    assert "Zibo" in text  # labels still drawn over the tiles
    assert "Other Shandong cities" in text  # and the legend


def test_svg_with_tiles_embeds_one_raster_and_keeps_text(catalog, tile_server):
    base = served("carto_light", tile_server.template("ok"))
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
    base = served("osm", tile_server.template(route))
    kwargs = {"lang": "en", "today": TODAY, "basemap": base}
    png = export.export(catalog, Selection(), fmt="png", width_px=1200, **kwargs)
    assert tile_share(map_area(png)) == 0.0  # not one good tile is drawn
    text = pdf_text(export.export(catalog, Selection(), fmt="pdf", **kwargs), tmp_path)
    host = f"127.0.0.1:{tile_server.server_port}"
    assert f"Basemap tiles (OpenStreetMap) unavailable: {reason.format(host=host)}" in text


def test_tile_count_is_capped_by_lowering_the_zoom(tile_server, monkeypatch):
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    minx, miny = to_utm.transform(116.8, 36.3)
    maxx, maxy = to_utm.transform(118.3, 37.2)
    bounds = (minx, miny, maxx, maxy)
    base = served("osm", tile_server.template("ok"))
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
    base = served("amap", tile_server.template("ok"))
    pdf = export.export(catalog, Selection(), lang="en", fmt="pdf", basemap=base, today=TODAY)
    text = pdf_text(pdf, tmp_path)
    assert "Basemap tiles: © Amap/AutoNavi" in text
    assert "warped to WGS-84 with the GCJ-02 formula" in text
    assert "vector layers shifted to match" not in text


@pytest.mark.parametrize("route", ["gaps", "junk"])
def test_the_tianditu_key_is_in_no_log_line_nor_footer(
    catalog, tile_server, tmp_path, caplog, route
):
    secret = "S3cretTiandituKey"
    base = dataclasses.replace(
        basemaps.BASEMAPS["tianditu"],
        tiles=(basemaps.TileSpec(tile_server.template(route) + "?tk={key}", "", 18),),
    )
    kwargs = {"lang": "en", "today": TODAY, "basemap": base, "tianditu_key": secret}
    with caplog.at_level(logging.DEBUG):
        pdf = export.export(catalog, Selection(), fmt="pdf", **kwargs)
    assert any("tk=" in path for path, _ in tile_server.requests)  # the key was sent ...
    assert "unavailable" in pdf_text(pdf, tmp_path)
    assert caplog.records  # ... the failure was logged ...
    assert secret not in caplog.text  # ... without it
    assert "tk=REDACTED" in caplog.text
    assert secret not in pdf_text(pdf, tmp_path)
