"""The one validator: checks data files against :mod:`circlemap.schema` and each other.

Used by :func:`circlemap.catalog.load_catalog` (raise on the first broken
file) and by the command ``circlemap validate [paths...]`` (:mod:`circlemap.cli`,
printing every problem of every file).

Checks
------
Per file: readable JSON or YAML within the limits of :mod:`circlemap.settings`;
the shape (a FeatureCollection or a list of records);
every record against its pydantic model (required fields, vocabulary keys,
known cities, plain text, ids, dates); geometry of an allowed type, well
formed, valid (no self-intersecting polygons) and with every coordinate
inside :data:`circlemap.settings.REGION_BOUNDS` (lon/lat degrees, EPSG:4326);
each quote a verbatim substring of its seed text when
:data:`circlemap.settings.SEEDS_DIR` exists.
Bytes and syntax are checked by :mod:`circlemap.reading` (sizes, nesting,
encoding), geometry by :mod:`circlemap.geometry_checks` (bounds, GCJ-02 shift,
points in their cities), quotes by :mod:`circlemap.quote_checks`, content
across files by :mod:`circlemap.content_checks`.
Across files: ids unique within a file and across the content layers
(projects and corridors); every ``features`` link of a measure and every
``part_of`` of a feature names an existing content feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import shapely
from pydantic import BaseModel, ValidationError

from circlemap import (
    content_checks,
    datafiles,
    errors,
    geometry_checks,
    quote_checks,
    reading,
    schema,
    settings,
)
from circlemap.geometry_checks import geometry_problems

Problem = tuple[str | None, str | None, str]
"""(record id or None, field or None, message), as
:class:`~circlemap.errors.DataValidationError` takes them."""

LAYER_FILES: Final[dict[str, str]] = {
    "cities": "cities.geojson",
    "counties": "counties.geojson",
    "context": "context.geojson",
    "river": "yellow_river.geojson",
    "provinces": "provinces.geojson",
    "lakes": "lakes.geojson",
    "rivers": "rivers.geojson",
    "places": "places.geojson",
    "projects": "projects.geojson",
    "corridors": "corridors.geojson",
}
"""Layer name -> file name in :data:`circlemap.settings.GEODATA_DIR`."""

TABLE_FILES: Final[dict[str, str]] = {
    "sources": "sources.yaml",
    "measures": "measures.yaml",
    "milestones": "milestones.yaml",
    "place_records": "places.yaml",
    "project_records": "projects.yaml",
    "terms": "terms.yaml",
}
"""Hand-edited YAML file name (in :data:`circlemap.settings.DATA_DIR`) by table name.

``project_records`` are the features of ``data/projects.yaml``, from which
``scripts/build_content_geodata.py`` generates the ``projects`` and
``corridors`` layers."""

CONTENT_LAYERS: Final[tuple[str, ...]] = ("projects", "corridors")

ID_FIELDS: Final[dict[str, str]] = {"sources": "file", "terms": "zh"}
"""Field naming a record, for tables whose records have no ``id``."""

CROSSING_TOLERANCE_M: float = 2100.0
"""How far (metres) a feature may reach into a city before it "crosses" it.

