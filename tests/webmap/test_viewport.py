"""Tests of circlemap.webmap.viewport: centre and zoom that fit."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from circlemap import settings, webmap


def test_fit_view_without_geometries_is_the_default_view():
    assert webmap.fit_view(gpd.GeoSeries([], crs=settings.STORAGE_CRS)) == (
        settings.DEFAULT_CENTER,
        settings.DEFAULT_ZOOM,
    )


def test_fit_view_of_a_point_centres_on_it_at_the_cap():
    (lat, lon), zoom = webmap.fit_view([Point(117.8, 36.8)], max_zoom=12)
    assert (lat, lon) == (36.8, 117.8)
    assert zoom == 12


def test_fit_view_of_the_circle_shows_it_whole():
    min_lon, min_lat, max_lon, max_lat = settings.CIRCLE_BOUNDS
    (lat, lon), zoom = webmap.fit_view(gpd.GeoSeries([box(*settings.CIRCLE_BOUNDS)]))
    assert lat == pytest.approx((min_lat + max_lat) / 2)
    assert lon == pytest.approx((min_lon + max_lon) / 2)
    assert zoom in (7.0, 7.5, 8.0)
    assert zoom % webmap.ZOOM_STEP == 0


def _pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web-Mercator pixel coordinates (256 px tiles) of a point at ``zoom``."""
    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def test_default_view_shows_all_seven_cities_on_a_laptop_map():
    # the map column at a 1400 px wide window: 570 x 600 CSS px (circlemap.ui)
    cities = gpd.read_file(settings.GEODATA_DIR / "cities.geojson")
    min_lon, min_lat, max_lon, max_lat = cities.total_bounds
    zoom = settings.DEFAULT_ZOOM
    cx, cy = _pixel(*settings.DEFAULT_CENTER, zoom)
    left, top = _pixel(max_lat, min_lon, zoom)
    right, bottom = _pixel(min_lat, max_lon, zoom)
    assert cx - 570 / 2 <= left
    assert right <= cx + 570 / 2
    assert cy - 600 / 2 <= top
    assert bottom <= cy + 600 / 2
    # and no smaller than it must be: a half step closer would cut a city off
    closer = 2**webmap.ZOOM_STEP
    assert (right - left) * closer > 570 or (bottom - top) * closer > 600


def test_fit_view_zooms_in_on_a_short_line():
    (_, zoom_long) = webmap.fit_view([LineString([(116.0, 36.0), (119.0, 37.5)])])
    (_, zoom_short) = webmap.fit_view([LineString([(117.0, 36.6), (117.2, 36.7)])])
    assert zoom_short > zoom_long
    assert zoom_long >= webmap.MIN_ZOOM


def test_fit_view_skips_missing_geometries():
    (lat, lon), _ = webmap.fit_view(gpd.GeoSeries([None, Point(118.0, 37.0)]))
    assert (lat, lon) == (37.0, 118.0)
