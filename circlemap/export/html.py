"""The interactive map as one standalone HTML file that opens offline."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

import pandas as pd
import shapely

from circlemap import panels, views
from circlemap.export.captions import map_subtitle, map_title
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


def render_html(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    feature: str | None = None,
    today: dt.date | None = None,
    view: str = views.DEFAULT_VIEW,
) -> bytes:
    """The interactive map as one standalone UTF-8 HTML file that opens offline.

    Same layers, styles, legend and tooltips as the app (tile-free basemap),
    fitted to the selection, with a caption holding the title, filters and date;
    a click on a feature opens its card (quote and source) in a popup.
    """
    from branca.element import Element

    from circlemap import webmap

    today = today or dt.date.today()
    features = views.selected_features(catalog, selection, feature=feature, view=view)
    fmap = webmap.build_base_map(catalog, lang=lang, basemap="none")
    layer = webmap.build_feature_layer(
        catalog,
        features,
        lang=lang,
        basemap="none",
        selected_id=feature,
        highlight_cities=selection.cities,
    )
    layer.add_to(fmap)
    cards = {
        str(fid): webmap.card_html(panels.feature_card(catalog, str(fid), lang), lang=lang)
        for fid in features.index
    }
    webmap.CardPopups(cards).add_to(fmap)
    if selection.cities:
        towns = pd.concat([catalog.cities, catalog.context])
        focus = list(towns[towns["name_zh"].isin(selection.cities)].geometry)
    else:
        focus = list(catalog.cities.geometry)
    minx, miny, maxx, maxy = shapely.total_bounds([*focus, *features.geometry.dropna()])
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    caption = (
        '<div class="circlemap-export-caption" style="position:absolute;top:10px;left:54px;'
        "z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.25);font:13px sans-serif;max-width:60%">'
        f"<b>{escape(map_title(selection, lang, view))}</b><br>"
        f'<span style="font-size:11px;color:#444">'
        f"{escape(map_subtitle(selection, lang, len(features), today))}</span></div>"
    )
    fmap.get_root().html.add_child(Element(caption))  # type: ignore[attr-defined]
    page = webmap.render_standalone_html(fmap, title=map_title(selection, lang, view), lang=lang)
    return page.encode("utf-8")
