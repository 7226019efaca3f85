"""Charts of the pages (altair), built from the display tables of :mod:`circlemap.panels`."""

from __future__ import annotations

import itertools
from typing import Final

import altair as alt
import pandas as pd

from circlemap.i18n import t

TIMELINE_GAP_DAYS: Final = 730
"""A gap longer than this (days) breaks the time axis into separate panels."""


def timeline_segments(table: pd.DataFrame) -> list[pd.DataFrame]:
    """Split milestones (sorted by date) where more than :data:`TIMELINE_GAP_DAYS` pass."""
    if table.empty:
        return []
    gaps = table["date"].diff().dt.days.fillna(0) > TIMELINE_GAP_DAYS
    return [part for _, part in table.groupby(gaps.cumsum(), sort=True)]


def timeline_chart(table: pd.DataFrame, lang: str, *, width: int = 560) -> alt.HConcatChart:
    """Altair chart: one row per milestone (labelled), a dot on a time axis, a bar for ranges.

    Long gaps (the 2013 plan before the 2020-2021 events) break the axis into
    panels, so close dates are not squeezed into one corner, and the panel
    after a break names its length under its axis; rows share one y axis.
    ``width`` (px) is shared by the panels, the short ones at least 60.
    """
    data = table.reset_index(names="id").assign(
        end=lambda d: d["end_date"].fillna(d["date"]),
        label=lambda d: d["when"] + "  " + d["text"],
    )
    labels = list(data["label"])
    segments = timeline_segments(data)
    spans = [max((seg["end"].max() - seg["date"].min()).days, 1) for seg in segments]
    short = [span < 60 for span in spans]
    wide_width = width - 60 * sum(short)
    wide_total = sum(span for span, s in zip(spans, short, strict=True) if not s) or 1
    # Each panel after a break says how long the break is (under its axis).
    gaps = [None] + [
        (later["date"].min() - earlier["end"].max()).days / 365.25
        for earlier, later in itertools.pairwise(segments)
    ]
    panels = []
    for i, (seg, span, is_short) in enumerate(zip(segments, spans, short, strict=True)):
        gap = gaps[i]
        gap_title = t("timeline_gap", lang).format(years=round(gap)) if gap else None
        pad = pd.Timedelta(days=max(span * 0.06, 45))
        domain = [seg["date"].min() - pad, seg["end"].max() + pad]
        panel_width = 60 if is_short else max(int(wide_width * span / wide_total), 120)
        base = alt.Chart(seg).encode(
            x=alt.X(
                "date:T",
                title=gap_title,
                scale=alt.Scale(domain=[d.isoformat() for d in domain]),
                axis=alt.Axis(format="%Y" if is_short else "%Y-%m", tickCount=1 if is_short else 6),
            ),
            y=alt.Y(
                "label:N",
                sort=labels,
                scale=alt.Scale(domain=labels),
                title=None,
                axis=alt.Axis(labelLimit=340, labelFontSize=12) if i == 0 else None,
            ),
            tooltip=[
                alt.Tooltip("when:N", title=t("col_date", lang)),
                alt.Tooltip("text:N", title=t("col_event", lang)),
            ],
        )
        bars = base.mark_rule(strokeWidth=8, color="#b5442f", opacity=0.45).encode(x2="end:T")
        dots = base.mark_circle(size=120, color="#b5442f", opacity=1)
        panels.append((bars + dots).properties(width=panel_width, height=28 * len(labels)))
    chart: alt.HConcatChart = alt.hconcat(*panels, spacing=8).resolve_scale(y="shared")
    return chart
