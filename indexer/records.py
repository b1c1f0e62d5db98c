"""Typed records of the search API: the request, the result, hits and facet counts.

The limits of a search are defined here and enforced by :meth:`SearchRequest.check`
(the web app reads query strings into requests with :mod:`webapp.params`, the CLI
builds them from its arguments).  :meth:`SearchResult.as_dict` gives the JSON shape of
the API contract (field names fixed by the brief).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from indexer.errors import QueryError
from indexer.languages import Lang
from indexer.recovery import Correction

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_FILTER_VALUES = 20
MAX_PAGE = 10_000
MIN_YEAR, MAX_YEAR = 1900, 2999  # what a year filter may say (not which years have reports)
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)  # and a date filter


class Facet(StrEnum):
    """A facet of the search: each maps to a repeatable filter parameter."""

    YEAR = "year"
    LANG = "lang"
    TOPIC = "topic"


class SortOrder(StrEnum):
    """Result order: by relevance (the default when there is a query) or newest first."""

    RELEVANCE = "relevance"
    DATE = "date"


class Collapse(StrEnum):
    """``collapse=report`` returns one hit per report."""

    NONE = "none"
    REPORT = "report"


def _within(name: str, value: Any, low: Any, high: Any) -> None:
    if value is not None and not low <= value <= high:
        message = f"'{name}' must be from {low} to {high}, not {value}"
        raise QueryError(name, message, "out_of_range")


@dataclass(frozen=True)
class SearchRequest:
    """One search: the query, the filters, the order and the page wanted."""

    q: str = ""
    langs: tuple[Lang, ...] = ()
    years: tuple[int, ...] = ()
    topics: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    collapse: Collapse = Collapse.NONE
    expand: bool = True
    timeline: bool = False
    verbatim: bool = False
    ui_lang: Lang = Lang.EN

    def check(self) -> SearchRequest:
        """This request, when it is within the search's limits.

        Raises :class:`QueryError` naming the parameter out of bounds (``out_of_range``)
        or the end of a span before its start (``invalid_range``).
        """
        if len(self.q) > MAX_QUERY_LENGTH:
            raise QueryError("q", f"the query is longer than {MAX_QUERY_LENGTH} characters")
        for year in self.years:
            _within("year", year, MIN_YEAR, MAX_YEAR)
        for name in ("year_from", "year_to"):
            _within(name, getattr(self, name), MIN_YEAR, MAX_YEAR)
        for name in ("date_from", "date_to"):
            _within(name, getattr(self, name), MIN_DATE, MAX_DATE)
        for span in ("year", "date"):
            first, last = getattr(self, f"{span}_from"), getattr(self, f"{span}_to")
            if first is not None and last is not None and last < first:
                message = f"'{span}_to' ({last}) is before '{span}_from' ({first})"
                raise QueryError(f"{span}_to", message, "invalid_range")
        _within("page", self.page, 1, MAX_PAGE)
        _within("per_page", self.per_page, 1, MAX_PER_PAGE)
        return self

    def filters(self, facet: Facet) -> tuple[Any, ...]:
        """The selected values of one facet."""
        return {Facet.YEAR: self.years, Facet.LANG: self.langs, Facet.TOPIC: self.topics}[facet]

    @property
    def has_span(self) -> bool:
        """Whether a year or date bound is given."""
        bounds = (self.year_from, self.year_to, self.date_from, self.date_to)
        return any(v is not None for v in bounds)

    def day_span(self) -> tuple[int, int] | None:
        """The publication days (proleptic ordinals, first and last) the year and date
        bounds allow together, or ``None`` without bounds.  May be empty (first > last)
        when a year bound excludes a date bound."""
        if not self.has_span:
            return None
        firsts = [MIN_DATE, self.date_from]
        lasts = [MAX_DATE, self.date_to]
        if self.year_from is not None:
            firsts.append(dt.date(self.year_from, 1, 1))
        if self.year_to is not None:
            lasts.append(dt.date(self.year_to, 12, 31))
        first = max(d for d in firsts if d is not None)
        last = min(d for d in lasts if d is not None)
        return first.toordinal(), last.toordinal()

    def cache_key(self) -> tuple[Any, ...]:
        """A hashable key that two requests share exactly when they give the same result."""
        return (
            " ".join(self.q.split()),
            tuple(sorted(self.langs)),
            self.years,
            tuple(sorted(self.topics)),
            self.year_from,
            self.year_to,
            self.date_from,
            self.date_to,
            self.sort,
            self.page,
            self.per_page,
            self.collapse,
            self.expand,
            self.timeline,
            self.verbatim,
            self.ui_lang,
        )


class Links(Protocol):
    """Builds the URLs of the JSON contract: the web layer knows its routes
    (:mod:`webapp.urls`); the search API returns document ids only."""

    def report(self, doc: str, anchor: str | None = None) -> str:
        """The page of document ``doc``, at the paragraph ``anchor`` when given."""
        ...

    def passage(self, doc: str, page: int, position: int, q: str) -> str:
        """Passage ``position`` on ``page`` of ``doc``'s full report, ``q`` marked."""
        ...


