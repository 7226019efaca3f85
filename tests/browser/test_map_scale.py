"""The web map with many features: clusters of close sites, lines at their level of detail.

Both run on the offline HTML export (the same map script as the app) opened
from disk: the synthetic copy of the content at 10× (``benchmarks.synthetic``)
puts over a hundred sites in the circle, the repository's data has the long
county and corridor lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import pytest

from benchmarks import scale, synthetic
from circlemap import export, views
from circlemap.catalog import load_catalog
from circlemap.filters import Selection

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 6)
CLUSTER_RADIUS = 13  # px, circlemap.js
MAX_RING = 24  # sites a ring may hold before they are one cluster, circlemap.js

SYMBOLS_JS = """
() => {
  // Every drawn point symbol and cluster disc: [kind, x, y, radius, count] in
  // container pixels; and how many sites are hidden in clusters.
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const out = [];
  let hidden = 0, sites = 0;
  map.eachLayer((l) => {
    const p = (l.feature || {}).properties;
    if (p && p.layer === "feature" && l._point) {
      sites++;
      if (l._cmClustered) {
        hidden++;
        if (l._path.style.display !== "none") out.push(["hidden but drawn", 0, 0, 0, 0]);
        return;
      }
      const c = map.latLngToContainerPoint(l.getLatLng());
      out.push(["site", c.x, c.y, l._radius, 1]);
    } else if (l._cmCluster) {
      const c = map.latLngToContainerPoint(l.getLatLng());
      out.push(["cluster", c.x, c.y, RADIUS, Number(l._icon.textContent)]);
    }
  });
  return {symbols: out, hidden: hidden, sites: sites, zoom: map.getZoom()};
}
""".replace("RADIUS", str(CLUSTER_RADIUS))

LOD_JS = """
() => {
  // Lines and areas with a ring of 32 vertices or more and no offset: is each
  // ring projected as Leaflet's own simplification of all its vertices at this
  // zoom would have it? [checked rings, rings that differ, vertices saved].
  const map = Object.values(window).find((v) => v instanceof L.Map);
  let checked = 0, saved = 0;
  const differ = [];
  map.eachLayer((l) => {
    if (!(l instanceof L.Polyline) || l.options.offset || !l._rings) return;
    const flat = [];
    (function walk(lls) {
      if (lls.length && lls[0] instanceof L.LatLng) flat.push(lls); else lls.forEach(walk);
    })(l.getLatLngs());
    if (flat.length !== l._rings.length) return;
    flat.forEach((lls, k) => {
      if (lls.length < 32) return;
      const all = lls.map((ll) => map.latLngToLayerPoint(ll));
      const want = L.LineUtil.simplify(all, l.options.smoothFactor);
      const got = l._rings[k];
      checked++;
      saved += lls.length - got.length;
      const near = (p, q) => Math.abs(p.x - q.x) < 1e-6 && Math.abs(p.y - q.y) < 1e-6;
      const same = got.length === want.length && got.every((p, i) => near(p, want[i]));
      if (!same) differ.push(String(((l.feature || {}).properties || {}).id || l._leaflet_id));
    });
  });
  return [checked, differ, saved];
}
"""


@pytest.fixture(scope="module")
def ten_times(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The offline HTML of the overview at 10× the content, and its number of sites."""
    tmp = tmp_path_factory.mktemp("scale")
    root = synthetic.write_data_root(tmp / "x10", 10)
    with scale.data_root(root) as cat:
        shown = views.map_view_features(cat, Selection(), "overview")
        sites = int((shown.geom_type == "Point").sum())
        path = tmp / "x10.html"
        path.write_bytes(export.export(cat, Selection(), lang="en", fmt="html", today=TODAY))
    return path, sites


def _open(page: object, path: Path) -> None:
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    page.wait_for_selector(".leaflet-overlay-pane svg path", state="attached")  # type: ignore[attr-defined]


