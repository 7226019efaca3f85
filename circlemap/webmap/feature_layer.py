"""What filters change on the web map: the features, as one ``folium.FeatureGroup``.

Passed to ``st_folium(feature_group_to_add=...)``; every GeoJSON feature
carries what :func:`circlemap.webmap.clicks.parse_click` needs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from circlemap import assets, basemaps, cartography, styles, vocab
from circlemap.i18n import t, term
from circlemap.webmap.elements import assign_ids, geojson_layer
from circlemap.webmap.geojson import (
    city_collection,
    drawable_rows,
    feature_collection,
    hover_style,
    html_text,
    in_basemap_frame,
    path_style,
)
from circlemap.webmap.mapstate import MapState

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


FEATURE_GROUP_ORDER: Final[tuple[str, ...]] = ("ecology", "transport", "site")
"""Draw order of the content groups, bottom first (points stay clickable on top)."""


def _feature_style(kind: str, accuracy: str, geom_type: str, *, selected: bool) -> dict[str, Any]:
    """The feature's Leaflet style (a fresh dict: callers add an ``offset``)."""
    return dict(_style_of(kind, accuracy, geom_type, selected))


@functools.lru_cache(maxsize=512)
def _style_of(kind: str, accuracy: str, geom_type: str, selected: bool) -> dict[str, Any]:
    colour = styles.kind_colour(kind)
    dash = styles.accuracy_dash(accuracy)
    if geom_type in ("Point", "MultiPoint"):
        return path_style(
            colour,
            weight=2.5 if selected else 2,
            dash=dash,
            fill=True,
            fill_opacity=0.85 if accuracy == "exact" else 0.55,
            radius=styles.POINT_RADIUS + (2 if selected else 0),
        )
    if geom_type in ("Polygon", "MultiPolygon"):
        return path_style(
            colour, weight=2.5 if selected else 2, dash=dash, fill=True, fill_opacity=0.25
        )
    return path_style(colour, weight=styles.LINE_WEIGHT + (1 if selected else 0), dash=dash)


@functools.lru_cache(maxsize=64)
def _hover_of(weight: float) -> dict[str, Any]:
    """A feature's hover: two pixels wider (shared: the packing only reads it)."""
    return hover_style({"weight": weight}, weight=weight + 2)


def _tip_meta(
    kind: str, status: str, standing: str | None, source: str, accuracy: str, *, lang: str
) -> dict[str, str]:
    """The tooltip of a feature but its name: ``{"name": "name_zh" | "name_en",
    "html": ...}`` (kind, status as the source states it, accuracy note).

    Features share a few of these; each layer sends them once (the packing's
    table) and the browser puts the escaped name before them
    (:func:`circlemap.webmap.packing.tip_html`, ``L.circlemap.tip``).
    """
    kind_label = term(vocab.KINDS, kind, lang) if kind in vocab.KINDS else str(kind)
    status_label = vocab.status_text(status, standing, source, lang)
    sep = ": " if lang == "en" else "："
    lines = [
        f'<span class="cm-tip-meta">{html_text(kind_label)} · '
        f"{html_text(t('map_status', lang))}{sep}{html_text(status_label)}</span>",
    ]
    if accuracy in ("schematic", "approximate"):
        lines.append(
            f'<span class="cm-tip-accuracy">{html_text(t(f"map_tip_{accuracy}", lang))}</span>'
        )
    return {"name": "name_en" if lang == "en" else "name_zh", "html": "<br>".join(lines)}


LANE_SPACING_PX: Final = styles.LINE_WEIGHT + 1
"""Distance between the centres of two lines drawn side by side (CSS pixels)."""


