"""What a GIS user expects of the web map, in the system Chromium with no outside requests.

Layer control, search, measuring and the other map tools, the whole view in
the link, the first click at laptop sizes, the phone layout, tile failures,
keyboard access. Each test opens its own browser context (own viewport, no
shared storage) whose requests to any host but localhost are aborted and
recorded; the tests assert none was made (or only the tiles a test asks for).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

MAP_IFRAME = "iframe[title*=streamlit_folium]"
TIMEOUT = 30_000
JINGSHI = "road-jingshi-east-extension"
CITIES_ZH = ("济南", "淄博", "泰安", "聊城", "德州", "滨州", "东营")

POINT_JS = """
() => {
  // A feature drawn as a point whose own marker is the topmost element at its centre.
  const box = window.map.getContainer().getBoundingClientRect();
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (!props || props.layer !== "feature" || !layer.getLatLng || !layer._path) continue;
    const p = window.map.latLngToContainerPoint(layer.getLatLng());
    if (p.x < 60 || p.y < 60 || p.x > box.width - 60 || p.y > box.height - 60) continue;
    if (document.elementFromPoint(p.x, p.y) === layer._path) return [p.x, p.y, props.id];
  }
  return null;
}
"""

VISIBLE_GROUP_JS = """
(group) => [...document.querySelectorAll('path.cm-g-' + group)]
  .filter((p) => getComputedStyle(p).display !== 'none').length
