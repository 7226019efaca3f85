"""Benchmark the app against its budget, beside a naive baseline measured in the same run.

Usage::

    .venv/bin/python -m benchmarks.run            # full: medians of many runs
    .venv/bin/python -m benchmarks.run --quick    # few runs (CI, scripts/test.sh)
    .venv/bin/python -m benchmarks.run --json out.json

Prints one table per section (``metric | value | baseline | ratio | budget |
within?``; ratio = baseline ÷ value, higher is better) and writes the same
rows as JSON (default ``benchmarks/results/latest.json``). Sections:

1. ``payload``: bytes each map page sends for its map (the ``st_folium``
   component arguments, default view), against the naive map of
   :mod:`benchmarks.payload`.
2. ``rebuild``: a server rerun after a city-filter change (AppTest), and
   the page-build work warm against the naive full rebuild.
3. ``browser``: cold load to the first vector path in the map iframe, and a
   filter change to the map redrawn, without reloading the iframe.
4. ``export``: each export format of the whole circle.
5. ``memory``: the server's RSS with 1 and with 10 browser sessions open.
6. ``peers``: the app beside the empty-map floor and the plain folium
   version, in one browser, interleaved (:mod:`benchmarks.compare`): load,
   filter change, WebSocket bytes per change, JS heap after GC.
7. ``scale``: the app on synthetic content at 1×, 10× and 100× the features
   (:mod:`benchmarks.synthetic`; ``--quick`` stops at 10×): payload, server
   rerun, filter change, zoom step and its raster time, PNG export; the
   browser figures also for the plain folium version on the same data,
   interleaved with the app's sessions; the PNG export's baseline is
   the same export with one plot call per feature (before the batching of
   ``print_symbols.draw_symbols``). Server figures are also given in CPU time,
   which waiting for a shared core does not inflate.
8. ``budget``: the budget lines of the peers and the scale curve, each as
   within or not (a quotient of two figures above, or a figure at 100×).

The peers and the scale curve are also printed as two Markdown tables (the
README's Performance tables), and stored under ``"tables"`` in the JSON.

A budget miss is reported, never fatal (exit 0). A figure that cannot be
measured (the browser does not start, the app raises, the no-reload check
cannot run) is an error: the other sections still run, then the exit code is 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from benchmarks import browser, compare, payload, scale, synthetic, timing
from benchmarks.report import (
    KB,
    Budget,
    Row,
    Unit,
    format_value,
    grid_lines,
    median,
    quotient,
    table_lines,
    write_json,
)
from circlemap import export, views
from circlemap.catalog import Catalog, load_catalog
from circlemap.filters import Selection

ROOT: Final = Path(__file__).resolve().parent.parent

DEFAULT_JSON: Final = ROOT / "benchmarks" / "results" / "latest.json"

BUDGET_PAYLOAD: Final = Budget(limit=300 * KB)
BUDGET_NO_RELOAD: Final = Budget(required=True)
BUDGET_REBUILD: Final = Budget(limit=0.050)
BUDGET_COLD_LOAD: Final = Budget(limit=2.0)
BUDGET_PNG: Final = Budget(limit=3.0)

# Issue 14's budget lines (quotients are app ÷ peer, or 100× ÷ 1×).
BUDGET_LOAD_VS_FLOOR: Final = Budget(limit=1.15)
BUDGET_LOAD_VS_PLAIN: Final = Budget(limit=1.0)
BUDGET_CHANGE_VS_PLAIN: Final = Budget(limit=0.6)
BUDGET_WS_BYTES: Final = Budget(limit=40 * KB)
BUDGET_HEAP_VS_PLAIN: Final = Budget(limit=1.3)
BUDGET_CHANGE_AT_SCALE: Final = Budget(limit=1.5)
BUDGET_ZOOM_AT_SCALE: Final = Budget(limit=0.120)
BUDGET_RERUN_AT_SCALE: Final = Budget(limit=0.080)
BUDGET_PNG_AT_SCALE: Final = Budget(limit=2.0)

FILTER_CITIES: Final = ("淄博", "德州", "泰安", "滨州", "聊城", "东营", "济南")
"""Cities chosen in turn by the browser filter changes."""


@dataclass(frozen=True)
class Plan:
    """How many runs each figure takes."""

    reruns: int
    builds: int
    naive_builds: int
    loads: int
    sessions: int
    export_runs: int
    peer_rounds: int
    scales: tuple[int, ...]
    scale_sessions: int
    zoom_steps: int
    scale_reruns: int
    scale_exports: int
    baseline_exports: int


QUICK: Final = Plan(
    reruns=5,
    builds=5,
    naive_builds=3,
    loads=2,
    sessions=3,
    export_runs=1,
    peer_rounds=1,
    scales=(1, 10),
    scale_sessions=1,
    zoom_steps=4,
    scale_reruns=3,
    scale_exports=1,
    baseline_exports=1,
)
FULL: Final = Plan(
    reruns=60,
    builds=40,
    naive_builds=15,
    loads=10,
    sessions=10,
    export_runs=7,
    peer_rounds=9,
    scales=(1, 10, 100),
    scale_sessions=5,
    zoom_steps=10,
    scale_reruns=15,
    scale_exports=3,
    baseline_exports=1,
)


# --- sections -----------------------------------------------------------------------------


def payload_rows(cat: Catalog) -> list[Row]:
    """Section 1: map payload bytes per map page, app against the naive map."""
    app = payload.app_page_payloads()
    naive = payload.naive_page_payloads(cat, payload.read_raw_layers(cat))
    rows = []
    for name in payload.MAP_PAGES:
        rows.append(
            Row(
                "payload",
                f"{name} map payload",
                payload.payload_bytes(app[name]),
                "bytes",
                baseline=payload.payload_bytes(naive[name]),
                budget=BUDGET_PAYLOAD if name == "overview" else None,
            )
        )
    parts, naive_parts = (
        payload.payload_parts(app["overview"]),
        payload.payload_parts(naive["overview"]),
    )
    for part, label in (("script", "base map script"), ("feature_group", "feature layer")):
        rows.append(
            Row(
                "payload",
                f"overview: {label}",
                parts[part],
                "bytes",
                baseline=naive_parts[part],
            )
        )
    return rows


def rebuild_rows(plan: Plan) -> list[Row]:
    """Section 2: server rerun after a filter change; page-build work warm vs naive."""
    reruns = timing.apptest_filter_reruns(runs=plan.reruns)
    warm = timing.warm_page_builds(runs=plan.builds)
    naive = timing.naive_page_builds(runs=plan.naive_builds)
    return [
        Row(
            "rebuild",
            "server rerun after a city filter change (AppTest, overview)",
            median(reruns),
            "s",
            budget=BUDGET_REBUILD,
            samples=len(reruns),
        ),
        Row(
            "rebuild",
            "overview map build: catalog + base map + feature layer + st_folium",
            median(warm),
            "s",
            baseline=median(naive),
            samples=len(warm),
        ),
    ]


def browser_changes(cat: Catalog, count: int) -> list[tuple[str, list[str]]]:
    """(city, feature ids the overview then shows), one per filter change.

    Cities whose overview shows no feature are left out: "the map drew
    exactly these features" cannot be observed for none (some cities have
    no project in the sources).
    """
    cities = [
        (city, sorted(views.visible_features(cat, Selection(cities=(city,))).index))
        for city in FILTER_CITIES
    ]
    drawn = [(city, ids) for city, ids in cities if ids]
    return [drawn[i % len(drawn)] for i in range(count)]


def browser_rows(cat: Catalog, plan: Plan) -> tuple[list[Row], list[Row]]:
    """Sections 3 and 5: the browser figures, and the server's memory."""
    figures = browser.measure(
        loads=plan.loads,
        sessions=plan.sessions,
        changes=browser_changes(cat, max(plan.loads - 1, 1)),
    )
    rows = [
        Row(
            "browser",
            "cold load -> first vector path in the map iframe",
            median(figures.cold_loads_s),
            "s",
            budget=BUDGET_COLD_LOAD,
            samples=len(figures.cold_loads_s),
        ),
        Row(
            "browser",
            "cold load -> feature layer drawn",
            median(figures.features_s),
            "s",
            samples=len(figures.features_s),
        ),
        Row(
            "browser",
            "first load after the server started -> first vector path",
            figures.first_cold_load_s,
            "s",
        ),
        Row(
            "browser",
            "city filter change -> map updated",
            median(figures.filter_changes_s),
            "s",
            samples=len(figures.filter_changes_s),
        ),
        Row(
            "browser",
            "filter change keeps the map iframe (no reload)",
            all(figures.iframe_kept),
            "bool",
            budget=BUDGET_NO_RELOAD,
            samples=len(figures.iframe_kept),
        ),
    ]
    memory = [
        Row("memory", "server RSS, no session", figures.rss_idle_mb, "MB"),
        Row("memory", "server RSS, 1 session on the overview", figures.rss_one_mb, "MB"),
        Row(
            "memory",
            f"server RSS, {figures.sessions} sessions on the overview",
            figures.rss_ten_mb,
            "MB",
        ),
        Row(
            "memory",
            "server RSS per extra session",
            (figures.rss_ten_mb - figures.rss_one_mb) / max(figures.sessions - 1, 1),
            "MB",
        ),
    ]
    return rows, memory


