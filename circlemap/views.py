"""What each page's map shows: the features and measures a selection keeps, per map page.

Pure functions of a :class:`~circlemap.catalog.Catalog`, a
:class:`~circlemap.filters.Selection` and a page name (:data:`MAP_VIEWS`);
no Streamlit import. The pages (through :mod:`circlemap.panels`) and the
exports (:mod:`circlemap.export`) both call these, so an export holds
exactly what the page's map shows. The page name is checked in one place,
:func:`check_view`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import pandas as pd

from circlemap import settings, vocab
from circlemap.errors import UnknownViewError
from circlemap.filters import Selection, filter_features, filter_measures, search_measures
from circlemap.i18n import term

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


NEAR_RIVER_M: Final = 15_000.0
"""A site counts as "along the Yellow River" within this distance (metres, UTM 50N)."""


DEFAULT_VIEW: Final = "overview"
"""The map page an export shows unless told otherwise (every feature the selection keeps)."""


MAP_VIEWS: Final[tuple[str, ...]] = ("overview", "transport", "ecology")
"""Pages that draw a map; :func:`map_view_features` says what each one draws."""


def source_title(source: object, lang: str) -> str | None:
    """Title of a source text in ``lang`` (``None`` for a file not in :data:`vocab.SOURCES`)."""
    key = str(source)
    return term(vocab.SOURCES, key, lang) if key in vocab.SOURCES else None


def source_label(source: str, lang: str) -> str:
    """Title of a source text and its file name, e.g. ``鲁中晨报… · 000_….txt``."""
    title = source_title(source, lang)
    return f"{title} · {source}" if title else source


def visible_features(
    catalog: Catalog, selection: Selection, *, groups: Sequence[str] = ()
) -> gpd.GeoDataFrame:
    """Content features the selection allows, optionally only some map groups."""
    kept = filter_features(catalog.features, selection, measures=catalog.measures)
    if groups:
        kept = kept[kept["group"].isin(groups)]
    return kept


def visible_measures(
    catalog: Catalog,
    selection: Selection,
    *,
    scopes: Sequence[str] = (),
    text: str = "",
) -> pd.DataFrame:
    """Measures the selection allows, narrowed by scope and a zh/en text search."""
    kept = filter_measures(catalog.measures, selection, features=catalog.features)
    if scopes:
        kept = kept[kept["scope"].isin(scopes)]
    return search_measures(kept, text)


def sites_along_river(catalog: Catalog, selection: Selection) -> gpd.GeoDataFrame:
    """Visible sites within :data:`NEAR_RIVER_M` metres of the Yellow River.

    Distances are measured in :data:`circlemap.settings.METRIC_CRS` (metres).
    """
    sites = visible_features(catalog, selection, groups=("site",))
    if sites.empty:
        return sites
    river = catalog.river.to_crs(settings.METRIC_CRS).union_all()
    distance = sites.to_crs(settings.METRIC_CRS).distance(river)
    return sites[distance <= NEAR_RIVER_M]


def ecology_measures(catalog: Catalog, selection: Selection) -> pd.DataFrame:
    """Visible measures of the ecology category (whatever categories are chosen)."""
    return visible_measures(catalog, selection.with_(categories=("ecology",)))


def concat_features(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Several feature frames as one (EPSG:4326), each id once, in argument order."""
    joined = pd.concat(frames)
    return gpd.GeoDataFrame(
        joined[~joined.index.duplicated()], geometry="geometry", crs=settings.STORAGE_CRS
    )


def check_view(view: str) -> str:
    """``view`` if it is a map page (:data:`MAP_VIEWS`).

    Raises
    ------
    circlemap.errors.UnknownViewError
        For any other name; the message lists the map pages.
    """
    if view not in MAP_VIEWS:
        msg = f"unknown view {view!r} (expected one of {', '.join(MAP_VIEWS)})"
        raise UnknownViewError(msg)
    return view


def map_view_features(catalog: Catalog, selection: Selection, view: str) -> gpd.GeoDataFrame:
    """The content features the map of page ``view`` draws for ``selection``.

    ``overview``: every visible feature; ``transport``: the transport links;
    ``ecology``: the green corridors plus the sites along the Yellow River.
    The pages and the exports both call this, so an export holds exactly
    what the page's map shows.

    Raises
    ------
    circlemap.errors.UnknownViewError
        For a ``view`` not in :data:`MAP_VIEWS` (:func:`check_view`).
    """
    if check_view(view) == "transport":
        return visible_features(catalog, selection, groups=("transport",))
    if view == "ecology":
        return concat_features(
            visible_features(catalog, selection, groups=("ecology",)),
            sites_along_river(catalog, selection),
        )
    return visible_features(catalog, selection)


def selected_features(
    catalog: Catalog,
    selection: Selection,
    *,
    feature: str | None = None,
    view: str = DEFAULT_VIEW,
) -> gpd.GeoDataFrame:
    """Features the map of page ``view`` draws (EPSG:4326), plus ``feature`` if it is hidden."""
    kept = map_view_features(catalog, selection, view)
    if feature is not None and feature not in kept.index:
        kept = pd.concat([kept, catalog.features.loc[[feature]]])
    return kept


def selected_measures(
    catalog: Catalog, selection: Selection, *, view: str = DEFAULT_VIEW
) -> pd.DataFrame:
    """Measures the page ``view`` lists for the selection (the ecology page: ecology only)."""
    if check_view(view) == "ecology":
        return ecology_measures(catalog, selection)
    return filter_measures(catalog.measures, selection, features=catalog.features)
