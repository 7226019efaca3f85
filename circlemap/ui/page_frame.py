"""What ``app.py`` runs around every page: language, sidebar, query parameters, notices.

:func:`language` draws the language switch; :func:`frame` the shared filters
and basemap in the sidebar, bound to session state (first filled from the
link), and the page CSS; it returns the :class:`PageContext` that pages read
back with :func:`context`. :func:`sync_query_params` mirrors
the state to ``st.query_params``; :func:`page_links` draws the page menu.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import streamlit as st

from circlemap import basemaps, catalog, settings, vocab
from circlemap.filters import Selection
from circlemap.i18n import t, term
from circlemap.panels import md_escape
from circlemap.state import ViewState, state_from_params, state_to_params
from circlemap.ui.data import offered_basemaps
from circlemap.ui.keys import (
    FILTER_KEYS,
    KEY_BASEMAP,
    KEY_CITIES,
    KEY_CONTEXT,
    KEY_FEATURE,
    KEY_FOCUS,
    KEY_HIDDEN,
    KEY_KINDS,
    KEY_LANG,
    KEY_MEASURE,
    KEY_MEASURE_QUERY,
    KEY_MILESTONE,
    KEY_NOTICES,
    KEY_QUERY,
    KEY_READY,
    KEY_SCOPES,
    KEY_VIEW,
)

PAGE_CSS: Final = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* The map fits the window: on a laptop (1366x768, 1280x720) its lower edge is
   above the fold, so the first click reaches the map instead of scrolling. */
.st-key-map_box iframe {
  height: clamp(300px, calc(100dvh - 15.5rem), 640px) !important;
}
/* Wide content scrolls inside its own box, never the page sideways (phones). */
.st-key-timeline_chart { overflow-x: auto; max-width: 100%; }
@media (max-width: 640px) {
  /* below the header bar */
  [data-testid="stMainBlockContainer"] { padding: 3.25rem 0.75rem 3rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.45rem; padding: 0.25rem 0; }
  .st-key-map_box iframe { height: clamp(300px, calc(100dvh - 15rem), 560px) !important; }
  /* A card opened on a phone is a bottom sheet over the map's lower part:
     readable at once, and the map stays in view above it. */
  .st-key-feature_card, .st-key-city_panel {
    position: fixed !important; left: 0; right: 0; bottom: 0; z-index: 999990;
    max-height: 46dvh; overflow-y: auto; background: var(--background-color, #fff);
    background-color: #fff; border-radius: 12px 12px 0 0 !important;
    box-shadow: 0 -2px 12px rgba(0, 0, 0, 0.25); padding: 0.25rem 0.75rem 1rem;
  }
}
</style>"""
"""Less empty space above the page title; a map that fits the window (laptop and phone)."""


@dataclass(frozen=True)
class PageContext:
    """What every page needs: the catalog, the shared view state, the language."""

    catalog: catalog.Catalog
    state: ViewState

    @property
    def lang(self) -> str:
        """Current language (``"zh"`` or ``"en"``)."""
        return self.state.lang


def language() -> str:
    """Render the language switch at the top of the sidebar; return the language.

    On the first run of a session the language comes from ``?lang=``.
    """
    if KEY_LANG in st.session_state:
        st.session_state[KEY_LANG] = st.session_state[KEY_LANG]  # survive page switches
    else:
        raw = st.query_params.get("lang", settings.DEFAULT_LANG)
        st.session_state[KEY_LANG] = raw if raw in settings.LANGS else settings.DEFAULT_LANG
    st.sidebar.segmented_control(
        "语言 / Language",
        options=list(settings.LANGS),
        format_func={"zh": "中文", "en": "English"}.__getitem__,
        key=KEY_LANG,
        selection_mode="single",
        required=True,
    )
    return str(st.session_state[KEY_LANG])


def _initialise(cat: catalog.Catalog, offered: Sequence[str]) -> None:
    """Session state from the query parameters, once per session."""
    if st.session_state.get(KEY_READY):
        return
    # Every value of each parameter: ``?city=济南&city=淄博`` selects both.
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    state, notices = state_from_params(params, catalog=cat, basemaps=offered)
    for name, key in FILTER_KEYS.items():
        st.session_state[key] = list(getattr(state.selection, name))
    st.session_state[KEY_BASEMAP] = state.basemap
    st.session_state[KEY_FEATURE] = state.feature
    st.session_state[KEY_FOCUS] = state.city
    st.session_state[KEY_VIEW] = state.view
    st.session_state[KEY_HIDDEN] = list(state.hidden)
    st.session_state[KEY_QUERY] = state.query
    st.session_state[KEY_MEASURE_QUERY] = state.measure_query
    st.session_state[KEY_SCOPES] = list(state.scopes)
    st.session_state[KEY_MEASURE] = state.measure
    st.session_state[KEY_MILESTONE] = state.milestone
    st.session_state[KEY_NOTICES] = notices
    st.session_state[KEY_READY] = True


def _keep_widget_state() -> None:
    """Re-assign the shared widgets' values so a page switch does not clear them.

    Streamlit drops the state of widgets it did not see in the last run of a
    page; re-assigning is its documented way to carry them across pages.
    """
    for key in (
        *FILTER_KEYS.values(),
        KEY_BASEMAP,
        KEY_QUERY,
        KEY_MEASURE_QUERY,
        KEY_SCOPES,
        KEY_MEASURE,
        KEY_MILESTONE,
    ):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _clear_notices() -> None:
    st.session_state[KEY_NOTICES] = []


