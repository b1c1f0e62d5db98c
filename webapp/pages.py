"""HTML pages: the search page ``/`` and one page per report ``/reports/<id>``.

Views stay thin: parse the request once, run the search, and hand the
:class:`SearchResult` to a template together with the links it needs
(:mod:`webapp.navigation`), so the whole state of a view (the interface language ``hl``
included) is in its URL.  Unlike the JSON API, the pages show one result per report by
default and forgive a page number out of range: they show the nearest page there is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from flask import Blueprint, Response, g, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from indexer.errors import QueryError
from indexer.languages import ALL_LANGS, SUPPORT, Lang
from indexer.query import MIN_PREFIX
from indexer.records import MAX_PAGE, MAX_QUERY_LENGTH, Collapse, Facet, SearchRequest
from indexer.search import get_document
from webapp.citation import CITATION_FORMATS, URL_RE, Format
from webapp.cite import access_date, cited_document, reading_citations
from webapp.hitpassages import count_matches, hit_passages
from webapp.i18n import UI_CODES, ui_lang
from webapp.navigation import NO_YEAR_SPAN, facet_options, page_links, search_links, toggle_url
from webapp.params import parse_search
from webapp.reading import Comparison, compare_report, query_terms, shown_paragraphs
from webapp.results import (
    BACK_PARAM,
    back_url,
    back_value,
    filter_chips,
    single_year_span,
    unfiltered,
    with_back,
)
from webapp.searching import (
    admitted_reading,
    current_generation,
    current_index,
    reading_query,
    run_search,
)
from webapp.urls import (
    compare_url,
    page_params,
    paragraph_url,
    reference_url,
    report_address,
    with_hl,
)
from webapp.years import CHART_BAR_WIDTH, TIMELINE_BAR_WIDTH, span_chips, timeline_chart, year_chart

bp = Blueprint("pages", __name__)

FORMAT_LABELS = {Format.BIBTEX: "BibTeX", Format.RIS: "RIS", Format.CSL_JSON: "CSL-JSON"}
LATIN_RE = re.compile(r"[A-Za-z]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
BELARUSIAN_RE = re.compile(r"[іўІЎ]")
RUSSIAN_RE = re.compile(r"[иИщЩъЪ]")


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {
        "hl": ui_lang().value,
        "interface_languages": [(lang.value, SUPPORT[lang].native_name) for lang in ALL_LANGS],
        "native_names": {lang: SUPPORT[lang].native_name for lang in ALL_LANGS},
        "versions_in_order": versions_in_order,
        "max_query_length": MAX_QUERY_LENGTH,  # the search box's maxlength: the API's limit
    }


def versions_in_order(versions):
    """A report's other language versions in the one order every page lists them:
    English, Belarusian, Russian (each named in its own language)."""
    return sorted(versions, key=lambda version: ALL_LANGS.index(version.lang))


def language_names() -> dict[Lang, str]:
    """The corpus languages named in the interface language."""
    return {Lang.EN: _("English"), Lang.BE: _("Belarusian"), Lang.RU: _("Russian")}


def page_request() -> tuple[SearchRequest, int | None]:
    """``request.args`` as the search page reads them, with the page number asked for.

    A page number that is not a whole number from 1 (``page=0``, ``-1``, ``x``) becomes
    page 1, and the number asked for is returned so the page can say what it showed
    instead; collapsing to one result per report is the default.  Raises ``QueryError``
    for the other bad parameters, as the API does.
    """
    args = MultiDict(request.args)
    asked: int | None = None
    if "page" in args:
        text = args.getlist("page")[-1].strip()
        wanted = int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else 0
        page = min(max(wanted, 1), MAX_PAGE)
        if str(page) != text:
            asked = wanted
        args.setlist("page", [str(page)])
    # The form's "From year" and "To year" may be picked the wrong way round: the page
    # reads them in order (the API answers 400).
    first, last = (args.getlist(name) for name in ("year_from", "year_to"))
    if len(first) == len(last) == 1 and first[0].isdigit() and last[0].isdigit():
        if int(first[0]) > int(last[0]):
            args.setlist("year_from", last)
            args.setlist("year_to", first)
    req = single_year_span(parse_search(args.getlist, ui_lang()))
    if "collapse" not in args:
        req = dataclasses.replace(req, collapse=Collapse.REPORT)
    # A query's timeline is drawn on every page of its results.
    req = dataclasses.replace(req, timeline=bool(req.q))
    return req, asked


def _glossary_languages() -> dict[str, str]:
    """Each glossary name with its language (a few hundred names: made per request)."""
    names: dict[str, str] = {}
    for concept in current_generation().concepts:
        for lang, name in concept.all_names():
            names.setdefault(name, lang.value)
    return names


def text_lang(text: str) -> str:
    """The language code of a short text (a glossary name, a suggestion): for ``lang=``.

    A glossary name has its language; otherwise the script decides: Latin is English,
    Cyrillic with і or ў Belarusian, with и, щ or ъ Russian; other Cyrillic (МУС, суд)
    could be either and takes the interface language if it is Cyrillic, else Russian.
    """
    known = _glossary_languages().get(text)
    if known:
        return known
    if not CYRILLIC_RE.search(text):
        return Lang.EN.value if LATIN_RE.search(text) else ui_lang().value
    if BELARUSIAN_RE.search(text):
        return Lang.BE.value
    if RUSSIAN_RE.search(text):
        return Lang.RU.value
    return ui_lang().value if ui_lang() is not Lang.EN else Lang.RU.value


def linkify(text: str) -> Markup:
    """``text`` escaped, with each ``http(s)://`` address in it made a link."""
    out, last = [], 0
    for match in URL_RE.finditer(text):
        url = match.group(0)
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<a href="{0}" rel="external">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.after_app_request
def _vary_on_accept_language(response: Response) -> Response:
    # A page whose interface language came from Accept-Language (no valid hl=) differs
    # by that header: shared caches must keep the versions apart.
    if "ui_lang" in g and response.mimetype == "text/html":
        hl = (request.args.get("hl") or "").strip().lower()
        if hl not in UI_CODES:
            response.vary.add("Accept-Language")
    return response


