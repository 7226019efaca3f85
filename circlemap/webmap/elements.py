"""The folium elements the maps are made of, and their deterministic ids.

Script-only elements render their JavaScript once (:class:`RenderedOnce`);
:class:`VectorLayer` draws a :class:`~circlemap.webmap.packing.PackedLayer`,
:class:`LabelLayer` the names, :class:`Furniture` background, scale bar,
full-screen button and legend. :func:`assign_ids` makes identical inputs
render identical HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from folium.utilities import JsCode

from circlemap import assets, layers, settings, styles
from circlemap.i18n import t
from circlemap.webmap.geojson import html_text
from circlemap.webmap.packing import (
    COORD_DIGITS,
    PackedLayer,
    html_safe_json,
    pack_layer,
    unpack_collection,
)

if TYPE_CHECKING:
    from circlemap.webmap.feature_table import FeatureTable

STATIC_JS: Final[dict[str, str]] = {
    "leaflet_polylineoffset": "vendor/leaflet-polylineoffset/leaflet.polylineoffset.js",
    "circlemap_js": "circlemap/circlemap.js",
}
"""Scripts every map loads after Leaflet, paths under :data:`settings.STATIC_DIR`:
Leaflet.PolylineOffset (npm, MIT; the ``offset`` option of lines drawn side by
side, :data:`circlemap.assets.NPM_PACKAGES`) and our own map furniture."""


STATIC_CSS: Final[dict[str, str]] = {"circlemap_css": "circlemap/circlemap.css"}

PLUGIN_JS: Final[tuple[str, ...]] = ("polylinemeasure", "minimap")
"""Vendored Leaflet plugins the map loads (names of :data:`circlemap.assets.LOCAL_JS`)."""
PLUGIN_CSS: Final[tuple[str, ...]] = ("polylinemeasure_css", "minimap_css")


_ON_EACH_FEATURE: Final = JsCode(
    """
    function (feature, layer) {
        var props = feature.properties || {};
        var tip = L.circlemap.tip(props);
        if (tip) {
            layer.bindTooltip(tip, {sticky: true, className: "cm-tip", direction: "top"});
        }
        if (props.hover && typeof layer.setStyle === "function") {
            layer.on("mouseover", function (e) { e.target.setStyle(props.hover); });
            layer.on("mouseout", function (e) { e.target.setStyle(props.style); });
        }
    }
    """
)
"""Binds each feature's pre-escaped tooltip and hover style (both built in Python)."""


class _VerbatimScript(Element):
    """Rendered JavaScript kept as it is (branca would compile it as a template again)."""

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self.script


class RenderedOnce(MacroElement):
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


