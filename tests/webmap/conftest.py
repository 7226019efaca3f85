"""The small catalog of the web map tests."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, Polygon, box

from circlemap.catalog import Catalog
from tests import factories
from tests.webmap.support import (
    BAD_NAME,
)


@pytest.fixture
def catalog() -> Catalog:
    """Two circle cities, one county each, one context city, five features of every shape."""
    return factories.make_catalog(
        cities=[
            factories.city("370100", "济南", "Jinan", box(116.8, 36.4, 117.6, 37.0)),
            factories.city("370300", "淄博", "Zibo", box(117.6, 36.3, 118.3, 37.0)),
        ],
        counties=[
            factories.county(
                "370102", "历下区", "Lixia District", "济南", box(116.9, 36.5, 117.2, 36.8)
            ),
            factories.county(
                "370306", "周村区", "Zhoucun District", "淄博", box(117.7, 36.7, 117.9, 36.9)
            ),
        ],
        context=[factories.city("370700", "潍坊", "Weifang", box(118.3, 36.0, 119.5, 37.3))],
        rivers=[factories.river(LineString([(116.5, 36.5), (117.5, 37.0), (118.5, 37.6)]))],
        features=[
            factories.feature(
                "rail-test-line",
                "rail",
                LineString([(117.0, 36.65), (118.05, 36.8)]),
                accuracy="schematic",
                name_zh="测试轨道",
                name_en="Test rail",
            ),
            factories.feature("road-exact", "road", LineString([(117.1, 36.6), (117.3, 36.7)])),
            factories.feature(
                "park-approx",
                "industrial_park",
                Point(117.8, 36.8),
                accuracy="approximate",
                name_zh=BAD_NAME,
                name_en=BAD_NAME,
            ),
            factories.feature(
                "pilot-zone-area",
                "pilot_zone",
                Polygon([(117.7, 36.7), (117.9, 36.7), (117.9, 36.9)]),
                accuracy="approximate",
            ),
            factories.feature(
                "greenway-test",
                "greenway",
                LineString([(116.6, 36.55), (117.4, 36.95)]),
                accuracy="approximate",
            ),
        ],
    )
