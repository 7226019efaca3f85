"""Feature symbols of the print map, drawn in batches (``circlemap.export.print_symbols``)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib as mpl
import pytest
from matplotlib.collections import LineCollection, PatchCollection, PathCollection
from shapely.geometry import LineString, MultiLineString, Point, box

from circlemap import styles
from circlemap.export import print_symbols

mpl.use("Agg")


def _features(rows):
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:32650")
    return frame.set_index("id")


def _line(i, kind="rail", accuracy="schematic"):
    geom = LineString([(i, 0), (i + 1, 1)])
    return {"id": f"l{i}", "kind": kind, "geometry_accuracy": accuracy, "geometry": geom}


def _point(i, kind="science", accuracy="exact"):
    return {"id": f"p{i}", "kind": kind, "geometry_accuracy": accuracy, "geometry": Point(i, 5)}


def test_features_of_one_style_share_one_batch_in_first_come_order():
    rows = [
        *(_line(i) for i in range(5)),
        _point(0),
        _line(9, kind="road"),
        *(_point(i) for i in range(1, 4)),
        _line(20, accuracy="exact"),
    ]
    rows.append(
        {
            "id": "m",
            "kind": "rail",
            "geometry_accuracy": "schematic",
            "geometry": MultiLineString([[(0, 0), (1, 0)], [(2, 0), (3, 0)]]),
        }
    )
    batches = print_symbols.symbol_batches(_features(rows))
    keys = [(shape, kind, acc, sel) for shape, kind, acc, sel, _ in batches]
    assert keys == [
        ("line", "rail", "schematic", False),
        ("point", "science", "exact", False),
        ("line", "road", "schematic", False),
        ("line", "rail", "exact", False),
    ]
    assert list(batches[0][4].index) == ["l0", "l1", "l2", "l3", "l4", "m"]
    assert list(batches[1][4].index) == ["p0", "p1", "p2", "p3"]


def test_the_selected_point_gets_a_batch_of_its_own_a_selected_line_does_not():
    rows = [_point(0), _point(1), _point(2), _line(0), _line(1)]
    batches = print_symbols.symbol_batches(_features(rows), "p1")
    chosen = [b for b in batches if b[3]]
    assert [list(b[4].index) for b in chosen] == [["p1"]]
    assert len(print_symbols.symbol_batches(_features(rows), "l1")) == 2


def test_thousands_of_features_are_a_few_collections_not_one_per_feature():
    import matplotlib.pyplot as plt

    rows = [_line(i, accuracy=("exact", "schematic")[i % 2]) for i in range(600)]
    rows += [_point(i) for i in range(400)]
    rows += [
        {"id": f"a{i}", "kind": "wetland", "geometry_accuracy": "approximate",
         "geometry": box(i, 10, i + 0.5, 10.5)}
        for i in range(200)
    ]  # fmt: skip
    fig, ax = plt.subplots()
    try:
        print_symbols.draw_symbols(ax, _features(rows), "p3")
        lines = [c for c in ax.collections if isinstance(c, LineCollection)]
        points = [c for c in ax.collections if isinstance(c, PathCollection)]
        fills = [c for c in ax.collections if isinstance(c, PatchCollection)]
        # rail exact + rail schematic lines, the wetland outlines; points, the selected one
        assert len(lines) == 3
        assert sum(len(c.get_segments()) for c in lines) == 600 + 200
        assert [len(c.get_offsets()) for c in points] == [399, 1]
        assert [c.get_zorder() for c in points] == [8, 8.5]
        assert len(fills) == 1
        assert len(fills[0].get_paths()) == 200
        rail = mpl.colors.to_rgba(styles.kind_colour("rail"))
        assert tuple(lines[0].get_colors()[0]) == pytest.approx(rail)
    finally:
        plt.close(fig)
