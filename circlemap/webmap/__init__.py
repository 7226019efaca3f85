"""The web map: the folium base map, the filtered feature layer, clicks, views.

The map is split the way streamlit-folium wants it (see docs/MAP_API.md):

* :func:`build_base_map` (:mod:`~circlemap.webmap.base_map`) draws what
  filters never change (tiles or none, context cities, the seven circle
  cities and their labels, county borders, the Yellow River, legend, scale
  bar, full-screen button). For the same ``(catalog, lang, basemap)`` it
  renders byte-identical HTML, because every element gets a deterministic id
  (:func:`~circlemap.webmap.elements.assign_ids`), so streamlit-folium keeps
  the same iframe across reruns.
* :func:`build_feature_layer` (:mod:`~circlemap.webmap.feature_layer`) draws
  what filters change (transport links, sites, green corridors) as one
  :class:`folium.FeatureGroup`, passed to ``st_folium(feature_group_to_add=...)``.
* :func:`parse_click` (:mod:`~circlemap.webmap.clicks`) turns the
  ``st_folium`` return value into a :class:`Click`; :func:`fit_view`
  (:mod:`~circlemap.webmap.viewport`) gives a centre and zoom for some
  geometries. Both are pure.
* :func:`view_request` and :func:`parse_report`
  (:mod:`~circlemap.webmap.mapstate`): the view and hidden layer groups the
  page asks for, and what the reader did (moved, switched layers).
* :func:`render_standalone_html` (:mod:`~circlemap.webmap.standalone`) inlines
  every asset, for the offline HTML export, where :class:`CardPopups`
  (:mod:`~circlemap.webmap.cards`) opens a clicked feature's card.

Layers travel packed (:mod:`~circlemap.webmap.packing`); in the app the base
layers are published once as a static file the browser fetches
(:mod:`~circlemap.webmap.published`). The legend is
:mod:`~circlemap.webmap.legend`, the folium elements
:mod:`~circlemap.webmap.elements`. All input geometries are WGS-84
longitude/latitude degrees (EPSG:4326). When the basemap draws in GCJ-02
(Amap), every vector layer is shifted with :func:`circlemap.crs.to_gcj02`
before it is drawn. Every text shown on the map is escaped. No Streamlit
import here.
"""

from __future__ import annotations

from circlemap.webmap.base_map import BASE_LAYER_NAMES, BaseLayers, base_layers, build_base_map
from circlemap.webmap.cards import CardPopups, card_html
from circlemap.webmap.clicks import RETURNED_OBJECTS, Click, parse_click
from circlemap.webmap.feature_layer import build_feature_layer
from circlemap.webmap.feature_table import FeatureTable, feature_table
from circlemap.webmap.legend import legend_html
from circlemap.webmap.mapstate import (
    REPORT_NAME,
    MapReport,
    parse_report,
    view_from_map,
    view_request,
)
from circlemap.webmap.packing import PackedLayer, pack_layer
from circlemap.webmap.published import (
    publish_base_layers,
    publish_feature_table,
    publish_scripts,
)
from circlemap.webmap.standalone import render_standalone_html
from circlemap.webmap.viewport import MIN_ZOOM, ZOOM_STEP, fit_view

__all__ = [
    "BASE_LAYER_NAMES",
    "MIN_ZOOM",
    "REPORT_NAME",
    "RETURNED_OBJECTS",
    "ZOOM_STEP",
    "BaseLayers",
    "CardPopups",
    "Click",
    "FeatureTable",
    "MapReport",
    "PackedLayer",
    "base_layers",
    "build_base_map",
    "build_feature_layer",
    "card_html",
    "feature_table",
    "fit_view",
    "legend_html",
    "pack_layer",
    "parse_click",
    "parse_report",
    "publish_base_layers",
    "publish_feature_table",
    "publish_scripts",
    "render_standalone_html",
    "view_from_map",
    "view_request",
]
