"""The web map's features serialised once per (data version, language, basemap).

A filter change draws a subset of the same features. Their names, kinds,
tooltips and encoded geometries do not change with it; only which of them
are shown does, which one is selected, which lines are drawn side by side
(offsets) and which points share a spot (fans). :func:`feature_table`
serialises every feature's fixed part once (:class:`FeatureRecord`);
:func:`pack_features` joins the shown ones into the
:class:`~circlemap.webmap.packing.PackedLayer` of one selection, with that
selection's style table. What it writes is what
:func:`~circlemap.webmap.packing.pack_layer` writes for the same features.

The app publishes the table once (:attr:`FeatureTable.document`, a static
file the browser fetches and keeps; :func:`~circlemap.webmap.published.publish_feature_table`).
Then :func:`pack_rows` writes only what the selection decides, one row per
shown feature pointing into that file: a filter change sends a few bytes per
feature, not its names and geometry again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from circlemap import basemaps, cartography, polyline, styles, vocab
from circlemap.i18n import t, term
from circlemap.webmap.geojson import (
    drawable_rows,
    hover_style,
    html_text,
    in_basemap_frame,
    path_style,
)
from circlemap.webmap.packing import COORD_DIGITS, PackedLayer, StyleTable, html_safe_json

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

LANE_SPACING_PX: Final = styles.LINE_WEIGHT + 1
"""Distance between the centres of two lines drawn side by side (CSS pixels)."""


@functools.lru_cache(maxsize=512)
def style_of(kind: str, accuracy: str, geom_type: str, selected: bool) -> dict[str, Any]:
    """A feature's Leaflet style (shared: the packing only reads it; copy to change it).

    Transport links are lines in their kind's colour (weight
    :data:`styles.LINE_WEIGHT`), sites are circles, green corridors lines or
    areas; schematic geometries are dashed, approximate ones dotted
    (:func:`styles.accuracy_dash`); the selected feature is drawn heavier.
    """
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


@functools.lru_cache(maxsize=512)
def _offset_style(
    kind: str, accuracy: str, geom_type: str, selected: bool, offset: float
) -> dict[str, Any]:
    return {**style_of(kind, accuracy, geom_type, selected), "offset": offset}


@functools.lru_cache(maxsize=64)
def _hover_of(weight: float) -> dict[str, Any]:
    """A feature's hover: two pixels wider (shared: the packing only reads it)."""
    return hover_style({"weight": weight}, weight=weight + 2)


@functools.lru_cache(maxsize=512)
def hit_style(colour: str, offset: float | None) -> dict[str, Any]:
    """The style of a line's invisible, wide copy that catches hover and click (made
    in the browser, :func:`~circlemap.webmap.elements.split_hits`).

    A line drawn beside others (``offset``) gets a copy as wide as its own lane,
    at the same offset, so each of the lines side by side catches its own clicks.
    """
    if offset is None:
        return path_style(colour, weight=styles.LINE_WEIGHT + 10, opacity=0.0)
    return {**path_style(colour, weight=LANE_SPACING_PX, opacity=0.0), "offset": offset}


@functools.lru_cache(maxsize=512)
def _hit_hover(colour: str, offset: float | None) -> dict[str, Any]:
    """The soft glow of a hit copy under the mouse."""
    return hover_style(hit_style(colour, offset), opacity=0.25)


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


def shape_of(geom_type: str) -> str:
    """``point``, ``area`` or ``line``: the layer a geometry type is drawn in."""
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("Polygon", "MultiPolygon"):
        return "area"
    return "line"


