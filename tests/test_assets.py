from __future__ import annotations

import json

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


def test_npm_plugins_are_served_with_their_licences(tmp_path):
    target = assets.ensure_vendor_assets(tmp_path)
    for pkg in assets.NPM_PACKAGES:
        folder = target / pkg.name
        licence = (folder / pkg.licence).read_text(encoding="utf-8")
        phrase = {
            "BSD-2-Clause": "Redistribution and use in source and binary forms",
            "MIT": "Permission is hereby granted, free of charge",
        }[pkg.spdx]
        assert phrase in licence, f"{pkg.name}: {pkg.licence} is not the {pkg.spdx} text"
        meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        assert (meta["name"], meta["version"], meta["license"]) == (
            pkg.name,
            pkg.version,
            pkg.spdx,
        )
        for inner in pkg.files:
            assert (folder / inner).stat().st_size > 0


def test_the_map_loads_the_plugins_from_the_app(tmp_path):
    for name in ("polylinemeasure", "minimap"):
        rel = assets.LOCAL_JS[name]
        assert rel.startswith("vendor/")
        assert (settings.STATIC_DIR / rel).is_file()


def test_a_missing_plugin_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "NPM_DIR", tmp_path / "npm")
    with pytest.raises(assets.AssetError, match=r"vendor_npm\.py"):
        assets.ensure_vendor_assets(tmp_path / "vendor")
