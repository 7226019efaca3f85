"""Tests of circlemap.export.print_furniture: the scale bar's length."""

from __future__ import annotations

import math

import pytest
from pyproj import Geod, Transformer

from circlemap import crs, settings
from circlemap.export import print_furniture


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
