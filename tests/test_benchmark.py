"""The benchmark's pure parts: rows and budgets, the table, the payload measure, the naive map.

Fast and without a browser; ``python -m benchmarks.run --quick`` in ``scripts/test.sh``
runs the whole benchmark.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box
from streamlit.testing.v1 import AppTest

from benchmarks import browser, payload
from benchmarks.report import Budget, Row, format_value, median, table_lines, write_json
from circlemap import settings

# --- rows, budgets, table -----------------------------------------------------------------


def test_ratio_is_baseline_over_value_and_within_follows_the_budget():
    row = Row("payload", "overview", 250_000, "bytes", baseline=1_000_000, budget=Budget(300_000))
    assert row.ratio == 4.0
    assert row.within is True
    over = Row("payload", "overview", 350_000, "bytes", budget=Budget(300_000))
    assert over.ratio is None
    assert over.within is False
    assert Row("browser", "no reload", False, "bool", budget=Budget(required=True)).within is False
    assert Row("memory", "rss", 100.0, "MB").within is None


def test_a_budget_needs_a_limit_or_a_required_value():
    with pytest.raises(ValueError, match="limit"):
        Budget().holds(1.0)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (298_400, "bytes", "298.4 kB"),
        (3_740_000, "bytes", "3.74 MB"),
        (0.0412, "s", "41.2 ms"),
        (1.853, "s", "1.85 s"),
        (True, "bool", "yes"),
        (False, "bool", "NO"),
        (273.4, "MB", "273 MB"),
        (None, "s", "—"),
    ],
)
def test_values_are_shown_in_readable_units(value, unit, shown):
    assert format_value(value, unit) == shown


def test_median_of_nothing_is_an_error():
    assert median([3.0, 1.0, 2.0]) == 2.0
    with pytest.raises(ValueError, match="no values"):
        median([])


def test_table_has_a_block_per_section_with_aligned_columns():
    rows = [
        Row("payload", "overview map payload", 250_000, "bytes", baseline=1e6, budget=Budget(3e5)),
        Row("rebuild", "rerun", 0.08, "s", budget=Budget(0.05), samples=5),
        Row("browser", "keeps the iframe", True, "bool", budget=Budget(required=True), samples=2),
    ]
    lines = table_lines(rows)
    assert "## payload" in lines
    assert "## rebuild" in lines
    header = next(line for line in lines if line.startswith("metric"))
    assert [c.strip() for c in header.split(" | ")][1:] == [
        "value",
        "baseline",
        "ratio",
        "budget",
        "within?",
    ]
    payload_line = next(line for line in lines if line.startswith("overview map payload"))
    assert [c.strip() for c in payload_line.split(" | ")] == [
        "overview map payload",
        "250.0 kB",
        "1.00 MB",
        "4.0×",
        "≤ 300.0 kB",
        "yes",
    ]
    assert any("rerun (median of 5)" in line and "MISSED" in line for line in lines)
    assert any("keeps the iframe (all of 2)" in line for line in lines)
    bars = {line.index(" | ") for line in lines if " | " in line}
    assert len(bars) == 1  # the first column is padded to one width


def test_json_carries_the_rows_with_ratio_and_within(tmp_path):
    path = tmp_path / "results" / "latest.json"
    row = Row("export", "export png", 1.2, "s", budget=Budget(3.0), samples=5)
    write_json(path, [row], {"quick": True})
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["meta"] == {"quick": True}
    assert body["rows"][0]["within"] is True
    assert body["rows"][0]["budget"] == {"limit": 3.0, "required": None}
    assert body["rows"][0]["ratio"] is None


# --- payload ------------------------------------------------------------------------------


def _tiny_map() -> tuple[folium.Map, folium.FeatureGroup]:
    m = folium.Map(location=[36.9, 117.4], zoom_start=8, tiles=None)
    folium.GeoJson({"type": "Point", "coordinates": [117.0, 36.6]}, name="base").add_to(m)
    group = folium.FeatureGroup(name="features")
    folium.GeoJson({"type": "Point", "coordinates": [118.0, 36.8]}, name="f").add_to(group)
    return m, group


def test_component_args_carry_the_base_map_and_the_feature_group():
    m, group = _tiny_map()
    args = payload.component_args(m, key="k", feature_group_to_add=group, returned_objects=[])
    assert "on_change" not in args
    assert "117.0" in args["script"]
    assert "118.0" in args["feature_group"]
    assert "118.0" not in args["script"]
    serialised = payload.json_args(args)
    parts = payload.payload_parts(serialised)
    assert sum(parts.values()) == payload.payload_bytes(serialised)
    assert parts["script"] > 0
    assert parts["feature_group"] > 0


def _app_with_a_tiny_map() -> None:
    import folium
    from streamlit_folium import st_folium

    m = folium.Map(location=[36.9, 117.4], zoom_start=8, tiles=None)
    folium.GeoJson({"type": "Point", "coordinates": [117.0, 36.6]}, name="base").add_to(m)
    group = folium.FeatureGroup(name="features")
    folium.GeoJson({"type": "Point", "coordinates": [118.0, 36.8]}, name="f").add_to(group)
    st_folium(m, key="k", feature_group_to_add=group, returned_objects=[])


def test_measured_payload_is_what_streamlit_sends():
    """The intercepted call serialises exactly as Streamlit's own component does."""
    at = AppTest.from_function(_app_with_a_tiny_map).run()
    sent = payload.map_json_args(at, "tiny")
    m, group = _tiny_map()
    args = payload.component_args(m, key="k", feature_group_to_add=group, returned_objects=[])
    assert payload.payload_bytes(payload.json_args(args)) == payload.payload_bytes(sent)


