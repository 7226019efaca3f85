from __future__ import annotations

import pytest

from circlemap import basemaps


def test_the_offline_default_draws_no_tiles():
    assert basemaps.DEFAULT_BASEMAP == "none"
    assert next(iter(basemaps.BASEMAPS)) == "none"
    assert basemaps.BASEMAPS["none"].tiles == ()


@pytest.mark.parametrize("key", [k for k, b in basemaps.BASEMAPS.items() if b.tiles])
def test_every_tiled_basemap_has_labels_attribution_and_a_tile_template(key):
    base = basemaps.BASEMAPS[key]
    assert base.key == key
    assert base.label("zh")
    assert base.label("en")
    assert base.attribution("zh")
    assert base.attribution("en")
    for spec in base.tiles:
        assert spec.url.startswith("https://")
        assert all(p in spec.url for p in ("{z}", "{x}", "{y}"))


def test_only_amap_is_drawn_in_gcj02():
    assert [k for k, b in basemaps.BASEMAPS.items() if b.is_gcj02] == ["amap"]


def test_tianditu_is_hidden_without_a_key():
    for key in (None, "", "   "):
        assert "tianditu" not in basemaps.available_basemaps(key)
    assert basemaps.available_basemaps(None)[0] == "none"
    assert {"osm", "esri_light_gray", "esri_imagery", "amap"} <= set(
        basemaps.available_basemaps(None)
    )


def test_tianditu_is_offered_with_a_key_and_draws_vector_and_labels():
    assert "tianditu" in basemaps.available_basemaps("abc123")
    urls = basemaps.tile_urls(basemaps.BASEMAPS["tianditu"], key="abc123")
    assert len(urls) == 2
    assert "/vec_w/" in urls[0]
    assert "LAYER=vec&" in urls[0]
    assert "/cva_w/" in urls[1]
    assert "LAYER=cva&" in urls[1]
    assert all(u.endswith("&tk=abc123") for u in urls)


def test_a_key_is_url_quoted():
    (url, _) = basemaps.tile_urls(basemaps.BASEMAPS["tianditu"], key="a&b c")
    assert url.endswith("&tk=a%26b%20c")


def test_tianditu_without_a_key_cannot_make_tile_urls():
    with pytest.raises(basemaps.BasemapError, match="needs a key"):
        basemaps.tile_urls(basemaps.BASEMAPS["tianditu"], key=None)


def test_unknown_basemap_is_a_domain_error():
    with pytest.raises(basemaps.BasemapError, match="unknown basemap 'google'"):
        basemaps.get_basemap("google")


def test_carto_is_offered_only_with_its_key():
    # Since late August 2026 CARTO's raster tiles without a key carry a watermark.
    assert "carto_light" not in basemaps.available_basemaps(None)
    assert "carto_light" not in basemaps.available_basemaps(None, keys={"carto_light": " "})
    assert "carto_light" in basemaps.available_basemaps(None, keys={"carto_light": "k1"})
    (url,) = basemaps.tile_urls(basemaps.BASEMAPS["carto_light"], key="k&1")
    assert url.endswith("?api_key=k%261")
    with pytest.raises(basemaps.BasemapError, match="CARTO_API_KEY"):
        basemaps.tile_urls(basemaps.BASEMAPS["carto_light"], key=None)


def test_a_key_free_light_basemap_is_always_offered():
    light = basemaps.BASEMAPS["esri_light_gray"]
    assert not light.needs_key
    assert "esri_light_gray" in basemaps.available_basemaps(None)


def test_keys_come_from_the_named_environment_variables():
    env = {"CARTO_API_KEY": "c1", "TIANDITU_KEY": "t1"}
    assert basemaps.key_from_env("carto_light", env) == "c1"
    assert basemaps.key_from_env("tianditu", env) == "t1"
    assert basemaps.key_from_env("osm", env) is None
