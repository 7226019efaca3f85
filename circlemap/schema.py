"""The one schema of every data file: feature properties, measures, milestones.

The pydantic models check single records (required fields, vocabulary keys,
plain text, id syntax, dates). Checks that need more than one record or a
file on disk (unique ids, links, quotes in the seed texts, geometry) live in
:mod:`circlemap.validate`, which applies these models to whole files.

Free text (names, titles, notes, descriptions) is plain text: any ``<`` or
``>`` is rejected so markup never enters the data; every view escapes text
anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from circlemap import quotes, vocab

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Feature, measure and milestone ids: lower-case kebab-case ASCII."""

SOURCE_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$")
"""Seed file names: a plain ASCII ``.txt`` file name, e.g. ``000_62d8a2b4d5d19bc4.txt``."""

DATE_PATTERN: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DATE_PRECISIONS: Final[tuple[str, ...]] = ("day", "month", "year")
"""How much of a milestone date is known; ``year`` dates are ``YYYY-01-01``."""

CONTENT_GEOMETRY_TYPES: Final[tuple[str, ...]] = (
    "Point",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
"""Geometry types allowed in every layer."""

BASE_KINDS: Final[tuple[str, ...]] = (
    "city",
    "county",
    "river",
    "province",
    "border",
    "lake",
    "place",
)
"""``kind`` of base-layer features (not in :data:`circlemap.vocab.KINDS`)."""


# --- value checks --------------------------------------------------------------------------


def _allowed(keys: Any) -> str:
    return ", ".join(str(k) for k in keys)


def _plain_text(value: str) -> str:
    if not value.strip():
        msg = "empty text (expected a non-empty plain-text string)"
        raise ValueError(msg)
    if "<" in value or ">" in value:
        msg = f"markup is not allowed: {value!r} contains '<' or '>' (expected plain text)"
        raise ValueError(msg)
    return value


def _vocab_key(mapping: Mapping[str, Any], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in mapping:
            msg = f"unknown {what} {value!r} (expected one of {_allowed(mapping)})"
            raise ValueError(msg)
        return value

    return check


def _city(value: str) -> str:
    if value not in vocab.CITY_BY_ZH:
        msg = f"unknown city {value!r} (expected one of {_allowed(vocab.CITY_BY_ZH)})"
        raise ValueError(msg)
    return value


def _record_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        msg = f"bad id {value!r} (expected kebab-case: lower-case letters, digits and '-')"
        raise ValueError(msg)
    return value


def _source(value: str) -> str:
    if not SOURCE_PATTERN.match(value):
        msg = f"bad source {value!r} (expected a seed file name like 000_62d8a2b4d5d19bc4.txt)"
        raise ValueError(msg)
    if value not in vocab.SOURCES:
        msg = (
            f"unknown source {value!r} (expected the file of a record in data/sources.yaml: "
            f"{_allowed(vocab.SOURCES)})"
        )
        raise ValueError(msg)
    return value


def _fragment(value: str) -> str:
    if not value.strip():
        msg = "empty quote (expected a verbatim substring of the source text)"
        raise ValueError(msg)
    if "\n" in value:
        msg = (
            "quote spans a line break (expected one paragraph per fragment: a sentence "
            "that continues in a later column is a list of fragments)"
        )
        raise ValueError(msg)
    return value


def _as_fragments(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


def _fragments(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        msg = "empty list of quote fragments (expected at least one verbatim fragment)"
        raise ValueError(msg)
    return value


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        msg = f"repeated value(s) {_allowed(seen)} (expected each once)"
        raise ValueError(msg)
    return values


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not DATE_PATTERN.match(value):
        msg = f"bad date {value!r} (expected ISO YYYY-MM-DD)"
        raise ValueError(msg)
    if not isinstance(value, str | None):
        msg = f"bad date {value!r} (expected an ISO YYYY-MM-DD string)"
        raise ValueError(msg)
    return value


def _date_text(value: str) -> str:
    if not DATE_PATTERN.match(value):
        msg = f"bad date {value!r} (expected ISO YYYY-MM-DD in quotes)"
        raise ValueError(msg)
    return value


def _source_file(value: str) -> str:
    if not SOURCE_PATTERN.match(value):
        msg = f"bad file name {value!r} (expected a plain ASCII .txt name of the seeds folder)"
        raise ValueError(msg)
    return value


def _cleaning_rule(value: str) -> str:
    if value not in quotes.CLEANING_RULES:
        msg = f"unknown cleaning rule {value!r} (expected one of {_allowed(quotes.CLEANING_RULES)})"
        raise ValueError(msg)
    return value


PlainText = Annotated[str, AfterValidator(_plain_text)]
SourceFile = Annotated[str, AfterValidator(_source_file)]
CleaningRule = Annotated[str, AfterValidator(_cleaning_rule)]
RecordId = Annotated[str, AfterValidator(_record_id)]
CityName = Annotated[str, AfterValidator(_city)]
Cities = Annotated[tuple[CityName, ...], Field(min_length=1), AfterValidator(_unique)]
KindKey = Annotated[str, AfterValidator(_vocab_key(vocab.KINDS, "kind"))]
StatusKey = Annotated[str, AfterValidator(_vocab_key(vocab.STATUSES, "status"))]
AccuracyKey = Annotated[str, AfterValidator(_vocab_key(vocab.ACCURACIES, "geometry_accuracy"))]
CategoryKey = Annotated[str, AfterValidator(_vocab_key(vocab.CATEGORIES, "category"))]
ScopeKey = Annotated[str, AfterValidator(_vocab_key(vocab.SCOPES, "scope"))]
SourceName = Annotated[str, AfterValidator(_source)]
Fragment = Annotated[str, AfterValidator(_fragment)]
Quote = Annotated[tuple[Fragment, ...], BeforeValidator(_as_fragments), AfterValidator(_fragments)]
"""A verbatim quote: one string, or the verbatim fragments of a sentence split by
a column break (each in its own paragraph, in source order; shown joined)."""
StandingKey = Annotated[str, AfterValidator(_vocab_key(vocab.STANDINGS, "standing"))]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


# --- content layers (projects, corridors) -------------------------------------------------


class FeatureProperties(_Record):
    """Properties of one project or corridor feature (``geodata/projects.geojson``,
    ``geodata/corridors.geojson``).

    ``part_of`` (optional) names the feature a derived segment was cut from,
    e.g. the in-circle section of a line that runs beyond the circle.
    ``description_zh``/``description_en`` (optional) carry a short framing.
    """

    id: RecordId
    name_zh: PlainText
    name_en: PlainText
    kind: KindKey
    status: StatusKey
    cities: Cities
    geometry_accuracy: AccuracyKey
    accuracy_note_zh: PlainText
    accuracy_note_en: PlainText
    standing: StandingKey
    source: SourceName
    quote: Quote
    quote_en: Fragment | None = None
    part_of: RecordId | None = None
    description_zh: PlainText | None = None
    description_en: PlainText | None = None


class GeometrySpec(_Record):
    """How a feature of ``data/projects.yaml`` is drawn: exactly one of the fields.

    ``point`` a place id, ``line`` two or more place ids (straight segments),
    ``county`` an adcode of ``geodata/counties.geojson``, ``river_in_cities``
    circle cities whose stretch of the Yellow River is drawn, ``inside_circle_of``
    the id of a feature to cut by the seven circle cities.
    """

    point: RecordId | None = None
    line: Annotated[tuple[RecordId, ...], Field(min_length=2)] | None = None
    county: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    river_in_cities: Cities | None = None
    inside_circle_of: RecordId | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> GeometrySpec:
        given = [name for name, value in self if value is not None]
        if len(given) != 1:
            names = ", ".join(type(self).model_fields)
            msg = f"give exactly one way to draw the feature (one of {names}; got {len(given)})"
            raise ValueError(msg)
        return self


class ProjectRecord(FeatureProperties):
    """One record of ``data/projects.yaml``: a feature's properties and how it is drawn."""

    layer: Literal["projects", "corridors"]
    geometry: GeometrySpec


class SourceRecord(_Record):
    """One record of ``data/sources.yaml``: a source text and what it is."""

    file: SourceFile
    title_zh: PlainText
    title_en: PlainText
    date: Annotated[str, AfterValidator(_date_text)]
    language: Annotated[tuple[PlainText, ...], Field(min_length=1)]
    script: Literal["simplified", "traditional", "latin"]
    cleaning: tuple[CleaningRule, ...] = ()
    column_breaks: tuple[tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]], ...] = ()
    licence: PlainText
    note: PlainText | None = None


class PlaceRecord(_Record):
    """One record of ``data/places.yaml``: a named place, where it is and how we know."""

    id: RecordId
    name_zh: PlainText
    name_en: PlainText
    what: PlainText
    lon: float
    lat: float
    crs: Literal["EPSG:4326"]
    county: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    city: CityName | None = None
    basis: Literal["derived", "outside_knowledge"]
    provenance: PlainText
    uncertainty_m: Annotated[int, Field(ge=0)]
    uncertainty_note: PlainText


class TermRecord(_Record):
    """One record of ``data/terms.yaml``: the one English rendering of a Chinese term."""

    zh: PlainText
    en: PlainText
    note: PlainText | None = None


# --- base layers (cities, counties, context, river) ---------------------------------------


class BaseFeatureProperties(BaseModel):
    """Properties every base-layer feature carries; an unknown property is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RecordId
    name_zh: PlainText
    name_en: PlainText
    kind: Literal["city", "county", "river", "province", "border", "lake", "place"]
    cities: Annotated[tuple[CityName, ...], AfterValidator(_unique)]
    geometry_accuracy: AccuracyKey
    source: PlainText


class CityProperties(BaseFeatureProperties):
    """A city of ``cities.geojson`` or ``context.geojson``."""

    kind: Literal["city"]
    adcode: Annotated[str, Field(pattern=r"^\d{6}$")]
    area_km2: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None


class CountyProperties(BaseFeatureProperties):
    """A county-level division of ``counties.geojson``."""

    kind: Literal["county"]
    adcode: Annotated[str, Field(pattern=r"^\d{6}$")]
    city: CityName
    city_adcode: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    area_km2: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None


class RiverProperties(BaseFeatureProperties):
    """The Yellow River of ``yellow_river.geojson``, the other rivers of ``rivers.geojson``."""

    kind: Literal["river"]


class ProvinceProperties(BaseFeatureProperties):
    """A neighbouring province of ``provinces.geojson`` (clipped to the context box),
    or the provincial borders (``kind`` ``border``) of the same file."""

    kind: Literal["province", "border"]
    adcode: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None


class LakeProperties(BaseFeatureProperties):
    """A lake or reservoir of ``lakes.geojson``."""

    kind: Literal["lake"]
    area_km2: Annotated[float, Field(gt=0)]


class PlaceProperties(BaseFeatureProperties):
    """A label point of ``places.geojson``: where to write a province, city or county name."""

    kind: Literal["place"]
    adcode: Annotated[str, Field(pattern=r"^\d{6}$")]
    rank: Literal["province", "city", "county"]


# --- tables --------------------------------------------------------------------------------


class Measure(_Record):
    """One record of ``data/measures.yaml``: a commitment the sources state."""

    id: RecordId
    category: CategoryKey
    title_zh: PlainText
    title_en: PlainText
    scope: ScopeKey
    cities: Cities
    status: StatusKey
    standing: StandingKey
    source: SourceName
    quote: Quote
    quote_en: Fragment | None = None
    features: Annotated[tuple[RecordId, ...], AfterValidator(_unique)] = ()
    note: PlainText | None = None


class SourceRef(_Record):
    """Another source that reports the same milestone, with its own verbatim quote."""

    source: SourceName
    quote: Quote


class Milestone(_Record):
    """One record of ``data/milestones.yaml``: a dated event of the timeline.

    ``date_precision`` says how much of ``date`` is known (``year`` dates are
    ``YYYY-01-01``); ``end_date`` is set only for a range; ``also_in`` lists
    other sources reporting the same event.
    """

    id: RecordId
    date: IsoDate
    end_date: IsoDate | None = None
    date_precision: Literal["day", "month", "year"] = "day"
    text_zh: PlainText
    text_en: PlainText
    source: SourceName
    quote: Quote
    quote_en: Fragment | None = None
    also_in: tuple[SourceRef, ...] = ()

    @field_validator("end_date")
    @classmethod
    def _forward_range(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date")
        if value is not None and start is not None and value < start:
            msg = f"end_date {value} is before date {start} (expected a forward range)"
            raise ValueError(msg)
        return value

    @field_validator("date_precision")
    @classmethod
    def _precision_fits(cls, value: str, info: ValidationInfo) -> str:
        start = info.data.get("date")
        if start is None:
            return value
        if value == "year" and (start.month, start.day) != (1, 1):
            msg = f"date {start} with date_precision 'year' (expected the date as YYYY-01-01)"
            raise ValueError(msg)
        if value == "month" and start.day != 1:
            msg = f"date {start} with date_precision 'month' (expected the date as YYYY-MM-01)"
            raise ValueError(msg)
        return value


BASE_MODELS: Final[dict[str, type[BaseFeatureProperties]]] = {
    "cities": CityProperties,
    "context": CityProperties,
    "counties": CountyProperties,
    "river": RiverProperties,
    "provinces": ProvinceProperties,
    "lakes": LakeProperties,
    "rivers": RiverProperties,
    "places": PlaceProperties,
}
"""Property model of each base layer, keyed by layer name."""
