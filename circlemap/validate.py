"""The one validator: checks data files against :mod:`circlemap.schema` and each other.

Used by :func:`circlemap.catalog.load_catalog` (raise on the first broken
file) and by the command ``circlemap validate [paths...]`` (:mod:`circlemap.cli`,
printing every problem of every file).

Checks
------
Per file: valid JSON; the shape (a FeatureCollection or a list of records);
every record against its pydantic model (required fields, vocabulary keys,
known cities, plain text, ids, dates); geometry of an allowed type, well
formed, valid (no self-intersecting polygons) and with every coordinate
inside :data:`circlemap.settings.REGION_BOUNDS` (lon/lat degrees, EPSG:4326);
each quote a verbatim substring of its seed text when
:data:`circlemap.settings.SEEDS_DIR` exists.
Across files: ids unique within a file and across the content layers
(projects and corridors); every ``features`` link of a measure and every
``part_of`` of a feature names an existing content feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import shapely.geometry
import shapely.validation
from pydantic import BaseModel, ValidationError

from circlemap import errors, schema, settings

Problem = tuple[str | None, str | None, str]
"""(record id or None, field or None, message), as
:class:`~circlemap.errors.DataValidationError` takes them."""

LAYER_FILES: Final[dict[str, str]] = {
    "cities": "cities.geojson",
    "counties": "counties.geojson",
    "context": "context.geojson",
    "river": "yellow_river.geojson",
    "projects": "projects.geojson",
    "corridors": "corridors.geojson",
}
"""Layer name -> file name in :data:`circlemap.settings.GEODATA_DIR`."""

TABLE_FILES: Final[dict[str, str]] = {
    "measures": "measures.json",
    "milestones": "milestones.json",
}
"""Table name -> file name in :data:`circlemap.settings.DATA_DIR`."""

CONTENT_LAYERS: Final[tuple[str, ...]] = ("projects", "corridors")

_KIND_BY_FILE: Final[dict[str, str]] = {
    name: kind for kind, name in {**LAYER_FILES, **TABLE_FILES}.items()
}

_MAX_COORD_PROBLEMS: Final = 3


@dataclass
class CheckedFile:
    """One data file after the per-file checks.

    Attributes
    ----------
    path : Path
    kind : str
        Layer or table name (``projects``, ``measures``, ...).
    data : Any
        Parsed JSON, or None when the file could not be read.
    problems : list of Problem
    """

    path: Path
    kind: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """Ids of the records or features, in file order (non-string ids skipped)."""
        return [rid for rid, _ in _records(self.kind, self.data) if isinstance(rid, str)]


def display_path(path: Path) -> str:
    """``path`` relative to the repository root when inside it, else as given."""
    try:
        return path.resolve().relative_to(settings.ROOT).as_posix()
    except ValueError:
        return str(path)


def kind_of(path: Path) -> str:
    """Layer or table name of a data file, from its file name.

    Unknown ``.geojson`` files are checked as content layers; other unknown
    names raise :class:`ValueError`.
    """
    if path.name in _KIND_BY_FILE:
        return _KIND_BY_FILE[path.name]
    if path.suffix == ".geojson":
        return "projects"
    known = ", ".join(_KIND_BY_FILE)
    msg = f"{path}: unknown data file name (expected one of {known})"
    raise ValueError(msg)


# --- per-file checks ------------------------------------------------------------------------


def check_file(path: Path, kind: str | None = None) -> CheckedFile:
    """Read ``path`` and run every per-file check.

    Parameters
    ----------
    path : Path
        A GeoJSON layer or JSON table.
    kind : str, optional
        Layer or table name; guessed from the file name when None.
    """
    kind = kind or kind_of(path)
    checked = CheckedFile(path=path, kind=kind)
    if not path.is_file():
        checked.problems.append((None, None, "file not found"))
        return checked
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        checked.problems.append((None, None, f"not UTF-8 text ({exc.reason})"))
        return checked
    except json.JSONDecodeError as exc:
        checked.problems.append(
            (None, None, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        )
        return checked
    checked.problems.extend(check_data(kind, data))
    if not checked.problems or _shape_ok(kind, data):
        checked.data = data
    return checked


def check_data(kind: str, data: Any) -> list[Problem]:
    """Every per-record problem of one parsed file (``kind`` as in :func:`kind_of`)."""
    shape = _shape_problem(kind, data)
    if shape is not None:
        return [(None, None, shape)]
    problems: list[Problem] = []
    model = _model_of(kind)
    ids: dict[str, int] = {}
    for rid, record in _records(kind, data):
        label = rid if isinstance(rid, str) else None
        if isinstance(rid, str):
            ids[rid] = ids.get(rid, 0) + 1
        props = record.get("properties") if kind in LAYER_FILES else record
        if not isinstance(props, dict):
            problems.append((label, "properties", "expected a JSON object of properties"))
            continue
        problems.extend(_model_problems(model, props, label))
        if kind in LAYER_FILES:
            problems.extend(
                (label, "geometry", m) for m in geometry_problems(record.get("geometry"))
            )
        if "quote" in props and "source" in props:
            problems.extend(_quote_problems(props, label, "quote"))
        for i, ref in enumerate(props.get("also_in") or []):
            if isinstance(ref, dict):
                problems.extend(_quote_problems(ref, label, f"also_in.{i}.quote"))
    problems.extend(
        (rid, "id", f"duplicate id (used {n} times; expected unique)")
        for rid, n in ids.items()
        if n > 1
    )
    return problems


def _model_of(kind: str) -> type[BaseModel]:
    if kind in CONTENT_LAYERS:
        return schema.FeatureProperties
    if kind in schema.BASE_MODELS:
        return schema.BASE_MODELS[kind]
    if kind == "measures":
        return schema.Measure
    if kind == "milestones":
        return schema.Milestone
    msg = f"unknown data kind {kind!r}"
    raise ValueError(msg)


def _shape_problem(kind: str, data: Any) -> str | None:
    if kind in LAYER_FILES:
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            return "expected a GeoJSON FeatureCollection"
        if not isinstance(data.get("features"), list):
            return "expected a 'features' list"
        if any(not isinstance(f, dict) for f in data["features"]):
            return "expected every feature to be a JSON object"
        return None
    if not isinstance(data, list) or any(not isinstance(r, dict) for r in data):
        return "expected a JSON list of objects"
    return None


def _shape_ok(kind: str, data: Any) -> bool:
    return _shape_problem(kind, data) is None


def _records(kind: str, data: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(id, record) pairs; a record is a GeoJSON feature or a table row."""
    if data is None or not _shape_ok(kind, data):
        return
    if kind in LAYER_FILES:
        for i, feature in enumerate(data["features"]):
            props = feature.get("properties")
            rid = props.get("id") if isinstance(props, dict) else None
            yield (rid if isinstance(rid, str) else f"#{i}"), feature
    else:
        for i, row in enumerate(data):
            rid = row.get("id")
            yield (rid if isinstance(rid, str) else f"#{i}"), row


