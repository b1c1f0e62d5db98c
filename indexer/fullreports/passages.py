"""Full-report passages at search time: ranking with them, showing them, one page of them.

A generation built from PDFs holds a second index of passages (see
:mod:`indexer.fullreports.extraction`), opened here as a
:class:`~indexer.engine.generation.Generation` of its own, so the query side reuses
everything it has: the query is planned with the passages' reader (prefixes expand to
the passages' words), evaluated on postings arrays with BM25
(:mod:`indexer.engine.matching`), and highlighted with the same analysers.

A document (report, language) matches when its summary or one of its passages does;
its score is its summary's plus a share of its best passages' scores
(:data:`~indexer.engine.facade.PASSAGE_WEIGHTS`), so reports rank by both together.
Facets count documents, never passages: the passages only add documents and scores to
the main index's.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from indexer import schema
from indexer.engine import facade
from indexer.engine.facade import Matches, PassageMatches
from indexer.engine.generation import Generation, SearchIndex
from indexer.engine.layout import PDFS
from indexer.errors import DocumentNotFound
from indexer.fullreports.extraction import DOC, PAGE, PAGE_KEY, PASSAGE
from indexer.languages import Lang
from indexer.query import QueryPlan
from indexer.records import PassageHit
from indexer.snippets import Terms, make_snippet, mark_all

Planner = Callable[[Generation], QueryPlan]


def passage_generation(gen: Generation) -> Generation | None:
    """The passage index of ``gen``; ``None`` when it was built without PDFs."""
    return gen.passages.generation if gen.passages is not None else None


def add_passages(
    gen: Generation, planner: Planner, matches: Matches, deadline: float
) -> tuple[Matches, PassageMatches]:
    """``matches`` of the summaries with the passages' added (the query planned on the
    passage index by ``planner``, see :func:`indexer.engine.facade.add_passages`), and
    each document's best passages."""
    passages = passage_generation(gen)
    if passages is None:
        return matches, {}
    plan = planner(passages)
    if plan.query is None:
        return matches, {}
    return facade.add_passages(gen, matches, plan.query, deadline)


def _terms(plan: QueryPlan, lang: Lang) -> Terms:
    return plan.snippet_terms(lang)


def passage_hits(
    gen: Generation, planner: Planner, matches: list[tuple[int, float]]
) -> tuple[PassageHit, ...]:
    """The shown passages of one result: document, page and snippet, best first."""
    passages = passage_generation(gen)
    if passages is None or not matches:
        return ()
    plan = planner(passages)
    searcher = passages.searcher()
    hits = []
    for docnum, score in matches:
        stored = searcher.stored_fields(docnum)
        lang = Lang(stored[schema.LANG])
        text = stored[schema.summary_field(lang)]
        page, position = int(stored[PAGE]), int(stored[PASSAGE])
        snippet = make_snippet(text, lang, _terms(plan, lang))
        hits.append(PassageHit(stored[DOC], page, position, snippet, score))
    return tuple(hits)


@dataclass(frozen=True)
class PageOfReport:
    """One page of a full report: its passages, highlighted, and where it sits."""

    doc: str
    report: int
    lang: Lang
    page: int
    pages: int
    passages: tuple[tuple[int, str], ...]  # (position, HTML: escaped text with <mark>)
    pdf: bool


def report_page(index: SearchIndex, doc: str, page: int, planner: Planner) -> PageOfReport:
    """Page ``page`` of document ``doc``'s full report, matches of the planned query
    highlighted.  Raises :class:`DocumentNotFound` when there is no such page."""
    gen = index.generation()
    passages = passage_generation(gen)
    total = int(gen.meta.get("fulltext_pages", {}).get(doc, 0))
    if not total or not 1 <= page <= total:
        raise DocumentNotFound(f"no page {page} in the full report {doc!r}")
    # No passage index: every full report of the generation is a scan (no text at all).
    found = (
        sorted(
            passages.searcher().documents(**{PAGE_KEY: f"{doc}/{page}"}),
            key=lambda s: s[PASSAGE],
        )
        if passages is not None
        else []
    )
    lang = Lang(doc.rsplit("-", 1)[1])
    terms = _terms(planner(passages), lang) if passages is not None and found else {}
    shown = tuple(
        (
            int(s[PASSAGE]),
            mark_all(s[schema.summary_field(lang)], lang, terms)
            if terms
            else html.escape(s[schema.summary_field(lang)]),
        )
        for s in found
    )
    report = int(doc[1:].split("-", 1)[0])
    return PageOfReport(doc, report, lang, page, total, shown, pdf_path(gen, doc) is not None)


def pdf_path(gen: Generation, doc: str):
    """The PDF the generation holds for ``doc``, or ``None``."""
    if "/" in doc or doc.startswith("."):
        return None
    path = gen.path / PDFS / f"{doc}.pdf"
    return path if path.is_file() else None
