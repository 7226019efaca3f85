"""What filters change on the web map: the features, as one ``folium.FeatureGroup``.

Passed to ``st_folium(feature_group_to_add=...)``; every GeoJSON feature
carries what :func:`circlemap.webmap.clicks.parse_click` needs. The features
come from a :class:`~circlemap.webmap.feature_table.FeatureTable`, serialised
once per (data version, language, basemap); a filter change only joins the
shown ones (:func:`~circlemap.webmap.feature_table.pack_features`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from circlemap import assets, basemaps, cartography, styles
from circlemap.i18n import t
from circlemap.webmap.elements import TablePrefetch, VectorLayer, assign_ids, geojson_layer
from circlemap.webmap.feature_table import (
    FeatureRecord,
    FeatureTable,
    fans,
    feature_table,
    pack_features,
    pack_rows,
)
from circlemap.webmap.geojson import (
    city_collection,
    feature_collection,
    in_basemap_frame,
    path_style,
)
from circlemap.webmap.mapstate import MapState

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


FEATURE_GROUP_ORDER: Final[tuple[str, ...]] = ("ecology", "transport", "site")
"""Draw order of the content groups, bottom first (points stay clickable on top)."""


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
    geom: BaseGeometry,
    *,
    selected_id: str,
    offset: float | None = None,
    fan: tuple[int, int] | None = None,
) -> None:
    """The selected feature's halo; on a spread point it follows the point
    (``follows``, ``fan``), on a line drawn beside others it takes the line's offset."""
    ring = _halo(geom)
    ring["properties"]["follows"] = selected_id  # moves with its spread point
    if offset is not None:
        ring["properties"]["style"]["offset"] = offset
    if fan is not None:
        ring["properties"]["fan"] = list(fan)
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
    table: FeatureTable | None = None,
    inline: bool = False,
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
    table : FeatureTable, optional, keyword-only
        :func:`~circlemap.webmap.feature_table.feature_table` of ``catalog`` for
        ``lang`` and ``basemap`` (made once and kept by the app); made of
        ``features`` when omitted. A published table
        (:func:`~circlemap.webmap.published.publish_feature_table`) is drawn
        from its file: the layers carry rows into it
        (:func:`~circlemap.webmap.feature_table.pack_rows`).
    inline : bool, keyword-only
        Draw the features inline even from a published table, and have the
        browser fetch the table meanwhile (a map's first drawing: it has
        nothing to wait for).

    Raises
    ------
    ValueError
        If ``table`` is for another language or basemap, or lacks a feature.
    """
    base = basemaps.get_basemap(basemap)
    if table is None:
        table = feature_table(catalog, features, lang=lang, basemap=basemap)
    elif (table.lang, table.basemap) != (lang, basemap):
        msg = f"a feature table for ({table.lang}, {table.basemap}), not ({lang}, {basemap})"
        raise ValueError(msg)
    group = folium.FeatureGroup(name=t("map_features", lang), control=False)

    if highlight_cities:
        _add_city_outlines(group, catalog, highlight_cities, base=base, lang=lang)

    shown = table.shown(features.index)
    offsets = table.offsets([r.id for r in shown if r.geometry.geom_type in cartography.LINE_TYPES])
    order = {g: i for i, g in enumerate(FEATURE_GROUP_ORDER)}
    # Group order bottom-up, the selected feature last so it sits on top.
    shown.sort(key=lambda r: (order.get(r.group, len(order)), r.id == selected_id))
    by_shape: dict[str, list[FeatureRecord]] = {"area": [], "line": [], "point": []}
    for record in shown:
        by_shape[record.shape].append(record)
    fan = fans(by_shape["point"])

    selected = next((r for r in shown if r.id == selected_id), None)
    if selected is not None:
        _add_halo(
            group,
            selected.geometry,
            selected_id=selected.id,
            offset=offsets.get(selected.id),
            fan=fan.get(selected.id),
        )

    # A published table: rows into its file, which the browser keeps (a filter
    # change sends no name or geometry again); else the features themselves.
    rows = table if table.url is not None and not inline else None
    if table.url is not None and inline:
        TablePrefetch(table.url).add_to(group)
    if rows is not None:
        pack = functools.partial(pack_rows, table=rows, selected_id=selected_id, offsets=offsets)
    else:
        pack = functools.partial(pack_features, selected_id=selected_id, offsets=offsets)
    if by_shape["area"]:
        VectorLayer(pack(by_shape["area"], name="areas"), rows=rows).add_to(group)
    if by_shape["line"]:
        # Dashed and dotted lines are hard to hit (the gaps do not catch the
        # mouse): draw them without events and put a wide, invisible copy on
        # top that carries the tooltip, the click and a soft hover glow.
        lines = pack(by_shape["line"], name="lines", hits=True)
        VectorLayer(lines, hits=True, rows=rows).add_to(group)
    if by_shape["point"]:
        points = pack(by_shape["point"], name="points", fan=fan, point_radius=styles.POINT_RADIUS)
        VectorLayer(points, rows=rows).add_to(group)

    if request is not None:
        MapState(request).add_to(group)
    assets.localize_assets(group)
    assign_ids(group, prefix=f"features:{lang}:{basemap}")
    return group
