"""The links of the search page: filters, pagination, sort orders, twins and exports.

Pages and the JSON API read the same parameters with one difference: on the pages one
result per report is the default (``collapse=none`` asks for every language version),
while the API keeps ``collapse`` opt-in.  :func:`webapp.urls.search_url` writes each
endpoint's form, so a page's JSON and feed twins answer exactly what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indexer.records import Collapse, Facet, SearchRequest, SearchResult, SortOrder
from webapp.params import search_params
from webapp.urls import search_url, with_hl

PAGE_WINDOW = 2  # page links shown on each side of the current page
NO_YEAR_SPAN: dict[str, Any] = {"year_from": None, "year_to": None}
NO_DATE_SPAN: dict[str, Any] = {"date_from": None, "date_to": None}
NO_FILTERS: dict[str, Any] = {"lang": [], "year": [], "topic": [], **NO_YEAR_SPAN, **NO_DATE_SPAN}
# The search page's export links, in order: (format=, what the link says).
EXPORT_LINKS = (
    ("csv", "CSV"),
    ("bibtex", "BibTeX"),
    ("ris", "RIS"),
    ("csl-json", "CSL-JSON"),
    ("json", "JSON"),
)


def _toggled(values: tuple[Any, ...], value: Any) -> list[Any]:
    return [v for v in values if v != value] if value in values else [*values, value]


def toggle_url(req: SearchRequest, facet: Facet, value: Any) -> str:
    """The same search with ``value`` of ``facet`` toggled, back on page 1."""
    return search_url(req, **{facet.value: _toggled(req.filters(facet), value), "page": 1})


def span_url(req: SearchRequest, first: int, last: int) -> str:
    """The same search over the years ``first`` to ``last`` only, back on page 1.

    The chart of years chooses years this way, so the year check boxes are cleared.
    """
    return search_url(req, year=[], year_from=first, year_to=last, page=1)


def year_in_span(req: SearchRequest, year: int) -> bool:
    """Whether ``year`` is chosen by the year check boxes and the span (when any is set)."""
    if not req.years and req.year_from is None and req.year_to is None:
        return False
    after = req.year_from is None or year >= req.year_from
    before = req.year_to is None or year <= req.year_to
    return after and before and (not req.years or year in req.years)


@dataclass(frozen=True)
class FacetOption:
    """One facet value as the filter form shows it: a checkbox with its count."""

    facet: str
    value: Any
    label: str
    count: int
    selected: bool

    @property
    def input_id(self) -> str:
        """The checkbox's element id (facet values are ids, years and language codes)."""
        return f"f-{self.facet}-{self.value}"


def facet_options(result: SearchResult) -> dict[str, list[FacetOption]]:
    """Every facet's values with counts, keyed by facet name (``year``, ``topic``, ``lang``).

    A value that matches nothing is left out unless it is selected (it can be unticked).
    """
    return {
        facet.value: [
            FacetOption(facet.value, c.value, c.label, c.count, c.selected)
            for c in counts
            if c.count or c.selected
        ]
        for facet, counts in result.facets.items()
    }


@dataclass(frozen=True)
class PageLink:
    """One entry of the pagination: a page number with its link, or a gap (``None``)."""

    number: int | None
    url: str
    current: bool


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


@dataclass(frozen=True)
class SearchLinks:
    """The search page's other links (a dataclass: ``links.clear`` once read a dict method)."""

    relevance: str
    date: str
    collapse: str
    previous: str | None
    next: str | None
    clear_filters: str
    suggestion: str | None
    corrected: str | None  # the corrected query, searched as it is
    verbatim: str | None  # the query as typed, searched without correction
    feed: str
    api: str
    exports: tuple[tuple[str, str], ...] = ()  # (format name, download URL)


def search_links(result: SearchResult) -> SearchLinks:
    """Sort orders, the collapse switch, previous/next, clear filters, feed and JSON twins."""
    req = result.request
    collapse = Collapse.NONE if req.collapse is Collapse.REPORT else Collapse.REPORT
    return SearchLinks(
        relevance=search_url(req, sort=SortOrder.RELEVANCE, page=1),
        date=search_url(req, sort=SortOrder.DATE, page=1),
        collapse=search_url(req, collapse=collapse, page=1),
        previous=search_url(req, page=req.page - 1) if req.page > 1 else None,
        next=search_url(req, page=req.page + 1) if req.page < result.pages else None,
        clear_filters=search_url(req, **NO_FILTERS, page=1),
        suggestion=(
            search_url(req, q=result.suggestion, page=1, verbatim=False)
            if result.suggestion
            else None
        ),
        corrected=(
            search_url(req, q=result.corrected.target, page=1) if result.corrected else None
        ),
        verbatim=search_url(req, verbatim=True, page=1) if result.corrected else None,
        feed=search_url(req, "feed.feed", page=1, timeline=False),
        api=search_url(req, "api.search"),
        exports=tuple(
            (label, with_hl("export.export", [*search_params(req, page=1), ("format", fmt)]))
            for fmt, label in EXPORT_LINKS
        ),
    )
