"""The shareable view state and its round trip through URL query parameters.

A :class:`ViewState` is what a shared link restores: the filter
:class:`~circlemap.filters.Selection`, the language, the basemap, the map
view (centre and zoom), the hidden layer groups, the map search text, the
selected feature, the city whose panel is open, the Measures page's scope
and measure, and the timeline's milestone. :func:`state_from_params` never
raises: unknown or malformed parameters are dropped and described in the
returned notices (in the link's language) so the page can tell the user
what it ignored.

No Streamlit import: the glue in :mod:`circlemap.ui` reads and writes
``st.query_params`` with these functions.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from circlemap import layers, settings, vocab
from circlemap.filters import Selection
from circlemap.i18n import t

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

SELECTION_PARAMS: Final[dict[str, str]] = {
    "city": "cities",
    "kind": "kinds",
    "status": "statuses",
    "cat": "categories",
}
"""Query parameter -> :class:`Selection` field (comma-separated and/or repeated values)."""

SELECTION_VOCAB: Final[dict[str, Collection[str]]] = {
    "cities": vocab.CITY_BY_ZH,
    "kinds": vocab.KINDS,
    "statuses": vocab.STATUSES,
    "categories": vocab.CATEGORIES,
}

LIST_PARAMS: Final[dict[str, Collection[str]]] = {
    "hide": layers.GROUPS,
    "scope": vocab.SCOPES,
}
"""Further list parameters: hidden layer groups, the Measures page's documents."""

DEFAULT_BASEMAP: Final = "none"

PARAMS: Final[tuple[str, ...]] = (
    *SELECTION_PARAMS,
    "lang",
    "basemap",
    "map",
    "hide",
    "q",
    "search",
    "feature",
    "focus",
    "scope",
    "measure",
    "milestone",
)
"""Every query parameter the app understands, in the order links write them."""

MAX_NOTICE_VALUE: Final = 40
"""Characters of a rejected value quoted back in a notice (links can be long)."""

MAX_QUERY: Final = 80
"""Characters of map search text kept from a link."""

VIEW_ZOOM_RANGE: Final = (5.0, 19.0)
"""Zoom levels a ``map=`` parameter may ask for."""

VIEW_DIGITS: Final = 5
"""Decimals of the centre written into a link (about 1 m)."""

View = tuple[float, float, float]
"""A map view: (latitude, longitude, zoom), degrees WGS-84 and a Web-Mercator zoom."""


@dataclass(frozen=True)
class ViewState:
    """What a shared link restores.

    Attributes
    ----------
    selection : Selection
        Filters every page applies.
    lang : str
        ``"zh"`` (default) or ``"en"``.
    basemap : str
        Key of ``circlemap.basemaps.BASEMAPS``; ``"none"`` draws no tiles.
    view : (float, float, float) or None
        Map centre (lat, lon in degrees) and zoom the reader moved to
        (``map=zoom/lat/lon``, as openstreetmap.org writes it); ``None``:
        each page fits its own content.
    hidden : tuple of str
        Layer groups switched off (keys of :data:`circlemap.layers.GROUPS`).
    query : str
        Text of the map search box (``q``).
    measure_query : str
        Text of the Measures page's search box (``search``).
    feature : str or None
        Id of the selected project or corridor feature (its card is open).
    city : str or None
        Zh name of the circle city whose panel is open (query parameter ``focus``).
    scopes : tuple of str
        Documents the Measures page is restricted to (``scope``).
    measure : str or None
        Measure shown in detail on the Measures page.
    milestone : str or None
        Milestone selected on the timeline.
    """

    selection: Selection = field(default_factory=Selection)
    lang: str = settings.DEFAULT_LANG
    basemap: str = DEFAULT_BASEMAP
    view: View | None = None
    hidden: tuple[str, ...] = ()
    query: str = ""
    measure_query: str = ""
    feature: str | None = None
    city: str | None = None
    scopes: tuple[str, ...] = ()
    measure: str | None = None
    milestone: str | None = None


def _short(value: str) -> str:
    return value if len(value) <= MAX_NOTICE_VALUE else value[: MAX_NOTICE_VALUE - 1] + "…"


def _single(value: str | list[str]) -> str:
    """Last value of a repeated parameter (as ``st.query_params[...]`` does)."""
    if isinstance(value, str):
        return value
    return value[-1] if value else ""


def _values(value: str | list[str]) -> list[str]:
    """Comma-separated (and/or repeated) values, stripped, blanks dropped."""
    raw = [value] if isinstance(value, str) else list(value)
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def _ids(frame: Any) -> Collection[str]:
    """Index of a catalog table (``None``: no ids at all)."""
    return set(frame.index) if frame is not None else set()


def _basemap_keys() -> Collection[str]:
    from circlemap import basemaps

    return set(basemaps.BASEMAPS)


def parse_view(text: str) -> View | None:
    """``"zoom/lat/lon"`` -> (lat, lon, zoom), or ``None`` if malformed or off the map.

    The centre must lie in :data:`settings.REGION_BOUNDS` (Shandong with a
    margin) and the zoom in :data:`VIEW_ZOOM_RANGE`.
    """
    parts = text.split("/")
    if len(parts) != 3:
        return None
    try:
        zoom, lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (zoom, lat, lon)):
        return None
    min_lon, min_lat, max_lon, max_lat = settings.REGION_BOUNDS
    lo, hi = VIEW_ZOOM_RANGE
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon and lo <= zoom <= hi):
        return None
    return (round(lat, VIEW_DIGITS), round(lon, VIEW_DIGITS), zoom)