"""


@pytest.fixture
def open_context(browser) -> Iterator[Callable[..., tuple[object, list[str]]]]:
    """Make a context (viewport, phone or not) that blocks and records outside requests."""
    made = []

    def make(width: int = 1366, height: int = 768, *, phone: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
        )
        seen: list[str] = []

        def handle(route) -> None:
            parts = urlsplit(route.request.url)
            if parts.scheme in ("data", "blob", "about") or parts.hostname in (
                "127.0.0.1",
                "localhost",
                "::1",
            ):
                route.continue_()
            else:
                seen.append(route.request.url)
                route.abort()

        context.route("**/*", handle)
        made.append(context)
        return context.new_page(), seen

    yield make
    for context in made:
        context.close()


def map_frame(page):
    """The Leaflet iframe once its content features are drawn."""
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT)
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    frame.wait_for_function(
        # the place names come with the base layers (fetched from their static file)
        "() => window.map && document.querySelectorAll('path.cm-g-rail').length > 0"
        " && document.querySelector('.cm-label') !== null",
        timeout=TIMEOUT,
    )
    return frame


def open_app(page, url: str):
    page.goto(url)
    page.wait_for_selector("[data-testid=stSidebar]", state="attached", timeout=TIMEOUT)
    frame = map_frame(page)
    page.wait_for_timeout(800)  # the first fit and the value sent back settle
    return frame


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_query(page, check: Callable[[dict[str, list[str]]], bool]) -> None:
    page.wait_for_url(lambda url: check(parse_qs(urlsplit(url).query)), timeout=TIMEOUT)


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def click_in_map(page, x: float, y: float) -> None:
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


# --- 1. layer control ------------------------------------------------------------------------


def test_a_layer_switched_off_disappears_and_comes_back_from_the_link(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server)
    assert frame.evaluate(VISIBLE_GROUP_JS, "counties") > 50
    frame.locator(".cm-layers summary").click()
    frame.get_by_role("checkbox", name="县级行政区").uncheck()
    assert frame.evaluate(VISIBLE_GROUP_JS, "counties") == 0
    assert frame.locator(".cm-label-county").first.is_hidden()
    wait_query(page, lambda q: q.get("hide") == ["counties"])

    other, other_seen = open_context()
    other_frame = open_app(other, page.url)
    assert other_frame.evaluate(VISIBLE_GROUP_JS, "counties") == 0
    assert other_frame.evaluate(VISIBLE_GROUP_JS, "cities") > 0
    other_frame.locator(".cm-layers summary").click()
    box = other_frame.get_by_role("checkbox", name="县级行政区")
    assert not box.is_checked()
    box.check()
    assert other_frame.evaluate(VISIBLE_GROUP_JS, "counties") > 50
    wait_query(other, lambda q: "hide" not in q)
    assert seen == other_seen == []


def test_each_transport_kind_has_its_own_switch_in_english(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server + "/?lang=en")
    frame.locator(".cm-layers summary").click()
    labels = frame.locator(".cm-layers label").all_inner_texts()
    for name in ("Circle cities", "Counties and districts", "Yellow River", "Rail", "Road"):
        assert name in labels
    frame.get_by_role("checkbox", name="Rail").uncheck()
    assert frame.evaluate(VISIBLE_GROUP_JS, "rail") == 0
    assert frame.evaluate(VISIBLE_GROUP_JS, "road") > 0
    wait_query(page, lambda q: q.get("hide") == ["rail"])
    assert seen == []


# --- 2. search -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["经十路", "Jingshi", "jingshilu"])
def test_search_zooms_to_the_hit_and_opens_its_card(app_server, open_context, text):
    page, seen = open_context()
    frame = open_app(page, app_server)
    zoom_before = frame.evaluate("() => window.map.getZoom()")
    box = page.get_by_role("textbox", name="在地图上搜索")
    box.fill(text)
    box.press("Enter")
    card = page.locator(".st-key-feature_card")
    card.wait_for(timeout=TIMEOUT)
    assert "经十路东延" in card.inner_text()
    wait_query(page, lambda q: q.get("feature") == [JINGSHI] and q.get("q") == [text])
    frame = map_frame(page)
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom_before + 1}", timeout=TIMEOUT)
    inside = frame.evaluate(
        """(id) => {
          for (const k in window.map._layers) {
            const l = window.map._layers[k];
            const p = (l.feature || {}).properties;
            if (p && p.layer === 'feature' && p.id === id && l.getBounds)
              return window.map.getBounds().intersects(l.getBounds());
          }
          return false;
        }""",
        JINGSHI,
    )
    assert inside
    assert seen == []


# --- 3. map tools ----------------------------------------------------------------------------


def test_measuring_jinan_to_zibo_gives_the_great_circle_distance_in_km(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server)
    frame.locator("#polyline-measure-control").click()
    jinan, zibo = (36.6512, 117.1201), (36.8131, 118.0549)
    points = [
        frame.evaluate(
            "(ll) => { const p = window.map.latLngToContainerPoint(ll); return [p.x, p.y]; }",
            list(ll),
        )
        for ll in (jinan, zibo)
    ]
    for x, y in points:
        click_in_map(page, x, y)
        page.wait_for_timeout(300)
    click_in_map(page, *points[1])  # a click on the last point finishes the line
    total = frame.locator(".polyline-measure-tooltip-total").last.inner_text()
    match = re.search(r"([\d.]+)\s*公里", total)
    assert match, total
    clicked = [
        frame.evaluate(
            "(p) => { const ll = window.map.containerPointToLatLng(p); return [ll.lat, ll.lng]; }",
            list(p),
        )
        for p in points
    ]
    expected = great_circle_km(tuple(clicked[0]), tuple(clicked[1]))
    assert 60 < expected < 110  # Jinan to Zibo
    assert abs(float(match.group(1)) - expected) / expected < 0.05
    assert seen == []


def test_minimap_reset_view_and_coordinates(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server + "/?map=11/36.66/117.02")
    frame.wait_for_function("() => window.map.getZoom() === 11", timeout=TIMEOUT)
    frame.locator(".leaflet-control-minimap").wait_for(timeout=TIMEOUT)  # loaded after the map
    reset = frame.get_by_role("button", name="复位：显示七市全貌")
    reset.click()
    frame.wait_for_function("() => window.map.getZoom() < 9", timeout=TIMEOUT)
    bounds = frame.evaluate(
        "() => { const b = window.map.getBounds(); return [b.getWest(), b.getSouth(),"
        " b.getEast(), b.getNorth()]; }"
    )
    assert bounds[0] < 115.6
    assert bounds[2] > 119.0
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    readout = frame.locator(".cm-coords").inner_text()
    assert re.fullmatch(r"坐标 \d+\.\d{4}°N \d+\.\d{4}°E", readout)
    assert seen == []


# --- 4. the whole view in the link --------------------------------------------------------------


def test_a_link_with_zoom_and_layers_restores_them_in_a_new_context(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server + "/overview")
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.wheel(0, 0)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    frame.evaluate("() => window.map.zoomIn(2)")  # as the + button does
    frame.locator(".cm-layers summary").click()
    frame.get_by_role("checkbox", name="黄河").uncheck()
    wait_query(page, lambda q: "map" in q and q.get("hide") == ["river"])
    zoom, lat, lon = (float(v) for v in query(page)["map"][0].split("/"))
    assert zoom == frame.evaluate("() => window.map.getZoom()")

    other, other_seen = open_context()
    other_frame = open_app(other, page.url)
    other_frame.wait_for_function(f"() => window.map.getZoom() === {zoom}", timeout=TIMEOUT)
    centre = other_frame.evaluate(
        "() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }"
    )
    assert abs(centre[0] - lat) < 1e-3
    assert abs(centre[1] - lon) < 1e-3
    assert other_frame.evaluate(VISIBLE_GROUP_JS, "river") == 0
    assert seen == other_seen == []


MARK_FEATURES_JS = """() => document.querySelectorAll('path.cm-g-rail').forEach(
    (el) => { el.dataset.kept = '1'; })"""
KEPT_FEATURES_JS = """() => { const all = [...document.querySelectorAll('path.cm-g-rail')];
    return [all.length, all.filter((el) => el.dataset.kept === '1').length]; }"""


def test_a_zoom_by_the_reader_keeps_the_drawn_features(app_server, open_context):
    """The view goes to the link (a rerun), but the features stay drawn: the page
    sends the map the request it already has, so nothing is redrawn after a move."""
    page, seen = open_context()
    frame = open_app(page, app_server + "/overview")
    frame.evaluate(MARK_FEATURES_JS)
    frame.evaluate("() => window.map.zoomIn(1)")
    wait_query(page, lambda q: "map" in q)  # the rerun that stores the view has run
    page.wait_for_timeout(1500)  # the rerun's feature layer has reached the map
    total, kept = frame.evaluate(KEPT_FEATURES_JS)
    assert total > 0
    assert kept == total, f"{total - kept} of {total} rail lines were drawn again"
    assert seen == []


def test_overview_deep_link_and_repeated_parameters(app_server, open_context):
    page, seen = open_context()
    open_app(page, app_server + "/overview?city=济南&city=淄博")
    page.get_by_role("heading", name="省会经济圈一体化地图").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Page not found").count() == 0
    chips = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.inner_text()
    assert "济南" in chips
    assert "淄博" in chips
    wait_query(page, lambda q: q.get("city") == ["济南,淄博"])
    assert seen == []


def test_measures_scope_and_measure_and_timeline_milestone_are_in_the_link(
    app_server, open_context
):
    page, seen = open_context()
    page.goto(
        app_server + "/measures?scope=jinan_zibo_agreement&measure=agreement-jingshi-road-east"
    )
    detail = page.locator(".st-key-measure_detail", has_text="经十路")
    detail.wait_for(timeout=TIMEOUT)  # the measure named in the link, in detail
    scope = page.locator("[data-testid=stMainBlockContainer] [data-testid=stMultiSelect]").first
    assert "济淄同城化" in scope.inner_text()
    page.goto(app_server + "/timeline?milestone=2020-06-08-guidance")
    picked = page.locator(".st-key-milestone_picked", has_text="2020-06-08")
    picked.wait_for(timeout=TIMEOUT)  # the milestone named in the link, marked
    assert seen == []


# --- 5. first click at laptop sizes ----------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1280, 720)])
def test_the_map_fits_the_window_and_the_first_click_opens_a_card(
    app_server, open_context, width, height
):
    page, seen = open_context(width, height)
    frame = open_app(page, app_server)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height
    point = frame.evaluate(POINT_JS)
    assert point is not None
    x, y, feature = point
    assert page.evaluate("() => window.scrollY") == 0
    page.mouse.click(box["x"] + x, box["y"] + y)  # no scrolling first: a real first click
    page.locator(".st-key-feature_card").wait_for(timeout=TIMEOUT)
    wait_query(page, lambda q: q.get("feature") == [feature])
    assert seen == []


# --- 6. phone --------------------------------------------------------------------------------


def test_phone_shows_the_seven_cities_first_and_a_tapped_card(app_server, open_context):
    page, seen = open_context(390, 844, phone=True)
    frame = open_app(page, app_server)
    frame.wait_for_timeout(500)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box["y"] < 250  # the map comes first
    labels = frame.locator(".cm-label-city span")
    names = []
    for i in range(labels.count()):
        rect = labels.nth(i).bounding_box()
        x, y = box["x"] + rect["x"], box["y"] + rect["y"]
        if x >= 0 and x + rect["width"] <= 390 and y >= 0 and y + rect["height"] <= 844:
            names.append(labels.nth(i).inner_text())
    assert sorted(names) == sorted(CITIES_ZH)
    x, y, _ = frame.evaluate(POINT_JS)
    page.touchscreen.tap(box["x"] + x, box["y"] + y)
    card = page.locator(".st-key-feature_card")
    card.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    rect = card.bounding_box()
    assert rect["y"] < 844
    assert rect["y"] + min(rect["height"], 120) <= 844
    assert page.locator(MAP_IFRAME).first.bounding_box()["y"] < 250  # the map still there
    assert seen == []


# --- 9. say what happened --------------------------------------------------------------------


def test_failing_tiles_are_reported_and_the_offline_map_offered(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server + "/?basemap=osm")
    alert = frame.get_by_role("alert")
    alert.wait_for(timeout=TIMEOUT)
    assert "底图瓦片无法加载" in alert.inner_text()
    alert.get_by_role("button", name="改用离线地图").click()
    wait_query(page, lambda q: "basemap" not in q)
    assert seen
    assert all(urlsplit(u).hostname == "tile.openstreetmap.org" for u in seen)


def test_show_on_map_zooms_to_the_feature(app_server, open_context):
    page, seen = open_context()
    page.goto(app_server + "/measures?measure=agreement-jingshi-road-east")
    page.get_by_role("button", name=re.compile("在地图上查看")).click()
    page.locator(".st-key-feature_card").wait_for(timeout=TIMEOUT)
    frame = map_frame(page)
    frame.wait_for_function("() => window.map.getZoom() >= 9", timeout=TIMEOUT)
    assert query(page).get("feature") == [JINGSHI]
    assert seen == []


# --- 11. keyboard and screen readers -----------------------------------------------------------


def test_shapes_reached_by_tab_have_names_and_enter_opens_the_card(app_server, open_context):
    page, seen = open_context()
    frame = open_app(page, app_server)
    named = frame.evaluate(
        "() => [...document.querySelectorAll('path[tabindex=\"0\"]')]"
        ".map((p) => [p.getAttribute('role'), p.getAttribute('aria-label')])"
    )
    assert len(named) > 20
    assert all(role == "button" and label for role, label in named)
    assert ["button", "经十路东延工程"] in named
    target = frame.locator('path[aria-label="淄博"]').first
    target.focus()
    target.press("Enter")
    panel = page.locator(".st-key-city_panel")
    panel.wait_for(timeout=TIMEOUT)
    close = panel.get_by_role("button", name="关闭")
    close.focus()
    close.press("Enter")
    panel.wait_for(state="detached", timeout=TIMEOUT)
    assert seen == []


# --- the base map as a static file ---------------------------------------------------------------

BASE_FILE = "/app/static/gen/base-"

BASE_KINDS = {"province", "context", "city", "county", "city-outline", "river", "lake", "border"}

PATH_KINDS_JS = """
() => {
  // properties.layer of each SVG path of the overlay pane, bottom first, runs merged.
  const owner = new Map();
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    if (layer._path) owner.set(layer._path, ((layer.feature || {}).properties || {}).layer || '');
  }
  const out = [];
  for (const p of document.querySelectorAll('.leaflet-overlay-pane svg path')) {
    const kind = owner.get(p) || '';
    if (out[out.length - 1] !== kind) out.push(kind);
  }
  return out;
}
"""


SCRIPT_FILES_JS = """
() => performance.getEntriesByType('resource')
  .filter((r) => r.initiatorType === 'script')
  .map((r) => new URL(r.name).pathname)
