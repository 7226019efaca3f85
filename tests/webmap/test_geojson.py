"""Tests of circlemap.webmap.geojson: Leaflet path styles."""

from __future__ import annotations

import pytest

from circlemap import webmap
from circlemap.webmap import geojson
from tests.webmap.support import (
    features_of,
)


def test_styles_leave_out_leaflet_defaults_and_hover_only_changes_what_style_sets(catalog):
    m = webmap.build_base_map(catalog, lang="zh", basemap="none")
    layer = webmap.build_feature_layer(
        catalog, catalog.features, lang="zh", basemap="none", selected_id="road-exact"
    )
    props = [f["properties"] for f in features_of(m) + features_of(layer)]
    for p in props:
        style = p["style"]
        assert {"color", "weight"} <= set(style)
        assert style.get("opacity") != 1.0
        assert style.get("lineJoin") is None
        assert "dashArray" not in style or style["dashArray"]
        if "hover" in p:
            assert set(p["hover"]) <= set(style), p["id"]  # mouse-out restores every change
    with pytest.raises(ValueError, match="does not set"):
        geojson.hover_style({"color": "#000", "weight": 1}, opacity=0.5)
