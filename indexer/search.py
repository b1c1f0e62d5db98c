"""The search API: ``search(index, SearchRequest) -> SearchResult``, pure Python, no Flask.

One search plans the query (:mod:`indexer.query`), then asks the engine, through its one
door (:mod:`indexer.engine.facade`), for every matching document with its BM25F score
once, the facet counts and the filtered matches, and one page of them in relevance or
date order, collapsed or not; only the page's documents are loaded and highlighted.

Facet counts are disjunctive: the counts of a facet apply every other facet's
selection but not its own, so several values of one facet can be combined (OR within
a facet, AND across facets).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import NamedTuple

from whoosh import query as wq

from indexer import schema
from indexer.analysis import normalise
from indexer.corpus.paragraphs import paragraph_of_snippet
from indexer.engine import facade
from indexer.engine.facade import Matches, PageEntry, PassageMatches
from indexer.engine.generation import READ_ERRORS, Generation, SearchIndex
from indexer.engine.timeline import is_positional, positions_cached, positive_leaves
from indexer.errors import DocumentNotFound, IndexUnavailable, QueryError
from indexer.figures.answer import answer_request
from indexer.fullreports.links import full_report_links, missing, other_language
from indexer.fullreports.passages import Planner, add_passages, passage_hits
from indexer.languages import Lang
from indexer.query import QueryPlan, plan_query
from indexer.querylang import reader_language
from indexer.records import (
    Collapse,
    Document,
    FacetCount,
    Hit,
    OtherLanguage,
    SearchRequest,
    SearchResult,
    SortOrder,
)
from indexer.recovery import Correction, Vocabulary, recover
from indexer.snippets import make_snippet, tokenise_page

SUGGEST_BELOW = 1  # suggest a spelling when a query finds fewer documents than this


def _plan(gen: Generation, q: str, expand: bool) -> QueryPlan:
    """The plan of ``q`` on ``gen``, parsed once per generation (plans are not changed after).

    Parsing, glossary matching and the analysis of every expanded name cost more than
    evaluating the plan on cached postings; users page and filter the same query.
    """
    return gen.plans.get_or_compute(
        (q, expand),
        lambda: plan_query(q, gen.glossary if expand else None, gen.searcher().reader()),
    )


def _match(
    gen: Generation, q: str, expand: bool, deadline: float
) -> tuple[QueryPlan, Planner, Matches, PassageMatches]:
    """The plan of ``q``, its planner, every summary and passage matching it, and each
    document's best passages."""
    plan = _plan(gen, q, expand)
    matches = facade.match(gen, plan.query, deadline)
    planner = query_planner(q, expand)
    matches, passages = add_passages(gen, planner, matches, deadline)
    return plan, planner, matches, passages


def query_planner(q: str, expand: bool = True) -> Planner:
    """Plans the query ``q`` on a given generation (the main one or its passages'),
    each plan made once per generation."""
    return lambda generation: _plan(generation, q, expand)


def _other_languages(gen: Generation, docnums: Iterable[int]) -> tuple[OtherLanguage, ...]:
    """The language versions ``docnums`` as a hit or a document lists them."""
    return tuple(other_language(fields) for fields in facade.stored(gen, docnums))


def _summary(stored: dict) -> tuple[str, Lang]:
    """The summary of a document (its ``stored`` fields) and its language."""
    lang = Lang(stored[schema.LANG])
    return stored[schema.summary_field(lang)], lang


def _hit(stored: dict, gen: Generation, score: float, plan: QueryPlan, others: list[int]) -> Hit:
    """The hit of a document (its ``stored`` fields)."""
    summary, lang = _summary(stored)
    terms = plan.snippet_terms(lang)
    snippet = make_snippet(summary, lang, terms, gen.words)
    paragraph = paragraph_of_snippet(summary, snippet)
    anchor = paragraph.anchor if paragraph is not None else None
    return Hit(
        id=stored[schema.ID_FIELD],
        report=int(stored[schema.REPORT]),
        lang=lang,
        date=dt.date.fromisoformat(stored[schema.DATE]),
        title=stored[schema.title_field(lang)],
        topics=tuple(t for t in stored[schema.TOPICS].split(",") if t),
        snippet=snippet,
        score=float(score),
        provenance=stored[schema.PROVENANCE],
        translated=bool(stored[schema.TRANSLATED]),
        other_languages=_other_languages(gen, others),
        paragraph=paragraph.position if paragraph is not None else None,
        anchor=anchor,
    )


