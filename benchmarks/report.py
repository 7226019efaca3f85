"""Rows of the benchmark, the budgets they are held to, the printed table and the JSON.

A :class:`Row` is one measured figure, optionally beside a naive baseline of
the same run and a budget. ``ratio`` is ``baseline / value``: how many times
smaller (bytes) or faster (seconds) the app is than the naive way, so higher
is better. A missed budget is reported, never raised.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, Literal

Unit = Literal["bytes", "s", "MB", "bool", "count", "ratio"]

KB: Final = 1000
"""Payload budgets are in kB (1000 bytes)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """An upper bound (``limit`` in the row's unit) or a required boolean (``required``)."""

    limit: float | None = None
    required: bool | None = None

    def holds(self, value: float | bool) -> bool:
        """Whether ``value`` is within the budget."""
        if self.required is not None:
            return bool(value) is self.required
        if self.limit is None:
            msg = "a budget needs a limit or a required value"
            raise ValueError(msg)
        return float(value) <= self.limit


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of the benchmark.

    Attributes
    ----------
    section : str
        Which part of the benchmark (``"payload"``, ``"rebuild"``, ...).
    metric : str
        What was measured, in words.
    value : float or bool
        The figure (``unit``): bytes, seconds, megabytes, a count or a check.
    unit : {"bytes", "s", "MB", "bool", "count", "ratio"}
        ``ratio`` is a quotient of two figures of the run (e.g. app ÷ floor).
    baseline : float, optional
        The naive way's figure, measured in the same run.
    budget : Budget, optional
    samples : int
        How many runs the figure is the median of (1 for a single measurement).
    """

    section: str
    metric: str
    value: float | bool
    unit: Unit
    baseline: float | None = None
    budget: Budget | None = None
    samples: int = 1

    @property
    def ratio(self) -> float | None:
        """``baseline / value`` (higher is better), ``None`` without a baseline."""
        if self.baseline is None or isinstance(self.value, bool) or self.value <= 0:
            return None
        return self.baseline / float(self.value)

    @property
    def within(self) -> bool | None:
        """Whether the value keeps the budget; ``None`` without a budget."""
        return None if self.budget is None else self.budget.holds(self.value)

    def as_dict(self) -> dict[str, Any]:
        """The row for the JSON file, with ``ratio`` and ``within`` computed."""
        out = asdict(self)
        out["budget"] = None if self.budget is None else asdict(self.budget)
        out["ratio"] = self.ratio
        out["within"] = self.within
        return out


def median(values: Sequence[float]) -> float:
    """Median of at least one value."""
    if not values:
        msg = "median of no values"
        raise ValueError(msg)
    return float(statistics.median(values))


def format_value(value: float | bool | None, unit: Unit) -> str:
    """A figure for the table: ``"298.4 kB"``, ``"41.2 ms"``, ``"1.85 s"``, ``"yes"``."""
    if value is None:
        return "—"
    if unit == "bool" or isinstance(value, bool):
        return "yes" if value else "NO"
    number = float(value)
    if unit == "bytes":
        big = number >= 1_000_000
        return f"{number / 1_000_000:.2f} MB" if big else f"{number / KB:.1f} kB"
    if unit == "s":
        return f"{number * 1000:.1f} ms" if number < 1 else f"{number:.2f} s"
    if unit == "ratio":
        return f"{number:.2f}×"
    return f"{number:.0f} MB" if unit == "MB" else f"{number:g}"


def format_budget(budget: Budget | None, unit: Unit) -> str:
    """``"≤ 300.0 kB"``, ``"must be yes"`` or ``"—"``."""
    if budget is None:
        return "—"
    if budget.required is not None:
        return "must be " + format_value(budget.required, "bool")
    return "≤ " + format_value(budget.limit, unit)


def format_ratio(ratio: float | None) -> str:
    """``"12.3×"`` (baseline ÷ value) or ``"—"``."""
    if ratio is None or not math.isfinite(ratio):
        return "—"
    return f"{ratio:.1f}×" if ratio < 100 else f"{ratio:.0f}×"


def format_within(within: bool | None) -> str:
    return "—" if within is None else ("yes" if within else "MISSED")


def _samples_note(row: Row) -> str:
    if row.samples <= 1:
        return ""
    return f" ({'all' if row.unit == 'bool' else 'median'} of {row.samples})"


HEADER: Final = ("metric", "value", "baseline", "ratio", "budget", "within?")


def table_lines(rows: Iterable[Row]) -> list[str]:
    """The rows as ``metric | value | baseline | ratio | budget | within?`` lines,
    columns padded, one block per section with its name above it."""
    rows = list(rows)
    cells = [
        (
            r.metric + _samples_note(r),
            format_value(r.value, r.unit),
            format_value(r.baseline, r.unit) if r.baseline is not None else "—",
            format_ratio(r.ratio),
            format_budget(r.budget, r.unit),
            format_within(r.within),
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [HEADER, *cells]) for i in range(len(HEADER))]

    def line(parts: Sequence[str]) -> str:
        return " | ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()

    out: list[str] = []
    section = None
    for row, cell in zip(rows, cells, strict=True):
        if row.section != section:
            section = row.section
            out += ["", f"## {section}", line(HEADER), "-+-".join("-" * w for w in widths)]
        out.append(line(cell))
    return out


def write_json(path: Path, rows: Iterable[Row], meta: dict[str, Any]) -> None:
    """Write ``{"meta": ..., "rows": [...]}`` (UTF-8, indented), creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"meta": meta, "rows": [r.as_dict() for r in rows]}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def grid_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table (``| a | b |`` lines with a separator under ``header``)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines


def quotient(top: float | None, bottom: float | None) -> float | None:
    """``top / bottom``, or None when either is missing or ``bottom`` is not positive."""
    if top is None or bottom is None or bottom <= 0:
        return None
    return top / bottom
