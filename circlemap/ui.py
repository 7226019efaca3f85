"""Streamlit glue: the only module of the package that imports Streamlit.

- :func:`load_catalog`: the validated catalog, cached with ``st.cache_data``
  (every call returns a fresh copy; callers never mutate it anyway).
- :func:`frame`: what ``app.py`` runs before the page, i.e. language switch,
  shared filters and basemap in the sidebar, bound to session state;
  returns a :class:`PageContext`. :func:`sync_query_params` mirrors the
  state to ``st.query_params``.
- :func:`show_map`: one ``st_folium`` call per page (base map stable across
  reruns, filtered features as ``feature_group_to_add``), clicks routed to
  the selected feature or city.
- :func:`error_page`: a readable page for a :class:`DataValidationError`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from circlemap import basemaps, brief, catalog, export, panels, settings, validate, vocab, webmap
from circlemap.brief import strings as brief_strings
from circlemap.brief.strings import bt
from circlemap.errors import DataValidationError
from circlemap.filters import Selection
from circlemap.i18n import t, term
from circlemap.panels import city_of_click, md_escape
from circlemap.state import ViewState, state_from_params, state_to_params

# Session-state keys (initialised once per session in :func:`frame`).
KEY_READY: Final = "cm_ready"
KEY_LANG: Final = "cm_lang"
KEY_CITIES: Final = "cm_cities"
KEY_KINDS: Final = "cm_kinds"
KEY_STATUSES: Final = "cm_statuses"
KEY_CATEGORIES: Final = "cm_categories"
KEY_BASEMAP: Final = "cm_basemap"
KEY_FEATURE: Final = "cm_feature"
KEY_FOCUS: Final = "cm_focus_city"
KEY_NOTICES: Final = "cm_notices"
KEY_CONTEXT: Final = "cm_context"
KEY_BRIEF_BATCH: Final = "cm_brief_batch"
"""The last batch of briefings built in this session: (what it was built for, ZIP bytes)."""

FILTER_KEYS: Final[dict[str, str]] = {
    "cities": KEY_CITIES,
    "kinds": KEY_KINDS,
    "statuses": KEY_STATUSES,
    "categories": KEY_CATEGORIES,
}
"""Selection field -> session-state key of its sidebar widget."""

OVERVIEW_PAGE: Final = "app_pages/overview.py"
MAP_HEIGHT: Final = 600
MAP_WIDTH: Final = 570
"""About the map's width (CSS px) in its column at a 1400 px window, for fitting views."""
EXPORT_BUTTONS: Final[tuple[tuple[str, str], ...]] = (
    ("png", ":material/image:"),
    ("pdf", ":material/picture_as_pdf:"),
    ("svg", ":material/draw:"),
    ("html", ":material/public:"),
    ("geojson", ":material/layers:"),
    ("csv", ":material/table_view:"),
)
"""Download buttons under every map: (export format, icon)."""
MAP_COLUMNS: Final = (5, 3)
"""Width ratio of the map column and the panel column on map pages."""