def _settled(page: object, js: str) -> dict:
    """The value of ``js`` once two readings 300 ms apart agree (spreading is deferred)."""
    last = None
    for _ in range(40):
        now = page.evaluate(js)  # type: ignore[attr-defined]
        if now == last:
            return now
        last = now
        page.wait_for_timeout(300)  # type: ignore[attr-defined]
    msg = "the map never settled"
    raise AssertionError(msg)


def _check_symbols(found: dict, sites: int) -> list:
    symbols = found["symbols"]
    assert not [s for s in symbols if s[0] == "hidden but drawn"]
    assert found["sites"] == sites
    clusters = [s for s in symbols if s[0] == "cluster"]
    shown = [s for s in symbols if s[0] == "site"]
    # every site is drawn once: on its own or counted in one cluster
    assert len(shown) + sum(c[4] for c in clusters) == sites
    assert sum(c[4] for c in clusters) == found["hidden"]
    assert all(c[4] > MAX_RING for c in clusters)
    for a, b in itertools.combinations(symbols, 2):
        assert math.dist(a[1:3], b[1:3]) >= a[3] + b[3] - 1, (a, b)
    return clusters


def test_many_close_sites_are_numbered_clusters_that_zoom_in(offline_page, ten_times):
    page, attempted = offline_page
    path, sites = ten_times
    assert sites > 2 * MAX_RING
    page.set_viewport_size({"width": 1000, "height": 640})  # type: ignore[attr-defined]
    _open(page, path)
    found = _settled(page, SYMBOLS_JS)
    clusters = _check_symbols(found, sites)
    assert clusters, "over a hundred sites at the default view and not one cluster"

    disc = page.locator(".cm-cluster").first  # type: ignore[attr-defined]
    assert "sites: click to zoom in" in (disc.get_attribute("title") or "")
    before = found["zoom"]
    disc.click()
    after = _settled(page, SYMBOLS_JS)
    assert after["zoom"] > before
    _check_symbols(after, sites)
    assert attempted == []


def test_long_lines_and_areas_are_drawn_at_their_level_of_detail(offline_page, tmp_path):
    page, _ = offline_page
    path = tmp_path / "lod.html"
    path.write_bytes(export.export(load_catalog(), Selection(), lang="zh", fmt="html", today=TODAY))
    _open(page, path)
    first = _settled(page, f"() => ({LOD_JS})()")
    checked, differ, saved = first
    assert checked > 20
    assert differ == []
    assert saved > 0  # the level of detail leaves vertices out
    for step in (1, -1, 1, -1):  # a zoom met before: its remembered vertices
        page.evaluate(  # type: ignore[attr-defined]
            "(d) => { const m = Object.values(window).find((v) => v instanceof L.Map);"
            " m.setZoom(m.getZoom() + d, {animate: false}); }",
            step,
        )
        checked, differ, _ = _settled(page, f"() => ({LOD_JS})()")
        assert checked > 0
        assert differ == []


TIPS_JS = """
() => {
  // {id: tooltip HTML} of every feature that has a tooltip bound.
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const out = {};
  map.eachLayer((l) => {
    const p = (l.feature || {}).properties;
    if (p && p.layer === "feature" && l.getTooltip && l.getTooltip()) {
      out[p.id] = l.getTooltip().getContent();
    }
  });
  return out;
}
"""