def _linked(data: dict[str, Any], links: Links | None) -> dict[str, Any]:
    """``data`` as the contract has it, or without its ``url`` when there are no
    ``links`` (the CLI has no server to link to)."""
    if links is None:
        del data["url"]
    return data


def _other_languages(others: tuple[OtherLanguage, ...], links: Links | None) -> list[Any]:
    return [
        _linked(
            {
                "id": o.id,
                "lang": o.lang.value,
                "title": o.title,
                "url": links.report(o.id) if links else None,
            },
            links,
        )
        for o in others
    ]


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet with its (disjunctive) count."""

    value: Any
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class OtherLanguage:
    """With ``collapse=report``: another language version of the same report."""

    id: str
    lang: Lang
    title: str


@dataclass(frozen=True)
class PassageHit:
    """A passage of a result's full report that matched: its document, page and snippet."""

    doc: str
    page: int
    position: int
    snippet: str
    score: float

    def as_dict(self, links: Links | None = None, q: str = "") -> dict[str, Any]:
        """The passage as ``/api/search`` shows it, linked to its page with ``q`` marked."""
        url = links.passage(self.doc, self.page, self.position, q) if links else None
        return _linked({"page": self.page, "snippet": self.snippet, "url": url}, links)


@dataclass(frozen=True)
class Hit:
    """One result: a (report, language) document."""

    id: str
    report: int
    lang: Lang
    date: dt.date
    title: str
    topics: tuple[str, ...]
    snippet: str
    score: float
    provenance: str
    translated: bool
    other_languages: tuple[OtherLanguage, ...] = ()
    passages: tuple[PassageHit, ...] = ()  # best matching passages of its full report
    paragraph: int | None = None  # position of the summary paragraph holding the snippet
    anchor: str | None = None  # that paragraph's anchor (see indexer.corpus.paragraphs)

    @property
    def year(self) -> int:
        return self.date.year

    def as_dict(self, links: Links | None = None, q: str = "") -> dict[str, Any]:
        """The hit as ``/api/search`` shows it; ``q`` is marked on its passages' pages."""
        data: dict[str, Any] = {
            "id": self.id,
            "report": self.report,
            "lang": self.lang.value,
            "date": self.date.isoformat(),
            "year": self.year,
            "title": self.title,
            "topics": list(self.topics),
            "snippet": self.snippet,
            "url": links.report(self.id, self.anchor) if links else None,
            "score": round(self.score, 4),
            "provenance": self.provenance,
            "translated": self.translated,
            "paragraph": self.paragraph,
            "anchor": self.anchor,
        }
        if self.other_languages:
            data["other_languages"] = _other_languages(self.other_languages, links)
        if self.passages:
            data["passages"] = [p.as_dict(links, q) for p in self.passages]
        return _linked(data, links)


@dataclass(frozen=True)
class TimelinePoint:
    """One report in a query's timeline (see :mod:`indexer.engine.timeline`)."""

    report: int
    period_start: str
    period_end: str
    mentions: int  # places its matching documents mention what the query searched
    documents: int  # its matching documents (language versions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "mentions": self.mentions,
            "documents": self.documents,
        }


@dataclass(frozen=True)
class DateSpan:
    """A date a query was read as (:mod:`indexer.dates`): as typed, and the days it covers,
    both included; a month of any year («за октябрь») has no days, only ``month``."""

    text: str
    first: dt.date | None
    last: dt.date | None
    month: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "text": self.text,
        }
        if self.month is not None:
            data["month"] = self.month
        return data


