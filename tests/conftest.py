"""Shared fixtures: a live ``streamlit run`` server and the system Chromium.

Browser tests (``tests/browser``) drive Debian's Chromium through Playwright;
a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from circlemap import settings

CHROMIUM = os.environ.get("CIRCLEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"streamlit exited early with code {proc.returncode}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    msg = f"streamlit did not answer at {url} within {timeout} s"
    raise RuntimeError(msg)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free localhost port; yield its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--server.headless", "true",
            ],
            cwd=settings.ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The system Chromium, headless, driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"system Chromium not found at {CHROMIUM}: install Debian's 'chromium'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page (own context: no shared cookies or storage) 1400x900."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()





@pytest.fixture
def outside_requests(page: object) -> list[str]:
    """Block and record every request the page makes to a host other than localhost.

    Data and blob URLs are local by nature and allowed.
    """
    from urllib.parse import urlsplit

    seen: list[str] = []

    def handle(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme in ("data", "blob", "about") or local:
            route.continue_()  # type: ignore[attr-defined]
        else:
            seen.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.context.route("**/*", handle)  # type: ignore[attr-defined]
    return seen