def _page_of_hits(
    gen: Generation, plan: QueryPlan, req: SearchRequest, q: str, final: Matches
) -> tuple[int, list[PageEntry]]:
    """(total, the page's entries); ``q`` is the text searched."""
    reader = reader_language(q, req.ui_lang, gen.searcher().reader())
    # Only excluded words ("-torture") score nothing: newest first, as browsing is.
    by_date = req.sort is SortOrder.DATE or plan.query is None or plan.only_excluded
    start = (req.page - 1) * req.per_page
    collapse = req.collapse is Collapse.REPORT
    return facade.page(gen, final, start, req.per_page, reader, by_date, collapse)


def _vocabulary(gen: Generation) -> Vocabulary:
    return Vocabulary(gen.searcher().reader(), gen.glossary)


def _finds_something(gen: Generation, q: str, expand: bool, deadline: float) -> bool:
    plan = _plan(gen, q, expand)
    return plan.query is not None and len(facade.match(gen, plan.query, deadline)) > 0


def _recover(
    gen: Generation, req: SearchRequest, plan: QueryPlan, deadline: float
) -> tuple[Correction | None, str | None]:
    """When the words of ``req.q`` match nothing: a correction to search instead (the
    keyboard layout, a confident spelling; never with ``verbatim``) or a suggestion,
    each only when it finds something (:mod:`indexer.recovery`)."""
    if not plan.words:
        return None, None
    recovery = recover(_vocabulary(gen), req.q, correct=not req.verbatim)
    if recovery.correction is not None:
        if _finds_something(gen, recovery.correction.target, req.expand, deadline):
            return recovery.correction, None
        return None, None
    suggestion = recovery.suggestion
    if suggestion is None or normalise(suggestion) == normalise(req.q):
        return None, None
    if not _finds_something(gen, suggestion, req.expand, deadline):
        return None, None
    return None, suggestion


def _check(gen: Generation, req: SearchRequest) -> None:
    for topic in req.topics:
        if topic not in gen.topics:
            raise QueryError("topic", f"unknown topic {topic!r}", "unknown_value")