@dataclass(frozen=True, slots=True)
class FeatureRecord:
    """One feature serialised for the browser, but for what a selection changes.

    Attributes
    ----------
    id, group, kind, accuracy : str
        Feature id, map layer group, kind and ``geometry_accuracy``.
    geometry : BaseGeometry
        In the basemap's frame (GCJ-02 for Amap): the selected feature's halo.
    members : str
        The fixed properties (``layer``, ``id``, the names, ``kind``, ``group``,
        ``status``, ``geometry_accuracy``) as the members of a JSON object,
        HTML-safe (:func:`~circlemap.webmap.packing.html_safe_json`).
    packed : str
        The geometry as HTML-safe JSON, lines and rings encoded polylines.
    tip : dict
        The tooltip's shared part (``tipMeta``, :func:`_tip_meta`).
    spot : (float, float) or None
        A point's location rounded to 4 decimals (points on one spot are spread).
    """

    id: str
    group: str
    kind: str
    accuracy: str
    geometry: BaseGeometry
    members: str
    packed: str
    tip: Mapping[str, str]
    spot: tuple[float, float] | None

    @property
    def shape(self) -> str:
        return shape_of(self.geometry.geom_type)


@dataclass(frozen=True)
class FeatureTable:
    """Every drawable feature of a frame as a :class:`FeatureRecord`, by id, for one
    language and basemap, with the alignments of the catalog's lines.

    Attributes
    ----------
    lang, basemap : str
    records : dict
        Feature id -> record, in the frame's order.
    undrawn : frozenset of str
        Ids of the frame's features without a geometry to draw (none are drawn).
    alignments : circlemap.cartography.Alignments
        Of every line of the catalog and the Yellow River.
    url : str or None
        Where :attr:`document` is published (served to the browser), if it is.
    """

    lang: str
    basemap: str
    records: Mapping[str, FeatureRecord]
    undrawn: frozenset[str]
    alignments: cartography.Alignments
    url: str | None = None

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Feature id -> its place in :attr:`document`'s ``features``."""
        return {fid: i for i, fid in enumerate(self.records)}

    @functools.cached_property
    def document(self) -> bytes:
        """Every record as the browser keeps it: ``{"features": [...], "styles": [...]}``.

        ``features`` are the records in table order (:attr:`positions`), each a
        GeoJSON feature with the fixed members, geometry packed as in
        :func:`pack_features`, and ``tipMeta`` an index into ``styles``, the
        distinct tooltip parts. HTML-safe JSON, UTF-8.
        """
        tips = StyleTable()
        parts = [
            '{"type":"Feature","properties":{'
            + record.members
            + f',"tipMeta":{tips.index(record.tip)}'
            + '},"geometry":'
            + record.packed
            + "}"
            for record in self.records.values()
        ]
        text = '{"features":[' + ",".join(parts) + '],"styles":' + html_safe_json(tips.values)
        return (text + "}").encode("utf-8")

    def shown(self, ids: Iterable[object]) -> list[FeatureRecord]:
        """The records of ``ids`` that have a geometry, in the given order.

        Raises
        ------
        ValueError
            If an id is not a feature of the table's frame (a table of another
            data version).
        """
        out, unknown = [], []
        for fid in map(str, ids):
            record = self.records.get(fid)
            if record is not None:
                out.append(record)
            elif fid not in self.undrawn:
                unknown.append(fid)
        if unknown:
            msg = f"features not in the feature table ({self.lang}, {self.basemap}): {unknown}"
            raise ValueError(msg)
        return out

    def offsets(self, lines: Sequence[str]) -> dict[str, float]:
        """Pixel offset of each of ``lines`` (ids, in frame order) that shares its
        alignment with another of them or runs along the Yellow River
        (:func:`circlemap.cartography.shared_alignments`)."""
        if not lines:
            return {}
        return {fid: lane * LANE_SPACING_PX for fid, lane in self.alignments.lanes(lines).items()}


