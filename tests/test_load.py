"""The load generator: its protobuf messages, its figures, and one real session.

``benchmarks/load.py`` drives many sessions; here its message building and
parsing are checked against Streamlit's own protobuf classes, and one
session goes through a whole round against a live server (so the generator
cannot silently stop speaking the protocol the installed Streamlit speaks).
No time is asserted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import random

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import load, protocol


def test_rerun_message_encodes_each_widget_kind_as_the_front_end_does():
    raw = protocol.rerun_message(
        {
            "$$ID-1-cm_cities": ["淄博", "德州"],
            "$$ID-2-None": True,
            "$$ID-3-map": protocol.click_value("rail-x", seq=4),
            "$$ID-4-pick": "road-y",
        },
        query_string="lang=en",
        page_script_hash="abc",
    )
    msg = BackMsg()
    msg.ParseFromString(raw)
    assert msg.WhichOneof("type") == "rerun_script"
    client = msg.rerun_script
    assert (client.query_string, client.page_script_hash) == ("lang=en", "abc")
    states = {w.id: w for w in client.widget_states.widgets}
    assert list(states["$$ID-1-cm_cities"].string_array_value.data) == ["淄博", "德州"]
    assert states["$$ID-2-None"].WhichOneof("value") == "trigger_value"
    clicked = json.loads(states["$$ID-3-map"].json_value)
    assert clicked["last_active_drawing"]["properties"]["id"] == "rail-x"
    assert states["$$ID-4-pick"].string_value == "road-y"


def _element(kind: str, **fields: object) -> ForwardMsg:
    msg = ForwardMsg()
    proto = getattr(msg.delta.new_element, kind)
    for name, value in fields.items():
        setattr(proto, name, value)
    return msg


def test_widget_ids_by_key_label_and_component_and_exceptions_found():
    messages = [
        _element("multiselect", id="$$ID-aa-cm_cities", label="城市"),
        _element("button", id="$$ID-bb-None", label="清除筛选"),
        _element(
            "component_instance", id="$$ID-cc-9f8e", component_name="streamlit_folium.st_folium"
        ),
        _element("markdown", body="not a widget"),
        _element("exception", type="KeyError", message="'x'"),
    ]
    ids = protocol.widget_ids(messages)
    assert ids["cm_cities"] == "$$ID-aa-cm_cities"
    assert ids["label:清除筛选"] == "$$ID-bb-None"
    assert ids["component:streamlit_folium.st_folium"] == "$$ID-cc-9f8e"
    assert "None" not in ids
    assert protocol.exceptions(messages) == ["KeyError: 'x'"]


def test_a_reference_is_resolved_from_the_cache_and_hashes_are_sent_back():
    session = protocol.Session(ws=None)
    big = _element("markdown", body="x" * 100)
    big.hash, big.metadata.cacheable = "h1", True
    assert session.resolve(big.SerializeToString()).delta.new_element.markdown.body == "x" * 100
    ref = ForwardMsg(ref_hash="h1")
    ref.metadata.delta_path.extend([0, 3])
    resolved = session.resolve(ref.SerializeToString())
    assert resolved.delta.new_element.markdown.body == "x" * 100
    assert list(resolved.metadata.delta_path) == [0, 3]  # placed where the reference says
    msg = BackMsg()
    msg.ParseFromString(protocol.rerun_message({}, cached_hashes=session.cache))
    assert list(msg.rerun_script.cached_message_hashes) == ["h1"]
    with pytest.raises(protocol.ProtocolError, match="never received"):
        session.resolve(ForwardMsg(ref_hash="h2").SerializeToString())


def test_percentiles_are_nearest_rank():
    values = [i / 100 for i in range(1, 101)]  # 0.01 .. 1.00
    assert load.percentiles(values) == {"n": 100, "p50": 0.505, "p95": 0.95, "max": 1.0}
    assert load.percentiles([]) == {"n": 0}


def _level(sessions: int, p95: float, failed: int, rss_after: float) -> dict[str, object]:
    return {
        "sessions": sessions,
        "interactions": {"n": 10, "p50": p95 / 2, "p95": p95, "max": p95},
        "failed_sessions": failed,
        "rss_peak_mb": rss_after,
        "rss_after_mb": rss_after,
    }


def test_the_memory_budget_compares_with_every_process_warm_not_one_session():
    # Two replicas: one session through the proxy warms one of them (1-session
    # peak 280 MB); with both warm (440 MB) 20 sessions leave 450 MB: within.
    levels = [_level(1, 0.2, 0, 280.0), _level(20, 0.6, 0, 450.0)]
    assert load.verdict(levels, 2.0, warm_mb=440.0).endswith("within")
    assert "1.02" in load.verdict(levels, 2.0, warm_mb=440.0)
    # growth beyond 20 % of the warm level, a slow p95 or a failure: missed
    assert load.verdict(levels, 2.0, warm_mb=300.0).endswith("MISSED")
    assert load.verdict([_level(20, 1.2, 0, 450.0)], 2.0, warm_mb=440.0).endswith("MISSED")
    assert load.verdict([_level(20, 0.6, 1, 450.0)], 2.0, warm_mb=440.0).endswith("MISSED")
    # not measured: other think time, no 20-session level, no warm level
    assert "not measured" in load.verdict(levels, 1.0, warm_mb=440.0)
    assert "not measured" in load.verdict(levels[:1], 2.0, warm_mb=440.0)
    assert "not measured" in load.verdict(levels, 2.0, warm_mb=0.0)


def test_one_session_does_a_whole_round_against_the_server(app_server):
    level = load.Level(sessions=1)
    features = load.city_features()
    session = load.one_session(
        load._ws(app_server),
        rounds=1,
        think=0.0,
        rng=random.Random(1),
        features=features,
        level=level,
    )
    # its own thread: an event loop may already run in this one (Playwright's sync API)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, session).result(timeout=120)
    assert {k: len(v) for k, v in level.times.items()} == {
        "load": 1,
        "city": 1,
        "click": 1,
        "clear": 1,
    }