def _compute(gen: Generation, req: SearchRequest, time_limit: float) -> SearchResult:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    deadline = time.monotonic() + time_limit
    q = req.q
    plan, planner, matches, passages = _match(gen, q, req.expand, deadline)
    correction, suggestion = None, None
    # Recovery is for words that match nothing, not for filters that exclude all.
    if q and len(matches) < SUGGEST_BELOW:
        correction, suggestion = _recover(gen, req, plan, deadline)
        timings["recover"] = time.perf_counter() - started
        if correction is not None:
            q = correction.target
            plan, planner, matches, passages = _match(gen, q, req.expand, deadline)
    relaxation = None
    if q and not len(matches) and not req.verbatim:
        # Recovery first: relaxation never hides a correction, nor a suggestion; verbatim
        # ("search exactly as typed") needs every word, as it turns corrections off.
        partial, relaxation = facade.relaxed(gen, plan.query, plan.parts, deadline)
        if relaxation is not None:
            matches = partial
        timings["relax"] = time.perf_counter() - started
    timings["match"] = time.perf_counter() - started
    facets, final = facade.filtered(gen, matches, req)
    complete = final.complete
    timings["facets"] = time.perf_counter() - started
    timeline, truncated = None, False
    if req.timeline:
        timeline, counted, truncated = facade.timeline(gen, req, plan.query, final, deadline)
        complete = complete and counted
        timings["timeline"] = time.perf_counter() - started
    total, page = _page_of_hits(gen, plan, req, q, final)
    if req.page > 1 and not page:
        pages = max(1, -(-total // req.per_page))
        raise QueryError("page", f"page {req.page} is past the last page ({pages})", "out_of_range")
    stored = facade.stored(gen, (d for d, _, _ in page))
    # The summaries the page's snippets mark words in, tokenised together: one look-up.
    shown = (_summary(fields) for fields in stored)
    tokenise_page(((text, lang) for text, lang in shown if plan.snippet_terms(lang)), gen.words)
    hits = tuple(
        replace(hit, passages=passage_hits(gen, planner, passages[hit_doc]))
        if hit_doc in passages
        else hit
        for hit_doc, hit in (
            (d, _hit(fields, gen, s, plan, others))
            for fields, (d, s, others) in zip(stored, page, strict=True)
        )
    )
    if relaxation is not None:
        hits = tuple(
            replace(hit, missing=relaxation.missing(d))
            for hit, (d, _, _) in zip(hits, page, strict=True)
        )
    timings["hits"] = time.perf_counter() - started
    timings["total"] = time.perf_counter() - started
    return SearchResult(
        request=req,
        total=total,
        hits=hits,
        answer=answer_request(gen.figures, req),
        facets=facets,
        expanded=tuple(plan.expanded),
        months=tuple((m.text, m.month_key) for m in plan.dates if m.month_key),
        dates=tuple(m.span for m in plan.dates),
        suggestion=suggestion,
        corrected=correction,
        ignored=tuple(plan.ignored),
        only_excluded=plan.only_excluded,
        fallback=plan.fallback,
        partial=plan.truncated or not complete,
        generation=gen.number,
        timings=timings,
        timeline=timeline,
        timeline_truncated=truncated,
        relaxed_dropped=relaxation.dropped if relaxation is not None else None,
    )


def search(index: SearchIndex, req: SearchRequest) -> SearchResult:
    """Run ``req`` on the current generation of ``index``.

    Results are cached per generation and request.  A search that hits a cost limit
    (query size, prefix expansion, ``index.time_limit`` seconds) answers with what it
    found so far and ``partial`` set.  Raises :class:`QueryError` for an
    unknown topic or a page past the last one, :class:`IndexUnavailable` when no index
    can be opened.  Searches ``index.generation()``: the generation a web request
    pinned (:meth:`~indexer.engine.generation.SearchIndex.pin`), else the current one.
    """
    gen = index.generation()
    _check(gen, req)
    key = (gen.number, req.cache_key())
    with _reading(index, gen):
        return index.cache.get_or_compute(key, lambda: _compute(gen, req, index.time_limit))


@contextlib.contextmanager
def _reading(index: SearchIndex, gen: Generation) -> Iterator[None]:
    """Turn a failed read of ``gen`` into :class:`IndexUnavailable`, never a crash.

    Read errors are damage.  Whoosh reports some damage with a bare ``Exception``
    ("Block tag error" from a truncated postings file), so any other exception is
    damage too when a file of the generation changed (the generation is then no longer
    served), or, the first time, when hashing its files finds one that differs from the
    manifest; with the files intact it is a bug and propagates.
    """
    try:
        yield
    except (QueryError, DocumentNotFound):
        raise
    except READ_ERRORS as exc:
        with contextlib.suppress(IndexUnavailable):
            index.check(gen)
        raise IndexUnavailable(
            "the index could not be read", f"reading {gen.path} failed: {exc!r}"
        ) from exc
    except Exception as exc:  # see the docstring: classified, then re-raised
        try:
            index.check(gen)
            index.check_content(gen)
        except IndexUnavailable as damage:
            raise IndexUnavailable(
                "the index could not be read", f"{damage.detail}; the read raised {exc!r}"
            ) from exc
        raise


def get_document(index: SearchIndex, doc: str, ui_lang: Lang = Lang.EN) -> Document:
    """The stored document ``doc`` (e.g. ``r9-en``); raises :class:`DocumentNotFound`."""
    gen = index.generation()
    with _reading(index, gen):
        return _document(gen, doc, ui_lang)


def _document(gen: Generation, doc: str, ui_lang: Lang) -> Document:
    searcher = gen.searcher()
    docnum = searcher.document_number(**{schema.ID_FIELD: doc}) if len(doc) <= 40 else None
    if docnum is None:
        raise missing(gen, doc)
    stored = searcher.stored_fields(docnum)
    lang = Lang(stored[schema.LANG])
    number = int(stored[schema.REPORT])
    topics = tuple(
        FacetCount(t, gen.topics[t].label(ui_lang) if t in gen.topics else t, 0, False)
        for t in stored[schema.TOPICS].split(",")
        if t
    )
    return Document(
        id=stored[schema.ID_FIELD],
        report=number,
        lang=lang,
        date=dt.date.fromisoformat(stored[schema.DATE]),
        period_start=stored[schema.PERIOD_START],
        period_end=stored[schema.PERIOD_END],
        title=stored[schema.title_field(lang)],
        summary=stored[schema.summary_field(lang)],
        topics=topics,
        provenance=stored[schema.PROVENANCE],
        translated=bool(stored[schema.TRANSLATED]),
        other_languages=_other_languages(gen, facade.other_versions(gen, docnum)),
        full_reports=full_report_links(gen, number),
    )


def estimate_cost(index: SearchIndex, req: SearchRequest) -> int:
    """Postings a search of ``req`` would read, from its plan; 0 when its result is cached.

    Cheap to compute: the plan is parsed once per generation, and the document
    frequencies of its terms are summed once per generation and plan
    (:func:`_plan_costs`).  A phrase whose matches are already cached or were
    precomputed by the build (a glossary name) costs its words' postings; one still to
    be checked costs what checking it reads (:func:`_positions_cost`).  Raises what
    :func:`search` raises for a bad request.
    """
    gen = index.generation()
    _check(gen, req)
    if index.cache.peek((gen.number, req.cache_key())):
        return 0
    with _reading(index, gen):
        plan = _plan(gen, req.q, req.expand)
        if plan.query is None:
            return 0
        costs = gen.costs.get_or_compute((req.q, req.expand), lambda: _plan_costs(gen, plan.query))
        cost = costs.fixed
        for phrase, postings, checked in costs.phrases:
            cost += postings if gen.postings.has_phrase(phrase) else checked
        if req.timeline:
            # Counting mentions reads word positions, which cost what a phrase check does.
            for leaf, checked in costs.positional:
                if not positions_cached(gen, leaf):
                    cost += checked
        return cost


def _positions_cost(gen: Generation, reader, leaf: wq.Query, postings: int) -> int:
    """What reading the word positions of ``leaf`` (a phrase to check, or a timeline's
    term) costs, in postings: on the build's term arrays its words' postings and then
    every one of their positions (their total frequency), each read once, whole; a leaf
    of a field without term arrays (matched by Whoosh, unscored) its postings."""
    if not isinstance(leaf, wq.Term | wq.Phrase) or gen.postings.arrays(leaf.fieldname) is None:
        return postings
    return postings + sum(int(reader.frequency(f, text)) for f, text in leaf.iter_all_terms())


class PlanCosts(NamedTuple):
    """What :func:`estimate_cost` weighs of a plan, constant for a generation: the
    postings of its leaves whose cost never changes (terms, phrases the build
    precomputed); each other phrase with its postings and the cost of
    checking it (:func:`_positions_cost`); each leaf whose word positions a timeline
    reads with the cost of reading them."""

    fixed: int
    phrases: tuple[tuple[wq.Phrase, int, int], ...]
    positional: tuple[tuple[wq.Query, int], ...]


def _plan_costs(gen: Generation, query: wq.Query) -> PlanCosts:
    """The :class:`PlanCosts` of ``query``, computed once per generation and plan: the
    term dictionary's lookups (document frequencies) cost more than the rest of an
    estimate."""
    reader = gen.searcher().reader()

    def postings(leaf: wq.Query) -> int:
        return sum(reader.doc_frequency(field, text) for field, text in leaf.iter_all_terms())

    fixed = 0
    phrases = []
    for leaf in [query] if query.is_leaf() else list(query.leaves()):
        count = postings(leaf)
        if isinstance(leaf, wq.Phrase) and not gen.postings.is_known_phrase(leaf):
            phrases.append((leaf, count, _positions_cost(gen, reader, leaf, count)))
        else:
            fixed += count
    positional = tuple(
        (leaf, _positions_cost(gen, reader, leaf, postings(leaf)))
        for leaf in positive_leaves(query)
        if is_positional(leaf)
    )
    return PlanCosts(fixed, tuple(phrases), positional)