def export_rows(cat: Catalog, plan: Plan) -> list[Row]:
    """Section 4: each export format of the whole circle (zh)."""
    times = timing.export_times(cat, list(export.FORMATS), runs=plan.export_runs)
    return [
        Row(
            "export",
            f"export {fmt}",
            median(seconds),
            "s",
            budget=BUDGET_PNG if fmt == "png" else None,
            samples=len(seconds),
        )
        for fmt, seconds in times.items()
    ]


PEERS: Final = ("floor", "app", "plain")
PEER_FIGURES: Final[tuple[tuple[str, str, Unit], ...]] = (
    ("loads_s", "navigation -> first vector drawn", "s"),
    ("changes_s", "city filter change -> map redrawn", "s"),
    ("ws_bytes", "bytes over the WebSocket per filter change", "bytes"),
    ("heap_bytes", "JS heap after GC", "bytes"),
)
"""(attribute of :class:`benchmarks.compare.Figures`, what it is, unit)."""


def _median_or_none(values: Sequence[float]) -> float | None:
    return median(values) if values else None


def peers_rows(cat: Catalog, plan: Plan) -> list[Row]:
    """Section 6: app, floor and plain, interleaved in one browser (medians)."""
    figures = compare.measure_peers(cat, FILTER_CITIES, rounds=plan.peer_rounds)
    rows = []
    for attr, label, unit in PEER_FIGURES:
        for name in PEERS:
            values = getattr(figures[name], attr)
            if values:
                rows.append(
                    Row("peers", f"{label}: {name}", median(values), unit, samples=len(values))
                )
    blocked = sum(f.blocked for f in figures.values())
    rows.append(Row("peers", "requests to other hosts (blocked)", blocked, "count"))
    return rows


