"""What the reader clicked: a pure function of the ``st_folium`` return value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from circlemap import vocab

RETURNED_OBJECTS: Final[list[str]] = [
    "last_active_drawing",
    "last_object_clicked_count",
    "selected_layers",
]
"""What the pages ask ``st_folium`` to return: the GeoJSON of the clicked feature,
a click counter (a click on the same feature again is a new click) and
``selected_layers``, where ``L.circlemap`` reports the reader's view and hidden
layer groups (:func:`circlemap.webmap.mapstate.parse_report`)."""


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
