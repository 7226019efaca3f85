"""Cartographic styles shared by the web map and the print exports.

One place decides the colour of a kind and the dash of an accuracy, so the
legend on screen and in a PDF say the same thing.
"""

from __future__ import annotations

from typing import Final

KIND_COLOURS: Final[dict[str, str]] = {
    "rail": "#c0392b",
    "road": "#d68910",
    "bridge": "#7d3c98",
    "bus": "#2471a3",
    "pilot_zone": "#117a65",
    "industrial_park": "#6e2c00",
    "science": "#1f618d",
    "computing": "#5b2c6f",
    "medical": "#cb4335",
    "court": "#34495e",
    "free_trade_zone": "#b9770e",
    "energy": "#148f77",
    "agriculture": "#7d8f1a",
    "platform": "#a04000",
    "greenway": "#229954",
    "wetland": "#45b39d",
    "waterfront": "#5dade2",
    "delta": "#1e8449",
}
"""Stroke/fill colour per feature kind (keys of ``vocab.KINDS``)."""

ACCURACY_DASH: Final[dict[str, str | None]] = {
    "exact": None,
    "approximate": "2 6",
    "schematic": "10 8",
}
"""SVG/Leaflet ``dashArray`` per geometry accuracy: solid lines are true
alignments, dashed lines schematic ones, dotted outlines approximate places."""

ACCURACY_MPL_DASH: Final[dict[str, tuple[float, tuple[float, ...] | None]]] = {
    "exact": (0.0, None),
    "approximate": (0.0, (1.0, 3.0)),
    "schematic": (0.0, (5.0, 4.0)),
}
"""The same dashes for matplotlib (offset, on/off sequence in line widths)."""

CITY_FILL: Final = "#f6efe4"
CITY_EDGE: Final = "#8a6d4b"
COUNTY_EDGE: Final = "#b9a48a"
CONTEXT_FILL: Final = "#eeeeee"
CONTEXT_EDGE: Final = "#c8c8c8"
RIVER_COLOUR: Final = "#3b83bd"
WATER_BACKGROUND: Final = "#dbe9f4"
HIGHLIGHT: Final = "#ff3d00"

CLUSTER_EDGE: Final = "#5b4636"
"""Edge of a count disc on the print map, as the web map's ``.cm-cluster`` border."""

NEIGHBOUR_FILL: Final = "#f4f1ea"
"""Land of the neighbouring provinces (lighter than the rest of Shandong)."""
PROVINCE_BORDER: Final = "#8e7f9e"
"""Provincial borders (dash-dot)."""
PROVINCE_BORDER_DASH: Final = "10 4 2 4"
PROVINCE_BORDER_MPL_DASH: Final = (0.0, (6.0, 2.5, 1.2, 2.5))
"""The same dash-dot for matplotlib (on/off in line widths)."""
LAKE_FILL: Final = "#c4dcf0"
LAKE_EDGE: Final = "#7fa9cf"
OTHER_RIVER_COLOUR: Final = "#86b4da"
"""Rivers other than the Yellow River (thin, unlabelled)."""
NEIGHBOUR_LABEL: Final = "#8a8a8a"

LINE_WEIGHT: Final = 4
POINT_RADIUS: Final = 7


def kind_colour(kind: str) -> str:
    """Colour of a feature kind, grey for a kind without a style."""
    return KIND_COLOURS.get(kind, "#555555")


def accuracy_dash(accuracy: str) -> str | None:
    """Leaflet ``dashArray`` for a geometry accuracy (``None`` = solid)."""
    return ACCURACY_DASH.get(accuracy)
