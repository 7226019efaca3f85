"""The shareable view state and its round trip through URL query parameters.

A :class:`ViewState` is what a shared link restores: the filter
:class:`~circlemap.filters.Selection`, the language, the basemap, the selected
feature and the city whose panel is open. :func:`state_from_params` never
raises: unknown or malformed parameters are dropped and described in the
returned notices so the page can tell the user what it ignored.

No Streamlit import: the glue in :mod:`circlemap.ui` reads and writes
``st.query_params`` with these functions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from circlemap import settings, vocab
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

SELECTION_PARAMS: Final[dict[str, str]] = {
    "city": "cities",
    "kind": "kinds",
    "status": "statuses",
    "cat": "categories",
}
"""Query parameter -> :class:`Selection` field (comma-separated values)."""

SELECTION_VOCAB: Final[dict[str, Collection[str]]] = {
    "cities": vocab.CITY_BY_ZH,
    "kinds": vocab.KINDS,
    "statuses": vocab.STATUSES,
    "categories": vocab.CATEGORIES,
}

DEFAULT_BASEMAP: Final = "none"

PARAMS: Final[tuple[str, ...]] = (*SELECTION_PARAMS, "lang", "basemap", "feature", "focus")
"""Every query parameter the app understands, in the order links write them."""

MAX_NOTICE_VALUE: Final = 40
"""Characters of a rejected value quoted back in a notice (links can be long)."""


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
    feature : str or None
        Id of the selected project or corridor feature (its card is open).
    city : str or None
        Zh name of the circle city whose panel is open (query parameter ``focus``).
    """

    selection: Selection = field(default_factory=Selection)
    lang: str = settings.DEFAULT_LANG
    basemap: str = DEFAULT_BASEMAP
    feature: str | None = None
    city: str | None = None


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


def _feature_ids(catalog: Catalog | None) -> Collection[str]:
    return set(catalog.features.index) if catalog is not None else set()


def _basemap_keys() -> Collection[str]:
    from circlemap import basemaps

    return set(basemaps.BASEMAPS)


def state_from_params(
    params: Mapping[str, str | list[str]],
    *,
    catalog: Catalog | None,
    basemaps: Collection[str] | None = None,
) -> tuple[ViewState, list[str]]:
    """Parse query parameters into a :class:`ViewState`.

    Parameters
    ----------
    params : mapping of str to str or list of str
        ``st.query_params.to_dict()`` or a parsed query string.
    catalog : circlemap.catalog.Catalog
        Known feature ids (``catalog.features.index``); ``None`` accepts no
        ``feature``.
    basemaps : collection of str, optional
        Basemap keys this server offers (``basemaps.available_basemaps``);
        all of ``basemaps.BASEMAPS`` when omitted.

    Returns
    -------
    (ViewState, list of str)
        The state, and one English notice per parameter or value ignored
        (unknown name, unknown vocabulary key, unknown feature id). Never raises.
    """
    notices: list[str] = []
    picks: dict[str, list[str]] = {}
    offered = set(basemaps) if basemaps is not None else _basemap_keys()
    singles: dict[str, tuple[Collection[str], str]] = {
        "lang": (settings.LANGS, "unknown language"),
        "basemap": (offered, "unknown or unavailable basemap"),
        "feature": (_feature_ids(catalog), "unknown feature"),
        "focus": (vocab.CIRCLE_CITIES, "unknown city"),
    }
    chosen: dict[str, str] = {}

    for name, value in params.items():
        if name in SELECTION_PARAMS:
            allowed = SELECTION_VOCAB[SELECTION_PARAMS[name]]
            items = _values(value)
            picks[SELECTION_PARAMS[name]] = [item for item in items if item in allowed]
            notices += [f"{name}: unknown value '{_short(i)}'" for i in items if i not in allowed]
        elif name in singles:
            allowed, problem = singles[name]
            text = _single(value)
            if text in allowed:
                chosen[name] = text
            else:
                notices.append(f"{name}: {problem} '{_short(text)}'")
        else:
            notices.append(f"unknown parameter '{_short(name)}'")

    state = ViewState(
        selection=Selection(**{k: tuple(v) for k, v in picks.items()}),
        lang=chosen.get("lang", settings.DEFAULT_LANG),
        basemap=chosen.get("basemap", DEFAULT_BASEMAP),
        feature=chosen.get("feature"),
        city=chosen.get("focus"),
    )
    return state, notices


def state_to_params(state: ViewState) -> dict[str, str]:
    """Query parameters that restore ``state``; defaults are left out.

    Values of a selection field are joined with commas in vocabulary order,
    e.g. ``{"city": "济南,淄博", "lang": "en"}``.
    """
    params: dict[str, str] = {}
    for name, attr in SELECTION_PARAMS.items():
        values = getattr(state.selection, attr)
        if values:
            params[name] = ",".join(values)
    if state.lang != settings.DEFAULT_LANG:
        params["lang"] = state.lang
    if state.basemap != DEFAULT_BASEMAP:
        params["basemap"] = state.basemap
    if state.feature:
        params["feature"] = state.feature
    if state.city:
        params["focus"] = state.city
    return params