def test_tooltips_built_in_the_browser_are_the_servers_and_names_stay_text(offline_page, tmp_path):
    from circlemap import webmap
    from circlemap.webmap.packing import tip_html
    from tests.webmap.support import features_of

    page, _ = offline_page
    cat = load_catalog()
    path = tmp_path / "tips.html"
    path.write_bytes(export.export(cat, Selection(), lang="en", fmt="html", today=TODAY))
    _open(page, path)
    shown = views.map_view_features(cat, Selection(), "overview")
    layer = webmap.build_feature_layer(cat, shown, lang="en", basemap="none")
    want = {
        f["properties"]["id"]: f["properties"]["tip"]
        for f in features_of(layer)
        if f["properties"].get("layer") == "feature" and "tip" in f["properties"]
    }
    assert sorted(want) == sorted(shown.index)
    assert page.evaluate(TIPS_JS) == want  # type: ignore[attr-defined]

    hostile = {
        "name_en": '<img src=x onerror=alert(1)> & "Jinan\'s"',
        "tipMeta": {"name": "name_en", "html": '<span class="cm-tip-meta">Rail</span>'},
    }
    made = page.evaluate("(p) => L.circlemap.tip(p)", hostile)  # type: ignore[attr-defined]
    assert made == tip_html(hostile)
    assert "<img" not in made


DRAWS_JS = """
() => {
  // Count the SVG drawings of each line and area of the map ("d" written) from
  // now on (the minimap's follow it, one view change after another).
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const counts = (window.__cmDraws = new Map());
  const draw = L.SVG.prototype._updatePoly;
  L.SVG.prototype._updatePoly = function (layer, closed) {
    if (layer._map === map) counts.set(layer, (counts.get(layer) || 0) + 1);
    return draw.call(this, layer, closed);
  };
}
"""

TAKE_DRAWS_JS = """
() => {
  // [paths drawn, the most times one was drawn] since the last call.
  const counts = [...window.__cmDraws.values()];
  window.__cmDraws.clear();
  return [counts.length, Math.max(0, ...counts)];
}
"""

STALE_JS = """
() => {
  // Paths whose drawing differs from a full redraw (projection and clipping anew).
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const paths = [];
  map.eachLayer((l) => {
    if (l instanceof L.Path && l._path) paths.push([l, l._path.getAttribute("d")]);
  });
  const stale = [];
  paths.forEach(([l, d]) => {
    l.redraw();
    const id = ((l.feature || {}).properties || {}).id || l._leaflet_id;
    if (l._path.getAttribute("d") !== d) stale.push(String(id));
  });
  return [paths.length, stale];
}
"""


def test_a_zoom_draws_each_path_once_and_as_a_full_redraw_would(offline_page, ten_times):
    """Leaflet's renderer draws each path three times per zoom without animation
    (zoomend, moveend, viewreset); the map script draws it once. Whatever the
    view went through, what is drawn is what a redraw from scratch draws."""
    page, attempted = offline_page
    path, _ = ten_times
    _open(page, path)
    _settled(page, SYMBOLS_JS)
    page.evaluate(DRAWS_JS)  # type: ignore[attr-defined]
    moves = (
        "m.setZoom(m.getZoom() + 1, {animate: false})",
        "m.panBy([180, -120], {animate: false})",
        "m.setZoom(m.getZoom() - 1, {animate: false})",
        "m.setView(m.getCenter(), m.getZoom() + 2, {animate: false})",
        # a layer off and on again (its paths are new SVG elements), then a zoom back
        "const g = []; m.eachLayer((l) => { if (l instanceof L.GeoJSON && l.getLayers().length)"
        " g.push(l); }); g.forEach((l) => m.removeLayer(l)); g.forEach((l) => m.addLayer(l))",
        "m.setZoom(m.getZoom() - 2, {animate: false})",
    )
    for move in moves:
        page.evaluate(  # type: ignore[attr-defined]
            f"() => {{ const m = Object.values(window).find((v) => v instanceof L.Map); {move}; }}"
        )
        _settled(page, SYMBOLS_JS)
        drawn, most = page.evaluate(TAKE_DRAWS_JS)  # type: ignore[attr-defined]
        assert drawn > 100, move
        assert most == 1, f"{move}: a path was drawn {most} times"
        total, stale = page.evaluate(STALE_JS)  # type: ignore[attr-defined]
        page.evaluate(TAKE_DRAWS_JS)  # type: ignore[attr-defined]  (the redraws just made)
        assert total > 100
        assert stale == [], move
    assert attempted == []
