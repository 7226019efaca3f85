"""Cached loaders: the validated catalog, the base map's layers, the web map's feature
table, and the basemap keys.

:func:`load_catalog` is keyed by :func:`data_signature` (the content of every
data file), so any edit of the data invalidates it; what is cached from a
catalog (:func:`cached_base_layers`, :func:`cached_feature_table`, the search
index) is keyed by the signature that catalog was loaded with
(:func:`catalog_signature`). Keys for tiled basemaps come from the environment or
``st.secrets``.
"""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from circlemap import basemaps, catalog, settings, validate, webmap


def data_signature() -> tuple[tuple[str, str], ...]:
    """(path, SHA-256 of the bytes) of every data file: any edit invalidates the cache.

    The content, not size and modification time: an edit that keeps the size
    and restores the old mtime (a copy with ``cp -p``, a sync tool, a hand
    ``touch -d``) must not serve the old data. The files are small (under
    1 MB together), so hashing them on every run costs about a millisecond.
    """
    files = validate.repository_files()
    return tuple(
        (str(p), hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing")
        for p in files.values()
    )


_LOADED_WITH: dict[int, tuple[tuple[tuple[str, str], ...], catalog.Catalog]] = {}
"""id of the last catalogs :func:`_cached_catalog` made -> (the signature it was made
for, the catalog: held, so that its id is not given to another object meanwhile)."""


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_catalog(signature: tuple[tuple[str, str], ...]) -> catalog.Catalog:
    """One catalog object per data version, shared by every session and rerun.

    ``cache_resource``, not ``cache_data``: ``cache_data`` hands out an
    unpickled copy on every call, about 12 ms of each ~80 ms rerun. Sharing
    is safe because nothing writes to a loaded catalog (its frames are built
    once in :func:`circlemap.catalog.load_catalog`) and pandas' copy-on-write
    (the default since pandas 3) keeps every frame derived from it, a
    filtered selection, say, from writing back.
    """
    loaded = catalog.load_catalog()
    _LOADED_WITH[id(loaded)] = (signature, loaded)
    while len(_LOADED_WITH) > 4:  # as many as the cache holds
        del _LOADED_WITH[next(iter(_LOADED_WITH))]
    return loaded


def load_catalog() -> catalog.Catalog:
    """The validated catalog (cached; raises ``DataValidationError``, never cached)."""
    return _cached_catalog(data_signature())


def catalog_signature(cat: catalog.Catalog) -> tuple[tuple[str, str], ...]:
    """The :func:`data_signature` ``cat`` was loaded with: the key of what is cached
    from it (base layers, feature table, search index).

    Not :func:`data_signature` anew: a data file edited after the run loaded
    its catalog would otherwise file what the old catalog gives under the new
    data's key, and every later run would be served the old content. A
    catalog not loaded by :func:`load_catalog` gets the current signature.
    """
    entry = _LOADED_WITH.get(id(cat))
    return entry[0] if entry is not None and entry[1] is cat else data_signature()


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_base_layers(
    signature: tuple[tuple[str, str], ...],
    lang: str,
    basemap: str,
    _catalog: catalog.Catalog,
) -> webmap.BaseLayers:
    """The base map's packed layers per (data version, language, basemap), made once.

    The folium map itself is rebuilt every run (``st_folium`` changes it);
    packing its layers is most of that work and depends only on these keys.
    Shared, not copied (``cache_resource``): :class:`~circlemap.webmap.BaseLayers`
    is frozen and holds only strings, numbers and tuples. Published as a
    static file (:func:`circlemap.webmap.publish_base_layers`), so the map
    script every rerun re-sends carries its URL, not its data.
    """
    del signature  # the cache key, with lang and basemap (_catalog is not hashed)
    return webmap.publish_base_layers(webmap.base_layers(_catalog, lang=lang, basemap=basemap))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_feature_table(
    signature: tuple[tuple[str, str], ...],
    lang: str,
    basemap: str,
    _catalog: catalog.Catalog,
) -> webmap.FeatureTable:
    """Every feature serialised for the web map per (data version, language, basemap),
    made once: a filter change joins the shown ones (:func:`webmap.feature_table`).

    Shared, not copied (``cache_resource``): the table is frozen and nothing
    writes to its records. Published as a static file
    (:func:`circlemap.webmap.publish_feature_table`): the map's feature layer is
    rows into it, and the browser fetches it once.
    """
    del signature  # the cache key, with lang and basemap (_catalog is not hashed)
    return webmap.publish_feature_table(webmap.feature_table(_catalog, lang=lang, basemap=basemap))


def _secret(name: str) -> str | None:
    """``name`` from the environment or ``st.secrets`` (``None`` when unset)."""
    key = os.environ.get(name)
    if key:
        return key
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all: the common, key-less case
        return None
    return str(value) if value else None


def tianditu_key() -> str | None:
    """Tianditu key from the environment or ``st.secrets`` (``None`` when unset)."""
    return _secret(settings.TIANDITU_KEY_ENV)


def basemap_key(basemap: str) -> str | None:
    """The key the basemap ``basemap`` needs (Tianditu, CARTO), from env or secrets."""
    env = basemaps.KEY_ENVS.get(basemap)
    return _secret(env) if env else None


def offered_basemaps() -> list[str]:
    return basemaps.available_basemaps(
        tianditu_key(), keys={b: basemap_key(b) for b in basemaps.KEY_ENVS}
    )
