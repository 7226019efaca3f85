"""Overview: the whole circle on one map, counters, and the card of what was clicked."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, state, catalog = ctx.lang, ctx.state, ctx.catalog

st.title(t("overview_title", lang))
st.caption(t("overview_caption", lang))

numbers = panels.counters(catalog, state.selection)
c1, c2, c3 = st.columns(3)
c1.metric(t("counter_projects", lang), numbers.projects, border=True)
c2.metric(t("counter_measures", lang), numbers.measures, border=True)
c3.metric(t("counter_cities", lang), numbers.cities, border=True)

features = views.map_view_features(catalog, state.selection, "overview")
map_col, panel_col = st.columns(ui.MAP_COLUMNS, gap="medium")
with map_col:
    ui.show_map(
        ctx,
        features,
        key="map_overview",
        view=ui.fit(panels.city_shapes(catalog, state.selection.cities)),
    )
    ui.export_panel(ctx, "overview")

with panel_col:
    if state.feature is not None:
        ui.feature_card(ctx, state.feature)
    elif state.city is not None:
        ui.city_panel(ctx, state.city)
    else:
        st.info(t("overview_hint", lang), icon=":material/touch_app:")
        if features.empty:
            st.warning(t("empty_selection", lang))
