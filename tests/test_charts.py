"""Tests of circlemap.charts: the timeline chart."""

from __future__ import annotations

import altair as alt
import pytest

from circlemap import charts, panels
from circlemap.catalog import Catalog
from tests import factories


@pytest.fixture
def catalog() -> Catalog:
    return factories.small_catalog()


def test_timeline_chart_breaks_the_axis_at_long_gaps(catalog):
    table = panels.milestone_table(catalog.milestones, "en")
    chart = charts.timeline_chart(table, "en")
    assert isinstance(chart, alt.HConcatChart)
    assert len(chart.to_dict()["hconcat"]) == 2  # 2013 and 2020 are far apart


def test_the_panel_after_a_break_names_the_gap(catalog):
    table = panels.milestone_table(catalog.milestones, "zh")
    first, second = charts.timeline_chart(table, "zh").to_dict()["hconcat"]
    titles = [layer["encoding"]["x"].get("title") for layer in second["layer"]]
    assert titles[0] == "⟨ 间隔约 7 年 ⟩"  # 2013 to 2020
    assert all(layer["encoding"]["x"].get("title") is None for layer in first["layer"])