def _model_problems(
    model: type[BaseModel], record: dict[str, Any], rid: str | None
) -> list[Problem]:
    try:
        model.model_validate(record)
    except ValidationError as exc:
        return [_problem_of(err, rid, model) for err in exc.errors(include_url=False)]
    return []


def _problem_of(err: Mapping[str, Any], rid: str | None, model: type[BaseModel]) -> Problem:
    loc = [str(part) for part in err.get("loc", ())]
    name = ".".join(loc) if loc else None
    kind = err.get("type", "")
    if kind == "missing":
        return rid, name, "required field is missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return rid, name, f"unknown field (expected only {allowed})"
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if kind not in ("value_error", "assertion_error"):
        message = f"{message} (got {err.get('input')!r})"
    return rid, name, message


# --- geometry -------------------------------------------------------------------------------


def geometry_problems(geometry: Any) -> list[str]:
    """Problems of one GeoJSON geometry: type, structure, validity, bounds.

    Coordinates are WGS-84 (lon, lat) degrees and must fall inside
    :data:`circlemap.settings.REGION_BOUNDS`.
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
    problems = _bounds_problems(positions)
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


def _bounds_problems(positions: Sequence[tuple[float, float]]) -> list[str]:
    min_lon, min_lat, max_lon, max_lat = settings.REGION_BOUNDS

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


# --- quotes ---------------------------------------------------------------------------------


@cache
def _seed_text(path: Path, mtime_ns: int) -> str:
    del mtime_ns  # part of the cache key only
    return path.read_text(encoding="utf-8")


def seed_text(source: str) -> str | None:
    """Text of a seed file in :data:`circlemap.settings.SEEDS_DIR`; None if absent."""
    path = Path(settings.SEEDS_DIR) / source
    if not path.is_file():
        return None
    return _seed_text(path, path.stat().st_mtime_ns)


def _quote_problems(record: Mapping[str, Any], rid: str | None, name: str) -> list[Problem]:
    source, quote = record.get("source"), record.get("quote")
    if not isinstance(source, str) or not isinstance(quote, str) or not quote:
        return []
    if not schema.SOURCE_PATTERN.match(source) or not Path(settings.SEEDS_DIR).is_dir():
        return []
    text = seed_text(source)
    if text is None:
        return [
            (
                rid,
                name.replace("quote", "source"),
                f"seed file {source!r} not found in {settings.SEEDS_DIR}",
            )
        ]
    if quote not in text:
        return [(rid, name, f"quote {quote[:40]!r}... is not a verbatim substring of {source}")]
    return []


# --- across files ---------------------------------------------------------------------------


def cross_check(files: Iterable[CheckedFile], *, known_feature_ids: Iterable[str] = ()) -> None:
    """Add the problems that need several files to the files they belong to.

    Ids must be unique across the content layers; measures' ``features``
    links and features' ``part_of`` must name a content feature of ``files``
    or of ``known_feature_ids``.
    """
    files = list(files)
    seen: dict[str, Path] = {}
    for checked in files:
        if checked.kind not in CONTENT_LAYERS:
            continue
        for rid in dict.fromkeys(checked.ids):
            if rid in seen and seen[rid] != checked.path:
                where = display_path(seen[rid])
                checked.problems.append(
                    (rid, "id", f"duplicate id (also in {where}; expected unique)")
                )
            seen.setdefault(rid, checked.path)
    feature_ids = set(seen) | set(known_feature_ids)
    for checked in files:
        for rid, record in _records(checked.kind, checked.data):
            if checked.kind == "measures":
                links = record.get("features")
                name = "features"
            elif checked.kind in CONTENT_LAYERS:
                props = record.get("properties") or {}
                links = [props["part_of"]] if props.get("part_of") is not None else []
                name = "part_of"
            else:
                continue
            if not isinstance(links, list):
                continue
            checked.problems.extend(
                (
                    rid,
                    name,
                    f"links unknown feature {link!r} (expected an id of projects or corridors)",
                )
                for link in links
                if isinstance(link, str) and link not in feature_ids
            )


def repository_files(
    *, geodata_dir: Path | None = None, data_dir: Path | None = None
) -> dict[str, Path]:
    """Every data file of a repository layout, keyed by layer or table name."""
    geodata_dir = Path(geodata_dir) if geodata_dir is not None else Path(settings.GEODATA_DIR)
    data_dir = Path(data_dir) if data_dir is not None else Path(settings.DATA_DIR)
    return {
        **{kind: geodata_dir / name for kind, name in LAYER_FILES.items()},
        **{kind: data_dir / name for kind, name in TABLE_FILES.items()},
    }


def validate_files(paths: Iterable[Path]) -> list[errors.DataValidationError]:
    """Check the given files; one error per file that has problems.

    When measures are checked without any content layer among ``paths``,
    their links are checked against the repository's content layers.
    """
    checked = [check_file(Path(p)) for p in paths]
    known: list[str] = []
    if not any(c.kind in CONTENT_LAYERS for c in checked) and any(
        c.kind == "measures" for c in checked
    ):
        repo = repository_files()
        for kind in CONTENT_LAYERS:
            known.extend(check_file(repo[kind], kind).ids)
    cross_check(checked, known_feature_ids=known)
    return [
        errors.DataValidationError(display_path(c.path), c.problems) for c in checked if c.problems
    ]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named by ``paths``; a directory stands for its data files.

    A directory holding ``geodata/`` or ``data/`` stands for a repository
    layout; any other directory for the known data files inside it.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            out.append(path)
            continue
        if (path / "geodata").is_dir() or (path / "data").is_dir():
            files = repository_files(geodata_dir=path / "geodata", data_dir=path / "data")
            out.extend(p for p in files.values() if p.exists())
        else:
            out.extend(sorted(p for p in path.iterdir() if p.name in _KIND_BY_FILE))
    return out
