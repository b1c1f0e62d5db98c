"""HTML pages: the search page ``/`` and one page per report ``/reports/<id>``.

Views stay thin: parse the request once (:func:`webapp.searching.search_request`), run
the search, and hand the :class:`SearchResult` to a template together with the links it
needs.  Links are built here from :meth:`SearchRequest.as_params`, so the whole state of
a view (the interface language ``hl`` included) is in its URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from indexer.languages import ALL_LANGS, SUPPORT, Lang
from indexer.records import Collapse, Facet, SearchRequest, SearchResult, SortOrder
from indexer.search import get_document
from webapp.i18n import ui_lang
from webapp.searching import current_index, run_search, search_request

bp = Blueprint("pages", __name__)

CHART_BAR_WIDTH = 36  # year chart geometry, in SVG user units
CHART_GAP = 12
CHART_HEIGHT = 80
CHART_LABEL = 18
PAGE_WINDOW = 2  # page links shown on each side of the current page


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    def switch_language_url(code: str) -> str:
        args = request.args.to_dict(flat=False)
        args["hl"] = [code]
        return url_for(request.endpoint or "pages.index", **(request.view_args or {}), **args)

    return {
        "hl": ui_lang().value,
        "interface_languages": [(lang.value, SUPPORT[lang].native_name) for lang in ALL_LANGS],
        "switch_language_url": switch_language_url,
    }


def with_hl(endpoint: str, params: Sequence[tuple[str, str]] = (), **values: Any) -> str:
    """The URL of ``endpoint`` with query pairs ``params`` and the interface language."""
    pairs = [*params, ("hl", ui_lang().value)]
    return f"{url_for(endpoint, **values)}?{urlencode(pairs)}"


def search_url(req: SearchRequest, endpoint: str = "pages.index", **changes: Any) -> str:
    """The URL reproducing ``req`` (with ``changes``) on ``endpoint``, ``hl`` included."""
    return with_hl(endpoint, req.as_params(**changes))


def report_url(doc: str) -> str:
    """The page of document ``doc`` in the current interface language."""
    return with_hl("pages.report", doc=doc)


def language_names() -> dict[Lang, str]:
    """The corpus languages named in the interface language."""
    return {Lang.EN: _("English"), Lang.BE: _("Belarusian"), Lang.RU: _("Russian")}


def _toggled(values: tuple[Any, ...], value: Any) -> list[Any]:
    return [v for v in values if v != value] if value in values else [*values, value]


@dataclass(frozen=True)
class FacetLink:
    """One facet value as the page shows it: its count and the link toggling it."""

    value: Any
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class Bar:
    """One bar of the year chart, in SVG user units."""

    label: str
    count: int
    x: int
    y: int
    height: int
    selected: bool


@dataclass(frozen=True)
class PageLink:
    """One entry of the pagination: a page number with its link, or a gap (``None``)."""

    number: int | None
    url: str
    current: bool


def toggle_url(req: SearchRequest, facet: Facet, value: Any) -> str:
    """The same search with ``value`` of ``facet`` toggled, back on page 1."""
    return search_url(req, **{facet.value: _toggled(req.filters(facet), value), "page": 1})


def facet_links(result: SearchResult) -> dict[str, list[FacetLink]]:
    """Every facet's values with counts and toggle links, keyed by facet name."""
    req = result.request
    return {
        facet.value: [
            FacetLink(c.value, c.label, c.count, c.selected, toggle_url(req, facet, c.value))
            for c in counts
        ]
        for facet, counts in result.facets.items()
    }


def year_chart(result: SearchResult) -> tuple[list[Bar], int, int]:
    """Bars of the year facet, oldest year first, with the chart's width and height."""
    counts = sorted(result.facets.get(Facet.YEAR, ()), key=lambda c: c.value)
    tallest = max((c.count for c in counts), default=0) or 1
    bars = []
    for i, c in enumerate(counts):
        height = round(CHART_HEIGHT * c.count / tallest)
        if c.count:
            height = max(height, 2)
        x = CHART_GAP // 2 + i * (CHART_BAR_WIDTH + CHART_GAP)
        y = CHART_LABEL + CHART_HEIGHT - height
        bars.append(Bar(c.label, c.count, x, y, height, c.selected))
    width = max(1, len(counts)) * (CHART_BAR_WIDTH + CHART_GAP)
    return bars, width, CHART_HEIGHT + 2 * CHART_LABEL