def _filters_changed() -> None:
    """A filter changed: the map fits the new selection (the reader's view is dropped)."""
    st.session_state[KEY_VIEW] = None
    _clear_notices()


def _reset_filters() -> None:
    for key in FILTER_KEYS.values():
        st.session_state[key] = []
    st.session_state[KEY_FEATURE] = None
    st.session_state[KEY_FOCUS] = None
    st.session_state[KEY_VIEW] = None
    st.session_state[KEY_QUERY] = ""
    _clear_notices()


def _kinds_with_features(cat: catalog.Catalog) -> list[str]:
    """Kinds that have features, in vocabulary order: an empty kind is no filter."""
    present = set(cat.features["kind"])
    return [k for k in vocab.KINDS if k in present]


def _filters(lang: str, offered: Sequence[str], cat: catalog.Catalog) -> None:
    side = st.sidebar
    side.subheader(t("sidebar_filters", lang))
    every = t("filter_all", lang)
    side.multiselect(
        t("filter_cities", lang),
        options=list(vocab.CIRCLE_CITIES),
        format_func=lambda c: vocab.CITY_BY_ZH[c].en if lang == "en" else c,
        key=KEY_CITIES,
        placeholder=every,
        on_change=_filters_changed,
        select_all=lang == "en",  # Streamlit's own "Select all" is English only
    )
    kinds = _kinds_with_features(cat)
    chosen_kinds = st.session_state.get(KEY_KINDS) or []
    if any(k not in kinds for k in chosen_kinds):  # from a link: keep what can be shown
        st.session_state[KEY_KINDS] = [k for k in chosen_kinds if k in kinds]
    for name, mapping_, label, options in (
        ("kinds", vocab.KINDS, "filter_kinds", kinds),
        ("statuses", vocab.STATUSES, "filter_statuses", list(vocab.STATUSES)),
        ("categories", vocab.CATEGORIES, "filter_categories", list(vocab.CATEGORIES)),
    ):
        side.multiselect(
            t(label, lang),
            options=options,
            format_func=functools.partial(term, mapping_, lang=lang),
            key=FILTER_KEYS[name],
            placeholder=every,
            on_change=_filters_changed,
            select_all=lang == "en",
            help=t("filter_statuses_help", lang) if name == "statuses" else None,
        )
    side.button(t("filter_reset", lang), on_click=_reset_filters, icon=":material/restart_alt:")
    side.subheader(t("sidebar_basemap", lang))
    side.selectbox(
        t("filter_basemap", lang),
        options=list(offered),
        format_func=lambda k: basemaps.BASEMAPS[k].label(lang),
        key=KEY_BASEMAP,
        label_visibility="collapsed",
        on_change=_clear_notices,
    )


def current_state() -> ViewState:
    """The view state held in session state (after :func:`frame` initialised it)."""
    ss = st.session_state
    return ViewState(
        selection=Selection(**{name: tuple(ss[key]) for name, key in FILTER_KEYS.items()}),
        lang=str(ss[KEY_LANG]),
        basemap=str(ss[KEY_BASEMAP]),
        view=ss.get(KEY_VIEW),
        hidden=tuple(ss.get(KEY_HIDDEN) or ()),
        query=str(ss.get(KEY_QUERY) or ""),
        measure_query=str(ss.get(KEY_MEASURE_QUERY) or ""),
        feature=ss[KEY_FEATURE],
        city=ss[KEY_FOCUS],
        scopes=tuple(ss.get(KEY_SCOPES) or ()),
        measure=ss.get(KEY_MEASURE),
        milestone=ss.get(KEY_MILESTONE),
    )


def sync_query_params(state: ViewState) -> None:
    """Mirror the state into the URL (only when it differs: no needless messages).

    Call it after ``st.navigation``: written before, the browser applies the
    new query string to the page it is leaving and the address bar keeps the
    previous page's path.
    """
    wanted = state_to_params(state)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def frame(cat: catalog.Catalog, lang: str) -> PageContext:
    """Render the shared sidebar and return the page context (then call
    :func:`sync_query_params` once ``st.navigation`` has run)."""
    offered = offered_basemaps()
    _initialise(cat, offered)
    _keep_widget_state()
    if st.session_state[KEY_BASEMAP] not in offered:
        st.session_state[KEY_BASEMAP] = basemaps.DEFAULT_BASEMAP
    _filters(lang, offered, cat)
    state = current_state()
    context = PageContext(catalog=cat, state=state)
    st.session_state[KEY_CONTEXT] = context
    st.html(PAGE_CSS)
    return context


def page_links(nav: Any, pages: Sequence[st.Page], state: ViewState) -> None:
    """The page menu, drawn into ``nav`` (a sidebar container made first).

    Each link carries the view's query parameters, so moving between pages
    keeps the link shareable without rewriting the URL afterwards (a rewrite
    racing the page change can leave the previous page's path in the
    address bar). ``st.navigation`` runs with ``position="hidden"``.
    """
    params = state_to_params(state)
    with nav:
        for page in pages:
            st.page_link(page, query_params=params, width="stretch")
        st.divider()


def show_notices(lang: str) -> None:
    """Tell the user which link parameters were ignored (until a filter changes)."""
    notices = st.session_state.get(KEY_NOTICES) or []
    if notices:
        st.warning(
            t("notice_ignored", lang) + " " + "; ".join(md_escape(n) for n in notices),
            icon=":material/link_off:",
        )


def context() -> PageContext:
    """The context :func:`frame` built in this run (for pages)."""
    ctx: PageContext = st.session_state[KEY_CONTEXT]
    return ctx
