"""Measures: the full table with the shared filters, scope and text search, and one in detail."""

from __future__ import annotations

import streamlit as st

from circlemap import panels, ui, views, vocab
from circlemap.i18n import t, term

ctx = ui.context()
lang, state, catalog = ctx.lang, ctx.state, ctx.catalog

st.title(t("measures_title", lang))

scope_col, search_col = st.columns([1, 1])
scopes = scope_col.multiselect(
    t("measures_scope", lang),
    options=list(vocab.SCOPES),
    format_func=lambda k: term(vocab.SCOPES, k, lang),
    placeholder=t("filter_all", lang),
    key=ui.KEY_SCOPES,
    select_all=lang == "en",  # Streamlit's own "Select all" is English only
)
text = search_col.text_input(
    t("measures_search", lang),
    key=ui.KEY_MEASURE_QUERY,
    placeholder=t("measures_search_hint", lang),
)

measures = views.visible_measures(catalog, state.selection, scopes=scopes, text=text)
st.markdown(t("measures_count", lang).format(shown=len(measures), total=len(catalog.measures)))
st.caption(t("measures_table_hint", lang))
shown_ids = list(measures.index)


def pick_row() -> None:
    """A row picked in the table becomes the measure in detail below."""
    rows = st.session_state["measures_table"].selection.rows
    if rows:
        st.session_state[ui.KEY_MEASURE] = shown_ids[rows[0]]


st.dataframe(
    panels.measure_table(measures, lang),
    hide_index=True,
    width="stretch",
    key="measures_table",
    on_select=pick_row,
    selection_mode="single-row",
)

st.subheader(t("measures_detail", lang), anchor=False)
labels = panels.measure_labels(measures, lang)
if st.session_state.get(ui.KEY_MEASURE) not in labels:
    st.session_state[ui.KEY_MEASURE] = None  # filtered out (or none yet)
picked = st.selectbox(
    t("measures_pick", lang),
    options=list(labels),
    format_func=labels.__getitem__,
    placeholder=t("pick_placeholder", lang),
    key=ui.KEY_MEASURE,
)
if picked:
    card = panels.measure_card(catalog, picked, lang)
    with st.container(border=True, key="measure_detail"):
        st.markdown(f"#### {panels.md_escape(card.title)}")
        st.markdown(
            " · ".join(panels.md_escape(x) for x in (card.category, card.status, card.scope))
            + "  \n"
            + f"**{t('card_cities', lang)}** {panels.md_escape(card.cities)}"
        )
        ui.quote_block(card, lang)
        st.caption(t("card_source", lang) + " " + panels.md_escape(card.source))
        if not card.features:
            st.caption(t("measures_no_features", lang))
        for fid, name in card.features:
            if st.button(
                t("measures_show_on_map", lang).format(name=panels.md_escape(name)),
                key=f"show_{fid}",
                icon=":material/map:",
            ):
                ui.show_on_map(fid)