def test_non_ascii_text_is_counted_as_sent():
    # Streamlit's json.dumps escapes non-ASCII: 济 travels as six bytes.
    assert payload.payload_bytes(json.dumps({"script": "济"})) == len('{"script": "\\u6d4e"}')


def _frame(rows):
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=settings.STORAGE_CRS)


def test_naive_layers_keep_every_stored_property_on_the_raw_geometry():
    stored = _frame(
        [{"id": "city-370100", "adcode": "370100", "name_zh": "济南", "geometry": box(0, 0, 1, 1)}]
    )
    raw = _frame(
        [
            {"adcode": "370100", "path": "a/370100.geojson", "geometry": box(0, 0, 1.5, 1.5)},
            {"adcode": "370300", "path": "a/370300.geojson", "geometry": box(2, 2, 3, 3)},
        ]
    )
    joined = payload._with_stored_properties(raw, stored)
    assert list(joined["id"]) == ["city-370100"]
    assert joined.iloc[0]["path"] == "a/370100.geojson"
    assert joined.geometry.iloc[0].equals(box(0, 0, 1.5, 1.5))
    with pytest.raises(RuntimeError, match="0 of 1"):
        payload._with_stored_properties(raw.iloc[1:], stored)


def test_naive_map_is_plain_geojson_of_every_layer_with_every_property():
    base = {
        "id": "x",
        "adcode": "1",
        "name_zh": "城",
        "cities": ("济南",),
        "geometry": box(0, 0, 1, 1),
    }
    raw = payload.RawLayers(
        cities=_frame([base]),
        counties=_frame([{**base, "city": "济南"}]),
        context=_frame([base]),
        river=_frame(
            [{"id": "river", "name_zh": "黄河", "geometry": LineString([(0, 0), (1, 1)])}]
        ),
    )
    features = _frame(
        [
            {
                "id": "f1",
                "name_zh": "站",
                "quote": "原文",
                "measure_ids": ("m1",),
                "geometry": Point(0, 0),
            }
        ]
    ).set_index("id")
    m, group = payload.build_naive_map(raw, features)
    args = payload.component_args(m, key="k", feature_group_to_add=group, returned_objects=[])
    assert args["script"].count("L.geoJson(") == 4
    assert '"measure_ids": ["m1"]' in args["feature_group"]
    assert '"id": "f1"' in args["feature_group"]


# --- browser ------------------------------------------------------------------------------


def test_feature_id_key_matches_the_watcher_in_the_iframe():
    # INIT_JS files ids under JSON.stringify([...].sort()): no spaces, sorted.
    assert browser._ids_key(["b", "a"]) == '["a","b"]'
    assert "JSON.stringify([...out].sort())" in browser.INIT_JS


# --- peers, scale curve, budget lines -----------------------------------------------------


def test_ratio_rows_and_markdown_grids():
    from benchmarks.report import grid_lines, quotient

    assert format_value(1.234, "ratio") == "1.23×"
    assert quotient(3.0, 2.0) == 1.5
    assert quotient(None, 2.0) is None
    assert quotient(1.0, 0.0) is None
    assert grid_lines(["a", "b"], [["1", "2"]]) == ["| a | b |", "|---|---|", "| 1 | 2 |"]


