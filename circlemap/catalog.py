"""Load every layer and table, validated, into one immutable :class:`Catalog`.

All geometries are EPSG:4326 (WGS-84 lon/lat degrees), as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from circlemap import errors, quotes, settings, validate, vocab

FEATURE_COLUMNS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "kind",
    "group",
    "status",
    "cities",
    "geometry_accuracy",
    "accuracy_note_zh",
    "accuracy_note_en",
    "standing",
    "source",
    "quote",
    "quote_fragments",
    "quote_reader_zh",
    "quote_en",
    "part_of",
    "description_zh",
    "description_en",
    "layer",
    "measure_ids",
)
"""Columns of :attr:`Catalog.features` besides ``geometry`` (index: ``id``)."""

MEASURE_COLUMNS: tuple[str, ...] = (
    "category",
    "title_zh",
    "title_en",
    "scope",
    "cities",
    "status",
    "standing",
    "source",
    "quote",
    "quote_fragments",
    "quote_reader_zh",
    "quote_en",
    "features",
)
"""Columns of :attr:`Catalog.measures` (index: ``id``)."""

MILESTONE_COLUMNS: tuple[str, ...] = (
    "date",
    "end_date",
    "date_precision",
    "text_zh",
    "text_en",
    "source",
    "quote",
    "quote_fragments",
    "quote_reader_zh",
    "quote_en",
    "also_in",
)
"""Columns of :attr:`Catalog.milestones` (index: ``id``).

Quote columns, in every table: ``quote`` the verbatim text (fragments joined),
``quote_fragments`` the verbatim fragments as stored, ``quote_reader_zh`` what
Chinese readers see (conversion leftovers removed, Simplified for a
Traditional source; equal to ``quote`` for a clean Simplified source),
``quote_en`` the source's own English sentence or None."""


OPTIONAL_FILES: tuple[str, ...] = ("place_records", "project_records", "terms")
"""Hand-edited files the app does not read (the generated layers carry what it needs);
:func:`load_catalog` checks them when present, ``python -m circlemap validate`` always."""


def empty_frame() -> gpd.GeoDataFrame:
    """An empty base layer (columns ``id``, ``name_zh``, ``name_en``, ``kind``; EPSG:4326)."""
    return gpd.GeoDataFrame(
        {"id": [], "name_zh": [], "name_en": [], "kind": []},
        geometry=gpd.GeoSeries([], crs=settings.STORAGE_CRS),
        crs=settings.STORAGE_CRS,
    )


@dataclass(frozen=True)
class Catalog:
    """Everything the map, the panels and the exports show.

    Attributes
    ----------
    cities, counties, context, river : GeoDataFrame
        Base layers as stored (EPSG:4326), ``cities`` as lists.
    provinces, lakes, rivers, places : GeoDataFrame
        The surroundings as stored (EPSG:4326): neighbouring provinces and the
        provincial border line (``kind`` ``province``/``border``), lakes, the other
        rivers of the region, label points of provinces, cities and counties
        (``rank``). Empty when the data set has no such file.
    features : GeoDataFrame
        Projects and corridors in one frame (EPSG:4326), index ``id``; columns
        :data:`FEATURE_COLUMNS`: ``group`` is the map layer of the kind
        (``transport``/``site``/``ecology``), ``layer`` the file it came from
        (``projects``/``corridors``), ``cities`` and ``measure_ids`` (measures
        linking the feature, in table order) are tuples, ``part_of`` and the
        descriptions are None when absent.
    measures : DataFrame
        Index ``id``; columns :data:`MEASURE_COLUMNS`; ``cities`` and
        ``features`` are tuples.
    milestones : DataFrame
        Index ``id``, sorted by ``date`` (then ``end_date``); ``date`` and
        ``end_date`` are ``datetime64`` (``end_date`` NaT unless a range),
        ``also_in`` a tuple of ``{source, quote}`` dicts (quote joined).
    sources : DataFrame
        ``data/sources.yaml``, index ``file``.
    """

    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    river: gpd.GeoDataFrame
    features: gpd.GeoDataFrame
    measures: pd.DataFrame
    milestones: pd.DataFrame
    sources: pd.DataFrame | None = None
    provinces: gpd.GeoDataFrame = field(default_factory=empty_frame)
    lakes: gpd.GeoDataFrame = field(default_factory=empty_frame)
    rivers: gpd.GeoDataFrame = field(default_factory=empty_frame)
    places: gpd.GeoDataFrame = field(default_factory=empty_frame)


