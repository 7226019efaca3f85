"""Map layer groups the reader can switch on and off (the map's layer control).

A group is keyed by name, never by position: base layers by the ``layer``
property :mod:`circlemap.mapping` writes on every GeoJSON feature
(``city``, ``county``, ``context``, ``river``, ...), content features by
their kind (each transport kind its own group) or their map group (sites,
green corridors). A layer whose ``layer`` name is not listed in
:data:`BASE_LAYER_GROUP` is drawn but not switchable, so a new base layer
slots in by adding one entry here. The browser side is
``L.circlemap.layers`` in ``static/circlemap/circlemap.js``.

No Streamlit import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from circlemap import vocab
from circlemap.i18n import term

BASE_GROUPS: Final[dict[str, vocab.Term]] = {
    "cities": vocab.LAYERS["cities"],
    "counties": vocab.LAYERS["counties"],
    "context": vocab.LAYERS["context"],
    "water": vocab.Term("湖泊与河流", "Lakes and rivers"),
    "river": vocab.LAYERS["river"],
}
"""Switchable base groups, in the order the control lists them."""

BASE_LAYER_GROUP: Final[dict[str, str]] = {
    "city": "cities",
    "city-outline": "cities",
    "city-highlight": "cities",
    "county": "counties",
    "context": "context",
    "province": "context",
    "border": "context",
    "lake": "water",
    "rivers": "water",
    "water": "water",
    "river": "river",
}
"""``properties.layer`` of a base feature -> its group."""

LABEL_GROUP: Final[dict[str, str]] = {
    "cm-label-city": "cities",
    "cm-label-county": "counties",
    "cm-label-context": "context",
    "cm-label-province": "context",
    "cm-label-neighbour": "context",
    "cm-label-lake": "water",
}
"""CSS class of a name label -> the group it is hidden with."""

CONTENT_GROUPS: Final[dict[str, vocab.Term]] = {
    **{k: v for k, v in vocab.KINDS.items() if v.group == "transport"},
    "sites": vocab.KIND_GROUPS["site"],
    "corridors": vocab.KIND_GROUPS["ecology"],
}
"""Switchable content groups: each transport kind, all sites, all corridors."""

CONTENT_GROUP_OF_MAP_GROUP: Final[dict[str, str]] = {"site": "sites", "ecology": "corridors"}
"""A content feature's map group (``vocab.KINDS[kind].group``) -> its layer group;
transport features are grouped by their own kind."""

GROUPS: Final[dict[str, vocab.Term]] = {**BASE_GROUPS, **CONTENT_GROUPS}
"""Every switchable group (the values ``?hide=`` accepts)."""


def group_of_kind(kind: str) -> str:
    """Layer group of a content feature of ``kind`` (``"rail"``, ``"sites"``, ...)."""
    group = vocab.KINDS[kind].group
    return kind if group == "transport" else CONTENT_GROUP_OF_MAP_GROUP[group]


def control_items(
    kinds: Iterable[str], base_layers: Iterable[str], *, lang: str
) -> list[dict[str, str]]:
    """Entries of the layer control for what the map can draw.

    Parameters
    ----------
    kinds : iterable of str
        Kinds present among the content features (any filter state: a group
        is offered even while the filters leave it empty).
    base_layers : iterable of str
        ``properties.layer`` names of the base map's layers.
    lang : {"zh", "en"}, keyword-only

    Returns
    -------
    list of dict
        ``{"key", "label", "section"}`` (``section`` is ``"base"`` or
        ``"content"``), base groups first, each in :data:`GROUPS` order.
    """
    base_present = {BASE_LAYER_GROUP[n] for n in base_layers if n in BASE_LAYER_GROUP}
    content_present = {group_of_kind(k) for k in kinds if k in vocab.KINDS}
    items = [
        {"key": key, "label": term(BASE_GROUPS, key, lang), "section": "base"}
        for key in BASE_GROUPS
        if key in base_present
    ]
    items += [
        {"key": key, "label": term(CONTENT_GROUPS, key, lang), "section": "content"}
        for key in CONTENT_GROUPS
        if key in content_present
    ]
    return items
