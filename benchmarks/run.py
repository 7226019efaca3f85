"""Benchmark the app against its budget, beside a naive baseline measured in the same run.

Usage::

    .venv/bin/python benchmarks/run.py            # full: medians of many runs
    .venv/bin/python benchmarks/run.py --quick    # few runs (CI, scripts/test.sh)
    .venv/bin/python benchmarks/run.py --json out.json

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
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Final

# Run as a file (``python benchmarks/run.py``), the repository root is not on
# sys.path; put it there so the package and the benchmark modules import.
ROOT: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import browser, payload, timing  # noqa: E402
from benchmarks.report import KB, Budget, Row, median, table_lines, write_json  # noqa: E402
from circlemap import export, views  # noqa: E402
from circlemap.catalog import Catalog, load_catalog  # noqa: E402
from circlemap.filters import Selection  # noqa: E402

DEFAULT_JSON: Final = ROOT / "benchmarks" / "results" / "latest.json"

BUDGET_PAYLOAD: Final = Budget(limit=300 * KB)
BUDGET_NO_RELOAD: Final = Budget(required=True)
BUDGET_REBUILD: Final = Budget(limit=0.050)
BUDGET_COLD_LOAD: Final = Budget(limit=2.0)
BUDGET_PNG: Final = Budget(limit=3.0)

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


QUICK: Final = Plan(reruns=5, builds=5, naive_builds=3, loads=3, sessions=10, export_runs=1)
FULL: Final = Plan(reruns=60, builds=40, naive_builds=15, loads=10, sessions=10, export_runs=7)


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
    """(city, feature ids the overview then shows), one per filter change."""
    out = []
    for i in range(count):
        city = FILTER_CITIES[i % len(FILTER_CITIES)]
        ids = sorted(views.visible_features(cat, Selection(cities=(city,))).index)
        out.append((city, ids))
    return out


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


def _meta(argv: Sequence[str], *, quick: bool, seconds: float, errors: list[str]) -> dict:
    return {
        "command": " ".join([".venv/bin/python", "benchmarks/run.py", *argv]),
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

    seconds = time.perf_counter() - start
    print("\n".join(table_lines(rows)))
    print(f"\n{len(rows)} figures in {seconds:.1f} s ({'quick' if args.quick else 'full'} run)")
    write_json(args.json, rows, _meta(argv, quick=args.quick, seconds=seconds, errors=errors))
    print(f"written: {args.json}")
    if errors:
        print("errors (the benchmark failed):", *errors, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
