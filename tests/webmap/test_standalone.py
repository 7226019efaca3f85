"""Tests of circlemap.webmap.standalone: one HTML file that opens offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from circlemap import assets, webmap
from circlemap.webmap import standalone
from tests.webmap.support import (
    BAD_NAME,
)


class _Links(HTMLParser):
    """Every src/href attribute of the page's tags (script bodies are not tags)."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [(tag, v or "") for k, v in attrs if k in ("src", "href")]


def _links(page):
    parser = _Links()
    parser.feed(page)
    return parser.urls


def _without_vendored_code(page):
    """The page minus the inlined third-party files (Leaflet's own licence links)."""
    npm = [f"{p.name}/{f}" for p in assets.NPM_PACKAGES for f in p.files]
    for rel in [*assets.VENDOR_FILES, *npm]:
        if rel.endswith(".js"):
            page = page.replace(assets.static_path(f"vendor/{rel}").read_text(encoding="utf-8"), "")
        elif rel.endswith(".css"):
            page = page.replace(standalone.inline_css(f"vendor/{rel}"), "")
    return page


def test_standalone_html_inlines_every_asset(catalog):
    m = webmap.build_base_map(catalog, lang="zh", basemap="none")
    webmap.build_feature_layer(catalog, catalog.features, lang="zh", basemap="none").add_to(m)
    page = webmap.render_standalone_html(m, title="测试", lang="zh")
    assert _links(page) == []  # no <script src>, <link href>, <img src> at all
    assert "1.9.4" in page  # Leaflet itself
    assert "L.circlemap" in page
    assert ".cm-legend" in page
    assert '<html lang="zh-CN">' in page
    assert "<title>测试</title>" in page
    assert BAD_NAME not in page
    assert not re.findall(r"https?://", _without_vendored_code(page))


def test_standalone_html_keeps_only_tile_templates_online(catalog):
    m = webmap.build_base_map(catalog, lang="en", basemap="osm")
    page = webmap.render_standalone_html(m, lang="en")
    assert _links(page) == []
    urls = set(re.findall(r"https?://[^\s\"'<>]+", _without_vendored_code(page)))
    assert urls == {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