class VectorLayer(RenderedOnce, Layer):
    """GeoJSON features drawn by ``L.geoJson``, coordinates packed as polylines.

    Each feature is styled by its own ``properties.style``; tooltips and
    hover styles are bound by ``on_each_feature``; points become circle
    markers (no icon images). The collection's geometries (shapely, degrees)
    are packed in one pass (:func:`circlemap.polyline.pack_geometries`,
    :data:`COORD_DIGITS` decimals: lossless for stored coordinates), the
    collection is serialised once, compactly and HTML-safe, and
    ``L.circlemap.unpack`` (``static/circlemap/circlemap.js``) restores the
    coordinates in the browser.

    With ``source=(url, index)`` the collection is not inlined: the layer
    is added empty and filled from ``layers[index]`` of the published file
    at ``url`` (``L.circlemap.fetched``; :mod:`circlemap.webmap.published`).

    With ``rows=table`` (a :class:`~circlemap.webmap.feature_table.FeatureTable`
    published at ``table.url``) the layer's ``packed`` are the rows of
    :func:`~circlemap.webmap.feature_table.pack_rows`: the layer is added
    empty and filled from the records of the table's file, which the browser
    fetches once and keeps (``L.circlemap.fromTable``); at once when it has it.

    With ``hits=True`` every feature also carries a ``hit`` style: the
    layer is drawn without events, and a second, interactive layer of the
    same geometries in their hit style (an invisible, wider line) takes the
    tooltips, hover and clicks; the browser makes it (``L.circlemap.hits``,
    :func:`split_hits`), so no geometry travels twice.

    Attributes
    ----------
    data : dict
        The GeoJSON FeatureCollection as the browser gets it after unpacking
        (with ``hits``: the drawn features, then their hit copies).
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
        {%- if this.hits %}
        var {{ this.get_name() }}_hits = L.geoJson(null, {
            style: function (feature) { return feature.properties.style; },
            onEachFeature: {{ this.hit_each_feature }},
            ...{{ this.hit_options|tojson }}
        });
        {%- endif %}
        {%- if this.source %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        L.circlemap.fetched(
            {{ this._parent.get_name() }}, {{ this.source[0]|tojson }}, function (doc) {
                var packed = doc.layers[{{ this.source[1] }}];
                return {{ this.get_name() }}.addData(
                    L.circlemap.unpack(packed, {{ this.precision }})
                );
            }
        );
        {%- elif this.rows %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- if this.hits %}
        {{ this.get_name() }}_hits.addTo({{ this._parent.get_name() }});
        {%- endif %}
        L.circlemap.fromTable(
            {{ this._parent.get_name() }}, {{ this.rows.url|tojson }}, {{ this.packed }},
            {{ this.precision }}, function (collection) {
                {%- if this.hits %}
                var split = L.circlemap.hits(collection);
                {{ this.get_name() }}.addData(split[0]);
                {{ this.get_name() }}_hits.addData(split[1]);
                {%- else %}
                {{ this.get_name() }}.addData(collection);
                {%- endif %}
            }
        );
        {%- elif this.hits %}
        var {{ this.get_name() }}_split = L.circlemap.hits(
            L.circlemap.unpack({{ this.packed }}, {{ this.precision }})
        );
        {{ this.get_name() }}.addData({{ this.get_name() }}_split[0]);
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {{ this.get_name() }}_hits.addData({{ this.get_name() }}_split[1]);
        {{ this.get_name() }}_hits.addTo({{ this._parent.get_name() }});
        {%- else %}
        {{ this.get_name() }}.addData(L.circlemap.unpack({{ this.packed }}, {{ this.precision }}));
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )

    hit_each_feature: Final = _ON_EACH_FEATURE
    hit_options: Final = {"interactive": True, "bubblingMouseEvents": False}
    """How the hit copies of a layer with ``hits`` bind tooltips, hover and clicks."""

    def __init__(
        self,
        layer: PackedLayer,
        *,
        source: tuple[str, int] | None = None,
        hits: bool = False,
        rows: FeatureTable | None = None,
    ) -> None:
        super().__init__(name=layer.name, overlay=True, control=False)
        if hits and (source is not None or layer.interactive):
            msg = f"layer {layer.name!r}: hit copies need a layer of its own drawn without events"
            raise ValueError(msg)
        if rows is not None and (rows.url is None or source is not None):
            msg = f"layer {layer.name!r}: rows need a published feature table and no source"
            raise ValueError(msg)
        self.source = source
        self.hits = hits
        self.rows = rows
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
        document = self.rows.document if self.rows is not None else None
        collection = unpack_collection(self.packed, self.precision, document=document)
        if not self.hits:
            return collection
        drawn, hit = split_hits(collection)
        return {**collection, "features": drawn["features"] + hit["features"]}

    def _get_self_bounds(self) -> list[list[float | None]]:
        """[[south, west], [north, east]] in degrees (folium's convention)."""
        if self.bounds is None:
            return [[None, None], [None, None]]
        west, south, east, north = self.bounds
        return [[south, west], [north, east]]


class TablePrefetch(RenderedOnce):
    """Has the browser fetch a published feature table now (``L.circlemap.prefetch``),
    while the features of this drawing are inline: the changes to come are rows
    into it (:func:`~circlemap.webmap.feature_table.pack_rows`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.prefetch({{ this.url|tojson }}, {{ this.precision }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "TablePrefetch"
        self.url = url
        self.precision = COORD_DIGITS


HIT_DRAWN_ONLY: Final = ("layer", "id", "kind", "group", "selected", "style")
"""Properties the drawn copy of a layer with hit copies keeps (it is never hovered
or clicked; kind and group say which layer group switches it off)."""


def split_hits(collection: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(drawn, hit) collections of a layer whose features carry a ``hit`` style.

    What ``L.circlemap.hits`` does in the browser: the drawn copy keeps only
    :data:`HIT_DRAWN_ONLY`; the hit copy has every other property too, its
    ``style`` being the ``hit`` style. Both share each geometry.
    """
    drawn, hits = [], []
    for feature in collection["features"]:
        props = feature["properties"]
        kept = {k: props[k] for k in HIT_DRAWN_ONLY if k in props}
        rest = {k: v for k, v in props.items() if k != "hit"}
        drawn.append({**feature, "properties": kept})
        hits.append({**feature, "properties": {**rest, "style": props["hit"]}})
    return {**collection, "features": drawn}, {**collection, "features": hits}


def geojson_layer(
    collection: dict[str, Any],
    *,
    name: str,
    interactive: bool = True,
    point_radius: float | None = None,
    hits: bool = False,
) -> VectorLayer:
    """A layer of ``collection`` (features with shapely geometries); ``hits``: see
    :class:`VectorLayer` (the layer itself is then drawn without events)."""
    return VectorLayer(
        pack_layer(
            collection,
            name=name,
            interactive=interactive and not hits,
            point_radius=point_radius,
        ),
        hits=hits,
    )


class LabelLayer(RenderedOnce):
    """Names drawn as non-interactive DivIcon labels (text escaped in Python).

    Parameters
    ----------
    labels : list of (lat, lon, text, css class)
        Latitude/longitude in degrees of the map's frame.
    source : str, optional, keyword-only
        URL of the published file whose ``labels`` to draw instead
        (:mod:`circlemap.webmap.published`); ``labels`` are then not inlined.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- if this.source %}
        L.circlemap.fetched(
            {{ this._parent.get_name() }}, {{ this.source|tojson }}, function (doc) {
                return L.circlemap.labels({{ this.get_name() }}, doc.labels);
            }
        );
        {%- else %}
        L.circlemap.labels({{ this.get_name() }}, {{ this.labels|tojson }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self, labels: list[tuple[float, float, str, str]], *, source: str | None = None
    ) -> None:
        super().__init__()
        self._name = "LabelLayer"
        self.source = source
        self.labels = label_items(labels)


def label_items(labels: Sequence[tuple[float, float, str, str]]) -> list[list[float | str]]:
    """``[lat, lon, HTML-escaped text, css class]`` items as ``L.circlemap.labels`` draws
    them (inline here, or from the published file, :mod:`circlemap.webmap.published`)."""
    return [[lat, lon, html_text(txt), cls] for lat, lon, txt, cls in labels]


class Furniture(JSCSSMixin, RenderedOnce):
    """Background colour, scale bar, full-screen button, legend and the map tools.

    The tools: layer control (:mod:`circlemap.layers`), reset view, distance
    measuring (Leaflet.PolylineMeasure), minimap (Leaflet-MiniMap), coordinate
    readout, a notice when online tiles fail.

    Loads our own ``static/circlemap/circlemap.js``/``.css`` (served by the
    app; inlined by :func:`render_standalone_html`). With ``legend_source``
    (the URL of the base map's published file) the legend's HTML is not
    inlined: the legend takes its place at once and is filled from the file.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.furnish({{ this._parent.get_name() }}, {{ this.options_json() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        *,
        legend_html: str,
        lang: str,
        layer_items: Sequence[dict[str, str]] = (),
        legend_source: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "Furniture"
        # Instance attributes, read at call time (settings may be overridden).
        # Only our own script before the map: circlemap.js loads the plugins
        # (measuring, minimap) once the map is drawn, off the first load's
        # critical path; a page that has them already (the offline HTML,
        # see Plugins) uses them at once.
        self.default_js = [(name, assets.static_url(rel)) for name, rel in STATIC_JS.items()]
        self.default_css = [
            (name, assets.static_url(assets.LOCAL_CSS[name])) for name in PLUGIN_CSS
        ] + [(name, assets.static_url(rel)) for name, rel in STATIC_CSS.items()]
        min_lon, min_lat, max_lon, max_lat = settings.CIRCLE_BOUNDS
        self.options = {
            "lang": lang,
            "plugins": [assets.static_url(assets.LOCAL_JS[name]) for name in PLUGIN_JS],
            "background": styles.WATER_BACKGROUND,
            # With a published file the legend comes in it (its "legend").
            "legendHtml": "" if legend_source else legend_html,
            "legendFrom": legend_source,
            "fullscreenTitle": t("map_fullscreen", lang),
            "fullscreenExitTitle": t("map_fullscreen_exit", lang),
            "clusterTitle": t("map_cluster", lang),
            "attribution": html_text(t("map_data_attribution", lang)),
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
            "baseError": t("map_base_error", lang),
            "featureError": t("map_feature_error", lang),
            "tileOffline": t("map_tile_offline", lang),
            "measure": {
                key: t(f"map_measure_{key}", lang)
                for key in ("on", "off", "clear", "finish", "remove", "move", "resume", "add")
            }
            | {"km": t("map_unit_km", lang), "m": t("map_unit_m", lang)},
        }

    def options_json(self) -> str:
        """``options`` as script-safe JSON that keeps Chinese text as UTF-8.

        Jinja's ``tojson`` writes every CJK character as a 6-byte ``\\uXXXX``
        escape; this map script is re-sent with every rerun.
        """
        return html_safe_json(self.options)


class Plugins(JSCSSMixin, MacroElement):
    """The plugins' scripts as ordinary assets of the page (inlined offline).

    For the standalone HTML, which has no server to fetch them from later.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "Plugins"
        self.default_js = [(n, assets.static_url(assets.LOCAL_JS[n])) for n in PLUGIN_JS]


def walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from walk(child)


def assign_ids(root: Element, *, prefix: str) -> None:
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
    for n, element in enumerate(walk(top)):
        element._id = hashlib.sha256(f"{prefix}:{n}".encode()).hexdigest()[:32]