def scale_rows(plan: Plan) -> list[Row]:
    """Section 7: the app at each scale of :attr:`Plan.scales` (synthetic data roots)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="circlemap-scale-") as tmp:
        for times in plan.scales:
            root = synthetic.write_data_root(Path(tmp) / f"x{times}", times)
            with scale.data_root(root) as cat:
                n = len(cat.features)
                tag = f"{times}× ({n} features)"
                rows.append(
                    Row(
                        "scale",
                        f"overview map payload at {tag}",
                        scale.overview_payload_bytes(),
                        "bytes",
                    )
                )
                rows.append(
                    Row(
                        "scale",
                        f"static files the map fetches once at {tag}",
                        scale.published_bytes(cat),
                        "bytes",
                    )
                )
                reruns = timing.apptest_filter_reruns(runs=plan.scale_reruns)
                rerun_cpu = timing.apptest_filter_reruns(
                    runs=plan.scale_reruns, clock=time.process_time
                )
                rows.append(
                    Row(
                        "scale",
                        f"server rerun after a filter change at {tag}",
                        median(reruns),
                        "s",
                        samples=len(reruns),
                    )
                )
                rows.append(
                    Row(
                        "scale",
                        f"server rerun (CPU time) at {tag}",
                        median(rerun_cpu),
                        "s",
                        samples=len(rerun_cpu),
                    )
                )
                pngs, png_cpu = scale.png_exports(cat, runs=plan.scale_exports)
                with scale.one_call_per_feature():
                    old_pngs, old_cpu = scale.png_exports(cat, runs=plan.baseline_exports, warmup=0)
                rows.append(
                    Row(
                        "scale",
                        f"PNG export at {tag}",
                        median(pngs),
                        "s",
                        baseline=median(old_pngs),
                        samples=len(pngs),
                    )
                )
                rows.append(
                    Row(
                        "scale",
                        f"PNG export (CPU time) at {tag}",
                        median(png_cpu),
                        "s",
                        baseline=median(old_cpu),
                        samples=len(png_cpu),
                    )
                )
                rows.append(
                    Row(
                        "scale",
                        f"PNG export, one plot call per feature (CPU time) at {tag}",
                        median(old_cpu),
                        "s",
                        samples=len(old_cpu),
                    )
                )
                figs = compare.measure_at(
                    root,
                    cat,
                    FILTER_CITIES,
                    sessions=plan.scale_sessions,
                    zoom_steps=plan.zoom_steps,
                )
            for name, fig in figs.items():
                suffix = "" if name == "app" else ", plain folium"
                browser_figures: tuple[tuple[Sequence[float], str, Unit], ...] = (
                    (fig.loads_s, "navigation -> first vector drawn", "s"),
                    (fig.changes_s, "city filter change -> map redrawn", "s"),
                    (fig.ws_bytes, "bytes over the WebSocket per filter change", "bytes"),
                    (fig.zoom_s, "zoom step (±1, no animation)", "s"),
                    (fig.raster_s, "raster per zoom step (trace)", "s"),
                )
                for values, label, unit in browser_figures:
                    rows.append(
                        Row(
                            "scale",
                            f"{label}{suffix} at {tag}",
                            median(values),
                            unit,
                            samples=len(values),
                        )
                    )
    return rows


def _value(rows: Sequence[Row], metric: str) -> float | None:
    """The value of the row whose metric starts with ``metric`` (None if absent)."""
    for row in rows:
        if row.metric.startswith(metric) and not isinstance(row.value, bool):
            return float(row.value)
    return None


def budget_rows(rows: Sequence[Row], scales: Sequence[int]) -> list[Row]:
    """Section 8: issue 14's budget lines from the peers and scale rows (within or not)."""

    def peer(label: str, name: str) -> float | None:
        return _value(rows, f"{label}: {name}")

    load, change, ws, heap = (label for _, label, _ in PEER_FIGURES)
    top = max(scales)
    at_top, at_one = f"at {top}× ", "at 1× "
    lines: list[tuple[str, float | None, Unit, Budget]] = [
        (
            "cold load: app ÷ floor",
            quotient(peer(load, "app"), peer(load, "floor")),
            "ratio",
            BUDGET_LOAD_VS_FLOOR,
        ),
        (
            "cold load: app ÷ plain (ahead of plain: < 1)",
            quotient(peer(load, "app"), peer(load, "plain")),
            "ratio",
            BUDGET_LOAD_VS_PLAIN,
        ),
        (
            "filter change: app ÷ plain",
            quotient(peer(change, "app"), peer(change, "plain")),
            "ratio",
            BUDGET_CHANGE_VS_PLAIN,
        ),
        ("WebSocket bytes per filter change: app", peer(ws, "app"), "bytes", BUDGET_WS_BYTES),
        (
            "JS heap after GC: app ÷ plain",
            quotient(peer(heap, "app"), peer(heap, "plain")),
            "ratio",
            BUDGET_HEAP_VS_PLAIN,
        ),
        (
            f"filter change: {top}× ÷ 1×",
            quotient(_value(rows, f"{change} {at_top}"), _value(rows, f"{change} {at_one}")),
            "ratio",
            BUDGET_CHANGE_AT_SCALE,
        ),
        (
            f"zoom step at {top}×",
            _value(rows, f"zoom step (±1, no animation) {at_top}"),
            "s",
            BUDGET_ZOOM_AT_SCALE,
        ),
        (
            f"server rerun at {top}×",
            _value(rows, f"server rerun after a filter change {at_top}"),
            "s",
            BUDGET_RERUN_AT_SCALE,
        ),
        (
            f"server rerun at {top}×, CPU time",
            _value(rows, f"server rerun (CPU time) {at_top}"),
            "s",
            BUDGET_RERUN_AT_SCALE,
        ),
        (f"PNG export at {top}×", _value(rows, f"PNG export {at_top}"), "s", BUDGET_PNG_AT_SCALE),
        (
            f"PNG export at {top}×, CPU time",
            _value(rows, f"PNG export (CPU time) {at_top}"),
            "s",
            BUDGET_PNG_AT_SCALE,
        ),
    ]
    return [
        Row("budget", metric, value, unit, budget=budget)
        for metric, value, unit, budget in lines
        if value is not None
    ]


