"""The standalone HTML export opens offline in Chromium and shows the vector map.

The file is opened from disk with every non-file request blocked and
recorded: with the default tile-free basemap the page must ask for nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from circlemap import export, views
from circlemap.catalog import load_catalog
from circlemap.export import captions
from circlemap.filters import Selection

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _open(page: object, path: Path) -> None:
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    page.wait_for_selector(".leaflet-overlay-pane svg path", state="attached")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("selection", "lang"),
    [(Selection(), "zh"), (Selection(cities=("淄博",), kinds=("rail",)), "en")],
)
def test_html_export_opens_offline_with_the_vector_layers(
    catalog, offline_page, tmp_path, selection, lang
):
    page, attempted = offline_page
    path = tmp_path / export.suggested_filename(selection, lang, "html", TODAY)
    path.write_bytes(export.export(catalog, selection, lang=lang, fmt="html", today=TODAY))
    _open(page, path)

    paths = page.locator(".leaflet-overlay-pane svg path")  # type: ignore[attr-defined]
    # 7 circle cities, their counties, 9 context cities, the river, the features
    assert paths.count() >= len(catalog.cities) + len(catalog.counties) + len(catalog.context)
    features = views.selected_features(catalog, selection)
    assert not features.empty
    caption = page.locator(".circlemap-export-caption")  # type: ignore[attr-defined]
    assert caption.is_visible()
    assert captions.map_title(selection, lang) in caption.inner_text()
    assert page.locator(".leaflet-tile").count() == 0  # type: ignore[attr-defined]
    assert attempted == [], f"the offline HTML asked the network for: {attempted}"


def test_html_export_highlights_and_names_the_selected_feature(catalog, offline_page, tmp_path):
    page, attempted = offline_page
    feature = str(catalog.features.index[0])
    path = tmp_path / "selected.html"
    path.write_bytes(
        export.export(catalog, Selection(), lang="zh", fmt="html", feature=feature, today=TODAY)
    )
    _open(page, path)
    html = path.read_text(encoding="utf-8")
    assert feature in html  # ids travel with the GeoJSON for tooltips and clicks
    assert page.title() == captions.map_title(Selection(), "zh")  # type: ignore[attr-defined]
    assert attempted == []


def test_clicking_a_feature_in_the_offline_html_opens_its_card(catalog, offline_page, tmp_path):
    page, attempted = offline_page
    path = tmp_path / "cards.html"
    path.write_bytes(export.export(catalog, Selection(), lang="zh", fmt="html", today=TODAY))
    _open(page, path)
    # The first path is drawn before the points are fanned out and the view is
    # fitted: wait (bounded) until some site is the topmost element at its spot.
    handle = page.wait_for_function(  # type: ignore[attr-defined]
        """() => {
          const map = Object.values(window).find((v) => v instanceof L.Map);
          for (const k in map._layers) {
            const l = map._layers[k];
            const p = (l.feature || {}).properties;
            if (!p || p.layer !== "feature" || !l.getLatLng || !l._path) continue;
            const c = map.latLngToContainerPoint(l.getLatLng());
            const box = map.getContainer().getBoundingClientRect();
            const x = box.left + c.x, y = box.top + c.y;
            if (document.elementFromPoint(x, y) === l._path) return [x, y, p.id];
          }
          return null;
        }""",
        timeout=20_000,
    )
    target = handle.json_value()
    assert target is not None
    x, y, _ = target
    page.wait_for_timeout(500)  # type: ignore[attr-defined]  # the map has settled (fan-out)
    page.mouse.click(x, y)  # type: ignore[attr-defined]
    card = page.locator(".leaflet-popup .cm-card")  # type: ignore[attr-defined]
    card.wait_for()
    feature = page.evaluate(  # type: ignore[attr-defined]
        "() => Object.values(window).find((v) => v instanceof L.Map)"
        "._popup._source.feature.properties.id"
    )
    row = catalog.features.loc[feature]
    assert row["name_zh"] in card.inner_text()
    assert row["quote"][:12] in card.inner_text()  # the verbatim quote
    assert "出处" in card.inner_text()
    assert attempted == []