def load_catalog(*, geodata_dir: Path | None = None, data_dir: Path | None = None) -> Catalog:
    """Read, validate and assemble every layer and table.

    Parameters
    ----------
    geodata_dir, data_dir : Path, optional
        Folders of the GeoJSON layers and JSON tables; default
        :data:`circlemap.settings.GEODATA_DIR` / :data:`~circlemap.settings.DATA_DIR`
        (read at call time).

    Source files named by ``source`` fields are looked up in
    ``settings.DATA_DIR / "sources.yaml"`` (:data:`circlemap.vocab.SOURCES`).

    Raises
    ------
    circlemap.errors.DataValidationError
        For the first file that is missing or breaks the schema; the message
        lists every problem of that file (file, feature id, field, expected).
    """
    paths = validate.repository_files(geodata_dir=geodata_dir, data_dir=data_dir)
    checked = {
        kind: validate.check_file(path, kind)
        for kind, path in paths.items()
        # Optional files, and the surroundings (a small test data set may leave
        # them out), are checked like every other file when present.
        if (kind not in OPTIONAL_FILES and kind not in validate.CONTEXT_LAYERS) or path.is_file()
    }
    validate.cross_check(checked.values())
    for item in checked.values():
        if item.problems:
            raise errors.DataValidationError(validate.display_path(item.path), item.problems)
    return catalog_from_data({kind: item.data for kind, item in checked.items()})


def quote_columns(record: dict[str, Any]) -> dict[str, Any]:
    """The quote columns of one record (see :data:`MILESTONE_COLUMNS`).

    The source's ``cleaning`` and ``script`` come from ``data/sources.yaml``.
    """
    source = vocab.source_record(str(record.get("source"))) or {}
    forms = quotes.forms(
        record["quote"],
        cleaning=tuple(source.get("cleaning") or ()),
        script=str(source.get("script", "simplified")),
        quote_en=record.get("quote_en"),
    )
    return {
        "quote": forms.verbatim,
        "quote_fragments": forms.fragments,
        "quote_reader_zh": forms.reader_zh,
        "quote_en": forms.en,
    }


