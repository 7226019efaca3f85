"""Tests of circlemap.export.print_map: PNG, PDF and SVG of the print map."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from lxml import etree
from PIL import Image

from circlemap import export, fonts
from circlemap.filters import Selection
from tests.export.support import (
    SVG_NS,
    TITLE_ZH,
    TODAY,
    pdf_text,
    pdf_tool,
)


@pytest.mark.parametrize(("width", "lang"), [(export.DEFAULT_WIDTH_PX, "zh"), (1200, "en")])
def test_png_has_the_asked_width_a4_shape_and_real_content(catalog, width, lang):
    data = export.export(catalog, Selection(), lang=lang, fmt="png", width_px=width, today=TODAY)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width == width
    assert image.height == pytest.approx(width * 210 / 297, abs=2)
    pixels = np.asarray(image, dtype=float)
    assert pixels.std() > 20  # not a blank page
    colours = {tuple(c) for c in pixels[::7, ::7].reshape(-1, 3).astype(int)}
    assert len(colours) > 50


def test_png_default_is_at_least_2400_px_for_slides(catalog):
    data = export.export(catalog, Selection(kinds=("rail",)), lang="zh", fmt="png", today=TODAY)
    assert Image.open(io.BytesIO(data)).width >= 2400


def test_pdf_text_is_extractable_chinese_title_and_city(zibo_pdf_zh, tmp_path):
    text = pdf_text(zibo_pdf_zh, tmp_path)
    assert TITLE_ZH in text
    assert "淄博" in text
    assert "济南" in text
    assert "2026-11-22" in text


def test_pdf_embeds_the_bundled_cjk_font_and_no_other(zibo_pdf_zh, tmp_path):
    path = tmp_path / "map.pdf"
    path.write_bytes(zibo_pdf_zh)
    listing = subprocess.run(
        [pdf_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, listing
    for row in rows:
        assert "WenQuanYiMicroHei" in row[0], listing
        assert row[-5] == "yes", f"font not embedded: {listing}"  # emb column
    assert any("TrueType" in line for line in listing.splitlines()[2:])


def test_pdf_in_english_names_cities_in_english(catalog, tmp_path):
    data = export.export(catalog, Selection(kinds=("rail",)), lang="en", fmt="pdf", today=TODAY)
    text = pdf_text(data, tmp_path)
    assert "Circle Map" in text
    assert "Zibo" in text
    assert "Dashed: schematic alignment" in text
    assert text.count("Other Shandong cities") == 1  # each legend drawn once


def test_svg_parses_keeps_text_and_embeds_the_font(catalog):
    data = export.export(catalog, Selection(cities=("淄博",)), lang="zh", fmt="svg", today=TODAY)
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG_NS}text")]
    joined = "\n".join(texts)
    assert any(TITLE_ZH in text for text in texts)
    assert "淄博" in joined
    styles = "".join(el.text or "" for el in root.iter(f"{SVG_NS}style"))
    assert "@font-face" in styles
    assert fonts.FONT_FAMILY in styles
    assert "data:font/ttf;base64," in styles


def test_empty_selection_still_renders_with_a_note(catalog, tmp_path):
    selection = Selection(cities=("济南",), kinds=("bridge",))
    text = pdf_text(export.export(catalog, selection, lang="en", fmt="pdf", today=TODAY), tmp_path)
    assert "No features match the filters" in text


def test_selected_feature_is_named_in_the_legend_even_if_filtered_out(catalog, tmp_path):
    data = export.export(
        catalog,
        Selection(kinds=("road",)),
        lang="en",
        fmt="pdf",
        feature="science-zibo-park",
        today=TODAY,
    )
    assert "Selected: Zibo science park" in pdf_text(data, tmp_path)
