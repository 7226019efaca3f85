"""A map as one self-contained HTML file: Leaflet's and our JS/CSS inlined (export only)."""

from __future__ import annotations

import base64
import re

import folium

from circlemap import assets
from circlemap.webmap.elements import Plugins
from circlemap.webmap.geojson import html_text

_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>', re.IGNORECASE)


_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>', re.IGNORECASE)


_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>images/[^'\")]+)(?P=q)\)")


def inline_css(rel: str) -> str:
    path = assets.static_path(rel)
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = path.parent / match.group("path")
        if not image.is_file():
            return match.group(0)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        mime = "image/svg+xml" if image.suffix == ".svg" else "image/png"
        return f'url("data:{mime};base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)


def render_standalone_html(m: folium.Map, *, title: str | None = None, lang: str = "zh") -> str:
    """The map as one self-contained HTML file that opens offline.

    Leaflet's, the plugins' and our own JS/CSS are inlined (``<script>``/``<style>``), the
    images Leaflet's CSS refers to become data URIs; only tile URL templates
    (when a tiled basemap is chosen) still point online.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_base_map`, usually with a feature layer added
        (``build_feature_layer(...).add_to(m)``).
    title : str, optional, keyword-only
        ``<title>`` of the page (escaped).
    lang : {"zh", "en"}, keyword-only
        Language of the page (``<html lang>``), so the browser picks CJK fonts.

    Raises
    ------
    circlemap.assets.AssetError
        If an element links an asset the app does not serve itself.
    """
    assets.ensure_vendor_assets()
    # The app loads the plugins after the map is drawn; offline they are inlined.
    if not any(isinstance(child, Plugins) for child in m._children.values()):
        Plugins().add_to(m)
    assets.localize_assets(m)
    root = m.get_root()
    page = root.render()

    def script(match: re.Match[str]) -> str:
        js = assets.static_path(assets.static_rel(match.group("url"))).read_text(encoding="utf-8")
        return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"

    def style(match: re.Match[str]) -> str:
        css = inline_css(assets.static_rel(match.group("url")))
        return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _CSS_LINK.sub(style, page)
    if title:
        page = page.replace("<head>", f"<head>\n<title>{html_text(title)}</title>", 1)
    html_lang = "en" if lang == "en" else "zh-CN"
    return page.replace("<html>", f'<html lang="{html_lang}">', 1)
