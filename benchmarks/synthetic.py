"""Synthetic content at N times the features, valid by the project's own validator.

The scale curve of the benchmark starts the app on a copy of the data in
which every content feature (``geodata/projects.geojson`` and
``geodata/corridors.geojson``) appears ``scale`` times: the original, and
``scale - 1`` copies. Copy ``k`` of a feature keeps its kind, status,
accuracy, source and verbatim quote (so the quote check still passes), gets
the id ``<id>-x<k>``, names with ``· 副本 k`` / ``· copy k`` appended, and
is moved into one of the seven circle cities, taken in turn so that every
city receives its share: its geometry is translated (not reshaped, so the
vertex count is the original's) until its centroid sits on a point inside
that city's boundary, and ``cities`` names that city. A ``part_of`` link
points at copy ``k`` of the parent. Coordinates stay EPSG:4326 degrees at
:data:`circlemap.settings.COORD_PRECISION` decimals; a translation is
clamped so that the shape stays inside
:data:`circlemap.settings.REGION_BOUNDS`. Base layers and tables are copied
unchanged.

Usage::

    .venv/bin/python -m benchmarks.synthetic --scale 10 --out /tmp/circle-x10
    CIRCLEMAP_DATA_ROOT=/tmp/circle-x10 .venv/bin/streamlit run app.py
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import shapely.affinity
import shapely.geometry
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from circlemap import content_checks, settings, validate, vocab

CONTENT_FILES: Final[tuple[str, ...]] = ("projects.geojson", "corridors.geojson")
"""The content layers that are multiplied (in ``geodata/``)."""

COPY_SUFFIX_ZH: Final = " · 副本 {k}"
COPY_SUFFIX_EN: Final = " · copy {k}"

SEED: Final = 14
"""Seed of the random points inside each city (the output is reproducible)."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def city_shapes(geodata_dir: Path) -> dict[str, BaseGeometry]:
    """Boundary (EPSG:4326) of each circle city, by zh name, from ``cities.geojson``."""
    shapes = {
        f["properties"]["name_zh"]: shapely.geometry.shape(f["geometry"])
        for f in _read(geodata_dir / "cities.geojson")["features"]
    }
    return {name: shapes[name] for name in vocab.CIRCLE_CITIES}


def all_city_shapes(geodata_dir: Path) -> dict[str, BaseGeometry]:
    """Boundary (EPSG:4326) of every city the base layers hold, circle and context, by zh name:
    what a moved copy may cross (the validator checks ``cities`` against them)."""
    return {
        f["properties"]["name_zh"]: shapely.geometry.shape(f["geometry"])
        for name in ("cities.geojson", "context.geojson")
        for f in _read(geodata_dir / name)["features"]
        if f["properties"].get("kind") == "city"
    }


def point_inside(shape: BaseGeometry, rng: random.Random) -> Point:
    """A random point strictly inside ``shape`` (rejection sampling in its bounds)."""
    min_x, min_y, max_x, max_y = shape.bounds
    for _ in range(10_000):
        point = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if shape.contains(point):
            return point
    return shape.representative_point()


def _round(value: float) -> float:
    return round(value, settings.COORD_PRECISION)


def _clamped_offset(geom: BaseGeometry, dx: float, dy: float) -> tuple[float, float]:
    """``(dx, dy)`` reduced so that ``geom`` moved by it stays inside the region."""
    min_lon, min_lat, max_lon, max_lat = settings.REGION_BOUNDS
    x0, y0, x1, y1 = geom.bounds
    dx = min(max(dx, min_lon - x0), max_lon - x1)
    dy = min(max(dy, min_lat - y0), max_lat - y1)
    return _round(dx), _round(dy)


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [_round(float(c)) for c in coords]
    return [_rounded(part) for part in coords]


def moved_geometry(geometry: dict[str, Any], target: Point) -> dict[str, Any]:
    """A GeoJSON geometry translated so that its centroid lands on ``target``.

    The offset is rounded to the stored precision, so every moved coordinate
    is again a stored-precision number and the shape keeps its topology.
    """
    geom = shapely.geometry.shape(geometry)
    centre = geom.centroid
    dx, dy = _clamped_offset(geom, target.x - centre.x, target.y - centre.y)
    moved = shapely.geometry.mapping(shapely.affinity.translate(geom, dx, dy))
    return {"type": moved["type"], "coordinates": _rounded(moved["coordinates"])}


