"""The base map's layers as one static, content-hashed file the browser fetches once.

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
    folder = directory if directory is not None else settings.STATIC_DIR / GEN_DIR
    data = base_document(layers)
    name = f"base-{hashlib.sha256(data).hexdigest()[:20]}.json"
    path = folder / name
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            folder.mkdir(parents=True, exist_ok=True)
            # Atomic: a reader (another replica, the browser) never sees half a file.
            fd, name_tmp = tempfile.mkstemp(dir=folder, prefix=".base-", suffix=".tmp")
            tmp = Path(name_tmp)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                tmp.chmod(0o644)
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)  # gone already once replaced
    except OSError as err:
        _log.warning("base layers drawn inline: cannot write %s (%s)", path, err)
        return layers
    return dataclasses.replace(layers, url=assets.static_url(f"{GEN_DIR}/{name}"))
