"""The base map's layers, and the feature table, as static, content-hashed files the
browser fetches once.

Every rerun re-sends the whole map script to the browser; inlined, the
packed base layers and labels are most of it (about 200 kB) and never
change between filter changes. :func:`publish_base_layers` writes them as
``static/gen/base-<hash>.json`` (served by Streamlit's static serving) and
returns the :class:`~circlemap.webmap.BaseLayers` with that file's URL, so
that :func:`~circlemap.webmap.build_base_map` draws layers that fetch it:
the map script shrinks to the map's set-up and a filter change sends only
what changed. The name is the SHA-256 of the content: an edit of the data
makes a new file (no stale copy served from a cache), equal content the
same file (replicas sharing one checkout write the same bytes).

:func:`publish_feature_table` does the same for every feature's fixed part
(names, kind, geometry): a filter change then sends rows into that file.
:func:`publish_scripts` makes the scripts a map loads before it starts one file.

The offline HTML export does not use this: it has no server and keeps its
data inline.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Final

import folium
from folium.elements import JSCSSMixin

from circlemap import assets, settings
from circlemap.webmap.base_map import BaseLayers
from circlemap.webmap.elements import label_items
from circlemap.webmap.feature_table import FeatureTable

GEN_DIR: Final = "gen"
"""Folder under :data:`circlemap.settings.STATIC_DIR` that holds published files."""

_log = logging.getLogger(__name__)


def base_document(layers: BaseLayers) -> bytes:
    """The file's content: ``{"layers": [collection, ...], "labels": [...], "legend": html}``.

    ``layers`` are the packed collections in drawing order (as
    :class:`~circlemap.webmap.elements.VectorLayer` inlines them); ``labels``
    are ``[lat, lon, text, css class]`` with the text HTML-escaped, as
    :class:`~circlemap.webmap.elements.LabelLayer` inlines them; ``legend`` is
    the legend's HTML (built escaped by :func:`~circlemap.webmap.legend.legend_html`).
    """
    labels = label_items(layers.labels)
    body = ",".join(layer.packed for layer in layers.layers)
    text = (
        '{"layers":['
        + body
        + '],"labels":'
        + json.dumps(labels, ensure_ascii=False)
        + ',"legend":'
        + json.dumps(layers.legend, ensure_ascii=False)
        + "}"
    )
    return text.encode("utf-8")


def publish_base_layers(layers: BaseLayers, directory: Path | None = None) -> BaseLayers:
    """Write ``layers`` as a content-hashed JSON file; the same layers with its URL.

    Parameters
    ----------
    layers : BaseLayers
        As :func:`~circlemap.webmap.base_layers` made them (``url`` unset).
    directory : Path, optional
        Where to write; ``static/gen`` of the app (served at
        ``/app/static/gen/``) when omitted.

    Returns
    -------
    BaseLayers
        With ``url`` set; ``layers`` unchanged (inline drawing) when the
        folder cannot be written, e.g. a read-only install: the map still
        works, it only sends more per rerun (logged as a warning).
    """
    url = publish(base_document(layers), "base", directory, what="base layers")
    return layers if url is None else dataclasses.replace(layers, url=url)


def publish_feature_table(table: FeatureTable, directory: Path | None = None) -> FeatureTable:
    """Write ``table``'s :attr:`~circlemap.webmap.FeatureTable.document` as a
    content-hashed JSON file; the same table with its URL.

    The feature layer of each rerun is then rows into that file
    (:func:`~circlemap.webmap.feature_table.pack_rows`): the browser fetches
    it once per map and keeps it. ``directory`` and a folder that cannot be
    written: as :func:`publish_base_layers` (``table`` unchanged, drawn inline).
    """
    url = publish(table.document, "features", directory, what="features")
    return table if url is None else dataclasses.replace(table, url=url)


SCRIPTS_NAME: Final = "circlemap_scripts"
"""folium asset name of the published scripts (:func:`publish_scripts`)."""

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def scripts_document(rels: tuple[str, ...]) -> bytes:
    """The files ``rels`` (paths under ``static/``) as one script, in that order.

    A comment first names the parts; each part keeps its own header (Leaflet's
    licence banner among them; every vendored package's licence file stays
    beside it under ``static/vendor``). A part's source-map comment is dropped:
    it names a file beside the part, not beside the bundle.
    """
    head = "/* circlemap: these files, one after another: " + ", ".join(rels) + " */\n"
    parts = [
        f"/* --- {rel} --- */\n"
        + _SOURCE_MAP.sub("", assets.static_path(rel).read_text(encoding="utf-8")).rstrip()
        + "\n;\n"
        for rel in rels
    ]
    return (head + "".join(parts)).encode("utf-8")


@functools.lru_cache(maxsize=8)
def _scripts_document(rels: tuple[str, ...], stamps: tuple[tuple[int, int], ...]) -> bytes:
    del stamps  # part of the cache key: a file that changed is read again
    return scripts_document(rels)


def publish_scripts(root: folium.Map, directory: Path | None = None) -> folium.Map:
    """Load the scripts of map ``root`` as one content-hashed file; ``root``, rewritten.

    streamlit-folium loads a map's scripts one after another, each once the
    one before has run: Leaflet, Leaflet.PolylineOffset and ``circlemap.js``
    were three round trips to the server before the map could start. This
    writes them, in the order folium would load them, as
    ``static/gen/scripts-<hash>.js`` (:func:`scripts_document`), which the map
    then loads alone. Style sheets are left as they are (they load at once,
    side by side). The parts are read again only when one changes (size or
    time); the file is written again when it is missing or truncated.

    Parameters
    ----------
    root : folium.Map
        A map after :func:`circlemap.assets.localize_assets`: every script it
        asks for is served by the app.
    directory : Path, optional
        As :func:`publish_base_layers`.

    Returns
    -------
    folium.Map
        ``root``, whose elements ask for the one file instead; unchanged when
        the folder cannot be written (a warning each time).

    Raises
    ------
    circlemap.errors.AssetError
        If a script is not served by the app.
    """
    elements = [e for e in assets.walk(root) if isinstance(e, JSCSSMixin) and e.default_js]
    urls = dict.fromkeys(url for e in elements for _name, url in e.default_js)
    rels = tuple(assets.static_rel(url) for url in urls)
    if not rels:
        return root
    stamps = tuple(
        (st.st_size, st.st_mtime_ns) for st in (assets.static_path(rel).stat() for rel in rels)
    )
    data = _scripts_document(rels, stamps)
    url = publish(data, "scripts", directory, what="scripts", suffix="js")
    if url is None:
        return root
    for element in elements:
        element.default_js = []  # instance attribute: the class's list stays as folium has it
    elements[0].default_js = [(SCRIPTS_NAME, url)]
    return root


def publish(
    data: bytes,
    prefix: str,
    directory: Path | None = None,
    *,
    what: str,
    suffix: str = "json",
) -> str | None:
    """Write ``data`` as ``<prefix>-<hash>.<suffix>`` (once: equal content, equal file);
    its URL, or ``None`` when the folder cannot be written (a warning names ``what``
    and the file)."""
    folder = directory if directory is not None else settings.STATIC_DIR / GEN_DIR
    name = f"{prefix}-{hashlib.sha256(data).hexdigest()[:20]}.{suffix}"
    path = folder / name
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            folder.mkdir(parents=True, exist_ok=True)
            # Atomic: a reader (another replica, the browser) never sees half a file.
            fd, name_tmp = tempfile.mkstemp(dir=folder, prefix=f".{prefix}-", suffix=".tmp")
            tmp = Path(name_tmp)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                tmp.chmod(0o644)
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)  # gone already once replaced
    except OSError as err:
        _log.warning("%s drawn inline: cannot write %s (%s)", what, path, err)
        return None
    return assets.static_url(f"{GEN_DIR}/{name}")
