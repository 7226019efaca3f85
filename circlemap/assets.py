"""Browser assets served by the app itself: no CDN, the map works offline.

Leaflet comes from the PyPI package ``django-js-lib-leaflet`` (plain static
files; Django is not needed at run time). Two Leaflet plugins come from the
npm registry, pinned in :data:`NPM_PACKAGES` and committed, built files and
licence only, under ``third_party/npm/`` by ``scripts/vendor_npm.py`` (so
the app never runs npm). :func:`ensure_vendor_assets` copies both
into ``static/vendor/`` (served by Streamlit at ``/app/static/vendor/``, each
package with its licence file);
:func:`localize_assets` rewrites every folium element's ``default_js`` and
``default_css`` to those local URLs, which is all streamlit-folium loads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class NpmPackage:
    """A browser package from the npm registry, vendored with its licence.

    Attributes
    ----------
    name, version : str
        Exactly as on the registry (``npm pack name@version``).
    integrity : str
        The registry's ``dist.integrity`` of that tarball (sha512, checked
        by ``scripts/vendor_npm.py``).
    licence : str
        Path of the licence file inside the package.
    spdx : str
        Its SPDX identifier.
    files : tuple of str
        Paths inside the package the app serves.
    """

    name: str
    version: str
    integrity: str
    licence: str
    spdx: str
    files: tuple[str, ...]


NPM_DIR: Final = settings.ROOT / "third_party" / "npm"
"""Committed copies of :data:`NPM_PACKAGES` (one folder per package)."""

NPM_PACKAGES: Final[tuple[NpmPackage, ...]] = (
    NpmPackage(
        name="leaflet.polylinemeasure",
        version="3.0.0",
        integrity="sha512-PTTHz7NBJiWmNFetH8hb3leQNM15qoM9Xe7VDKh1Hyat/M+USqFYeoa0A0LAecsqsjUqA63Rzux4SivoyrSFkA==",
        licence="LICENSE.txt",
        spdx="BSD-2-Clause",
        files=("Leaflet.PolylineMeasure.js", "Leaflet.PolylineMeasure.css"),
    ),
    NpmPackage(
        name="leaflet-minimap",
        version="3.6.1",
        integrity="sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA==",
        licence="LICENSE.txt",
        spdx="BSD-2-Clause",
        files=(
            "dist/Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css",
            "dist/images/toggle.png",
            "dist/images/toggle.svg",
        ),
    ),
    NpmPackage(
        name="leaflet-polylineoffset",
        version="1.1.1",
        integrity="sha512-WcEjAROx9IhIVwSMoFy9p2QBCG9YeuGtJl4ZdunIgj4xbCdTrUkBj8JdonUeCyLPnD2/Vrem/raOPHm5LvebSw==",
        licence="LICENSE",
        spdx="MIT",
        files=("leaflet.polylineoffset.js",),
    ),
)
"""Leaflet plugins: distance measuring (great-circle, km), the overview minimap, and
lines on one alignment drawn side by side (``offset`` style option)."""

LOCAL_JS: Final[dict[str, str]] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "polylinemeasure": "vendor/leaflet.polylinemeasure/Leaflet.PolylineMeasure.js",
    "minimap": "vendor/leaflet-minimap/dist/Control.MiniMap.min.js",
}
"""folium asset name -> path under :data:`settings.STATIC_DIR`."""

LOCAL_CSS: Final[dict[str, str]] = {
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "polylinemeasure_css": "vendor/leaflet.polylinemeasure/Leaflet.PolylineMeasure.css",
    "minimap_css": "vendor/leaflet-minimap/dist/Control.MiniMap.min.css",
}

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


def _npm_files() -> dict[str, Path]:
    """Path under the vendor folder -> committed file, for every npm package."""
    out: dict[str, Path] = {}
    for pkg in NPM_PACKAGES:
        for inner in (*pkg.files, pkg.licence, "package.json"):
            out[f"{pkg.name}/{inner}"] = NPM_DIR / pkg.name / inner
    return out


def _copy(data: bytes, dest: Path) -> None:
    if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".tmp")
    tmp.write_bytes(data)
    shutil.move(tmp, dest)


def ensure_vendor_assets(vendor_dir: Path | None = None) -> Path:
    """Copy the third-party assets out of their packages, once.

    Leaflet from its PyPI package, the npm plugins (each with its licence
    file and ``package.json``) from ``third_party/npm/``.

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
        _copy(resources.files(package).joinpath(inner).read_bytes(), target / rel)
    for rel, source in _npm_files().items():
        if not source.is_file():
            msg = f"{source} is missing: run scripts/vendor_npm.py to fetch the npm plugins"
            raise AssetError(msg)
        _copy(source.read_bytes(), target / rel)
    return target


def static_url(rel: str) -> str:
    """URL at which the app serves ``static/<rel>``."""
    return f"{settings.STATIC_URL}/{rel}"


def static_rel(url: str) -> str:
    """The path under ``static/`` that :func:`static_url` serves at ``url``.

    Raises
    ------
    AssetError
        If ``url`` is not one the app serves.
    """
    prefix = settings.STATIC_URL + "/"
    if not url.startswith(prefix):
        msg = f"{url!r} is not served by the app (only assets under {prefix})"
        raise AssetError(msg)
    return url[len(prefix) :]


def static_path(rel: str) -> Path:
    """File behind :func:`static_url` (for inlining into standalone HTML)."""
    return settings.STATIC_DIR / rel


def walk(element: Element) -> Iterator[Element]:
    """``element`` and its descendants, in the order folium renders their assets."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk(child)


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
    for element in walk(root):
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
