"""The map of a page and the download buttons under it.

:func:`show_map` makes one ``st_folium`` call per page (base map stable
across reruns, filtered features as ``feature_group_to_add``) and routes the
map's clicks, moves and layer switches into session state;
:func:`export_panel` offers the map's exports (:func:`circlemap.export.export`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Final

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from circlemap import basemaps, catalog, export, settings, webmap
from circlemap.i18n import t
from circlemap.panels import city_of_click, md_escape
from circlemap.ui.data import (
    basemap_key,
    cached_base_layers,
    cached_feature_table,
    catalog_signature,
)
from circlemap.ui.keys import (
    KEY_BASEMAP,
    KEY_EXPORT_PANEL,
    KEY_HIDDEN,
    KEY_MAP_FIRST,
    KEY_MAP_SEEN,
    KEY_MAP_SENT,
    KEY_VIEW,
)
from circlemap.ui.page_frame import PageContext
from circlemap.ui.selection import select_city, select_feature

MAP_HEIGHT: Final = 600
"""Height the map asks for; CSS (:data:`~circlemap.ui.page_frame.PAGE_CSS`) shrinks it
to fit the window."""
MAP_COLUMNS: Final = (5, 3)
"""Width ratio of the map column and the panel column on map pages."""
EXPORT_BUTTONS: Final[tuple[tuple[str, str], ...]] = (
    ("png", ":material/image:"),
    ("pdf", ":material/picture_as_pdf:"),
    ("svg", ":material/draw:"),
    ("html", ":material/public:"),
    ("geojson", ":material/layers:"),
    ("csv", ":material/table_view:"),
)
"""Download buttons under every map: (export format, icon)."""


def fit(geoms: gpd.GeoSeries) -> tuple[float, float, float, float] | None:
    """Bounds (min lon, min lat, max lon, max lat) of non-empty geometries, else
    ``None`` (the seven cities)."""
    shown = geoms[geoms.notna() & ~geoms.is_empty] if len(geoms) else geoms
    if not len(shown):
        return None
    west, south, east, north = (float(v) for v in shown.total_bounds)
    return (west, south, east, north)


def _on_map_change(map_key: str, cat: catalog.Catalog, basemap: str) -> None:
    """The map sent a new value: a click, a move, a layer switched (any of them)."""
    returned = st.session_state.get(map_key)
    seen = st.session_state.setdefault(KEY_MAP_SEEN, {})
    last_count, last_report = seen.get(map_key, (0, None))
    count = (returned or {}).get("last_object_clicked_count") or 0
    report = webmap.parse_report(returned)
    seen[map_key] = (count, report)

    if report is not None and report != last_report:
        if report.view is not None and report.view != getattr(last_report, "view", None):
            st.session_state[KEY_VIEW] = webmap.view_from_map(
                report.view, basemaps.get_basemap(basemap)
            )
        st.session_state[KEY_HIDDEN] = list(report.hidden)
        if report.basemap == "none":
            st.session_state[KEY_BASEMAP] = "none"

    if count == last_count:
        return  # a move or a layer switch, not a click
    click = webmap.parse_click(returned)
    if click is None:
        return
    if click.kind == "feature" and click.id in cat.features.index:
        select_feature(click.id)
    elif click.kind == "city":
        select_city(city_of_click(cat, click.id))


def _view_request(
    ctx: PageContext, key: str, bounds: tuple[float, float, float, float]
) -> dict[str, object]:
    """The view request for map ``key`` (:func:`webmap.view_request`).

    When the map itself reported the view and hidden groups the page is now at
    (the reader moved it or switched a layer), the browser is there already: the
    request last sent to this map goes again, so the feature layer's script is
    unchanged and streamlit-folium does not redraw every feature after a pan or
    a zoom. A change of basemap or language makes a new map, so it gets its
    request afresh.
    """
    state = ctx.state
    base = basemaps.get_basemap(state.basemap)
    sent = st.session_state.get(KEY_MAP_SENT)
    _, report = st.session_state.get(KEY_MAP_SEEN, {}).get(key, (0, None))
    if (
        sent is not None
        and sent[:3] == (key, state.basemap, state.lang)
        and report is not None
        and report.view is not None
        and state.view == webmap.view_from_map(report.view, base)
        and list(state.hidden) == list(report.hidden)
    ):
        kept: dict[str, object] = sent[3]
        return kept
    request = webmap.view_request(view=state.view, bounds=bounds, hidden=state.hidden, basemap=base)
    st.session_state[KEY_MAP_SENT] = (key, state.basemap, state.lang, request)
    return request


def _first_drawing(map_id: tuple[str, str, str, str | None], inputs: tuple[object, ...]) -> bool:
    """Whether map ``map_id`` (key, language, basemap, feature table URL) is at its first
    drawing in this session: its first run, or a rerun with the same ``inputs``.

    A first drawing carries its features inline, so the browser draws them with
    the map's script and fetches the published table meanwhile; every rerun until
    the inputs change sends that same script (or streamlit-folium would draw every
    feature again). From the first change on, the layer is rows into the table.
    """
    first: dict[tuple[str, str, str, str | None], object] = st.session_state.setdefault(
        KEY_MAP_FIRST, {}
    )
    if map_id not in first:
        first[map_id] = inputs
    if first[map_id] == inputs:
        return True
    first[map_id] = None
    return False


def show_map(
    ctx: PageContext,
    features: gpd.GeoDataFrame,
    *,
    key: str,
    bounds: tuple[float, float, float, float] | None = None,
    height: int = MAP_HEIGHT,
) -> None:
    """Draw the map with ``features`` on the page's fixed ``key``.

    The base map depends only on (language, basemap), so the iframe stays
    when filters change; ``features`` travel as ``feature_group_to_add``,
    with the view and hidden layer groups (:func:`webmap.view_request`):
    the reader's own view (``state.view``, from the link or a move) when
    there is one, else ``bounds`` (min lon, min lat, max lon, max lat; the
    seven cities when omitted), fitted by the browser at the map's real size.
    """
    state = ctx.state
    signature = catalog_signature(ctx.catalog)
    base = webmap.publish_scripts(  # one file: streamlit-folium loads scripts one by one
        webmap.build_base_map(
            ctx.catalog,
            lang=state.lang,
            basemap=state.basemap,
            tianditu_key=basemap_key(state.basemap),
            layers=cached_base_layers(signature, state.lang, state.basemap, ctx.catalog),
        )
    )
    highlight = tuple(
        dict.fromkeys((*state.selection.cities, *([state.city] if state.city else [])))
    )
    request = _view_request(ctx, key, bounds or settings.CIRCLE_BOUNDS)
    table = cached_feature_table(signature, state.lang, state.basemap, ctx.catalog)
    inputs = (tuple(features.index), state.feature, highlight, json.dumps(request, sort_keys=True))
    layer = webmap.build_feature_layer(
        ctx.catalog,
        features,
        lang=state.lang,
        basemap=state.basemap,
        selected_id=state.feature,
        highlight_cities=highlight,
        request=request,
        table=table,
        inline=_first_drawing((key, state.lang, state.basemap, table.url), inputs),
    )
    with st.container(key="map_box"):
        st_folium(
            base,
            key=key,
            height=height,
            use_container_width=True,
            feature_group_to_add=layer,
            returned_objects=webmap.RETURNED_OBJECTS,
            on_change=functools.partial(_on_map_change, key, ctx.catalog, state.basemap),
        )


def export_panel(ctx: PageContext, view: str) -> None:
    """Download buttons for the map of page ``view``, one per export format.

    The panel is made empty and filled when the reader opens it (a rerun):
    the first paint of a map page has no download buttons to build or load.
    Each button renders its file only when clicked (deferred download: the
    button shows a spinner meanwhile and the page does not rerun), through
    :func:`circlemap.export.export`, the code path of the command line too.
    """
    state, lang = ctx.state, ctx.lang
    panel = st.expander(
        t("export_panel", lang),
        icon=":material/download:",
        key=KEY_EXPORT_PANEL.format(view=view),
        on_change="rerun",
    )
    if not panel.open:  # below the map: its six buttons come when it is opened
        return
    today = dt.date.today()
    key = basemap_key(state.basemap)
    stem = export.suggested_filename(
        state.selection, lang, "png", today, feature=state.feature, view=view
    ).removesuffix(".png")
    with panel:
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
