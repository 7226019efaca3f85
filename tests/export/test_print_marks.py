"""The print map as a map-maker reads it: land and sea, water, every symbol seen and named.

Renders the repository's own data (the surroundings are real layers) to PNG and
PDF and reads the pixels and the text; :func:`print_map.print_layout` says where
the map put its frame, inset, names and feature numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from circlemap import i18n, styles
from circlemap.cartography import Box
from circlemap.catalog import Catalog, load_catalog
from circlemap.export import print_map, print_marks
from circlemap.export.print_map import PAGE_SIZE_IN, PrintLayout
from circlemap.export.tiles import MAP_CRS
from circlemap.filters import Selection

TODAY = dt.date(2026, 12, 2)
WIDTH = 1600
SEA = np.array([int(styles.WATER_BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)])
LAKE = np.array([int(styles.LAKE_FILL[i : i + 2], 16) for i in (1, 3, 5)])


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _render(catalog: Catalog, selection: Selection, lang: str = "zh") -> np.ndarray:
    png = print_map.render_print(
        catalog, selection, lang=lang, fmt="png", today=TODAY, width_px=WIDTH
    )
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _scale(layout: PrintLayout) -> float:
    """Image pixels per display pixel."""
    return (WIDTH + 0.5) / PAGE_SIZE_IN[0] / layout.dpi


def _to_image(layout: PrintLayout, x: float, y: float, height: int) -> tuple[int, int]:
    """(column, row) in the PNG of a display-pixel position."""
    s = _scale(layout)
    return round(x * s), round(height - y * s)


def _frame_pixels(pixels: np.ndarray, layout: PrintLayout) -> np.ndarray:
    """Pixels inside the map frame (a few pixels in from its edge), without the inset."""
    height = pixels.shape[0]
    c0, r1 = _to_image(layout, layout.frame.x0, layout.frame.y0, height)
    c1, r0 = _to_image(layout, layout.frame.x1, layout.frame.y1, height)
    inside = np.zeros(pixels.shape[:2], dtype=bool)
    inside[r0 + 3 : r1 - 3, c0 + 3 : c1 - 3] = True
    if layout.inset is not None:
        i0, j1 = _to_image(layout, layout.inset.x0, layout.inset.y0, height)
        i1, j0 = _to_image(layout, layout.inset.x1, layout.inset.y1, height)
        inside[j0 - 2 : j1 + 2, i0 - 2 : i1 + 2] = False
    return pixels[inside]


def _share(pixels: np.ndarray, colour: np.ndarray, tolerance: int = 6) -> float:
    return float((np.abs(pixels - colour).max(axis=-1) <= tolerance).mean())


# --- land, sea, water -----------------------------------------------------------------------


@pytest.mark.parametrize("city", ["聊城", "德州"])
def test_inland_cities_have_no_sea_in_their_frame(catalog: Catalog, city: str) -> None:
    selection = Selection(cities=(city,))
    layout, _ = print_map.print_layout(catalog, selection, lang="zh")
    pixels = _render(catalog, selection)
    assert _share(_frame_pixels(pixels, layout), SEA) < 0.005


def _sample_share(
    pixels: np.ndarray, layout: PrintLayout, to_display, area, colour: np.ndarray
) -> float:
    """Share of a grid of points in ``area`` (map units) whose pixel has ``colour``;
    points outside the frame or under the inset are left out."""
    import shapely

    x0, y0, x1, y1 = area.bounds
    grid = [
        shapely.Point(x, y)
        for x in np.linspace(x0, x1, 25)
        for y in np.linspace(y0, y1, 25)
        if area.contains(shapely.Point(x, y))
    ]
    hits, total = 0, 0
    for point in grid:
        dx, dy = to_display((point.x, point.y))
        probe = (dx, dy, dx, dy)
        inside = layout.frame.x0 + 5 < dx < layout.frame.x1 - 5
        inside = inside and layout.frame.y0 + 5 < dy < layout.frame.y1 - 5
        under = layout.inset is not None and (
            layout.inset.x0 - 3 < probe[0] < layout.inset.x1 + 3
            and layout.inset.y0 - 3 < probe[1] < layout.inset.y1 + 3
        )
        if not inside or under:
            continue
        col, row = _to_image(layout, dx, dy, pixels.shape[0])
        total += 1
        hits += _share(pixels[row : row + 1, col : col + 1].reshape(-1, 3), colour) == 1.0
    assert total >= 20, "too few sample points in the frame"
    return hits / total


def test_whole_circle_shows_the_bohai_sea_and_the_land_around(catalog: Catalog) -> None:
    import geopandas as gpd
    import shapely

    layout, to_display = print_map.print_layout(catalog, Selection(), lang="zh")
    pixels = _render(catalog, Selection())
    assert _share(_frame_pixels(pixels, layout), SEA) > 0.03
    provinces = catalog.provinces.set_index("id").to_crs(MAP_CRS).geometry
    shandong = shapely.union_all(
        gpd.GeoSeries([*catalog.cities.geometry, *catalog.context.geometry], crs=4326)
        .to_crs(MAP_CRS)
        .values
    )
    land = shapely.union_all([*provinces.values, shandong])
    # Bohai Bay and Laizhou Bay, off Binzhou and Dongying: sea
    bays = gpd.GeoSeries([shapely.box(117.9, 37.3, 119.8, 38.9)], crs=4326).to_crs(MAP_CRS)
    sea = bays.iloc[0].difference(land.buffer(3000))
    assert _sample_share(pixels, layout, to_display, sea, SEA) > 0.8
    # Hebei and Henan: land, not a pixel of sea
    for adcode in ("130000", "410000"):
        province = provinces[f"province-{adcode}"].buffer(-3000)
        assert _sample_share(pixels, layout, to_display, province, SEA) == 0.0, adcode


def test_dongping_lake_is_drawn(catalog: Catalog) -> None:
    selection = Selection(cities=("泰安",))
    layout, to_display = print_map.print_layout(catalog, selection, lang="en")
    pixels = _render(catalog, selection, lang="en")
    lake = catalog.lakes.set_index("id").geometry.to_crs(MAP_CRS)["lake-dongping"]
    inside = lake.buffer(-1500)  # away from the outline and the name
    hits = 0
    for fraction in np.linspace(0.05, 0.95, 9):
        p = inside.boundary.interpolate(fraction, normalized=True)
        col, row = _to_image(layout, *to_display((p.x, p.y)), pixels.shape[0])
        hits += _share(pixels[row - 1 : row + 2, col - 1 : col + 2].reshape(-1, 3), LAKE) > 0.5
    assert hits >= 6


# --- every symbol seen, numbered, keyed ------------------------------------------------------


@pytest.fixture(scope="module")
def circle_zh(catalog: Catalog) -> tuple[PrintLayout, object, np.ndarray]:
    layout, to_display = print_map.print_layout(catalog, Selection(), lang="zh")
    return layout, to_display, _render(catalog, Selection())


def test_every_point_site_is_visible_in_its_colour(catalog: Catalog, circle_zh) -> None:
    layout, to_display, pixels = circle_zh
    points = [m for m in layout.marks if m.shape == "point"]
    expected = catalog.features[catalog.features.geom_type == "Point"]
    assert sorted(m.fid for m in points) == sorted(expected.index)
    radius = print_marks.POINT_SIZE_PT / 72 * layout.dpi * _scale(layout) / 2
    for mark in points:
        colour = np.array([int(styles.kind_colour(mark.kind)[i : i + 2], 16) for i in (1, 3, 5)])
        col, row = _to_image(layout, *to_display(mark.symbol), pixels.shape[0])
        r = math.ceil(radius) + 1
        patch = pixels[row - r : row + r + 1, col - r : col + r + 1].reshape(-1, 3)
        # the outline in the kind's own colour is there, not hidden under another symbol
        assert (np.abs(patch - colour).max(axis=-1) <= 30).sum() >= 6, mark.fid


def test_sites_on_one_spot_are_spread_apart(circle_zh) -> None:
    layout, to_display, _ = circle_zh
    symbol = print_marks.POINT_SIZE_PT / 72 * layout.dpi
    points = [m for m in layout.marks if m.shape == "point"]
    for a, b in itertools.combinations(points, 2):
        pa, pb = to_display(a.symbol), to_display(b.symbol)
        assert math.dist(pa, pb) >= symbol, (a.fid, b.fid)
    moved = [m for m in points if m.symbol != m.spot]
    assert len(moved) >= 10  # the sites known only to their city, on rings


@pytest.mark.parametrize(
    ("selection", "lang"),
    [(Selection(), "zh"), (Selection(), "en"), (Selection(cities=("淄博",)), "en")],
)
def test_numbers_collide_with_nothing(catalog: Catalog, selection: Selection, lang: str) -> None:
    layout, _ = print_map.print_layout(catalog, selection, lang=lang)
    labels = [m.label for m in layout.marks]
    assert labels
    for a, b in itertools.combinations(labels, 2):
        assert not a.overlaps(b)
    for label in labels:
        assert label.inside(layout.frame)
        assert not any(label.overlaps(name) for name in layout.names)
        assert layout.inset is None or not label.overlaps(layout.inset)
    for a, b in itertools.combinations(layout.names, 2):
        assert not a.overlaps(b)  # place names do not overprint each other either


def test_each_number_sits_by_its_symbol_and_the_key_names_it(
    catalog: Catalog, circle_zh, tmp_path
) -> None:
    layout, to_display, _ = circle_zh
    for mark in layout.marks:
        if mark.shape != "point":
            continue
        cx = (mark.label.x0 + mark.label.x1) / 2
        cy = (mark.label.y0 + mark.label.y1) / 2
        assert math.dist((cx, cy), to_display(mark.symbol)) < 40, mark.fid
    pdf = print_map.render_print(catalog, Selection(), lang="zh", fmt="pdf", today=TODAY)
    text = _pdf_text(pdf, tmp_path)
    for number, name, _ in print_marks.key_entries(catalog.features, "zh"):
        assert f"{number} {name[:6]}" in " ".join(text.split()), name
    assert i18n.t("export_locator", "zh") in text
    assert i18n.term(__import__("circlemap").vocab.LAYERS, "lakes", "zh") in text


def test_the_map_fills_the_page_down_to_the_footer(catalog: Catalog) -> None:
    for selection in (Selection(), Selection(cities=("德州",))):
        pixels = _render(catalog, selection)
        height, width = pixels.shape[:2]
        column = pixels[int(0.13 * height) :, : int(0.66 * width)]
        white = (column >= 250).all(axis=-1).all(axis=-1)
        longest = max((len(list(g)) for k, g in itertools.groupby(white) if k), default=0)
        assert longest < 0.025 * height  # no blank band between map, key and footer


def _pdf_text(data: bytes, tmp_path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed"
    path = tmp_path / "map.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_map_with_too_many_features_to_number_says_so_instead_of_a_key(tmp_path) -> None:
    from benchmarks import synthetic
    from circlemap.export import export

    root = synthetic.write_data_root(tmp_path / "x4", 4)
    many = load_catalog(geodata_dir=root / "geodata", data_dir=root / "data")
    assert len(many.features) > print_marks.MAX_NUMBERED_FEATURES
    png = export(many, Selection(), lang="en", fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(export(many, Selection(), lang="en", fmt="pdf"))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "too many to number one by one" in text
    assert f"{len(many.features)} features" in text


def test_crowds_on_a_map_too_full_to_number_are_discs_that_count_them(tmp_path) -> None:
    """Thirty times the content: sites too close together to draw apart are count discs
    (each counted once, never one site alone), clear of one another and of the place
    names inside the frame;
    the legend says what a disc means and the PDF holds every count."""
    from benchmarks import synthetic
    from circlemap.export import export

    root = synthetic.write_data_root(tmp_path / "x30", 30)
    many = load_catalog(geodata_dir=root / "geodata", data_dir=root / "data")
    layout, to_display = print_map.print_layout(many, Selection(), lang="en")
    points = many.features.index[many.features.geom_type == "Point"].astype(str)
    counted = [fid for cluster in layout.clusters for fid in cluster.members]
    assert layout.clusters
    assert len(counted) == len(set(counted))
    assert set(counted) <= set(points)
    assert all(len(c.members) > 1 for c in layout.clusters)
    disc_px = print_marks.CLUSTER_DISC_PT * layout.dpi / 72
    centres = [tuple(to_display(c.centre)) for c in layout.clusters]
    for a, b in itertools.combinations(centres, 2):
        assert math.dist(a, b) >= disc_px - 1e-6, (a, b)
    frame = layout.frame
    assert all(frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1 for x, y in centres)
    for x, y in centres:  # no disc covers a place name
        disc = Box(x - disc_px / 2, y - disc_px / 2, x + disc_px / 2, y + disc_px / 2)
        assert not any(disc.overlaps(name) for name in layout.names), (x, y)

    words = _pdf_text(export(many, Selection(), lang="en", fmt="pdf"), tmp_path)
    assert "Disc with a number" in " ".join(words.split())
    for cluster in layout.clusters:
        assert str(len(cluster.members)) in words.split()
    # The repository's own map is numbered: every site keeps its own symbol.
    own, _ = print_map.print_layout(load_catalog(), Selection(), lang="en")
    assert not own.clusters
