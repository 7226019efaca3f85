"""The app at 1×, 10× and 100× the features: payload, server rerun, PNG export.

Each scale is a data root written by :mod:`benchmarks.synthetic` into a
temporary folder. The in-process figures (AppTest, export) point
:mod:`circlemap.settings` at it for their duration (:func:`data_root`); the
browser figures start the app on it with ``CIRCLEMAP_DATA_ROOT``
beside the plain version on the same data (:func:`benchmarks.compare.measure_at`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks import payload
from circlemap import export, settings, webmap
from circlemap.catalog import Catalog, load_catalog
from circlemap.export import print_symbols
from circlemap.filters import Selection
from circlemap.webmap import published


@contextlib.contextmanager
def data_root(root: Path) -> Iterator[Catalog]:
    """Point ``settings.GEODATA_DIR``/``DATA_DIR`` at ``root`` meanwhile; yields its catalog."""
    saved = settings.GEODATA_DIR, settings.DATA_DIR
    settings.GEODATA_DIR, settings.DATA_DIR = root / "geodata", root / "data"
    try:
        yield load_catalog()
    finally:
        settings.GEODATA_DIR, settings.DATA_DIR = saved


def overview_payload_bytes() -> int:
    """Bytes the overview's map sends in the default view (AppTest, current data root)."""
    pages = {"overview": payload.MAP_PAGES["overview"]}
    return payload.payload_bytes(payload.app_page_payloads(pages)["overview"])


def published_bytes(cat: Catalog, lang: str = "zh", basemap: str = "none") -> int:
    """Bytes of the static files a map fetches once per session (not per rerun):
    the base layers' and the feature table's (:mod:`circlemap.webmap.published`)."""
    base = published.base_document(webmap.base_layers(cat, lang=lang, basemap=basemap))
    table = webmap.feature_table(cat, lang=lang, basemap=basemap)
    return len(base) + len(table.document)


def png_exports(cat: Catalog, *, runs: int, warmup: int = 1) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each PNG export of the whole circle (zh), after one
    uncounted export. The CPU time (``time.process_time``) is the figure to trust on a
    machine whose cores are shared: the wall clock also counts waiting for a core."""
    whole = Selection()
    for _ in range(warmup):
        export.export(cat, whole, lang="zh", fmt="png")
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        export.export(cat, whole, lang="zh", fmt="png")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


@contextlib.contextmanager
def one_call_per_feature() -> Iterator[None]:
    """Meanwhile the print map draws its symbols one feature at a time, as it did
    before :func:`circlemap.export.print_symbols.draw_symbols` batched them by style:
    the baseline of the PNG export, measured in the same run."""
    batched = print_symbols.draw_symbols

    def per_feature(ax: Any, features: Any, feature: str | None = None, **kwargs: Any) -> None:
        for i in range(len(features)):
            batched(ax, features.iloc[i : i + 1], feature, **kwargs)

    with mock.patch.object(print_symbols, "draw_symbols", per_feature):
        yield
