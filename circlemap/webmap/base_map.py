"""The part of the web map that filters never change: tiles, cities, counties, river.

For the same ``(catalog, lang, basemap)`` :func:`build_base_map` renders
byte-identical HTML (deterministic ids), so streamlit-folium keeps the same
iframe across reruns; :func:`base_layers` is the cacheable, serialised part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd

from circlemap import assets, basemaps, layers, settings, styles, vocab
from circlemap.catalog import empty_frame
from circlemap.i18n import city_name, t, term
from circlemap.webmap.elements import Furniture, LabelLayer, VectorLayer, assign_ids
from circlemap.webmap.geojson import (
    city_collection,
    drawable_rows,
    feature_collection,
    hover_style,
    html_text,
    in_basemap_frame,
    label_points,
    path_style,
)
from circlemap.webmap.legend import legend_html
from circlemap.webmap.packing import COORD_DIGITS, PackedLayer, pack_layer
from circlemap.webmap.viewport import MIN_ZOOM, ZOOM_STEP

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


MAX_ZOOM_NO_TILES: Final = 13
"""Without tiles there is nothing to see closer than a town."""


BASE_LAYER_NAMES: Final[tuple[str, ...]] = ("context", "city", "county", "city-outline", "river")
"""``properties.layer`` of the layers :func:`base_layers` draws (keys of the layer control)."""

VIEW_BOUNDS: Final[tuple[float, float, float, float]] = (108.0, 30.0, 130.0, 42.0)
"""(min lon, min lat, max lon, max lat): how far the reader can pan (degrees)."""


def _labels(frame: gpd.GeoDataFrame, *, lang: str, css: str) -> list[tuple[float, float, str, str]]:
    rows = list(drawable_rows(frame, "name_zh", "name_en"))
    points = label_points([row["geometry"] for row in rows]) if rows else []
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
                attr=html_text(base.attribution(lang)),
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
    url : str or None
        Where the app serves ``layers`` and ``labels`` as one static file
        (:func:`circlemap.webmap.published.publish_base_layers`); the map then
        fetches them instead of carrying them inline. ``None``: inline.
    """

    lang: str
    basemap: str
    layers: tuple[PackedLayer, ...]
    labels: tuple[tuple[float, float, str, str], ...]
    legend: str
    layer_items: tuple[dict[str, str], ...] = ()
    url: str | None = None


def _boundary_layer(
    frame: gpd.GeoDataFrame,
    layer: str,
    name: str,
    lang: str,
    style: dict[str, Any],
    *,
    hover: dict[str, Any] | None = None,
) -> PackedLayer:
    """Boundaries as one packed layer, clickable (tooltip, hover) only with a ``hover`` style."""
    collection = city_collection(frame, layer=layer, lang=lang, style=style, hover=hover)
    return pack_layer(collection, name=name, interactive=hover is not None)


def base_layers(catalog: Catalog, *, lang: str, basemap: str) -> BaseLayers:
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
    context = in_basemap_frame(catalog.context, base)
    cities = in_basemap_frame(catalog.cities, base)
    counties = in_basemap_frame(catalog.counties, base)
    river = in_basemap_frame(catalog.river, base)

    # Fills are faint over tiles, opaque on the tile-free map.
    context_style = path_style(
        styles.CONTEXT_EDGE, weight=1, fill=True, fill_colour=styles.CONTEXT_FILL,
        fill_opacity=0.25 if with_tiles else 1.0,
    )  # fmt: skip
    city_style = path_style(
        styles.CITY_EDGE, weight=2, fill=True, fill_colour=styles.CITY_FILL,
        fill_opacity=0.3 if with_tiles else 1.0,
    )  # fmt: skip
    city_hover = hover_style(
        city_style, weight=3.5, fillOpacity=0.45 if with_tiles else 1.0, fillColor="#efe2cc"
    )
    packed = (
        _boundary_layer(
            context, "context", term(vocab.LAYERS, "context", lang), lang, context_style
        ),
        _boundary_layer(
            cities, "city", term(vocab.LAYERS, "cities", lang), lang, city_style, hover=city_hover
        ),
        _boundary_layer(
            counties,
            "county",
            term(vocab.LAYERS, "counties", lang),
            lang,
            path_style(styles.COUNTY_EDGE, weight=0.8, opacity=0.9),
        ),
        # City borders again above the county lines, so the circle's outline reads.
        _boundary_layer(
            cities, "city-outline", "city-outline", lang, path_style(styles.CITY_EDGE, weight=2)
        ),
        pack_layer(_river_collection(river, lang=lang), name=term(vocab.LAYERS, "river", lang)),
    )
    below, above = _surroundings(catalog, base, lang=lang)
    labels = (
        _place_labels(catalog, base, lang=lang)
        + _labels(context, lang=lang, css="cm-label-context")
        + _labels(counties, lang=lang, css="cm-label-county")
        + _labels(cities, lang=lang, css="cm-label-city")
    )
    return BaseLayers(
        lang=lang,
        basemap=basemap,
        # the surroundings under the cities; water and borders above the county lines
        layers=(*below, *packed[:4], *above, packed[4]),
        labels=tuple(labels),
        legend=legend_html(catalog, lang=lang, basemap=basemap),
        layer_items=tuple(
            layers.control_items(
                _kinds_of(catalog), (*BASE_LAYER_NAMES, *_surrounding_names(catalog)), lang=lang
            )
        ),
    )


