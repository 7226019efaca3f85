"""Tests of circlemap.fonts: the bundled export font."""

from __future__ import annotations

from circlemap import fonts


def test_export_font_comes_from_the_pinned_package_not_the_system():
    path = fonts.font_path()
    assert fonts.FONT_PACKAGE in str(path)
    assert fonts.register_export_font() == fonts.FONT_FAMILY
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=fonts.FONT_FAMILY))
    assert found == str(path)


def test_font_face_css_subsets_to_the_text():
    css = fonts.font_face_css("淄博 Zibo")
    assert css.startswith("@font-face")
    assert len(css) < 60_000  # a subset, not the 5 MB collection
