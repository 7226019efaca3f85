"""The app as a child process, and the system Chromium, for tests, benchmarks and screenshots.

One place that knows how to start ``streamlit run app.py`` on a free
localhost port and wait until it answers, and how to launch Debian's
Chromium (``/usr/bin/chromium``, never a downloaded browser) headless::

    with streamlit_server() as (url, proc):
        ...  # drive ``url`` with Playwright, read ``proc.pid``'s memory

No Streamlit import: the app runs in its own process.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Final

from circlemap import settings

CHROMIUM: Final = os.environ.get("CIRCLEMAP_CHROMIUM", "/usr/bin/chromium")
"""The system Chromium (Debian's ``chromium``); ``CIRCLEMAP_CHROMIUM`` overrides the path."""

CHROMIUM_ARGS: Final[tuple[str, ...]] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
"""Headless flags: no sandbox (root in CI), no calls home, no shared-memory limits."""


class ServerError(RuntimeError):
    """The app's server did not start or did not answer."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until Streamlit's health endpoint at ``url`` answers 200.

    Raises
    ------
    ServerError
        If the process exits first or ``timeout`` seconds pass.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"streamlit exited early with code {proc.returncode}"
            raise ServerError(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:  # noqa: S310 (http on localhost)
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    msg = f"streamlit did not answer at {url} within {timeout} s"
    raise ServerError(msg)


@contextlib.contextmanager
def streamlit_server(
    *,
    log: Path | None = None,
    watch_files: bool = True,
    address: str | None = "127.0.0.1",
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run app.py`` on a free 127.0.0.1 port; yields (base URL, process).

    Parameters
    ----------
    log : Path, optional
        File for the server's output (default: a temporary file).
    watch_files : bool
        Streamlit's file watcher; a benchmark turns it off so edits elsewhere
        in the checkout cannot rerun sessions mid-measurement.
    address : str or None
        ``--server.address``; ``None`` leaves Streamlit's default (every
        interface), i.e. exactly what the README's ``streamlit run app.py`` does.
    port : int, optional
        The port (default: a free one).
    env : Mapping, optional
        Extra environment variables for the server process.
    options : Mapping, optional
        More Streamlit options, e.g. ``{"server.disconnectedSessionTTL": "5"}``.
    """
    port = port or free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.headless", "true",
    ]  # fmt: skip
    if address is not None:
        command += ["--server.address", address]
    for name, value in (options or {}).items():
        command += [f"--{name}", value]
    if not watch_files:
        command += ["--server.fileWatcherType", "none"]
    with contextlib.ExitStack() as stack:
        out: IO[bytes] = (
            stack.enter_context(log.open("wb"))
            if log
            else stack.enter_context(tempfile.TemporaryFile())
        )
        proc = subprocess.Popen(
            command, cwd=settings.ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
