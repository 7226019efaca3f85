"""Basemap tiles for the print maps: fetch, mosaic, warp into the map's frame.

A small HTTP client (a few daemon threads and a queue, all tiles within
:data:`circlemap.settings.TILE_TIMEOUT_S` seconds, all or nothing) and the
resampling of Web Mercator tiles into :data:`MAP_CRS` (UTM 50N, metres).
Timeouts and limits live in :mod:`circlemap.settings`, read at call time.
"""

from __future__ import annotations

import http.client
import io
import math
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import numpy as np
from pyproj import Transformer

from circlemap import basemaps, crs, settings
from circlemap.errors import BasemapError, ExportError, TileError

MAP_CRS: Final = settings.METRIC_CRS
"""CRS the print maps are drawn in (UTM 50N, metres)."""


TILE_SIZE: Final = 256
"""Edge of a web map tile (pixels)."""


_WEB_MERCATOR_HALF: Final = math.pi * 6378137.0
"""Half the width of the EPSG:3857 world (metres)."""


_GRID_STEP: Final = 8
"""Tile coordinates are computed every this many raster pixels and interpolated
between (the UTM -> Web Mercator map is smooth: far below a pixel of error)."""


_CHUNK_ROWS: Final = 256
"""Raster rows resampled at a time (bounds the memory of a warp)."""


@dataclass(frozen=True, slots=True, eq=False)
class TileBackground:
    """Basemap tiles warped onto a print map's frame.

    Attributes
    ----------
    image : numpy.ndarray
        ``(rows, cols, 4)`` RGBA, ``uint8``; row 0 is the top (north) edge.
    bounds : tuple of float
        ``(minx, miny, maxx, maxy)`` the image covers, :data:`MAP_CRS` metres.
    zoom : int
        Zoom level of the tiles.
    tile_count : int
        Tiles fetched, over every tile layer of the basemap.
    """

    image: np.ndarray
    bounds: tuple[float, float, float, float]
    zoom: int
    tile_count: int


