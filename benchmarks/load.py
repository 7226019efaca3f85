"""Load on the server: N concurrent sessions at the protocol level, no browser per session.

Usage::

    .venv/bin/python -m benchmarks.load                      # 1, 10, 20, 50 sessions, one server
    .venv/bin/python -m benchmarks.load --sessions 20 --think 2
    .venv/bin/python -m benchmarks.load --replicas 1 --replicas 2   # through nginx, 1 vs 2 replicas

Each session is one WebSocket speaking Streamlit's protobuf protocol
(:mod:`benchmarks.protocol`), i.e. what a browser tab sends, and does
``--rounds`` times: choose a city (the sidebar filter), click a feature of
that city on the map (the ``st_folium`` return value a click gives), clear
(the reset button), with a think time (``--think`` s, ±50 % jitter) before
each interaction. Sessions start spread over one think time.

Reported per interaction (``load`` = the first run, then ``city``,
``click``, ``clear``): p50, p95 and max of the time from the ``BackMsg`` to
its ``script_finished``; failed sessions (an exception on the page, a
timeout, a dropped connection); the server's RSS (every replica summed):
the peak during the run and the level once every session has closed and
Streamlit has dropped them (``server.disconnectedSessionTTL`` is set to a
few seconds for the run, then the script waits it out).

The memory budget compares that level with the *warm* level: before the
levels, one session is run on each server process in turn (straight to each
replica's port, not through the proxy, so that every replica serves exactly
one), and the RSS once it has closed is the reference. With one server this
is the 1-session level; with N replicas it is N processes that have each
served one session, which a single session through the proxy cannot give
(it warms one replica and leaves the others at their start-up size).

Loopback only; every loop is bounded (rounds, sessions, timeouts). Figures
are printed and written as JSON (default ``benchmarks/results/load.json``);
nothing is asserted: the budget is reported, never fatal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import psutil
from websockets.asyncio.client import connect

from benchmarks.protocol import MAX_MESSAGE, STREAM_PATH, SUBPROTOCOL, Session, widget_ids
from benchmarks.protocol import click_value as click_of
from circlemap import vocab
from circlemap.catalog import load_catalog
from circlemap.filters import Selection
from circlemap.i18n import t
from circlemap.views import map_view_features

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_JSON: Final = ROOT / "benchmarks" / "results" / "load.json"
INTERACTIONS: Final = ("load", "city", "click", "clear")
SESSION_TTL_S: Final = 3
"""``server.disconnectedSessionTTL`` for the run: closed sessions go soon after."""
BUDGET: Final = {"sessions": 20, "think_s": 2.0, "p95_s": 1.0, "rss_after_ratio": 1.2}
"""Issue 13: at 20 sessions, 2 s think: p95 <= 1 s, no failure, RSS after <= 1.2 x warm level."""
RUN_TIMEOUT_S: Final = 60.0
MAP_KEY: Final = "component:streamlit_folium.st_folium"
"""The map: streamlit-folium keys its widget by a hash of the map, so find it by name."""
CITIES_KEY: Final = "cm_cities"
CARD_BUTTON: Final = "close_feature_card"


@dataclass
class Level:
    """What one level (N sessions) measured."""

    sessions: int
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in INTERACTIONS})
    failures: list[str] = field(default_factory=list)
    received: list[int] = field(default_factory=list)
    """Bytes the server sent per interaction (large elements the tab holds come as references)."""
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_after_mb: float = 0.0
    wall_s: float = 0.0
    load_average: float = 0.0
    """The machine's 1-minute load average at the start (other work shares the cores)."""

    def summary(self) -> dict[str, object]:
        """Percentiles per interaction and the memory figures, for the table and JSON."""
        out: dict[str, object] = {
            "sessions": self.sessions,
            "failed_sessions": len(self.failures),
            "failures": self.failures[:5],
            "rss_before_mb": round(self.rss_before_mb, 1),
            "rss_peak_mb": round(self.rss_peak_mb, 1),
            "rss_after_mb": round(self.rss_after_mb, 1),
            "wall_s": round(self.wall_s, 1),
            "load_average": round(self.load_average, 1),
            "received_kb_p50": round(statistics.median(self.received) / 1000, 1)
            if self.received
            else None,
        }
        every = [s for k in INTERACTIONS if k != "load" for s in self.times[k]]
        for name, values in (*self.times.items(), ("interactions", every)):
            out[name] = percentiles(values)
        return out