def sources_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``data/sources.yaml`` records as a DataFrame, index ``file``."""
    return pd.DataFrame(rows, columns=None if rows else ["file"]).set_index("file")


def base_frame(collection: dict[str, Any]) -> gpd.GeoDataFrame:
    """A base layer FeatureCollection as a GeoDataFrame (EPSG:4326), properties as stored."""
    return gpd.GeoDataFrame.from_features(collection["features"], crs=settings.STORAGE_CRS)


def features_frame(
    collections: dict[str, dict[str, Any]], measures: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """Content layers (``{"projects": fc, "corridors": fc}``) as one GeoDataFrame.

    Index ``id``; columns :data:`FEATURE_COLUMNS` plus ``geometry`` (EPSG:4326).
    ``measure_ids`` is filled from ``measures`` (a :func:`measures_frame`).
    """
    rows: list[dict[str, Any]] = []
    geometries: list[Any] = []
    for layer, collection in collections.items():
        frame = gpd.GeoDataFrame.from_features(collection["features"], crs=settings.STORAGE_CRS)
        for _, row in frame.iterrows():
            record = {column: row.get(column) for column in FEATURE_COLUMNS}
            record.update(quote_columns({**record, "quote": row["quote"]}))
            record["id"] = row["id"]
            record["layer"] = layer
            rows.append(record)
            geometries.append(row.geometry)
    links: dict[str, list[str]] = {}
    if measures is not None:
        for mid, linked in measures["features"].items():
            for fid in linked:
                links.setdefault(fid, []).append(str(mid))
    for record in rows:
        record["cities"] = tuple(record["cities"])
        record["group"] = vocab.KINDS[record["kind"]].group
        record["measure_ids"] = tuple(links.get(record["id"], ()))
        for optional in ("part_of", "description_zh", "description_en", "quote_en"):
            if not isinstance(record[optional], str):
                record[optional] = None
    frame = gpd.GeoDataFrame(
        rows,
        columns=["id", *FEATURE_COLUMNS],
        geometry=gpd.GeoSeries(geometries, crs=settings.STORAGE_CRS),
        crs=settings.STORAGE_CRS,
    )
    frame = frame.set_index("id")
    for optional in ("part_of", "description_zh", "description_en", "quote_en"):
        # object dtype keeps None (a string dtype would turn it into NaN)
        frame[optional] = pd.Series(
            [record[optional] for record in rows], index=frame.index, dtype=object
        )
    return frame


def measures_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``data/measures.yaml`` records as a DataFrame, index ``id``, tuples for lists."""
    records = [
        {
            **row,
            **quote_columns(row),
            "cities": tuple(row["cities"]),
            "features": tuple(row.get("features") or ()),
        }
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=["id", *MEASURE_COLUMNS]).set_index("id")
    frame["quote_en"] = pd.Series([r["quote_en"] for r in records], index=frame.index, dtype=object)
    return frame


def milestones_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``data/milestones.yaml`` records as a DataFrame, index ``id``, sorted by date."""
    records = [
        {
            **row,
            **quote_columns(row),
            "end_date": row.get("end_date"),
            "date_precision": row.get("date_precision", "day"),
            "also_in": tuple(
                {**ref, "quote": quotes.joined(ref["quote"])} for ref in row.get("also_in", ())
            ),
        }
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=["id", *MILESTONE_COLUMNS])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["end_date"] = pd.to_datetime(frame["end_date"], format="%Y-%m-%d")
    frame = frame.sort_values(["date", "end_date"], kind="stable", na_position="first")
    frame = frame.set_index("id")
    frame["quote_en"] = frame["quote_en"].astype(object).where(frame["quote_en"].notna(), None)
    return frame


def catalog_from_data(data: Mapping[str, Any]) -> Catalog:
    """A :class:`Catalog` from the parsed contents of the data files, not read from disk.

    The public constructor for a catalog held in memory (tests, tools): the
    same frames :func:`load_catalog` builds (:func:`base_frame`,
    :func:`features_frame`, :func:`measures_frame`, :func:`milestones_frame`),
    so the columns, tuples and derived fields (``group``, ``layer``,
    ``measure_ids``) are the loader's.

    Parameters
    ----------
    data : mapping
        Keyed by layer or table name (the keys of
        :data:`circlemap.validate.LAYER_FILES` and
        :data:`~circlemap.validate.TABLE_FILES`): a GeoJSON FeatureCollection
        (EPSG:4326) per layer, a list of records per table, as in the files.
        A missing key stands for an empty layer or table.

    Notes
    -----
    Nothing is validated: check data with :func:`circlemap.validate.check_data`
    first when it does not come from a test.
    """
    empty: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    measures = measures_frame(list(data.get("measures", ())))
    content = {layer: data.get(layer, empty) for layer in ("projects", "corridors")}
    return Catalog(
        cities=base_frame(data.get("cities", empty)),
        counties=base_frame(data.get("counties", empty)),
        context=base_frame(data.get("context", empty)),
        river=base_frame(data.get("river", empty)),
        features=features_frame(content, measures),
        measures=measures,
        milestones=milestones_frame(list(data.get("milestones", ()))),
        sources=sources_frame(list(data.get("sources", ()))),
        **{
            kind: base_frame(data[kind]) if kind in data else empty_frame()
            for kind in validate.CONTEXT_LAYERS
        },
    )
