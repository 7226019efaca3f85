"""Transport: rail and road links on the map, a list of them, and the measures of one."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, state, catalog = ctx.lang, ctx.state, ctx.catalog

st.title(t("transport_title", lang))
st.caption(t("transport_caption", lang))

links = views.map_view_features(catalog, state.selection, "transport")
chosen = ui.feature_picker(
    panels.option_labels(links, lang), t("transport_pick", lang), key="pick_transport", lang=lang
)
bounds = ui.fit(panels.feature_shapes(links, [chosen]) if chosen else links.geometry)

map_col, list_col = st.columns(ui.MAP_COLUMNS, gap="medium")
with map_col:
    ui.show_map(ctx, links, key="map_transport", bounds=bounds)
    ui.export_panel(ctx, "transport")

with list_col:
    if chosen:
        ui.feature_card(ctx, chosen)
    st.markdown(f"**{t('transport_list', lang)}** ({len(links)})")
    if links.empty:
        st.warning(t("empty_selection", lang))
    else:
        st.dataframe(
            panels.feature_table(links, lang, columns=panels.SHORT_FEATURE_COLUMNS),
            hide_index=True,
            width="stretch",
        )

unmapped = panels.unmapped_measures(catalog, state.selection, "transport")
st.subheader(f"{t('transport_unmapped', lang)} ({len(unmapped)})", anchor=False)
st.caption(t("transport_unmapped_note", lang))
ui.measure_list(unmapped, lang)