def peer_table(rows: Sequence[Row]) -> list[str]:
    """Markdown: each peer figure for floor, app, plain, with app ÷ floor and app ÷ plain."""
    out = []
    for _, label, unit in PEER_FIGURES:
        values = {name: _value(rows, f"{label}: {name}") for name in PEERS}
        if values["app"] is None:
            continue
        cells = [label] + [
            format_value(values[n], unit) if values[n] is not None else "—" for n in PEERS
        ]
        for peer in ("floor", "plain"):
            q = quotient(values["app"], values[peer])
            cells.append("—" if q is None else f"{q:.2f}×")
        out.append(cells)
    return grid_lines(
        ["figure", "floor (empty map)", "app", "plain folium", "app ÷ floor", "app ÷ plain"], out
    )


SCALE_FIGURES: Final[tuple[tuple[str, Unit], ...]] = (
    ("overview map payload", "bytes"),
    ("static files the map fetches once", "bytes"),
    ("server rerun after a filter change", "s"),
    ("server rerun (CPU time)", "s"),
    ("navigation -> first vector drawn", "s"),
    ("city filter change -> map redrawn", "s"),
    ("bytes over the WebSocket per filter change", "bytes"),
    ("city filter change -> map redrawn, plain folium", "s"),
    ("zoom step (±1, no animation)", "s"),
    ("zoom step (±1, no animation), plain folium", "s"),
    ("raster per zoom step (trace)", "s"),
    ("raster per zoom step (trace), plain folium", "s"),
    ("PNG export", "s"),
    ("PNG export (CPU time)", "s"),
    ("PNG export, one plot call per feature (CPU time)", "s"),
)


