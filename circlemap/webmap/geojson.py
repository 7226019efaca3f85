"""GeoJSON for Leaflet: features with shapely geometries, path styles, escaped text.

Geometries are WGS-84 degrees (EPSG:4326), shifted to GCJ-02 with
:func:`in_basemap_frame` when the basemap draws in GCJ-02 (Amap). Every text shown on
the map goes through :func:`html_text`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from circlemap import basemaps, crs


def in_basemap_frame(frame: gpd.GeoDataFrame, basemap: basemaps.Basemap) -> gpd.GeoDataFrame:
    """The frame in the basemap's frame: GCJ-02 for Amap, else unchanged."""
    if basemap.is_gcj02 and len(frame):
        return crs.to_gcj02(frame)
    return frame


def shift_geom(geom: BaseGeometry, basemap: basemaps.Basemap) -> BaseGeometry:
    return crs.to_gcj02(geom) if basemap.is_gcj02 else geom


def feature_collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection whose features hold shapely geometries (EPSG:4326, or
    GCJ-02 for Amap); :class:`VectorLayer` turns them into GeoJSON."""
    return {"type": "FeatureCollection", "features": list(features)}


def drawable_rows(frame: pd.DataFrame, *columns: str) -> Iterator[dict[str, Any]]:
    """``columns`` of each row with a drawable geometry, plus ``geometry`` and ``index``.

    One list per column instead of a Series per row (``itertuples`` and
    ``iterrows`` cost more than the rest of a layer's build). Absent columns
    are left out.
    """
    present = [c for c in columns if c in frame.columns]
    values = [frame[c].tolist() for c in present]
    geoms = list(frame.geometry.values)
    for index, geom, row in zip(
        frame.index.tolist(), geoms, zip(*values, strict=True), strict=True
    ):
        if geom is None or geom.is_empty:
            continue
        yield {**dict(zip(present, row, strict=True)), "geometry": geom, "index": index}


def label_points(geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Where each polygon's name goes: its centroid if inside, else a point surely inside."""
    array = np.asarray(geoms, dtype=object)
    centroids = shapely.centroid(array)
    inside = shapely.contains(array, centroids)
    return list(np.where(inside, centroids, shapely.point_on_surface(array)))


def html_text(value: object) -> str:
    return html.escape(str(value), quote=True)


_LEAFLET_PATH_DEFAULTS: Final[dict[str, Any]] = {
    # not "fill": L.Path leaves shapes unfilled but L.Polygon fills them by default
    "opacity": 1.0,
    "dashArray": None,
    "lineCap": "round",
    "lineJoin": "round",
}
"""Leaflet's own ``L.Path`` options: a style leaves them out (they are not sent)."""


def path_style(
    colour: str,
    *,
    weight: float,
    dash: str | None = None,
    opacity: float = 1.0,
    fill: bool = False,
    fill_colour: str | None = None,
    fill_opacity: float = 0.0,
    radius: float | None = None,
) -> dict[str, Any]:
    """A Leaflet path style: colour and weight always, other options only when they
    differ from Leaflet's defaults (fill colour and opacity only for filled shapes)."""
    style: dict[str, Any] = {
        "color": colour,
        "weight": weight,
        "opacity": opacity,
        "fill": fill,
        "dashArray": dash,
        # Round caps would grow every dash by the line width and close the gaps.
        "lineCap": "butt" if dash else "round",
    }
    if fill:
        style["fillColor"] = fill_colour or colour
        style["fillOpacity"] = fill_opacity
    if radius is not None:
        style["radius"] = radius
    return {k: v for k, v in style.items() if _LEAFLET_PATH_DEFAULTS.get(k, object()) != v}


def hover_style(style: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The options a hover changes (restored from ``style`` on mouse-out, so each
    must be in ``style``)."""
    missing = set(changes) - set(style)
    if missing:
        msg = f"hover changes {sorted(missing)}, which the style does not set"
        raise ValueError(msg)
    return changes


def city_collection(
    frame: gpd.GeoDataFrame,
    *,
    layer: str,
    lang: str,
    style: dict[str, Any],
    hover: dict[str, Any] | None,
) -> dict[str, Any]:
    feats = []
    for row in drawable_rows(frame, "id", "name_zh", "name_en", "kind", "city"):
        name = row["name_en"] if lang == "en" else row["name_zh"]
        props: dict[str, Any] = {
            "layer": layer,
            "id": row["id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "style": style,
        }
        if layer == "county":
            props["city"] = row["city"]
        if hover is not None:
            props["hover"] = hover
            props["tip"] = f'<span class="cm-tip-name">{html_text(name)}</span>'
        feats.append({"type": "Feature", "properties": props, "geometry": row["geometry"]})
    return feature_collection(feats)