"""


def test_the_map_loads_leaflet_and_its_own_script_as_one_file(app_server, open_context):
    """streamlit-folium loads a map's scripts one by one; the map asks for one."""
    page, _seen = open_context()
    frame = open_app(page, app_server)
    loaded = frame.evaluate(SCRIPT_FILES_JS)
    plugins = {"Leaflet.PolylineMeasure.js", "Control.MiniMap.min.js"}  # after the drawing
    before_map = [  # the app's scripts (the component's own comes from its package)
        path
        for path in loaded
        if path.startswith("/app/static/") and path.rsplit("/", 1)[1] not in plugins
    ]
    assert len(before_map) == 1, loaded
    assert before_map[0].startswith("/app/static/gen/scripts-"), loaded
    assert before_map[0].endswith(".js"), loaded
    assert frame.evaluate(
        "() => [typeof L.circlemap.fromTable, typeof L.Polyline.prototype.setOffset]"
    ) == ["function", "function"]
    body = page.request.get(app_server + before_map[0])
    assert body.status == 200
    assert "javascript" in body.headers["content-type"]


def test_the_base_map_is_fetched_once_and_a_filter_change_sends_less_than_it(
    app_server, open_context
):
    from circlemap.catalog import load_catalog
    from circlemap.filters import Selection
    from circlemap.views import visible_features
    from tests.browser.test_dashboard import choose_in_multiselect, wait_for_features

    zibo = sorted(visible_features(load_catalog(), Selection(cities=("淄博",))).index)
    page, seen = open_context()
    fetched: list[tuple[str, int]] = []
    page.on(
        "requestfinished",
        lambda request: (
            fetched.append((request.url, request.response().status))
            if BASE_FILE in request.url
            else None
        ),
    )
    received: list[int] = []

    def watch(ws) -> None:
        ws.on("framereceived", lambda payload: received.append(len(payload)))

    page.on("websocket", watch)
    frame = open_app(page, app_server)
    assert len(fetched) == 1, fetched
    url, status = fetched[0]
    assert status == 200
    size = len(page.request.get(url).body())
    assert size > 50_000  # the base layers and labels: most of what the map draws
    # drawn: the seven cities, named, below the features drawn before the file came
    assert frame.locator(".cm-label-city").count() >= len(CITIES_ZH)
    # the legend, in the file too, filled in its place (below the layer control, as inline)
    legend = frame.locator(".leaflet-top.leaflet-right .cm-legend")
    assert "底图要素" in legend.text_content()  # folded or open
    corner = frame.evaluate(
        "() => [...document.querySelector('.leaflet-top.leaflet-right').children]"
        ".map((c) => c.className.split(' ')[0])"
    )
    assert corner == ["cm-layers", "cm-legend"], corner
    # every base path below every feature path, though the file came after the features
    kinds = frame.evaluate(PATH_KINDS_JS)
    first_feature = kinds.index("feature")
    assert {"city", "county", "river"} <= set(kinds[:first_feature]), kinds
    assert not BASE_KINDS & set(kinds[first_feature:]), kinds

    received.clear()
    choose_in_multiselect(page, "城市", "淄博")
    wait_query(page, lambda q: q.get("city") == ["淄博"])
    wait_for_features(frame, zibo)
    page.wait_for_timeout(1500)  # the rerun's messages have all come
    assert sum(received) > 0
    # a filter change re-sends the map's set-up and the filtered features, not the base
    assert sum(received) < size, (sum(received), size)
    assert len(fetched) == 1, fetched  # not fetched again
    assert frame.locator(".cm-label-city").count() >= len(CITIES_ZH)
    assert seen == []


