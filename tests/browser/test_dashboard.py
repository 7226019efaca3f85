"""What only a browser shows: the map in its iframe, clicks, the link, the basemap shift.

Runs ``streamlit run app.py`` (fixture ``app_server``) and drives the system
Chromium. The Leaflet map lives in the streamlit-folium iframe as
``window.map``; its vector layers carry the properties ``circlemap.webmap``
wrote (``layer``, ``id``), which is how these tests find features.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from circlemap.catalog import load_catalog
from circlemap.filters import Selection
from circlemap.views import map_view_features, visible_features

pytestmark = pytest.mark.browser

JINGSHI = "road-jingshi-east-extension"
MAP_IFRAME = "iframe[title*=streamlit_folium]"
TIMEOUT = 30_000
DOWNLOAD_TIMEOUT = 180_000
"""ms: a download renders its file on the server first; on a shared two-core machine a
print export can wait its turn (a hang guard, not a speed claim)."""

FEATURE_IDS_JS = """
() => {
  const ids = new Set();
  for (const key in window.map._layers) {
    const props = (window.map._layers[key].feature || {}).properties;
    if (props && props.layer === "feature" && props.id) ids.add(props.id);
  }
  return [...ids].sort();
}
"""

FIRST_VERTEX_JS = """
(id) => {
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (!props || props.layer !== "feature" || props.id !== id) continue;
    const ll = layer.getLatLngs ? layer.getLatLngs().flat(3)[0] : layer.getLatLng();
    return [ll.lat, ll.lng];
  }
  return null;
}
"""

CLICK_POINT_JS = """
(id) => {
  // A point of the feature's line where its own path is the topmost element,
  // so a real click there hits this feature and not an overlapping one.
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (!props || props.layer !== "feature" || props.id !== id || !layer.getLatLngs) continue;
    const pts = layer.getLatLngs().flat(3);
    const box = window.map.getContainer().getBoundingClientRect();
    for (let i = 0; i + 1 < pts.length; i++) {
      for (let t = 0.1; t < 1; t += 0.1) {
        const ll = L.latLng(pts[i].lat + t * (pts[i + 1].lat - pts[i].lat),
                            pts[i].lng + t * (pts[i + 1].lng - pts[i].lng));
        const p = window.map.latLngToContainerPoint(ll);
        const x = box.left + p.x, y = box.top + p.y;
        if (document.elementFromPoint(x, y) === layer._path) return [x, y];
      }
    }
  }
  return null;
}
"""


def map_frame(page):
    """The Leaflet iframe once its vector paths are drawn."""
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT)
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    frame.wait_for_function(
        # the place names come with the base layers (fetched from their static file)
        "() => window.map && document.querySelectorAll('path.leaflet-interactive').length > 0"
        " && document.querySelector('.cm-label') !== null",
        timeout=TIMEOUT,
    )
    return frame


def wait_in_map(page, condition: str, *, arg=None):
    """Wait until ``condition`` holds in the map iframe, following it if it is replaced
    (a new language or basemap gives a new base map, hence a new iframe)."""
    from playwright.sync_api import Error

    deadline = TIMEOUT
    while deadline > 0:
        try:
            frame = map_frame(page)
            frame.wait_for_function(condition, arg=arg, timeout=2_000)
        except Error:
            page.wait_for_timeout(500)
            deadline -= 2_500
        else:
            return frame
    pytest.fail(f"map never satisfied: {condition}")


def open_app(page, url: str):
    """Open ``url`` and return the map iframe once its project features are drawn
    (streamlit-folium adds them after the base map)."""
    page.goto(url)
    page.wait_for_selector("[data-testid=stSidebar]", timeout=TIMEOUT)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({FEATURE_IDS_JS})().length > 0", timeout=TIMEOUT)
    return frame


def wait_for_features(frame, expected: list[str]) -> None:
    frame.wait_for_function(
        f"(expected) => JSON.stringify(({FEATURE_IDS_JS})()) === JSON.stringify(expected)",
        arg=expected,
        timeout=TIMEOUT,
    )


def choose_in_multiselect(page, label: str, option: str) -> None:
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=label)
    box.scroll_into_view_if_needed()
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def choose_in_selectbox(page, label: str, option: str) -> None:
    box = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text=label)
    box.scroll_into_view_if_needed()
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()


def settled(read, page, *, tries: int = 40):
    """``read()`` once two reads 300 ms apart agree (the map has finished moving)."""
    last = read()
    for _ in range(tries):
        page.wait_for_timeout(300)
        current = read()
        if current == last:
            return current
        last = current
    return last


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (m) between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def zibo_ids() -> list[str]:
    catalog = load_catalog()
    return sorted(visible_features(catalog, Selection(cities=("淄博",))).index)


@pytest.fixture(scope="module")
def all_ids() -> list[str]:
    return sorted(load_catalog().features.index)


def test_overview_draws_vector_layers_offline(app_server, page, outside_requests, all_ids):
    frame = open_app(page, app_server)
    assert frame.evaluate(FEATURE_IDS_JS) == all_ids
    assert frame.locator(".leaflet-overlay-pane path").count() > 50  # cities, counties, features
    counters = page.get_by_text("项目与廊道").first.inner_text()
    assert f"{len(all_ids)} 项目与廊道" in counters
    assert outside_requests == []


def test_zibo_filter_updates_map_and_url_and_link_restores_it(
    app_server, page, browser, outside_requests, zibo_ids
):
    frame = open_app(page, app_server)
    assert 0 < len(zibo_ids) < len(frame.evaluate(FEATURE_IDS_JS))
    frame.evaluate("() => { window.__marker = 1; }")

    choose_in_multiselect(page, "城市", "淄博")
    wait_for_features(frame, zibo_ids)
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("city") == ["淄博"])
    # the filter moved features in, not a new map: the iframe kept its state
    assert frame.evaluate("() => window.__marker") == 1
    assert outside_requests == []

    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = fresh.new_page()
        other_frame = open_app(other, page.url)
        wait_for_features(other_frame, zibo_ids)
        chips = other.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
        assert "淄博" in chips.inner_text()
    finally:
        fresh.close()


def test_clicking_jingshi_road_shows_its_measures(app_server, page, outside_requests):
    # On the overview the schematic Jingshi Road line lies under the equally
    # schematic Qilu science corridor extension (same end points), so the
    # click is made on the transport page, which draws transport links only.
    frame = open_app(page, f"{app_server}/transport")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    point = settled(lambda: frame.evaluate(CLICK_POINT_JS, JINGSHI), page)
    assert point is not None, "no visible point of the Jingshi Road line"
    x, y = point
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    card = page.locator(".st-key-feature_card")
    card.wait_for(timeout=TIMEOUT)
    assert "经十路东延" in card.inner_text()
    assert "实施经十路东延工程" in card.inner_text()  # verbatim quote
    assert card.locator("[data-testid=stExpander]").count() >= 1  # its measures
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("feature") == [JINGSHI])
    assert outside_requests == []


def test_switching_to_english_changes_labels(app_server, page, outside_requests):
    open_app(page, app_server)
    page.locator("[data-testid=stSidebar]").get_by_role("radio", name="English").click()
    page.get_by_role("heading", name="Provincial Capital Economic Circle").wait_for(timeout=TIMEOUT)
    wait_in_map(page, "() => document.body.innerText.includes('Jinan')")
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    assert "Filters" in sidebar
    assert "Overview" in sidebar
    assert "lang=en" in page.url
    assert outside_requests == []


def test_amap_basemap_shifts_vectors_a_few_hundred_metres(app_server, page, outside_requests):
    frame = open_app(page, app_server)
    before = frame.evaluate(FIRST_VERTEX_JS, JINGSHI)
    choose_in_selectbox(page, "底图", "高德地图")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("basemap") == ["amap"])

    frame = wait_in_map(
        page,
        f"""(before) => {{
            const now = ({FIRST_VERTEX_JS})("{JINGSHI}");
            return now !== null && JSON.stringify(now) !== JSON.stringify(before);
        }}""",
        arg=before,
    )
    after = frame.evaluate(FIRST_VERTEX_JS, JINGSHI)
    assert 100 < metres_between(tuple(before), tuple(after)) < 1000
    # the only thing fetched from outside is what the reader chose: Amap tiles (blocked here)
    assert all(urlsplit(u).hostname.endswith("autonavi.com") for u in outside_requests)


CITY_POINT_JS = """
(latlon) => {
  const p = window.map.latLngToContainerPoint(L.latLng(latlon[0], latlon[1]));
  const box = window.map.getContainer().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}
