"""The engine's one door: what the search API asks of an index generation.

:mod:`indexer.search` and the full reports' passages call these, not the engine's other
modules, and hold what they return (:class:`Matches`, pages of document numbers) without
ever importing numpy themselves:

- :func:`match`: every document a query plan matches, with its BM25F score
  (:mod:`~indexer.engine.matching`; no query: every document, unscored);
- :func:`add_passages`: a document's best passages added to its score;
- :func:`filtered`: the disjunctive facet counts of the matches and the matches every
  selected filter keeps (:mod:`~indexer.engine.facets`);
- :func:`timeline`: a query's mentions over time (:mod:`~indexer.engine.timeline`);
- :func:`page`: one page of the kept matches, newest first or most relevant first,
  collapsed by report or not (:mod:`~indexer.engine.ordering`);
- :func:`stored` and :func:`other_versions`: what the page shows of its documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq

from indexer.engine.facets import count_facets, facet_masks
from indexer.engine.generation import Generation
from indexer.engine.matching import evaluate
from indexer.engine.ordering import (
    PageEntry,
    most_relevant,
    newest_first,
    report_count,
)
from indexer.engine.ordering import other_versions as _other_versions
from indexer.engine.timeline import term_timeline
from indexer.languages import Lang
from indexer.records import Facet, FacetCount, SearchRequest, TimelinePoint

# The best passages of a document add these shares of their scores to the document's.
PASSAGE_WEIGHTS = (0.6, 0.3, 0.15)
SHOWN = 3  # passages shown per result

PassageMatches = dict[int, list[tuple[int, float]]]  # docnum -> best (passage docnum, score)


@dataclass(frozen=True)
class Matches:
    """Documents (sorted numbers) with their scores, and whether all were found."""

    docs: np.ndarray
    scores: np.ndarray
    complete: bool = True

    def __len__(self) -> int:
        return len(self.docs)


def match(gen: Generation, query: wq.Query | None, deadline: float) -> Matches:
    """Every document of ``gen`` matching ``query`` with its score; ``None``: every
    document, unscored.  A generation is built fresh: it has no deleted documents."""
    if query is None:
        docs = np.arange(gen.doc_count, dtype=np.int64)
        return Matches(docs, np.zeros(len(docs)))
    (docs, scores), complete = evaluate(gen, query, deadline, gen.versions)
    return Matches(docs, scores, complete)


def add_passages(
    gen: Generation, matches: Matches, query: wq.Query, deadline: float
) -> tuple[Matches, PassageMatches]:
    """``matches`` (of ``gen``'s summaries) with the documents whose passages (of
    ``gen``'s passage index) match ``query`` (planned on the passage index), each
    document's score raised by its best passages' (:data:`PASSAGE_WEIGHTS`); and each
    document's best passages, at most :data:`SHOWN`."""
    (pdocs, pscores), found_all = evaluate(gen.passages.generation, query, deadline)
    complete = matches.complete and found_all
    if not len(pdocs):
        return Matches(matches.docs, matches.scores, complete), {}
    parents = gen.passages.parents[pdocs]
    keep = parents >= 0
    pdocs, pscores, parents = pdocs[keep], pscores[keep], parents[keep]
    order = np.lexsort((-pscores, parents))
    best: PassageMatches = {}
    for i in order:
        found = best.setdefault(int(parents[i]), [])
        if len(found) < SHOWN:
            found.append((int(pdocs[i]), float(pscores[i])))
    bonus_docs = np.array(sorted(best), dtype=np.int64)
    bonus = np.array(
        [
            sum(w * s for w, (_, s) in zip(PASSAGE_WEIGHTS, best[d], strict=False))
            for d in bonus_docs
        ]
    )
    merged = np.union1d(matches.docs, bonus_docs)
    merged_scores = np.zeros(len(merged))
    merged_scores[np.searchsorted(merged, matches.docs)] += matches.scores
    merged_scores[np.searchsorted(merged, bonus_docs)] += bonus
    return Matches(merged, merged_scores, complete), best


def filtered(
    gen: Generation, matches: Matches, req: SearchRequest
) -> tuple[dict[Facet, tuple[FacetCount, ...]], Matches]:
    """The disjunctive facet counts of ``matches`` under ``req``'s filters, and the
    matches every filter keeps."""
    masks = facet_masks(gen, matches.docs, req)
    counts = count_facets(gen, matches.docs, req, masks)
    selected = masks[Facet.YEAR] & masks[Facet.LANG] & masks[Facet.TOPIC]
    kept = Matches(matches.docs[selected], matches.scores[selected], matches.complete)
    return counts, kept


def timeline(
    gen: Generation, req: SearchRequest, query: wq.Query | None, final: Matches, deadline: float
) -> tuple[tuple[TimelinePoint, ...], bool, bool]:
    """(the timeline of ``final``'s reports, whether every mention was counted, whether
    more reports matched than it lists)."""
    return term_timeline(gen, req, query, final.docs, deadline)


def page(
    gen: Generation,
    final: Matches,
    start: int,
    count: int,
    reader: Lang,
    by_date: bool,
    collapse: bool,
) -> tuple[int, list[PageEntry]]:
    """(the total of ``final``: documents, or reports when collapsing; the ``count``
    entries from ``start``, newest first or most relevant first for ``reader``)."""
    total = report_count(gen, final.docs) if collapse else len(final)
    if start >= total:
        return total, []
    window = slice(start, start + count)
    if by_date:
        return total, newest_first(gen, final.docs, reader, collapse, window)
    return total, most_relevant(gen, final.docs, final.scores, reader, collapse, window)


def stored(gen: Generation, docnums: Iterable[int]) -> list[dict[str, Any]]:
    """The stored fields of each of ``docnums`` (this thread's searcher)."""
    searcher = gen.searcher()
    return [searcher.stored_fields(int(d)) for d in docnums]


def other_versions(gen: Generation, docnum: int) -> list[int]:
    """The other language versions of ``docnum``'s report, in language order."""
    return _other_versions(gen, docnum)
