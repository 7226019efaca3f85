"""The replica launcher: nginx config, readiness that follows the data, a live proxy.

The browser smoke test through the proxy is ``tests/browser/test_dashboard.py``
(``test_through_nginx_with_two_replicas``); here readiness is checked on
broken data, then on the same data repaired.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request

import pytest

from circlemap import settings
from deploy import replicas


def test_nginx_config_routes_to_every_replica_and_stays_sticky(tmp_path):
    conf = replicas.nginx_config(
        listen="127.0.0.1:8640", replica_ports=[8641, 8642], run_dir=tmp_path
    )
    assert "listen 127.0.0.1:8640;" in conf
    assert "server 127.0.0.1:8641" in conf
    assert "server 127.0.0.1:8642" in conf
    assert "hash $cm_route consistent;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert f"include {tmp_path}/ready.conf;" in conf


def test_readiness_snippet_is_one_quoted_nginx_return():
    ready = replicas.Readiness(True, "OK: 8 file(s) valid")
    assert ready.nginx_snippet() == 'return 200 "ready: OK: 8 file(s) valid\\n";\n'
    broken = replicas.Readiness(False, 'bad "x";\nreturn 200 "y')
    snippet = broken.nginx_snippet()
    assert snippet.startswith("return 503 ")
    assert snippet.count("\n") == 1  # one line: the reason cannot add a directive
    assert '\\"x\\";' in snippet


@pytest.fixture
def broken_data(tmp_path):
    """A copy of the data whose first project names a city outside the province."""
    root = tmp_path / "root"
    geodata, data = root / "geodata", root / "data"
    shutil.copytree(settings.GEODATA_DIR, geodata)
    shutil.copytree(settings.DATA_DIR, data)
    projects = geodata / "projects.geojson"
    original = projects.read_text(encoding="utf-8")
    collection = json.loads(original)
    collection["features"][0]["properties"]["cities"] = ["上海"]
    projects.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    env = {settings.ROOT_ENV: str(root), "CIRCLEMAP_SEEDS": str(settings.SEEDS_DIR)}
    return env, projects, original


def _readyz(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_readiness_fails_while_the_data_does_not_validate(broken_data, tmp_path):
    env, projects, original = broken_data
    assert not replicas.check_data(env).ready
    with replicas.serve(1, log_dir=tmp_path / "run", env=env) as deployment:
        status, body = _readyz(deployment.url)
        assert status == 503
        assert "does not validate" in body
        assert "projects.geojson" in body
        projects.write_text(original, encoding="utf-8")  # the planner fixes the file
        assert deployment.refresh().ready
        for _ in range(50):  # nginx reloads its config within a moment
            status, body = _readyz(deployment.url)
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, body
        assert body.startswith("ready: 1 replica(s); OK")


@pytest.mark.parametrize(
    ("origin", "status"),
    [(None, 200), ("same", 200), ("http://evil.example", 403), ("http://127.0.0.1.evil:1", 403)],
)
def test_the_proxy_refuses_requests_from_another_site(proxied_app, origin, status):
    # Streamlit would look up the machine's external IP to judge a foreign Origin.
    host = proxied_app.url.removeprefix("http://")
    headers = {"Origin": proxied_app.url if origin == "same" else origin} if origin else {}
    request = urllib.request.Request(f"{proxied_app.url}/_stcore/health", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            got = resp.status
    except urllib.error.HTTPError as err:
        got = err.code
    assert got == status, (host, origin)
