"""Streamlit glue: the only package of ``circlemap`` that imports Streamlit.

Pages and ``app.py`` use it as ``from circlemap import ui`` and ``ui.X``; the
names below are that public face, each owned by one module:

- :mod:`~circlemap.ui.keys`: the session-state keys (``KEY_*``) and page paths.
- :mod:`~circlemap.ui.data`: :func:`load_catalog` and the other cached loaders
  (keyed by the content of the data files), basemap keys from env or secrets.
- :mod:`~circlemap.ui.page_frame`: what ``app.py`` runs before the page, i.e.
  language switch, shared filters and basemap in the sidebar bound to session
  state, the page menu, ignored-link notices; returns a :class:`PageContext`
  (pages read it with :func:`context`). :func:`sync_query_params` mirrors the
  state to ``st.query_params``.
- :mod:`~circlemap.ui.selection`: select or focus a feature or city, the
  feature picker, "show on map".
- :mod:`~circlemap.ui.cards`: the feature card, the city panel, quotes and
  measure lists shared by pages.
- :mod:`~circlemap.ui.search_box`: the search box over the map.
- :mod:`~circlemap.ui.map`: :func:`show_map` (one ``st_folium`` call per page,
  clicks routed to the selected feature or city), :func:`fit`, and the export
  buttons under the map (:func:`export_panel`).
- :mod:`~circlemap.ui.briefings`: the briefing download buttons.
- :mod:`~circlemap.ui.error_page`: readable pages for a
  :class:`~circlemap.errors.DataValidationError`.

Patch a name where it is looked up (its module), not here: the modules
import each other's names directly.
"""

from __future__ import annotations

from circlemap.ui.briefings import briefing_buttons
from circlemap.ui.cards import city_panel, feature_card, measure_list, quote_block
from circlemap.ui.data import load_catalog
from circlemap.ui.error_page import error_pages
from circlemap.ui.keys import (
    KEY_BASEMAP,
    KEY_BRIEF_BATCH,
    KEY_BRIEF_PANEL,
    KEY_CATEGORIES,
    KEY_CITIES,
    KEY_EXPORT_PANEL,
    KEY_FEATURE,
    KEY_KINDS,
    KEY_LANG,
    KEY_MEASURE,
    KEY_MEASURE_QUERY,
    KEY_MILESTONE,
    KEY_SCOPES,
    KEY_STATUSES,
)
from circlemap.ui.map import MAP_COLUMNS, MAP_HEIGHT, export_panel, fit, show_map
from circlemap.ui.page_frame import (
    PageContext,
    context,
    frame,
    language,
    page_links,
    show_notices,
    sync_query_params,
)
from circlemap.ui.search_box import map_search
from circlemap.ui.selection import feature_picker, show_on_map

__all__ = [
    "KEY_BASEMAP",
    "KEY_BRIEF_BATCH",
    "KEY_BRIEF_PANEL",
    "KEY_CATEGORIES",
    "KEY_CITIES",
    "KEY_EXPORT_PANEL",
    "KEY_FEATURE",
    "KEY_KINDS",
    "KEY_LANG",
    "KEY_MEASURE",
    "KEY_MEASURE_QUERY",
    "KEY_MILESTONE",
    "KEY_SCOPES",
    "KEY_STATUSES",
    "MAP_COLUMNS",
    "MAP_HEIGHT",
    "PageContext",
    "briefing_buttons",
    "city_panel",
    "context",
    "error_pages",
    "export_panel",
    "feature_card",
    "feature_picker",
    "fit",
    "frame",
    "language",
    "load_catalog",
    "map_search",
    "measure_list",
    "page_links",
    "quote_block",
    "show_map",
    "show_notices",
    "show_on_map",
    "sync_query_params",
]
