"""Facet counts and filters on a generation's per-document columns (numpy).

Counts are disjunctive: a facet's counts apply every other facet's selection but not
its own (OR within a facet, AND across facets), so a user can pick 2023 *and* 2024 and
still see how many documents each year holds.

A span of years or dates (``year_from``/``year_to``, ``date_from``/``date_to``) belongs
to the year facet: it applies together with the selected years (both must hold), and
the year facet's counts ignore it as they ignore the selected years, so the chart of
years keeps showing every year a reader may pick a span from.
"""

from __future__ import annotations

import numpy as np

from indexer.engine.generation import Generation
from indexer.languages import ALL_LANGS, LANG_INDEX, SUPPORT
from indexer.records import Collapse, Facet, FacetCount, SearchRequest


def facet_masks(gen: Generation, docs: np.ndarray, req: SearchRequest) -> dict[Facet, np.ndarray]:
    """For each facet, which of ``docs`` pass that facet's own selection."""
    masks = {facet: np.ones(len(docs), dtype=bool) for facet in Facet}
    if req.years:
        masks[Facet.YEAR] = np.isin(gen.years[docs], np.array(req.years, dtype=np.int32))
    span = req.day_span()
    if span is not None:
        days = gen.days[docs]
        masks[Facet.YEAR] &= (days >= span[0]) & (days <= span[1])
    if req.langs:
        wanted = np.array([LANG_INDEX[x] for x in req.langs], dtype=np.int8)
        masks[Facet.LANG] = np.isin(gen.langs[docs], wanted)
    if req.topics:
        columns = [gen.topic_ids.index(t) for t in req.topics]
        masks[Facet.TOPIC] = gen.topic_matrix[np.ix_(docs, columns)].any(axis=1)
    return masks


def _unique_reports(gen: Generation, docs: np.ndarray) -> np.ndarray:
    """One document per report among ``docs`` (for counting reports, not documents)."""
    if len(docs) == 0:
        return docs
    # The first of each report's documents, by report (np.unique's, without its sort).
    first = np.full(gen.versions.report_count, len(docs), dtype=np.int64)
    np.minimum.at(first, gen.reports[docs], np.arange(len(docs), dtype=np.int64))
    return docs[first[first < len(docs)]]


def count_facets(
    gen: Generation, docs: np.ndarray, req: SearchRequest, masks: dict[Facet, np.ndarray]
) -> dict[Facet, tuple[FacetCount, ...]]:
    """Disjunctive counts of every facet over the matching ``docs``.

    ``masks`` are :func:`facet_masks` of ``docs`` (the caller filters with them too).
    A facet's counts apply every other facet's selection but not its own, so that
    several values of one facet can be combined; with ``collapse=report`` years and
    topics count reports, languages count documents.
    """
    by_report = req.collapse is Collapse.REPORT
    facets: dict[Facet, tuple[FacetCount, ...]] = {}
    for facet in Facet:
        others = np.ones(len(docs), dtype=bool)
        for other, mask in masks.items():
            if other is not facet:
                others &= mask
        subset = docs[others]
        if by_report and facet is not Facet.LANG:
            subset = _unique_reports(gen, subset)
        facets[facet] = _facet_counts(gen, facet, subset, req)
    return facets


def _year_counts(years: np.ndarray) -> dict[int, int]:
    """How many of ``years`` are each year (a count per year, no sort)."""
    if not len(years):
        return {}
    first = int(years.min())
    counts = np.bincount(years.astype(np.int64) - first)
    return {first + int(i): int(counts[i]) for i in np.flatnonzero(counts)}


def _topic_counts(matrix: np.ndarray, subset: np.ndarray) -> np.ndarray:
    """How many of the documents ``subset`` have each topic (a column of the boolean
    ``matrix``): ``matrix[subset].sum(axis=0)``, counted topic by topic on the rows of
    the transposed copy (summing booleans down the columns converts each first: half
    of counting a common word's topics)."""
    rows = np.ascontiguousarray(matrix[subset].T)
    if rows.dtype != bool:
        return rows.sum(axis=1)
    return np.array([np.count_nonzero(row) for row in rows], dtype=np.int64)


def _facet_counts(
    gen: Generation, facet: Facet, subset: np.ndarray, req: SearchRequest
) -> tuple[FacetCount, ...]:
    ui = req.ui_lang
    if facet is Facet.YEAR:
        found = _year_counts(gen.years[subset])
        years = sorted(set(found) | set(req.years), reverse=True)
        return tuple(FacetCount(y, str(y), found.get(y, 0), y in req.years) for y in years)
    if facet is Facet.LANG:
        counts = np.bincount(gen.langs[subset].astype(np.int64), minlength=len(ALL_LANGS))
        return tuple(
            FacetCount(lang, SUPPORT[lang].native_name, int(counts[i]), lang in req.langs)
            for i, lang in enumerate(ALL_LANGS)
            if counts[i] or lang in req.langs
        )
    counts = (
        _topic_counts(gen.topic_matrix, subset) if len(subset) else np.zeros(len(gen.topic_ids))
    )
    items = [
        FacetCount(t, gen.topics[t].label(ui), int(counts[j]), t in req.topics)
        for j, t in enumerate(gen.topic_ids)
        if counts[j] or t in req.topics
    ]
    items.sort(key=lambda c: (-c.count, c.label))
    return tuple(items)
