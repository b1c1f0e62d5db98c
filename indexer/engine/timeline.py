"""A term over time: for each matching report, its reporting period, how many of its
documents match and how often they mention what the query searched.

Every report the filters leave is listed, those the query does not match with no
mentions and no documents: a term's absence is part of its history.

**Mentions.**  A mention is one place in a document's title or summary where a searched
word, phrase or prefix, or a glossary name the query was expanded to, occurs.  Words
matched there side by side form one mention, so a name of several words counts once,
and so do nested or touching names: "Маскоўскага механізма АБСЕ" (two names of the
Moscow Mechanism) and "International Criminal Court (ICC)" (punctuation is no word) are
one mention each.  Words excluded by the query (``-word``, ``NOT``) are not counted.  A
document found only through a cross-script key (``Viasna`` in a Cyrillic text) counts
the occurrences of its most frequent matched key; when both are known, the larger count
stands.  A report's mentions add up those of its matching documents: the languages the
filters leave.

**Cost.**  Word positions are read once per index generation and word (cached with the
postings, see :mod:`indexer.engine.matching`), so the work is linear in the postings of the
query's words, as the matching itself; phrases are found with sorted-array lookups, and
mentions are counted per document in one pass over the sorted positions.  The deadline
of the search applies: past it, the words left are not counted (and the search says it
is partial).  At most :data:`TIMELINE_LIMIT` reports are listed, the newest.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
from whoosh import query as wq

from indexer import schema
from indexer.engine.facets import facet_masks
from indexer.engine.generation import Generation
from indexer.languages import ALL_LANGS
from indexer.records import Facet, SearchRequest, TimelinePoint

TIMELINE_LIMIT = 200  # reports listed at most (the newest), so an answer stays small
_SHIFT = np.int64(32)  # a position key is (document << 32) | position
_EMPTY = np.zeros(0, dtype=np.int64)
_TEXT_FIELDS = frozenset(
    name for lang in ALL_LANGS for name in (schema.title_field(lang), schema.summary_field(lang))
)
_KEY_FIELDS = frozenset(schema.key_field(lang) for lang in ALL_LANGS)


def positive_leaves(query: wq.Query) -> Iterator[wq.Query]:
    """The terms and phrases of ``query`` that a document's match may contain (not the
    excluded ones)."""
    if isinstance(query, wq.Not):
        return
    if isinstance(query, wq.AndNot):
        yield from positive_leaves(query.a)
        return
    if isinstance(query, wq.Phrase) and query.slop > 1:
        return  # a proximity boost: its words are searched (and counted) on their own too
    if isinstance(query, wq.Term | wq.Phrase):
        yield query
        return
    for child in query.children():
        yield from positive_leaves(child)


def is_positional(query: wq.Query) -> bool:
    """Whether counting mentions reads ``query``'s word positions (title and summary)."""
    return isinstance(query, wq.Term | wq.Phrase) and query.fieldname in _TEXT_FIELDS


def positions(gen: Generation, field: str, text: str) -> np.ndarray:
    """The position keys of ``text`` in ``field``, read once per generation from the
    build's term arrays (:mod:`indexer.engine.termpostings`)."""
    return gen.postings.positions(field, text)


def positions_cached(gen: Generation, query: wq.Term | wq.Phrase) -> bool:
    """Whether every word position ``query`` needs is already read (for cost estimates)."""
    words = [query.text] if isinstance(query, wq.Term) else query.words
    return gen.postings.has_positions(query.fieldname, words)


def _phrase_words(gen: Generation, query: wq.Phrase) -> np.ndarray:
    """The position keys of every word of each occurrence of the phrase.

    Query phrases are exact (``slop`` 1: each word right after the one before), so an
    occurrence starts where the first word is and each next word is one further on.
    """
    words = [positions(gen, query.fieldname, word) for word in query.words]
    starts = words[0]
    for i, keys in enumerate(words[1:], start=1):
        starts = starts[np.isin(starts + i, keys, assume_unique=True)]
    if not len(starts):
        return _EMPTY
    return _merged([starts + i for i in range(len(words))])