def page_links(result: SearchResult) -> list[PageLink]:
    """Pagination: first, last and a window around the current page, gaps as ``None``."""
    req, last = result.request, result.pages
    wanted = {1, last, *range(req.page - PAGE_WINDOW, req.page + PAGE_WINDOW + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    links: list[PageLink] = []
    for n in numbers:
        if links and links[-1].number is not None and n - links[-1].number > 1:
            links.append(PageLink(None, "", False))
        links.append(PageLink(n, search_url(req, page=n), n == req.page))
    return links


def search_links(result: SearchResult) -> dict[str, str | None]:
    """The page's other links: sort orders, collapse toggle, pages, feed and JSON twins."""
    req = result.request
    collapse = Collapse.NONE if req.collapse is Collapse.REPORT else Collapse.REPORT
    return {
        "relevance": search_url(req, sort=SortOrder.RELEVANCE, page=1),
        "date": search_url(req, sort=SortOrder.DATE, page=1),
        "collapse": search_url(req, collapse=collapse, page=1),
        "previous": search_url(req, page=req.page - 1) if req.page > 1 else None,
        "next": search_url(req, page=req.page + 1) if req.page < result.pages else None,
        "clear": search_url(req, lang=[], year=[], topic=[], page=1),
        "suggestion": (search_url(req, q=result.suggestion, page=1) if result.suggestion else None),
        "feed": search_url(req, "feed.feed", page=1),
        "api": search_url(req, "api.search"),
    }


@bp.get("/")
def index():
    """The search page: form, facets, year chart, results and pagination.

    Raises ``QueryError`` (rendered as a 400 page) for bad parameters and
    ``IndexUnavailable`` (a 503 page) without an index.
    """
    req = search_request()
    result = run_search(req)
    bars, chart_width, chart_height = year_chart(result)
    topic_labels = {c.value: c.label for c in result.facets.get(Facet.TOPIC, ())}
    return render_template(
        "pages/search.html",
        req=req,
        result=result,
        facets=facet_links(result),
        bars=bars,
        chart_width=chart_width,
        chart_height=chart_height,
        chart_bar_width=CHART_BAR_WIDTH,
        pagination=page_links(result),
        links=search_links(result),
        hidden=req.as_params(q="", page=1),
        first=(req.page - 1) * req.per_page + 1,
        topic_labels=topic_labels,
        topic_url=lambda topic: toggle_url(req, Facet.TOPIC, topic),
        report_url=report_url,
        language_names=language_names(),
    )


@bp.get("/reports/<doc>")
def report(doc: str):
    """One report in one language, with its provenance and links to the other languages.

    Raises ``DocumentNotFound`` (a 404 page) for an unknown id.
    """
    document = get_document(current_index(), doc, ui_lang())
    paragraphs = [" ".join(p.split()) for p in document.summary.split("\n\n") if p.strip()]
    period = tuple(period_bound(value) for value in (document.period_start, document.period_end))
    return render_template(
        "pages/report.html",
        doc=document,
        paragraphs=paragraphs,
        period=period,
        topic_url=lambda topic: with_hl("pages.index", [("topic", topic)]),
        report_url=report_url,
        language_names=language_names(),
    )


def period_bound(value: str) -> str:
    """A reporting period bound (``YYYY-MM-DD`` or ``YYYY-MM``) in the interface language."""
    try:
        return format_date(dt.date.fromisoformat(value), "long")
    except ValueError:
        pass
    try:
        return format_date(dt.date.fromisoformat(f"{value}-01"), "LLLL y")
    except ValueError:
        return value
