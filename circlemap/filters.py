"""The one filter state every page shares, and the functions that apply it.

A :class:`Selection` is immutable and hashable, so it can key caches and be
compared across reruns. An empty tuple means "no restriction".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import geopandas as gpd
import pandas as pd

from circlemap import vocab


@dataclass(frozen=True, slots=True)
class Selection:
    """What the user narrowed the view to.

    Attributes
    ----------
    cities : tuple of str
        Zh city names (keys of :data:`circlemap.vocab.CITY_BY_ZH`).
    kinds : tuple of str
        Feature kinds (keys of :data:`circlemap.vocab.KINDS`).
    statuses : tuple of str
        Statuses (keys of :data:`circlemap.vocab.STATUSES`).
    categories : tuple of str
        Measure categories (keys of :data:`circlemap.vocab.CATEGORIES`).
    """

    cities: tuple[str, ...] = field(default=())
    kinds: tuple[str, ...] = field(default=())
    statuses: tuple[str, ...] = field(default=())
    categories: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Normalise order and duplicates so equal selections compare equal.
        for name, allowed in (
            ("cities", [c.zh for c in vocab.CITIES]),
            ("kinds", list(vocab.KINDS)),
            ("statuses", list(vocab.STATUSES)),
            ("categories", list(vocab.CATEGORIES)),
        ):
            values = getattr(self, name)
            unknown = [v for v in values if v not in allowed]
            if unknown:
                msg = f"unknown {name}: {', '.join(map(str, unknown))}"
                raise ValueError(msg)
            object.__setattr__(self, name, tuple(v for v in allowed if v in values))

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.cities or self.kinds or self.statuses or self.categories)

    def with_(self, **changes: Iterable[str]) -> Selection:
        """Return a copy with some fields replaced."""
        return replace(self, **{k: tuple(v) for k, v in changes.items()})


def _touches(values: Iterable[str], wanted: tuple[str, ...]) -> bool:
    return not wanted or any(v in wanted for v in values)


def filter_features(
    features: gpd.GeoDataFrame, selection: Selection, *, measures: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """Keep the project and corridor features the selection allows.

    A feature is kept when it touches one of the chosen cities, has one of
    the chosen kinds and statuses, and (when categories are chosen and
    ``measures`` is given) is linked by a measure of one of those categories.

    Parameters
    ----------
    features : GeoDataFrame
        ``Catalog.features`` (EPSG:4326), with ``cities``, ``kind``,
        ``status`` and ``measure_ids`` columns.
    selection : Selection
    measures : DataFrame, optional
        ``Catalog.measures``; needed only to apply ``selection.categories``.
    """
    keep = pd.Series(True, index=features.index)
    if selection.cities:
        keep &= features["cities"].map(lambda cs: _touches(cs, selection.cities))
    if selection.kinds:
        keep &= features["kind"].isin(selection.kinds)
    if selection.statuses:
        keep &= features["status"].isin(selection.statuses)
    if selection.categories and measures is not None:
        wanted = set(measures.index[measures["category"].isin(selection.categories)])
        keep &= features["measure_ids"].map(lambda ids: any(i in wanted for i in ids))
    return features[keep]


def filter_measures(
    measures: pd.DataFrame, selection: Selection, *, features: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Keep the measures the selection allows.

    A measure is kept when it concerns one of the chosen cities, has one of
    the chosen statuses and categories, and (when kinds are chosen and
    ``features`` is given) links a feature of one of those kinds.
    """
    keep = pd.Series(True, index=measures.index)
    if selection.cities:
        keep &= measures["cities"].map(lambda cs: _touches(cs, selection.cities))
    if selection.statuses:
        keep &= measures["status"].isin(selection.statuses)
    if selection.categories:
        keep &= measures["category"].isin(selection.categories)
    if selection.kinds and features is not None:
        wanted = set(features.index[features["kind"].isin(selection.kinds)])
        keep &= measures["features"].map(lambda ids: any(i in wanted for i in ids))
    return measures[keep]


def search_measures(measures: pd.DataFrame, text: str) -> pd.DataFrame:
    """Keep measures whose title (zh or en), quote or id contains ``text``.

    Case-insensitive; blank text keeps everything.
    """
    needle = text.strip().casefold()
    if not needle:
        return measures
    haystack = (
        measures.index.to_series().astype(str)
        + "\n"
        + measures["title_zh"]
        + "\n"
        + measures["title_en"]
        + "\n"
        + measures["quote"]
    ).str.casefold()
    return measures[haystack.str.contains(needle, regex=False)]