def _merged(parts: list[np.ndarray]) -> np.ndarray:
    """The union of sorted key arrays, sorted and without repeats.

    A stable sort (radix sort for integers in numpy) merges sorted runs in linear time;
    ``np.unique`` would hash every key, many times slower on large arrays.
    """
    if len(parts) == 1:
        return parts[0]
    keys = np.sort(np.concatenate(parts), kind="stable")
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    return keys[keep]


def _runs_per_document(keys: np.ndarray, doc_count: int) -> np.ndarray:
    """Runs of consecutive positions in sorted unique ``keys``, counted per document."""
    if not len(keys):
        return np.zeros(doc_count, dtype=np.int64)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1] + 1
    return np.bincount(keys[first] >> _SHIFT, minlength=doc_count)


def mentions(gen: Generation, query: wq.Query, docs: np.ndarray, deadline: float):
    """Mentions in each of ``docs`` (see the module) and whether every word was counted."""
    wanted = np.zeros(gen.doc_count, dtype=bool)
    wanted[docs] = True
    by_field: dict[str, list[np.ndarray]] = {}
    keyed = np.zeros(gen.doc_count, dtype=np.int64)
    complete = True
    for leaf in positive_leaves(query):
        if time.monotonic() > deadline:
            complete = False
            break
        if is_positional(leaf):
            found = (
                positions(gen, leaf.fieldname, leaf.text)
                if isinstance(leaf, wq.Term)
                else (_phrase_words(gen, leaf))
            )
            found = found[wanted[found >> _SHIFT]]
            by_field.setdefault(leaf.fieldname, []).append(found)
        elif isinstance(leaf, wq.Term) and leaf.fieldname in _KEY_FIELDS:
            key_docs, counts = gen.postings.term(leaf.fieldname, leaf.text, gen.searcher())
            np.maximum.at(keyed, key_docs, counts.astype(np.int64))
    counted = np.zeros(gen.doc_count, dtype=np.int64)
    for parts in by_field.values():
        counted += _runs_per_document(_merged(parts), gen.doc_count)
    return np.maximum(counted, keyed)[docs], complete


def _scope(gen: Generation, req: SearchRequest) -> np.ndarray:
    """The documents the filters of ``req`` leave, whatever the query."""
    everything = np.arange(gen.doc_count, dtype=np.int64)
    masks = facet_masks(gen, everything, req)
    return everything[masks[Facet.YEAR] & masks[Facet.LANG] & masks[Facet.TOPIC]]


def term_timeline(
    gen: Generation, req: SearchRequest, query: wq.Query | None, docs: np.ndarray, deadline: float
) -> tuple[tuple[TimelinePoint, ...], bool, bool]:
    """The timeline of a search whose query ``query`` matched ``docs`` (filtered):
    (points oldest period first, complete, truncated).

    Every report the filters leave has a point, with no mentions and no documents when
    the query does not match it, so that the chart shows where a term is absent too.
    An empty query (``None``) has no term: no points.
    """
    if query is None:
        return (), True, False
    counts, complete = mentions(gen, query, docs, deadline)
    scope = _scope(gen, req)
    reports, first = np.unique(gen.reports[scope], return_index=True)
    at = np.searchsorted(reports, gen.reports[docs])
    documents = np.bincount(at, minlength=len(reports))
    totals = np.bincount(at, weights=counts, minlength=len(reports)).astype(np.int64)
    # The newest reports, by publication day (the same for every language of a report).
    newest = np.argsort(-gen.days[scope[first]], kind="stable")[:TIMELINE_LIMIT]
    searcher = gen.searcher()
    points = []
    for i in newest:
        stored = searcher.stored_fields(int(scope[first[i]]))
        points.append(
            TimelinePoint(
                report=int(reports[i]),
                period_start=stored[schema.PERIOD_START],
                period_end=stored[schema.PERIOD_END],
                mentions=int(totals[i]),
                documents=int(documents[i]),
            )
        )
    points.sort(key=lambda p: (p.period_start, p.period_end, p.report))
    return tuple(points), complete, len(reports) > TIMELINE_LIMIT
