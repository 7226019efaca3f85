"""What the web map tests share: walking the elements, what st_folium sends."""

from __future__ import annotations

import json

from pyproj import Geod
from streamlit.testing.v1 import AppTest

from circlemap import webmap
from circlemap.webmap import elements

BAD_NAME = "<script>alert(1)</script>"


def geojson_layers(element):
    return [el for el in elements.walk(element) if isinstance(el, elements.VectorLayer)]


def features_of(element):
    return [f for layer in geojson_layers(element) for f in layer.data["features"]]


def html_of(m):
    return m.get_root().render()


ST_FOLIUM_COMPONENT = "streamlit_folium.st_folium"


def _draw_map() -> None:
    """An AppTest script: ``st_folium`` of the map and feature group in the session state."""
    import streamlit as st
    from streamlit_folium import st_folium

    st_folium(
        st.session_state["fmap"],
        feature_group_to_add=st.session_state["layer"],
        key="map",
        returned_objects=[],
    )


def sent_by_st_folium(fmap, layer=None) -> dict:
    """The arguments ``st_folium`` sends to the browser for ``fmap`` (and ``layer``).

    Runs streamlit-folium's public ``st_folium`` in Streamlit's AppTest and
    reads its component's arguments off the element tree: ``script`` is the
    map (what streamlit-folium compares to keep its iframe), ``feature_group``
    the layer given as ``feature_group_to_add``.
    """
    at = AppTest.from_function(_draw_map)
    at.session_state["fmap"] = fmap
    at.session_state["layer"] = layer
    at.run()
    assert not at.exception, at.exception
    sent = [
        el.proto.json_args
        for el in at.get("component_instance")
        if el.proto.component_name == ST_FOLIUM_COMPONENT
    ]
    assert len(sent) == 1
    return json.loads(sent[0])


def script_of_layer(catalog, features, **kwargs):
    """The JavaScript streamlit-folium sends for ``feature_group_to_add``."""
    base = webmap.build_base_map(catalog, lang=kwargs.get("lang", "zh"), basemap="none")
    layer = webmap.build_feature_layer(catalog, features, **kwargs)
    return sent_by_st_folium(base, layer)["feature_group"]


def distance_m(a, b):
    return Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])[2]