def feature_table(
    catalog: Catalog, features: gpd.GeoDataFrame | None = None, *, lang: str, basemap: str
) -> FeatureTable:
    """The :class:`FeatureTable` of ``features`` (``catalog.features`` when omitted;
    EPSG:4326, index ``id``), its lines aligned among every line of ``catalog``.

    Raises
    ------
    circlemap.errors.BasemapError
        For an unknown ``basemap``.
    """
    frame = catalog.features if features is None else features
    shifted = in_basemap_frame(frame, basemaps.get_basemap(basemap))
    columns = (
        "name_zh", "name_en", "kind", "group", "status", "standing", "source", "geometry_accuracy"
    )  # fmt: skip
    rows = list(drawable_rows(shifted, *columns))
    packed = polyline.pack_geometries([row["geometry"] for row in rows], COORD_DIGITS)
    tips: dict[tuple[Any, ...], dict[str, str]] = {}
    records: dict[str, FeatureRecord] = {}
    for row, geometry in zip(rows, packed, strict=True):
        fid, geom = str(row["index"]), row["geometry"]
        kind, accuracy = str(row["kind"]), str(row["geometry_accuracy"])
        group = str(row["group"]) if "group" in row else vocab.KINDS[kind].group
        standing = row.get("standing")
        tip_key = (
            kind,
            str(row["status"]),
            standing if isinstance(standing, str) else None,
            str(row.get("source", "")),
            accuracy,
        )
        if tip_key not in tips:
            tips[tip_key] = _tip_meta(*tip_key, lang=lang)
        fixed = {
            "layer": "feature",
            "id": fid,
            "name_zh": str(row["name_zh"]),
            "name_en": str(row["name_en"]),
            "kind": kind,
            "group": group,
            "status": str(row["status"]),
            "geometry_accuracy": accuracy,
        }
        spot = (round(geom.x, 4), round(geom.y, 4)) if geom.geom_type == "Point" else None
        records[fid] = FeatureRecord(
            id=fid,
            group=group,
            kind=kind,
            accuracy=accuracy,
            geometry=geom,
            members=html_safe_json(fixed)[1:-1],
            packed=html_safe_json(geometry),
            tip=tips[tip_key],
            spot=spot,
        )
    every = catalog.features.geometry
    return FeatureTable(
        lang=lang,
        basemap=basemap,
        records=records,
        undrawn=frozenset(str(i) for i in frame.index) - records.keys(),
        alignments=cartography.alignments(
            every[every.geom_type.isin(cartography.LINE_TYPES)],
            fixed=cartography.fixed_lines(getattr(catalog, "river", None)),
        ),
    )


def fans(points: Sequence[FeatureRecord]) -> dict[str, tuple[int, int]]:
    """Id -> ``(i, n)`` of the points (in drawing order) that share a spot with others.

    Several sites are known only to their city or district and sit on the
    same spot; our map script (``L.circlemap``) spreads such points on a
    small ring, a fixed number of pixels wide at every zoom, so each one can
    be seen, hovered and clicked. The stored coordinates do not change.
    """
    spots: dict[tuple[float, float], list[str]] = {}
    for record in points:
        if record.spot is not None:
            spots.setdefault(record.spot, []).append(record.id)
    return {
        fid: (i, len(shared))
        for shared in spots.values()
        if len(shared) > 1
        for i, fid in enumerate(shared)
    }


