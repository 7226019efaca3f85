"""Circle Map: the frame around every page.

Page config, local Leaflet assets, the shared sidebar (language, filters,
basemap) bound to the link's query parameters, the list of pages, and a
readable error page when the data does not validate.
Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from circlemap import ui
from circlemap.assets import ensure_vendor_assets
from circlemap.errors import DataValidationError
from circlemap.i18n import t

st.set_page_config(
    page_title="省会经济圈一体化地图",
    page_icon="🗺️",  # an emoji: a file icon is re-sent every run and resets the URL path
    layout="wide",
)
ensure_vendor_assets()

nav = st.sidebar.container()
lang = ui.language()
pages = [
    st.Page(
        "app_pages/overview.py",
        title=t("nav_overview", lang),
        icon=":material/map:",
        url_path="home",  # reserved by the default page, which is served at "/"
        default=True,
    ),
    st.Page(
        "app_pages/transport.py",
        title=t("nav_transport", lang),
        icon=":material/train:",
        url_path="transport",
    ),
    st.Page(
        "app_pages/ecology.py",
        title=t("nav_ecology", lang),
        icon=":material/park:",
        url_path="ecology",
    ),
    st.Page(
        "app_pages/measures.py",
        title=t("nav_measures", lang),
        icon=":material/list_alt:",
        url_path="measures",
    ),
    st.Page(
        "app_pages/timeline.py",
        title=t("nav_timeline", lang),
        icon=":material/timeline:",
        url_path="timeline",
    ),
    st.Page(
        "app_pages/about.py",
        title=t("nav_about", lang),
        icon=":material/info:",
        url_path="about",
    ),
]
# The default page is served at "/"; this hidden twin answers "/overview" too, so a
# deep link to the overview opens it instead of a "page not found" dialog.
overview_alias = st.Page(
    "app_pages/overview.py",
    title=t("nav_overview", lang),
    icon=":material/map:",
    url_path="overview",
)

try:
    catalog = ui.load_catalog()
except DataValidationError as exc:
    url_paths = ["", *(page.url_path for page in pages[1:]), "overview"]
    st.navigation(ui.error_pages(exc, lang, url_paths), position="hidden").run()
    st.stop()

context = ui.frame(catalog, lang)
pg = st.navigation([*pages, overview_alias], position="hidden")
ui.page_links(nav, pages, context.state)
ui.sync_query_params(context.state)
ui.show_notices(lang)
pg.run()