FEATURE_FILE = "/app/static/gen/features-"

DRAWN_FEATURES_JS = """
() => {
  // Each content feature drawn (and each hit copy): id, style, hover, fan, selected.
  const out = [];
  for (const key in window.map._layers) {
    const props = (window.map._layers[key].feature || {}).properties;
    if (!props || props.layer !== "feature") continue;
    out.push(JSON.stringify([props.id, props.style, props.hover || null, props.fan || null,
                             props.selected || false, props.name_zh || null]));
  }
  return out.sort();
}
"""


def _expected_drawn(selection, *, selected_id=None) -> list[str]:
    """What the browser must draw for ``selection``: the features Python composes."""
    import json

    from circlemap import webmap
    from circlemap.catalog import load_catalog
    from circlemap.views import map_view_features
    from tests.webmap.support import features_of

    cat = load_catalog()
    shown = map_view_features(cat, selection, "overview")
    layer = webmap.build_feature_layer(
        cat, shown, lang="zh", basemap="none", selected_id=selected_id
    )
    out = []
    for f in features_of(layer):
        p = f["properties"]
        if p.get("layer") != "feature":
            continue
        row = [p["id"], p["style"], p.get("hover"), p.get("fan"), p.get("selected", False)]
        out.append(json.dumps([*row, p.get("name_zh")], ensure_ascii=False, separators=(",", ":")))
    return sorted(out)


