"""Tests of circlemap.export.captions: words on an export."""

from __future__ import annotations

from circlemap.export import captions


def test_wrap_text_breaks_cjk_by_width_and_latin_by_words():
    assert captions.wrap_text("短句", 10) == ["短句"]
    lines = captions.wrap_text("虚线：示意走向（按起讫地点直线连接，非实际线位）", 20)
    assert all(captions.display_width(line) <= 20 for line in lines)
    assert "".join(lines) == "虚线：示意走向（按起讫地点直线连接，非实际线位）"
    assert captions.wrap_text("Dashed: schematic alignment", 12) == [
        "Dashed:",
        "schematic",
        "alignment",
    ]