"""


def test_clicking_a_city_opens_its_panel(app_server, page, outside_requests):
    frame = open_app(page, app_server)
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    # a spot in rural Dezhou, away from every project line and site
    x, y = settled(lambda: frame.evaluate(CITY_POINT_JS, [37.35, 116.45]), page)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.locator(".st-key-city_panel")
    panel.wait_for(timeout=TIMEOUT)
    assert panel.inner_text().startswith("德州")
    panel.locator("[data-testid=stDataFrame]").nth(1).wait_for(
        timeout=TIMEOUT
    )  # projects, measures
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("focus") == ["德州"])
    assert outside_requests == []


def test_page_menu_keeps_the_view_in_the_link(app_server, page, outside_requests):
    open_app(page, f"{app_server}/?city=淄博&kind=rail")
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="交通互联").click()
    page.get_by_role("heading", name="交通互联").wait_for(timeout=TIMEOUT)
    location = page.evaluate("() => location.pathname + location.search")
    assert location.startswith("/transport?")
    assert parse_qs(urlsplit(location).query) == {"city": ["淄博"], "kind": ["rail"]}
    chips = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]")
    assert "淄博" in chips.nth(0).inner_text()
    assert "轨道交通" in chips.nth(1).inner_text()
    assert outside_requests == []


def test_export_buttons_download_what_the_map_shows(app_server, page, outside_requests, zibo_ids):
    frame = open_app(page, app_server + "/?city=淄博&lang=en")
    wait_for_features(frame, zibo_ids)
    frame.evaluate("() => { window.__marker = 1; }")
    page.get_by_text("Export this view").click()
    today = datetime.date.today().isoformat()

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as got:
        page.get_by_role("button", name="GeoJSON features").click()
    download = got.value
    assert download.suggested_filename == f"circle-map_zibo_en_{today}.geojson"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in data["features"]) == zibo_ids

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as got:
        page.get_by_role("button", name="PNG image").click()
    download = got.value
    assert download.suggested_filename == f"circle-map_zibo_en_{today}.png"
    assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # a download neither reruns the page into a new map nor reaches outside
    assert frame.evaluate("() => window.__marker") == 1
    assert outside_requests == []


def test_deep_link_as_the_first_request_of_a_fresh_server(browser, tmp_path, zibo_ids):
    # A new server process: the first visitor opens a shared link to a page other than the
    # overview. It must get the whole app (sidebar, filters from the link), not the bare page.
    from devtools.devserver import streamlit_server

    transport_ids = sorted(
        map_view_features(load_catalog(), Selection(cities=("淄博",)), "transport").index
    )
    with streamlit_server(log=tmp_path / "server.log") as (url, _):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            frame = open_app(page, url + "/transport?city=淄博&lang=en")
            wait_for_features(frame, transport_ids)
            assert page.locator("h1").first.inner_text() == "Transport links"
            chips = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
            assert "Zibo" in chips.inner_text()
        finally:
            context.close()


def test_ticking_a_measure_row_opens_its_detail(app_server, page, outside_requests):
    from circlemap.panels import quote_fields
    from circlemap.views import visible_measures

    fourth = visible_measures(load_catalog(), Selection()).iloc[3]
    page.goto(app_server + "/measures?lang=en")
    grid = page.wait_for_selector("[data-testid=stDataFrame]", timeout=TIMEOUT)
    page.wait_for_timeout(1_000)  # the grid draws its canvas after it appears
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default row height, the header row included
    page.mouse.click(box["x"] + 14, box["y"] + row_height * 3.5 + row_height)
    detail = page.locator(".st-key-measure_detail")
    detail.wait_for(timeout=TIMEOUT)
    assert fourth["title_en"] in detail.inner_text()
    # English readers see the source's own English where it has one (verbatim text a click away)
    assert quote_fields(fourth, "en")["quote"][:10] in detail.inner_text()
    assert outside_requests == []


def test_link_values_in_the_notice_are_neither_links_nor_icons(app_server, page, outside_requests):
    from urllib.parse import quote

    hostile = "https://evil.example/login :material/home: www.evil.example a@evil.example"
    page.goto(f"{app_server}/?feature={quote(hostile)}")
    notice = page.locator("[data-testid=stAlertContentWarning]").first
    notice.wait_for(timeout=TIMEOUT)
    assert "evil.example/login" in notice.inner_text()
    assert notice.locator("a").count() == 0
    assert notice.locator("span[role=img]").count() == 0
    assert outside_requests == []


def test_through_nginx_with_two_replicas(proxied_app, browser, outside_requests, page):
    # The share link, a filter, a click and an export through the proxy; every request
    # of the browser reaches one replica (sticky), and other browsers reach the other.
    import re
    import urllib.request

    url = proxied_app.url
    with urllib.request.urlopen(f"{url}/readyz", timeout=5) as resp:
        assert resp.status == 200
    zibo_links = sorted(
        map_view_features(load_catalog(), Selection(cities=("淄博",)), "transport").index
    )
    frame = open_app(page, f"{url}/transport?lang=en")
    choose_in_multiselect(page, "City", "Zibo")
    wait_for_features(frame, zibo_links)
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("city") == ["淄博"])

    point = settled(lambda: frame.evaluate(CLICK_POINT_JS, JINGSHI), page)
    assert point is not None, "no visible point of the Jingshi Road line"
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    card = page.locator(".st-key-feature_card")
    card.wait_for(timeout=TIMEOUT)
    assert "Jingshi Road eastward extension" in card.inner_text()

    page.get_by_text("Export this view").click()
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as got:
        page.get_by_role("button", name="GeoJSON features").click()
    data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert JINGSHI in {f["properties"]["id"] for f in data["features"]}

    shared = page.url  # the link, opened by another browser, restores the view
    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = fresh.new_page()
        open_app(other, shared)
        other.locator(".st-key-feature_card").wait_for(timeout=TIMEOUT)
        chips = other.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
        assert "Zibo" in chips.inner_text()
        route = next(c["value"] for c in fresh.cookies() if c["name"] == "cm_route")
    finally:
        fresh.close()  # nginx logs the WebSocket once it closes
    assert outside_requests == []

    page.wait_for_timeout(500)
    log = (proxied_app.run_dir / "access.log").read_text(encoding="utf-8")
    upstreams = {
        m[2] for m in re.finditer(r'"(\S+ \S+).* route=(\S+) upstream=(\S+)', log) if m[2] == route
    }
    paths = [m[1] for m in re.finditer(r'"(\S+ \S+).* route=(\S+) upstream=', log) if m[2] == route]
    assert len(upstreams) == 1, upstreams  # sticky ...
    assert "GET /_stcore/stream" in paths  # ... WebSocket included
    for i in range(16):  # 16 other browsers: both replicas take sessions
        req = urllib.request.Request(f"{url}/", headers={"Cookie": f"cm_route=probe{i}"})
        urllib.request.urlopen(req, timeout=10).close()
    log = (proxied_app.run_dir / "access.log").read_text(encoding="utf-8")
    served = set(re.findall(r"route=probe\d+ upstream=(\S+)", log))
    assert len(served) == 2, served