def test_features_come_from_their_table_fetched_once_and_a_change_sends_no_name(
    app_server, open_context
):
    """The feature layer is rows into the published feature table: the browser fetches
    the table once, and what it draws after a filter change (ids, styles, lanes,
    fans, names) is what Python composes for that selection, though the change
    carried none of the features' names."""
    import json

    from circlemap.filters import Selection
    from tests.browser.test_dashboard import choose_in_multiselect

    page, seen = open_context()
    fetched: list[str] = []
    page.on(
        "requestfinished",
        lambda request: fetched.append(request.url) if FEATURE_FILE in request.url else None,
    )
    frames: list[str] = []

    def text(payload: str | bytes) -> str:
        return payload if isinstance(payload, str) else payload.decode("utf-8", "replace")

    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(text(p))))
    frame = open_app(page, app_server)
    assert len(fetched) == 1, fetched
    first = frame.evaluate(DRAWN_FEATURES_JS)
    drawn_all = _expected_drawn(Selection())
    assert [json.loads(x) for x in first] == [json.loads(x) for x in drawn_all]
    assert any(json.loads(x)[3] for x in first)  # spread points came with their fan

    frames.clear()
    choose_in_multiselect(page, "城市", "淄博")
    wait_query(page, lambda q: q.get("city") == ["淄博"])
    expected = _expected_drawn(Selection(cities=("淄博",)))
    frame.wait_for_function(
        f"(n) => ({DRAWN_FEATURES_JS})().length === n", arg=len(expected), timeout=TIMEOUT
    )
    drawn = frame.evaluate(DRAWN_FEATURES_JS)
    assert [json.loads(x) for x in drawn] == [json.loads(x) for x in expected]
    names = {json.loads(x)[5] for x in drawn}
    page.wait_for_timeout(1000)  # the rerun's messages have all come
    sent = "".join(frames)
    assert urlsplit(fetched[0]).path in sent  # the rows name their table
    assert not [n for n in names if n and n in sent]  # the names stayed in the file
    assert len(fetched) == 1, fetched  # not fetched again
    assert seen == []