def _styles(
    record: FeatureRecord, *, selected: bool, offset: float | None, hits: bool
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    """(style, hover, hit style or ``None``) of a record in one selection."""
    geom_type = record.geometry.geom_type
    if offset is None:
        style = style_of(record.kind, record.accuracy, geom_type, selected)
    else:
        style = _offset_style(record.kind, record.accuracy, geom_type, selected, offset)
    if not hits:
        return style, _hover_of(style["weight"]), None
    colour = style["color"]
    return style, _hit_hover(colour, offset), hit_style(colour, offset)


def _bounds(records: Sequence[FeatureRecord]) -> tuple[float, ...] | None:
    if not records:
        return None
    geoms = np.asarray([r.geometry for r in records], dtype=object)
    return tuple(float(v) for v in shapely.total_bounds(geoms))


def pack_features(
    records: Sequence[FeatureRecord],
    *,
    name: str,
    selected_id: str | None = None,
    offsets: Mapping[str, float] | None = None,
    fan: Mapping[str, tuple[int, int]] | None = None,
    hits: bool = False,
    point_radius: float | None = None,
) -> PackedLayer:
    """The :class:`PackedLayer` of ``records`` in this order: each feature's fixed part
    as serialised once, and its ``style``, ``hover`` and ``tipMeta`` (with ``hits``
    its ``hit`` style too) as indexes into the layer's style table.

    A line in ``offsets`` (id -> pixels) is drawn that far to its left (right if
    negative) with Leaflet.PolylineOffset's ``offset`` style option; a point in
    ``fan`` gets ``fan = [i, n]``; the feature ``selected_id`` gets
    ``selected = true`` and its heavier style.
    """
    offsets = offsets or {}
    fan = fan or {}
    table = StyleTable()
    parts = []
    for record in records:
        selected = record.id == selected_id
        style, hover, hit = _styles(
            record, selected=selected, offset=offsets.get(record.id), hits=hits
        )
        extra = [
            f',"style":{table.index(style)},"hover":{table.index(hover)}'
            f',"tipMeta":{table.index(record.tip)}'
        ]
        if selected:
            extra.append(',"selected":true')
        if record.id in fan:
            i, n = fan[record.id]
            extra.append(f',"fan":[{i},{n}]')
        if hit is not None:
            extra.append(f',"hit":{table.index(hit)}')
        parts.append(
            '{"type":"Feature","properties":{'
            + record.members
            + "".join(extra)
            + '},"geometry":'
            + record.packed
            + "}"
        )
    # Every fragment is HTML-safe and none ends in "{" before a "{": no "{{" to escape.
    text = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]"
    if table.values:
        text += ',"styles":' + html_safe_json(table.values)
    text += "}"
    bounds = _bounds(records)
    return PackedLayer(name, text, bounds, interactive=not hits, point_radius=point_radius)


def pack_rows(
    records: Sequence[FeatureRecord],
    *,
    table: FeatureTable,
    name: str,
    selected_id: str | None = None,
    offsets: Mapping[str, float] | None = None,
    fan: Mapping[str, tuple[int, int]] | None = None,
    hits: bool = False,
    point_radius: float | None = None,
) -> PackedLayer:
    """What :func:`pack_features` writes, as rows into ``table``'s :attr:`~FeatureTable.document`.

    ``packed`` is ``{"rows": [[place, style, hover(, hit)], ...], "styles": [...],
    "fan": {place: [i, n]}, "selected": place}`` (``fan`` and ``selected`` only
    when there are some): ``place`` is the record's place in the document, the
    other numbers index ``styles``. :func:`~circlemap.webmap.packing.compose_rows` (and
    ``L.circlemap.fromTable`` in the browser) make the collection
    :func:`pack_features` would have written.

    Raises
    ------
    ValueError
        If a record is not in ``table``.
    """
    offsets = offsets or {}
    fan = fan or {}
    styles_ = StyleTable()
    positions = table.positions
    rows, fanned, selected_at = [], {}, None
    for record in records:
        place = positions.get(record.id)
        if place is None or table.records[record.id] is not record:
            msg = f"feature {record.id!r} is not a record of this feature table"
            raise ValueError(msg)
        selected = record.id == selected_id
        style, hover, hit = _styles(
            record, selected=selected, offset=offsets.get(record.id), hits=hits
        )
        row = [place, styles_.index(style), styles_.index(hover)]
        if hit is not None:
            row.append(styles_.index(hit))
        rows.append(row)
        if selected:
            selected_at = place
        if record.id in fan:
            fanned[str(place)] = list(fan[record.id])
    spec: dict[str, Any] = {"rows": rows, "styles": styles_.values}
    if fanned:
        spec["fan"] = fanned
    if selected_at is not None:
        spec["selected"] = selected_at
    return PackedLayer(
        name,
        html_safe_json(spec),
        _bounds(records),
        interactive=not hits,
        point_radius=point_radius,
    )
