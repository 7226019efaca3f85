"""Basemaps: the optional tile layers under the vector map.

The default, ``none``, draws no tiles at all: the map is complete from its own
vector layers and works with no internet. The others are online tile
services offered as an option; each carries its zh/en label and the
attribution its provider asks for.

Amap (Gaode) tiles are drawn in GCJ-02, so when ``amap`` is active every
vector layer is shifted with :func:`circlemap.crs.to_gcj02` to line up with
them (:attr:`Basemap.crs`). Tianditu and CARTO need a key (since late August
2026 CARTO's raster tiles without one carry an "API KEY REQUIRED" watermark)
and are offered only when one is set, in the environment or in Streamlit's
secrets (:func:`available_basemaps`, :data:`KEY_ENVS`). Esri's light grey
canvas is the key-free light basemap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import quote

from circlemap.errors import BasemapError

DEFAULT_BASEMAP: Final = "none"


@dataclass(frozen=True, slots=True)
class TileSpec:
    """One Leaflet tile layer.

    Attributes
    ----------
    url : str
        Leaflet URL template (``{z}/{x}/{y}``, ``{s}`` subdomain); ``{key}``
        is replaced by the provider key, if any.
    subdomains : str
        Characters Leaflet substitutes for ``{s}``.
    max_zoom : int
        Highest zoom level the service provides.
    """

    url: str
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True, slots=True)
class Basemap:
    """A choice of background for the map.

    Attributes
    ----------
    key : str
        Identifier used in query params and settings (``"osm"``).
    zh, en : str
        Label in the basemap selector.
    tiles : tuple of TileSpec
        Tile layers, bottom first; empty for the tile-free map.
    attribution_zh, attribution_en : str
        Plain-text attribution shown in the map corner (escaped when drawn).
    crs : {"wgs84", "gcj02"}
        Frame the tiles are drawn in; ``gcj02`` shifts every vector layer.
    needs_key : bool
        True when the provider requires a key (Tianditu, CARTO).
    key_env : str
        Environment variable (or Streamlit secret) holding that key.
    """

    key: str
    zh: str
    en: str
    tiles: tuple[TileSpec, ...] = ()
    attribution_zh: str = ""
    attribution_en: str = ""
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    needs_key: bool = False
    key_env: str = ""

    def label(self, lang: str) -> str:
        """Selector label in ``lang``."""
        return self.en if lang == "en" else self.zh

    def attribution(self, lang: str) -> str:
        """Attribution text in ``lang`` (plain text)."""
        return self.attribution_en if lang == "en" else self.attribution_zh

    @property
    def is_gcj02(self) -> bool:
        """True when vector layers must be shifted to GCJ-02 to match the tiles."""
        return self.crs == "gcj02"


_TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/@layer@_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=@layer@&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)

BASEMAPS: Final[dict[str, Basemap]] = {
    "none": Basemap(
        key="none",
        zh="无底图（离线）",
        en="No tiles (offline)",
    ),
    "osm": Basemap(
        key="osm",
        zh="OpenStreetMap",
        en="OpenStreetMap",
        tiles=(TileSpec("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "", 19),),
        attribution_zh="© OpenStreetMap 贡献者",
        attribution_en="© OpenStreetMap contributors",
    ),
    "esri_light_gray": Basemap(
        key="esri_light_gray",
        zh="Esri 浅灰（无需密钥）",
        en="Esri light grey (no key)",
        tiles=(
            TileSpec(
                "https://server.arcgisonline.com/ArcGIS/rest/services/Canvas/World_Light_Gray_Base"
                "/MapServer/tile/{z}/{y}/{x}",
                "",
                16,
            ),
        ),
        attribution_zh="底图 © Esri、HERE、Garmin、© OpenStreetMap 贡献者及 GIS 用户社区",
        attribution_en="Tiles © Esri, HERE, Garmin, © OpenStreetMap contributors and the GIS "
        "user community",
    ),
    "carto_light": Basemap(
        key="carto_light",
        zh="CARTO 浅色",
        en="CARTO Light",
        tiles=(
            TileSpec(
                "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png?api_key={key}",
                "abcd",
                20,
            ),
        ),
        attribution_zh="© OpenStreetMap 贡献者 © CARTO",
        attribution_en="© OpenStreetMap contributors © CARTO",
        needs_key=True,
        key_env="CARTO_API_KEY",
    ),
    "esri_imagery": Basemap(
        key="esri_imagery",
        zh="Esri 影像",
        en="Esri imagery",
        tiles=(
            TileSpec(
                "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer"
                "/tile/{z}/{y}/{x}",
                "",
                18,
            ),
        ),
        attribution_zh="影像 © Esri、Maxar、Earthstar Geographics 及 GIS 用户社区",
        attribution_en="Imagery © Esri, Maxar, Earthstar Geographics and the GIS User Community",
    ),
    "amap": Basemap(
        key="amap",
        zh="高德地图",
        en="Amap (Gaode)",
        tiles=(
            TileSpec(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                "&x={x}&y={y}&z={z}",
                "1234",
                18,
            ),
        ),
        attribution_zh="© 高德地图（GCJ-02 坐标，矢量图层已相应偏移）",
        attribution_en="© Amap/AutoNavi (GCJ-02; vector layers shifted to match)",
        crs="gcj02",
    ),
    "tianditu": Basemap(
        key="tianditu",
        zh="天地图",
        en="Tianditu",
        tiles=(
            TileSpec(_TIANDITU_URL.replace("@layer@", "vec"), "01234567", 18),
            TileSpec(_TIANDITU_URL.replace("@layer@", "cva"), "01234567", 18),
        ),
        attribution_zh="© 国家地理信息公共服务平台 天地图",
        attribution_en="© Tianditu, National Platform for Common GeoSpatial Information Services",
        needs_key=True,
        key_env="TIANDITU_KEY",
    ),
}
"""Every basemap the app knows, ``none`` first (the offline default)."""


KEY_ENVS: Final[dict[str, str]] = {b.key: b.key_env for b in BASEMAPS.values() if b.needs_key}
"""Basemap -> the environment variable (or Streamlit secret) holding its key."""


def available_basemaps(
    tianditu_key: str | None = None, *, keys: Mapping[str, str | None] | None = None
) -> list[str]:
    """Keys of the basemaps the user can pick, ``none`` first.

    Parameters
    ----------
    tianditu_key : str or None
        Tianditu browser key; without one (``None`` or blank) ``tianditu`` is
        left out.
    keys : mapping of basemap key to key, optional, keyword-only
        Keys of the other providers that need one (``{"carto_light": ...}``);
        a provider without a key is left out.
    """
    given = {**(keys or {}), "tianditu": tianditu_key or (keys or {}).get("tianditu")}
    return [k for k, b in BASEMAPS.items() if not b.needs_key or bool((given.get(k) or "").strip())]


def key_from_env(basemap: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The key of ``basemap`` from the environment (``None`` when it needs none or it is unset)."""
    env = KEY_ENVS.get(basemap)
    value = (environ if environ is not None else os.environ).get(env) if env else None
    return value or None


