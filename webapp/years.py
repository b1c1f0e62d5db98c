"""What the search page draws of time: the chart of years (a control choosing a span),
the active spans as chips, and a query's timeline (mentions per report, see
:mod:`indexer.engine.timeline`) as a chart with its data table.

Geometry is in SVG user units; the templates only place what is computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from indexer.records import Collapse, Facet, SearchRequest, SearchResult
from webapp.navigation import NO_DATE_SPAN, NO_YEAR_SPAN, span_url, year_in_span
from webapp.urls import search_url

CHART_BAR_WIDTH = 36  # year chart
CHART_GAP = 12
CHART_HEIGHT = 80
CHART_LABEL = 18
TIMELINE_BAR_WIDTH = 30  # timeline chart
TIMELINE_GAP = 10
TIMELINE_HEIGHT = 60
TIMELINE_LABEL = 16


@dataclass(frozen=True)
class Bar:
    """One bar of the year chart, in SVG user units, and the links it is.

    ``url`` shows that year only (or, when it is the one year shown, every year again);
    ``span_url`` (for a shift-click) the span from the current span's first year to it.
    """

    label: str
    count: int
    x: int
    y: int
    height: int
    selected: bool
    name: str  # the link's accessible name: "2024: 3 reports"
    url: str
    span_url: str


def year_chart(result: SearchResult) -> tuple[list[Bar], int, int]:
    """Bars of the year facet, oldest year first, with the chart's width and height."""
    req = result.request
    counts = sorted(result.facets.get(Facet.YEAR, ()), key=lambda c: c.value)
    tallest = max((c.count for c in counts), default=0) or 1
    anchor = req.year_from if req.year_from is not None else req.year_to
    bars = []
    for i, c in enumerate(counts):
        height = round(CHART_HEIGHT * c.count / tallest)
        if c.count:
            height = max(height, 2)
        x = CHART_GAP // 2 + i * (CHART_BAR_WIDTH + CHART_GAP)
        y = CHART_LABEL + CHART_HEIGHT - height
        year = int(c.value)
        if (req.year_from, req.year_to) == (year, year) and not req.years:
            url = search_url(req, **NO_YEAR_SPAN, page=1)
        else:
            url = span_url(req, year, year)
        start = year if anchor is None else min(anchor, year)
        extended = span_url(req, start, year if anchor is None else max(anchor, year))
        if req.collapse is Collapse.REPORT:
            name = ngettext(
                "%(year)s: %(num)d report", "%(year)s: %(num)d reports", c.count, year=c.label
            )
        else:
            name = ngettext(
                "%(year)s: %(num)d result", "%(year)s: %(num)d results", c.count, year=c.label
            )
        selected = c.selected or year_in_span(req, year)
        bars.append(Bar(c.label, c.count, x, y, height, selected, name, url, extended))
    width = max(1, len(counts)) * (CHART_BAR_WIDTH + CHART_GAP)
    return bars, width, CHART_HEIGHT + 2 * CHART_LABEL


@dataclass(frozen=True)
class Chip:
    """An active filter shown above the results, as a link removing it."""

    label: str
    url: str


def span_chips(req: SearchRequest) -> list[Chip]:
    """The year span and the date span of ``req``, each as a removable chip."""
    chips = []
    first, last = req.year_from, req.year_to
    if first is not None or last is not None:
        if first is not None and first == last:
            label = _("Year: %(year)d", year=first)
        elif first is not None and last is not None:
            label = _("Years: %(first)d–%(last)d", first=first, last=last)
        elif first is not None:
            label = _("Years: from %(first)d", first=first)
        else:
            label = _("Years: up to %(last)d", last=last)
        chips.append(Chip(label, search_url(req, **NO_YEAR_SPAN, page=1)))
    if req.date_from is not None or req.date_to is not None:
        start, end = (
            format_date(day, "medium") if day is not None else None
            for day in (req.date_from, req.date_to)
        )
        if start and end:
            label = _("Published: %(start)s – %(end)s", start=start, end=end)
        elif start:
            label = _("Published: from %(start)s", start=start)
        else:
            label = _("Published: up to %(end)s", end=end)
        chips.append(Chip(label, search_url(req, **NO_DATE_SPAN, page=1)))
    return chips


@dataclass(frozen=True)
class TimelineBar:
    """One report of a query's timeline: its bar and its row in the data table."""

    report: str  # "No. 7"
    period: str  # "April 2024 – September 2024"
    mentions: int
    documents: int
    x: int
    y: int
    height: int
    title: str  # the bar's tooltip: report, period, mentions and documents in words


@dataclass(frozen=True)
class Timeline:
    """The timeline chart: its bars (oldest period first), size and accessible name."""

    bars: list[TimelineBar]
    width: int
    height: int
    label: str


def timeline_chart(result: SearchResult, period: Callable[[str], str]) -> Timeline | None:
    """The chart of ``result.timeline``, or ``None`` when there is none to draw.

    ``period`` formats a period bound (``2024-04``) in the interface language.
    """
    points = result.timeline or ()
    if not points:
        return None
    tallest = max(point.mentions for point in points) or 1
    bars = []
    for i, point in enumerate(points):
        height = round(TIMELINE_HEIGHT * point.mentions / tallest)
        if point.mentions:
            height = max(height, 2)
        report = _("No. %(number)d", number=point.report)
        span = f"{period(point.period_start)} – {period(point.period_end)}"
        mentions = ngettext("%(num)d mention", "%(num)d mentions", point.mentions)
        documents = ngettext(
            "%(num)d matching document", "%(num)d matching documents", point.documents
        )
        title = _(
            "%(report)s, %(period)s: %(mentions)s, %(documents)s",
            report=report,
            period=span,
            mentions=mentions,
            documents=documents,
        )
        x = TIMELINE_GAP // 2 + i * (TIMELINE_BAR_WIDTH + TIMELINE_GAP)
        y = TIMELINE_LABEL + TIMELINE_HEIGHT - height
        bars.append(TimelineBar(report, span, point.mentions, point.documents, x, y, height, title))
    label = _("Mentions of “%(query)s” per report", query=result.request.q)
    summary = ", ".join(f"{bar.report}: {bar.mentions}" for bar in bars)
    return Timeline(
        bars,
        width=len(bars) * (TIMELINE_BAR_WIDTH + TIMELINE_GAP),
        height=TIMELINE_HEIGHT + 2 * TIMELINE_LABEL,
        label=f"{label}: {summary}",
    )
