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
