"""The map's view and layer state between the page and the browser.

Page -> browser: :func:`view_request` (an explicit view, or bounds the
browser fits at the map's real size, plus the hidden layer groups) travels
with the feature layer as :class:`MapState`, so the base map never changes;
``L.circlemap.state`` applies it only when the request changes.

Browser -> page: ``L.circlemap`` reports the reader's moves and layer
switches as one entry of streamlit-folium's ``selected_layers``;
:func:`parse_report` reads and checks it. Views are (lat, lon, zoom) in
degrees; on Amap they travel in GCJ-02 (:func:`view_from_map` converts back).
No Streamlit import.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from folium.template import Template

from circlemap import basemaps, crs, layers
from circlemap.webmap.elements import RenderedOnce
from circlemap.webmap.packing import COORD_DIGITS

REPORT_NAME: Final = "circlemap"
"""Name of our entry in ``selected_layers`` (see ``static/circlemap/circlemap.js``)."""


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


def view_request(
    *,
    view: tuple[float, float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    hidden: Sequence[str] = (),
    basemap: basemaps.Basemap | None = None,
) -> dict[str, Any]:
    """What :class:`MapState` sends: an explicit view or bounds to fit, hidden groups.

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


class MapState(RenderedOnce):
    """The view and hidden layer groups the page asks for (``L.circlemap.state``).

    Added to the feature layer, so the base map stays the same; the browser
    moves the map only when the view request changes.
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
