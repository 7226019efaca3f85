"""Map building: the folium base map, the filtered feature layer, clicks, views.

The map is split the way streamlit-folium wants it (see docs/MAP_API.md):

* :func:`build_base_map` draws what filters never change (tiles or none,
  context cities, the seven circle cities and their labels, county borders,
  the Yellow River, legend, scale bar, full-screen button). For the same
  ``(catalog, lang, basemap)`` it renders byte-identical HTML, because every
  element gets a deterministic id, so streamlit-folium keeps the same
  iframe across reruns.
* :func:`build_feature_layer` draws what filters change (transport links,
  sites, green corridors) as one :class:`folium.FeatureGroup`, passed to
  ``st_folium(feature_group_to_add=...)``.
* :func:`parse_click` turns the ``st_folium`` return value into a
  :class:`Click`; :func:`fit_view` gives a centre and zoom for some
  geometries.

All input geometries are WGS-84 longitude/latitude degrees (EPSG:4326).
When the basemap draws in GCJ-02 (Amap), every vector layer is shifted with
:func:`circlemap.crs.to_gcj02` before it is drawn. Every text shown on the
map is escaped with :func:`html.escape`. No Streamlit import here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry.base import BaseGeometry

from circlemap import assets, basemaps, crs, layers, polyline, settings, styles, vocab
from circlemap.i18n import city_name, t, term

__all__ = [
    "RETURNED_OBJECTS",
    "BaseLayers",
    "Click",
    "MapReport",
    "PackedLayer",
    "base_layers",
    "build_base_map",
    "build_feature_layer",
    "fit_view",
    "pack_layer",
    "parse_click",
    "parse_report",
    "render_standalone_html",
    "view_from_map",
    "view_request",
]

RETURNED_OBJECTS: Final[list[str]] = [
    "last_active_drawing",
    "last_object_clicked_count",
    "selected_layers",
]
"""What the pages ask ``st_folium`` to return: the GeoJSON of the clicked feature,
a click counter (a click on the same feature again is a new click) and
``selected_layers``, where ``L.circlemap`` reports the reader's view and hidden
layer groups (:func:`parse_report`)."""

REPORT_NAME: Final = "circlemap"
"""Name of our entry in ``selected_layers`` (see ``static/circlemap/circlemap.js``)."""

STATIC_JS: Final[dict[str, str]] = {"circlemap_js": "circlemap/circlemap.js"}
"""Our own map furniture script, path under :data:`settings.STATIC_DIR`."""

STATIC_CSS: Final[dict[str, str]] = {"circlemap_css": "circlemap/circlemap.css"}

PLUGIN_JS: Final[tuple[str, ...]] = ("polylinemeasure", "minimap")
"""Vendored Leaflet plugins the map loads (names of :data:`circlemap.assets.LOCAL_JS`)."""
PLUGIN_CSS: Final[tuple[str, ...]] = ("polylinemeasure_css", "minimap_css")

BASE_LAYER_NAMES: Final[tuple[str, ...]] = ("context", "city", "county", "city-outline", "river")
"""``properties.layer`` of the layers :func:`base_layers` draws (keys of the layer control)."""

MIN_ZOOM: Final = 6
ZOOM_STEP: Final = 0.5
"""Zoom snaps to half steps: a whole step doubles the scale, too coarse to fit a view."""
MAX_ZOOM_NO_TILES: Final = 13
"""Without tiles there is nothing to see closer than a town."""

VIEW_BOUNDS: Final[tuple[float, float, float, float]] = (108.0, 30.0, 130.0, 42.0)
"""(min lon, min lat, max lon, max lat): how far the reader can pan (degrees)."""

COORD_DIGITS: Final = settings.COORD_PRECISION

FEATURE_GROUP_ORDER: Final[tuple[str, ...]] = ("ecology", "transport", "site")
"""Draw order of the content groups, bottom first (points stay clickable on top)."""

_ON_EACH_FEATURE: Final = JsCode(
    """
    function (feature, layer) {
        var props = feature.properties || {};
        if (props.tip) {
            layer.bindTooltip(props.tip, {sticky: true, className: "cm-tip", direction: "top"});
        }
        if (props.hover && typeof layer.setStyle === "function") {
            layer.on("mouseover", function (e) { e.target.setStyle(props.hover); });
            layer.on("mouseout", function (e) { e.target.setStyle(props.style); });
        }
    }
    """
)
"""Binds each feature's pre-escaped tooltip and hover style (both built in Python)."""


# --- clicks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Click:
    """What the reader clicked on the map.

    Attributes
    ----------
    kind : {"feature", "city"}
        A content feature (transport link, site, corridor) or a circle city.
    id : str
        The feature ``id``, or the city's zh name (``"淄博"``).
    """

    kind: Literal["feature", "city"]
    id: str


def parse_click(returned: Mapping[str, Any] | None) -> Click | None:
    """Which feature or city a ``st_folium`` return value says was clicked.

    streamlit-folium puts ``layer.toGeoJSON()`` of the clicked vector into
    ``last_active_drawing``: a GeoJSON Feature whose ``properties`` are the
    ones this module wrote (``layer``, ``id``, ``name_zh``, ``kind``, ...).

    Parameters
    ----------
    returned : mapping or None
        The dict ``st_folium`` returned (``None`` before the map loads).

    Returns
    -------
    Click or None
        ``None`` when nothing clickable was clicked (the river, an empty
        return value, a malformed one).
    """
    drawing = returned.get("last_active_drawing") if returned else None
    props = drawing.get("properties") if isinstance(drawing, Mapping) else None
    if not isinstance(props, Mapping):
        return None
    layer = props.get("layer")
    if layer is None:
        # A feature written by another tool: fall back on its kind.
        layer = "feature" if props.get("kind") in vocab.KINDS else props.get("kind")
    value = {
        "feature": props.get("id"),
        "city": props.get("name_zh"),
        "county": props.get("city"),
    }.get(str(layer))
    if not isinstance(value, str) or not value:
        return None
    if layer == "feature":
        return Click("feature", value)
    return Click("city", value) if value in vocab.CITY_BY_ZH else None


@dataclass(frozen=True, slots=True)
class MapReport:
    """What the map says the reader did: moved the view, switched layers off.

    Attributes
    ----------
    view : (float, float, float) or None
        (lat, lon, zoom) after the reader's last move (in the map's frame:
        GCJ-02 on Amap, see :func:`view_from_map`); ``None`` before any.
    hidden : tuple of str
        Layer groups switched off (keys of :data:`circlemap.layers.GROUPS`).
    basemap : str or None
        ``"none"`` when the reader chose the offline map after tiles failed.
    """

    view: tuple[float, float, float] | None
    hidden: tuple[str, ...]
    basemap: str | None = None


