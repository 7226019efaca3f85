"""The plain folium version: what a competent user would write by hand.

The same stored geodata (``settings.GEODATA_DIR``, so ``CIRCLEMAP_DATA_ROOT``
applies), read once per session with ``st.cache_data``; the base layers as
``folium.GeoJson`` (cities, counties, context, the river) on a base map that
does not change; a city multiselect in the sidebar; the features of the chosen
cities as one ``folium.GeoJson`` in ``feature_group_to_add``, coloured by kind,
with a name tooltip; points as circle markers. Leaflet from the app's
``static/vendor``.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from circlemap import assets, settings, styles, vocab

LAYERS = ("context", "cities", "counties", "yellow_river", "projects", "corridors")
BASE_STYLE = {
    "context": {"color": "#c8c8c8", "fillColor": "#eeeeee", "weight": 1, "fillOpacity": 1},
    "cities": {"color": "#8a6d4b", "fillColor": "#f6efe4", "weight": 1.5, "fillOpacity": 1},
    "counties": {"color": "#b9a48a", "weight": 0.6, "fill": False},
    "yellow_river": {"color": "#3b83bd", "weight": 2.5},
}


@st.cache_data
def read_layers() -> dict[str, Any]:
    return {
        name: json.loads((settings.GEODATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))
        for name in LAYERS
    }


def feature_style(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    return {
        "color": styles.kind_colour(props["kind"]),
        "weight": styles.LINE_WEIGHT,
        "dashArray": styles.accuracy_dash(props["geometry_accuracy"]),
        "fillOpacity": 0.4,
    }


layers = read_layers()
cities = st.sidebar.multiselect("城市", vocab.CIRCLE_CITIES)

m = folium.Map(
    location=list(settings.DEFAULT_CENTER),
    zoom_start=settings.DEFAULT_ZOOM,  # type: ignore[arg-type]  # Leaflet takes half steps
    tiles=None,
)
for name, style in BASE_STYLE.items():
    folium.GeoJson(
        layers[name],
        name=name,
        style_function=lambda _f, style=style: style,
        tooltip=folium.GeoJsonTooltip(fields=["name_zh"], labels=False),
    ).add_to(m)

shown = [
    f
    for name in ("projects", "corridors")
    for f in layers[name]["features"]
    if not cities or set(f["properties"]["cities"]) & set(cities)
]
group = folium.FeatureGroup(name="features")
if shown:
    folium.GeoJson(
        {"type": "FeatureCollection", "features": shown},
        style_function=feature_style,
        marker=folium.CircleMarker(radius=styles.POINT_RADIUS, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["name_zh"], labels=False),
    ).add_to(group)
assets.localize_assets(m)
assets.localize_assets(group)
st_folium(
    m,
    key="map",
    height=600,
    use_container_width=True,
    center=settings.DEFAULT_CENTER,
    zoom=settings.DEFAULT_ZOOM,
    feature_group_to_add=group,
    returned_objects=["last_active_drawing"],
)
