"""A readable page for a data error (file, feature, field) instead of a traceback."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from circlemap.errors import DataValidationError
from circlemap.i18n import t


def error_pages(exc: DataValidationError, lang: str, url_paths: Sequence[str]) -> list[st.Page]:
    """Pages that explain a data error (file, feature, field) instead of a traceback.

    One page per ``url_paths`` entry (the app's own pages), all showing the
    error, so a shared link to any page lands on the explanation rather than
    on a "page not found" dialog.
    """

    def show() -> None:
        st.title(t("error_title", lang))
        st.error(t("error_intro", lang), icon=":material/error:")
        st.code(str(exc), language=None, wrap_lines=True)
        st.markdown(t("error_fix", lang))

    return [
        st.Page(
            show,
            title=t("error_title", lang),
            icon=":material/error:",
            url_path=path,
            default=i == 0,
        )
        for i, path in enumerate(url_paths)
    ]