def parse_report(returned: Mapping[str, Any] | None) -> MapReport | None:
    """Our entry of ``selected_layers`` in a ``st_folium`` return value, checked.

    Returns ``None`` when there is none or it is malformed (never raises).
    """
    entries = returned.get("selected_layers") if returned else None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not isinstance(entry, Mapping) or entry.get("name") != REPORT_NAME:
            continue
        try:
            data = json.loads(str(entry.get("url")))
        except ValueError:
            return None
        if not isinstance(data, Mapping):
            return None
        raw_view = data.get("view")
        view = None
        if (
            isinstance(raw_view, list)
            and len(raw_view) == 3
            and all(isinstance(v, int | float) and math.isfinite(v) for v in raw_view)
        ):
            view = (float(raw_view[0]), float(raw_view[1]), float(raw_view[2]))
        raw_hidden = data.get("hidden")
        hidden = tuple(k for k in layers.GROUPS if isinstance(raw_hidden, list) and k in raw_hidden)
        basemap = data.get("basemap") if data.get("basemap") == "none" else None
        return MapReport(view=view, hidden=hidden, basemap=basemap)
    return None


# --- views ---------------------------------------------------------------------------------


def fit_view(
    geoms: gpd.GeoSeries | Sequence[BaseGeometry],
    *,
    viewport: tuple[int, int] = (900, 620),
    max_zoom: int = 12,
    padding: float = 0.08,
) -> tuple[tuple[float, float], float]:
    """Centre and zoom that fit some geometries.

    Parameters
    ----------
    geoms : GeoSeries or sequence of shapely geometries
        WGS-84 longitude/latitude degrees (EPSG:4326).
    viewport : (int, int), keyword-only
        Map size in CSS pixels (width, height) the view should fit.
    max_zoom : int, keyword-only
        Cap for a single point or a tiny extent.
    padding : float, keyword-only
        Fraction of the viewport kept free around the geometries.

    Returns
    -------
    ((float, float), float)
        Centre as ``(lat, lon)`` in degrees, as Leaflet expects, and a
        Web-Mercator zoom level in steps of :data:`ZOOM_STEP`. Without geometries: the default view
        (:data:`settings.DEFAULT_CENTER`, :data:`settings.DEFAULT_ZOOM`).
    """
    series = geoms if isinstance(geoms, gpd.GeoSeries) else gpd.GeoSeries(list(geoms))
    series = series[series.notna() & ~series.is_empty] if len(series) else series
    if len(series) == 0:
        return settings.DEFAULT_CENTER, settings.DEFAULT_ZOOM
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in series.total_bounds)
    center = ((min_lat + max_lat) / 2.0, (min_lon + max_lon) / 2.0)
    width, height = viewport
    usable_w = max(width * (1.0 - 2.0 * padding), 1.0)
    usable_h = max(height * (1.0 - 2.0 * padding), 1.0)
    # Web Mercator: the world is 256 * 2**zoom pixels wide.
    dx = (max_lon - min_lon) / 360.0
    dy = (_mercator_y(max_lat) - _mercator_y(min_lat)) / (2.0 * math.pi)
    zooms: list[float] = [max_zoom]
    if dx > 0:
        zooms.append(math.log2(usable_w / (256.0 * dx)))
    if dy > 0:
        zooms.append(math.log2(usable_h / (256.0 * dy)))
    snapped = math.floor(min(zooms) / ZOOM_STEP) * ZOOM_STEP
    zoom = max(float(MIN_ZOOM), min(float(max_zoom), snapped))
    return (round(center[0], COORD_DIGITS), round(center[1], COORD_DIGITS)), zoom


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    rad = math.radians(lat)
    return math.log(math.tan(math.pi / 4.0 + rad / 2.0))


# --- GeoJSON helpers -----------------------------------------------------------------------


def _shifted(frame: gpd.GeoDataFrame, basemap: basemaps.Basemap) -> gpd.GeoDataFrame:
    """The frame in the basemap's frame: GCJ-02 for Amap, else unchanged."""
    if basemap.is_gcj02 and len(frame):
        return crs.to_gcj02(frame)
    return frame


def _shift_geom(geom: BaseGeometry, basemap: basemaps.Basemap) -> BaseGeometry:
    return crs.to_gcj02(geom) if basemap.is_gcj02 else geom


def _collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection whose features hold shapely geometries (EPSG:4326, or
    GCJ-02 for Amap); :class:`_VectorLayer` turns them into GeoJSON."""
    return {"type": "FeatureCollection", "features": list(features)}


def _rows(frame: pd.DataFrame, *columns: str) -> Iterator[dict[str, Any]]:
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


def _label_points(geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Where each polygon's name goes: its centroid if inside, else a point surely inside."""
    array = np.asarray(geoms, dtype=object)
    centroids = shapely.centroid(array)
    inside = shapely.contains(array, centroids)
    return list(np.where(inside, centroids, shapely.point_on_surface(array)))


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


_LEAFLET_PATH_DEFAULTS: Final[dict[str, Any]] = {
    # not "fill": L.Path leaves shapes unfilled but L.Polygon fills them by default
    "opacity": 1.0,
    "dashArray": None,
    "lineCap": "round",
    "lineJoin": "round",
}
"""Leaflet's own ``L.Path`` options: a style leaves them out (they are not sent)."""