def scale_table(rows: Sequence[Row], scales: Sequence[int]) -> list[str]:
    """Markdown: each scale figure at every scale, with top ÷ 1×."""
    counts = []
    for times in scales:
        match = next((r.metric for r in rows if f" at {times}× (" in r.metric), None)
        counts.append(match.split(f" at {times}× (")[1].rstrip(")") if match else "")
    header = [
        "figure",
        *(f"{t}× ({c})" for t, c in zip(scales, counts, strict=True)),
        f"{max(scales)}× ÷ 1×",
    ]
    out = []
    for label, unit in SCALE_FIGURES:
        values = [_value(rows, f"{label} at {t}× ") for t in scales]
        if all(v is None for v in values):
            continue
        q = quotient(values[-1], values[0])
        out.append(
            [
                label,
                *(format_value(v, unit) if v is not None else "—" for v in values),
                "—" if q is None else f"{q:.2f}×",
            ]
        )
    return grid_lines(header, out)


# --- running ------------------------------------------------------------------------------


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _meta(argv: Sequence[str], *, quick: bool, seconds: float, errors: list[str]) -> dict[str, Any]:
    return {
        "command": " ".join([".venv/bin/python", "-m", "benchmarks.run", *argv]),
        "quick": quick,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "versions": {
            name: metadata.version(name) for name in ("streamlit", "streamlit-folium", "folium")
        },
        "ratio": "baseline / value (higher is better)",
        "seconds": round(seconds, 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "errors": errors,
    }


def run_section(name: str, fn: Callable[[], list[Row]], rows: list[Row], errors: list[str]) -> None:
    """Run one section; on failure print the traceback and note the error."""
    print(f"[benchmark] {name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        rows.extend(fn())
    except Exception as exc:  # reported below, and the run exits 1
        traceback.print_exc()
        errors.append(f"{name}: {type(exc).__name__}: {exc}")
    print(
        f"[benchmark] {name} done in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs per figure (CI)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"where to write the rows ({DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    argv = list(sys.argv[1:] if argv is None else argv)
    plan = QUICK if args.quick else FULL
    start = time.perf_counter()
    rows: list[Row] = []
    errors: list[str] = []
    cat = load_catalog()
    memory: list[Row] = []

    def browser_section() -> list[Row]:
        shown, mem = browser_rows(cat, plan)
        memory.extend(mem)
        return shown

    run_section("payload", lambda: payload_rows(cat), rows, errors)
    run_section("rebuild", lambda: rebuild_rows(plan), rows, errors)
    run_section("browser + memory", browser_section, rows, errors)
    run_section("export", lambda: export_rows(cat, plan), rows, errors)
    rows.extend(memory)
    run_section("peers", lambda: peers_rows(cat, plan), rows, errors)
    run_section("scale", lambda: scale_rows(plan), rows, errors)
    rows.extend(budget_rows(rows, plan.scales))
    tables = {"peers": peer_table(rows), "scale": scale_table(rows, plan.scales)}

    seconds = time.perf_counter() - start
    print("\n".join(table_lines(rows)))
    for name, lines in tables.items():
        print(f"\n## {name} (Markdown)", *lines, sep="\n")
    print(f"\n{len(rows)} figures in {seconds:.1f} s ({'quick' if args.quick else 'full'} run)")
    print("load average (1, 5, 15 min) at the end:", *(f"{x:.1f}" for x in os.getloadavg()))
    meta = _meta(argv, quick=args.quick, seconds=seconds, errors=errors)
    write_json(args.json, rows, {**meta, "tables": tables})
    print(f"written: {args.json}")
    if errors:
        print("errors (the benchmark failed):", *errors, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
