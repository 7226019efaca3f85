"""Selection helpers for pages: select or focus a feature or a city, pick a feature.

Selecting opens a card or panel (one at a time); focusing also moves the map
to the feature or city (a view fitted on the server, see :data:`MAP_WIDTH`).
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import streamlit as st

from circlemap import catalog, webmap
from circlemap.i18n import t
from circlemap.state import state_to_params
from circlemap.ui.keys import KEY_FEATURE, KEY_FOCUS, KEY_VIEW, OVERVIEW_PAGE
from circlemap.ui.page_frame import context, current_state

MAP_WIDTH: Final = 570
"""About the map's width (CSS px) in its column at a 1400 px window, for fitting views."""
FIT_HEIGHT: Final = 420
"""Map height (CSS px) assumed when a view is fitted on the server (a laptop screen)."""


def select_feature(feature_id: str | None) -> None:
    """Make ``feature_id`` the selected feature (closes any city panel)."""
    st.session_state[KEY_FEATURE] = feature_id
    if feature_id is not None:
        st.session_state[KEY_FOCUS] = None


def select_city(city: str | None) -> None:
    """Open the panel of ``city`` (zh name; closes any feature card)."""
    st.session_state[KEY_FOCUS] = city
    if city is not None:
        st.session_state[KEY_FEATURE] = None


def focus_feature(cat: catalog.Catalog, feature_id: str) -> None:
    """Select a feature and move the map to it (search, "show on map", pickers)."""
    select_feature(feature_id)
    geom = cat.features.geometry.get(feature_id)
    if geom is not None and not geom.is_empty:
        st.session_state[KEY_VIEW] = _fitted_view(gpd.GeoSeries([geom]))


def focus_city(cat: catalog.Catalog, city: str, shapes: gpd.GeoSeries) -> None:
    """Open a city's panel and move the map to ``shapes`` (the city or one county)."""
    select_city(city)
    if len(shapes):
        st.session_state[KEY_VIEW] = _fitted_view(shapes)


def _fitted_view(geoms: gpd.GeoSeries) -> tuple[float, float, float]:
    (lat, lon), zoom = webmap.fit_view(geoms, viewport=(MAP_WIDTH, FIT_HEIGHT))
    return (lat, lon, zoom)


def show_on_map(feature_id: str) -> None:
    """Select a feature, zoom to it and switch to the overview page (stops this run)."""
    focus_feature(context().catalog, feature_id)
    state = current_state()
    st.switch_page(OVERVIEW_PAGE, query_params=state_to_params(state))


def feature_picker(options: dict[str, str], label: str, *, key: str, lang: str) -> str | None:
    """A selectbox over ``options`` (id -> label) bound to the selected feature.

    Shows the selected feature when it is among the options; picking one
    selects it (and so moves the map and updates the link).
    """
    current = st.session_state.get(KEY_FEATURE)
    st.session_state[key] = current if current in options else None

    def picked() -> None:
        chosen = st.session_state[key]
        if chosen is None:
            select_feature(None)
        else:
            select_feature(chosen)
            st.session_state[KEY_VIEW] = None  # the page fits the chosen link

    st.selectbox(
        label,
        options=list(options),
        format_func=options.__getitem__,
        key=key,
        placeholder=t("pick_placeholder", lang),
        on_change=picked,
    )
    chosen: str | None = st.session_state[key]
    return chosen