def _path_style(
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


def _hover(style: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The options a hover changes (restored from ``style`` on mouse-out, so each
    must be in ``style``)."""
    missing = set(changes) - set(style)
    if missing:
        msg = f"hover changes {sorted(missing)}, which the style does not set"
        raise ValueError(msg)
    return changes


class _VerbatimScript(Element):
    """Rendered JavaScript kept as it is (branca would compile it as a template again)."""

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self.script


class _RenderedOnce(MacroElement):
    """A script-only element whose rendered script goes into the figure as it is.

    ``MacroElement.render`` compiles each element's rendered script as a Jinja
    template once more; for a large layer that costs more than the rendering
    itself, and the output (data, escaped text) is no template. The script
    must add the element to its parent itself (no ``ElementAddToElement``).
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement's
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"cannot render {self.get_name()} outside a folium Figure"
            raise TypeError(msg)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_VerbatimScript(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


@dataclass(frozen=True, slots=True)
class PackedLayer:
    """A vector layer serialised for the browser: plain data, so it can be cached.

    Attributes
    ----------
    name : str
        Layer name.
    packed : str
        The FeatureCollection as compact, HTML-safe JSON whose lines and rings
        are encoded polylines (:mod:`circlemap.polyline`, :data:`COORD_DIGITS`).
    bounds : (float, float, float, float) or None
        (min lon, min lat, max lon, max lat) in degrees; ``None`` without features.
    interactive : bool
        Tooltips, hover and clicks (else drawn only).
    point_radius : float, optional
        Points as circle markers of this radius (CSS pixels).
    """

    name: str
    packed: str
    bounds: tuple[float, ...] | None
    interactive: bool = True
    point_radius: float | None = None


def pack_layer(
    collection: dict[str, Any],
    *,
    name: str,
    interactive: bool = True,
    point_radius: float | None = None,
) -> PackedLayer:
    """Serialise a FeatureCollection whose features hold shapely geometries."""
    features = collection["features"]
    geoms = [f["geometry"] for f in features]
    packed = polyline.pack_geometries(geoms, COORD_DIGITS)
    plain = {
        **collection,
        "features": [{**f, "geometry": g} for f, g in zip(features, packed, strict=True)],
    }
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms)) if geoms else None
    return PackedLayer(name, _html_safe_json(plain), bounds, interactive, point_radius)


class _VectorLayer(_RenderedOnce, Layer):
    """GeoJSON features drawn by ``L.geoJson``, coordinates packed as polylines.

    Each feature is styled by its own ``properties.style``; tooltips and
    hover styles are bound by ``on_each_feature``; points become circle
    markers (no icon images). The collection's geometries (shapely, degrees)
    are packed in one pass (:func:`circlemap.polyline.pack_geometries`,
    :data:`COORD_DIGITS` decimals: lossless for stored coordinates), the
    collection is serialised once, compactly and HTML-safe, and
    ``L.circlemap.unpack`` (``static/circlemap/circlemap.js``) restores the
    coordinates in the browser.

    Attributes
    ----------
    data : dict
        The GeoJSON FeatureCollection as the browser gets it after unpacking.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            style: function (feature) { return feature.properties.style; },
            {%- if this.on_each_feature %}
            onEachFeature: {{ this.on_each_feature }},
            {%- endif %}
            {%- if this.point_options %}
            pointToLayer: function (feature, latlng) {
                return new L.CircleMarker(latlng, {{ this.point_options|tojson }});
            },
            {%- endif %}
            ...{{ this.options|tojson }}
        });
        {{ this.get_name() }}.addData(L.circlemap.unpack({{ this.packed }}, {{ this.precision }}));
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, layer: PackedLayer) -> None:
        super().__init__(name=layer.name, overlay=True, control=False)
        self._name = "GeoJson"
        self.precision = COORD_DIGITS
        self.on_each_feature = _ON_EACH_FEATURE if layer.interactive else None
        self.point_options = (
            {"radius": layer.point_radius, "interactive": layer.interactive}
            if layer.point_radius is not None
            else None
        )
        self.options = {"interactive": layer.interactive, "bubblingMouseEvents": False}
        self.packed = layer.packed
        self.bounds = layer.bounds

    @property
    def data(self) -> dict[str, Any]:
        collection = json.loads(self.packed)
        for feature in collection["features"]:
            feature["geometry"] = polyline.unpack_geometry(feature["geometry"], self.precision)
        return collection

    def _get_self_bounds(self) -> list[list[float | None]]:
        """[[south, west], [north, east]] in degrees (folium's convention)."""
        if self.bounds is None:
            return [[None, None], [None, None]]
        west, south, east, north = self.bounds
        return [[south, west], [north, east]]


_HTML_UNSAFE: Final = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))
"""Characters Jinja's ``tojson`` escapes so JSON can sit in a ``<script>`` element."""


def _html_safe_json(value: Any) -> str:
    """Compact JSON (UTF-8 text kept) that can sit inside a ``<script>`` element.

    A ``{{`` (encoded polylines may hold one) is written ``{\\u007b``: branca
    compiles each element's rendered script as a Jinja template again, where
    ``{{`` would open an expression. (``{%`` and ``{#`` cannot occur: ``%``
    and ``#`` are outside the polyline alphabet and JSON puts ``"`` or ``}``
    after a ``{`` of its own.)
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _HTML_UNSAFE:
        text = text.replace(char, escaped)
    return text.replace("{{", "{\\u007b")


def _geojson_layer(
    collection: dict[str, Any],
    *,
    name: str,
    interactive: bool = True,
    point_radius: float | None = None,
) -> _VectorLayer:
    """A layer of ``collection`` (features with shapely geometries)."""
    return _VectorLayer(
        pack_layer(collection, name=name, interactive=interactive, point_radius=point_radius)
    )


# --- base map ------------------------------------------------------------------------------


class _LabelLayer(_RenderedOnce):
    """Names drawn as non-interactive DivIcon labels (text escaped in Python).

    Parameters
    ----------
    labels : list of (lat, lon, text, css class)
        Latitude/longitude in degrees of the map's frame.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.labels|tojson }}.forEach(function (item) {
            L.marker([item[0], item[1]], {
                icon: L.divIcon({
                    className: "cm-label " + item[3],
                    html: "<span>" + item[2] + "</span>",
                    iconSize: [0, 0]
                }),
                interactive: false,
                keyboard: false
            }).addTo({{ this.get_name() }});
        });
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[float, float, str, str]]) -> None:
        super().__init__()
        self._name = "LabelLayer"
        self.labels = [[lat, lon, _text(txt), cls] for lat, lon, txt, cls in labels]


