"""About the data: sources and licences, what the accuracy flags mean, how to update."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui
from circlemap.i18n import t

ctx = ui.context()
lang, catalog = ctx.lang, ctx.catalog

st.title(t("about_title", lang))
st.markdown(t("about_intro", lang))

st.subheader(t("about_accuracy", lang), anchor=False)
st.dataframe(panels.accuracy_table(catalog, lang), hide_index=True, width="stretch")

st.subheader(t("about_seeds", lang), anchor=False)
st.dataframe(panels.source_table(catalog, lang), hide_index=True, width="stretch")

st.subheader(t("about_update", lang), anchor=False)
st.markdown(t("about_update_steps", lang))

st.subheader(t("about_sources", lang), anchor=False)
with st.container(border=True):
    # The build log is written (in English) by the build script; Chinese readers get
    # a summary of the same sources, licences and steps.
    st.markdown(panels.geodata_sources() if lang == "en" else t("about_sources_zh", lang))