@dataclass(frozen=True)
class SearchResult:
    """What a search returns: the page of hits, the facets and what the query became."""

    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[Facet, tuple[FacetCount, ...]]
    expanded: tuple[str, ...] = ()
    # The figure the query asks for ("how many interviews"): indexer.figures.answer.Answer.
    answer: Any = None
    suggestion: str | None = None
    corrected: Correction | None = None  # the query searched in another form, and why
    ignored: tuple[str, ...] = ()  # prefixes too short to search ("a*"), left out
    only_excluded: bool = False  # the query only excludes ("-torture"): all but those
    fallback: bool = False
    partial: bool = False
    generation: int = 0
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    timeline: tuple[TimelinePoint, ...] | None = None  # only when the request asks for it
    timeline_truncated: bool = False  # more reports matched than the timeline lists
    # The dates the query names that are one month: (as typed, YYYY-MM), see indexer.dates.
    months: tuple[tuple[str, str], ...] = ()
    dates: tuple[DateSpan, ...] = ()  # every date the query was read as (indexer.dates)

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.request.per_page))

    @property
    def searched(self) -> str:
        """The query text searched: the request's, or its correction."""
        return self.corrected.target if self.corrected else self.request.q

    def as_dict(self, links: Links | None = None) -> dict[str, Any]:
        """The JSON body of ``GET /api/search``, its URLs built by ``links`` (without
        them, the body has no ``url`` fields)."""
        req = self.request
        data = {
            "query": req.q,
            "total": self.total,
            "page": req.page,
            "per_page": req.per_page,
            "pages": self.pages,
            "sort": req.sort.value,
            "collapse": req.collapse.value if req.collapse is not Collapse.NONE else None,
            "results": [hit.as_dict(links, self.searched) for hit in self.hits],
            "facets": {
                facet.value: [
                    {"value": c.value, "label": c.label, "count": c.count, "selected": c.selected}
                    for c in counts
                ]
                for facet, counts in self.facets.items()
            },
            "expanded": list(self.expanded),
            "months": [{"text": text, "month": month} for text, month in self.months],
            "dates": [span.as_dict() for span in self.dates],
            "suggestion": self.suggestion,
            "corrected": self.corrected.as_dict() if self.corrected else None,
            "ignored": list(self.ignored),
            "only_excluded": self.only_excluded,
            "fallback": self.fallback,
            "partial": self.partial,
            "generation": self.generation,
            "answer": self.answer.as_dict(links) if self.answer is not None else None,
        }
        if self.timeline is not None:
            data["timeline"] = [point.as_dict() for point in self.timeline]
            data["timeline_truncated"] = self.timeline_truncated
        return data


@dataclass(frozen=True)
class FullReportLink:
    """The full report of a report in one language, for the report page.

    ``url`` is the publisher's address (``None`` when not recorded); ``pages`` is the
    number of pages of the copy the service holds and serves (0 when it has none).
    """

    lang: Lang
    title: str
    url: str | None
    pages: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"lang": self.lang.value, "title": self.title, "url": self.url, "pages": self.pages}


@dataclass(frozen=True)
class Document:
    """One (report, language) document as stored in the index, for the report page."""

    id: str
    report: int
    lang: Lang
    date: dt.date
    period_start: str
    period_end: str
    title: str
    summary: str
    topics: tuple[FacetCount, ...]
    provenance: str
    translated: bool
    other_languages: tuple[OtherLanguage, ...]
    full_reports: tuple[FullReportLink, ...] = ()

    def as_dict(self, links: Links | None = None) -> dict[str, Any]:
        """The JSON body of ``GET /api/reports/<id>``, its URLs built by ``links``."""
        data = {
            "id": self.id,
            "report": self.report,
            "lang": self.lang.value,
            "date": self.date.isoformat(),
            "year": self.date.year,
            "period": {"start": self.period_start, "end": self.period_end},
            "title": self.title,
            "summary": self.summary,
            "topics": [{"value": t.value, "label": t.label} for t in self.topics],
            "provenance": self.provenance,
            "translated": self.translated,
            "url": links.report(self.id) if links else None,
            "other_languages": _other_languages(self.other_languages, links),
            "full_reports": [item.as_dict() for item in self.full_reports],
        }
        return _linked(data, links)
