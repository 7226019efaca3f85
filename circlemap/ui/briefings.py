"""Briefing download buttons (PDF and Word), each rendered only when clicked."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Final

import streamlit as st

from circlemap import brief
from circlemap.brief import strings as brief_strings
from circlemap.brief.strings import bt
from circlemap.filters import Selection
from circlemap.ui.page_frame import PageContext

BRIEF_ICONS: Final = {"pdf": ":material/picture_as_pdf:", "docx": ":material/description:"}


def briefing_buttons(
    ctx: PageContext, selection: Selection, *, key: str, city: str | None = None
) -> None:
    """PDF and Word briefing of ``selection``, each rendered when clicked (deferred download)."""
    lang, today = ctx.lang, dt.date.today()
    for column, (fmt, icon) in zip(st.columns(2), BRIEF_ICONS.items(), strict=True):
        column.download_button(
            brief_strings.button_label(fmt, lang, city),
            data=functools.partial(
                brief.render_briefing, ctx.catalog, selection, lang=lang, fmt=fmt, today=today
            ),
            file_name=brief.briefing_filename(selection, lang, fmt, today),
            mime=brief.BRIEF_FORMATS[fmt],
            on_click="ignore",
            icon=icon,
            help=bt("brief_help", lang),
            key=f"{key}_{fmt}",
            width="stretch",
        )