def copy_feature(
    feature: dict[str, Any],
    k: int,
    city: str,
    target: Point,
    copied_ids: set[str],
    *,
    cities: Mapping[str, BaseGeometry] | None = None,
) -> dict[str, Any]:
    """Copy ``k`` of a content feature, moved into ``city`` (see the module docstring).

    With ``cities`` (name -> WGS-84 shape), the copy's ``cities`` are every city
    its moved geometry crosses, as the validator reckons it, ``city`` first.
    """
    props = dict(feature["properties"])
    geometry = moved_geometry(feature["geometry"], target)
    props["id"] = f"{props['id']}-x{k}"
    props["name_zh"] = props["name_zh"] + COPY_SUFFIX_ZH.format(k=k)
    props["name_en"] = props["name_en"] + COPY_SUFFIX_EN.format(k=k)
    crossed = (
        content_checks.crossed_cities(
            shapely.geometry.shape(geometry), cities, validate.CROSSING_TOLERANCE_M
        )
        if cities is not None
        else []
    )
    props["cities"] = [city, *(c for c in crossed if c != city)]
    parent = props.get("part_of")
    if parent is not None:
        props["part_of"] = f"{parent}-x{k}" if parent in copied_ids else parent
    return {
        "type": "Feature",
        "properties": props,
        "geometry": geometry,
    }


def multiply(
    collections: dict[str, dict[str, Any]],
    cities: dict[str, BaseGeometry],
    scale: int,
    *,
    seed: int = SEED,
    crossing: Mapping[str, BaseGeometry] | None = None,
) -> dict[str, dict[str, Any]]:
    """Content collections (file name -> FeatureCollection) with every feature ``scale`` times.

    Raises
    ------
    ValueError
        If ``scale`` is below 1.
    """
    if scale < 1:
        msg = f"scale must be at least 1 (got {scale})"
        raise ValueError(msg)
    rng = random.Random(seed)  # noqa: S311 (reproducible sample points, not a secret)
    names = list(cities)
    copied_ids = {f["properties"]["id"] for fc in collections.values() for f in fc["features"]}
    out: dict[str, dict[str, Any]] = {}
    turn = 0
    for name, collection in collections.items():
        features = list(collection["features"])
        for k in range(1, scale):
            for feature in collection["features"]:
                city = names[turn % len(names)]
                turn += 1
                target = point_inside(cities[city], rng)
                features.append(copy_feature(feature, k, city, target, copied_ids, cities=crossing))
        out[name] = {**collection, "features": features}
    return out


def write_data_root(out: Path, scale: int, *, source: Path | None = None) -> Path:
    """Write a data root (``geodata/`` and ``data/``) with content at ``scale`` times.

    Parameters
    ----------
    out : Path
        Target folder (created; its ``geodata``/``data`` are replaced).
    scale : int
        How many times each content feature appears (1 = an unchanged copy).
    source : Path, optional
        The data root copied; default :data:`circlemap.settings.DATA_ROOT`'s
        folders (:data:`~circlemap.settings.GEODATA_DIR`,
        :data:`~circlemap.settings.DATA_DIR`).

    Returns
    -------
    Path
        ``out``, for ``CIRCLEMAP_DATA_ROOT``.
    """
    geodata = source / "geodata" if source else Path(settings.GEODATA_DIR)
    data = source / "data" if source else Path(settings.DATA_DIR)
    out.mkdir(parents=True, exist_ok=True)
    for src, name in ((geodata, "geodata"), (data, "data")):
        if (out / name).exists():
            shutil.rmtree(out / name)
        shutil.copytree(src, out / name)
    collections = {name: _read(geodata / name) for name in CONTENT_FILES}
    shapes = all_city_shapes(geodata)
    for name, collection in multiply(
        collections, city_shapes(geodata), scale, crossing=shapes
    ).items():
        text = json.dumps(collection, ensure_ascii=False, indent=None, separators=(",", ":"))
        (out / "geodata" / name).write_text(text + "\n", encoding="utf-8")
    # The multiplied layers are this generator's output, not the build script's
    # from data/projects.yaml: the copy leaves that file out, so the validator's
    # "generated layer matches its YAML" check has nothing to compare with.
    (out / "data" / "projects.yaml").unlink(missing_ok=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True, help="times each feature appears")
    parser.add_argument("--out", type=Path, required=True, help="data root to write")
    args = parser.parse_args(argv)
    root = write_data_root(args.out, args.scale)
    print(f"written: {root} (CIRCLEMAP_DATA_ROOT={root})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