PAGE_CSS: Final = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>"""
"""Less empty space above the page title (the map should fit a laptop screen)."""


@dataclass(frozen=True)
class PageContext:
    """What every page needs: the catalog, the shared view state, the language."""

    catalog: catalog.Catalog
    state: ViewState

    @property
    def lang(self) -> str:
        """Current language (``"zh"`` or ``"en"``)."""
        return self.state.lang


# --- data ---------------------------------------------------------------------------------


def _data_signature() -> tuple[tuple[str, str], ...]:
    """(path, SHA-256 of the bytes) of every data file: any edit invalidates the cache.

    The content, not size and modification time: an edit that keeps the size
    and restores the old mtime (a copy with ``cp -p``, a sync tool, a hand
    ``touch -d``) must not serve the old data. The files are small (under
    1 MB together), so hashing them on every run costs about a millisecond.
    """
    files = validate.repository_files()
    return tuple(
        (str(p), hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing")
        for p in files.values()
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_catalog(signature: tuple[tuple[str, str], ...]) -> catalog.Catalog:
    del signature  # the cache key only
    return catalog.load_catalog()


def load_catalog() -> catalog.Catalog:
    """The validated catalog (cached; raises ``DataValidationError``, never cached)."""
    return _cached_catalog(_data_signature())


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_base_layers(
    signature: tuple[tuple[str, str], ...],
    lang: str,
    basemap: str,
    _catalog: catalog.Catalog,
) -> webmap.BaseLayers:
    """The base map's packed layers per (data version, language, basemap), made once.

    The folium map itself is rebuilt every run (``st_folium`` changes it);
    packing its layers is most of that work and depends only on these keys.
    """
    del signature  # the cache key, with lang and basemap (_catalog is not hashed)
    return webmap.base_layers(_catalog, lang=lang, basemap=basemap)


def tianditu_key() -> str | None:
    """Tianditu key from the environment or ``st.secrets`` (``None`` when unset)."""
    key = os.environ.get(settings.TIANDITU_KEY_ENV)
    if key:
        return key
    try:
        value = st.secrets.get(settings.TIANDITU_KEY_ENV)
    except FileNotFoundError:  # no secrets.toml at all: the common, key-less case
        return None
    return str(value) if value else None


# --- frame: language, sidebar, query params -----------------------------------------------


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
    state, notices = state_from_params(st.query_params.to_dict(), catalog=cat, basemaps=offered)
    for name, key in FILTER_KEYS.items():
        st.session_state[key] = list(getattr(state.selection, name))
    st.session_state[KEY_BASEMAP] = state.basemap
    st.session_state[KEY_FEATURE] = state.feature
    st.session_state[KEY_FOCUS] = state.city
    st.session_state[KEY_NOTICES] = notices
    st.session_state[KEY_READY] = True


def _keep_widget_state() -> None:
    """Re-assign the shared widgets' values so a page switch does not clear them.

    Streamlit drops the state of widgets it did not see in the last run of a
    page; re-assigning is its documented way to carry them across pages.
    """
    for key in (*FILTER_KEYS.values(), KEY_BASEMAP):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _clear_notices() -> None:
    st.session_state[KEY_NOTICES] = []


def _reset_filters() -> None:
    for key in FILTER_KEYS.values():
        st.session_state[key] = []
    st.session_state[KEY_FEATURE] = None
    st.session_state[KEY_FOCUS] = None
    _clear_notices()


def _filters(lang: str, offered: Sequence[str]) -> None:
    side = st.sidebar
    side.subheader(t("sidebar_filters", lang))
    every = t("filter_all", lang)
    side.multiselect(
        t("filter_cities", lang),
        options=list(vocab.CIRCLE_CITIES),
        format_func=lambda c: vocab.CITY_BY_ZH[c].en if lang == "en" else c,
        key=KEY_CITIES,
        placeholder=every,
        on_change=_clear_notices,
    )
    for name, mapping_, label in (
        ("kinds", vocab.KINDS, "filter_kinds"),
        ("statuses", vocab.STATUSES, "filter_statuses"),
        ("categories", vocab.CATEGORIES, "filter_categories"),
    ):
        side.multiselect(
            t(label, lang),
            options=list(mapping_),
            format_func=functools.partial(term, mapping_, lang=lang),
            key=FILTER_KEYS[name],
            placeholder=every,
            on_change=_clear_notices,
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
        feature=ss[KEY_FEATURE],
        city=ss[KEY_FOCUS],
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
    offered = basemaps.available_basemaps(tianditu_key())
    _initialise(cat, offered)
    _keep_widget_state()
    if st.session_state[KEY_BASEMAP] not in offered:
        st.session_state[KEY_BASEMAP] = basemaps.DEFAULT_BASEMAP
    _filters(lang, offered)
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


# --- selection helpers for pages ---------------------------------------------------------


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


def show_on_map(feature_id: str) -> None:
    """Select a feature and switch to the overview page (stops this run)."""
    select_feature(feature_id)
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
        select_feature(st.session_state[key])

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


# --- panels shared by pages --------------------------------------------------------------


def quote_block(
    card: panels.FeatureCard | panels.MeasureCard, lang: str, *, nested: bool = False
) -> None:
    """A card's quote as readers see it, with the verbatim text one click away.

    The verbatim text (fragments joined, conversion leftovers kept) opens
    under an expander whenever the shown text differs from it or joins
    fragments across a column break. ``nested`` (inside an expander, where
    Streamlit allows no other) shows it as a caption instead.
    """
    st.markdown("> " + md_escape(card.quote))
    if not card.quote_verbatim:
        return
    if nested:
        st.caption(f"{t('quote_verbatim', lang)}: {md_escape(card.quote_verbatim)}")
        return
    with st.expander(t("quote_verbatim", lang), icon=":material/format_quote:"):
        if card.quote_is_english:
            st.caption(t("quote_english_note", lang))
        elif card.quote != card.quote_verbatim:
            st.caption(t("quote_clean_note", lang))
        if card.quote_fragments:
            st.caption(t("quote_joined_note", lang))
            for number, fragment in enumerate(card.quote_fragments, start=1):
                st.markdown(f"> {number}. " + md_escape(fragment))
        else:
            st.markdown("> " + md_escape(card.quote_verbatim))


def measure_list(measures: Any, lang: str) -> None:
    """Each measure as an expander: title, then category, status, quote and source."""
    for mid, row in measures.iterrows():
        card = panels.measure_card_of_row(mid, row, lang)
        with st.expander(md_escape(card.title)):
            st.markdown(
                f"{md_escape(card.category)} · {md_escape(card.status)} · {md_escape(card.cities)}"
            )
            quote_block(card, lang, nested=True)
            st.caption(t("card_source", lang) + " " + md_escape(card.source))


def feature_card(ctx: PageContext, feature_id: str) -> None:
    """The card of a feature (name, kind, status, accuracy, cities, quote, source)
    and the measures behind it, with a button that closes it."""
    lang = ctx.lang
    card = panels.feature_card(ctx.catalog, feature_id, lang)
    with st.container(border=True, key="feature_card"):
        st.subheader(md_escape(card.name), anchor=False)
        st.markdown(
            f"**{t('card_kind', lang)}** {md_escape(card.kind)}  \n"
            f"**{t('card_status', lang)}** {md_escape(card.status)}  \n"
            f"**{t('card_accuracy', lang)}** {md_escape(card.accuracy)}  \n"
            f"**{t('card_cities', lang)}** {md_escape(card.cities)}"
        )
        if card.accuracy_note:
            st.caption(md_escape(card.accuracy_note))
        if card.description:
            st.markdown(md_escape(card.description))
        quote_block(card, lang)
        st.caption(t("card_source", lang) + " " + md_escape(card.source))
        measures = panels.measures_of_feature(ctx.catalog, feature_id)
        st.markdown(f"**{t('card_measures', lang)}** ({len(measures)})")
        if measures.empty:
            st.caption(t("card_no_measures", lang))
        measure_list(measures, lang)
        st.button(
            t("card_close", lang),
            on_click=select_feature,
            args=(None,),
            icon=":material/close:",
            key="close_feature_card",
        )


def city_panel(ctx: PageContext, city: str) -> None:
    """A clicked city: its visible projects and measures, with a close button."""
    lang = ctx.lang
    panel = panels.city_panel(ctx.catalog, city, ctx.state.selection, lang)
    with st.container(border=True, key="city_panel"):
        st.subheader(md_escape(panel.name), anchor=False)
        st.markdown(f"**{t('city_panel_features', lang)}** ({len(panel.features)})")
        st.dataframe(panel.features, hide_index=True, width="stretch")
        st.markdown(f"**{t('city_panel_measures', lang)}** ({len(panel.measures)})")
        st.dataframe(panel.measures, hide_index=True, width="stretch")
        briefing_buttons(
            ctx, ctx.state.selection.with_(cities=(city,)), key="brief_city", city=panel.name
        )
        st.button(
            t("card_close", lang),
            on_click=select_city,
            args=(None,),
            icon=":material/close:",
            key="close_city_panel",
        )


# --- map ----------------------------------------------------------------------------------


def _on_map_change(map_key: str, cat: catalog.Catalog) -> None:
    click = webmap.parse_click(st.session_state.get(map_key))
    if click is None:
        return
    if click.kind == "feature" and click.id in cat.features.index:
        select_feature(click.id)
    elif click.kind == "city":
        select_city(city_of_click(cat, click.id))


def show_map(
    ctx: PageContext,
    features: gpd.GeoDataFrame,
    *,
    key: str,
    view: tuple[tuple[float, float], float] | None = None,
    height: int = MAP_HEIGHT,
) -> None:
    """Draw the map with ``features`` on the page's fixed ``key``.

    The base map depends only on (language, basemap), so the iframe stays
    when filters change; ``features`` travel as ``feature_group_to_add`` and
    the view moves with ``center``/``zoom`` (``view`` = (center, zoom);
    the circle's default view when omitted).
    """
    state = ctx.state
    base = webmap.build_base_map(
        ctx.catalog,
        lang=state.lang,
        basemap=state.basemap,
        tianditu_key=tianditu_key(),
        layers=_cached_base_layers(_data_signature(), state.lang, state.basemap, ctx.catalog),
    )
    highlight = tuple(
        dict.fromkeys((*state.selection.cities, *([state.city] if state.city else [])))
    )
    layer = webmap.build_feature_layer(
        ctx.catalog,
        features,
        lang=state.lang,
        basemap=state.basemap,
        selected_id=state.feature,
        highlight_cities=highlight,
    )
    center, zoom = view or (settings.DEFAULT_CENTER, settings.DEFAULT_ZOOM)
    st_folium(
        base,
        key=key,
        height=height,
        use_container_width=True,
        center=center,
        zoom=zoom,
        feature_group_to_add=layer,
        returned_objects=webmap.RETURNED_OBJECTS,
        on_change=functools.partial(_on_map_change, key, ctx.catalog),
    )


def export_panel(ctx: PageContext, view: str) -> None:
    """Download buttons for the map of page ``view``, one per export format.

    Each button renders its file only when clicked (deferred download: the
    button shows a spinner meanwhile and the page does not rerun), through
    :func:`circlemap.export.export`, the code path of the command line too.
    """
    state, lang = ctx.state, ctx.lang
    today = dt.date.today()
    key = tianditu_key()
    stem = export.suggested_filename(
        state.selection, lang, "png", today, feature=state.feature, view=view
    ).removesuffix(".png")
    with st.expander(t("export_panel", lang), icon=":material/download:"):
        st.caption(t("export_panel_caption", lang))
        columns = st.columns(3)
        for i, (fmt, icon) in enumerate(EXPORT_BUTTONS):
            columns[i % len(columns)].download_button(
                t(f"export_button_{fmt}", lang),
                data=functools.partial(
                    export.export,
                    ctx.catalog,
                    state.selection,
                    lang=lang,
                    fmt=fmt,
                    feature=state.feature,
                    today=today,
                    basemap=state.basemap,
                    tianditu_key=key,
                    view=view,
                ),
                file_name=export.suggested_filename(
                    state.selection, lang, fmt, today, feature=state.feature, view=view
                ),
                mime=export.media_type(fmt),
                on_click="ignore",
                icon=icon,
                help=t(f"export_help_{fmt}", lang),
                key=f"export_{view}_{fmt}",
                width="stretch",
            )
        st.caption(t("export_panel_files", lang) + md_escape(stem + ".*"))


# --- briefings ----------------------------------------------------------------------------

BRIEF_ICONS: Final = {"pdf": ":material/picture_as_pdf:", "docx": ":material/description:"}


def briefing_buttons(
    ctx: PageContext, selection: Selection, *, key: str, city: str | None = None
) -> None:
    """PDF and Word briefing of ``selection``, each rendered when clicked (deferred download)."""
    lang, today = ctx.lang, dt.date.today()
    for column, (fmt, icon) in zip(st.columns(2), BRIEF_ICONS.items(), strict=True):
        column.download_button(
            brief_strings.button_label(fmt, lang, city),
            data=functools.partial(
                brief.render_briefing, ctx.catalog, selection, lang=lang, fmt=fmt, today=today
            ),
            file_name=brief.briefing_filename(selection, lang, fmt, today),
            mime=brief.BRIEF_FORMATS[fmt],
            on_click="ignore",
            icon=icon,
            help=bt("brief_help", lang),
            key=f"{key}_{fmt}",
            width="stretch",
        )


def fit(geoms: gpd.GeoSeries) -> tuple[tuple[float, float], float] | None:
    """``webmap.fit_view`` of non-empty geometries, else ``None`` (default view)."""
    return webmap.fit_view(geoms, viewport=(MAP_WIDTH, MAP_HEIGHT)) if len(geoms) else None


# --- error page ---------------------------------------------------------------------------


def error_pages(exc: DataValidationError, lang: str, url_paths: Sequence[str]) -> list[st.Page]:
    """Pages that explain a data error (file, feature, field) instead of a traceback.

    One page per ``url_paths`` entry (the app's own pages), all showing the
    error, so a shared link to any page lands on the explanation rather than
    on a "page not found" dialog.
    """

    def show() -> None:
        st.title(t("error_title", lang))
        st.error(t("error_intro", lang), icon=":material/error:")
        st.code(str(exc), language=None, wrap_lines=True)
        st.markdown(t("error_fix", lang))

    return [
        st.Page(
            show,
            title=t("error_title", lang),
            icon=":material/error:",
            url_path=path,
            default=i == 0,
        )
        for i, path in enumerate(url_paths)
    ]
