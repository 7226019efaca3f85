"""Briefings: what they say (content), the PDF read back with poppler and pdfminer, the DOCX.

The 淄博 briefings (zh and en) are rendered once per module from the real
data; every check reads the file back as a reader would: ``pdftotext`` for
the text, ``pdffonts`` for the fonts, pdfminer.six for where each character
sits on its page, python-docx for the Word copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest

from circlemap import views, vocab
from circlemap.brief import (
    batch_selections,
    briefing_filename,
    build_briefing,
    content,
    pdf,
    render_briefing,
    typeset,
)
from circlemap.brief.strings import bt
from circlemap.catalog import load_catalog
from circlemap.errors import ExportError
from circlemap.filters import Selection

ZIBO = Selection(cities=("淄博",))
TODAY = dt.date(2026, 12, 2)


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks fall anywhere in wrapped CJK text."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def zibo_pdfs(catalog, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("brief")
    paths = {}
    for lang in ("zh", "en"):
        path = folder / briefing_filename(ZIBO, lang, "pdf", TODAY)
        path.write_bytes(render_briefing(catalog, ZIBO, lang=lang, fmt="pdf", today=TODAY))
        paths[lang] = path
    return paths


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


# --- content -----------------------------------------------------------------------------


def test_briefing_holds_exactly_the_selection(catalog):
    briefing = build_briefing(catalog, ZIBO, lang="zh", today=TODAY)
    measures = views.visible_measures(catalog, ZIBO)
    features = views.visible_features(catalog, ZIBO)
    assert sorted(m.id for m in briefing.measures) == sorted(measures.index)
    assert sorted(f.id for f in briefing.features) == sorted(features.index)
    assert [f.number for f in briefing.features] == list(range(1, len(features) + 1))
    # groups follow the vocabulary's category order and hold only their category
    keys = [g.category for g in briefing.measure_groups]
    assert keys == [k for k in vocab.CATEGORIES if k in set(measures["category"])]
    for group in briefing.measure_groups:
        assert {measures.loc[m.id, "category"] for m in group.measures} == {group.category}


def test_summary_is_counts_of_what_is_listed(catalog):
    briefing = build_briefing(catalog, ZIBO, lang="en", today=TODAY)
    summary = briefing.summary
    assert summary.features == len(briefing.features)
    assert summary.measures == len(briefing.measures)
    assert sum(n for _, n in summary.by_kind) == summary.features
    assert sum(n for _, n in summary.by_status) == summary.features
    assert dict(summary.by_category) == {g.label: len(g.measures) for g in briefing.measure_groups}
    counts = [n for _, n in summary.by_category]
    assert counts == sorted(counts, reverse=True)


def test_quotes_are_the_catalogs_own_and_titled(catalog):
    briefing = build_briefing(catalog, ZIBO, lang="en", today=TODAY)
    for item in briefing.measures:
        row = catalog.measures.loc[item.id]
        assert item.quote.text == row["quote"]
        assert item.quote.source_title == vocab.SOURCES[row["source"]].en
        assert item.title == row["title_en"]


def test_quote_fragments_are_shown_joined():
    assert content.quote_text({"quote": ["双方将谋划", "淄博至济南"]}) == "双方将谋划淄博至济南"
    assert content.quote_text({"quote": "实施经十路东延工程"}) == "实施经十路东延工程"


def test_milestones_of_a_city_are_those_that_name_it_or_the_circle(catalog):
    zibo = {m.id for m in build_briefing(catalog, ZIBO, lang="zh").milestones}
    assert "2020-07-cooperation-meetings" in zibo  # names 淄博
    assert "2013-one-plus-six-plan" in zibo  # the whole circle
    assert "2021-02-19-jinan-implementation-opinions" not in zibo  # Jinan's own
    jinan = {
        m.id for m in build_briefing(catalog, Selection(cities=("济南",)), lang="zh").milestones
    }
    assert "2021-02-19-jinan-implementation-opinions" in jinan
    circle = build_briefing(catalog, Selection(), lang="zh").milestones
    assert len(circle) == len(catalog.milestones)


def test_filters_and_scope_are_stated(catalog):
    briefing = build_briefing(catalog, ZIBO.with_(kinds=("rail",)), lang="en", today=TODAY)
    assert briefing.scope == "Zibo"
    assert dict(briefing.filters)["Kinds"] == "Rail"
    assert dict(briefing.filters)["Statuses"] == "all"
    assert {f.kind_key for f in briefing.features} == {"rail"}
    assert build_briefing(catalog, Selection(), lang="zh").scope == bt("brief_scope_circle", "zh")


def test_file_names_and_bad_arguments(catalog):
    assert (
        briefing_filename(ZIBO, "en", "docx", TODAY) == "circle-map-brief_zibo_en_2026-12-02.docx"
    )
    assert briefing_filename(Selection(), "zh", "pdf", TODAY).startswith("circle-map-brief_circle_")
    with pytest.raises(ExportError, match="format"):
        render_briefing(catalog, ZIBO, lang="zh", fmt="odt")
    with pytest.raises(ExportError, match="language"):
        render_briefing(catalog, ZIBO, lang="fr")


def test_batch_is_each_city_then_the_circle():
    selections = batch_selections(Selection(kinds=("rail",)))
    assert [s.cities for s in selections] == [(c,) for c in vocab.CIRCLE_CITIES] + [()]
    assert all(s.kinds == ("rail",) for s in selections)


def test_button_labels_and_progress_text():
    from circlemap.brief.strings import button_label, progress_text

    assert button_label("pdf", "en") == "Briefing (PDF)"
    assert button_label("docx", "en", "Zibo") == "Zibo briefing (Word)"
    assert button_label("pdf", "zh", "淄博") == "淄博简报（PDF）"
    assert progress_text(2, 8, "Tai'an", "en") == "Building: Tai'an (2/8)"
    assert progress_text(8, 8, "", "zh") == "已生成 8 份简报"


# --- PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_text_has_every_quote_title_source_and_page_number(catalog, zibo_pdfs, lang):
    path = zibo_pdfs[lang]
    text = squeeze(pdftotext(path))
    measures = views.visible_measures(catalog, ZIBO)
    missing = [mid for mid, q in measures["quote"].items() if squeeze(q) not in text]
    assert not missing, f"quotes not found in the {lang} PDF: {missing}"
    if lang == "en":
        untitled = [mid for mid, t in measures["title_en"].items() if squeeze(t) not in text]
        assert not untitled, f"English titles not found: {untitled}"
    for source in set(measures["source"]):
        assert squeeze(views.source_title(source, lang)) in text
    total = page_count(path)
    assert total > 5
    for page in range(1, total + 1):
        page_text = pdftotext(path, "-f", str(page), "-l", str(page))
        assert bt("brief_page", lang).format(page=page, total=total) in page_text
    assert squeeze(bt("brief_contents", lang)) in text
    assert TODAY.isoformat() in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_embeds_the_cjk_font_and_nothing_else(zibo_pdfs, lang):
    table = subprocess.run(
        ["pdffonts", str(zibo_pdfs[lang])], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in table.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert "WenQuanYiMicroHei" in row[0], row
        emb, _sub, uni = row[-5:-2]
        assert (emb, uni) == ("yes", "yes"), row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_leaves_the_page_margins(zibo_pdfs, lang):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    width, height = typeset.PAGE_SIZE
    left, top, right, bottom = typeset.MARGINS
    edge = 10 * typeset.MM  # header and footer sit between this and the text frame
    slack = 0.5
    checked = 0
    for number, page in enumerate(extract_pages(zibo_pdfs[lang]), start=1):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            chars = [c for line in box for c in line if isinstance(c, LTChar)]
            for ch in chars:
                checked += 1
                where = f"page {number}: {ch.get_text()!r} at {ch.bbox}"
                assert edge <= ch.x0, where
                assert ch.x1 <= width - edge, where
                assert edge <= ch.y0, where
                assert ch.y1 <= height - edge, where
                in_band = ch.y0 > height - top or ch.y1 < bottom
                if not in_band:
                    assert left - slack <= ch.x0, where
                    assert ch.x1 <= width - right + slack, where
    assert checked > 5000


def test_cover_and_locator_maps_are_vector_with_their_labels(zibo_pdfs):
    # the print map's title and the locator's city names are text, not pixels
    cover = pdftotext(zibo_pdfs["en"], "-f", "1", "-l", "1")
    assert "Circle Map" in cover
    assert "Zibo" in cover
    images = subprocess.run(
        ["pdfimages", "-list", str(zibo_pdfs["en"])], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) == 2  # header lines only: no raster image anywhere


def test_data_text_is_inert_in_the_pdf(catalog):
    measures = catalog.measures.copy()
    first = measures.index[0]
    measures.loc[first, "title_en"] = "<font size=40>big</font> & <b>bold</b>"
    doctored = dataclasses.replace(catalog, measures=measures)
    briefing = build_briefing(doctored, Selection(), lang="en", today=TODAY)
    document, _ = pdf.layout(briefing)
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(document))
    assert "<font size=40>big</font> & <b>bold</b>" in text


def test_an_empty_selection_still_makes_a_briefing_that_says_so(catalog, tmp_path):
    nothing = Selection(cities=("德州",), kinds=("bridge",))
    path = tmp_path / "empty.pdf"
    path.write_bytes(render_briefing(catalog, nothing, lang="en", fmt="pdf", today=TODAY))
    text = pdftotext(path)
    assert bt("brief_features_none", "en") in text
    assert bt("brief_measures_none", "en") in text
    assert "Page 1 of" in text


# --- DOCX --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_opens_and_holds_the_same_measures(catalog, lang):
    import docx

    data = render_briefing(catalog, ZIBO, lang=lang, fmt="docx", today=TODAY)
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    headings = {p.text for p in document.paragraphs if p.style.name == "Heading 3"}
    body = squeeze("\n".join(paragraphs))
    briefing = build_briefing(catalog, ZIBO, lang=lang, today=TODAY)
    for item in briefing.measures:
        assert item.title in headings, item.id
        assert squeeze(item.quote.text) in body, item.id
    assert len(document.inline_shapes) == 2  # cover map and numbered map
    tables = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for item in briefing.features:
        assert item.name in tables
    assert document.core_properties.language == lang


# --- command line ------------------------------------------------------------------------


def test_cli_writes_one_briefing_with_the_format_from_the_suffix(tmp_path, capsys):
    from circlemap.cli import main

    out = tmp_path / "zibo.docx"
    assert (
        main(["brief", "--city", "Zibo", "--lang", "en", "--date", "2026-12-02", "-o", str(out)])
        == 0
    )
    import docx

    assert docx.Document(str(out)).core_properties.language == "en"
    assert "zibo.docx" in capsys.readouterr().out
    assert main(["brief", "--city", "淄博", "--format", "odt", "-o", str(tmp_path / "x")]) == 2
    assert "unknown briefing format 'odt'" in capsys.readouterr().err


def test_cli_all_cities_writes_every_city_and_the_circle_with_a_progress_bar(tmp_path, capsys):
    from circlemap.cli import main

    folder = tmp_path / "briefs"
    args = ["brief", "--all-cities", "--lang", "zh", "--date", "2026-12-02", "-o", str(folder)]
    assert main(args) == 0
    written = sorted(p.name for p in folder.iterdir())
    slugs = ["jinan", "zibo", "tai-an", "liaocheng", "dezhou", "binzhou", "dongying", "circle"]
    assert written == sorted(f"circle-map-brief_{s}_zh_2026-12-02.pdf" for s in slugs)
    assert all((folder / name).read_bytes()[:5] == b"%PDF-" for name in written)
    captured = capsys.readouterr()
    assert "[------------------------] 0/8 济南" in captured.err
    assert "8/8 done" in captured.err
    assert "8 briefings (pdf, zh)" in captured.out
    assert main(["brief", "--all-cities", "--city", "淄博", "-o", str(folder)]) == 2
