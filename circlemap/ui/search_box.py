"""The search box over the map: features, cities, counties and measures.

The index (:func:`circlemap.search.search_index`) is cached per data version;
Enter zooms to the best hit, the other hits are offered as pills.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from circlemap import catalog, panels, search
from circlemap.i18n import t
from circlemap.state import state_to_params
from circlemap.ui.data import catalog_signature
from circlemap.ui.keys import KEY_MEASURE, KEY_QUERY, MEASURES_PAGE
from circlemap.ui.page_frame import PageContext, current_state
from circlemap.ui.selection import focus_city, focus_feature

KEY_SEARCH_HITS: Final = "cm_search_hits"


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_search_index(
    signature: tuple[tuple[str, str], ...], _catalog: catalog.Catalog
) -> list[search.Entry]:
    del signature  # the cache key only
    return search.search_index(_catalog)


def _go_to(cat: catalog.Catalog, entry: search.Entry) -> None:
    """Zoom to a search hit and open its card (a measure: its first feature)."""
    if entry.kind == "feature":
        focus_feature(cat, entry.id)
    elif entry.kind == "city":
        focus_city(cat, entry.id, panels.city_shapes(cat, [entry.id]))
    elif entry.kind == "county":
        shapes = cat.counties[cat.counties["id"] == entry.id].geometry
        focus_city(cat, entry.city, shapes)
    else:
        linked = [f for f in cat.measures.at[entry.id, "features"] if f in cat.features.index]
        st.session_state[KEY_MEASURE] = entry.id
        if linked:
            focus_feature(cat, linked[0])


def _hits(cat: catalog.Catalog, query: str) -> list[search.Entry]:
    return search.search(_cached_search_index(catalog_signature(cat), cat), query)


def _searched(cat: catalog.Catalog) -> None:
    hits = _hits(cat, str(st.session_state.get(KEY_QUERY) or ""))
    st.session_state[KEY_SEARCH_HITS] = hits[0].kind + ":" + hits[0].id if hits else None
    if hits:
        _go_to(cat, hits[0])


def _picked_hit(cat: catalog.Catalog) -> None:
    picked = st.session_state.get(KEY_SEARCH_HITS)
    for entry in _hits(cat, str(st.session_state.get(KEY_QUERY) or "")):
        if f"{entry.kind}:{entry.id}" == picked:
            _go_to(cat, entry)


def map_search(ctx: PageContext) -> None:
    """One search box over the map: features, cities, counties and measures in
    Chinese, English or pinyin; Enter zooms to the best hit and opens its card,
    the other hits are offered below the box."""
    lang, cat = ctx.lang, ctx.catalog
    st.text_input(
        t("search_label", lang),
        key=KEY_QUERY,
        placeholder=t("search_placeholder", lang),
        on_change=_searched,
        args=(cat,),
        label_visibility="collapsed",
        icon=":material/search:",
    )
    query = str(st.session_state.get(KEY_QUERY) or "")
    if not query:
        return
    hits = _hits(cat, query)
    if not hits:
        st.caption(t("search_none", lang))
        return
    labels = {
        f"{e.kind}:{e.id}": f"{t(f'search_kind_{e.kind}', lang)} · {e.label(lang)}" for e in hits
    }
    if st.session_state.get(KEY_SEARCH_HITS) not in labels:
        st.session_state[KEY_SEARCH_HITS] = None
    st.pills(
        t("search_hits", lang),
        options=list(labels),
        format_func=labels.__getitem__,
        key=KEY_SEARCH_HITS,
        on_change=_picked_hit,
        args=(cat,),
        label_visibility="collapsed",
    )
    measure = st.session_state.get(KEY_MEASURE)
    top = hits[0]
    if top.kind == "measure" and measure == top.id:
        st.page_link(
            MEASURES_PAGE,
            label=t("search_open_measure", lang),
            icon=":material/list_alt:",
            query_params=state_to_params(current_state()),
        )