@bp.get("/")
def index():
    """The search page: form, filters, year chart, results and pagination.

    A page past the last one shows the last page, keeping the query.  Raises
    ``QueryError`` (rendered as a 400 page) for bad parameters and ``IndexUnavailable``
    (a 503 page) without an index.
    """
    req, asked = page_request()
    try:
        result = run_search(req)
    except QueryError as error:
        if error.param != "page":
            raise
        # Past the last page: show the last one, saying which page was asked for.
        asked = asked if asked is not None else req.page
        first = run_search(dataclasses.replace(req, page=1))
        req = dataclasses.replace(req, page=first.pages)
        result = run_search(req) if first.pages > 1 else first
    bars, chart_width, chart_height = year_chart(result)
    topic_labels = {c.value: c.label for c in result.facets.get(Facet.TOPIC, ())}
    facets = facet_options(result)
    span_years = sorted(
        {int(c.value) for c in result.facets.get(Facet.YEAR, ())}
        | {y for y in (req.year_from, req.year_to) if y is not None}
    )
    chips = filter_chips(req, topic_labels)
    back = back_value(req)
    # The year fieldset holds the span's selects; without it the span is kept hidden.
    kept = {"lang": [], "year": [], "topic": [], **(NO_YEAR_SPAN if facets["year"] else {})}
    return render_template(
        "pages/search.html",
        req=req,
        result=result,
        asked_page=asked,
        facets=facets,
        has_facets=any(facets.values()),
        selected_filters=len(req.years) + len(req.langs) + len(req.topics) + len(span_chips(req)),
        chips=chips,
        span_years=span_years,
        bars=bars,
        chart_width=chart_width,
        chart_height=chart_height,
        chart_bar_width=CHART_BAR_WIDTH,
        timeline=timeline_chart(result, period_bound) if result.total else None,
        timeline_bar_width=TIMELINE_BAR_WIDTH,
        pagination=page_links(result),
        links=search_links(result),
        # A new query is corrected again: "search instead" holds for the query it names.
        hidden=page_params(req, q="", page=1, verbatim=False),
        filter_hidden=page_params(req, **kept, page=1),
        first=(req.page - 1) * req.per_page + 1,
        topic_labels=topic_labels,
        unfiltered=unfiltered(result, run_search),
        hit_url=lambda url: with_back(url, back),
        passages_of=lambda hit: hit_passages(hit, result.searched),
        topic_url=lambda topic: toggle_url(req, Facet.TOPIC, topic),
        language_names=language_names(),
        text_lang=text_lang,
        min_prefix=MIN_PREFIX,
    )