def _empty_map(base: basemaps.Basemap, *, height: str | int) -> folium.Map:
    """A map with no layers: the default view, pan limits, zoom range and half-step zoom."""
    max_zoom = max((s.max_zoom for s in base.tiles), default=MAX_ZOOM_NO_TILES)
    min_lon, min_lat, max_lon, max_lat = VIEW_BOUNDS
    return folium.Map(
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


SURROUNDING_LAYER_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "provinces": ("province", "border"),
    "lakes": ("lake",),
    "rivers": ("rivers",),
}
"""Catalog layer -> ``properties.layer`` names it draws (keys of the layer control)."""


def _surrounding_names(catalog: Catalog) -> list[str]:
    """Layer names of the surroundings the catalog holds (a stand-in may hold none)."""
    return [
        name
        for attr, names in SURROUNDING_LAYER_NAMES.items()
        if len(getattr(catalog, attr, ())) > 0
        for name in names
    ]


def _kinds_of(catalog: Catalog) -> list[str]:
    features = getattr(catalog, "features", None)
    if features is None or len(features) == 0 or "kind" not in features:
        return []
    return sorted(set(features["kind"]))


def build_base_map(
    catalog: Catalog,
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
        cached across reruns; made here when omitted. With ``layers.url``
        (published) the vector layers and labels are fetched from that file
        in the browser, below whatever the page draws meanwhile.

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
    m = _empty_map(base, height=height)
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
    # With a published file, the layers fetch their data from it (index into
    # its "layers"); inline otherwise (the offline HTML, a read-only install).
    for index, packed in enumerate(layers.layers):
        VectorLayer(packed, source=(layers.url, index) if layers.url else None).add_to(m)
    LabelLayer(list(layers.labels), source=layers.url).add_to(m)
    Furniture(
        legend_html=layers.legend,
        lang=lang,
        layer_items=layers.layer_items,
        legend_source=layers.url,
    ).add_to(m)

    assets.localize_assets(m)
    assign_ids(m, prefix=f"base:{lang}:{basemap}")
    return m


def _plain_collection(
    frame: gpd.GeoDataFrame, *, layer: str, style: dict[str, Any]
) -> dict[str, Any]:
    """Features drawn only (no tooltip, no click): id and style are all they carry."""
    feats = [
        {
            "type": "Feature",
            "properties": {"layer": layer, "id": row["id"], "style": style},
            "geometry": row["geometry"],
        }
        for row in drawable_rows(frame, "id")
    ]
    return feature_collection(feats)


def _surroundings(
    catalog: Catalog, base: basemaps.Basemap, *, lang: str
) -> tuple[list[PackedLayer], list[PackedLayer]]:
    """Layers of the surroundings: (below the cities, above the counties).

    Below: the neighbouring provinces as land (so only the sea keeps the water
    colour of the background). Above: the other rivers, lakes and the provincial
    border. Over tiles the provinces are not filled (the tiles show the land).
    """
    with_tiles = bool(base.tiles)
    provinces = in_basemap_frame(_layer(catalog, "provinces"), base)
    below: list[PackedLayer] = []
    above: list[PackedLayer] = []
    if "kind" in provinces and not with_tiles:
        land = provinces[provinces["kind"] == "province"]
        style = path_style(
            styles.NEIGHBOUR_FILL,
            weight=0,
            fill=True,
            fill_colour=styles.NEIGHBOUR_FILL,
            fill_opacity=1.0,
        )
        below.append(
            pack_layer(
                _plain_collection(land, layer="province", style=style),
                name=term(vocab.LAYERS, "provinces", lang),
                interactive=False,
            )
        )
    rivers = in_basemap_frame(_layer(catalog, "rivers"), base)
    if len(rivers):
        style = path_style(styles.OTHER_RIVER_COLOUR, weight=1.2, opacity=0.9)
        above.append(
            pack_layer(
                _plain_collection(rivers, layer="rivers", style=style),
                name=term(vocab.LAYERS, "rivers", lang),
                interactive=False,
            )
        )
    lakes = in_basemap_frame(_layer(catalog, "lakes"), base)
    if len(lakes):
        style = path_style(
            styles.LAKE_EDGE,
            weight=0.8,
            fill=True,
            fill_colour=styles.LAKE_FILL,
            fill_opacity=1.0,
        )
        above.append(
            pack_layer(
                _plain_collection(lakes, layer="lake", style=style),
                name=term(vocab.LAYERS, "lakes", lang),
                interactive=False,
            )
        )
    if "kind" in provinces:
        border = provinces[provinces["kind"] == "border"]
        style = path_style(styles.PROVINCE_BORDER, weight=1.6, dash=styles.PROVINCE_BORDER_DASH)
        above.append(
            pack_layer(
                _plain_collection(border, layer="border", style=style),
                name=term(vocab.LAYERS, "borders", lang),
                interactive=False,
            )
        )
    return below, above


def _place_labels(
    catalog: Catalog, base: basemaps.Basemap, *, lang: str
) -> list[tuple[float, float, str, str]]:
    """Names of the neighbouring provinces and cities and of the lakes (label points).

    Shandong's own cities and counties are named by the layers that draw them.
    """
    out: list[tuple[float, float, str, str]] = []
    places = in_basemap_frame(_layer(catalog, "places"), base)
    if "rank" in places:
        outside = places[(places["rank"] != "county") & ~places["name_zh"].isin(_shandong_names())]
        for row in drawable_rows(outside, "name_zh", "name_en", "rank"):
            css = "cm-label-province" if row["rank"] == "province" else "cm-label-neighbour"
            name = row["name_en"] if lang == "en" else row["name_zh"]
            point = row["geometry"]
            out.append((round(point.y, COORD_DIGITS), round(point.x, COORD_DIGITS), str(name), css))
    lakes = in_basemap_frame(_layer(catalog, "lakes"), base)
    if len(lakes):
        out.extend(_labels(lakes, lang=lang, css="cm-label-lake"))
    return out


def _layer(catalog: Catalog, name: str) -> gpd.GeoDataFrame:
    """A layer of the surroundings, empty when the catalog has none (a stand-in catalog)."""
    frame = getattr(catalog, name, None)
    return frame if frame is not None else empty_frame()


def _shandong_names() -> set[str]:
    return set(vocab.CITY_BY_ZH)


def _river_collection(river: gpd.GeoDataFrame, *, lang: str) -> dict[str, Any]:
    style = path_style(styles.RIVER_COLOUR, weight=3.5, opacity=0.95)
    hover = hover_style(style, weight=5)
    feats = []
    for row in drawable_rows(river, "id", "name_zh", "name_en", "kind", "cities"):
        name = row["name_en"] if lang == "en" else row["name_zh"]
        crossed = "、" if lang != "en" else ", "
        cities = crossed.join(city_name(c, lang) for c in row["cities"] if c in vocab.CITY_BY_ZH)
        tip = f'<span class="cm-tip-name">{html_text(name)}</span>'
        if cities:
            flows = t("map_river_cities", lang) + cities
            tip += f'<br><span class="cm-tip-meta">{html_text(flows)}</span>'
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
    return feature_collection(feats)
