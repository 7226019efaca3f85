"""The floor: an empty ``st_folium`` map in a minimal Streamlit script.

What any page with one ``st_folium`` map costs before it draws a single
feature: Streamlit's frontend, the component, Leaflet. The map holds one
rectangle (the circle's extent, EPSG:4326 degrees) so that the benchmark
has a first vector path to stop its clock on; no tiles. Leaflet comes from
the app's ``static/vendor`` (:func:`circlemap.assets.localize_assets`).
"""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

from circlemap import assets, settings

min_lon, min_lat, max_lon, max_lat = settings.CIRCLE_BOUNDS
m = folium.Map(
    location=list(settings.DEFAULT_CENTER),
    zoom_start=settings.DEFAULT_ZOOM,  # type: ignore[arg-type]  # Leaflet takes half steps
    tiles=None,
)
folium.Rectangle([[min_lat, min_lon], [max_lat, max_lon]], weight=1, fill=False).add_to(m)
assets.localize_assets(m)
st_folium(m, key="map", height=600, use_container_width=True, returned_objects=[])
