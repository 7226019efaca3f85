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

The offline HTML export does not use this: it has no server and keeps its
data inline.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Final

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


def publish(data: bytes, prefix: str, directory: Path | None = None, *, what: str) -> str | None:
    """Write ``data`` as ``<prefix>-<hash>.json`` (once: equal content, equal file);
    its URL, or ``None`` when the folder cannot be written (a warning names ``what``
    and the file)."""
    folder = directory if directory is not None else settings.STATIC_DIR / GEN_DIR
    name = f"{prefix}-{hashlib.sha256(data).hexdigest()[:20]}.json"
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
