"""Tests of circlemap.webmap.feature_table: features serialised once, joined per selection."""

from __future__ import annotations

import json

import pytest

from circlemap import webmap
from circlemap.catalog import load_catalog
from circlemap.filters import Selection
from circlemap.views import visible_features
from circlemap.webmap import elements, packing
from circlemap.webmap.feature_table import pack_rows
from tests.webmap.support import BAD_NAME, features_of

SELECTIONS = (
    Selection(),
    Selection(cities=("淄博",)),
    Selection(cities=("济南", "泰安"), kinds=("rail", "road")),
    Selection(cities=("德州",)),  # nothing of its own: no layer at all
    Selection(kinds=("science", "computing", "medical")),
)


def _packed(layer):
    """Each vector layer's name and its collection as sent (JSON, before unpacking)."""
    vectors = [v for v in elements.walk(layer) if isinstance(v, elements.VectorLayer)]
    return [(v.layer_name, json.loads(v.packed)) for v in vectors]


@pytest.fixture(scope="module")
def repository():
    return load_catalog()


@pytest.mark.parametrize("basemap", ["none", "amap"])
def test_one_table_serves_every_selection_as_a_fresh_build_would(repository, basemap):
    """The app makes one table per (data, lang, basemap) and joins it per selection:
    what changes with a selection (lines side by side, points that share a spot,
    the selected feature) must come out as a build made for that selection alone."""
    table = webmap.feature_table(repository, lang="en", basemap=basemap)
    seen_offsets = seen_fans = 0
    for selection in SELECTIONS:
        shown = visible_features(repository, selection)
        chosen = [str(shown.index[len(shown) // 2])] if len(shown) else []
        for selected_id in (None, *chosen):
            kwargs = {"lang": "en", "basemap": basemap, "selected_id": selected_id}
            kept = webmap.build_feature_layer(repository, shown, table=table, **kwargs)
            fresh = webmap.build_feature_layer(repository, shown, **kwargs)
            assert _packed(kept) == _packed(fresh)
            drawn = features_of(kept)
            assert {f["properties"]["id"] for f in drawn if "tip" in f["properties"]} == set(
                shown.index
            )
            seen_offsets += sum("offset" in f["properties"]["style"] for f in drawn)
            seen_fans += sum("fan" in f["properties"] for f in drawn)
    # The selections do exercise what a selection changes.
    assert seen_offsets
    assert seen_fans


def test_a_table_is_what_pack_layer_makes_of_the_same_features(repository):
    """The joined text is the generic packing of the same collection (unpacked alike)."""
    table = webmap.feature_table(repository, lang="zh", basemap="none")
    layer = webmap.build_feature_layer(
        repository, repository.features, lang="zh", basemap="none", table=table
    )
    for vector in (v for v in elements.walk(layer) if isinstance(v, elements.VectorLayer)):
        collection = packing.unpack_collection(vector.packed)
        for feature in collection["features"]:
            props = feature["properties"]
            if props["layer"] != "feature":
                continue
            assert props["tip"].startswith('<span class="cm-tip-name">')
            assert props["name_zh"] in props["tip"]
            assert isinstance(props["style"], dict)
            assert isinstance(props["hover"], dict)
        # Each distinct style, hover and tooltip part is sent once.
        styles = json.loads(vector.packed).get("styles", [])
        assert len({json.dumps(s, sort_keys=True) for s in styles}) == len(styles)


def test_a_table_of_another_language_basemap_or_data_is_refused(repository):
    table = webmap.feature_table(repository, lang="zh", basemap="none")
    with pytest.raises(ValueError, match=r"\(zh, none\), not \(en, none\)"):
        webmap.build_feature_layer(
            repository, repository.features, lang="en", basemap="none", table=table
        )
    renamed = repository.features.rename(index={repository.features.index[0]: "not-a-feature"})
    with pytest.raises(ValueError, match="not-a-feature"):
        webmap.build_feature_layer(repository, renamed, lang="zh", basemap="none", table=table)


def test_feature_names_are_inert_in_the_joined_text(catalog):
    """Names are escaped once, when the table is made, and stay so when joined."""
    features = catalog.features.assign(name_en=BAD_NAME, name_zh=BAD_NAME + "{{x}}")
    table = webmap.feature_table(catalog, features, lang="en", basemap="none")
    layer = webmap.build_feature_layer(catalog, features, lang="en", basemap="none", table=table)
    for vector in (v for v in elements.walk(layer) if isinstance(v, elements.VectorLayer)):
        assert "<script>" not in vector.packed
        assert "{{" not in vector.packed
    names = {f["properties"].get("name_en") for f in features_of(layer)}
    assert BAD_NAME in names


@pytest.mark.parametrize("basemap", ["none", "amap"])
def test_rows_into_the_published_table_make_what_the_inline_layer_draws(
    repository, basemap, tmp_path
):
    """The app sends rows into the table's file; composed with that file, they must
    be the very features (properties, styles, geometry) the inline layer carries."""
    table = webmap.feature_table(repository, lang="zh", basemap=basemap)
    published = webmap.publish_feature_table(table, directory=tmp_path)
    assert published.url is not None
    (path,) = tmp_path.iterdir()
    assert path.read_bytes() == table.document
    kinds = set()
    for selection in SELECTIONS:
        shown = visible_features(repository, selection)
        chosen = [str(shown.index[-1])] if len(shown) else []
        for selected_id in (None, *chosen):
            kwargs = {"lang": "zh", "basemap": basemap, "selected_id": selected_id}
            inline = webmap.build_feature_layer(repository, shown, table=table, **kwargs)
            rows = webmap.build_feature_layer(repository, shown, table=published, **kwargs)
            assert features_of(rows) == features_of(inline)
            sent = [v for v in elements.walk(rows) if isinstance(v, elements.VectorLayer)]
            for vector in sent:
                if vector.rows is None:  # the halo and city outlines stay inline
                    continue
                spec = json.loads(vector.packed)
                kinds.update(k for k in ("fan", "selected") if k in spec)
                kinds.update("hit" for row in spec["rows"] if len(row) == 4)
                assert repository.features.iloc[0]["name_zh"] not in vector.packed
    assert kinds == {"fan", "selected", "hit"}  # every part of a row was exercised


def test_rows_are_a_fraction_of_the_features_they_point_to(repository, tmp_path):
    table = webmap.publish_feature_table(
        webmap.feature_table(repository, lang="en", basemap="none"), directory=tmp_path
    )
    every = repository.features
    rows = webmap.build_feature_layer(repository, every, lang="en", basemap="none", table=table)
    sent = sum(len(v.packed) for v in elements.walk(rows) if isinstance(v, elements.VectorLayer))
    assert sent * 4 < len(table.document)


def test_rows_refuse_a_record_of_another_table(repository, tmp_path):
    zh = webmap.publish_feature_table(
        webmap.feature_table(repository, lang="zh", basemap="none"), directory=tmp_path
    )
    other = webmap.feature_table(repository, lang="zh", basemap="none")
    record = next(iter(other.records.values()))
    with pytest.raises(ValueError, match=record.id):
        pack_rows([record], table=zh, name="lines")


def test_the_document_keeps_names_inert(catalog, tmp_path):
    features = catalog.features.assign(name_en=BAD_NAME, name_zh=BAD_NAME + "{{x}}")
    table = webmap.feature_table(catalog, features, lang="en", basemap="none")
    text = table.document.decode("utf-8")
    assert "<script>" not in text
    assert "{{" not in text
    doc = json.loads(text)
    assert {f["properties"]["name_en"] for f in doc["features"]} == {BAD_NAME}
    published = webmap.publish_feature_table(table, directory=tmp_path)
    layer = webmap.build_feature_layer(
        catalog, features, lang="en", basemap="none", table=published
    )
    tips = {f["properties"].get("tip") for f in features_of(layer)} - {None}
    assert tips
    assert all("&lt;script&gt;" in tip and "<script>" not in tip for tip in tips)