def line_offsets(catalog: Catalog, features: gpd.GeoDataFrame) -> dict[str, float]:
    """Pixel offset of each shown line that shares its alignment with another line or
    runs along the Yellow River (:func:`circlemap.cartography.shared_alignments`)."""
    lines = features.geometry[features.geom_type.isin(["LineString", "MultiLineString"])]
    if lines.empty:
        return {}
    frame = getattr(catalog, "river", None)
    river = frame.set_index("id").geometry if frame is not None and "id" in frame else None
    every = catalog.features.geometry
    universe = every[every.geom_type.isin(["LineString", "MultiLineString"])]
    lanes = cartography.cached_alignments(lines, fixed=river, universe=universe)
    return {fid: lane * LANE_SPACING_PX for fid, lane in lanes.items()}


def _feature_records(
    features: gpd.GeoDataFrame,
    *,
    lang: str,
    selected_id: str | None,
    offsets: Mapping[str, float] | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(group, GeoJSON feature) for each row, in the frame's order.

    A line in ``offsets`` (id -> pixels) is drawn that far to its left (right if
    negative) with Leaflet.PolylineOffset's ``offset`` style option.
    """
    columns = (
        "name_zh", "name_en", "kind", "group", "status", "standing", "source", "geometry_accuracy"
    )  # fmt: skip
    metas: dict[tuple[Any, ...], dict[str, str]] = {}
    for row in drawable_rows(features, *columns):
        fid, geom = row["index"], row["geometry"]
        kind = str(row["kind"])
        group = str(row["group"]) if "group" in row else vocab.KINDS[kind].group
        accuracy = str(row["geometry_accuracy"])
        selected = selected_id is not None and str(fid) == selected_id
        style = _feature_style(kind, accuracy, geom.geom_type, selected=selected)
        if offsets and str(fid) in offsets:
            style["offset"] = offsets[str(fid)]
        hover = _hover_of(style["weight"])
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
            "tipMeta": _meta_of(row, metas, lang=lang),
        }
        if selected:
            props["selected"] = True
        yield group, {"type": "Feature", "properties": props, "geometry": geom}


def _meta_of(
    row: Mapping[str, Any], metas: dict[tuple[Any, ...], dict[str, str]], *, lang: str
) -> dict[str, str]:
    """:func:`_tip_meta` of ``row``, made once per distinct value in ``metas``."""
    standing = row.get("standing")
    key = (
        str(row["kind"]),
        str(row["status"]),
        standing if isinstance(standing, str) else None,
        str(row.get("source", "")),
        str(row["geometry_accuracy"]),
    )
    if key not in metas:
        metas[key] = _tip_meta(*key, lang=lang)
    return metas[key]


def _shape(geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("Polygon", "MultiPolygon"):
        return "area"
    return "line"


def _with_hit(feature: dict[str, Any]) -> dict[str, Any]:
    """A line with the ``hit`` style of its invisible, wide copy that catches hover
    and click (made in the browser, :func:`~circlemap.webmap.elements.split_hits`).

    A line drawn beside others (``offset``) gets a copy as wide as its own lane,
    at the same offset, so each of the lines side by side catches its own clicks.
    """
    props = dict(feature["properties"])
    hit = _hit_style(props["style"]["color"], props["style"].get("offset"))
    props["hit"] = hit
    props["hover"] = hover_style(hit, opacity=0.25)
    return {**feature, "properties": props}


@functools.lru_cache(maxsize=512)
def _hit_style(colour: str, offset: float | None) -> dict[str, Any]:
    """The hit copy's style (shared: nothing changes it, the packing only reads it)."""
    if offset is None:
        return path_style(colour, weight=styles.LINE_WEIGHT + 10, opacity=0.0)
    return {**path_style(colour, weight=LANE_SPACING_PX, opacity=0.0), "offset": offset}


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
        style = path_style(
            styles.HIGHLIGHT,
            weight=3,
            opacity=0.9,
            fill=True,
            fill_opacity=0.25,
            radius=styles.POINT_RADIUS + 8,
        )
    else:
        style = path_style(styles.HIGHLIGHT, weight=styles.LINE_WEIGHT + 8, opacity=0.55)
    props = {"layer": "highlight", "style": style}
    return {"type": "Feature", "properties": props, "geometry": geom}


def _add_city_outlines(
    group: folium.FeatureGroup,
    catalog: Catalog,
    cities: tuple[str, ...],
    *,
    base: basemaps.Basemap,
    lang: str,
) -> None:
    """Outline ``cities`` (circle or other Shandong cities, zh names) in the highlight colour."""
    towns = pd.concat([catalog.cities, catalog.context], ignore_index=True)
    chosen = in_basemap_frame(towns[towns["name_zh"].isin(cities)], base)
    style = path_style(styles.HIGHLIGHT, weight=3.5, opacity=0.9)
    outline = city_collection(chosen, layer="city-highlight", lang=lang, style=style, hover=None)
    if outline["features"]:
        geojson_layer(outline, name="city-highlight", interactive=False).add_to(group)


def _add_halo(
    group: folium.FeatureGroup,
    geom: BaseGeometry | None,
    points: list[dict[str, Any]],
    *,
    selected_id: str,
    offset: float | None = None,
) -> None:
    """The selected feature's halo; on a spread point it follows the point
    (``follows``), on a line drawn beside others it takes the line's offset."""
    if geom is None or geom.is_empty:
        return
    ring = _halo(geom)
    ring["properties"]["follows"] = selected_id  # moves with its spread point
    if offset is not None:
        ring["properties"]["style"]["offset"] = offset
    fan = [f["properties"].get("fan") for f in points if f["properties"].get("selected")]
    if fan and fan[0]:
        ring["properties"]["fan"] = fan[0]
    geojson_layer(
        feature_collection([ring]),
        name="selected-halo",
        interactive=False,
        point_radius=styles.POINT_RADIUS,
    ).add_to(group)


def build_feature_layer(
    catalog: Catalog,
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
        :func:`~circlemap.webmap.mapstate.view_request`: the view and hidden
        layer groups to apply.
    """
    base = basemaps.get_basemap(basemap)
    group = folium.FeatureGroup(name=t("map_features", lang), control=False)

    if highlight_cities:
        _add_city_outlines(group, catalog, highlight_cities, base=base, lang=lang)

    shifted = in_basemap_frame(features, base)
    order = {g: i for i, g in enumerate(FEATURE_GROUP_ORDER)}
    offsets = line_offsets(catalog, features)
    records = sorted(
        _feature_records(shifted, lang=lang, selected_id=selected_id, offsets=offsets),
        # Group order bottom-up, the selected feature last so it sits on top.
        key=lambda r: (order.get(r[0], len(order)), r[1]["properties"].get("selected", False)),
    )
    by_type: dict[str, list[dict[str, Any]]] = {"area": [], "line": [], "point": []}
    for _, feature in records:
        by_type[_shape(feature["geometry"].geom_type)].append(feature)
    _mark_fans(by_type["point"])

    if selected_id is not None and selected_id in shifted.index:
        _add_halo(
            group,
            shifted.loc[selected_id].geometry,
            by_type["point"],
            selected_id=selected_id,
            offset=offsets.get(selected_id),
        )

    if by_type["area"]:
        geojson_layer(feature_collection(by_type["area"]), name="areas").add_to(group)
    if by_type["line"]:
        # Dashed and dotted lines are hard to hit (the gaps do not catch the
        # mouse): draw them without events and put a wide, invisible copy on
        # top that carries the tooltip, the click and a soft hover glow.
        lines = [_with_hit(f) for f in by_type["line"]]
        geojson_layer(feature_collection(lines), name="lines", hits=True).add_to(group)
    if by_type["point"]:
        geojson_layer(
            feature_collection(by_type["point"]), name="points", point_radius=styles.POINT_RADIUS
        ).add_to(group)

    if request is not None:
        MapState(request).add_to(group)
    assets.localize_assets(group)
    assign_ids(group, prefix=f"features:{lang}:{basemap}")
    return group
