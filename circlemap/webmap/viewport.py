"""Centre and zoom that fit some geometries (Web Mercator zoom levels; pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from circlemap import settings

MIN_ZOOM: Final = 6


ZOOM_STEP: Final = 0.5
"""Zoom snaps to half steps: a whole step doubles the scale, too coarse to fit a view."""


def fit_view(
    geoms: gpd.GeoSeries | Sequence[BaseGeometry],
    *,
    viewport: tuple[int, int] = (900, 620),
    max_zoom: int = 12,
    padding: float = 0.08,
) -> tuple[tuple[float, float], float]:
    """Centre and zoom that fit some geometries.

    Parameters
    ----------
    geoms : GeoSeries or sequence of shapely geometries
        WGS-84 longitude/latitude degrees (EPSG:4326).
    viewport : (int, int), keyword-only
        Map size in CSS pixels (width, height) the view should fit.
    max_zoom : int, keyword-only
        Cap for a single point or a tiny extent.
    padding : float, keyword-only
        Fraction of the viewport kept free around the geometries.

    Returns
    -------
    ((float, float), float)
        Centre as ``(lat, lon)`` in degrees, as Leaflet expects, and a
        Web-Mercator zoom level in steps of :data:`ZOOM_STEP`. Without geometries: the default view
        (:data:`settings.DEFAULT_CENTER`, :data:`settings.DEFAULT_ZOOM`).
    """
    series = geoms if isinstance(geoms, gpd.GeoSeries) else gpd.GeoSeries(list(geoms))
    series = series[series.notna() & ~series.is_empty] if len(series) else series
    if len(series) == 0:
        return settings.DEFAULT_CENTER, settings.DEFAULT_ZOOM
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in series.total_bounds)
    center = ((min_lat + max_lat) / 2.0, (min_lon + max_lon) / 2.0)
    width, height = viewport
    usable_w = max(width * (1.0 - 2.0 * padding), 1.0)
    usable_h = max(height * (1.0 - 2.0 * padding), 1.0)
    # Web Mercator: the world is 256 * 2**zoom pixels wide.
    dx = (max_lon - min_lon) / 360.0
    dy = (_mercator_y(max_lat) - _mercator_y(min_lat)) / (2.0 * math.pi)
    zooms: list[float] = [max_zoom]
    if dx > 0:
        zooms.append(math.log2(usable_w / (256.0 * dx)))
    if dy > 0:
        zooms.append(math.log2(usable_h / (256.0 * dy)))
    snapped = math.floor(min(zooms) / ZOOM_STEP) * ZOOM_STEP
    zoom = max(float(MIN_ZOOM), min(float(max_zoom), snapped))
    return (
        round(center[0], settings.COORD_PRECISION),
        round(center[1], settings.COORD_PRECISION),
    ), zoom


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    rad = math.radians(lat)
    return math.log(math.tan(math.pi / 4.0 + rad / 2.0))
