"""Overview: the whole circle on one map with its search box, counters, the card of
what was clicked or found, and briefings."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from circlemap import brief, panels, ui, views
from circlemap.brief.content import scope_label
from circlemap.brief.strings import bt, progress_text
from circlemap.filters import Selection
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
    briefs = st.expander(
        bt("brief_panel", lang),
        icon=":material/article:",
        key=ui.KEY_BRIEF_PANEL,
        on_change="rerun",
    )
    with briefs:
        if briefs.open:  # below the map: its buttons come when it is opened
            ui.briefing_buttons(ctx, state.selection, key="brief_overview")
            # the seven cities and the circle at once, with a progress bar, as one ZIP
            today = dt.date.today()
            built_for = (lang, state.selection.with_(cities=()), today)
            if st.button(
                bt("brief_batch_run", lang), key="brief_batch_run", icon=":material/stacks:"
            ):
                bar = st.progress(0.0)

                def advance(done: int, total: int, item: Selection) -> None:
                    text = progress_text(done, total, scope_label(item, lang), lang)
                    bar.progress(done / total, text=text)

                data = brief.batch_zip(
                    catalog, lang=lang, today=today, selection=built_for[1], progress=advance
                )
                st.session_state[ui.KEY_BRIEF_BATCH] = (built_for, data)
            stored = st.session_state.get(ui.KEY_BRIEF_BATCH)
            if stored is not None and stored[0] == built_for:
                st.download_button(
                    bt("brief_batch", lang),
                    data=stored[1],
                    file_name=brief.batch_filename(lang, "pdf", today),
                    mime="application/zip",
                    on_click="ignore",
                    icon=":material/folder_zip:",
                    key="brief_batch_download",
                    width="stretch",
                )

with panel_col:
    if state.feature is not None:
        ui.feature_card(ctx, state.feature)
    elif state.city is not None:
        ui.city_panel(ctx, state.city)
    else:
        st.info(t("overview_hint", lang), icon=":material/touch_app:")
        if features.empty:
            st.warning(t("empty_selection", lang))
    numbers = panels.counters(catalog, state.selection, features=features)  # the map's frame
    st.markdown(
        f"**{numbers.projects}** {t('counter_projects', lang)} · "
        f"**{numbers.measures}** {t('counter_measures', lang)} · "
        f"**{numbers.cities}** {t('counter_cities', lang)}"
    )
    st.caption(t("overview_caption", lang))
