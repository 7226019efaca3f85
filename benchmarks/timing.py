"""Server-side timings: a rerun after a filter change, the page-build work, the exports.

Every figure is wall-clock seconds (``time.perf_counter``), the median of
several runs after warm-up runs that are not counted.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final
from unittest import mock

from benchmarks.payload import component_args
from circlemap import catalog, export, settings, ui, views, webmap
from circlemap.filters import Selection

CITY_CYCLE: Final[tuple[tuple[str, ...], ...]] = (("淄博",), (), ("德州",), ("济南", "泰安"))
"""City selections a filter-change benchmark steps through (each run is a change)."""


def timed(
    fn: Callable[[], Any],
    *,
    runs: int,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Seconds each of ``runs`` calls of ``fn`` took, after ``warmup`` uncounted calls.

    ``clock`` is the wall clock by default; ``time.process_time`` gives the CPU
    seconds of this process (all its threads), which waiting for a core does not
    count."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = clock()
        fn()
        out.append(clock() - start)
    return out


def selections() -> Iterator[Selection]:
    """An endless cycle of city filters, each different from the one before."""
    while True:
        for cities in CITY_CYCLE:
            yield Selection(cities=cities)


@contextlib.contextmanager
def server_script_cache() -> Iterator[None]:
    """Let AppTest keep each script's compiled code across runs, as a server does.

    A ``streamlit run`` session compiles ``app.py`` and each page once (its
    ``ScriptCache`` lives as long as the session) and reruns the cached code.
    AppTest makes a new ``ScriptCache`` for every run, so without this each
    timed rerun would also re-read, re-parse (Streamlit's "magic" rewriting
    walks the syntax tree) and re-compile both scripts: about 12 ms of CPU
    that the server never spends. Inside this context every ``ScriptCache`` shares one
    store of compiled code."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    compiled: dict[str, Any] = {}
    original = ScriptCache.get_bytecode

    def get_bytecode(self: ScriptCache, script_path: str) -> Any:
        if script_path not in compiled:
            compiled[script_path] = original(self, script_path)
        return compiled[script_path]

    with mock.patch.object(ScriptCache, "get_bytecode", get_bytecode):
        yield


# --- a rerun of the app -------------------------------------------------------------------


@contextlib.contextmanager
def overview_filter_changes(*, timeout: float = 120) -> Iterator[Callable[[], None]]:
    """An AppTest session of the overview, with each script compiled once
    (:func:`server_script_cache`); yields a function that changes the city filter
    to the next of :func:`selections` and reruns.

    Raises
    ------
    RuntimeError
        From the yielded function, if its rerun raised.
    """
    from streamlit.testing.v1 import AppTest

    with server_script_cache():
        at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=timeout).run()
        cycle = selections()

        def change() -> None:
            cities = list(next(cycle).cities)
            at.sidebar.multiselect(key=ui.KEY_CITIES).set_value(cities).run()
            if at.exception:
                msg = f"the rerun with cities={cities} raised: {at.exception[0].message}"
                raise RuntimeError(msg)

        yield change


def apptest_filter_reruns(
    *, runs: int, warmup: int = 2, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Seconds of an AppTest rerun of the overview after each city-filter change.

    The whole server-side run: ``app.py`` (sidebar, navigation), the overview
    page (counters, map serialised by ``st_folium``, panels), as Streamlit's
    AppTest runs it in-process, with each script compiled once
    (:func:`overview_filter_changes`), as the server runs it.

    Raises
    ------
    RuntimeError
        If a run raised.
    """
    with overview_filter_changes() as change:
        return timed(change, runs=runs, warmup=warmup, clock=clock)


# --- the page-build work ------------------------------------------------------------------


def build_overview_map(cat: catalog.Catalog, selection: Selection) -> dict[str, Any]:
    """What the overview does for its map: base map, feature layer, ``st_folium``
    serialisation (the component arguments it would send)."""
    base = webmap.build_base_map(cat, lang="zh", basemap="none")
    features = views.map_view_features(cat, selection, "overview")
    layer = webmap.build_feature_layer(cat, features, lang="zh", basemap="none")
    return component_args(
        base,
        key="map_overview",
        height=ui.MAP_HEIGHT,
        use_container_width=True,
        center=settings.DEFAULT_CENTER,
        zoom=settings.DEFAULT_ZOOM,
        feature_group_to_add=layer,
        returned_objects=webmap.RETURNED_OBJECTS,
    )


def page_builds(load: Callable[[], catalog.Catalog], *, runs: int, warmup: int = 1) -> list[float]:
    """Seconds of load catalog + build the overview map, one filter change per run."""
    cycle = selections()
    return timed(lambda: build_overview_map(load(), next(cycle)), runs=runs, warmup=warmup)


def warm_page_builds(*, runs: int) -> list[float]:
    """The app's way: the catalog from ``ui.load_catalog`` (``st.cache_data``; in
    bare mode an in-memory cache that still returns a copy per call)."""
    return page_builds(ui.load_catalog, runs=runs)


def naive_page_builds(*, runs: int) -> list[float]:
    """Nothing cached: the catalog re-read and validated from disk every time."""
    return page_builds(catalog.load_catalog, runs=runs, warmup=0)


# --- exports ------------------------------------------------------------------------------


def export_times(
    cat: catalog.Catalog, formats: Sequence[str], *, runs: int
) -> dict[str, list[float]]:
    """Seconds of ``export.export`` of the whole circle (zh) per format.

    The first export of the process pays for matplotlib's font set-up; one
    uncounted PNG export comes first so no format carries it.
    """
    whole = Selection()
    export.export(cat, whole, lang="zh", fmt="png")
    return {
        fmt: timed(
            functools.partial(export.export, cat, whole, lang="zh", fmt=fmt), runs=runs, warmup=0
        )
        for fmt in formats
    }
