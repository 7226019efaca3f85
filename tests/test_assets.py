from __future__ import annotations

import folium
import pytest
from folium.plugins import MousePosition

from circlemap import assets, settings


def test_vendor_assets_are_copied_from_the_package(tmp_path):
    target = assets.ensure_vendor_assets(tmp_path)
    js = (target / "leaflet/leaflet.js").read_text(encoding="utf-8")
    assert "1.9.4" in js[:300]
    assert (target / "leaflet/images/layers.png").stat().st_size > 0
    # A second call is a no-op and keeps the files.
    assets.ensure_vendor_assets(tmp_path)
    assert (target / "leaflet/leaflet.css").is_file()


def test_localize_rewrites_map_assets_to_local_urls():
    m = folium.Map(tiles=None)
    assets.localize_assets(m)
    urls = [u for _, u in m.default_js + m.default_css]
    assert urls == [
        f"{settings.STATIC_URL}/vendor/leaflet/leaflet.js",
        f"{settings.STATIC_URL}/vendor/leaflet/leaflet.css",
    ]
    # The class-level defaults stay untouched for other maps.
    assert any(u.startswith("https://") for _, u in folium.Map.default_js)


def test_localize_refuses_a_remote_plugin_without_local_copy():
    m = folium.Map(tiles=None)
    MousePosition().add_to(m)
    with pytest.raises(assets.AssetError, match="MousePosition"):
        assets.localize_assets(m)


@pytest.mark.parametrize("rel", sorted(assets.NPM_ASSETS))
def test_npm_plugins_are_committed_unchanged_with_their_licence(rel):
    import hashlib

    package, licence, digest = assets.NPM_ASSETS[rel]
    path = settings.STATIC_DIR / rel
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{rel} differs from {package}"
    licence_text = (path.parent / "LICENSE").read_text(encoding="utf-8")
    assert licence in licence_text
    readme = (settings.STATIC_DIR / "npm" / "README.md").read_text(encoding="utf-8")
    assert package in readme