class _Furniture(JSCSSMixin, _RenderedOnce):
    """Background colour, scale bar, full-screen button and legend.

    Loads our own ``static/circlemap/circlemap.js``/``.css`` (served by the
    app; inlined by :func:`render_standalone_html`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.furnish({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, *, legend_html: str, lang: str, layer_items: Sequence[dict[str, str]] = ()
    ) -> None:
        super().__init__()
        self._name = "Furniture"
        # Instance attributes, read at call time (settings may be overridden).
        # The plugins first: circlemap.js uses them when they are there.
        self.default_js = [
            (name, assets.static_url(assets.LOCAL_JS[name])) for name in PLUGIN_JS
        ] + [(name, assets.static_url(rel)) for name, rel in STATIC_JS.items()]
        self.default_css = [
            (name, assets.static_url(assets.LOCAL_CSS[name])) for name in PLUGIN_CSS
        ] + [(name, assets.static_url(rel)) for name, rel in STATIC_CSS.items()]
        min_lon, min_lat, max_lon, max_lat = settings.CIRCLE_BOUNDS
        self.options = {
            "lang": lang,
            "background": styles.WATER_BACKGROUND,
            "legendHtml": legend_html,
            "fullscreenTitle": t("map_fullscreen", lang),
            "fullscreenExitTitle": t("map_fullscreen_exit", lang),
            "attribution": _text(t("map_data_attribution", lang)),
            "pointRadius": styles.POINT_RADIUS,
            "layersTitle": t("map_layers", lang),
            "layerSections": {
                "base": t("map_layers_base", lang),
                "content": t("map_layers_content", lang),
            },
            "layerItems": list(layer_items),
            "layerGroups": layers.BASE_LAYER_GROUP,
            "contentGroups": layers.CONTENT_GROUP_OF_MAP_GROUP,
            "labelGroups": layers.LABEL_GROUP,
            "resetTitle": t("map_reset_view", lang),
            "resetBounds": [[min_lat, min_lon], [max_lat, max_lon]],
            "coordsLabel": t("map_coords", lang),
            "minimapShow": t("map_minimap_show", lang),
            "minimapHide": t("map_minimap_hide", lang),
            "tileError": t("map_tile_error", lang),
            "tileOffline": t("map_tile_offline", lang),
            "measure": {
                key: t(f"map_measure_{key}", lang)
                for key in ("on", "off", "clear", "finish", "remove", "move", "resume", "add")
            }
            | {"km": t("map_unit_km", lang), "m": t("map_unit_m", lang)},
        }


def _swatch_line(colour: str, dash: str | None, *, weight: float = 3.0) -> str:
    dash_attr = f' stroke-dasharray="{_text(dash)}"' if dash else ""
    return (
        '<svg width="30" height="12" aria-hidden="true">'
        f'<line x1="2" y1="6" x2="28" y2="6" stroke="{_text(colour)}" stroke-width="{weight}"'
        f' stroke-linecap="round"{dash_attr}/></svg>'
    )


def _swatch_point(colour: str) -> str:
    return (
        '<svg width="30" height="14" aria-hidden="true">'
        f'<circle cx="15" cy="7" r="5.5" fill="{_text(colour)}" fill-opacity="0.85"'
        f' stroke="{_text(colour)}" stroke-width="1.5"/></svg>'
    )


def _swatch_area(fill: str, edge: str, *, weight: float = 1.5, fill_opacity: float = 1.0) -> str:
    return (
        '<svg width="30" height="14" aria-hidden="true">'
        f'<rect x="3" y="2" width="24" height="10" fill="{_text(fill)}"'
        f' fill-opacity="{fill_opacity}" stroke="{_text(edge)}" stroke-width="{weight}"/></svg>'
    )


def _legend_item(swatch: str, label: str) -> str:
    return f"<li>{swatch}<span>{_text(label)}</span></li>"


def _kinds_present(features: gpd.GeoDataFrame | pd.DataFrame | None) -> list[str]:
    if features is None or len(features) == 0 or "kind" not in features:
        return []
    present = set(features["kind"])
    return [k for k in vocab.KINDS if k in present]


def legend_html(catalog: Any, *, lang: str, basemap: str = basemaps.DEFAULT_BASEMAP) -> str:
    """The legend's HTML (every text escaped), as drawn by :func:`build_base_map`.

    Lists the kinds present in ``catalog.features`` by map group with their
    colours, the three geometry accuracies as line styles with their meaning,
    and the base layers. Exposed for the print exports.
    """
    base = basemaps.get_basemap(basemap)
    parts = [f"<details open><summary>{_text(t('map_legend', lang))}</summary>"]
    kinds = _kinds_present(getattr(catalog, "features", None))
    for group in ("transport", "site", "ecology"):
        in_group = [k for k in kinds if vocab.KINDS[k].group == group]
        if not in_group:
            continue
        parts.append(f"<h4>{_text(term(vocab.KIND_GROUPS, group, lang))}</h4><ul>")
        for kind in in_group:
            colour = styles.kind_colour(kind)
            swatch = _swatch_point(colour) if group == "site" else _swatch_line(colour, None)
            parts.append(_legend_item(swatch, term(vocab.KINDS, kind, lang)))
        parts.append("</ul>")
    parts.append(f"<h4>{_text(t('map_legend_accuracy', lang))}</h4><ul>")
    for accuracy in vocab.ACCURACIES:
        swatch = _swatch_line("#444444", styles.accuracy_dash(accuracy))
        parts.append(_legend_item(swatch, t(f"map_accuracy_{accuracy}", lang)))
    parts.append("</ul>")
    parts.append(f"<h4>{_text(t('map_legend_base', lang))}</h4><ul>")
    parts.append(
        _legend_item(_swatch_line(styles.RIVER_COLOUR, None), term(vocab.LAYERS, "river", lang))
    )
    parts.append(
        _legend_item(
            _swatch_area(styles.CITY_FILL, styles.CITY_EDGE, weight=2.0),
            term(vocab.LAYERS, "cities", lang),
        )
    )
    parts.append(
        _legend_item(
            _swatch_line(styles.COUNTY_EDGE, None, weight=1.0), term(vocab.LAYERS, "counties", lang)
        )
    )
    parts.append(
        _legend_item(
            _swatch_area(styles.CONTEXT_FILL, styles.CONTEXT_EDGE, weight=1.0),
            term(vocab.LAYERS, "context", lang),
        )
    )
    parts.append("</ul>")
    parts.append(f'<p class="cm-note">{_text(t("map_geometry_note", lang))}</p>')
    if base.is_gcj02:
        parts.append(f'<p class="cm-note">{_text(t("map_gcj02_note", lang))}</p>')
    parts.append("</details>")
    return "".join(parts)


def _city_collection(
    frame: gpd.GeoDataFrame, *, layer: str, lang: str, style: dict[str, Any], hover: dict | None
) -> dict[str, Any]:
    feats = []
    for row in _rows(frame, "id", "name_zh", "name_en", "kind", "city"):
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
            props["tip"] = f'<span class="cm-tip-name">{_text(name)}</span>'
        feats.append({"type": "Feature", "properties": props, "geometry": row["geometry"]})
    return _collection(feats)


def _labels(frame: gpd.GeoDataFrame, *, lang: str, css: str) -> list[tuple[float, float, str, str]]:
    rows = list(_rows(frame, "name_zh", "name_en"))
    points = _label_points([row["geometry"] for row in rows]) if rows else []
    out = []
    for row, point in zip(rows, points, strict=True):
        name = row["name_en"] if lang == "en" else row["name_zh"]
        out.append((round(point.y, COORD_DIGITS), round(point.x, COORD_DIGITS), str(name), css))
    return out


def _tile_layers(base: basemaps.Basemap, *, lang: str, key: str | None) -> list[folium.TileLayer]:
    urls = basemaps.tile_urls(base, key=key)
    layers = []
    for spec, url in zip(base.tiles, urls, strict=True):
        layers.append(
            folium.TileLayer(
                tiles=url,
                attr=_text(base.attribution(lang)),
                name=base.label(lang),
                subdomains=spec.subdomains or "abc",
                max_zoom=spec.max_zoom,
                max_native_zoom=spec.max_zoom,
                overlay=False,
                control=False,
            )
        )
    return layers


@dataclass(frozen=True, slots=True)
class BaseLayers:
    """What :func:`build_base_map` draws from the catalog, serialised.

    Plain data (strings, numbers, tuples) for one ``(lang, basemap)``: it can
    be cached across reruns (``st.cache_data``) while the folium map itself,
    which ``st_folium`` changes, is built fresh every run. Packing the
    layers is most of the base map's build time.

    Attributes
    ----------
    lang, basemap : str
        What the layers were made for (shifted to GCJ-02 for Amap).
    layers : tuple of PackedLayer
        Context cities, circle cities, counties, city outlines, the Yellow
        River, bottom first.
    labels : tuple of (lat, lon, text, css class)
        Names of context cities, counties and circle cities (text unescaped).
    legend : str
        :func:`legend_html` of the catalog.
    layer_items : tuple of dict
        Entries of the layer control (:func:`circlemap.layers.control_items`).
    """

    lang: str
    basemap: str
    layers: tuple[PackedLayer, ...]
    labels: tuple[tuple[float, float, str, str], ...]
    legend: str
    layer_items: tuple[dict[str, str], ...] = ()


def base_layers(catalog: Any, *, lang: str, basemap: str) -> BaseLayers:
    """The base map's vector layers, labels and legend for ``(lang, basemap)``.

    Parameters
    ----------
    catalog : circlemap.catalog.Catalog
        Uses ``cities``, ``counties``, ``context``, ``river`` (EPSG:4326) and
        the kinds present in ``features`` (for the legend).
    lang : {"zh", "en"}, keyword-only
    basemap : str, keyword-only
        With ``amap`` every layer is shifted to GCJ-02.

    Raises
    ------
    circlemap.basemaps.BasemapError
        Unknown basemap.
    """
    base = basemaps.get_basemap(basemap)
    with_tiles = bool(base.tiles)
    context = _shifted(catalog.context, base)
    cities = _shifted(catalog.cities, base)
    counties = _shifted(catalog.counties, base)
    river = _shifted(catalog.river, base)

    context_style = _path_style(
        styles.CONTEXT_EDGE,
        weight=1,
        fill=True,
        fill_colour=styles.CONTEXT_FILL,
        fill_opacity=0.25 if with_tiles else 1.0,
    )
    context_layer = pack_layer(
        _city_collection(context, layer="context", lang=lang, style=context_style, hover=None),
        name=term(vocab.LAYERS, "context", lang),
        interactive=False,
    )

    city_style = _path_style(
        styles.CITY_EDGE,
        weight=2,
        fill=True,
        fill_colour=styles.CITY_FILL,
        fill_opacity=0.3 if with_tiles else 1.0,
    )
    city_hover = _hover(
        city_style, weight=3.5, fillOpacity=0.45 if with_tiles else 1.0, fillColor="#efe2cc"
    )
    city_layer = pack_layer(
        _city_collection(cities, layer="city", lang=lang, style=city_style, hover=city_hover),
        name=term(vocab.LAYERS, "cities", lang),
    )

    county_style = _path_style(styles.COUNTY_EDGE, weight=0.8, opacity=0.9)
    county_layer = pack_layer(
        _city_collection(counties, layer="county", lang=lang, style=county_style, hover=None),
        name=term(vocab.LAYERS, "counties", lang),
        interactive=False,
    )
    # City borders again above the county lines, so the circle's outline reads.
    outline_style = _path_style(styles.CITY_EDGE, weight=2)
    outline_layer = pack_layer(
        _city_collection(cities, layer="city-outline", lang=lang, style=outline_style, hover=None),
        name="city-outline",
        interactive=False,
    )

    river_layer = pack_layer(
        _river_collection(river, lang=lang), name=term(vocab.LAYERS, "river", lang)
    )

    labels = (
        _labels(context, lang=lang, css="cm-label-context")
        + _labels(counties, lang=lang, css="cm-label-county")
        + _labels(cities, lang=lang, css="cm-label-city")
    )
    return BaseLayers(
        lang=lang,
        basemap=basemap,
        layers=(context_layer, city_layer, county_layer, outline_layer, river_layer),
        labels=tuple(labels),
        legend=legend_html(catalog, lang=lang, basemap=basemap),
        layer_items=tuple(
            layers.control_items(
                _kinds_present(getattr(catalog, "features", None)), BASE_LAYER_NAMES, lang=lang
            )
        ),
    )


def build_base_map(
    catalog: Any,
    *,
    lang: str,
    basemap: str,
    tianditu_key: str | None = None,
    height: str | int = "100%",
    layers: BaseLayers | None = None,
) -> folium.Map:
    """The part of the map that filters never change.

    Tiles (none by default), other Shandong cities (faint, small names), the
    seven circle cities (fill, border, names in ``lang``; clickable), county
    borders, the Yellow River (with tooltip), legend, metric scale bar and
    full-screen button; the container is painted the water colour so the map
    looks finished without tiles. Leaflet and our own JS/CSS are served by
    the app (:func:`circlemap.assets.localize_assets`).

    Parameters
    ----------
    catalog : circlemap.catalog.Catalog
        Uses ``cities``, ``counties``, ``context``, ``river`` (EPSG:4326) and
        the kinds present in ``features`` (for the legend).
    lang : {"zh", "en"}, keyword-only
    basemap : str, keyword-only
        Key of :data:`circlemap.basemaps.BASEMAPS`; with ``amap`` every layer
        is shifted to GCJ-02.
    tianditu_key : str, optional, keyword-only
        Needed for ``basemap="tianditu"``.
    height : str or int, keyword-only
        Map height for standalone rendering (streamlit-folium sets its own).
    layers : BaseLayers, optional, keyword-only
        :func:`base_layers` of the same catalog, language and basemap, e.g.
        cached across reruns; made here when omitted.

    Returns
    -------
    folium.Map
        Renders identical HTML for identical arguments (deterministic ids).

    Raises
    ------
    circlemap.basemaps.BasemapError
        Unknown basemap, or Tianditu without a key.
    ValueError
        If ``layers`` were made for another language or basemap.
    """
    base = basemaps.get_basemap(basemap)
    max_zoom = max((s.max_zoom for s in base.tiles), default=MAX_ZOOM_NO_TILES)
    min_lon, min_lat, max_lon, max_lat = VIEW_BOUNDS
    m = folium.Map(
        location=list(settings.DEFAULT_CENTER),
        zoom_start=settings.DEFAULT_ZOOM,  # type: ignore[arg-type]  # Leaflet takes half steps
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=max_zoom,
        max_bounds=True,
        min_lat=min_lat,
        max_lat=max_lat,
        min_lon=min_lon,
        max_lon=max_lon,
        height=height,
        control_scale=False,  # our furniture adds a metric-only scale bar
        zoomSnap=ZOOM_STEP,
    )
    for layer in _tile_layers(base, lang=lang, key=tianditu_key):
        layer.add_to(m)

    if layers is None:
        layers = base_layers(catalog, lang=lang, basemap=basemap)
    elif (layers.lang, layers.basemap) != (lang, basemap):
        msg = (
            f"base layers for ({layers.lang!r}, {layers.basemap!r}) cannot draw "
            f"the ({lang!r}, {basemap!r}) map"
        )
        raise ValueError(msg)
    for packed in layers.layers:
        _VectorLayer(packed).add_to(m)
    _LabelLayer(list(layers.labels)).add_to(m)
    _Furniture(legend_html=layers.legend, lang=lang, layer_items=layers.layer_items).add_to(m)

    assets.localize_assets(m)
    _assign_ids(m, prefix=f"base:{lang}:{basemap}")
    return m


def _river_collection(river: gpd.GeoDataFrame, *, lang: str) -> dict[str, Any]:
    style = _path_style(styles.RIVER_COLOUR, weight=3.5, opacity=0.95)
    hover = _hover(style, weight=5)
    feats = []
    for row in _rows(river, "id", "name_zh", "name_en", "kind", "cities"):
        name = row["name_en"] if lang == "en" else row["name_zh"]
        crossed = "、" if lang != "en" else ", "
        cities = crossed.join(city_name(c, lang) for c in row["cities"] if c in vocab.CITY_BY_ZH)
        tip = f'<span class="cm-tip-name">{_text(name)}</span>'
        if cities:
            flows = t("map_river_cities", lang) + cities
            tip += f'<br><span class="cm-tip-meta">{_text(flows)}</span>'
        props = {
            "layer": "river",
            "id": row["id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "style": style,
            "hover": hover,
            "tip": tip,
        }
        feats.append({"type": "Feature", "properties": props, "geometry": row["geometry"]})
    return _collection(feats)


# --- feature layer -------------------------------------------------------------------------


def _feature_style(kind: str, accuracy: str, geom_type: str, *, selected: bool) -> dict[str, Any]:
    colour = styles.kind_colour(kind)
    dash = styles.accuracy_dash(accuracy)
    if geom_type in ("Point", "MultiPoint"):
        return _path_style(
            colour,
            weight=2.5 if selected else 2,
            dash=dash,
            fill=True,
            fill_opacity=0.85 if accuracy == "exact" else 0.55,
            radius=styles.POINT_RADIUS + (2 if selected else 0),
        )
    if geom_type in ("Polygon", "MultiPolygon"):
        return _path_style(
            colour, weight=2.5 if selected else 2, dash=dash, fill=True, fill_opacity=0.25
        )
    return _path_style(colour, weight=styles.LINE_WEIGHT + (1 if selected else 0), dash=dash)


def _feature_tip(row: Mapping[str, Any], *, lang: str) -> str:
    name = row["name_en"] if lang == "en" else row["name_zh"]
    kind = row["kind"]
    status = row["status"]
    accuracy = row["geometry_accuracy"]
    kind_label = term(vocab.KINDS, kind, lang) if kind in vocab.KINDS else str(kind)
    status_label = term(vocab.STATUSES, status, lang) if status in vocab.STATUSES else str(status)
    sep = ": " if lang == "en" else "："
    lines = [
        f'<span class="cm-tip-name">{_text(name)}</span>',
        f'<span class="cm-tip-meta">{_text(kind_label)} · '
        f"{_text(t('map_status', lang))}{sep}{_text(status_label)}</span>",
    ]
    if accuracy in ("schematic", "approximate"):
        lines.append(
            f'<span class="cm-tip-accuracy">{_text(t(f"map_tip_{accuracy}", lang))}</span>'
        )
    return "<br>".join(lines)


def _feature_records(
    features: gpd.GeoDataFrame, *, lang: str, selected_id: str | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(group, GeoJSON feature) for each row, in the frame's order."""
    columns = ("name_zh", "name_en", "kind", "group", "status", "geometry_accuracy")
    for row in _rows(features, *columns):
        fid, geom = row["index"], row["geometry"]
        kind = str(row["kind"])
        group = str(row["group"]) if "group" in row else vocab.KINDS[kind].group
        accuracy = str(row["geometry_accuracy"])
        selected = selected_id is not None and str(fid) == selected_id
        style = _feature_style(kind, accuracy, geom.geom_type, selected=selected)
        hover = _hover(style, weight=style["weight"] + 2)
        props: dict[str, Any] = {
            "layer": "feature",
            "id": str(fid),
            "name_zh": str(row["name_zh"]),
            "name_en": str(row["name_en"]),
            "kind": kind,
            "group": group,
            "status": str(row["status"]),
            "geometry_accuracy": accuracy,
            "style": style,
            "hover": hover,
            "tip": _feature_tip(row, lang=lang),
        }
        if selected:
            props["selected"] = True
        yield group, {"type": "Feature", "properties": props, "geometry": geom}


