"""Tests of circlemap.webmap.published: the base layers as one static file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re

import pytest

from circlemap import settings, webmap
from circlemap.errors import AssetError
from circlemap.webmap import elements, packing, published
from tests.webmap.support import html_of, sent_by_st_folium


def _published(catalog, tmp_path, lang="en"):
    layers = webmap.base_layers(catalog, lang=lang, basemap="none")
    return layers, webmap.publish_base_layers(layers, directory=tmp_path)


def test_the_file_holds_every_layer_and_label_under_the_hash_of_its_content(catalog, tmp_path):
    layers, shown = _published(catalog, tmp_path)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == [shown.url.rsplit("/", 1)[1]]  # no temporary file left
    data = files[0].read_bytes()
    assert files[0].name == f"base-{hashlib.sha256(data).hexdigest()[:20]}.json"
    assert shown.url == f"{settings.STATIC_URL}/{published.GEN_DIR}/{files[0].name}"
    doc = json.loads(data)
    assert doc["layers"] == [json.loads(layer.packed) for layer in layers.layers]
    assert [tuple(item[:2]) for item in doc["labels"]] == [lab[:2] for lab in layers.labels]
    assert len(doc["labels"]) == len(layers.labels) > 0
    assert doc["legend"] == layers.legend
    # everything but the URL is as made: the same map, the data elsewhere
    assert shown.layers == layers.layers
    assert shown.labels == layers.labels
    assert layers.url is None


def test_label_text_in_the_file_is_escaped_as_it_would_be_inline(catalog, tmp_path):
    layers = webmap.base_layers(catalog, lang="en", basemap="none")
    hostile = (36.7, 117.1, "<img src=x onerror=alert(1)>", "cm-label-city")
    layers = dataclasses.replace(layers, labels=(*layers.labels, hostile))
    webmap.publish_base_layers(layers, directory=tmp_path)
    (path,) = tmp_path.iterdir()
    text = path.read_text(encoding="utf-8")
    assert "<img" not in text
    assert json.loads(text)["labels"][-1][2] == "&lt;img src=x onerror=alert(1)&gt;"


def test_equal_content_is_one_file_and_other_content_another(catalog, tmp_path):
    _, first = _published(catalog, tmp_path)
    (path,) = tmp_path.iterdir()
    stamp = path.stat().st_mtime_ns
    _, again = _published(catalog, tmp_path)
    assert again.url == first.url
    assert path.stat().st_mtime_ns == stamp  # not rewritten
    _, zh = _published(catalog, tmp_path, lang="zh")
    assert zh.url != first.url
    assert len(list(tmp_path.iterdir())) == 2


def test_a_truncated_file_is_written_again(catalog, tmp_path):
    _published(catalog, tmp_path)
    (path,) = tmp_path.iterdir()
    whole = path.read_bytes()
    path.write_bytes(whole[:100])
    _published(catalog, tmp_path)
    assert path.read_bytes() == whole


def test_a_folder_that_cannot_be_written_keeps_the_layers_inline_and_says_so(
    catalog, tmp_path, caplog
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    layers = webmap.base_layers(catalog, lang="en", basemap="none")
    with caplog.at_level(logging.WARNING, logger=published.__name__):
        shown = webmap.publish_base_layers(layers, directory=blocked / "gen")
    assert shown == layers
    assert shown.url is None
    assert "drawn inline" in caplog.text
    assert "not-a-folder" in caplog.text


def test_a_published_map_fetches_its_base_and_carries_none_of_it(catalog, tmp_path):
    layers, shown = _published(catalog, tmp_path)
    inline = webmap.build_base_map(catalog, lang="en", basemap="none", layers=layers)
    fetched = webmap.build_base_map(catalog, lang="en", basemap="none", layers=shown)
    html = html_of(fetched)
    assert html.count("L.circlemap.fetched(") == len(layers.layers) + 1  # + labels
    assert json.dumps(shown.url) in html
    # the legend comes with the file too
    legend_json = packing.html_safe_json(layers.legend)
    assert legend_json in html_of(inline)
    assert legend_json not in html
    assert f'"legendFrom":{json.dumps(shown.url)}' in html
    inline_html = html_of(inline)
    drawn = [layer.packed for layer in layers.layers if json.loads(layer.packed)["features"]]
    assert drawn
    for packed in drawn:
        assert packed in inline_html
        assert packed not in html
    inline_script = sent_by_st_folium(inline)["script"]
    fetched_script = sent_by_st_folium(fetched)["script"]
    assert len(fetched_script) < len(inline_script)
    # the same elements in the same order: the layer control and legend still find them
    assert fetched_script.count("L.geoJson(") == inline_script.count("L.geoJson(")


def test_the_feature_table_is_published_under_the_hash_of_its_document(catalog, tmp_path):
    table = webmap.feature_table(catalog, lang="en", basemap="none")
    shown = webmap.publish_feature_table(table, directory=tmp_path)
    (path,) = tmp_path.iterdir()
    assert path.name == f"features-{hashlib.sha256(table.document).hexdigest()[:20]}.json"
    assert shown.url == f"{settings.STATIC_URL}/{published.GEN_DIR}/{path.name}"
    assert shown.records is table.records
    assert table.url is None
    doc = json.loads(path.read_bytes())
    assert [f["properties"]["id"] for f in doc["features"]] == list(table.records)


def test_a_feature_table_that_cannot_be_written_stays_inline_and_says_so(catalog, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    table = webmap.feature_table(catalog, lang="en", basemap="none")
    with caplog.at_level(logging.WARNING, logger=published.__name__):
        shown = webmap.publish_feature_table(table, directory=blocked / "gen")
    assert shown is table
    assert "features drawn inline" in caplog.text
    assert "not-a-folder" in caplog.text
    layer = webmap.build_feature_layer(
        catalog, catalog.features, lang="en", basemap="none", table=shown
    )
    assert all(v.rows is None for v in elements.walk(layer) if isinstance(v, elements.VectorLayer))


def _script_srcs(m) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', m.get_root().render())


def test_a_map_loads_its_scripts_as_one_file_in_the_order_they_would_load(catalog, tmp_path):
    def build():
        return webmap.build_base_map(catalog, lang="en", basemap="none")

    separate = _script_srcs(build())
    m = webmap.publish_scripts(build(), directory=tmp_path)
    (path,) = tmp_path.iterdir()
    assert path.name.startswith("scripts-")
    assert path.suffix == ".js"
    data = path.read_bytes()
    assert path.name == f"scripts-{hashlib.sha256(data).hexdigest()[:20]}.js"
    assert _script_srcs(m) == [f"{settings.STATIC_URL}/{published.GEN_DIR}/{path.name}"]
    assert len(separate) == 3  # Leaflet, Leaflet.PolylineOffset, circlemap.js
    text = data.decode("utf-8")
    starts = []
    for url in separate:
        rel = url.removeprefix(settings.STATIC_URL + "/")
        part = (settings.STATIC_DIR / rel).read_text(encoding="utf-8")
        body = re.sub(r"^//# sourceMappingURL=.*$", "", part, flags=re.MULTILINE).rstrip()
        assert body in text, rel
        starts.append(text.index(body))
    assert starts == sorted(starts)
    assert "sourceMappingURL" not in text  # they name files beside the parts
    assert "Vladimir Agafonkin" in text  # Leaflet's licence banner stays
    # the style sheets are untouched; the same map asks for the same file
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', m.get_root().render()) == (
        re.findall(r'<link rel="stylesheet" href="([^"]+)"', build().get_root().render())
    )
    assert _script_srcs(webmap.publish_scripts(build(), directory=tmp_path)) == _script_srcs(m)
    assert len(list(tmp_path.iterdir())) == 1


def test_a_changed_part_makes_a_new_file_and_a_missing_file_is_written_again(
    catalog, tmp_path, monkeypatch
):
    static = tmp_path / "static"
    for rel in (*elements.STATIC_JS.values(), "vendor/leaflet/leaflet.js"):
        (static / rel).parent.mkdir(parents=True, exist_ok=True)
        (static / rel).write_bytes((settings.STATIC_DIR / rel).read_bytes())
    monkeypatch.setattr(settings, "STATIC_DIR", static)
    out = tmp_path / "gen"
    first = _script_srcs(
        webmap.publish_scripts(webmap.build_base_map(catalog, lang="en", basemap="none"), out)
    )
    ours = static / elements.STATIC_JS["circlemap_js"]
    ours.write_text(ours.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    second = _script_srcs(
        webmap.publish_scripts(webmap.build_base_map(catalog, lang="en", basemap="none"), out)
    )
    assert second != first
    (newest,) = (p for p in out.iterdir() if second[0].endswith(p.name))
    assert newest.read_text(encoding="utf-8").rstrip().endswith("// edited\n;")
    newest.unlink()
    webmap.publish_scripts(webmap.build_base_map(catalog, lang="en", basemap="none"), out)
    assert newest.is_file()


def test_scripts_that_cannot_be_published_load_as_before_and_say_so(catalog, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    before = _script_srcs(webmap.build_base_map(catalog, lang="en", basemap="none"))
    with caplog.at_level(logging.WARNING, logger=published.__name__):
        m = webmap.publish_scripts(
            webmap.build_base_map(catalog, lang="en", basemap="none"), blocked / "gen"
        )
    assert _script_srcs(m) == before
    assert "scripts" in caplog.text
    assert "not-a-folder" in caplog.text


def test_a_script_the_app_does_not_serve_is_refused_by_name(catalog, tmp_path):
    m = webmap.build_base_map(catalog, lang="en", basemap="none")
    m.default_js = [*m.default_js, ("remote", "https://cdn.example.org/x.js")]
    with pytest.raises(AssetError, match=r"https://cdn\.example\.org/x\.js"):
        webmap.publish_scripts(m, tmp_path)
