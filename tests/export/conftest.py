"""Fixtures of the export tests: the small catalog, a PDF of Zibo, the tile server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from circlemap import export
from circlemap.catalog import Catalog
from circlemap.filters import Selection
from tests.export.support import (
    TODAY,
    TileServer,
    export_catalog,
)


@pytest.fixture(scope="module")
def zibo_pdf_zh(catalog: Catalog) -> bytes:
    return export.export(catalog, Selection(cities=("淄博",)), lang="zh", fmt="pdf", today=TODAY)


@pytest.fixture(scope="module")
def _tile_server_running() -> Iterator[TileServer]:
    server = TileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def tile_server(_tile_server_running: TileServer) -> TileServer:
    _tile_server_running.requests.clear()
    return _tile_server_running


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return export_catalog()