def percentiles(values: Sequence[float]) -> dict[str, float | int]:
    """n, p50, p95 and max (seconds, 3 decimals) of ``values`` (nearest-rank p95)."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(p95, 3),
        "max": round(ordered[-1], 3),
    }


def rss_mb(pids: Sequence[int]) -> float:
    """Resident memory of the processes (and their children), MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc = psutil.Process(pid)
            total += proc.memory_info().rss
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += child.memory_info().rss
    return total / 1e6


def city_features() -> dict[str, list[str]]:
    """Ids of the overview's features per circle city (what a click can hit)."""
    cat = load_catalog()
    out = {}
    for city in vocab.CIRCLE_CITIES:
        ids = list(map_view_features(cat, Selection(cities=(city,)), "overview").index)
        if ids:
            out[city] = ids
    return out


async def one_session(
    ws_url: str,
    *,
    rounds: int,
    think: float,
    rng: random.Random,
    features: dict[str, list[str]],
    level: Level,
) -> None:
    """One tab: load, then ``rounds`` x (city, click, clear); times into ``level``."""

    async def pause() -> None:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    reset = f"label:{t('filter_reset', 'zh')}"
    async with connect(
        ws_url,
        subprotocols=[SUBPROTOCOL],  # type: ignore[list-item]
        max_size=MAX_MESSAGE,
        open_timeout=RUN_TIMEOUT_S,
        ping_interval=None,
        # behind nginx the route cookie keeps a session on one replica, as a browser's does
        additional_headers={"Cookie": f"cm_route={rng.getrandbits(64):016x}"},
    ) as ws:
        session = Session(ws=ws)
        level.times["load"].append((await session.rerun(timeout=RUN_TIMEOUT_S)).seconds)
        for n in range(rounds):
            city = rng.choice(sorted(features))
            await pause()
            run = await session.rerun({session.widget(CITIES_KEY): [city]})
            level.times["city"].append(run.seconds)
            level.received.append(run.received)
            await pause()
            click = click_of(rng.choice(features[city]), seq=n)
            run = await session.rerun({session.widget(MAP_KEY): click}, timeout=RUN_TIMEOUT_S)
            if CARD_BUTTON not in widget_ids(run.messages):
                msg = "the click opened no feature card"
                raise RuntimeError(msg)
            level.times["click"].append(run.seconds)
            level.received.append(run.received)
            await pause()
            run = await session.rerun(
                {session.widget(reset): True, session.widget(CITIES_KEY): []},
                timeout=RUN_TIMEOUT_S,
            )
            level.times["clear"].append(run.seconds)
            level.received.append(run.received)


async def run_level(
    ws_url: str,
    pids: Sequence[int],
    *,
    sessions: int,
    rounds: int,
    think: float,
    seed: int,
    features: dict[str, list[str]],
) -> Level:
    """N sessions at once (starts spread over one think time); RSS sampled meanwhile."""
    level = Level(sessions=sessions, load_average=os.getloadavg()[0])
    level.rss_before_mb = rss_mb(pids)
    level.rss_peak_mb = level.rss_before_mb
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            level.rss_peak_mb = max(level.rss_peak_mb, rss_mb(pids))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 0.25)

    async def guarded(i: int) -> None:
        rng = random.Random(seed * 1000 + i)  # noqa: S311  (reproducible choices, not secrets)
        await asyncio.sleep(rng.uniform(0, think))
        try:
            await one_session(
                ws_url, rounds=rounds, think=think, rng=rng, features=features, level=level
            )
        except Exception as exc:
            level.failures.append(f"session {i}: {type(exc).__name__}: {exc}")

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    await asyncio.gather(*(guarded(i) for i in range(sessions)))
    level.wall_s = time.perf_counter() - started
    await asyncio.sleep(SESSION_TTL_S + 3)  # closed sessions are dropped after the TTL
    done.set()
    await sampler
    level.rss_after_mb = rss_mb(pids)
    return level


@contextlib.contextmanager
def target(replicas: int, log_dir: Path) -> Iterator[tuple[str, list[int], list[str]]]:
    """(WebSocket URL, server pids, each server's own WebSocket URL).

    One bare server (``replicas`` 0) or N replicas behind nginx.
    """
    options = {"server.disconnectedSessionTTL": str(SESSION_TTL_S)}
    if replicas == 0:
        from devtools.devserver import streamlit_server

        with streamlit_server(log=log_dir / "server.log", watch_files=False, options=options) as (
            url,
            proc,
        ):
            yield _ws(url), [proc.pid], [_ws(url)]
    else:
        from deploy.replicas import serve

        with serve(replicas, log_dir=log_dir, options=options) as deployment:
            yield (
                _ws(deployment.url),
                deployment.replica_pids,
                [_ws(u) for u in deployment.replica_urls],
            )


