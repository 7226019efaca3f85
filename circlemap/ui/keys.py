"""Session-state keys shared by the glue and the pages, and the pages' paths.

Every key is initialised once per session by :func:`circlemap.ui.page_frame.frame`.
"""

from __future__ import annotations

from typing import Final

KEY_READY: Final = "cm_ready"
KEY_LANG: Final = "cm_lang"
KEY_CITIES: Final = "cm_cities"
KEY_KINDS: Final = "cm_kinds"
KEY_STATUSES: Final = "cm_statuses"
KEY_CATEGORIES: Final = "cm_categories"
KEY_BASEMAP: Final = "cm_basemap"
KEY_FEATURE: Final = "cm_feature"
KEY_FOCUS: Final = "cm_focus_city"
KEY_NOTICES: Final = "cm_notices"
KEY_CONTEXT: Final = "cm_context"
KEY_BRIEF_BATCH: Final = "cm_brief_batch"
"""The last batch of briefings built in this session: (what it was built for, ZIP bytes)."""
KEY_VIEW: Final = "cm_view"
KEY_HIDDEN: Final = "cm_hidden"
KEY_QUERY: Final = "cm_query"
KEY_SCOPES: Final = "measures_scope"
KEY_MEASURE_QUERY: Final = "measures_search"
KEY_MEASURE: Final = "measures_pick"
KEY_MILESTONE: Final = "cm_milestone"
KEY_EXPORT_PANEL: Final = "cm_export_panel_{view}"
"""Per map page (``view``): whether its export panel is open (its buttons are
made only then: a closed panel sends nothing but its header)."""
KEY_BRIEF_PANEL: Final = "cm_brief_panel"
"""Whether the Overview's briefing panel is open (its buttons are made only then)."""
KEY_MAP_SEEN: Final = "cm_map_seen"
"""Per map key: (click count, report) last read from that map."""
KEY_MAP_FIRST: Final = "cm_map_first"
"""Per (map key, language, basemap, feature table URL): the inputs of that map's first
drawing, whose features went inline, or ``None`` once it has changed (rows from then on)."""
KEY_MAP_SENT: Final = "cm_map_sent"
"""The view request last sent to a map: (map key, basemap, language, request); only the
map drawn last, so a map page opened again gets its request afresh."""

FILTER_KEYS: Final[dict[str, str]] = {
    "cities": KEY_CITIES,
    "kinds": KEY_KINDS,
    "statuses": KEY_STATUSES,
    "categories": KEY_CATEGORIES,
}
"""Selection field -> session-state key of its sidebar widget."""

OVERVIEW_PAGE: Final = "app_pages/overview.py"
MEASURES_PAGE: Final = "app_pages/measures.py"
