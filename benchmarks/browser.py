"""In the system Chromium against ``streamlit run``: load, filter change, memory.

The server is started as ``tests/conftest.py`` starts it (a free localhost
port, headless, health check). Each browser session is a new Playwright
context (no cache, no cookies) that opens the overview. Times are taken in
the browser from its own clocks (``performance.timeOrigin`` plus
``performance.now()``, epoch milliseconds shared by the page and its iframe)
and recorded by a MutationObserver inside the map's iframe, so no polling
delay is counted.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import psutil

from devtools.devserver import CHROMIUM, CHROMIUM_ARGS, ServerError, streamlit_server

VIEWPORT: Final = {"width": 1400, "height": 900}
MAP_IFRAME: Final = "iframe[title*=streamlit_folium]"
TIMEOUT_MS: Final = 30_000
CITY_LABEL: Final = "城市"
OPEN_ATTEMPTS: Final = 3
OPEN_WAIT_MS: Final = 10_000
"""Label of the city multiselect in the sidebar (the app opens in Chinese)."""

INIT_JS: Final = """
(() => {
  // In the map iframe: note when the first vector path is drawn, and keep
  // noting when the set of feature ids drawn changes. Chromium runs init
  // scripts in an iframe's first about:blank document, whose window the
  // component's page then reuses: so wait for that page's DOMContentLoaded.
  const now = () => performance.timeOrigin + performance.now();
  const ids = () => {
    const out = new Set();
    if (!window.map) return "";
    for (const key in window.map._layers) {
      const props = (window.map._layers[key].feature || {}).properties;
      if (props && props.layer === "feature" && props.id) out.add(props.id);
    }
    return JSON.stringify([...out].sort());
  };
  const watch = () => {
    if (!/streamlit_folium/.test(location.href) || window.__cm) return;
    window.__cm = {firstPath: null, features: null, idsAt: {}};
    const seen = () => {
      const cm = window.__cm;
      if (cm.firstPath === null && document.querySelector("path.leaflet-interactive")) {
        cm.firstPath = now();
      }
      const current = ids();
      if (current && current !== "[]" && !(current in cm.idsAt)) {
        cm.idsAt[current] = now();
        if (cm.features === null) cm.features = now();
      }
    };
    new MutationObserver(seen).observe(document, {childList: true, subtree: true});
    seen();
  };
  window.addEventListener("DOMContentLoaded", watch);
  watch();
})();
"""

CLICK_JS: Final = """
() => {
  window.__cmClicks = [];
  document.addEventListener("click", (e) => {
    window.__cmClicks.push(performance.timeOrigin + e.timeStamp);
  }, true);
}
"""


class BrowserBenchmarkError(ServerError):
    """A browser figure could not be measured (the benchmark then fails)."""


# --- the server's memory -----------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory (MB, 10^6 bytes) of a process and all its children."""
    proc = psutil.Process(pid)
    total = int(proc.memory_info().rss)
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # a child may end meanwhile
            total += child.memory_info().rss
    return total / 1e6


# --- sessions -----------------------------------------------------------------------------


@dataclass
class Session:
    """One browser session on the overview: its context, page and map frame."""

    context: Any
    page: Any
    frame: Any
    cold_load_s: float
    features_s: float


@dataclass
class BrowserFigures:
    """What :func:`measure` returns (seconds, megabytes)."""

    first_cold_load_s: float = 0.0
    cold_loads_s: list[float] = field(default_factory=list)
    features_s: list[float] = field(default_factory=list)
    filter_changes_s: list[float] = field(default_factory=list)
    iframe_kept: list[bool] = field(default_factory=list)
    rss_idle_mb: float = 0.0
    rss_one_mb: float = 0.0
    rss_ten_mb: float = 0.0
    sessions: int = 0


def open_session(browser: Any, url: str) -> Session:
    """A new context that loads the overview; returns once its features are drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_JS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT_MS)
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    if frame is None:
        msg = "the map iframe has no document"
        raise BrowserBenchmarkError(msg)
    frame.wait_for_function(
        "() => window.__cm && window.__cm.firstPath && window.__cm.features",
        timeout=TIMEOUT_MS,
    )
    start = float(page.evaluate("() => performance.timeOrigin"))
    marks = frame.evaluate("() => [window.__cm.firstPath, window.__cm.features]")
    return Session(
        context=context,
        page=page,
        frame=frame,
        cold_load_s=(float(marks[0]) - start) / 1000.0,
        features_s=(float(marks[1]) - start) / 1000.0,
    )


def choose_city(page: Any, city: str) -> None:
    """Pick ``city`` in the sidebar's city multiselect (as a reader does)."""
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
        has_text=CITY_LABEL
    )
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    option = page.get_by_role("option", name=city, exact=True)
    for attempt in range(OPEN_ATTEMPTS):
        box.scroll_into_view_if_needed()
        box.get_by_role("combobox").click()
        try:
            # A rerun still being drawn (a map move reported at 100x the data)
            # can close the list as it opens: open it again.
            option.wait_for(state="visible", timeout=OPEN_WAIT_MS)
        except PlaywrightTimeoutError:
            if attempt + 1 == OPEN_ATTEMPTS:
                msg = f"the city list never showed {city!r} ({OPEN_ATTEMPTS} tries)"
                raise BrowserBenchmarkError(msg) from None
            page.keyboard.press("Escape")
            continue
        break
    page.evaluate(CLICK_JS)
    option.click()
    page.keyboard.press("Escape")