def _peer_and_scale_rows():
    rows = []
    for name, load, change, ws, heap in (
        ("floor", 1.6, None, None, 7e6),
        ("app", 2.0, 0.3, 160_000, 18e6),
        ("plain", 1.8, 0.25, 400_000, 12e6),
    ):
        rows.append(Row("peers", f"navigation -> first vector drawn: {name}", load, "s"))
        rows.append(Row("peers", f"JS heap after GC: {name}", heap, "bytes"))
        if change is not None:
            rows.append(Row("peers", f"city filter change -> map redrawn: {name}", change, "s"))
            rows.append(
                Row("peers", f"bytes over the WebSocket per filter change: {name}", ws, "bytes")
            )
    for times, change, zoom, rerun, png in ((1, 0.4, 0.07, 0.04, 0.6), (100, 1.0, 0.2, 0.1, 1.5)):
        tag = f"{times}× ({30 * times} features)"
        rows += [
            Row("scale", f"city filter change -> map redrawn at {tag}", change, "s"),
            Row("scale", f"zoom step (±1, no animation), plain folium at {tag}", zoom * 2, "s"),
            Row("scale", f"zoom step (±1, no animation) at {tag}", zoom, "s"),
            Row("scale", f"server rerun after a filter change at {tag}", rerun, "s"),
            Row("scale", f"PNG export at {tag}", png, "s"),
        ]
    return rows


def test_budget_lines_are_quotients_of_the_runs_figures():
    from benchmarks import run

    lines = {r.metric: r for r in run.budget_rows(_peer_and_scale_rows(), (1, 100))}
    assert lines["cold load: app ÷ floor"].value == pytest.approx(2.0 / 1.6)
    assert lines["cold load: app ÷ floor"].within is False
    assert lines["filter change: app ÷ plain"].value == pytest.approx(0.3 / 0.25)
    assert lines["WebSocket bytes per filter change: app"].within is False
    assert lines["JS heap after GC: app ÷ plain"].value == pytest.approx(1.5)
    assert lines["filter change: 100× ÷ 1×"].value == pytest.approx(2.5)
    assert lines["PNG export at 100×"].within is True
    assert lines["server rerun at 100×"].within is False


def test_peer_and_scale_tables_put_the_peers_side_by_side():
    from benchmarks import run

    rows = _peer_and_scale_rows()
    peers = run.peer_table(rows)
    load = next(line for line in peers if line.startswith("| navigation"))
    assert load == "| navigation -> first vector drawn | 1.60 s | 2.00 s | 1.80 s | 1.25× | 1.11× |"
    scale = run.scale_table(rows, (1, 100))
    assert scale[0] == "| figure | 1× (30 features) | 100× (3000 features) | 100× ÷ 1× |"
    assert "| PNG export | 600.0 ms | 1.50 s | 2.50× |" in scale
    # The plain version's row is its own, listed before the app's in the rows.
    assert "| zoom step (±1, no animation) | 70.0 ms | 200.0 ms | 2.86× |" in scale
    assert "| zoom step (±1, no animation), plain folium | 140.0 ms | 400.0 ms | 2.86× |" in scale
    budget = {r.metric: r for r in run.budget_rows(rows, (1, 100))}
    assert budget["zoom step at 100×"].value == pytest.approx(0.2)


def test_raster_time_is_the_sum_of_the_traces_raster_events():
    from benchmarks import compare

    events = [
        {"name": compare.RASTER_EVENT, "ph": "X", "dur": 1500},
        {"name": compare.RASTER_EVENT, "ph": "X", "dur": 500},
        {"name": compare.RASTER_EVENT, "ph": "B"},  # no duration: not a complete event
        {"name": "Paint", "ph": "X", "dur": 9000},
    ]
    assert compare.raster_seconds(events) == pytest.approx(0.002)
    assert compare.raster_seconds([]) == 0


def test_watcher_key_matches_the_one_in_the_iframe():
    from benchmarks import compare

    assert compare.ids_key(["b", "a"]) == '["a","b"]'
    assert "JSON.stringify([...out].sort())" in compare.WATCH_JS


def test_the_png_baseline_draws_one_collection_per_feature():
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from benchmarks import scale
    from circlemap.export import print_symbols

    rows = [
        {"id": f"l{i}", "kind": "rail", "geometry_accuracy": "exact",
         "geometry": LineString([(i, 0), (i + 1, 1)])}
        for i in range(12)
    ]  # fmt: skip
    features = _frame(rows).set_index("id")
    for per_feature, expected in ((False, 1), (True, 12)):
        fig, ax = plt.subplots()
        try:
            if per_feature:
                with scale.one_call_per_feature():
                    print_symbols.draw_symbols(ax, features, None)
            else:
                print_symbols.draw_symbols(ax, features, None)
            assert len(ax.collections) == expected
        finally:
            plt.close(fig)


def test_apptest_reruns_reuse_compiled_scripts_as_a_server_does(tmp_path):
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    from benchmarks import timing

    script = tmp_path / "page.py"
    script.write_text("x = 1\n", encoding="utf-8")
    # Outside the context each new cache (one per AppTest run) compiles again.
    assert ScriptCache().get_bytecode(str(script)) is not ScriptCache().get_bytecode(str(script))
    with timing.server_script_cache():
        first = ScriptCache().get_bytecode(str(script))
        assert ScriptCache().get_bytecode(str(script)) is first
    assert ScriptCache().get_bytecode(str(script)) is not first
