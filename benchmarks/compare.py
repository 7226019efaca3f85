"""The app beside its peers in one browser, and the app at 1×, 10×, 100× the features.

Peers (:mod:`benchmarks.peers`): the *floor*, an empty ``st_folium`` map in a
minimal Streamlit script, and the *plain* version, the same geodata drawn
the way a competent user writes it by hand (``folium.GeoJson`` layers and
``feature_group_to_add``). Each runs under ``streamlit run`` from a
temporary folder holding the script and a link to the app's ``static/``,
so Leaflet is served locally by every server; every request to another
host is blocked (and counted).

Each browser session is a fresh Chromium context (no cache, no cookies).
The sessions of the three servers are interleaved (round ``r`` visits them
in an order rotated by ``r``), and the first session of each server is a
warm-up that is not counted. Figures, each the median over sessions:

- navigation -> first vector drawn: from the page's ``timeOrigin`` to the
  first SVG ``path`` in the map iframe's Leaflet panes;
- filter change -> map redrawn: from the click on a city in the sidebar's
  city multiselect to the map drawing exactly the expected feature ids;
- bytes over the WebSocket per filter change: payload bytes of the frames
  the browser receives from the click until the socket has been quiet for
  :data:`QUIET_S` (Playwright's ``framereceived`` events);
- JS heap after GC: ``Runtime.getHeapUsage`` after
  ``HeapProfiler.collectGarbage`` (Chrome DevTools Protocol) once the map
  is drawn; the component's iframe is same-origin, so it shares the page's
  V8 isolate and is counted;
- zoom step: one ``setZoom`` by ±1 without animation until two animation
  frames later (the redraw and the paint), inside the iframe;
- raster per zoom step: the same steps again under a Chromium trace, the
  time of its raster events (:data:`RASTER_EVENT`) divided by the steps.
  Without a GPU, Chromium draws the SVG strokes into tiles on a worker
  thread, and a step's frame waits for those tiles: this figure says how
  much of a step is that drawing, which any page drawing the same features
  pays, rather than script, style or layout.

Times come from the browser's own clocks (``performance.timeOrigin +
performance.now()``, epoch milliseconds shared by the page and its iframe),
taken by a MutationObserver, so polling delay is never counted.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlparse

from benchmarks.browser import BrowserBenchmarkError, choose_city
from circlemap import settings
from devtools.devserver import CHROMIUM, CHROMIUM_ARGS, streamlit_server

PEERS_DIR: Final = Path(__file__).resolve().parent / "peers"
PEER_SCRIPTS: Final[dict[str, Path]] = {
    "floor": PEERS_DIR / "floor_app.py",
    "plain": PEERS_DIR / "plain_app.py",
}
"""Peer name -> its Streamlit script (``app`` is the app's own ``app.py``)."""

VIEWPORT: Final = {"width": 1400, "height": 900}
MAP_IFRAME: Final = "iframe[title*=streamlit_folium]"
TIMEOUT_MS: Final = 120_000
QUIET_S: Final = 0.6
"""The WebSocket counts as done with a rerun after this long without a frame."""
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost"})

WATCH_JS: Final = """
((content) => {
  // In the map iframe: when the first vector path is drawn, and when each
  // set of content feature ids is first drawn. Chromium runs init scripts in
  // an iframe's first about:blank document, whose window the component's page
  // then reuses: so wait for that page's DOMContentLoaded.
  const wanted = new Set(content);
  const now = () => performance.timeOrigin + performance.now();
  const ids = () => {
    const out = new Set();
    if (!window.map) return "";
    for (const key in window.map._layers) {
      const props = (window.map._layers[key].feature || {}).properties;
      if (props && wanted.has(props.id)) out.add(props.id);
    }
    return JSON.stringify([...out].sort());
  };
  const watch = () => {
    if (!/streamlit_folium/.test(location.href) || window.__cm) return;
    window.__cm = {firstPath: null, idsAt: {}};
    const seen = () => {
      const cm = window.__cm;
      if (cm.firstPath === null && document.querySelector(".leaflet-pane path")) {
        cm.firstPath = now();
      }
      const current = ids();
      if (current && !(current in cm.idsAt)) cm.idsAt[current] = now();
    };
    new MutationObserver(seen).observe(document, {childList: true, subtree: true});
    seen();
  };
  window.addEventListener("DOMContentLoaded", watch);
  watch();
})(%s);
"""

CLICK_JS: Final = """
() => {
  window.__cmClicks = [];
  document.addEventListener("click", (e) => {
    window.__cmClicks.push(performance.timeOrigin + e.timeStamp);
  }, true);
}
"""

ZOOM_JS: Final = """
async (steps) => {
  const map = window.map, out = [];
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    map.setZoom(map.getZoom() + (i % 2 ? -1 : 1), {animate: false});
    await frame(); await frame();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}
"""


TRACE_CATEGORIES: Final = "cc,disabled-by-default-devtools.timeline"
RASTER_EVENT: Final = "DisplayItemList::Raster"
"""The trace event of drawing recorded paint into tiles (the raster workers)."""


def raster_seconds(events: Sequence[Mapping[str, Any]]) -> float:
    """Seconds of raster work (:data:`RASTER_EVENT` complete events) in a Chromium trace."""
    return (
        sum(float(e["dur"]) for e in events if e.get("name") == RASTER_EVENT and "dur" in e) / 1e6
    )


def ids_key(ids: Sequence[str]) -> str:
    """The key :data:`WATCH_JS` files a set of ids under (sorted JSON list, no spaces)."""
    return json.dumps(sorted(ids), separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Target:
    """One server the browser visits.

    Attributes
    ----------
    name : str
        ``app``, ``floor`` or ``plain``.
    url : str
        Its base URL.
    content_ids : tuple of str
        Ids of every content feature it may draw (empty for the floor).
    first_ids : tuple of str
        The ids drawn on load (all features).
    changes : tuple of (str, tuple of str)
        (city, ids then drawn), one per filter change, taken in turn.
    """

    name: str
    url: str
    content_ids: tuple[str, ...] = ()
    first_ids: tuple[str, ...] = ()
    changes: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class Figures:
    """What the sessions of one target measured (seconds, bytes)."""

    loads_s: list[float] = field(default_factory=list)
    changes_s: list[float] = field(default_factory=list)
    ws_bytes: list[int] = field(default_factory=list)
    heap_bytes: list[int] = field(default_factory=list)
    zoom_s: list[float] = field(default_factory=list)
    raster_s: list[float] = field(default_factory=list)
    blocked: int = 0


# --- servers ------------------------------------------------------------------------------


@contextlib.contextmanager
def peer_server(name: str, *, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A peer (or the app, ``name="app"``) under ``streamlit run``; yields its URL.

    A peer's script is copied into a temporary folder beside a link to the
    app's ``static/`` (Streamlit serves the ``static`` folder next to the main
    script), and run from the repository root so the app's
    ``.streamlit/config.toml`` applies to it too.
    """
    if name == "app":
        with streamlit_server(watch_files=False, env=env) as (url, _proc):
            yield url
        return
    folder = Path(tempfile.mkdtemp(prefix=f"circlemap-{name}-"))
    try:
        script = folder / PEER_SCRIPTS[name].name
        shutil.copyfile(PEER_SCRIPTS[name], script)
        (folder / "static").symlink_to(settings.STATIC_DIR, target_is_directory=True)
        with streamlit_server(watch_files=False, script=script, env=env) as (url, _proc):
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- one session --------------------------------------------------------------------------


class Session:
    """A fresh context on ``target``: counts WebSocket bytes and blocks outside hosts."""

    def __init__(self, browser: Any, target: Target) -> None:
        self.target = target
        self.received = 0
        self.blocked = 0
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.route("**/*", self._route)
        self.context.add_init_script(WATCH_JS % json.dumps(list(target.content_ids)))
        self.page = self.context.new_page()
        self.page.on("websocket", self._on_socket)
        self.frame: Any = None

    def _route(self, route: Any) -> None:
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked += 1
            route.abort()

    def _on_socket(self, socket: Any) -> None:
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.received += len(payload.encode("utf-8") if isinstance(payload, str) else payload)

    def close(self) -> None:
        self.context.close()

    def _map_frame(self) -> Any:
        self.page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT_MS)
        frame = self.page.locator(MAP_IFRAME).first.element_handle().content_frame()
        if frame is None:
            msg = f"{self.target.name}: the map iframe has no document"
            raise BrowserBenchmarkError(msg)
        return frame

    def load(self) -> float:
        """Navigate; seconds from navigation to the first vector path (and all features)."""
        self.page.goto(self.target.url)
        self.frame = self._map_frame()
        self.frame.wait_for_function(
            "(key) => window.__cm && window.__cm.firstPath"
            " && (key === null || key in window.__cm.idsAt)",
            arg=ids_key(self.target.first_ids) if self.target.content_ids else None,
            timeout=TIMEOUT_MS,
        )
        start = float(self.page.evaluate("() => performance.timeOrigin"))
        return (float(self.frame.evaluate("() => window.__cm.firstPath")) - start) / 1000.0

    def heap_after_gc(self) -> int:
        """Bytes of JS heap in use after a full garbage collection (page and iframe)."""
        cdp = self.context.new_cdp_session(self.page)
        try:
            cdp.send("HeapProfiler.enable")
            cdp.send("HeapProfiler.collectGarbage")
            return int(cdp.send("Runtime.getHeapUsage")["usedSize"])
        finally:
            cdp.detach()

    def wait_quiet(self) -> None:
        """Until no WebSocket frame has arrived for :data:`QUIET_S`."""
        last, since = self.received, time.monotonic()
        while time.monotonic() - since < QUIET_S:
            self.page.wait_for_timeout(100)
            if self.received != last:
                last, since = self.received, time.monotonic()

    def filter_change(self, city: str, ids: Sequence[str]) -> tuple[float, int]:
        """Choose ``city``: seconds from the click to ``ids`` drawn, bytes received meanwhile."""
        self.wait_quiet()
        before = self.received
        # Only what is drawn after the click counts: a set of ids seen before it
        # (the empty set, while the map waited for its files) is forgotten.
        self._map_frame().evaluate("() => { if (window.__cm) window.__cm.idsAt = {}; }")
        choose_city(self.page, city)
        self.frame = self._map_frame()
        key = ids_key(ids)
        self.frame.wait_for_function(
            "(key) => window.__cm && key in window.__cm.idsAt", arg=key, timeout=TIMEOUT_MS
        )
        drawn = float(self.frame.evaluate("(key) => window.__cm.idsAt[key]", key))
        clicks = self.page.evaluate("() => window.__cmClicks || []")
        if not clicks:
            msg = f"{self.target.name}: the click on the city option was not seen"
            raise BrowserBenchmarkError(msg)
        self.wait_quiet()
        return (drawn - float(clicks[-1])) / 1000.0, self.received - before

    def zoom_steps(self, steps: int) -> list[float]:
        """Seconds of each of ``steps`` zoom steps (in, out, in, ...)."""
        return [float(s) for s in self.frame.evaluate(ZOOM_JS, steps)]

    def zoom_raster(self, steps: int) -> float:
        """Seconds of raster work per zoom step, over ``steps`` steps under a trace."""
        cdp = self.context.new_cdp_session(self.page)
        events: list[dict[str, Any]] = []
        done: list[bool] = []
        cdp.on("Tracing.dataCollected", lambda p: events.extend(p["value"]))
        cdp.on("Tracing.tracingComplete", lambda _p: done.append(True))
        try:
            cdp.send(
                "Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"}
            )
            self.zoom_steps(steps)
            cdp.send("Tracing.end")
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while not done and time.monotonic() < deadline:
                self.page.wait_for_timeout(50)
        finally:
            cdp.detach()
        if not done:
            msg = f"{self.target.name}: the trace of the zoom steps did not complete"
            raise BrowserBenchmarkError(msg)
        return raster_seconds(events) / steps


def visit(
    browser: Any,
    target: Target,
    figures: Figures,
    *,
    turn: int,
    changes: int = 1,
    zoom_steps: int = 0,
    count: bool = True,
) -> None:
    """One fresh session on ``target``: load, heap, zoom steps, then filter changes."""
    session = Session(browser, target)
    try:
        load = session.load()
        heap = session.heap_after_gc()
        zooms = session.zoom_steps(zoom_steps) if zoom_steps else []
        raster = [session.zoom_raster(zoom_steps)] if zoom_steps else []
        measured = [
            session.filter_change(*target.changes[(turn + i) % len(target.changes)])
            for i in range(changes if target.changes else 0)
        ]
    finally:
        session.close()
    figures.blocked += session.blocked
    if not count:
        return
    figures.loads_s.append(load)
    figures.heap_bytes.append(heap)
    figures.zoom_s.extend(zooms)
    figures.raster_s.extend(raster)
    figures.changes_s.extend(s for s, _ in measured)
    figures.ws_bytes.extend(b for _, b in measured)


def launch(pw: Any) -> Any:
    """The system Chromium, headless."""
    if not Path(CHROMIUM).is_file():
        msg = f"system Chromium not found at {CHROMIUM}"
        raise BrowserBenchmarkError(msg)
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def interleaved(
    browser: Any, targets: Sequence[Target], *, rounds: int, zoom_steps: int = 0
) -> dict[str, Figures]:
    """A warm-up session per target, then ``rounds`` rounds visiting each in rotated order."""
    out = {t.name: Figures() for t in targets}
    for target in targets:
        visit(browser, target, out[target.name], turn=0, count=False)
    for r in range(rounds):
        order = [*targets[r % len(targets) :], *targets[: r % len(targets)]]
        for target in order:
            visit(browser, target, out[target.name], turn=r, zoom_steps=zoom_steps)
    return out


# --- what each target draws ---------------------------------------------------------------


def app_target(url: str, cat: Any, cities: Sequence[str]) -> Target:
    """The app's overview: every content id, the ids it draws on load and per city."""
    from circlemap import views
    from circlemap.filters import Selection

    def shown(selection: Selection) -> tuple[str, ...]:
        return tuple(sorted(views.map_view_features(cat, selection, "overview").index))

    return Target(
        name="app",
        url=url,
        content_ids=tuple(sorted(cat.features.index)),
        first_ids=shown(Selection()),
        changes=tuple((c, shown(Selection(cities=(c,)))) for c in cities),
    )


def plain_target(url: str, geodata_dir: Path, cities: Sequence[str]) -> Target:
    """The plain version: it draws the features whose ``cities`` include the chosen one."""
    features = [
        f["properties"]
        for name in ("projects.geojson", "corridors.geojson")
        for f in json.loads((geodata_dir / name).read_text(encoding="utf-8"))["features"]
    ]
    everything = tuple(sorted(p["id"] for p in features))
    return Target(
        name="plain",
        url=url,
        content_ids=everything,
        first_ids=everything,
        changes=tuple(
            (c, tuple(sorted(p["id"] for p in features if c in p["cities"]))) for c in cities
        ),
    )


def floor_target(url: str) -> Target:
    """The floor draws one rectangle and has no filter."""
    return Target(name="floor", url=url)


def _measure(
    cat: Any,
    cities: Sequence[str],
    peers: Sequence[str],
    *,
    rounds: int,
    zoom_steps: int = 0,
    root: Path | None = None,
) -> dict[str, Figures]:
    """The app and ``peers`` (``floor``, ``plain``) under ``streamlit run``, on the
    repository's data or the data root ``root`` (``CIRCLEMAP_DATA_ROOT``), in one
    browser, interleaved."""
    from playwright.sync_api import sync_playwright

    env = {"CIRCLEMAP_DATA_ROOT": str(root)} if root is not None else None
    geodata = root / "geodata" if root is not None else Path(settings.GEODATA_DIR)
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(peer_server(name, env=env)) for name in ("app", *peers)}
        pw = stack.enter_context(sync_playwright())
        browser = launch(pw)
        stack.callback(browser.close)
        make: dict[str, Callable[[str], Target]] = {
            "app": lambda url: app_target(url, cat, cities),
            "floor": floor_target,
            "plain": lambda url: plain_target(url, geodata, cities),
        }
        targets = [make[name](url) for name, url in urls.items()]
        return interleaved(browser, targets, rounds=rounds, zoom_steps=zoom_steps)


def measure_peers(cat: Any, cities: Sequence[str], *, rounds: int) -> dict[str, Figures]:
    """App, floor and plain on the repository's data, interleaved (see the module docstring)."""
    return _measure(cat, cities, ("floor", "plain"), rounds=rounds)


def measure_at(
    root: Path, cat: Any, cities: Sequence[str], *, sessions: int, zoom_steps: int
) -> dict[str, Figures]:
    """The app and the plain version started on the data root ``root``
    (``CIRCLEMAP_DATA_ROOT``): loads, filter changes, zoom steps over
    ``sessions`` fresh sessions each, interleaved."""
    return _measure(cat, cities, ("plain",), rounds=sessions, zoom_steps=zoom_steps, root=root)
