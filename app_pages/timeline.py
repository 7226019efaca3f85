"""Timeline: the milestones of the circle on a time axis, each with its source quote;
one can be picked (and shared in the link)."""

from __future__ import annotations

import streamlit as st

from circlemap import charts, panels, ui, views
from circlemap.i18n import t

ctx = ui.context()
lang, catalog = ctx.lang, ctx.catalog

st.title(t("timeline_title", lang))
st.caption(t("timeline_caption", lang))

table = panels.milestone_table(catalog.milestones, lang)
with st.container(key="timeline_chart"):  # scrolls sideways on a narrow screen
    st.altair_chart(charts.timeline_chart(table, lang), width="content")

labels = {mid: f"{row['when']} · {row['text']}" for mid, row in table.iterrows()}
if st.session_state.get(ui.KEY_MILESTONE) not in labels:
    st.session_state[ui.KEY_MILESTONE] = None
picked = st.selectbox(
    t("timeline_pick", lang),
    options=list(labels),
    format_func=labels.__getitem__,
    placeholder=t("pick_placeholder", lang),
    key=ui.KEY_MILESTONE,
)

for mid, row in table.iterrows():
    chosen = mid == picked
    with st.container(border=True, key="milestone_picked" if chosen else None):
        marker = "▶ " if chosen else ""
        st.markdown(
            f"{marker}**{panels.md_escape(row['when'])}** · {panels.md_escape(row['text'])}"
        )
        st.markdown("> " + panels.md_escape(row["quote_shown"]))
        if row["quote_verbatim"]:
            with st.expander(t("quote_verbatim", lang), icon=":material/format_quote:"):
                st.markdown("> " + panels.md_escape(row["quote_verbatim"]))
        source = views.source_label(row["source"], lang)
        st.caption(t("card_source", lang) + " " + panels.md_escape(source))