def filter_change(session: Session, city: str, expected_ids: Sequence[str]) -> tuple[float, bool]:
    """Choose ``city``; seconds from the click to the map drawing ``expected_ids``,
    and whether the map's iframe kept its document (was not reloaded).

    Raises
    ------
    BrowserBenchmarkError
        When the map never shows the expected features or the check cannot run.
    """
    marker = f"kept-{time.monotonic_ns()}"
    session.frame.evaluate("(m) => { window.__cmMarker = m; }", marker)
    wanted = _ids_key(expected_ids)
    choose_city(session.page, city)
    frame = session.page.locator(MAP_IFRAME).first.element_handle().content_frame()
    if frame is None:
        msg = "the map iframe disappeared after the filter change"
        raise BrowserBenchmarkError(msg)
    frame.wait_for_function(
        "(key) => window.__cm && key in window.__cm.idsAt", arg=wanted, timeout=TIMEOUT_MS
    )
    drawn_at = float(frame.evaluate("(key) => window.__cm.idsAt[key]", wanted))
    clicks = session.page.evaluate("() => window.__cmClicks || []")
    if not clicks:
        msg = "the click on the city option was not seen"
        raise BrowserBenchmarkError(msg)
    kept = frame.evaluate("() => window.__cmMarker === undefined ? null : window.__cmMarker")
    session.frame = frame
    return (drawn_at - float(clicks[-1])) / 1000.0, kept == marker


def _ids_key(ids: Sequence[str]) -> str:
    """The key :data:`INIT_JS` files a set of feature ids under (sorted JSON list)."""
    return json.dumps(sorted(ids), separators=(",", ":"))


def measure(
    *,
    loads: int,
    sessions: int,
    changes: Sequence[tuple[str, Sequence[str]]],
) -> BrowserFigures:
    """Cold loads, filter changes and the server's memory, in one server and browser.

    Session 1 is the first after the server started (its load is reported
    apart); sessions 2..``loads`` give the cold-load median. Filter changes
    ``(city, expected feature ids)`` run on those sessions, one each. More
    sessions are then opened until ``sessions`` are open; RSS is read with
    no session, after the first and with all of them open.
    """
    if not Path(CHROMIUM).is_file():
        msg = f"system Chromium not found at {CHROMIUM}"
        raise BrowserBenchmarkError(msg)
    from playwright.sync_api import sync_playwright

    figures = BrowserFigures()
    with streamlit_server(watch_files=False) as (url, proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            time.sleep(1.0)
            figures.rss_idle_mb = rss_mb(proc.pid)
            opened = [open_session(browser, url)]
            figures.first_cold_load_s = opened[0].cold_load_s
            figures.rss_one_mb = _settled_rss(proc.pid)
            for _ in range(max(loads - 1, 1)):
                opened.append(open_session(browser, url))
                figures.cold_loads_s.append(opened[-1].cold_load_s)
                figures.features_s.append(opened[-1].features_s)
            for session, (city, ids) in zip(opened[1:], changes, strict=False):
                seconds, kept = filter_change(session, city, ids)
                figures.filter_changes_s.append(seconds)
                figures.iframe_kept.append(kept)
            while len(opened) < sessions:
                opened.append(open_session(browser, url))
            figures.sessions = len(opened)
            figures.rss_ten_mb = _settled_rss(proc.pid)
        finally:
            browser.close()
    if not figures.iframe_kept:
        msg = "no filter change was measured: the no-reload check could not be evaluated"
        raise BrowserBenchmarkError(msg)
    return figures


def _settled_rss(pid: int, *, pause: float = 0.5) -> float:
    """RSS once the server has finished the runs it was doing (two reads agree to 1%)."""
    last = rss_mb(pid)
    for _ in range(10):
        time.sleep(pause)
        current = rss_mb(pid)
        if abs(current - last) <= 0.01 * last:
            return current
        last = current
    return last
