"""Ecology: the Yellow River green corridors by city, sites along the river, ecology measures."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, state, catalog = ctx.lang, ctx.state, ctx.catalog

st.title(t("ecology_title", lang))
st.caption(t("ecology_caption", lang))

shown = views.map_view_features(catalog, state.selection, "ecology")
sites = shown[shown["group"] == "site"]

map_col, panel_col = st.columns(ui.MAP_COLUMNS, gap="medium")
with map_col:
    ui.show_map(ctx, shown, key="map_ecology", bounds=ui.fit(shown.geometry))
    ui.export_panel(ctx, "ecology")

with panel_col:
    if state.feature is not None and state.feature in shown.index:
        ui.feature_card(ctx, state.feature)
    st.markdown(f"**{t('ecology_corridors', lang)}**")
    by_city = panels.corridors_by_city(catalog, state.selection, lang)
    if by_city.empty:
        st.warning(t("empty_selection", lang))
    else:
        st.dataframe(by_city, hide_index=True, width="stretch")
    st.markdown(f"**{t('ecology_sites', lang)}** ({len(sites)})")
    st.caption(t("ecology_sites_note", lang))
    st.dataframe(
        panels.feature_table(sites, lang, columns=panels.SHORT_FEATURE_COLUMNS),
        hide_index=True,
        width="stretch",
    )

measures = views.ecology_measures(catalog, state.selection)
st.subheader(f"{t('ecology_measures', lang)} ({len(measures)})", anchor=False)
ui.measure_list(measures, lang)
