"""What the export tests share: a small catalog, PDF text, a local tile server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import LineString, Point, box

from circlemap import basemaps
from circlemap.catalog import Catalog
from tests.factories import WEIFANG, city, county, feature, make_catalog, measure

TODAY = dt.date(2026, 11, 22)
TITLE_ZH = "省会经济圈一体化地图"
SVG_NS = "{http://www.w3.org/2000/svg}"


def export_catalog() -> Catalog:
    """Jinan and Zibo, Weifang beside them, four counties, the river and five features."""
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
    return make_catalog(
        context=[city("370700", "潍坊", "Weifang", WEIFANG)],
        counties=[
            county("370102", "历下区", "Lixia", "济南", box(116.8, 36.3, 117.2, 37.0)),
            county("370114", "章丘区", "Zhangqiu", "济南", box(117.2, 36.3, 117.6, 37.0)),
            county("370303", "张店区", "Zhangdian", "淄博", box(117.6, 36.75, 118.3, 37.2)),
            county("370304", "博山区", "Boshan", "淄博", box(117.6, 36.3, 118.3, 36.75)),
        ],
        features=[
            feature(
                fid,
                kind,
                geom,
                name_zh=zh,
                name_en=en,
                status=status,
                cities=cities_,
                accuracy=acc,
                accuracy_note_zh="示意",
                accuracy_note_en="drawn by hand",
                source=f"00{i}_62d8a2b4d5d19bc4.txt",
            )
            for i, (fid, zh, en, kind, status, cities_, acc, geom) in enumerate(rows)
        ],
        measures=[
            measure(
                "m1",
                category="transport",
                title_zh="谋划淄博至济南遥墙机场轨道交通",
                title_en="Plan the Zibo–Yaoqiang Airport rail link",
                scope="jinan_zibo_agreement",
                cities=("淄博", "济南"),
                source="000_62d8a2b4d5d19bc4.txt",
                quote="谋划淄博至济南遥墙机场轨道交通",
                features=("rail-zibo-airport",),
            ),
            measure(
                "m2",
                category="health",
                title_zh="建设区域医疗中心",
                title_en="Build a medical centre",
                cities=("济南",),
                status="building",
                source="001_62d8a2b4d5d19bc4.txt",
                quote="建设省级区域医疗中心",
            ),
        ],
    )


def pdf_tool(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not found: install Debian's poppler-utils")
    return path


def pdf_text(data: bytes, tmp_path) -> str:
    """``pdftotext -raw`` (content-stream order: overlapping labels stay whole)."""
    path = tmp_path / "extract.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [pdf_tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


TILE_COLOUR = (255, 0, 255)  # magenta: in no style of the map


def png_tile(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class TileServer(ThreadingHTTPServer):
    """Tiles for any ``/<route>/z/x/y.png``: ``ok`` magenta, ``labels`` clear with a green
    square, ``gaps`` 404 on odd columns, ``junk`` not an image, ``stall`` no answer until
    the tests end."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), TileHandler)
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.tile = png_tile(TILE_COLOUR)
        labels = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
        labels.paste((0, 200, 0, 255), (96, 96, 160, 160))
        buffer = io.BytesIO()
        labels.save(buffer, format="PNG")
        self.labels = buffer.getvalue()

    def template(self, route: str) -> str:
        return f"http://127.0.0.1:{self.server_port}/{route}/{{z}}/{{x}}/{{y}}.png"


class TileHandler(BaseHTTPRequestHandler):
    server: TileServer

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


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def served(key: str, template: str) -> basemaps.Basemap:
    """The basemap ``key`` (labels, attribution, CRS) with its tiles from ``template``."""
    return dataclasses.replace(basemaps.BASEMAPS[key], tiles=(basemaps.TileSpec(template, "", 18),))


def map_area(png: bytes) -> np.ndarray:
    """RGB pixels inside the map frame (axes at 3-67.5 % across, 11.5-88 % up)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width = pixels.shape[:2]
    return pixels[int(0.13 * height) : int(0.87 * height), int(0.04 * width) : int(0.66 * width)]


def tile_share(pixels: np.ndarray) -> float:
    """Share of pixels showing the magenta tiles (alone or under a translucent fill)."""
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return float(((r > 150) & (g < 110) & (b > 150)).mean())
