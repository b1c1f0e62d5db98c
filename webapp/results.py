"""What the search page shows around its hits: the strip of active filters, the empty
state that says what the filters hid, and the way back from a report to its results.

Issue 25 ("Results first"): every active filter is a removable chip above the hits, an
empty page says whether the filters or the words are to blame, and a report opened from
the results links back to the same query, filters and page (``back=``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from indexer.errors import QueryError
from indexer.languages import SUPPORT
from indexer.records import Collapse, Facet, SearchRequest, SearchResult, SortOrder
from webapp.i18n import ui_lang
from webapp.navigation import NO_FILTERS, toggle_url
from webapp.params import parse_search
from webapp.urls import page_params, search_url
from webapp.years import Chip, span_chips

BACK_PARAM = "back"  # a report page's way back: the results page's query string
MAX_BACK_LENGTH = 2000


def single_year_span(req: SearchRequest) -> SearchRequest:
    """``req`` with a run of years (``year=2023&year=2024``) read as the span it is.

    The page has one model of the year filter, a span (the chart's bars and the From/To
    selects both set it), so a link with year check boxes shows the same state.  Years
    with a gap between them stay a list (a span cannot say it).
    """
    years = sorted(req.years)
    if not years or req.year_from is not None or req.year_to is not None:
        return req
    if years != list(range(years[0], years[-1] + 1)):
        return req
    return dataclasses.replace(req, years=(), year_from=years[0], year_to=years[-1])


def filter_chips(req: SearchRequest, topic_labels: dict[str, str]) -> list[Chip]:
    """Every active filter (and a view that is not the default) as a chip removing it:
    years or span, dates, languages, topics, the sort order and every-version view."""
    chips = span_chips(req)
    for year in sorted(req.years):
        chips.append(Chip(_("Year: %(year)d", year=year), toggle_url(req, Facet.YEAR, year)))
    for lang in req.langs:
        name = SUPPORT[lang].native_name
        chips.append(Chip(_("Language: %(name)s", name=name), toggle_url(req, Facet.LANG, lang)))
    for topic in req.topics:
        label = topic_labels.get(topic, topic)
        chips.append(Chip(_("Topic: %(topic)s", topic=label), toggle_url(req, Facet.TOPIC, topic)))
    if req.q and req.sort is SortOrder.DATE:
        chips.append(
            Chip(_("Sorted: newest first"), search_url(req, sort=SortOrder.RELEVANCE, page=1))
        )
    if req.collapse is Collapse.NONE:
        chips.append(
            Chip(_("Every language version"), search_url(req, collapse=Collapse.REPORT, page=1))
        )
    return chips


def has_filters(req: SearchRequest) -> bool:
    """Whether ``req`` narrows the reports by year, date, language or topic."""
    return bool(req.years or req.langs or req.topics or req.has_span)


def years_only(req: SearchRequest) -> str | None:
    """The years of a search filtered by years alone ("2023", "2023–2024"), else ``None``:
    an empty page can then say "no 2023 report matches"."""
    if req.langs or req.topics or req.date_from or req.date_to:
        return None
    if req.years and req.year_from is None and req.year_to is None:
        return ", ".join(str(year) for year in sorted(req.years))
    if not req.years and req.year_from is not None and req.year_to is not None:
        if req.year_from == req.year_to:
            return str(req.year_from)
        return f"{req.year_from}–{req.year_to}"
    return None


@dataclass(frozen=True)
class Unfiltered:
    """The same words without the filters: how many reports match, and the link."""

    total: int
    url: str
    years: str | None  # the filter was these years alone


def unfiltered(result: SearchResult, run) -> Unfiltered | None:
    """For an empty filtered search: the count and link of the search without filters
    (``run`` searches a request), or ``None`` when there were no filters to blame."""
    req = result.request
    if result.total or not has_filters(req):
        return None
    wider = dataclasses.replace(
        req,
        langs=(),
        years=(),
        topics=(),
        year_from=None,
        year_to=None,
        date_from=None,
        date_to=None,
        page=1,
        timeline=False,
    )
    total = run(wider).total
    return Unfiltered(total, search_url(req, **NO_FILTERS, page=1), years_only(req))


def back_value(req: SearchRequest) -> str:
    """The ``back=`` value that brings a reader from a report to these results."""
    return urlencode(page_params(req))


def back_url(text: str | None) -> str | None:
    """The results page a report page's ``back=`` names, rebuilt from its parameters
    (so it can only ever link to this site's search page), or ``None`` when it is
    missing or does not read as a search."""
    if not text or len(text) > MAX_BACK_LENGTH:
        return None
    args = MultiDict(parse_qsl(text, keep_blank_values=False))
    try:
        req = parse_search(args.getlist, ui_lang())
    except QueryError:
        return None
    if "collapse" not in args:
        req = dataclasses.replace(req, collapse=Collapse.REPORT)
    return search_url(req)


def with_back(url: str, back: str) -> str:
    """``url`` (a report page, maybe with a ``#fragment``) carrying ``back=``."""
    if not back:
        return url
    path, hash_mark, fragment = url.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode([(BACK_PARAM, back)])}{hash_mark}{fragment}"
