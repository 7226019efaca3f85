"""The server opens no outside connection: at start-up, nor when used with the default basemap.

The server runs exactly as the README starts it (``streamlit run app.py``,
every interface, the repository's ``.streamlit/config.toml``) with
``tests/netguard`` on ``PYTHONPATH``: its ``sitecustomize`` audit hook logs
every ``connect``/``sendto``/``getaddrinfo`` to an address that is not
loopback. A browser then opens a shared link, a card, the city panel and an
export; the log must hold nothing but its start line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from circlemap import settings
from devtools.devserver import streamlit_server

pytestmark = pytest.mark.browser

NETGUARD = settings.ROOT / "tests" / "netguard"
TIMEOUT = 30_000


def guarded_env(log: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(NETGUARD), "CIRCLEMAP_NETGUARD_LOG": str(log)}


def test_the_guard_records_an_outside_connect_and_ignores_loopback(tmp_path):
    log = tmp_path / "net.log"
    code = (
        "import socket\n"
        "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s: s.connect(('127.0.0.1', 9))\n"
        # a UDP connect sends no packet; 192.0.2.0/24 is TEST-NET-1
        "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s: s.connect(('192.0.2.7', 9))\n"
    )
    subprocess.run([sys.executable, "-c", code], env=guarded_env(log), check=True)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("started ")
    assert lines[1:] == ["socket.connect ('192.0.2.7', 9)"]


def test_server_opens_no_outside_connection(browser, tmp_path):
    net_log = tmp_path / "net.log"
    with streamlit_server(log=tmp_path / "server.log", address=None, env=guarded_env(net_log)) as (
        url,
        proc,
    ):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.goto(url + "/?city=淄博&feature=road-jingshi-east-extension&lang=en")
            page.wait_for_selector("iframe[title*=streamlit_folium]", timeout=TIMEOUT)
            page.locator(".st-key-feature_card").wait_for(timeout=TIMEOUT)
            page.get_by_text("Export this view").click()
            for button in ("PNG image", "CSV measures"):
                with page.expect_download(timeout=60_000) as got:
                    page.get_by_role("button", name=button).click()
                assert Path(got.value.path()).stat().st_size > 0
            page.goto(url + "/transport?lang=en")
            page.wait_for_selector("iframe[title*=streamlit_folium]", timeout=TIMEOUT)
        finally:
            context.close()
        pid = proc.pid
    lines = net_log.read_text(encoding="utf-8").splitlines()
    assert f"started {pid}" in lines  # the hook ran in the server itself
    outside = [line for line in lines if not line.startswith("started ")]
    assert outside == [], "\n".join(outside)
