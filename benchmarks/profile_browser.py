"""Where a city-filter change spends its time in the browser (CDP summary).

For the app (optionally at ``--scale`` times the features) and the plain
folium peer, one fresh Chromium session each: load the map, then profile
``--changes`` filter changes with the Chrome DevTools Protocol:

- ``Performance.getMetrics`` before and after: main-thread seconds in
  script, layout, style recalculation and tasks overall;
- the ``Profiler`` (V8 sampling, 200 µs) over the same changes: own time
  per script (Streamlit's frontend bundles, the streamlit-folium component,
  Leaflet, the app's ``circlemap.js``, the map's inline script) and the
  functions with the most own time.

The component's iframe is same-origin, so its JavaScript runs in the page's
isolate and is sampled too. Times are per filter change, wall-clock: on a
machine whose cores are shared they grow with the load, the shares do not.

Usage::

    .venv/bin/python -m benchmarks.profile_browser [--changes 4] [--scale 100] [--top 12]
        [--zooms 6]

With ``--zooms N`` each session profiles N zoom steps (±1, no animation) instead.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from benchmarks import compare, scale, synthetic
from circlemap import settings

ROOT: Final = Path(__file__).resolve().parent.parent

CITIES: Final = ("淄博", "德州", "泰安", "滨州", "聊城", "东营", "济南")
METRICS: Final = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")


def script_label(url: str) -> str:
    """A short name for the script a profiled function comes from."""
    if not url:
        return "(native / inline)"
    tail = url.rsplit("/", 1)[-1].split("?", maxsplit=1)[0]
    if "component/streamlit_folium" in url:
        return f"streamlit-folium component: {tail}"
    if "/vendor/" in url:
        return f"vendored: {tail}"
    if "/app/static/" in url:
        return f"app static: {tail}"
    if "/static/js/" in url or "/static/" in url:
        return "Streamlit frontend bundles"
    return tail or url


def aggregate(profile: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """Own seconds per script label and per function, from a CDP ``Profile``."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    own: dict[int, float] = defaultdict(float)
    for sample, delta in zip(profile.get("samples", []), deltas, strict=False):
        own[sample] += delta / 1e6
    by_script: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    for node_id, seconds in own.items():
        frame = nodes[node_id]["callFrame"]
        # An anonymous function is told apart by its line (CDP's are 0-based).
        name = frame.get("functionName") or f"(anonymous, line {frame.get('lineNumber', -1) + 1})"
        if name in ("(idle)", "(program)", "(garbage collector)", "(root)"):
            by_script[name] += seconds
            continue
        label = script_label(frame.get("url", ""))
        by_script[label] += seconds
        by_function[f"{name} [{label}]"] += seconds
    return dict(by_script), dict(by_function)


def _profile_one(
    browser: Any, target: compare.Target, city: str, ids: Sequence[str], zooms: int = 0
) -> Any:
    """A fresh session on ``target``: load, then profile one change to ``city``
    (or, with ``zooms``, that many zoom steps)."""
    session = compare.Session(browser, target)
    try:
        session.load()
        session.wait_quiet()
        cdp = session.context.new_cdp_session(session.page)
        cdp.send("Performance.enable")
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        cdp.send("Profiler.start")
        if zooms:
            session.zoom_steps(zooms)
        else:
            session.filter_change(city, ids)
        profile = cdp.send("Profiler.stop")["profile"]
        after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        session.close()
    return {name: after[name] - before[name] for name in METRICS}, aggregate(profile)


def profile_changes(target: compare.Target, changes: int, zooms: int = 0) -> dict[str, Any]:
    """``changes`` fresh sessions on ``target``, one profiled filter change each (the
    city multiselect adds a city per pick, so one session would narrow nothing), or
    ``zooms`` zoom steps each."""
    from playwright.sync_api import sync_playwright

    metrics: dict[str, float] = defaultdict(float)
    by_script: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    with sync_playwright() as pw:
        browser = compare.launch(pw)
        try:
            for i in range(changes):
                city, ids = target.changes[i % len(target.changes)]
                seen, (scripts, functions) = _profile_one(browser, target, city, ids, zooms)
                for name, seconds in seen.items():
                    metrics[name] += seconds / changes
                for label, seconds in scripts.items():
                    by_script[label] += seconds
                for label, seconds in functions.items():
                    by_function[label] += seconds
        finally:
            browser.close()
    return {"metrics": dict(metrics), "profile": (dict(by_script), dict(by_function))}


def report(name: str, result: dict[str, Any], changes: int, top: int, what: str) -> str:
    lines = [f"## {name}: per {what} (mean of {changes})"]
    for metric, seconds in result["metrics"].items():
        lines.append(f"  {metric:<22} {1000 * seconds:8.1f} ms")
    by_script, by_function = result["profile"]
    busy = sum(v for k, v in by_script.items() if k != "(idle)") or 1.0
    lines.append("  own time per script (sampled; share of the busy samples)")
    for label, seconds in sorted(by_script.items(), key=lambda item: -item[1]):
        if label != "(idle)":
            share = 100 * seconds / busy
            lines.append(f"    {label:<52} {1000 * seconds / changes:8.1f} ms {share:5.1f}%")
    lines.append(f"  top {top} functions by own time")
    for label, seconds in sorted(by_function.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"    {label[:90]:<90} {1000 * seconds / changes:8.1f} ms")
    return "\n".join(lines)


@contextlib.contextmanager
def _root(times: int) -> Iterator[Path | None]:
    if times == 1:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="circlemap-bprofile-") as tmp:
        yield synthetic.write_data_root(Path(tmp), times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=4, help="profiled filter changes")
    parser.add_argument("--scale", type=int, default=1, help="times the features (synthetic)")
    parser.add_argument("--top", type=int, default=12, help="functions listed")
    parser.add_argument(
        "--zooms", type=int, default=0, help="profile this many zoom steps per session instead"
    )
    args = parser.parse_args(argv)
    from circlemap.catalog import load_catalog

    with _root(args.scale) as root:
        env = {"CIRCLEMAP_DATA_ROOT": str(root)} if root else None
        with contextlib.ExitStack() as stack:
            cat = stack.enter_context(scale.data_root(root)) if root else load_catalog()
            geodata = Path(settings.GEODATA_DIR)
            app_url = stack.enter_context(compare.peer_server("app", env=env))
            plain_url = stack.enter_context(compare.peer_server("plain", env=env))
            targets = [
                compare.app_target(app_url, cat, CITIES),
                compare.plain_target(plain_url, geodata, CITIES),
            ]
            for target in targets:
                result = profile_changes(target, args.changes, args.zooms)
                what = f"session of {args.zooms} zoom steps" if args.zooms else "filter change"
                name = f"{target.name} at {args.scale}×"
                print(report(name, result, args.changes, args.top, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
