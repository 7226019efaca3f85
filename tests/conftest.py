"""Shared fixtures: a live ``streamlit run`` server, the system Chromium, an offline page.

Browser tests (``tests/browser``) drive Debian's Chromium through Playwright;
a missing browser is a failure, never a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from devtools.devserver import CHROMIUM, CHROMIUM_ARGS, streamlit_server


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free localhost port; yield its base URL."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(log=log) as (url, _):
        yield url


@pytest.fixture(scope="session")
def proxied_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Two replicas behind Debian's nginx (``deploy.replicas``); yield the deployment.

    A missing nginx is a failure, never a skip (``scripts/test.sh`` installs it).
    """
    from deploy.replicas import NGINX, serve

    if not Path(NGINX).is_file():
        pytest.fail(f"nginx not found at {NGINX}: install Debian's 'nginx'")
    with serve(2, log_dir=tmp_path_factory.mktemp("replicas")) as deployment:
        yield deployment


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


@pytest.fixture
def offline_page(browser: object) -> Iterator[tuple[object, list[str]]]:
    """A page whose context aborts (and records) every request not for a local file."""
    context = browser.new_context(viewport={"width": 1300, "height": 850})  # type: ignore[attr-defined]
    attempted: list[str] = []

    def handle(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).scheme in ("file", "data", "blob", "about"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            attempted.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, attempted
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