def format_view(view: View) -> str:
    """(lat, lon, zoom) -> ``"zoom/lat/lon"`` (zoom without a needless ``.0``)."""
    lat, lon, zoom = view
    z = f"{zoom:g}"
    return (
        f"{z}/{round(lat, VIEW_DIGITS):.{VIEW_DIGITS}f}/{round(lon, VIEW_DIGITS):.{VIEW_DIGITS}f}"
    )


def _notice(key: str, lang: str, **values: str) -> str:
    return t(key, lang).format(**{k: _short(v) for k, v in values.items()})


def state_from_params(
    params: Mapping[str, str | list[str]],
    *,
    catalog: Catalog | None,
    basemaps: Collection[str] | None = None,
    notice_lang: str | None = None,
) -> tuple[ViewState, list[str]]:
    """Parse query parameters into a :class:`ViewState`.

    Parameters
    ----------
    params : mapping of str to str or list of str
        Every value of each parameter (``st.query_params.get_all``) or a
        parsed query string; a repeated parameter of a list (``city``,
        ``kind``, ``hide``, ...) selects each of its values.
    catalog : circlemap.catalog.Catalog
        Known feature, measure and milestone ids; ``None`` accepts none.
    basemaps : collection of str, optional
        Basemap keys this server offers (``basemaps.available_basemaps``);
        all of ``basemaps.BASEMAPS`` when omitted.
    notice_lang : {"zh", "en"}, optional
        Language of the notices; the link's own language when omitted.

    Returns
    -------
    (ViewState, list of str)
        The state, and one notice per parameter or value ignored (unknown
        name, unknown vocabulary key, unknown id, malformed view). Never raises.
    """
    problems: list[tuple[str, dict[str, str]]] = []
    picks: dict[str, list[str]] = {}
    lists: dict[str, list[str]] = {}
    offered = set(basemaps) if basemaps is not None else _basemap_keys()
    singles: dict[str, tuple[Collection[str], str]] = {
        "lang": (settings.LANGS, "notice_bad_lang"),
        "basemap": (offered, "notice_bad_basemap"),
        "feature": (_ids(getattr(catalog, "features", None)), "notice_bad_feature"),
        "focus": (vocab.CIRCLE_CITIES, "notice_bad_city"),
        "measure": (_ids(getattr(catalog, "measures", None)), "notice_bad_measure"),
        "milestone": (_ids(getattr(catalog, "milestones", None)), "notice_bad_milestone"),
    }
    chosen: dict[str, str] = {}
    view: View | None = None
    texts = {"q": "", "search": ""}

    for name, value in params.items():
        if name in SELECTION_PARAMS or name in LIST_PARAMS:
            allowed = (
                SELECTION_VOCAB[SELECTION_PARAMS[name]]
                if name in SELECTION_PARAMS
                else LIST_PARAMS[name]
            )
            items = list(dict.fromkeys(_values(value)))
            target = picks if name in SELECTION_PARAMS else lists
            target[name] = [item for item in items if item in allowed]
            problems += [
                ("notice_bad_value", {"name": name, "value": i}) for i in items if i not in allowed
            ]
        elif name in singles:
            allowed, problem = singles[name]
            text = _single(value)
            if text in allowed:
                chosen[name] = text
            else:
                problems.append((problem, {"name": name, "value": text}))
        elif name == "map":
            text = _single(value)
            view = parse_view(text)
            if view is None:
                problems.append(("notice_bad_view", {"name": name, "value": text}))
        elif name in texts:
            texts[name] = _single(value).strip()[:MAX_QUERY]
        else:
            problems.append(("notice_bad_param", {"name": name, "value": name}))

    state = ViewState(
        selection=Selection(**{SELECTION_PARAMS[k]: tuple(v) for k, v in picks.items()}),
        lang=chosen.get("lang", settings.DEFAULT_LANG),
        basemap=chosen.get("basemap", DEFAULT_BASEMAP),
        view=view,
        hidden=tuple(k for k in layers.GROUPS if k in lists.get("hide", ())),
        query=texts["q"],
        measure_query=texts["search"],
        feature=chosen.get("feature"),
        city=chosen.get("focus"),
        scopes=tuple(k for k in vocab.SCOPES if k in lists.get("scope", ())),
        measure=chosen.get("measure"),
        milestone=chosen.get("milestone"),
    )
    lang = notice_lang or state.lang
    return state, [_notice(key, lang, **values) for key, values in problems]


def state_to_params(state: ViewState) -> dict[str, str]:
    """Query parameters that restore ``state``; defaults are left out.

    Values of a list field are joined with commas in vocabulary order,
    e.g. ``{"city": "济南,淄博", "lang": "en", "map": "9/36.66/117.12"}``.
    """
    params: dict[str, str] = {}
    for name, attr in SELECTION_PARAMS.items():
        values = getattr(state.selection, attr)
        if values:
            params[name] = ",".join(values)
    written: dict[str, str | None] = {
        "lang": state.lang if state.lang != settings.DEFAULT_LANG else None,
        "basemap": state.basemap if state.basemap != DEFAULT_BASEMAP else None,
        "map": format_view(state.view) if state.view is not None else None,
        "hide": ",".join(state.hidden),
        "q": state.query,
        "search": state.measure_query,
        "feature": state.feature,
        "focus": state.city,
        "scope": ",".join(state.scopes),
        "measure": state.measure,
        "milestone": state.milestone,
    }
    params.update({name: value for name, value in written.items() if value})
    return params
