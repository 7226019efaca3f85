"""One factory for small in-memory catalogs, assembled the way the loader assembles them.

Records are written as they stand in the data files (a GeoJSON Feature per
layer feature, a dict per table row; only what a test cares about is given,
the rest has plain defaults) and turned into a
:class:`~circlemap.catalog.Catalog` by the public constructor
:func:`circlemap.catalog.catalog_from_data`, so a test catalog has the loader's
columns, tuples and derived fields (``group``, ``layer``, ``measure_ids``)
and cannot drift from it. Geometries are shapely objects in WGS-84 degrees
(EPSG:4326).

    from tests.factories import feature, make_catalog, measure

    catalog = make_catalog(
        features=[feature("rail-x", "rail", LineString([(117.0, 36.6), (118.0, 36.8)]))],
        measures=[measure("m1", features=("rail-x",))],
    )
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shapely.geometry import LineString, Point, box, mapping
from shapely.geometry.base import BaseGeometry

from circlemap import vocab
from circlemap.catalog import Catalog, catalog_from_data

SOURCE = "test.txt"
"""Source file of every record that does not name one."""

JINAN = box(116.8, 36.3, 117.6, 37.0)
ZIBO = box(117.6, 36.3, 118.3, 37.2)
WEIFANG = box(118.3, 36.0, 119.4, 37.2)
YELLOW_RIVER = LineString([(116.8, 36.5), (117.3, 36.8), (118.0, 37.1)])


def _feature(properties: dict[str, Any], geometry: BaseGeometry) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def city(adcode: str, zh: str, en: str, geometry: BaseGeometry) -> dict[str, Any]:
    """A city of ``cities.geojson`` or ``context.geojson`` (id ``city-<adcode>``)."""
    return _feature(
        {
            "id": f"city-{adcode}",
            "adcode": adcode,
            "name_zh": zh,
            "name_en": en,
            "kind": "city",
            "cities": [zh],
            "geometry_accuracy": "exact",
            "source": SOURCE,
        },
        geometry,
    )


def county(adcode: str, zh: str, en: str, city_zh: str, geometry: BaseGeometry) -> dict[str, Any]:
    """A county of ``counties.geojson`` in city ``city_zh`` (id ``county-<adcode>``)."""
    return _feature(
        {
            "id": f"county-{adcode}",
            "adcode": adcode,
            "name_zh": zh,
            "name_en": en,
            "kind": "county",
            "city": city_zh,
            "cities": [city_zh],
            "geometry_accuracy": "exact",
            "source": SOURCE,
        },
        geometry,
    )


def river(geometry: BaseGeometry = YELLOW_RIVER, *, cities: Sequence[str] = ("济南", "淄博")):
    """The Yellow River of ``yellow_river.geojson``."""
    return _feature(
        {
            "id": "river-yellow",
            "name_zh": "黄河",
            "name_en": "Yellow River",
            "kind": "river",
            "cities": list(cities),
            "geometry_accuracy": "approximate",
            "source": SOURCE,
        },
        geometry,
    )


def feature(
    fid: str,
    kind: str,
    geometry: BaseGeometry,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    status: str = "planning",
    cities: Sequence[str] = ("济南",),
    accuracy: str = "exact",
    accuracy_note_zh: str = "说明",
    accuracy_note_en: str = "note",
    source: str = SOURCE,
    quote: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A content feature (``projects.geojson``, or ``corridors.geojson`` for ecology kinds)."""
    return _feature(
        {
            "id": fid,
            "name_zh": name_zh or f"要素{fid}",
            "name_en": name_en or f"Feature {fid}",
            "kind": kind,
            "status": status,
            "cities": list(cities),
            "geometry_accuracy": accuracy,
            "accuracy_note_zh": accuracy_note_zh,
            "accuracy_note_en": accuracy_note_en,
            "source": source,
            "quote": quote if quote is not None else f"原文{name_zh or fid}",
            **extra,
        },
        geometry,
    )


def measure(
    mid: str,
    *,
    category: str = "transport",
    title_zh: str | None = None,
    title_en: str | None = None,
    scope: str = "circle_369",
    cities: Sequence[str] = ("济南",),
    status: str = "planning",
    source: str = SOURCE,
    quote: str | None = None,
    features: Sequence[str] = (),
) -> dict[str, Any]:
    """A row of ``measures.json``."""
    return {
        "id": mid,
        "category": category,
        "title_zh": title_zh or f"举措{mid}",
        "title_en": title_en or f"Measure {mid}",
        "scope": scope,
        "cities": list(cities),
        "status": status,
        "source": source,
        "quote": quote if quote is not None else f"原文{title_zh or mid}",
        "features": list(features),
    }


