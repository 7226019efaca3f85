"""Tests of circlemap.webmap.legend: the web map's legend."""

from __future__ import annotations

from circlemap import styles, webmap
from circlemap.webmap import elements


def test_legend_lists_kinds_present_and_explains_the_line_styles(catalog):
    zh = webmap.legend_html(catalog, lang="zh")
    assert "轨道交通" in zh
    assert "产业园区" in zh
    assert "沿黄生态绿道" in zh
    assert "桥梁" not in zh  # no bridge in the catalog
    assert "示意走向" in zh
    assert "线路走向未公开" in zh
    assert "大致位置" in zh
    assert 'stroke-dasharray="10 8"' in zh
    assert 'stroke-dasharray="2 6"' in zh
    assert styles.kind_colour("rail") in zh
    en = webmap.legend_html(catalog, lang="en")
    assert "route not public" in en
    assert "approximate location" in en
    assert "Yellow River" in en


def test_legend_is_part_of_the_base_map(catalog):
    m = webmap.build_base_map(catalog, lang="en", basemap="none")
    furniture = next(el for el in elements.walk(m) if isinstance(el, elements.Furniture))
    assert furniture.options["legendHtml"] == webmap.legend_html(catalog, lang="en")
    assert furniture.options["fullscreenTitle"] == "Full screen"
