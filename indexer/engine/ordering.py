"""Ordering the matches of a search: date order, relevance order, collapsing by report.

What a page of results needs once the matches and their scores are known, on numpy
arrays over the generation's columns: the newest first (a selection over the
generation's precomputed date order, never a sort of the matches), the most relevant
first (the reader's version of a report first among its equally relevant ones, see
:mod:`indexer.engine.ranking`), one entry per report when collapsing, and the number of
reports the matches belong to.
"""

from __future__ import annotations

import numpy as np

from indexer.engine.generation import Generation
from indexer.engine.ranking import LANGUAGE_MARGIN
from indexer.languages import ALL_LANGS, LANG_INDEX, Lang

DENSE = 64  # a set of more than 1/DENSE of the documents is found by walking the order
WALK = 8192  # documents of the precomputed date order looked at in one step of the walk


def date_order(gen: Generation, docs: np.ndarray, reader: Lang, limit: int) -> np.ndarray:
    """The first ``limit`` of ``docs`` (sorted document numbers) newest first; within a
    report the reader's language first (the generation's date order, see
    :func:`indexer.engine.derived.date_ranking`): a selection, never a sort of ``docs``."""
    limit = min(limit, len(docs))
    order = gen.date_order[LANG_INDEX[reader]]
    if len(docs) == gen.doc_count:  # every document (a generation has no deleted ones)
        return order[:limit].astype(np.int64)
    if len(docs) * DENSE > gen.doc_count:
        # Many documents: most of them are among the first of the order; walk it.
        wanted = np.zeros(gen.doc_count, dtype=bool)
        wanted[docs] = True
        found: list[np.ndarray] = []
        count = 0
        for start in range(0, gen.doc_count, WALK):
            step = order[start : start + WALK]
            found.append(step[wanted[step]])
            count += len(found[-1])
            if count >= limit:
                break
        return np.concatenate(found)[:limit].astype(np.int64)
    ranks = gen.date_rank[LANG_INDEX[reader]][docs]
    if limit < len(docs):
        cut = np.argpartition(ranks, limit - 1)[:limit] if limit else ranks[:0]
        return docs[cut[np.argsort(ranks[cut])]]
    return docs[np.argsort(ranks)]


def ranked(
    gen: Generation, final: np.ndarray, scores: np.ndarray, limit: int, reader: Lang
) -> list[tuple[int, float]]:
    """The best ``limit`` of ``final`` as (docnum, score): by score, the reader's version
    of a report first among its equally relevant ones (:mod:`indexer.engine.ranking`), then
    the other languages, then index order."""
    ordering = gen.versions.reading_scores(final, scores, reader)
    if limit < len(final):
        cut = np.argpartition(-ordering, limit - 1)[:limit]
        final, scores, ordering = final[cut], scores[cut], ordering[cut]
    order = np.lexsort((final, gen.versions.language_rank(final, reader), -ordering))
    return [(int(final[i]), float(scores[i])) for i in order[:limit]]


def by_report(
    gen: Generation, ordered: list[tuple[int, float]], reader: Lang
) -> list[tuple[int, float, list[int]]]:
    """Group (docnum, score) by report keeping first-seen order: (shown, score, others).

    The document shown for a report is the reader's language's when it scores close to
    the best (:data:`~indexer.engine.ranking.LANGUAGE_MARGIN`), else the best-scoring one.
    """
    groups: dict[int, list[tuple[int, float]]] = {}
    for docnum, score in ordered:
        groups.setdefault(int(gen.reports[docnum]), []).append((docnum, score))
    out = []
    for members in groups.values():
        top = max(score for _, score in members)

        def rank(item: tuple[int, float], top: float = top) -> tuple[bool, bool, float, int]:
            docnum, score = item
            close = score >= LANGUAGE_MARGIN * top
            lang = int(gen.langs[docnum])
            return (not close, ALL_LANGS[lang] != reader, -score, lang)

        members.sort(key=rank)
        best, score = members[0]
        out.append((best, score, [d for d, _ in members[1:]]))
    return out


def other_versions(gen: Generation, docnum: int) -> list[int]:
    """The other language versions of ``docnum``'s report, in language order."""
    same = np.flatnonzero(gen.reports == gen.reports[docnum])
    return sorted((int(d) for d in same if d != docnum), key=lambda d: int(gen.langs[d]))


PageEntry = tuple[int, float, list[int]]  # (docnum shown, score, its report's other matches)


def report_count(gen: Generation, docs: np.ndarray) -> int:
    """The number of reports ``docs`` belong to (no sort: a mark per report)."""
    seen = np.zeros(gen.versions.report_count, dtype=bool)
    seen[gen.reports[docs]] = True
    return int(np.count_nonzero(seen))


def newest_first(
    gen: Generation, final: np.ndarray, reader: Lang, collapse: bool, window: slice
) -> list[PageEntry]:
    """The ``window`` of ``final`` by date (of its reports, when collapsing)."""
    if not collapse or not len(final):
        return [(int(d), 0.0, []) for d in date_order(gen, final, reader, window.stop)[window]]
    # A report's documents are adjacent in date order (a report has one date), its
    # reader's-language one first, and a report has at most one document per language:
    # the first `stop` reports are whole among the first `stop * languages` documents.
    dated = date_order(gen, final, reader, window.stop * len(ALL_LANGS))
    reports = gen.reports[dated]
    starts = np.flatnonzero(np.concatenate([[True], reports[1:] != reports[:-1]]))
    ends = np.append(starts[1:], len(dated))
    return [
        (int(dated[start]), 0.0, [int(d) for d in dated[start + 1 : end]])
        for start, end in list(zip(starts, ends, strict=True))[window]
    ]


def most_relevant(
    gen: Generation,
    final: np.ndarray,
    scores: np.ndarray,
    reader: Lang,
    collapse: bool,
    window: slice,
) -> list[PageEntry]:
    """The ``window`` of ``final`` by score (of its reports, when collapsing)."""
    # A report has at most one document per language, so the best `end` reports
    # are among the best `end * languages` documents.
    limit = window.stop * len(ALL_LANGS) if collapse else window.stop
    ordered = ranked(gen, final, scores, limit, reader)
    if not collapse:
        return [(d, s, []) for d, s in ordered[window]]
    entries = []
    for best, score, others in by_report(gen, ordered, reader)[window]:
        # Other languages of the report that matched but ranked below the cut.
        same = matched_versions(gen, final, int(gen.reports[best]))
        below = [d for d in same if d != best and d not in others]
        entries.append((best, score, others + below))
    return entries


def matched_versions(gen: Generation, final: np.ndarray, report: int) -> list[int]:
    """The documents of ``report`` among ``final`` (sorted), in document order."""
    versions = gen.versions
    lo = np.searchsorted(versions.sorted_reports, report, side="left")
    hi = np.searchsorted(versions.sorted_reports, report, side="right")
    docs = np.sort(versions.order[lo:hi])
    if not len(final):
        return []
    at = np.minimum(np.searchsorted(final, docs), len(final) - 1)
    return [int(d) for d in docs[final[at] == docs]]