@bp.get("/reports/<doc>")
def report(doc: str):
    """One report in one language, with links to the other languages and its provenance.

    Raises ``DocumentNotFound`` (a 404 page) for an unknown id.
    """
    index = current_index()
    q = reading_query()
    document = get_document(index, doc, ui_lang())
    with admitted_reading(q):
        paragraphs = shown_paragraphs(
            document.summary, document.lang, query_terms(index, q, document.lang)
        )
    period = tuple(period_bound(value) for value in (document.period_start, document.period_end))
    back = request.args.get(BACK_PARAM, "")
    results = back_url(back)
    return render_template(
        "pages/report.html",
        back_to_results=results,
        match_total=count_matches(paragraph.html for paragraph in paragraphs),
        # The other language versions keep the query (its marks) and the way back.
        version_url=lambda other: with_back(paragraph_url(other, None, q), back if results else ""),
        doc=document,
        paragraphs=paragraphs,
        citations=reading_citations(cited_document(document), access_date()),
        references=reference_links(document.id),
        compare_address=compare_url(document.report, q),
        q=q,
        period=period,
        provenance=linkify(document.provenance),
        page_address=report_address(doc),
        topic_url=lambda topic: with_hl("pages.index", [("topic", topic)]),
        language_names=language_names(),
    )


@bp.get("/reports/<int:number>/compare")
def compare(number: int):
    """Report ``number`` in English, Belarusian and Russian side by side, paragraph by
    paragraph, the matches of ``q`` marked in each.

    Raises ``DocumentNotFound`` (a 404 page) when no report has this number.
    """
    q = reading_query()
    with admitted_reading(q):
        comparison = compare_report(current_index(), number, q, ui_lang())
    first = first_language(comparison)
    back = request.args.get(BACK_PARAM, "")
    results = back_url(back)
    return render_template(
        "pages/compare.html",
        comparison=comparison,
        q=q,
        first_lang=first,
        switch_order=sorted(comparison.available, key=lambda v: v.lang is not first),
        cell_ids=cell_ids(comparison),
        page_url=compare_url(number, q),
        version_url=lambda doc: with_back(paragraph_url(doc, None, q), back if results else ""),
        back_to_results=results,
        language_names=language_names(),
    )


def first_language(comparison: Comparison) -> Lang:
    """The language a phone shows first in each row: the reader's, if the report has it."""
    langs = [version.lang for version in comparison.available]
    return ui_lang() if ui_lang() in langs else langs[0]


def cell_ids(comparison: Comparison) -> dict[tuple[Lang, int], str]:
    """The id of each paragraph of a comparison: its permalink anchor, made unique
    (two versions' paragraphs of the same text would share it) with the language."""
    ids: dict[tuple[Lang, int], str] = {}
    seen: set[str] = set()
    for version in comparison.available:
        for paragraph in version.paragraphs:
            anchor = paragraph.anchor
            if anchor in seen:
                anchor = f"{version.lang.value}-{anchor}"
            seen.add(anchor)
            ids[(version.lang, paragraph.position)] = anchor
    return ids


def reference_links(doc_id: str) -> list[tuple[str, str, str]]:
    """(label, API address, file name) of a document's reference in each citation format."""
    return [
        (
            FORMAT_LABELS[fmt],
            reference_url(doc_id, fmt.value),
            f"iapb-{doc_id}.{fmt.extension}",
        )
        for fmt in CITATION_FORMATS
    ]


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