def milestone(
    mid: str,
    date: str,
    *,
    end_date: str | None = None,
    date_precision: str = "day",
    text_zh: str | None = None,
    text_en: str | None = None,
    source: str = SOURCE,
    quote: str | None = None,
) -> dict[str, Any]:
    """A row of ``milestones.json`` (dates ``YYYY-MM-DD``)."""
    row: dict[str, Any] = {
        "id": mid,
        "date": date,
        "date_precision": date_precision,
        "text_zh": text_zh or f"节点{mid}",
        "text_en": text_en or f"Milestone {mid}",
        "source": source,
        "quote": quote if quote is not None else f"原文{text_zh or mid}",
    }
    if end_date is not None:
        row["end_date"] = end_date
    return row


def _collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def make_catalog(
    *,
    cities: Sequence[dict[str, Any]] | None = None,
    counties: Sequence[dict[str, Any]] = (),
    context: Sequence[dict[str, Any]] = (),
    rivers: Sequence[dict[str, Any]] | None = None,
    features: Sequence[dict[str, Any]] = (),
    measures: Sequence[dict[str, Any]] = (),
    milestones: Sequence[dict[str, Any]] = (),
) -> Catalog:
    """A small :class:`~circlemap.catalog.Catalog` held in memory.

    Without ``cities`` the circle is Jinan and Zibo (:data:`JINAN`,
    :data:`ZIBO`); without ``rivers`` the Yellow River crosses both. Features
    of an ecology kind go to the ``corridors`` layer, the others to ``projects``.
    """
    if cities is None:
        cities = [city("370100", "济南", "Jinan", JINAN), city("370300", "淄博", "Zibo", ZIBO)]
    corridors = [f for f in features if vocab.KINDS[f["properties"]["kind"]].group == "ecology"]
    projects = [f for f in features if f not in corridors]
    return catalog_from_data(
        {
            "cities": _collection(cities),
            "counties": _collection(counties),
            "context": _collection(context),
            "river": _collection([river()] if rivers is None else rivers),
            "projects": _collection(projects),
            "corridors": _collection(corridors),
            "measures": list(measures),
            "milestones": list(milestones),
        }
    )


def small_catalog() -> Catalog:
    """Jinan and Zibo, the river, a road, a greenway and a site; three measures, two milestones.

    The catalog of the panels', views' and charts' tests.
    """
    return make_catalog(
        cities=[
            city("370100", "济南", "Jinan", box(116.2, 36.0, 117.9, 37.5)),
            city("370300", "淄博", "Zibo", box(117.6, 35.9, 118.3, 37.3)),
        ],
        rivers=[river(LineString([(116.0, 36.6), (117.0, 36.72), (118.9, 37.7)]))],
        features=[
            feature(
                "road-jingshi",
                "road",
                LineString([(117.5, 36.7), (117.9, 36.8)]),
                name_zh="经十路东延",
                name_en="Jingshi Road east",
                status="implementing",
                cities=("济南", "淄博"),
                accuracy="schematic",
                source="a.txt",
                quote="实施经十路东延工程",
            ),
            feature(
                "greenway-yr",
                "greenway",
                LineString([(117.0, 36.75), (118.9, 37.7)]),
                name_zh="黄河绿道",
                name_en="Yellow River greenway",
                status="building",
                cities=("济南", "东营"),
                accuracy="approximate",
                source="a.txt",
                quote="沿黄生态绿道",
            ),
            feature(
                "computing-valley",
                "computing",
                Point(117.05, 36.7),
                name_zh="算力谷",
                name_en="Computing valley",
                status="advancing",
                accuracy="approximate",
                source="b.txt",
                quote="中国算谷",
            ),
        ],
        measures=[
            measure(
                "m-road",
                category="transport",
                title_zh="经十路东延",
                title_en="Jingshi Road",
                scope="jinan_zibo_agreement",
                cities=("济南", "淄博"),
                status="implementing",
                source="a.txt",
                quote="实施经十路东延工程",
                features=("road-jingshi",),
            ),
            measure(
                "m-eco",
                category="ecology",
                title_zh="沿黄生态廊道",
                title_en="Yellow River corridor",
                scope="jinan_zibo_agreement",
                cities=("济南", "东营"),
                status="building",
                source="a.txt",
                quote="建设沿黄生态廊道",
                features=("greenway-yr",),
            ),
            measure(
                "m-health",
                category="health",
                title_zh="医疗**合作**",
                title_en="Health cooperation",
                cities=("淄博",),
                status="supported",
                source="b.txt",
                quote="医疗合作 hospital",
            ),
        ],
        milestones=[
            milestone(
                "ms-2013",
                "2013-01-01",
                date_precision="year",
                text_zh="提出规划",
                text_en="Plan proposed",
                source="a.txt",
                quote="2013年",
            ),
            milestone(
                "ms-2020",
                "2020-07-02",
                end_date="2020-07-09",
                text_zh="联席会议",
                text_en="Joint conference",
                source="b.txt",
                quote="联席会议",
            ),
        ],
    )
