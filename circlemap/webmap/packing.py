"""Vector layers packed for the browser: encoded polylines in HTML-safe JSON.

A :class:`PackedLayer` is plain data, so it can be cached across reruns;
``L.circlemap.unpack`` (``static/circlemap/circlemap.js``) restores the
coordinates in the browser.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import shapely

from circlemap import polyline, settings

COORD_DIGITS: Final = settings.COORD_PRECISION


@dataclass(frozen=True, slots=True)
class PackedLayer:
    """A vector layer serialised for the browser: plain data, so it can be cached.

    Attributes
    ----------
    name : str
        Layer name.
    packed : str
        The FeatureCollection as compact, HTML-safe JSON whose lines and rings
        are encoded polylines (:mod:`circlemap.polyline`, :data:`COORD_DIGITS`)
        and whose ``style``, ``hover`` and ``hit`` properties are indexes into its
        ``styles`` list (a few distinct styles serve many features);
        :func:`unpack_collection` (and ``L.circlemap.unpack`` in the browser)
        restores both.
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
    table = StyleTable()
    out = []
    for feature, geometry in zip(features, packed, strict=True):
        props = dict(feature.get("properties") or {})
        for key in STYLE_PROPERTIES:
            if key in props:
                props[key] = table.index(props[key])
        out.append({**feature, "properties": props, "geometry": geometry})
    plain = {**collection, "features": out}
    if table.values:
        plain["styles"] = table.values
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms)) if geoms else None
    return PackedLayer(name, html_safe_json(plain), bounds, interactive, point_radius)


class StyleTable:
    """The distinct styles (and tooltip parts) of a layer, each sent once
    (:data:`STYLE_PROPERTIES` travel as indexes into :attr:`values`).

    ``index`` gives a value's place in the list, adding it the first time. The
    values are mostly a few shared objects (the styles' caches), so each
    object's place is remembered by identity (held with the object, so its id
    cannot be reused meanwhile) and only a new object is compared by value: a
    flat mapping of plain values by its items, anything else by its JSON.
    """

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._by_value: dict[Any, int] = {}
        self._by_id: dict[int, tuple[int, Any]] = {}

    def index(self, value: Any) -> int:
        known = self._by_id.get(id(value))
        if known is not None:
            return known[0]
        try:
            key: Any = tuple(sorted(value.items()))
            hash(key)
        except (AttributeError, TypeError):
            key = json.dumps(value, sort_keys=True)
        place = self._by_value.setdefault(key, len(self.values))
        if place == len(self.values):
            self.values.append(value)
        self._by_id[id(value)] = (place, value)
        return place


STYLE_PROPERTIES: Final = ("style", "hover", "hit", "tipMeta")
"""Feature properties sent as indexes into the collection's ``styles`` (a table of
the distinct values: path styles, and the tooltips' shared part)."""


def tip_html(props: Mapping[str, Any]) -> str | None:
    """The tooltip the browser binds to a feature (``L.circlemap.tip``): its own
    ``tip``, or its escaped name before the shared ``tipMeta`` HTML."""
    if props.get("tip"):
        return str(props["tip"])
    meta = props.get("tipMeta")
    if not isinstance(meta, Mapping):
        return None
    name = html.escape(str(props.get(meta["name"], "")), quote=True)
    return f'<span class="cm-tip-name">{name}</span><br>{meta["html"]}'


def unpack_collection(
    packed: str, precision: int = COORD_DIGITS, *, document: bytes | None = None
) -> dict[str, Any]:
    """:attr:`PackedLayer.packed` as the plain GeoJSON the browser draws.

    GeoJSON geometry mappings (numbers, not encoded polylines) and styles
    restored from the ``styles`` table (which is dropped): what
    ``L.circlemap.unpack`` makes of it in the browser. With ``document`` (a
    published feature table), ``packed`` holds rows into it (:func:`compose_rows`).
    """
    if document is not None:
        collection = compose_rows(json.loads(document.decode("utf-8")), json.loads(packed))
    else:
        collection = json.loads(packed)
    styles = collection.pop("styles", [])
    for feature in collection["features"]:
        feature["geometry"] = polyline.unpack_geometry(feature["geometry"], precision)
        props = feature.get("properties") or {}
        for name in STYLE_PROPERTIES:
            if isinstance(props.get(name), int):
                props[name] = styles[props[name]]
        if "tipMeta" in props:
            props["tip"] = tip_html(props)
    return collection


_HTML_UNSAFE: Final = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))
"""Characters Jinja's ``tojson`` escapes so JSON can sit in a ``<script>`` element."""


def html_safe_json(value: Any) -> str:
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


def compose_rows(document: Mapping[str, Any], rows: Mapping[str, Any]) -> dict[str, Any]:
    """The packed collection (as :func:`~circlemap.webmap.feature_table.pack_features`
    writes it, parsed) that the rows of
    :func:`~circlemap.webmap.feature_table.pack_rows` make of a parsed
    :attr:`~circlemap.webmap.feature_table.FeatureTable.document`.

    What ``L.circlemap.fromTable`` does in the browser; the style properties
    are values here, not indexes.
    """
    tips = document["styles"]
    styles_ = rows["styles"]
    fan = rows.get("fan", {})
    features = []
    for row in rows["rows"]:
        place = row[0]
        record = document["features"][place]
        props = dict(record["properties"])
        props["tipMeta"] = tips[props["tipMeta"]]
        props["style"] = styles_[row[1]]
        props["hover"] = styles_[row[2]]
        if len(row) > 3:
            props["hit"] = styles_[row[3]]
        if str(place) in fan:
            props["fan"] = fan[str(place)]
        if rows.get("selected") == place:
            props["selected"] = True
        features.append({"type": "Feature", "properties": props, "geometry": record["geometry"]})
    return {"type": "FeatureCollection", "features": features}