def get_basemap(key: str) -> Basemap:
    """The :class:`Basemap` named ``key``.

    Raises
    ------
    BasemapError
        For an unknown key.
    """
    try:
        return BASEMAPS[key]
    except KeyError:
        msg = f"unknown basemap {key!r} (expected one of {', '.join(BASEMAPS)})"
        raise BasemapError(msg) from None


def tile_urls(basemap: Basemap, *, key: str | None = None) -> list[str]:
    """Tile URL templates of ``basemap`` with the provider key filled in.

    Raises
    ------
    BasemapError
        When the basemap needs a key and none is given.
    """
    if basemap.needs_key and not (key and key.strip()):
        msg = f"basemap {basemap.key!r} needs a key (set the {basemap.key_env} secret)"
        raise BasemapError(msg)
    token = quote((key or "").strip(), safe="")
    return [spec.url.replace("{key}", token) for spec in basemap.tiles]


PRINT_ATTRIBUTIONS: Final[dict[str, tuple[str, str]]] = {
    "amap": ("© 高德地图", "© Amap/AutoNavi"),
}
"""(zh, en) attributions for print exports where they differ from the web map's.

The web map shifts its vector layers onto Amap's GCJ-02 tiles, and its
attribution says so; a print export warps the tiles to WGS-84 instead
(:mod:`circlemap.export`), so its attribution only credits the provider."""


def print_attribution(basemap: Basemap, lang: str) -> str:
    """Attribution of ``basemap`` for a print export, in ``lang`` (plain text)."""
    pair = PRINT_ATTRIBUTIONS.get(basemap.key)
    if pair is None:
        return basemap.attribution(lang)
    return pair[1] if lang == "en" else pair[0]
