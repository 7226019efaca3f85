"""Checks across content files: where features lie, and whether records agree.

Each function takes parsed data (GeoJSON dicts, YAML records) and returns
problems as ``(record id, field, message)``; :func:`circlemap.validate.cross_check`
attaches them to the file they belong to. Geometry is EPSG:4326 (lon/lat
degrees); distances are measured in UTM 50N metres (:data:`settings.METRIC_CRS`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
import shapely
import shapely.geometry
import shapely.prepared
from pyproj import Transformer

from circlemap import settings, vocab

Problem = tuple[str | None, str | None, str]


def metric(geom: Any) -> Any:
    """``geom`` from EPSG:4326 degrees to UTM 50N metres."""
    to_metric = _transformer()
    return shapely.transform(
        geom, lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))
    )


@cache
def _transformer() -> Transformer:
    return Transformer.from_crs(settings.STORAGE_CRS, settings.METRIC_CRS, always_xy=True)


def city_polygons(*collections: Mapping[str, Any] | None) -> dict[str, Any]:
    """City name (zh) -> polygon (degrees) from city FeatureCollections (cities, context)."""
    out: dict[str, Any] = {}
    for collection in collections:
        for feature in (collection or {}).get("features", []):
            props = feature.get("properties") or {}
            name = props.get("name_zh")
            if name in vocab.CITY_BY_ZH and feature.get("geometry"):
                out[name] = shapely.geometry.shape(feature["geometry"])
    return out


@cache
def _shrunk(key: str, tolerance_m: float) -> Any:
    """A city polygon in metres shrunk by ``tolerance_m`` (cache key: its WKB hex)."""
    polygon = shapely.from_wkb(bytes.fromhex(key))
    return shapely.prepared.prep(metric(polygon).buffer(-tolerance_m))


def crossed_cities(geometry: Any, polygons: Mapping[str, Any], tolerance_m: float) -> list[str]:
    """Cities (zh) whose polygon, shrunk by ``tolerance_m`` metres, the geometry meets."""
    in_metres = metric(geometry)
    hits = []
    for name, polygon in polygons.items():
        if not polygon.intersects(geometry):
            continue
        if _shrunk(shapely.to_wkb(polygon, hex=True), tolerance_m).intersects(in_metres):
            hits.append(name)
    return hits


def crossing_problems(
    features: Iterable[Mapping[str, Any]], polygons: Mapping[str, Any], tolerance_m: float
) -> list[Problem]:
    """A feature whose geometry crosses a city missing from its ``cities``."""
    problems: list[Problem] = []
    for feature in features:
        props = feature.get("properties") or {}
        cities = props.get("cities")
        geometry = feature.get("geometry")
        if not isinstance(cities, list) or not isinstance(geometry, dict):
            continue
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, AttributeError):
            continue  # reported by the geometry check
        if shape.is_empty or not shape.is_valid:
            continue
        missing = [c for c in crossed_cities(shape, polygons, tolerance_m) if c not in cities]
        if missing:
            names = ", ".join(f"{c} ({vocab.CITY_BY_ZH[c].en})" for c in missing)
            problems.append(
                (
                    props.get("id"),
                    "cities",
                    f"the geometry crosses {names}, missing from 'cities' (expected every "
                    f"city the geometry crosses more than {tolerance_m:.0f} m deep)",
                )
            )
    return problems


def measure_city_problems(
    measures: Iterable[Mapping[str, Any]], feature_cities: Mapping[str, Iterable[str]]
) -> list[Problem]:
    """A measure whose ``cities`` leave out a circle city one of its features lies in."""
    problems: list[Problem] = []
    for measure in measures:
        cities = measure.get("cities")
        links = measure.get("features") or []
        if not isinstance(cities, list) or not isinstance(links, list):
            continue
        for fid in links:
            if fid not in feature_cities:
                continue
            missing = [
                c for c in feature_cities[fid] if c in vocab.CIRCLE_CITIES and c not in cities
            ]
            if missing:
                problems.append(
                    (
                        measure.get("id"),
                        "cities",
                        f"feature {fid!r} lies in {', '.join(missing)}, missing from the "
                        "measure's cities (expected a measure and its features to agree)",
                    )
                )
    return problems


def place_problems(
    places: Iterable[Mapping[str, Any]],
    counties: Mapping[str, Any] | None,
    cities: Mapping[str, Any],
) -> list[Problem]:
    """A place outside the county (adcode) or city its record says it lies in."""
    by_adcode: dict[str, Any] = {}
    for feature in (counties or {}).get("features", []):
        props = feature.get("properties") or {}
        if feature.get("geometry") and isinstance(props.get("adcode"), str):
            by_adcode[props["adcode"]] = shapely.geometry.shape(feature["geometry"])
    problems: list[Problem] = []
    for place in places:
        lon, lat = place.get("lon"), place.get("lat")
        if not isinstance(lon, int | float) or not isinstance(lat, int | float):
            continue
        point = shapely.geometry.Point(lon, lat)
        county = place.get("county")
        if isinstance(county, str) and by_adcode:
            if county not in by_adcode:
                problems.append((place.get("id"), "county", f"unknown county adcode {county!r}"))
            elif not by_adcode[county].covers(point):
                problems.append(
                    (
                        place.get("id"),
                        "lon",
                        f"[{lon}, {lat}] lies outside county {county} (expected a point "
                        "inside the county the record names, EPSG:4326)",
                    )
                )
        city = place.get("city")
        if isinstance(city, str) and city in cities and not cities[city].covers(point):
            problems.append(
                (place.get("id"), "lon", f"[{lon}, {lat}] lies outside the city {city}")
            )
    return problems


def project_record_problems(
    records: Iterable[Mapping[str, Any]], place_ids: set[str], adcodes: set[str]
) -> list[Problem]:
    """Geometry specs of ``data/projects.yaml`` naming unknown places, counties or features."""
    records = list(records)
    ids = {r.get("id") for r in records}
    problems: list[Problem] = []
    for record in records:
        spec = record.get("geometry")
        if not isinstance(spec, dict):
            continue
        rid = record.get("id")
        named = [spec["point"]] if isinstance(spec.get("point"), str) else []
        named += [p for p in spec.get("line") or [] if isinstance(p, str)]
        problems.extend(
            (rid, "geometry", f"unknown place {p!r} (expected an id of data/places.yaml)")
            for p in named
            if place_ids and p not in place_ids
        )
        county = spec.get("county")
        if isinstance(county, str) and adcodes and county not in adcodes:
            problems.append((rid, "geometry.county", f"unknown county adcode {county!r}"))
        base = spec.get("inside_circle_of")
        if isinstance(base, str) and base not in ids:
            problems.append((rid, "geometry.inside_circle_of", f"unknown feature {base!r}"))
    return problems


def generated_properties(record: Mapping[str, Any]) -> dict[str, Any]:
    """The GeoJSON properties a ``data/projects.yaml`` record is written with."""
    props = {k: v for k, v in record.items() if k not in ("layer", "geometry")}
    plain: dict[str, Any] = json.loads(json.dumps(props, ensure_ascii=False))
    return plain


def stale_layer_problems(
    records: Iterable[Mapping[str, Any]], layer: str, collection: Mapping[str, Any] | None
) -> list[Problem]:
    """Where a generated layer no longer matches ``data/projects.yaml``."""
    hint = "run scripts/build_content_geodata.py (the layer is generated; never edit it)"
    wanted = {r.get("id"): generated_properties(r) for r in records if r.get("layer") == layer}
    stored = {
        (f.get("properties") or {}).get("id"): f.get("properties") or {}
        for f in (collection or {}).get("features", [])
    }
    problems: list[Problem] = []
    for rid, props in wanted.items():
        if rid not in stored:
            problems.append((rid, None, f"in data/projects.yaml but not in this layer: {hint}"))
            continue
        changed = sorted(
            k for k in set(props) | set(stored[rid]) if props.get(k) != stored[rid].get(k)
        )
        if changed:
            problems.append(
                (rid, changed[0], f"differs from data/projects.yaml ({', '.join(changed)}): {hint}")
            )
    problems.extend(
        (rid, None, f"not in data/projects.yaml: {hint}")
        for rid in stored
        if isinstance(rid, str) and rid not in wanted
    )
    return problems
