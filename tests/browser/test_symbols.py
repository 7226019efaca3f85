"""Every symbol of the overview can be seen and clicked at the default view.

Twelve-odd sites are known only to their city and share a spot; the web map
spreads them on a ring (``properties.fan``). The Jingshi Road extension runs
under the Qilu science corridor extension; lines on one alignment are drawn
side by side (``style.offset``, Leaflet.PolylineOffset). A click on each one's
own symbol must open its own card.
"""

from __future__ import annotations

import itertools
import math
from urllib.parse import parse_qs, urlsplit

import pytest

from circlemap.catalog import load_catalog
from tests.browser.test_dashboard import MAP_IFRAME, TIMEOUT, open_app, settled

pytestmark = pytest.mark.browser

JINGSHI = "road-jingshi-east-extension"
CORRIDOR_EXTENSION = "science-qilu-corridor-east-extension"

SPOT_JS = """
(id) => {
  // A point of the feature's own drawn symbol where it is the topmost element
  // (page coordinates inside the iframe), or null.
  const box = window.map.getContainer().getBoundingClientRect();
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (!props || props.layer !== "feature" || props.id !== id || !layer._path) continue;
    if (!layer.options.interactive) continue;
    const candidates = [];
    if (layer._point) {  // circle marker: its centre, then around it
      const r = layer._radius || 5;
      candidates.push(layer._point);
      for (let a = 0; a < 8; a++) {
        candidates.push(layer._point.add(L.point(r * 0.5 * Math.cos(a), r * 0.5 * Math.sin(a))));
      }
    } else if (layer._parts) {  // a line as drawn (offset included), in layer pixels
      for (const part of layer._parts) {
        for (let i = 0; i + 1 < part.length; i++) {
          for (let t = 0.1; t < 1; t += 0.2) {
            candidates.push(part[i].add(part[i + 1].subtract(part[i]).multiplyBy(t)));
          }
        }
      }
    }
    for (const p of candidates) {
      const c = window.map.layerPointToContainerPoint(p);
      const x = box.left + c.x, y = box.top + c.y;
      if (x < box.left + 5 || y < box.top + 5 || x > box.right - 5 || y > box.bottom - 5) continue;
      if (document.elementFromPoint(x, y) === layer._path) return [x, y];
    }
  }
  return null;
}
"""

DRAWN_MIDDLE_JS = """
(id) => {
  // The middle vertex of the visible (not the hit) copy of a line, container pixels.
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (!props || props.id !== id || !layer._parts || layer.options.interactive) continue;
    const part = layer._parts.reduce((a, b) => (b.length > a.length ? b : a), []);
    if (!part.length) continue;
    const mid = part[Math.floor(part.length / 2)];
    const c = window.map.layerPointToContainerPoint(mid);
    return [c.x, c.y];
  }
  return null;
}
"""

POINT_CENTRES_JS = """
() => {
  const out = {};
  for (const key in window.map._layers) {
    const layer = window.map._layers[key];
    const props = (layer.feature || {}).properties;
    if (props && props.layer === "feature" && layer._point && layer.options.interactive) {
      const c = window.map.layerPointToContainerPoint(layer._point);
      out[props.id] = [c.x, c.y, layer._radius];
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_point_sites_on_one_spot_do_not_cover_each_other(app_server, page, catalog):
    frame = open_app(page, app_server)
    centres = settled(lambda: frame.evaluate(POINT_CENTRES_JS), page)
    points = catalog.features[catalog.features.geom_type == "Point"]
    assert sorted(centres) == sorted(points.index)
    for (a, pa), (b, pb) in itertools.combinations(centres.items(), 2):
        assert math.dist(pa[:2], pb[:2]) >= pa[2] + pb[2] - 1, (a, b)


def test_jingshi_road_is_drawn_beside_the_corridor_extension(app_server, page):
    frame = open_app(page, app_server)
    road = settled(lambda: frame.evaluate(DRAWN_MIDDLE_JS, JINGSHI), page)
    corridor = frame.evaluate(DRAWN_MIDDLE_JS, CORRIDOR_EXTENSION)
    assert road is not None
    assert corridor is not None
    assert math.dist(road, corridor) >= 3  # side by side, not one over the other


def test_every_point_site_and_jingshi_road_open_their_own_card(
    app_server, page, outside_requests, catalog
):
    features = catalog.features
    targets = [*features[features.geom_type == "Point"].index, JINGSHI]
    assert len(targets) >= 13
    frame = open_app(page, app_server)
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    for fid in targets:
        point = settled(lambda fid=fid: frame.evaluate(SPOT_JS, fid), page)
        assert point is not None, f"{fid}: no point of its symbol is on top at the default view"
        box = page.locator(MAP_IFRAME).first.bounding_box()
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        name = str(features.loc[fid, "name_zh"])
        page.locator(".st-key-feature_card", has_text=name[:8]).wait_for(timeout=TIMEOUT)
        page.wait_for_url(
            lambda url, fid=fid: parse_qs(urlsplit(url).query).get("feature") == [fid]
        )
    assert outside_requests == []
