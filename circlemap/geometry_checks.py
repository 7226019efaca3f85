"""Checks of coordinates: GeoJSON well-formedness, region bounds, GCJ-02 shift, cities.

Coordinates are WGS-84 (EPSG:4326) lon/lat degrees as stored. Used by
:mod:`circlemap.validate` (per file) and its cross-file checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
import shapely.geometry
import shapely.validation

from circlemap import crs, schema, settings, vocab

Problem = tuple[str | None, str | None, str]

_MAX_COORD_PROBLEMS: Final = 3

GCJ_ON_BASE_DEG: float = 3e-5
"""How close (degrees, about 3 m) a vertex must be to a base-layer line to sit on it.

Stored coordinates are rounded to 1e-5 degrees, so a vertex taken from a base
layer (a county edge, the river) sits within about 1 m of it."""

GCJ_MIN_MATCHES: int = 3
"""Fewest positions that must sit on the reference only after undoing GCJ-02 before a
file is called shifted: one such position happens by chance (a line crossing a county
edge 500 m further on)."""

POINT_IN_CITY_DEG: float = 1e-4
"""How far (degrees, about 10 m) a Point feature may lie outside the cities it names."""


def geometry_problems(
    geometry: Any, *, bounds: tuple[float, float, float, float] | None = None
) -> list[str]:
    """Problems of one GeoJSON geometry: type, structure, validity, bounds.

    Coordinates are WGS-84 (lon, lat) degrees and must fall inside ``bounds``
    (min lon, min lat, max lon, max lat; default
    :data:`circlemap.settings.REGION_BOUNDS`).
    """
    if not isinstance(geometry, dict):
        return ["missing geometry (expected a GeoJSON geometry object)"]
    gtype = geometry.get("type")
    if gtype not in schema.CONTENT_GEOMETRY_TYPES:
        allowed = ", ".join(schema.CONTENT_GEOMETRY_TYPES)
        return [f"geometry type {gtype!r} not allowed (expected one of {allowed})"]
    coords = geometry.get("coordinates")
    found = list(_positions(coords, _DEPTH[gtype]))
    positions = [p for p in found if p is not None]
    if not found or len(positions) != len(found):
        return [f"malformed {gtype} coordinates (expected nested arrays of [lon, lat] numbers)"]
    problems = bounds_problems(positions, bounds or settings.REGION_BOUNDS)
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError) as exc:
        return [*problems, f"malformed {gtype}: {exc}"]
    if shape.is_empty:
        problems.append(f"empty {gtype} (expected coordinates)")
    elif not shape.is_valid:
        reason = shapely.validation.explain_validity(shape)
        problems.append(
            f"invalid {gtype}: {reason} (expected a valid, non-self-intersecting shape)"
        )
    return problems


_DEPTH: Final[dict[str, int]] = {
    "Point": 0,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _positions(coords: Any, depth: int) -> Iterator[tuple[float, float] | None]:
    if depth == 0:
        ok = (
            isinstance(coords, list)
            and len(coords) in (2, 3)
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        )
        yield (float(coords[0]), float(coords[1])) if ok else None
        return
    if not isinstance(coords, list) or not coords:
        yield None
        return
    for part in coords:
        yield from _positions(part, depth - 1)


def bounds_problems(
    positions: Sequence[tuple[float, float]], bounds: tuple[float, float, float, float]
) -> list[str]:
    """Coordinates outside ``bounds`` (min lon, min lat, max lon, max lat; degrees), with hints."""
    min_lon, min_lat, max_lon, max_lat = bounds

    def inside(lon: float, lat: float) -> bool:
        return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat

    outside = [(lon, lat) for lon, lat in positions if not inside(lon, lat)]
    problems = []
    for lon, lat in outside[:_MAX_COORD_PROBLEMS]:
        hint = ""
        if inside(lat, lon):
            hint = "; looks like swapped lon/lat"
        elif abs(lon) > 180 or abs(lat) > 90:
            hint = "; not degrees (projected metres such as Web Mercator?)"
        problems.append(
            f"coordinate [{lon}, {lat}] outside the region (expected [lon, lat] in EPSG:4326 "
            f"with lon {min_lon}..{max_lon}, lat {min_lat}..{max_lat}{hint})"
        )
    if len(outside) > _MAX_COORD_PROBLEMS:
        problems.append(f"{len(outside) - _MAX_COORD_PROBLEMS} more coordinates outside the region")
    return problems


def vertex_count(geometry: Any) -> int:
    """Number of coordinate positions of a GeoJSON geometry (0 when malformed)."""
    if not isinstance(geometry, dict):
        return 0
    stack = [(geometry.get("coordinates"), 0)]
    count = 0
    while stack:  # iterative: depth is bounded by the reader, but cheap to be safe
        value, depth = stack.pop()
        if not isinstance(value, list) or depth > 4:
            continue
        if value and all(isinstance(c, int | float) for c in value):
            count += 1
            continue
        stack.extend((item, depth + 1) for item in value)
    return count


def positions_of(geometry: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) position of a well-formed content geometry (empty when malformed)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _DEPTH:
        return []
    found = list(_positions(geometry.get("coordinates"), _DEPTH[geometry["type"]]))
    return [] if any(p is None for p in found) else [p for p in found if p is not None]


def base_lines(*collections: Mapping[str, Any] | None) -> Any:
    """Boundaries and lines of base FeatureCollections as one geometry (degrees)."""
    parts = []
    for collection in collections:
        for feature in (collection or {}).get("features", []):
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if not isinstance(geometry, dict):
                continue
            shape = shapely.geometry.shape(geometry)
            parts.append(shape.boundary if shape.geom_type.endswith("Polygon") else shape)
    return shapely.union_all(parts) if parts else None


def gcj_shift_problem(positions: Sequence[tuple[float, float]], lines: Any) -> str | None:
    """Whether content positions look GCJ-02-shifted against the WGS-84 base layers.

    A position "sits on the base" when it lies within :data:`GCJ_ON_BASE_DEG` of
    a base-layer line (``lines``, from :func:`base_lines`). Content drawn from
    the base (a corridor along the river, a county outline, a point on a county
    border) sits on it as stored. A GCJ-02 (Amap, Tencent) copy of it sits about
    500 m off, and its WGS-84 image (:func:`circlemap.crs.gcj02_to_wgs84`) sits
    on it. The positions are called shifted when at least :data:`GCJ_MIN_MATCHES`
    of them, and more than sit on it as stored, sit on it only after undoing the
    GCJ-02 offset. ``lines`` may hold points too (the content vertices places
    are drawn at).
    """
    if lines is None or not positions:
        return None
    xy = np.asarray(positions, dtype=np.float64)
    back_lon, back_lat = crs.gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    prepared = lines
    shapely.prepare(prepared)
    stored = shapely.dwithin(prepared, shapely.points(xy), GCJ_ON_BASE_DEG)
    unshifted = shapely.dwithin(
        prepared, shapely.points(np.column_stack([back_lon, back_lat])), GCJ_ON_BASE_DEG
    )
    only_unshifted = int(np.count_nonzero(unshifted & ~stored))
    as_stored = int(np.count_nonzero(stored))
    if only_unshifted < GCJ_MIN_MATCHES or only_unshifted <= as_stored:
        return None
    return (
        f"coordinates look GCJ-02-shifted (Amap/Tencent): {only_unshifted} of {len(xy)} "
        f"positions sit on the base layers only after undoing the GCJ-02 offset (about "
        f"500 m), {as_stored} as stored (expected WGS-84, EPSG:4326: convert with "
        "circlemap.crs.to_wgs84)"
    )


def point_city_problems(
    features: Iterable[Mapping[str, Any]], polygons: Mapping[str, Any]
) -> list[Problem]:
    """A Point feature that lies outside every city its ``cities`` names.

    ``polygons`` maps a city name (zh) to its polygon (degrees); cities
    without a polygon are not checked. A point may lie up to
    :data:`POINT_IN_CITY_DEG` outside (a border waypoint).
    """
    problems: list[Problem] = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        cities = props.get("cities")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            continue
        if not isinstance(cities, list):
            continue
        known = [polygons[c] for c in cities if isinstance(c, str) and c in polygons]
        positions = positions_of(geometry)
        if not known or not positions:
            continue
        point = shapely.geometry.Point(positions[0])
        if not any(shapely.dwithin(polygon, point, POINT_IN_CITY_DEG) for polygon in known):
            named = ", ".join(
                f"{c} ({vocab.CITY_BY_ZH[c].en})" for c in cities if c in vocab.CITY_BY_ZH
            )
            lon, lat = positions[0]
            problems.append(
                (
                    props.get("id"),
                    "geometry",
                    f"point [{lon}, {lat}] lies outside the cities it names ({named}) "
                    "(expected a point inside one of its 'cities', EPSG:4326)",
                )
            )
    return problems