def _shape(geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("Polygon", "MultiPolygon"):
        return "area"
    return "line"


_DRAWN_ONLY: Final = ("layer", "id", "kind", "group", "selected", "style")
"""Properties of the visible copy of a line (drawn, never hovered or clicked; kind
and group say which layer group switches it off)."""


def _without_events(feature: dict[str, Any]) -> dict[str, Any]:
    """A line drawn only: its id and style are all it needs (its hit copy has the rest)."""
    props = {k: v for k, v in feature["properties"].items() if k in _DRAWN_ONLY}
    return {**feature, "properties": props}


def _hit_line(feature: dict[str, Any]) -> dict[str, Any]:
    """An invisible, wide copy of a line that catches hover and click."""
    props = dict(feature["properties"])
    colour = props["style"]["color"]
    props["style"] = _path_style(colour, weight=styles.LINE_WEIGHT + 10, opacity=0.0)
    props["hover"] = _hover(props["style"], opacity=0.25)
    return {**feature, "properties": props}


def _mark_fans(points: list[dict[str, Any]]) -> None:
    """Number the points that share a location: ``properties.fan = [i, n]``.

    Several sites are known only to their city or district and sit on the
    same spot; our map script (``L.circlemap``) spreads such points on a
    small ring, a fixed number of pixels wide at every zoom, so each one can
    be seen, hovered and clicked. The stored coordinates do not change.
    """
    spots: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for feature in points:
        geom = feature["geometry"]
        if geom.geom_type != "Point":
            continue
        spots.setdefault((round(geom.x, 4), round(geom.y, 4)), []).append(feature)
    for shared in spots.values():
        if len(shared) > 1:
            for i, feature in enumerate(shared):
                feature["properties"]["fan"] = [i, len(shared)]


def _halo(geom: BaseGeometry) -> dict[str, Any]:
    if geom.geom_type in ("Point", "MultiPoint"):
        style = _path_style(
            styles.HIGHLIGHT,
            weight=3,
            opacity=0.9,
            fill=True,
            fill_opacity=0.25,
            radius=styles.POINT_RADIUS + 8,
        )
    else:
        style = _path_style(styles.HIGHLIGHT, weight=styles.LINE_WEIGHT + 8, opacity=0.55)
    props = {"layer": "highlight", "style": style}
    return {"type": "Feature", "properties": props, "geometry": geom}


def _gcj02_point(lon: float, lat: float) -> tuple[float, float]:
    x, y = crs.wgs84_to_gcj02(lon, lat)
    return float(x), float(y)


def view_from_map(view: Sequence[float], basemap: basemaps.Basemap) -> tuple[float, float, float]:
    """A (lat, lon, zoom) the browser reported, in WGS-84 (it is GCJ-02 on Amap)."""
    lat, lon, zoom = (float(v) for v in view)
    if basemap.is_gcj02:
        x, y = crs.gcj02_to_wgs84(lon, lat)
        lon, lat = float(x), float(y)
    return (round(lat, COORD_DIGITS), round(lon, COORD_DIGITS), zoom)


class _MapState(_RenderedOnce):
    """The view and hidden layer groups the page asks for (``L.circlemap.state``).

    Travels with the feature layer, so the base map stays the same; the
    browser moves the map only when the view request changes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.state({{ this._parent._parent.get_name() }}, {{ this.request|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, request: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MapState"
        self.request = request


def view_request(
    *,
    view: tuple[float, float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    hidden: Sequence[str] = (),
    basemap: basemaps.Basemap | None = None,
) -> dict[str, Any]:
    """What :class:`_MapState` sends: an explicit view or bounds to fit, hidden groups.

    Parameters
    ----------
    view : (lat, lon, zoom), optional, keyword-only
        Degrees WGS-84 and a zoom level; wins over ``bounds``.
    bounds : (min lon, min lat, max lon, max lat), optional, keyword-only
        Degrees WGS-84, fitted by the browser at the map's real size.
    hidden : sequence of str, keyword-only
        Keys of :data:`circlemap.layers.GROUPS` switched off.
    basemap : Basemap, optional, keyword-only
        With a GCJ-02 basemap the view is shifted like the layers.
    """
    request: dict[str, Any] = {"hidden": [h for h in hidden if h in layers.GROUPS]}
    gcj = basemap is not None and basemap.is_gcj02
    if view is not None:
        lat, lon, zoom = view
        if gcj:
            lon, lat = _gcj02_point(lon, lat)
        request["view"] = [round(lat, COORD_DIGITS), round(lon, COORD_DIGITS), zoom]
    elif bounds is not None:
        west, south, east, north = bounds
        if gcj:
            west, south = _gcj02_point(west, south)
            east, north = _gcj02_point(east, north)
        request["bounds"] = [
            [round(south, COORD_DIGITS), round(west, COORD_DIGITS)],
            [round(north, COORD_DIGITS), round(east, COORD_DIGITS)],
        ]
    return request


def build_feature_layer(
    catalog: Any,
    features: gpd.GeoDataFrame,
    *,
    lang: str,
    basemap: str,
    selected_id: str | None = None,
    highlight_cities: tuple[str, ...] = (),
    request: dict[str, Any] | None = None,
) -> folium.FeatureGroup:
    """What filters change: the given features, for ``feature_group_to_add``.

    Transport links are lines in their kind's colour (weight
    :data:`styles.LINE_WEIGHT`), sites are circles, green corridors lines or
    areas. Schematic geometries are dashed, approximate ones dotted
    (:func:`styles.accuracy_dash`), and their tooltips say so. Every GeoJSON
    feature carries ``id``, ``name_zh``, ``name_en``, ``kind``, ``status``
    and ``geometry_accuracy`` so a click resolves (:func:`parse_click`).

    Parameters
    ----------
    catalog : circlemap.catalog.Catalog
        Uses ``cities`` and ``context`` to outline ``highlight_cities``.
    features : GeoDataFrame
        Already filtered ``Catalog.features`` (EPSG:4326, index ``id``).
    lang : {"zh", "en"}, keyword-only
    basemap : str, keyword-only
        With ``amap`` the geometries are shifted to GCJ-02.
    selected_id : str, optional, keyword-only
        Feature drawn with a :data:`styles.HIGHLIGHT` halo.
    highlight_cities : tuple of str, keyword-only
        Zh names of cities (circle or other Shandong cities) outlined in
        :data:`styles.HIGHLIGHT`.
    request : dict, optional, keyword-only
        :func:`view_request`: the view and hidden layer groups to apply.
    """
    base = basemaps.get_basemap(basemap)
    group = folium.FeatureGroup(name=t("map_features", lang), control=False)

    if highlight_cities:
        towns = pd.concat([catalog.cities, catalog.context], ignore_index=True)
        chosen = _shifted(towns[towns["name_zh"].isin(highlight_cities)], base)
        style = _path_style(styles.HIGHLIGHT, weight=3.5, opacity=0.9)
        outline = _city_collection(
            chosen, layer="city-highlight", lang=lang, style=style, hover=None
        )
        if outline["features"]:
            _geojson_layer(outline, name="city-highlight", interactive=False).add_to(group)

    shifted = _shifted(features, base)
    order = {g: i for i, g in enumerate(FEATURE_GROUP_ORDER)}
    records = sorted(
        _feature_records(shifted, lang=lang, selected_id=selected_id),
        # Group order bottom-up, the selected feature last so it sits on top.
        key=lambda r: (order.get(r[0], len(order)), r[1]["properties"].get("selected", False)),
    )
    by_type: dict[str, list[dict[str, Any]]] = {"area": [], "line": [], "point": []}
    for _, feature in records:
        by_type[_shape(feature["geometry"].geom_type)].append(feature)
    _mark_fans(by_type["point"])

    if selected_id is not None and selected_id in shifted.index:
        geom = shifted.loc[selected_id].geometry
        if geom is not None and not geom.is_empty:
            ring = _halo(geom)
            fan = [
                f["properties"].get("fan")
                for f in by_type["point"]
                if f["properties"].get("selected")
            ]
            if fan and fan[0]:
                ring["properties"]["fan"] = fan[0]
            _geojson_layer(
                _collection([ring]),
                name="selected-halo",
                interactive=False,
                point_radius=styles.POINT_RADIUS,
            ).add_to(group)

    if by_type["area"]:
        _geojson_layer(_collection(by_type["area"]), name="areas").add_to(group)
    if by_type["line"]:
        # Dashed and dotted lines are hard to hit (the gaps do not catch the
        # mouse): draw them without events and put a wide, invisible copy on
        # top that carries the tooltip, the click and a soft hover glow.
        visible = [_without_events(f) for f in by_type["line"]]
        _geojson_layer(_collection(visible), name="lines", interactive=False).add_to(group)
        hits = [_hit_line(f) for f in by_type["line"]]
        _geojson_layer(_collection(hits), name="line-targets").add_to(group)
    if by_type["point"]:
        _geojson_layer(
            _collection(by_type["point"]), name="points", point_radius=styles.POINT_RADIUS
        ).add_to(group)

    if request is not None:
        _MapState(request).add_to(group)
    assets.localize_assets(group)
    _assign_ids(group, prefix=f"features:{lang}:{basemap}")
    return group


# --- cards in the offline HTML -------------------------------------------------------------


def card_html(card: Any, *, lang: str) -> str:
    """A feature card (:class:`circlemap.panels.FeatureCard`) as popup HTML, every text
    escaped: name, kind, status, accuracy, cities, the verbatim quote and its source."""
    rows = [
        (t("card_kind", lang), card.kind),
        (t("card_status", lang), card.status),
        (t("card_accuracy", lang), card.accuracy),
        (t("card_cities", lang), card.cities),
    ]
    parts = [f'<div class="cm-card"><h3>{_text(card.name)}</h3><dl>']
    parts += [f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in rows]
    parts.append("</dl>")
    if card.accuracy_note:
        parts.append(f'<p class="cm-card-note">{_text(card.accuracy_note)}</p>')
    parts.append(f"<blockquote>{_text(card.quote)}</blockquote>")
    parts.append(
        f'<p class="cm-card-source">{_text(t("card_source", lang))} {_text(card.source)}</p>'
    )
    parts.append("</div>")
    return "".join(parts)


class CardPopups(_RenderedOnce):
    """Opens a feature's card in a popup when it is clicked (or Enter is pressed on it).

    For the offline HTML export, which has no Streamlit page to show the card
    beside the map. ``cards`` maps feature ids to :func:`card_html`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.cards({{ this._parent.get_name() }}, {{ this.cards|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, cards: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "CardPopups"
        self.cards = dict(cards)


# --- deterministic ids ---------------------------------------------------------------------


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def _assign_ids(root: Element, *, prefix: str) -> None:
    """Give every element of the tree (and its figure) a deterministic id.

    folium draws a random uuid per element into the JavaScript variable
    names; fixed ids make the same inputs render the same HTML, which is what
    lets streamlit-folium keep its iframe (and the reader's view) across
    reruns. The ids look like folium's (32 hex digits) so streamlit-folium's
    renaming treats them the same way.
    """
    top: Element = root
    if isinstance(root, folium.Map) and isinstance(root._parent, Figure):
        top = root._parent
    for n, element in enumerate(_walk(top)):
        element._id = hashlib.sha256(f"{prefix}:{n}".encode()).hexdigest()[:32]


# --- standalone HTML -----------------------------------------------------------------------

_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>', re.IGNORECASE)
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>', re.IGNORECASE)
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>images/[^'\")]+)(?P=q)\)")


def _static_file(url: str) -> str:
    prefix = settings.STATIC_URL + "/"
    if not url.startswith(prefix):
        msg = f"cannot inline {url!r}: only assets under {prefix} are served by the app"
        raise assets.AssetError(msg)
    return url[len(prefix) :]


def _inline_css(rel: str) -> str:
    path = assets.static_path(rel)
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = path.parent / match.group("path")
        if not image.is_file():
            return match.group(0)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        mime = "image/svg+xml" if image.suffix == ".svg" else "image/png"
        return f'url("data:{mime};base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)


def render_standalone_html(m: folium.Map, *, title: str | None = None, lang: str = "zh") -> str:
    """The map as one self-contained HTML file that opens offline.

    Leaflet's and our own JS/CSS are inlined (``<script>``/``<style>``), the
    images Leaflet's CSS refers to become data URIs; only tile URL templates
    (when a tiled basemap is chosen) still point online.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_base_map`, usually with a feature layer added
        (``build_feature_layer(...).add_to(m)``).
    title : str, optional, keyword-only
        ``<title>`` of the page (escaped).
    lang : {"zh", "en"}, keyword-only
        Language of the page (``<html lang>``), so the browser picks CJK fonts.

    Raises
    ------
    circlemap.assets.AssetError
        If an element links an asset the app does not serve itself.
    """
    assets.ensure_vendor_assets()
    assets.localize_assets(m)
    root = m.get_root()
    page = root.render()

    def script(match: re.Match[str]) -> str:
        js = assets.static_path(_static_file(match.group("url"))).read_text(encoding="utf-8")
        return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"

    def style(match: re.Match[str]) -> str:
        css = _inline_css(_static_file(match.group("url")))
        return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _CSS_LINK.sub(style, page)
    if title:
        page = page.replace("<head>", f"<head>\n<title>{_text(title)}</title>", 1)
    html_lang = "en" if lang == "en" else "zh-CN"
    return page.replace("<html>", f'<html lang="{html_lang}">', 1)