A city counts as crossed when the geometry meets the city polygon shrunk by
this much. It absorbs the 2 km by which the Yellow River greenway is cut
beyond its cities' borders (the river line is approximate) and border
waypoints; a straight line through a neighbouring county goes much deeper."""

GENERATED_BY: Final = "scripts/build_content_geodata.py"
"""The script that writes the content layers from ``data/projects.yaml``."""

CONTEXT_LAYERS: Final[tuple[str, ...]] = ("provinces", "lakes", "rivers", "places")
"""Layers of the surroundings: their coordinates lie in
:data:`circlemap.settings.CONTEXT_BOUNDS` (the others in ``REGION_BOUNDS``)."""

_KIND_BY_FILE: Final[dict[str, str]] = {
    name: kind for kind, name in {**LAYER_FILES, **TABLE_FILES}.items()
}


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


def check_file(path: Path, kind: str | None = None, *, check_quotes: bool = True) -> CheckedFile:
    """Read ``path`` and run every per-file check.

    Parameters
    ----------
    path : Path
        A GeoJSON layer or YAML table.
    kind : str, optional
        Layer or table name; guessed from the file name when None.
    check_quotes : bool
        Check quotes against the seed texts when :data:`settings.SEEDS_DIR`
        exists (:func:`circlemap.quote_checks.seeds_available`); False skips it.
    """
    kind = kind or kind_of(path)
    checked = CheckedFile(path=path, kind=kind)
    if not path.is_file():
        checked.problems.append((None, None, "file not found"))
        return checked
    try:
        data = reading.read_data_file(path)
    except datafiles.DataFileError as exc:
        checked.problems.append((None, None, str(exc)))
        return checked
    checked.problems.extend(check_data(kind, data, check_quotes=check_quotes))
    if not checked.problems or _shape_ok(kind, data):
        checked.data = data
    return checked


def check_data(kind: str, data: Any, *, check_quotes: bool = True) -> list[Problem]:
    """Every per-record problem of one parsed file (``kind`` as in :func:`kind_of`)."""
    shape = _shape_problem(kind, data) or _size_problem(kind, data)
    if shape is not None:
        return [(None, None, shape)]
    problems: list[Problem] = _member_problems(kind, data)
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
            bounds = settings.CONTEXT_BOUNDS if kind in CONTEXT_LAYERS else None
            problems.extend(
                (label, "geometry", m)
                for m in geometry_problems(record.get("geometry"), bounds=bounds)
            )
        if check_quotes:
            problems.extend(quote_checks.record_quote_problems(props, label))
        if kind == "place_records":
            problems.extend(_bounds_problems_of_place(props, label))
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
    models: dict[str, type[BaseModel]] = {
        "measures": schema.Measure,
        "milestones": schema.Milestone,
        "sources": schema.SourceRecord,
        "place_records": schema.PlaceRecord,
        "project_records": schema.ProjectRecord,
        "terms": schema.TermRecord,
    }
    if kind in models:
        return models[kind]
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
        return "expected a list of records (YAML '- field: value' items)"
    return None


COLLECTION_MEMBERS: Final = frozenset({"type", "features", "generated", "name"})
"""Members a stored FeatureCollection may have (``generated``: the content layers' note)."""

FEATURE_MEMBERS: Final = frozenset({"type", "properties", "geometry", "id"})
"""Members a stored Feature may have; anything else is an unknown extra member."""


def _size_problem(kind: str, data: Any) -> str | None:
    """A layer or table past the limits of :mod:`circlemap.settings`, else None."""
    if kind not in LAYER_FILES:
        limit = settings.MAX_TABLE_RECORDS
        if len(data) > limit:
            return f"{len(data):,} records (expected at most {limit:,}, settings.MAX_TABLE_RECORDS)"
        return None
    features = data["features"]
    if len(features) > settings.MAX_LAYER_FEATURES:
        return (
            f"{len(features):,} features (expected at most {settings.MAX_LAYER_FEATURES:,} "
            "per layer, settings.MAX_LAYER_FEATURES)"
        )
    vertices = sum(geometry_checks.vertex_count(f.get("geometry")) for f in features)
    if vertices > settings.MAX_LAYER_VERTICES:
        return (
            f"{vertices:,} vertices (expected at most {settings.MAX_LAYER_VERTICES:,} per "
            "layer, settings.MAX_LAYER_VERTICES; simplify the geometry)"
        )
    return None


def _member_problems(kind: str, data: Any) -> list[Problem]:
    """Unknown members of a FeatureCollection or of its Features (GeoJSON layers only)."""
    if kind not in LAYER_FILES:
        return []  # records: the pydantic models reject unknown fields
    problems: list[Problem] = [
        (None, key, f"unknown member (expected only {', '.join(sorted(COLLECTION_MEMBERS))})")
        for key in data
        if key not in COLLECTION_MEMBERS
    ]
    for rid, feature in _records(kind, data):
        problems.extend(
            (rid, key, f"unknown member (expected only {', '.join(sorted(FEATURE_MEMBERS))})")
            for key in feature
            if key not in FEATURE_MEMBERS
        )
    return problems


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
            rid = row.get(ID_FIELDS.get(kind, "id"))
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


def _bounds_problems_of_place(record: Mapping[str, Any], rid: str | None) -> list[Problem]:
    lon, lat = record.get("lon"), record.get("lat")
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return []
    return [
        (rid, "lon", m)
        for m in geometry_checks.bounds_problems([(float(lon), float(lat))], settings.REGION_BOUNDS)
    ]


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
    _content_checks(files)


def _content_checks(files: list[CheckedFile]) -> None:
    """Crossings, measure-feature cities, places, geometry specs, stale generated layers.

    Base layers (cities, context, counties) come from ``files`` or, when not
    among them, from the repository; content layers and tables only from ``files``.
    """
    by_kind = {c.kind: c for c in files if c.data is not None}

    def data_of(kind: str) -> Any:
        if kind in by_kind:
            return by_kind[kind].data
        return _repository_data(kind)

    polygons = content_checks.city_polygons(data_of("cities"), data_of("context"))
    features: dict[str, list[str]] = {}
    for kind in CONTENT_LAYERS:
        if kind not in by_kind:
            continue
        layer = by_kind[kind]
        collection = layer.data.get("features", []) if isinstance(layer.data, dict) else []
        for feature in collection:
            props = feature.get("properties") if isinstance(feature, dict) else None
            if isinstance(props, dict) and isinstance(props.get("cities"), list):
                features[str(props.get("id"))] = props["cities"]
        if polygons:
            layer.problems.extend(
                content_checks.crossing_problems(collection, polygons, CROSSING_TOLERANCE_M)
            )
            layer.problems.extend(geometry_checks.point_city_problems(collection, polygons))
        if "project_records" in by_kind:
            layer.problems.extend(
                content_checks.stale_layer_problems(
                    by_kind["project_records"].data, kind, layer.data
                )
            )
    if "measures" in by_kind and features:
        by_kind["measures"].problems.extend(
            content_checks.measure_city_problems(by_kind["measures"].data, features)
        )
    counties = data_of("counties")
    _gcj_checks(by_kind, [data_of(k) for k in ("cities", "context", "counties", "river")])
    if "place_records" in by_kind:
        by_kind["place_records"].problems.extend(
            content_checks.place_problems(by_kind["place_records"].data, counties, polygons)
        )
    if "project_records" in by_kind:
        places = (
            by_kind["place_records"].data
            if "place_records" in by_kind
            else _repository_data("place_records")
        )
        place_ids = {str(r.get("id")) for r in places or [] if isinstance(r, dict)}
        adcodes = {
            str((f.get("properties") or {}).get("adcode"))
            for f in (counties or {}).get("features", [])
        }
        by_kind["project_records"].problems.extend(
            content_checks.project_record_problems(
                by_kind["project_records"].data, place_ids, adcodes
            )
        )


def _gcj_checks(by_kind: Mapping[str, CheckedFile], base: list[Any]) -> None:
    """Flag a GCJ-02-shifted content layer or places table (see ``gcj_shift_problem``)."""
    targets = [k for k in (*CONTENT_LAYERS, "place_records") if k in by_kind]
    if not targets:
        return
    lines = geometry_checks.base_lines(*base)
    layers = [by_kind[k].data if k in by_kind else _repository_data(k) for k in CONTENT_LAYERS]
    content = {
        kind: [
            p
            for f in (data or {}).get("features", [])
            for p in geometry_checks.positions_of(f.get("geometry"))
        ]
        for kind, data in zip(CONTENT_LAYERS, layers, strict=True)
    }
    for kind in targets:
        checked = by_kind[kind]
        reference = lines
        if kind == "place_records":
            positions = [
                (float(r["lon"]), float(r["lat"]))
                for r in checked.data
                if isinstance(r.get("lon"), int | float) and isinstance(r.get("lat"), int | float)
            ]
            # places are where the generated layers are drawn: their vertices are a reference
            drawn = [p for kind_positions in content.values() for p in kind_positions]
            if drawn:
                reference = shapely.union_all([lines, shapely.multipoints(drawn)])
        else:
            positions = content[kind]
        problem = geometry_checks.gcj_shift_problem(positions, reference)
        if problem is not None:
            checked.problems.append(
                (None, "lon" if kind == "place_records" else "geometry", problem)
            )


def _repository_data(kind: str) -> Any:
    """Parsed data of one of the repository's own files (None if it does not read)."""
    path = repository_files()[kind]
    return check_file(path, kind).data if path.is_file() else None


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


def validate_files(
    paths: Iterable[Path], *, check_quotes: bool = True
) -> list[errors.DataValidationError]:
    """Check the given files; one error per file that has problems.

    When measures are checked without any content layer among ``paths``,
    their links are checked against the repository's content layers.
    ``check_quotes=False`` skips the quote check (see :func:`check_file`).
    """
    checked = [check_file(Path(p), check_quotes=check_quotes) for p in paths]
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
