"""Screenshot every page of the running app in Chinese and English.

Start the app first (``.venv/bin/streamlit run app.py``), then, from the repository
root (where :mod:`devtools` imports)::

    .venv/bin/python -m scripts.take_screenshots --url http://localhost:8501 --out docs/screenshots

Drives the system Chromium (:data:`devtools.devserver.CHROMIUM`) with Playwright at
1400x900 and writes ``<page>-<lang>.png``, quantised to a small palette so
the committed files stay small (octree quantising keeps the small map
symbols in colour). Requests to hosts other than the app are blocked and
reported: the default view must work offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import Error, sync_playwright

from devtools.devserver import CHROMIUM, CHROMIUM_ARGS

MAP_IFRAME = "iframe[title*=streamlit_folium]"

SHOTS: dict[str, str] = {
    "overview": "?feature=road-jingshi-east-extension",
    "overview-city": "?city=淄博&focus=淄博",
    "transport": "transport?feature=rail-zibo-yaoqiang-airport",
    "ecology": "ecology",
    "measures": "measures",
    "timeline": "timeline",
    "about": "about",
}
"""File stem -> path and query (a selection makes the panels show something)."""

ZOOMED: dict[str, tuple[str, float, float, float]] = {
    "district": ("", 36.78, 117.9, 10.0),
}
"""File stem -> (path and query, lat, lon, zoom): the map moved there before the shot
(a district with no tile basemap: county names, water, borders)."""


def _with_lang(path: str, lang: str) -> str:
    if lang == "zh":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _wait_for_map(page: object) -> None:
    try:
        page.wait_for_selector(MAP_IFRAME, timeout=4_000)  # type: ignore[attr-defined]
    except Error:
        return  # a page without a map
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()  # type: ignore[attr-defined]
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('path.leaflet-interactive').length",
        timeout=30_000,
    )


def main() -> int:
    """Take the screenshots; return 1 if the app asked for anything outside localhost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8501")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--colours", type=int, default=128)
    parser.add_argument(
        "--only", nargs="*", default=None, metavar="STEM", help="take only these shots"
    )
    args = parser.parse_args()
    shots = {stem: (path, None) for stem, path in SHOTS.items()}
    shots |= {stem: (path, view) for stem, (path, *view) in ZOOMED.items()}
    if args.only:
        shots = {stem: shot for stem, shot in shots.items() if stem in args.only}
    args.out.mkdir(parents=True, exist_ok=True)
    app_host = urlsplit(args.url).hostname
    outside: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname == app_host:
            r.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            r.abort()  # type: ignore[attr-defined]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for lang in ("zh", "en"):
            for stem, (path, view) in shots.items():
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.route("**/*", route)
                page = context.new_page()
                page.goto(f"{args.url.rstrip('/')}/{_with_lang(path, lang)}")
                page.wait_for_selector("[data-testid=stSidebar]", timeout=30_000)
                _wait_for_map(page)
                if view is not None:
                    page.wait_for_selector(MAP_IFRAME, timeout=30_000)  # type: ignore[attr-defined]
                    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()  # type: ignore[attr-defined]
                    frame.wait_for_function("() => window.map", timeout=30_000)
                    frame.evaluate("(v) => window.map.setView([v[0], v[1]], v[2])", view)
                page.wait_for_timeout(2_500)  # let the view settle and the fonts load
                target = args.out / f"{stem}-{lang}.png"
                page.screenshot(path=target)
                image = Image.open(target).convert("RGB")
                palette = image.quantize(colors=args.colours, method=Image.Quantize.FASTOCTREE)
                palette.save(target, optimize=True)
                print(f"{target} ({target.stat().st_size // 1024} KiB)")
                context.close()
        browser.close()
    if outside:
        print("requests outside the app:", *sorted(set(outside)), sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
