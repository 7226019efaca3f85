"""Typed settings: paths, coordinate reference systems, region, default view.

Functions read these module constants at call time (``settings.GEODATA_DIR``,
never ``from settings import GEODATA_DIR``) so tests can override them with
``monkeypatch.setattr``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from circlemap import __version__

ROOT_ENV: Final = "CIRCLEMAP_ROOT"
"""Environment variable naming the folder that holds ``geodata/``, ``data/`` and ``static/``."""


def data_root() -> Path:
    """The folder of the app's data: ``$CIRCLEMAP_ROOT``, else the checkout this package is in.

    A source checkout or an editable install (``pip install -e .``) finds
    its own repository; an installed copy of the package is pointed at one
    (or at a copy of its ``geodata/``, ``data/`` and ``static/``) with
    :data:`ROOT_ENV`.
    """
    configured = os.environ.get(ROOT_ENV)
    return Path(configured).resolve() if configured else Path(__file__).resolve().parent.parent


ROOT: Path = data_root()
"""Repository root (the folder holding ``app.py``, ``geodata/``, ``data/``, ``static/``)."""

DATA_ROOT: Path = Path(os.environ.get("CIRCLEMAP_DATA_ROOT", ROOT))
"""Folder holding ``geodata/`` and ``data/``: the repository, unless the environment
variable ``CIRCLEMAP_DATA_ROOT`` names another copy (the benchmark's synthetic data)."""

GEODATA_DIR: Path = DATA_ROOT / "geodata"
"""GeoJSON layers, all in EPSG:4326."""

DATA_DIR: Path = DATA_ROOT / "data"
"""Measures and milestones (JSON)."""

SEEDS_ENV: Final = "CIRCLEMAP_SEEDS"
"""Environment variable naming the folder of the source texts."""

SEEDS_DIR: Path = Path(os.environ.get(SEEDS_ENV, ROOT.parent / "shared" / "seeds"))
"""The source texts every quote must come from (``../shared/seeds`` beside the repo)."""

STATIC_DIR: Path = ROOT / "static"
"""Served by Streamlit at ``/app/static/`` (``server.enableStaticServing``)."""

VENDOR_DIR: Path = STATIC_DIR / "vendor"
"""Third-party browser assets copied from installed packages (not committed)."""

STATIC_URL: str = "/app/static"
"""URL prefix under which Streamlit serves :data:`STATIC_DIR`."""

STORAGE_CRS: Final = "EPSG:4326"
"""Every stored layer is WGS-84 longitude/latitude in degrees."""

METRIC_CRS: Final = "EPSG:32650"
"""UTM zone 50N (metres): lengths and areas in the circle (114°E-120°E)."""

AREA_CRS: Final = (
    "+proj=aea +lat_0=0 +lon_0=117.5 +lat_1=35 +lat_2=38.5 +datum=WGS84 +units=m +no_defs"
)
"""Albers equal-area conic fitted to Shandong (metres), for land areas."""

REGION_BOUNDS: tuple[float, float, float, float] = (114.5, 34.0, 123.5, 38.5)
"""(min lon, min lat, max lon, max lat) in degrees: Shandong with a margin.

Any stored coordinate outside this box is a data error (swapped lon/lat,
Web-Mercator metres, a point in the wrong province)."""

CONTEXT_BOUNDS: tuple[float, float, float, float] = (112.5, 33.5, 123.0, 40.5)
"""(min lon, min lat, max lon, max lat) in degrees: the surroundings of Shandong that
the context layers (neighbouring provinces, lakes, other rivers, place names) cover,
the largest area a map of the circle shows. Their coordinates must lie inside it."""

CIRCLE_BOUNDS: tuple[float, float, float, float] = (115.25, 35.6, 119.35, 38.35)
"""Approximate extent of the seven circle cities (degrees), the default view."""

DEFAULT_CENTER: tuple[float, float] = (36.98, 117.3)
"""Default map centre as (lat, lon) in degrees, as Leaflet expects."""

DEFAULT_ZOOM: float = 7.5
"""Default zoom: the seven cities whole in a map about 520 px wide (zoom snaps to half steps)."""

COORD_PRECISION: int = 5
"""Decimal places kept for stored coordinates (1e-5 deg is about 1 m)."""

# --- limits of the data files (circlemap.reading, circlemap.validate) -------------------

MAX_FILE_BYTES: int = 8 * 1024 * 1024
"""Largest data file read (bytes): 50 times the largest layer (counties, 0.16 MB)."""

MAX_NESTING_DEPTH: int = 32
"""Deepest nesting of arrays/objects (JSON) or sequences/mappings (YAML) in a data file;
a GeoJSON MultiPolygon needs 8, a YAML record 4."""

MAX_LAYER_FEATURES: int = 10_000
"""Most features in one GeoJSON layer (the label points hold 117, the most today; the
scale benchmark's 100x copy of the content holds 2,200 projects, and must load)."""

MAX_LAYER_VERTICES: int = 200_000
"""Most coordinate positions in one GeoJSON layer (counties hold 6,450, the most)."""

MAX_TABLE_RECORDS: int = 5_000
"""Most records in one YAML table (measures hold about 100)."""

DEFAULT_LANG: Final = "zh"
LANGS: tuple[str, ...] = ("zh", "en")

TIANDITU_KEY_ENV: Final = "TIANDITU_KEY"
"""Environment variable (or Streamlit secret of the same name) for Tianditu tiles."""

# --- basemap tiles of the print exports (circlemap.export.tiles) ---------------------------

TILE_TIMEOUT_S: float = 4.0
"""Seconds a print export may spend fetching basemap tiles, all tiles together;
past that it draws the vector background."""

MAX_TILES: int = 64
"""Most tiles fetched per tile layer: the zoom drops until the frame fits."""

TILE_WORKERS: int = 6
"""Tiles fetched at once."""

MAX_TILE_BYTES: int = 2 * 1024 * 1024
"""A larger answer is not a tile."""

TILE_USER_AGENT: str = f"CircleMap/{__version__} (print export)"
"""Sent with every tile request, as tile usage policies ask."""
