"""Timeline: the milestones of the circle on a time axis, each with its source quote."""

from __future__ import annotations

import streamlit as st

from circlemap import charts, panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, catalog = ctx.lang, ctx.catalog

st.title(t("timeline_title", lang))
st.caption(t("timeline_caption", lang))

table = panels.milestone_table(catalog.milestones, lang)
st.altair_chart(charts.timeline_chart(table, lang), width="content")

for _, row in table.iterrows():
    with st.container(border=True):
        st.markdown(f"**{panels.md_escape(row['when'])}** · {panels.md_escape(row['text'])}")
        st.markdown("> " + panels.md_escape(row["quote"]))
        source = views.source_label(row["source"], lang)
        st.caption(t("card_source", lang) + " " + panels.md_escape(source))
