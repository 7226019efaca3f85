"""AppTest: in Chinese mode no page shows a Latin-script UI string.

Walks every page in zh (with a feature card, a city panel, a picked measure
and milestone, search results and a link notice open) and collects every
text the page sends: titles, markdown, captions, alerts, widget labels,
options, placeholders and help, page links, expander labels and table
headers. What is left after removing data codes (file names, ids, code in
backticks, URLs), abbreviations written in capitals (PNG, GCJ-02, MIT) and
a short list of proper names must hold no Latin word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pytest
from streamlit.testing.v1 import AppTest

from circlemap import settings, ui
from circlemap.state import PARAMS

TIMEOUT = 60
JINGSHI = "road-jingshi-east-extension"

TEXT_FIELDS = {"label", "body", "placeholder", "options", "help", "text", "caption", "title"}
"""Proto fields that hold what a reader sees (not ids, keys, icons or data bytes)."""

PROPER_NAMES = {
    "OpenStreetMap",
    "Esri",
    "GeoJSON",
    "Leaflet",
    "PyPI",
    "Wessel",
    "Smith",
    "Douglas",
    "Peucker",
    "Excel",
    "Word",
}
"""Names of products, data sets and people, written in Latin script in Chinese too."""

ALLOWED = [
    re.compile(r"`[^`]*`"),  # code: paths, commands, field names
    re.compile(r"“[^”]*”"),  # a value quoted back from the link
    re.compile(r"\b(?:" + "|".join(PARAMS) + r")(?=：)"),  # a link parameter's name
    re.compile(r"https?://\S+"),
    re.compile(r"[\w.*-]+\.(?:txt|geojson|json|md|py|csv|png|pdf|svg|html|\*)\b"),  # files
    re.compile(r"\b[A-Za-z0-9]+(?:[-_][A-Za-z0-9*]+)+\b"),  # ids and file stems
    re.compile(r"\b[A-Z][A-Z0-9]+(?:[-.][A-Z0-9]+)*\b"),  # PNG, GCJ-02, LGPL-3.0, CARTO
    re.compile(r"\b(?:" + "|".join(PROPER_NAMES) + r")\b"),
]


def latin_words(text: str) -> list[str]:
    """Latin words left in ``text`` once codes, abbreviations and names are removed.

    Markdown escapes are undone first; a block quote (``> ...``) is a verbatim
    source quote, i.e. data, and is skipped.
    """
    text = re.sub(r"\\(.)", r"\1", text)
    if text.startswith("> "):
        return []
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def _texts_of(proto: object) -> Iterator[str]:
    for field, value in proto.ListFields():  # type: ignore[attr-defined]
        if field.name in TEXT_FIELDS:
            if isinstance(value, str):
                yield value
            elif hasattr(value, "__iter__") and not isinstance(value, bytes):
                yield from (v for v in value if isinstance(v, str))
        elif field.message_type is not None:
            for item in value if isinstance(value, Sequence) else [value]:
                if hasattr(item, "ListFields"):
                    yield from _texts_of(item)


def page_texts(at: AppTest) -> list[str]:
    """Every reader-facing text of the current run, the language switch excepted."""
    out: list[str] = []
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "key", None) == ui.KEY_LANG:
            continue
        if getattr(node, "type", None) == "html":
            continue  # our own <style> blocks, never shown as text
        out.extend(_texts_of(proto))
    for frame in at.dataframe:
        out.extend(str(c) for c in frame.value.columns)
    return out


def app(**params: str) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_the_filter_removes_codes_but_not_words():
    assert latin_words("出处：鲁中晨报 · 000_62d8a2b4d5d19bc4.txt，GCJ-02，`scripts/x.py`") == []
    assert latin_words("Select all") == ["Select", "all"]
    assert latin_words("页面 Page not found") == ["Page", "not", "found"]
    assert latin_words("文件名：circle\\-map\\_circle\\_zh\\_2026\\-12\\-02\\.\\*") == []
    assert latin_words("city：未知取值“上海”; 未知参数“zoom”") == []
    assert latin_words("> 原文引文 (lián)") == []


VIEWS = [
    ("app_pages/overview.py", {}),
    ("app_pages/overview.py", {"feature": JINGSHI}),
    ("app_pages/overview.py", {"focus": "淄博"}),
    ("app_pages/overview.py", {"q": "淄博"}),
    ("app_pages/overview.py", {"city": "上海", "zoom": "3"}),  # a notice
    ("app_pages/transport.py", {"feature": JINGSHI}),
    ("app_pages/ecology.py", {}),
    ("app_pages/measures.py", {"measure": "agreement-jingshi-road-east"}),
    ("app_pages/timeline.py", {"milestone": "2020-06-08-guidance"}),
    ("app_pages/about.py", {}),
]


@pytest.mark.parametrize(("page", "params"), VIEWS)
def test_no_latin_ui_text_in_chinese_mode(page, params):
    at = app(**params)
    if page != "app_pages/overview.py":
        at = at.switch_page(page).run()
    assert not at.exception
    texts = page_texts(at)
    assert len(texts) > 10  # the walk found the page's texts
    leftovers = {text: words for text in texts if (words := latin_words(text))}
    assert leftovers == {}
