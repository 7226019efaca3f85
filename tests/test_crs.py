"""Tests of circlemap.crs: WGS-84 <-> GCJ-02, and ground metres and true north on a map."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, Polygon

from circlemap import crs, settings

WGS84_GEOD = Geod(ellps="WGS84")


def test_forward_matches_published_reference_vector() -> None:
    # wandergis/coordtransform README: wgs84togcj02(116.404, 39.915)
    lon, lat = crs.wgs84_to_gcj02(116.404, 39.915)
    assert float(lon) == pytest.approx(116.41024449916938, abs=1e-9)
    assert float(lat) == pytest.approx(39.91640428150164, abs=1e-9)


def test_forward_tiananmen_shift_is_a_few_hundred_metres() -> None:
    lon, lat = crs.wgs84_to_gcj02(116.397128, 39.916527)
    assert float(lon) == pytest.approx(116.403372, abs=1e-6)
    assert float(lat) == pytest.approx(39.917931, abs=1e-6)
    _, _, dist = WGS84_GEOD.inv(116.397128, 39.916527, float(lon), float(lat))
    assert 400 < dist < 700


def test_inverse_of_reference_vector() -> None:
    lon, lat = crs.gcj02_to_wgs84(116.41024449916938, 39.91640428150164)
    assert float(lon) == pytest.approx(116.404, abs=1e-9)
    assert float(lat) == pytest.approx(39.915, abs=1e-9)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(139.6917, 35.6895), (-0.1276, 51.5072), (151.2093, -33.8688), (70.0, 30.0)],
)
def test_points_outside_china_are_unchanged(lon: float, lat: float) -> None:
    assert crs.wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert crs.gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_round_trip_error_below_one_centimetre_across_shandong() -> None:
    min_lon, min_lat, max_lon, max_lat = settings.REGION_BOUNDS
    lon, lat = np.meshgrid(np.linspace(min_lon, max_lon, 41), np.linspace(min_lat, max_lat, 31))
    back_lon, back_lat = crs.gcj02_to_wgs84(*crs.wgs84_to_gcj02(lon, lat))
    assert back_lon.shape == lon.shape
    _, _, dist_m = WGS84_GEOD.inv(lon.ravel(), lat.ravel(), back_lon.ravel(), back_lat.ravel())
    assert np.max(dist_m) < 0.01


def test_inverse_is_vectorised_and_keeps_shape() -> None:
    lon = np.array([[117.0, 118.0], [116.5, 119.0]])
    lat = np.array([[36.6, 36.8], [37.0, 37.5]])
    out_lon, out_lat = crs.gcj02_to_wgs84(lon, lat)
    assert out_lon.shape == (2, 2)
    assert out_lat.shape == (2, 2)
    assert np.all(out_lon < lon)  # in Shandong GCJ-02 lies east of WGS-84


def test_empty_arrays_are_accepted() -> None:
    lon, lat = crs.gcj02_to_wgs84(np.array([]), np.array([]))
    assert lon.size == 0
    assert lat.size == 0


def test_is_outside_china() -> None:
    mask = crs.is_outside_china([117.0, 139.7, 10.0], [36.6, 35.7, 50.0])
    assert mask.tolist() == [False, True, True]


def test_to_gcj02_moves_every_vertex_of_a_geometry() -> None:
    line = LineString([(117.0, 36.6), (117.1, 36.7)])
    moved = crs.to_gcj02(line)
    expected_lon, expected_lat = crs.wgs84_to_gcj02([117.0, 117.1], [36.6, 36.7])
    assert isinstance(moved, LineString)
    np.testing.assert_allclose(
        np.asarray(moved.coords), np.column_stack([expected_lon, expected_lat])
    )


def test_to_wgs84_undoes_to_gcj02_for_a_polygon_with_hole() -> None:
    poly = Polygon(
        [(117.0, 36.5), (117.5, 36.5), (117.5, 37.0), (117.0, 37.0)],
        holes=[[(117.1, 36.6), (117.2, 36.6), (117.2, 36.7)]],
    )
    back = crs.to_wgs84(crs.to_gcj02(poly))
    assert isinstance(back, Polygon)
    assert len(back.interiors) == 1
    assert shapely.equals_exact(back, poly, tolerance=1e-9)


def test_geodataframe_keeps_columns_index_and_crs_and_input_is_untouched() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[Point(117.0, 36.6), Point(118.0, 37.4)],
        index=["x", "y"],
        crs=settings.STORAGE_CRS,
    )
    before = gdf.geometry.copy()
    moved = crs.to_gcj02(gdf)
    assert isinstance(moved, gpd.GeoDataFrame)
    assert moved.crs == gdf.crs
    assert list(moved.index) == ["x", "y"]
    assert list(moved["name"]) == ["a", "b"]
    assert moved.geometry.iloc[0].x > 117.0
    assert gdf.geometry.geom_equals(before).all()
    back = crs.to_wgs84(moved)
    assert back.geometry.geom_equals_exact(gdf.geometry, tolerance=1e-9).all()


def test_geoseries_is_converted() -> None:
    series = gpd.GeoSeries([Point(117.0, 36.6)], crs=settings.STORAGE_CRS, name="geom")
    moved = crs.to_gcj02(series)
    assert isinstance(moved, gpd.GeoSeries)
    assert moved.name == "geom"
    assert moved.crs == series.crs
    lon, lat = crs.wgs84_to_gcj02(117.0, 36.6)
    assert moved.iloc[0].equals(Point(float(lon), float(lat)))


def test_non_geometry_input_raises_type_error() -> None:
    with pytest.raises(TypeError, match="shapely geometry"):
        crs.to_gcj02([(117.0, 36.6)])


# --- ground distances on a map ------------------------------------------------------


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


def test_true_north_follows_the_meridian_convergence():
    to_utm = Transformer.from_crs("EPSG:4326", settings.METRIC_CRS, always_xy=True)
    ux, uy = crs.true_north(settings.METRIC_CRS, *to_utm.transform(117.0, 37.0))
    assert ux == pytest.approx(0.0, abs=1e-6)
    assert uy == pytest.approx(1.0)
    ux, uy = crs.true_north(settings.METRIC_CRS, *to_utm.transform(115.5, 37.0))
    # west of the central meridian, meridians lean towards it going north (+x)
    convergence = math.degrees(math.atan(math.tan(math.radians(1.5)) * math.sin(math.radians(37))))
    assert math.degrees(math.atan2(ux, uy)) == pytest.approx(convergence, abs=0.02)
