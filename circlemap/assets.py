"""Browser assets served by the app itself: no CDN, the map works offline.

Leaflet comes from the PyPI package ``django-js-lib-leaflet`` (plain static
files; Django is not needed at run time). :func:`ensure_vendor_assets` copies
them into ``static/vendor/`` (served by Streamlit at ``/app/static/vendor/``);
:func:`localize_assets` rewrites every folium element's ``default_js`` and
``default_css`` to those local URLs, which is all streamlit-folium loads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Final

import folium
from branca.element import Element

from circlemap import settings
from circlemap.errors import AssetError

VENDOR_FILES: Final[dict[str, tuple[str, str]]] = {
    "leaflet/leaflet.js": ("js_lib_leaflet", "static/js_lib_leaflet/leaflet.js"),
    "leaflet/leaflet.css": ("js_lib_leaflet", "static/js_lib_leaflet/leaflet.css"),
    "leaflet/images/layers.png": ("js_lib_leaflet", "static/js_lib_leaflet/images/layers.png"),
    "leaflet/images/layers-2x.png": (
        "js_lib_leaflet",
        "static/js_lib_leaflet/images/layers-2x.png",
    ),
    "leaflet/images/marker-icon.png": (
        "js_lib_leaflet",
        "static/js_lib_leaflet/images/marker-icon.png",
    ),
    "leaflet/images/marker-icon-2x.png": (
        "js_lib_leaflet",
        "static/js_lib_leaflet/images/marker-icon-2x.png",
    ),
    "leaflet/images/marker-shadow.png": (
        "js_lib_leaflet",
        "static/js_lib_leaflet/images/marker-shadow.png",
    ),
}
"""Path under :data:`settings.VENDOR_DIR` -> (package, path inside the package)."""

NPM_ASSETS: Final[dict[str, tuple[str, str, str]]] = {
    "npm/leaflet-polylineoffset/leaflet.polylineoffset.js": (
        "leaflet-polylineoffset@1.1.1",
        "MIT",
        "d7b750e37114113c3fd1df7b6f75eb4ff17c83275bfbe378405ffda1ec44c433",
    ),
}
"""Leaflet plugins from the npm registry, committed under :data:`settings.STATIC_DIR`
(path -> (package@version, licence, SHA-256 of the file)); each folder holds the
package's LICENSE. Fetched with ``npm pack <package@version>`` (tarball integrity in
``static/npm/README.md``); nothing is loaded from a CDN."""

LOCAL_JS: Final[dict[str, str]] = {"leaflet": "vendor/leaflet/leaflet.js"}
"""folium asset name -> path under :data:`settings.STATIC_DIR`."""

LOCAL_CSS: Final[dict[str, str]] = {"leaflet_css": "vendor/leaflet/leaflet.css"}

UNUSED_ASSETS: Final[frozenset[str]] = frozenset(
    {
        # folium.Map pulls these for Icon markers and Bootstrap popups; the app
        # draws vector symbols only, so they are dropped rather than served.
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


def ensure_vendor_assets(vendor_dir: Path | None = None) -> Path:
    """Copy the third-party assets out of their packages, once.

    Parameters
    ----------
    vendor_dir : Path, optional
        Target folder; :data:`settings.VENDOR_DIR` when omitted.

    Returns
    -------
    Path
        The folder holding the copied files.
    """
    target = vendor_dir or settings.VENDOR_DIR
    for rel, (package, inner) in VENDOR_FILES.items():
        source = resources.files(package).joinpath(inner)
        dest = target / rel
        data = source.read_bytes()
        if dest.is_file() and dest.stat().st_size == len(data):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        tmp.write_bytes(data)
        shutil.move(tmp, dest)
    return target


def static_url(rel: str) -> str:
    """URL at which the app serves ``static/<rel>``."""
    return f"{settings.STATIC_URL}/{rel}"


def static_path(rel: str) -> Path:
    """File behind :func:`static_url` (for inlining into standalone HTML)."""
    return settings.STATIC_DIR / rel


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize_assets(
    root: folium.Map | Element,
    *,
    extra_js: dict[str, str] | None = None,
    extra_css: dict[str, str] | None = None,
) -> None:
    """Point every element's JS/CSS at files the app serves; drop unused ones.

    Parameters
    ----------
    root : folium.Map or branca Element
        The map (or feature group) whose element tree is rewritten in place.
    extra_js, extra_css : dict, optional
        Further ``asset name -> path under static/`` pairs (plugins).

    Raises
    ------
    AssetError
        If an element asks for a remote asset with no local copy.
    """
    js = {**LOCAL_JS, **(extra_js or {})}
    css = {**LOCAL_CSS, **(extra_css or {})}
    for element in _walk(root):
        for attr, local in (("default_js", js), ("default_css", css)):
            assets = getattr(element, attr, None)
            if not assets:
                continue
            rewritten = []
            for name, url in assets:
                if name in UNUSED_ASSETS:
                    continue
                if name in local:
                    rewritten.append((name, static_url(local[name])))
                elif url.startswith(settings.STATIC_URL):
                    rewritten.append((name, url))
                else:
                    msg = (
                        f"{type(element).__name__} needs {name!r} from {url}; "
                        "serve a local copy (circlemap.assets) instead of a remote URL"
                    )
                    raise AssetError(msg)
            # Instance attribute: never mutate the class-level list folium shares.
            setattr(element, attr, rewritten)
