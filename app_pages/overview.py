"""Overview: the whole circle on one map with its search box, counters, and the card
of what was clicked or found."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, state, catalog = ctx.lang, ctx.state, ctx.catalog

st.title(t("overview_title", lang))

features = views.map_view_features(catalog, state.selection, "overview")
map_col, panel_col = st.columns(ui.MAP_COLUMNS, gap="medium")
with map_col:
    with st.container(key="map_search"):  # one element: the map's place never shifts
        ui.map_search(ctx)
    ui.show_map(
        ctx,
        features,
        key="map_overview",
        bounds=ui.fit(panels.city_shapes(catalog, state.selection.cities)),
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
    numbers = panels.counters(catalog, state.selection)
    st.markdown(
        f"**{numbers.projects}** {t('counter_projects', lang)} · "
        f"**{numbers.measures}** {t('counter_measures', lang)} · "
        f"**{numbers.cities}** {t('counter_cities', lang)}"
    )
    st.caption(t("overview_caption", lang))
