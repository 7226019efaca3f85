"""Where a city-filter change spends its time on the server (cProfile summary).

Runs the overview in Streamlit's AppTest, changes the city filter
``--runs`` times under :mod:`cProfile` (after warm-up runs that are not
profiled), and prints two summaries: own time per package (``circlemap``,
``folium``/``branca``/``jinja2``, ``streamlit_folium``, ``streamlit``,
``pandas``/``geopandas``/``shapely``, ``json``, the rest), and the functions
with the most cumulative time. ``--scale N`` profiles the app on synthetic
content at N times the features (:mod:`benchmarks.synthetic`).

Usage::

    .venv/bin/python -m benchmarks.profile_filter [--runs 20] [--scale 100] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from benchmarks import scale, synthetic, timing

ROOT: Final = Path(__file__).resolve().parent.parent

PACKAGES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("circlemap", ("/circlemap/", "/app_pages/", "/app.py")),
    ("streamlit_folium", ("/streamlit_folium/",)),
    ("folium, branca, jinja2", ("/folium/", "/branca/", "/jinja2/", "/markupsafe/")),
    ("streamlit", ("/streamlit/",)),
    ("pandas, geopandas, shapely", ("/pandas/", "/geopandas/", "/shapely/", "/pyproj/")),
    ("json", ("/json/", "_json")),
    ("protobuf", ("/google/protobuf/",)),
)
"""Package label -> path fragments of its files (first match wins)."""


def package_of(filename: str) -> str:
    """The :data:`PACKAGES` label of a profiled function's file (``other`` if none)."""
    for label, fragments in PACKAGES:
        if any(fragment in filename for fragment in fragments):
            return label
    return "other"


def own_time_by_package(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own (not cumulative) time per package label."""
    out: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        out[package_of(filename)] += own
    return dict(sorted(out.items(), key=lambda item: -item[1]))


def profile_reruns(runs: int) -> pstats.Stats:
    """Profile ``runs`` AppTest filter changes of the overview (current data root).

    AppTest runs the script on its own thread, which :mod:`cProfile` does not
    see from the caller; so the script runner's ``_run_script`` is wrapped to
    profile each run on the thread that does it. Scripts are compiled once
    (:func:`benchmarks.timing.overview_filter_changes`), as the server does.
    """
    from unittest import mock

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    profiles: list[cProfile.Profile] = []
    original = ScriptRunner._run_script

    def profiled(self: ScriptRunner, rerun_data: object) -> None:
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            original(self, rerun_data)  # type: ignore[arg-type]
        finally:
            profiler.disable()
            profiles.append(profiler)

    with timing.overview_filter_changes(timeout=300) as change:
        for _ in range(2):
            change()
        with mock.patch.object(ScriptRunner, "_run_script", profiled):
            for _ in range(runs):
                change()
    stats = pstats.Stats(profiles[0])
    for profiler in profiles[1:]:
        stats.add(profiler)
    return stats


def summary(stats: pstats.Stats, runs: int, top: int) -> str:
    """The two summaries as text (milliseconds per filter change)."""
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"{runs} filter changes, {1000 * total / runs:.1f} ms of CPU each (profiled)", ""]
    lines.append("own time per package (ms per change, share)")
    for label, seconds in own_time_by_package(stats).items():
        lines.append(f"  {label:<28} {1000 * seconds / runs:8.1f}  {100 * seconds / total:5.1f}%")
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(top)
    lines += ["", f"top {top} functions by cumulative time (all {runs} changes)", buffer.getvalue()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="profiled filter changes")
    parser.add_argument("--scale", type=int, default=1, help="times the features (synthetic)")
    parser.add_argument("--top", type=int, default=25, help="functions listed")
    args = parser.parse_args(argv)
    if args.scale == 1:
        stats = profile_reruns(args.runs)
    else:
        with tempfile.TemporaryDirectory(prefix="circlemap-profile-") as tmp:
            root = synthetic.write_data_root(Path(tmp), args.scale)
            with scale.data_root(root):
                stats = profile_reruns(args.runs)
    print(summary(stats, args.runs, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