def map_to_world_pixels(x: Any, y: Any, *, gcj02: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Where map points fall on web map tiles, in world pixels at zoom 0.

    Parameters
    ----------
    x, y : array_like
        Points in :data:`MAP_CRS` (UTM 50N, metres; WGS-84 datum).
    gcj02 : bool
        True for tiles drawn in GCJ-02 (Amap): the points are moved with the
        GCJ-02 forward formula (:func:`circlemap.crs.wgs84_to_gcj02`), so a
        true WGS-84 place samples the tile pixel that shows it. Warping the
        tiles this way leaves the vector layers where they are.

    Returns
    -------
    (px, py) : tuple of numpy.ndarray
        Web Mercator (EPSG:3857) pixel coordinates in a world 256 pixels
        wide: ``px`` east from 180°W, ``py`` south from 85.05°N. Multiply by
        ``2 ** zoom`` for the pixels at ``zoom``; ``// 256`` is the tile.
    """
    to_lonlat = Transformer.from_crs(MAP_CRS, settings.STORAGE_CRS, always_xy=True)
    to_mercator = Transformer.from_crs(settings.STORAGE_CRS, "EPSG:3857", always_xy=True)
    lon, lat = to_lonlat.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    if gcj02:
        lon, lat = crs.wgs84_to_gcj02(lon, lat)
    mx, my = to_mercator.transform(lon, lat)
    scale = TILE_SIZE / (2 * _WEB_MERCATOR_HALF)
    return (
        (np.asarray(mx) + _WEB_MERCATOR_HALF) * scale,
        (_WEB_MERCATOR_HALF - np.asarray(my)) * scale,
    )


def _frame_grid(
    bounds: tuple[float, float, float, float], shape: tuple[int, int], *, gcj02: bool
) -> tuple[np.ndarray, np.ndarray]:
    """World pixels (zoom 0) of every :data:`_GRID_STEP`-th raster pixel centre.

    The nodes are evenly spread from the first to the last pixel centre of
    each axis (at least two per axis); returns two ``(node_rows, node_cols)``
    arrays.
    """
    rows, cols = shape
    minx, miny, maxx, maxy = bounds
    node_cols = max(2, math.ceil((cols - 1) / _GRID_STEP) + 1)
    node_rows = max(2, math.ceil((rows - 1) / _GRID_STEP) + 1)
    xs = minx + (np.linspace(0, cols - 1, node_cols) + 0.5) * (maxx - minx) / cols
    ys = maxy - (np.linspace(0, rows - 1, node_rows) + 0.5) * (maxy - miny) / rows
    grid_x, grid_y = np.meshgrid(xs, ys)
    return map_to_world_pixels(grid_x, grid_y, gcj02=gcj02)


def _bilinear(grid: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Sample ``grid`` (H, W, C), H and W >= 2, at fractional column ``u`` and row ``v``.

    Positions are clamped to the grid; the result is float (float64 for a
    float64 grid, float32 otherwise) with shape ``u.shape + (C,)``.
    """
    height, width = grid.shape[:2]
    dtype = np.float64 if grid.dtype == np.float64 else np.float32
    u = np.clip(u, 0, width - 1)
    v = np.clip(v, 0, height - 1)
    u0 = np.minimum(np.floor(u).astype(np.intp), width - 2)
    v0 = np.minimum(np.floor(v).astype(np.intp), height - 2)
    fu = (u - u0).astype(dtype)[..., None]
    fv = (v - v0).astype(dtype)[..., None]
    top = grid[v0, u0] * (1 - fu) + grid[v0, u0 + 1] * fu
    bottom = grid[v0 + 1, u0] * (1 - fu) + grid[v0 + 1, u0 + 1] * fu
    return np.asarray(top * (1 - fv) + bottom * fv, dtype=dtype)


def _tile_range(px: np.ndarray, py: np.ndarray, zoom: int) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of the tiles under the pixels.

    One tile pixel of margin covers the bilinear neighbours of the edge pixels.
    """
    scale = 2.0**zoom
    last: int = 2**zoom - 1

    def index(value: float) -> int:
        return min(max(math.floor(value / TILE_SIZE), 0), last)

    return (
        index(float(px.min()) * scale - 1),
        index(float(py.min()) * scale - 1),
        index(float(px.max()) * scale + 1),
        index(float(py.max()) * scale + 1),
    )


def _tile_zoom(px: np.ndarray, py: np.ndarray, cols: int, *, max_zoom: int, max_tiles: int) -> int:
    """Zoom whose tile pixels are closest to the raster's, within ``max_tiles`` tiles.

    ``px``, ``py`` are world pixels (zoom 0) of a grid spanning ``cols``
    raster pixels from west to east.
    """
    per_pixel = (float(px.max()) - float(px.min())) / max(cols - 1, 1)
    zoom = min(max(round(-math.log2(per_pixel)), 0), max_zoom)
    while zoom > 0:
        tx0, ty0, tx1, ty1 = _tile_range(px, py, zoom)
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= max_tiles:
            break
        zoom -= 1
    return zoom


def warp_tiles(
    mosaic: np.ndarray,
    *,
    zoom: int,
    origin: tuple[int, int],
    bounds: tuple[float, float, float, float],
    shape: tuple[int, int],
    gcj02: bool = False,
) -> np.ndarray:
    """Resample a mosaic of Web Mercator tiles onto a print map's frame (bilinear).

    Parameters
    ----------
    mosaic : numpy.ndarray
        ``(H, W, 4)`` RGBA ``uint8``: tiles side by side, the top-left pixel
        being the top-left corner of tile ``origin``.
    zoom : int
        Zoom level of the tiles.
    origin : (int, int)
        Column and row (``x``, ``y``) of the mosaic's top-left tile.
    bounds : tuple of float
        Frame ``(minx, miny, maxx, maxy)`` in :data:`MAP_CRS` metres.
    shape : (int, int)
        ``(rows, cols)`` of the result.
    gcj02 : bool
        The tiles are drawn in GCJ-02 (see :func:`map_to_world_pixels`).

    Returns
    -------
    numpy.ndarray
        ``(rows, cols, 4)`` RGBA ``uint8``, row 0 north; pixels the mosaic
        does not cover are transparent.
    """
    rows, cols = shape
    grid = np.stack(_frame_grid(bounds, shape, gcj02=gcj02), axis=-1)
    scale = 2.0**zoom
    height, width = mosaic.shape[:2]
    node_rows, node_cols = grid.shape[:2]
    u_nodes = np.arange(cols) * ((node_cols - 1) / max(cols - 1, 1))
    out = np.zeros((rows, cols, 4), dtype=np.uint8)
    for start in range(0, rows, _CHUNK_ROWS):
        v_nodes = np.arange(start, min(rows, start + _CHUNK_ROWS)) * (
            (node_rows - 1) / max(rows - 1, 1)
        )
        uu, vv = np.meshgrid(u_nodes, v_nodes)
        world = _bilinear(grid, uu, vv)
        # mosaic pixel (i, j) is centred at (i + 0.5, j + 0.5) from its corner
        u = world[..., 0] * scale - origin[0] * TILE_SIZE - 0.5
        v = world[..., 1] * scale - origin[1] * TILE_SIZE - 0.5
        inside = (u >= -0.5) & (u <= width - 0.5) & (v >= -0.5) & (v <= height - 0.5)
        pixels = np.clip(np.rint(_bilinear(mosaic, u, v)), 0, 255).astype(np.uint8)
        pixels[~inside] = 0
        out[start : start + len(v_nodes)] = pixels
    return out


def _tile_url(template: str, subdomains: str, zoom: int, x: int, y: int) -> str:
    """A tile's URL from a Leaflet template (``{s}`` spread over the subdomains)."""
    choices = subdomains or "abc"  # Leaflet's default, as the web map
    return (
        template.replace("{s}", choices[(x + y) % len(choices)])
        .replace("{z}", str(zoom))
        .replace("{x}", str(x))
        .replace("{y}", str(y))
    )


def _fetch_tile(url: str, deadline: float) -> np.ndarray:
    """Download and decode one tile to ``(256, 256, 4)`` RGBA; :class:`TileError` if not."""
    from PIL import Image

    host = urlsplit(url).netloc or url
    remaining = max(deadline - time.monotonic(), 0.01)
    request = urllib.request.Request(url, headers={"User-Agent": settings.TILE_USER_AGENT})  # noqa: S310
    try:
        # The scheme is checked (http or https) by tile_background.
        with urllib.request.urlopen(request, timeout=remaining) as response:  # noqa: S310
            data = response.read(settings.MAX_TILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        msg = f"{host} answered HTTP {exc.code} for {url}"
        raise TileError("http", msg, host=host, status=exc.code) from exc
    except (OSError, http.client.HTTPException) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        msg = f"cannot reach {host}: {reason}"
        raise TileError("network", msg, host=host) from exc
    if len(data) > settings.MAX_TILE_BYTES:
        msg = f"{host} sent more than {settings.MAX_TILE_BYTES} bytes for one tile ({url})"
        raise TileError("invalid", msg, host=host)
    try:
        with Image.open(io.BytesIO(data)) as image:
            rgba = np.asarray(image.convert("RGBA"))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        msg = f"unreadable tile from {host} ({url}): {exc}"
        raise TileError("invalid", msg, host=host) from exc
    if rgba.shape != (TILE_SIZE, TILE_SIZE, 4):
        msg = f"tile of {rgba.shape[1]}x{rgba.shape[0]} px from {host}, expected 256x256"
        raise TileError("invalid", msg, host=host)
    return rgba


def fetch_tiles(urls: Sequence[str], *, timeout: float) -> list[np.ndarray]:
    """Download and decode tiles, several at once, all within ``timeout`` seconds.

    All or nothing: the first tile that fails (or the deadline) raises, and
    the tiles still in flight are abandoned. The workers are daemon threads
    whose sockets time out by the deadline, so a stalled server or resolver
    never holds an export (or the process's exit) back.

    Returns
    -------
    list of numpy.ndarray
        ``(256, 256, 4)`` RGBA ``uint8`` per URL, in order.

    Raises
    ------
    TileError
        A tile could not be fetched or read, or not every tile arrived in time.
    """
    deadline = time.monotonic() + timeout
    jobs: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
    for job in enumerate(urls):
        jobs.put(job)
    outcomes: queue.SimpleQueue[tuple[int, np.ndarray | Exception]] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                index, url = jobs.get_nowait()
            except queue.Empty:
                return
            outcome: np.ndarray | Exception
            try:
                outcome = _fetch_tile(url, deadline)
            except Exception as exc:  # handed to the caller's thread, raised there
                if time.monotonic() >= deadline:
                    # A socket that timed out at the deadline: the caller reports
                    # the deadline ("timeout"), not this tile's network error.
                    return
                outcome = exc
            outcomes.put((index, outcome))

    for number in range(min(settings.TILE_WORKERS, len(urls))):
        threading.Thread(target=work, name=f"circlemap-tile-{number}", daemon=True).start()
    tiles: dict[int, np.ndarray] = {}
    try:
        while len(tiles) < len(urls):
            try:
                index, outcome = outcomes.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                msg = f"not all {len(urls)} tiles arrived within {timeout:g} s"
                raise TileError("timeout", msg, seconds=timeout, count=len(urls)) from None
            if isinstance(outcome, Exception):
                raise outcome
            tiles[index] = outcome
    finally:
        stop.set()
    return [tiles[index] for index in range(len(urls))]


def _mosaic(tiles: Sequence[np.ndarray], columns: int) -> np.ndarray:
    """Tiles in row-major order side by side."""
    rows = [np.concatenate(tiles[i : i + columns], axis=1) for i in range(0, len(tiles), columns)]
    return np.concatenate(rows, axis=0)


def _over(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``upper`` composited over ``lower`` (RGBA ``uint8``, straight alpha)."""
    low = lower.astype(np.float32) / 255
    up = upper.astype(np.float32) / 255
    alpha = up[..., 3:] + low[..., 3:] * (1 - up[..., 3:])
    rgb = up[..., :3] * up[..., 3:] + low[..., :3] * low[..., 3:] * (1 - up[..., 3:])
    rgb = rgb / np.maximum(alpha, 1e-6)
    out: np.ndarray = np.clip(np.rint(np.concatenate([rgb, alpha], axis=-1) * 255), 0, 255)
    return out.astype(np.uint8)


def tile_background(
    basemap: basemaps.Basemap,
    bounds: tuple[float, float, float, float],
    *,
    shape: tuple[int, int],
    tianditu_key: str | None = None,
) -> TileBackground:
    """Fetch the tiles of ``basemap`` that cover ``bounds``, mosaic and warp them.

    The zoom is the one whose tile pixels are closest to the raster's, lowered
    until each tile layer needs at most :data:`settings.MAX_TILES` tiles; layers
    (Tianditu's map and labels) are composited bottom first.

    Parameters
    ----------
    basemap : Basemap
        A basemap with tiles (Web Mercator; ``crs="gcj02"`` for Amap).
    bounds : tuple of float
        Frame ``(minx, miny, maxx, maxy)`` in :data:`MAP_CRS` metres.
    shape : (int, int)
        ``(rows, cols)`` of the raster to draw, both >= 2.
    tianditu_key : str, optional
        Key of a basemap that needs one.

    Raises
    ------
    TileError
        A needed key is missing, or a tile cannot be fetched or read within
        :data:`settings.TILE_TIMEOUT_S` seconds in all.
    ExportError
        The basemap has no tiles, or a template that is not http(s).
    """
    if not basemap.tiles:
        msg = f"basemap {basemap.key!r} has no tiles"
        raise ExportError(msg)
    try:
        templates = basemaps.tile_urls(basemap, key=tianditu_key)
    except BasemapError as exc:
        raise TileError("key", str(exc), env=basemap.key_env or settings.TIANDITU_KEY_ENV) from exc
    for template in templates:
        if urlsplit(template).scheme not in ("http", "https"):
            msg = f"basemap {basemap.key!r}: tile URL {template!r} is not http(s)"
            raise ExportError(msg)
    px, py = _frame_grid(bounds, shape, gcj02=basemap.is_gcj02)
    max_zoom = min(spec.max_zoom for spec in basemap.tiles)
    zoom = _tile_zoom(px, py, shape[1], max_zoom=max_zoom, max_tiles=settings.MAX_TILES)
    tx0, ty0, tx1, ty1 = _tile_range(px, py, zoom)
    cells = [(x, y) for y in range(ty0, ty1 + 1) for x in range(tx0, tx1 + 1)]
    urls = [
        _tile_url(template, spec.subdomains, zoom, x, y)
        for template, spec in zip(templates, basemap.tiles, strict=True)
        for x, y in cells
    ]
    tiles = fetch_tiles(urls, timeout=settings.TILE_TIMEOUT_S)
    columns = tx1 - tx0 + 1
    mosaic = _mosaic(tiles[: len(cells)], columns)
    for layer in range(1, len(templates)):
        upper = _mosaic(tiles[layer * len(cells) : (layer + 1) * len(cells)], columns)
        mosaic = _over(mosaic, upper)
    image = warp_tiles(
        mosaic, zoom=zoom, origin=(tx0, ty0), bounds=bounds, shape=shape, gcj02=basemap.is_gcj02
    )
    return TileBackground(image=image, bounds=bounds, zoom=zoom, tile_count=len(urls))
