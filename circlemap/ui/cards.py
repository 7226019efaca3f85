"""Panels shared by pages: a feature's card, a city's panel, quotes and measure lists.

The content comes from :mod:`circlemap.panels` (already escaped where it
must be); this module only lays it out with Streamlit.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from circlemap import panels
from circlemap.i18n import t
from circlemap.panels import md_escape
from circlemap.ui.briefings import briefing_buttons
from circlemap.ui.page_frame import PageContext
from circlemap.ui.selection import select_city, select_feature


def quote_block(
    card: panels.FeatureCard | panels.MeasureCard, lang: str, *, nested: bool = False
) -> None:
    """A card's quote as readers see it, with the verbatim text one click away.

    The verbatim text (fragments joined, conversion leftovers kept) opens
    under an expander whenever the shown text differs from it or joins
    fragments across a column break. ``nested`` (inside an expander, where
    Streamlit allows no other) shows it under a caption instead.
    """
    st.markdown("> " + md_escape(card.quote))
    if not card.quote_verbatim:
        return
    if nested:
        # the label, then the verbatim text as a quote: data, not UI
        st.caption(t("quote_verbatim", lang))
        st.markdown("> " + md_escape(card.quote_verbatim))
        return
    with st.expander(t("quote_verbatim", lang), icon=":material/format_quote:"):
        if card.quote_is_english:
            st.caption(t("quote_english_note", lang))
        elif card.quote != card.quote_verbatim:
            st.caption(t("quote_clean_note", lang))
        if card.quote_fragments:
            st.caption(t("quote_joined_note", lang))
            for number, fragment in enumerate(card.quote_fragments, start=1):
                st.markdown(f"> {number}. " + md_escape(fragment))
        else:
            st.markdown("> " + md_escape(card.quote_verbatim))


def measure_list(measures: Any, lang: str) -> None:
    """Each measure as an expander: title, then category, status, quote and source."""
    for mid, row in measures.iterrows():
        card = panels.measure_card_of_row(mid, row, lang)
        with st.expander(md_escape(card.title)):
            st.markdown(
                f"{md_escape(card.category)} · {md_escape(card.status)} · {md_escape(card.cities)}"
            )
            quote_block(card, lang, nested=True)
            st.caption(t("card_source", lang) + " " + md_escape(card.source))


def feature_card(ctx: PageContext, feature_id: str) -> None:
    """The card of a feature (name, kind, status, accuracy, cities, quote, source)
    and the measures behind it, with a button that closes it."""
    lang = ctx.lang
    card = panels.feature_card(ctx.catalog, feature_id, lang)
    with st.container(border=True, key="feature_card"):
        st.subheader(md_escape(card.name), anchor=False)
        st.markdown(
            f"**{t('card_kind', lang)}** {md_escape(card.kind)}  \n"
            f"**{t('card_status', lang)}** {md_escape(card.status)}  \n"
            f"**{t('card_accuracy', lang)}** {md_escape(card.accuracy)}  \n"
            f"**{t('card_cities', lang)}** {md_escape(card.cities)}"
        )
        if card.accuracy_note:
            st.caption(md_escape(card.accuracy_note))
        if card.description:
            st.markdown(md_escape(card.description))
        quote_block(card, lang)
        st.caption(t("card_source", lang) + " " + md_escape(card.source))
        measures = panels.measures_of_feature(ctx.catalog, feature_id)
        st.markdown(f"**{t('card_measures', lang)}** ({len(measures)})")
        if measures.empty:
            st.caption(t("card_no_measures", lang))
        measure_list(measures, lang)
        st.button(
            t("card_close", lang),
            on_click=select_feature,
            args=(None,),
            icon=":material/close:",
            key="close_feature_card",
        )


def city_panel(ctx: PageContext, city: str) -> None:
    """A clicked city: its visible projects and measures, with a close button."""
    lang = ctx.lang
    panel = panels.city_panel(ctx.catalog, city, ctx.state.selection, lang)
    with st.container(border=True, key="city_panel"):
        st.subheader(md_escape(panel.name), anchor=False)
        st.markdown(f"**{t('city_panel_features', lang)}** ({len(panel.features)})")
        st.dataframe(panel.features, hide_index=True, width="stretch")
        st.markdown(f"**{t('city_panel_measures', lang)}** ({len(panel.measures)})")
        st.dataframe(panel.measures, hide_index=True, width="stretch")
        briefing_buttons(
            ctx, ctx.state.selection.with_(cities=(city,)), key="brief_city", city=panel.name
        )
        st.button(
            t("card_close", lang),
            on_click=select_city,
            args=(None,),
            icon=":material/close:",
            key="close_city_panel",
        )
