"""Server-drawn charts: CSS width classes for bars and SVG geometry for the weekly chart (no inline styles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CHART_HEIGHT = 120
BAR_WIDTH = 18
BAR_GAP = 6


def bar_class(value: int, maximum: int) -> str:
    """'bar-w-35': the bar's share of the largest value, in steps of 5% (dashboard.css defines them)."""
    if maximum <= 0 or value <= 0:
        return "bar-w-0"
    step = max(1, round(value * 20 / maximum))
    return f"bar-w-{step * 5}"


def heat_class(value: int, highest: int) -> str:
    """'heat-0' (nothing) to 'heat-4' (the most); the number is always printed too, so colour is optional."""
    if value <= 0 or highest <= 0:
        return "heat-0"
    return f"heat-{min(4, 1 + (value * 4 - 1) // highest)}"


@dataclass
class Column:
    """One bar of the weekly chart, in SVG user units."""

    week: date
    count: int
    x: int
    y: int
    height: int


def weekly_columns(weeks: list[tuple[date, int]]) -> tuple[list[Column], int]:
    """Bars for (week, count) pairs and the chart's total width."""
    highest = max((n for _, n in weeks), default=0)
    columns = []
    for i, (week, n) in enumerate(weeks):
        height = round(n * (CHART_HEIGHT - 20) / highest) if highest else 0
        columns.append(Column(week, n, i * (BAR_WIDTH + BAR_GAP), CHART_HEIGHT - height, height))
    width = max(1, len(weeks) * (BAR_WIDTH + BAR_GAP))
    return columns, width
