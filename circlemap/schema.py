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
)

from circlemap import vocab

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Feature, measure and milestone ids: lower-case kebab-case ASCII."""

SOURCE_PATTERN: Final = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
"""Seed file names, e.g. ``000_62d8a2b4d5d19bc4.txt``."""

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
        msg = f"unknown source {value!r} (expected one of {_allowed(vocab.SOURCES)})"
        raise ValueError(msg)
    return value


def _quote(value: str) -> str:
    if not value.strip():
        msg = "empty quote (expected a verbatim substring of the source text)"
        raise ValueError(msg)
    if "\n" in value:
        msg = "quote spans a line break (expected one contiguous paragraph of the source)"
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


PlainText = Annotated[str, AfterValidator(_plain_text)]
RecordId = Annotated[str, AfterValidator(_record_id)]
CityName = Annotated[str, AfterValidator(_city)]
Cities = Annotated[tuple[CityName, ...], Field(min_length=1), AfterValidator(_unique)]
KindKey = Annotated[str, AfterValidator(_vocab_key(vocab.KINDS, "kind"))]
StatusKey = Annotated[str, AfterValidator(_vocab_key(vocab.STATUSES, "status"))]
AccuracyKey = Annotated[str, AfterValidator(_vocab_key(vocab.ACCURACIES, "geometry_accuracy"))]
CategoryKey = Annotated[str, AfterValidator(_vocab_key(vocab.CATEGORIES, "category"))]
ScopeKey = Annotated[str, AfterValidator(_vocab_key(vocab.SCOPES, "scope"))]
SourceName = Annotated[str, AfterValidator(_source)]
Quote = Annotated[str, AfterValidator(_quote)]
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
    source: SourceName
    quote: Quote
    part_of: RecordId | None = None
    description_zh: PlainText | None = None
    description_en: PlainText | None = None


# --- base layers (cities, counties, context, river) ---------------------------------------


class BaseFeatureProperties(BaseModel):
    """Properties every base-layer feature carries; other properties are kept as stored."""

    model_config = ConfigDict(extra="allow", frozen=True)

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


class CountyProperties(BaseFeatureProperties):
    """A county-level division of ``counties.geojson``."""

    kind: Literal["county"]
    adcode: Annotated[str, Field(pattern=r"^\d{6}$")]
    city: CityName


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
    """One row of ``data/measures.json``: a commitment the sources state."""

    id: RecordId
    category: CategoryKey
    title_zh: PlainText
    title_en: PlainText
    scope: ScopeKey
    cities: Cities
    status: StatusKey
    source: SourceName
    quote: Quote
    features: Annotated[tuple[RecordId, ...], AfterValidator(_unique)]


class SourceRef(_Record):
    """Another source that reports the same milestone, with its own verbatim quote."""

    source: SourceName
    quote: Quote


class Milestone(_Record):
    """One row of ``data/milestones.json``: a dated event of the timeline.

    ``date_precision`` says how much of ``date`` is known (``year`` dates are
    ``YYYY-01-01``); ``end_date`` is set only for a range; ``also_in`` lists
    other sources reporting the same event.
    """

    id: RecordId
    date: IsoDate
    end_date: IsoDate | None
    date_precision: Literal["day", "month", "year"] = "day"
    text_zh: PlainText
    text_en: PlainText
    source: SourceName
    quote: Quote
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