def _ws(url: str) -> str:
    parts = urlsplit(url)
    return f"ws://{parts.netloc}{STREAM_PATH}"


def table(title: str, levels: Sequence[dict[str, object]]) -> list[str]:
    """The figures as a Markdown table (seconds; MB)."""
    lines = [
        f"### {title}",
        "",
        "| sessions | load p50/p95 | interaction p50 | p95 | max | failed | RSS before | "
        "RSS peak | RSS after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lv in levels:
        load, every = lv["load"], lv["interactions"]
        assert isinstance(load, dict)
        assert isinstance(every, dict)
        lines.append(
            f"| {lv['sessions']} | {load.get('p50', '–')} / {load.get('p95', '–')} s | "
            f"{every.get('p50', '–')} s | {every.get('p95', '–')} s | {every.get('max', '–')} s | "
            f"{lv['failed_sessions']} | {lv['rss_before_mb']} MB | {lv['rss_peak_mb']} MB | "
            f"{lv['rss_after_mb']} MB |"
        )
    return lines


def verdict(levels: Sequence[dict[str, object]], think: float, warm_mb: float) -> str:
    """The budget of issue 13 against the figures (reported, never raised).

    ``warm_mb``: the RSS once every server process has served one session
    (see the module docstring), the memory reference.
    """
    by_n = {lv["sessions"]: lv for lv in levels}
    if BUDGET["sessions"] not in by_n or think != BUDGET["think_s"] or warm_mb <= 0:
        return "budget: not measured (needs 20 sessions at --think 2 and the warm level)"
    lv = by_n[BUDGET["sessions"]]
    p95 = lv["interactions"]["p95"]  # type: ignore[index]
    ratio = float(lv["rss_after_mb"]) / warm_mb  # type: ignore[arg-type]
    ok = (
        p95 <= BUDGET["p95_s"] and lv["failed_sessions"] == 0 and ratio <= BUDGET["rss_after_ratio"]
    )
    return (
        f"budget at 20 sessions: p95 {p95} s (<= 1 s), failed {lv['failed_sessions']} (0), "
        f"RSS after / warm level ({warm_mb:.1f} MB) {ratio:.2f} (<= 1.2): "
        f"{'within' if ok else 'MISSED'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 20, 50])
    parser.add_argument("--rounds", type=int, default=3, help="city/click/clear rounds per session")
    parser.add_argument("--think", type=float, default=2.0, help="think time, seconds")
    parser.add_argument(
        "--replicas",
        type=int,
        action="append",
        help="run through nginx with N replicas (repeat to compare); default: one bare server",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    # A plain SIGTERM would skip the context managers and leave servers behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not 1 <= max(args.sessions) <= 200 or not 1 <= args.rounds <= 50:
        parser.error("sessions must be 1..200, rounds 1..50")

    features = city_features()
    results: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        "rounds": args.rounds,
        "think_s": args.think,
        "command": " ".join(
            ["python -m benchmarks.load", *(argv if argv is not None else sys.argv[1:])]
        ),
        "runs": [],
    }
    errors = 0
    for replicas in args.replicas or [0]:
        title = f"{replicas} replica(s) behind nginx" if replicas else "one server, direct"
        levels = []
        warm_mb = 0.0
        try:
            with (
                tempfile.TemporaryDirectory(prefix="circlemap-load-") as logs,
                target(replicas, Path(logs)) as (ws_url, pids, direct),
            ):

                def measure(url: str, n: int) -> Level:
                    return asyncio.run(
                        run_level(
                            url,
                            pids,
                            sessions=n,
                            rounds=args.rounds,
                            think=args.think,
                            seed=args.seed,
                            features=features,
                        )
                    )

                # The warm level: every server process serves one session, in turn.
                for one in direct:
                    warm = measure(one, 1)
                    if warm.failures:
                        raise RuntimeError("warm-up session failed: " + warm.failures[0])
                    warm_mb = warm.rss_after_mb
                print(f"warm level ({len(direct)} process(es), one session each): {warm_mb:.1f} MB")
                for n in args.sessions:
                    level = measure(ws_url, n)
                    levels.append(level.summary())
                    print(json.dumps(levels[-1]["interactions"]), f"{n} sessions", flush=True)
        except Exception:  # a run that cannot go on: report it, go to the next, exit 1
            traceback.print_exc()
            errors += 1
        results["runs"].append(  # type: ignore[attr-defined]
            {
                "replicas": replicas,
                "title": title,
                "warm_rss_mb": round(warm_mb, 1),
                "levels": levels,
            }
        )
        print("\n".join(table(title, levels)))
        print(verdict(levels, args.think, warm_mb), "\n", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.json}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
