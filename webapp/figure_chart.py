"""The step chart of a figure's values over time, as numbers an inline SVG draws.

A value holds from its ``as_of`` date until the next one, so the line steps: level
from one point to the next, then up (or down).  A value for the reporting period only
is drawn as a point without the line into it (a per-period count is not a total to
step from).  No JavaScript: the template draws what this computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indexer.figures.model import Basis, FigureValue

# A narrow drawing scaled to the page: its text stays readable on a phone (390 px).
WIDTH = 420
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 28, 40


@dataclass(frozen=True)
class ChartPoint:
    """One value on the chart: where it is drawn and what it links to."""

    x: float
    y: float
    point: FigureValue
    label: str  # "over 3,200, September 2025"
    url: str
    date: str  # under the point: "09.2025"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    path: str  # the step line through the cumulative values
    ticks: tuple[tuple[float, str], ...]  # (y, label) on the value axis
    baseline: float


def nice_top(value: Decimal) -> Decimal:
    """The top of the value axis: the first of 1, 2, 4, 5, 8 × 10ⁿ above ``value``
    (so that its quarters are round numbers too)."""
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 5, 8, 10):
        if magnitude * step > value:
            return magnitude * step
    return magnitude * 10


def _scale(value: Decimal, top: Decimal) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return round(HEIGHT - BOTTOM - float(value / top) * inner, 1)


def step_chart(
    points: tuple[FigureValue, ...], labels: list[str], urls: list[str], number_text
) -> Chart:
    """The chart of ``points`` (oldest first), each with its label and link;
    ``number_text`` writes a tick's number in the reader's language."""
    top = nice_top(max(p.value for p in points))
    days = [p.as_of_date.toordinal() for p in points]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    inner = WIDTH - LEFT - RIGHT
    drawn = []
    for p, day, label, url in zip(points, days, labels, urls, strict=True):
        x = LEFT + inner / 2 if first == last else LEFT + (day - first) / span * inner
        date = f"{p.as_of_date.month:02d}.{p.as_of_date.year}"
        drawn.append(ChartPoint(round(x, 1), _scale(p.value, top), p, label, url, date))
    path = [
        f"M{before.x},{before.y} H{after.x} V{after.y}"
        for before, after in zip(drawn, drawn[1:], strict=False)
        if before.point.basis is not Basis.PERIOD and after.point.basis is not Basis.PERIOD
    ]
    ticks = tuple((_scale(top * i / 4, top), number_text(top * i / 4)) for i in range(5))
    return Chart(WIDTH, HEIGHT, tuple(drawn), " ".join(path), ticks, HEIGHT - BOTTOM)
