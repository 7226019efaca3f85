"""A third source is data: a text file, one record in sources.yaml, measures quoting it.

No code changes: the fixture copies the repository's data, adds a small
Traditional-Chinese source with a conversion leftover and a column break,
and checks it end to end: validator, catalog, app (AppTest) and export.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from circlemap import catalog, cli, settings, validate

NEW = "900_0123456789abcdef.txt"
TEXT = "濟淄兩市將共同建設城際綠道示範(shì)區,推進兩市\n\n專欄\n\n公交同城化發(fā)展。\n"
SOURCE_RECORD = f"""
- file: {NEW}
  title_zh: 测试来源（第三份原文）
  title_en: Test source (a third source text)
  date: '2022-05-01'
  language: [zh-Hant]
  script: traditional
  cleaning: [pinyin_leftovers]
  licence: Test fixture written for this test.
"""
MEASURE_RECORDS = f"""
- id: fixture-greenway-demo
  category: ecology
  title_zh: 共同建设城际绿道示范区
  title_en: Jointly build an intercity greenway demonstration zone
  scope: jinan_zibo_agreement
  cities: [济南, 淄博]
  status: building
  standing: agreed
  source: {NEW}
  quote: 濟淄兩市將共同建設城際綠道示範(shì)區

- id: fixture-bus-same-city
  category: transport
  title_zh: 推进两市公交同城化发展
  title_en: Advance same-city bus services of the two cities
  scope: jinan_zibo_agreement
  cities: [济南, 淄博]
  status: advancing
  standing: agreed
  source: {NEW}
  quote: [推進兩市, 公交同城化發(fā)展。]
"""


@pytest.fixture
def third_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's data and seeds with one more source and two measures."""
    seeds, data, geodata = tmp_path / "seeds", tmp_path / "data", tmp_path / "geodata"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    shutil.copytree(settings.DATA_DIR, data)
    shutil.copytree(settings.GEODATA_DIR, geodata)
    (seeds / NEW).write_text(TEXT, encoding="utf-8")
    with (data / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(SOURCE_RECORD)
    with (data / "measures.yaml").open("a", encoding="utf-8") as f:
        f.write(MEASURE_RECORDS)
    monkeypatch.setattr(settings, "SEEDS_DIR", seeds)
    monkeypatch.setattr(settings, "DATA_DIR", data)
    monkeypatch.setattr(settings, "GEODATA_DIR", geodata)
    return tmp_path


def test_validator_accepts_the_new_source(third_source: Path) -> None:
    assert validate.validate_files(validate.repository_files().values()) == []


def test_validator_checks_quotes_against_the_new_source(third_source: Path) -> None:
    path = third_source / "data" / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("[推進兩市, 公交同城化發(fā)展。]", "[公交同城化發(fā)展。, 推進兩市]")
    path.write_text(swapped, "utf-8")
    [failure] = validate.validate_files(validate.repository_files().values())
    assert failure.file.endswith("measures.yaml")
    [(rid, field, message)] = failure.problems
    assert (rid, field) == ("fixture-bus-same-city", "quote")
    assert "source order" in message
    assert NEW in message


def test_catalog_gives_the_reader_forms(third_source: Path) -> None:
    cat = catalog.load_catalog()
    row = cat.measures.loc["fixture-greenway-demo"]
    assert row["quote"] == "濟淄兩市將共同建設城際綠道示範(shì)區"
    assert row["quote_reader_zh"] == "济淄两市将共同建设城际绿道示范区"
    joined = cat.measures.loc["fixture-bus-same-city"]
    assert joined["quote"] == "推進兩市公交同城化發(fā)展。"
    assert joined["quote_reader_zh"] == "推进两市公交同城化发展。"
    assert cat.sources.loc[NEW, "title_en"] == "Test source (a third source text)"


def test_app_shows_the_new_source(third_source: Path) -> None:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("app_pages/measures.py").run()
    at.selectbox(key="measures_pick").set_value("fixture-bus-same-city").run()
    assert not at.exception
    # markdown escapes brackets and underscores: compare the unescaped text
    shown = "\n".join(str(e.value) for e in [*at.markdown, *at.caption]).replace("\\", "")
    assert "推进两市公交同城化发展。" in shown  # joined and Simplified
    assert "1. 推進兩市" in shown  # verbatim fragments, one click away
    assert "2. 公交同城化發(fā)展。" in shown
    assert "测试来源（第三份原文）" in shown
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    about = "\n".join(str(e.value) for e in at.markdown) + str(
        [frame.value.to_csv() for frame in at.dataframe]
    )
    assert NEW in about


def test_export_names_the_new_source(third_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "measures.csv"
    assert cli.main(["export", "--lang", "en", "--view", "overview", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "fixture-bus-same-city" in text
    assert "Test source (a third source text)" in text
    assert "as of May 2022" in text
