"""Query evaluation over postings held as numpy arrays: every match and its score at once.

Whoosh evaluates a query by building a tree of matchers and stepping through it one
document at a time in Python, and a search needs that twice (every match for the facet
counts, then the scores of the filtered ones).  Here a query plan is evaluated once,
leaf by leaf, on arrays:

- a ``Term`` is its postings list (document numbers and term frequencies), read from
  the build's memory-mapped term arrays (:mod:`indexer.engine.termpostings`) once per
  index generation and kept in a cache bounded by the generation's size
  (:func:`cache_bytes`), scored with Whoosh's own BM25 formula (``whoosh.scoring.bm25``)
  and idf, applied to the whole array at once;
- a ``Phrase`` (quoted, a glossary name, or the proximity bonus's sloppy phrase)
  takes the documents holding the words in order from the build's precomputed
  glossary phrases when it is one (:mod:`indexer.engine.derived`), else from its words'
  positions in the term arrays, checked on whole arrays, cached the same way, and scores
  like its words together;
- ``Or``/``And``/``Not``/``AndNot``/``AndMaybe`` are set operations on sorted arrays,
  scores added as BM25F adds them across fields;
- a ``ConstantScoreQuery`` (a date of a query: :mod:`indexer.dates`) is its child's
  documents, each scored the constant;
- a :class:`~indexer.engine.ranking.SameReport` concept adds the other language versions of
  the reports it matches, when the caller gives the generation's versions.

Any other query type (or a term of a keyword field, which has no term arrays: a month) is
matched by Whoosh's own matcher, without a score.
The result is every matching document number (sorted) with its score.

One deliberate difference from Whoosh's BM25F: the average field length.  Whoosh divides
a field's total length by every document in the index; here it is the mean over the
documents that have the field.  Each language has its own fields (``body_en``, ...), so
Whoosh's average would count the two thirds of documents in other languages as empty,
make every document look three times longer than the average and push length
normalisation far past what ``B`` intends.  With the same average the two agree to
rounding (``tests/test_matching.py`` compares them on the bundled corpus).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from indexer.engine.derived import Derived, scored_fields
from indexer.engine.docsets import intersect, union_parts
from indexer.engine.lru import LRUCache
from indexer.engine.ranking import SameReport, Versions
from indexer.engine.termpostings import TermPostings

K1 = scoring.BM25F().K1  # term-frequency saturation: Whoosh's default
B = scoring.BM25F().B  # length normalisation: Whoosh's default
# The postings arrays a generation keeps: a share of what all its postings would take,
# within bounds (see cache_bytes).
CACHE_BYTES = 64 * 1024 * 1024  # at least this
CACHE_MAX_BYTES = 512 * 1024 * 1024  # at most this, however large the generation
CACHE_SHARE = 1 / 8  # of every posting cached (the query mix uses about 1/17 at 100k)
POSTING_BYTES = 32  # a posting cached: document and frequency, document and score
_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)

Matches = tuple[np.ndarray, np.ndarray]  # (sorted unique docnums, scores)


class OutOfTime(Exception):
    """The evaluation passed its deadline; what was not evaluated counts as no match."""


class Postings:
    """The arrays of one index generation: postings, field lengths, statistics.

    Each :class:`~indexer.engine.generation.Generation` holds one (``gen.postings``), over
    the generation's derived structures (term arrays, field lengths and glossary phrases,
    memory-mapped: nothing to compute).
    """

    def __init__(self, derived: Derived) -> None:
        self.cache = LRUCache(None, CACHE_BYTES, _nbytes)
        self._sized = False  # the cache's bound is set from the generation on first use
        self.derived = derived

    def fit(self, searcher: Searcher) -> None:
        """Bound the cache by the generation's size (:func:`cache_bytes` of the words of
        its scored fields, Whoosh's field-length totals), once."""
        if self._sized:
            return
        reader = searcher.reader()
        words = sum(reader.field_length(field) for field in scored_fields(searcher.schema))
        self.cache.resize(cache_bytes(words))
        self._sized = True

    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Every document's length in ``field`` (a scored field) and the mean length of
        the non-empty ones."""
        return self.derived.lengths[field]

    def term(self, field: str, text: str, searcher: Searcher) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies as float64) of ``text`` in ``field``.

        From the term arrays, the frequencies are kept as the arrays store them (a view
        of the memory-mapped file) and made float64 on each call: a first search keeps
        no float64 copy of every term's frequencies in new memory, most of which its
        BM25 scores (cached) make useless.
        """
        docs, weights = self.cache.get_or_compute(
            ("term", field, text), lambda: self._read_term(field, text, searcher)
        )
        return docs, weights.astype(np.float64, copy=False)

    def arrays(self, field: str) -> TermPostings | None:
        """The build's term arrays (:mod:`~indexer.engine.termpostings`) if they cover
        ``field`` (every scored field; not the keyword fields, such as the months)."""
        arrays = self.derived.postings
        return arrays if arrays.covers(field) else None

    def _read_term(self, field: str, text: str, searcher: Searcher):
        arrays = self.arrays(field)
        if arrays is not None:
            return arrays.term(field, text, stored=True)
        # A keyword field (never scored: a month, a topic): its documents, weight 1.
        docs = self.whoosh_docs(wq.Term(field, text), searcher)
        return docs, np.ones(len(docs), dtype=np.float32)

    def precomputed_phrase(self, query: wq.Phrase) -> np.ndarray | None:
        """The documents matching ``query`` when the build precomputed them (a glossary
        name's phrase, see :mod:`indexer.engine.derived`), else ``None``."""
        if query.slop != 1:
            return None
        return self.derived.phrase(query.fieldname, query.words)

    def known_phrase(self, query: wq.Phrase, candidates: np.ndarray) -> np.ndarray:
        """The documents among the sorted ``candidates`` (those holding every word)
        matching ``query`` (on a field the term arrays cover), from what the build
        derived: precomputed (a glossary name), else checked on the words' positions in
        the term arrays."""
        docs = self.precomputed_phrase(query)
        if docs is not None:
            return docs
        words = list(query.words)
        return self.derived.postings.phrase(query.fieldname, words, query.slop, candidates)

    def is_known_phrase(self, query: wq.Phrase) -> bool:
        """Whether the build precomputed ``query``'s documents (a glossary name's phrase):
        no positions to read, even from the term arrays (for cost estimates)."""
        return query.slop == 1 and self.derived.has_phrase(query.fieldname, query.words)

    # The cache holds, per generation, each of these under a key of its own kind: a term's
    # postings, its BM25 scores, a phrase's documents and scores, a word's positions, and
    # the documents of a query Whoosh matched.  The keys are made here only.

    def bm25(self, field: str, text: str, compute: Callable[[], Matches]) -> Matches:
        """The BM25 scores of ``text`` in ``field`` (unboosted), ``compute``d once."""
        return self.cache.get_or_compute(("bm25", field, text), compute)

    def has_bm25(self, field: str, text: str) -> bool:
        """Whether the BM25 scores of ``text`` in ``field`` are cached."""
        return self.cache.peek(("bm25", field, text))

    def phrase(self, query: wq.Phrase, compute: Callable[[], Matches]) -> Matches:
        """The documents of the phrase ``query`` and their (unboosted) scores, ``compute``d
        once."""
        return self.cache.get_or_compute(_phrase_key(query), compute)

    def has_phrase(self, query: wq.Phrase) -> bool:
        """Whether the documents of the phrase ``query`` are cached (for cost estimates)."""
        return self.cache.peek(_phrase_key(query))

    def positions(self, field: str, text: str) -> np.ndarray:
        """Every occurrence of ``text`` in ``field`` (a field with positions) as sorted keys
        ``(document << 32) | position``, read once from the term arrays."""
        return self.cache.get_or_compute(
            ("positions", field, text), lambda: self.derived.postings.positions(field, text)
        )

    def has_positions(self, field: str, words: Iterable[str]) -> bool:
        """Whether the positions of every one of ``words`` in ``field`` are cached."""
        return all(self.cache.peek(("positions", field, word)) for word in words)

    def whoosh_docs(self, query: wq.Query, searcher: Searcher) -> np.ndarray:
        """The documents matching ``query`` by Whoosh's own (unscored) evaluation of it."""
        key = ("query", type(query).__name__, repr(query))
        return self.cache.get_or_compute(key, lambda: _whoosh_docs(query, searcher))


def _phrase_key(query: wq.Phrase) -> tuple:
    return ("phrase", query.fieldname, tuple(query.words), query.slop)


def _whoosh_docs(query: wq.Query, searcher: Searcher) -> np.ndarray:
    docs = np.fromiter(searcher.docs_for_query(query), dtype=np.int64)
    return np.unique(docs)


class _Evaluator:
    def __init__(self, gen: Generation, deadline: float, versions: Versions | None) -> None:
        self.versions = versions
        self.searcher = gen.searcher()
        self.postings = gen.postings
        self.postings.fit(self.searcher)
        self.deadline = deadline
        self.doc_count = gen.doc_count
        self.out_of_time = False
        self.leaves = 0
        # (field, word) of the words more than one phrase of the query holds (see
        # _score_phrase); set by evaluate().
        self.shared: frozenset[tuple[str, str]] = frozenset()

    def _clock(self) -> None:
        # The first leaf is always evaluated, so that a search past its time limit still
        # answers with something ("best found so far"), not with nothing.
        if self.leaves and time.monotonic() > self.deadline:
            self.out_of_time = True
            raise OutOfTime

    def _bm25(self, field: str, text: str) -> Matches:
        """The BM25 scores of ``text`` in ``field`` (unboosted), cached per generation."""
        return self.postings.bm25(field, text, lambda: self._score_term(field, text))

    def _score_term(self, field: str, text: str) -> Matches:
        docs, tf = self.postings.term(field, text, self.searcher)
        if not len(docs):
            return docs, tf
        lengths, mean = self.postings.lengths(field)
        return docs, bm25_scores(self.searcher, field, text, tf, lengths[docs], mean, len(docs))

    def evaluate(self, query: wq.Query) -> Matches:
        self._clock()
        if isinstance(query, wq.Term):
            self.leaves += 1
            docs, scores = self._bm25(query.fieldname, query.text)
            return docs, scores * query.boost
        if isinstance(query, wq.Phrase) and self.postings.arrays(query.fieldname) is not None:
            self.leaves += 1
            return self._phrase(query)
        if isinstance(query, wq.ConstantScoreQuery):
            self.leaves += 1
            docs = self._docs(query.child)
            return docs, np.full(len(docs), float(query.score))
        if isinstance(query, SameReport):
            docs, scores = self.evaluate(query.child)
            return self.versions.spread(docs, scores) if self.versions else (docs, scores)
        if isinstance(query, wq.Or):
            return self._or(query.subqueries)
        if isinstance(query, wq.And):
            return self._and(query.subqueries)
        if isinstance(query, wq.AndNot):
            docs, scores = self.evaluate(query.a)
            excluded, _ = self.evaluate(query.b)
            keep = ~np.isin(docs, excluded, assume_unique=True)
            return docs[keep], scores[keep]
        if isinstance(query, wq.AndMaybe):
            docs, scores = self.evaluate(query.a)
            extra_docs, extra = self.evaluate(query.b)
            here, there = intersect(docs, extra_docs)
            scores = scores.copy()
            scores[here] += extra[there]
            return docs, scores
        if isinstance(query, wq.Not):
            excluded, _ = self.evaluate(query.query)
            docs = np.setdiff1d(np.arange(self.doc_count, dtype=np.int64), excluded, True)
            return docs, np.zeros(len(docs))
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return _EMPTY_DOCS, _EMPTY_SCORES
        if isinstance(query, wq.Every):
            return np.arange(self.doc_count, dtype=np.int64), np.zeros(self.doc_count)
        self.leaves += 1
        docs = self.postings.whoosh_docs(query, self.searcher)
        return docs, np.full(len(docs), float(getattr(query, "boost", 1.0)))

    def _docs(self, query: wq.Query) -> np.ndarray:
        """The documents matching ``query``, unscored (a term's postings, no BM25)."""
        if isinstance(query, wq.Term):
            return self.postings.term(query.fieldname, query.text, self.searcher)[0]
        if isinstance(query, wq.Or):
            # A date's keys (indexer.dates): keywords of a field with no lengths to score.
            parts = [self._docs(sub) for sub in query.subqueries]
            return np.unique(np.concatenate(parts)) if parts else _EMPTY_DOCS
        return self.evaluate(query)[0]

    def _or(self, subqueries: list[wq.Query]) -> Matches:
        # Past the deadline an alternative counts as no match: what was found stands.
        parts = []
        for sub in subqueries:
            try:
                parts.append(self.evaluate(sub))
            except OutOfTime:
                break
        return _union(parts)

    def _and(self, subqueries: list[wq.Query]) -> Matches:
        result: Matches | None = None
        for sub in subqueries:
            docs, scores = self.evaluate(sub)
            if result is None:
                result = (docs, scores)
            else:
                here, there = intersect(result[0], docs)
                result = (result[0][here], result[1][here] + scores[there])
            if not len(result[0]):
                break
        return result if result is not None else (_EMPTY_DOCS, _EMPTY_SCORES)

    def _phrase(self, query: wq.Phrase) -> Matches:
        docs, scores = self.postings.phrase(query, lambda: self._score_phrase(query))
        return docs, scores * query.boost

    def _score_phrase(self, query: wq.Phrase) -> Matches:
        """The documents holding the phrase, scored like its words together (unboosted).

        The positional check is the costly part, so it is made only when some document
        holds every word (most names of a glossary concept, in most languages' fields,
        have none), and only in those documents, on the term arrays' positions.
        """
        field = query.fieldname
        docs = self.postings.precomputed_phrase(query)
        if docs is not None and not len(docs):
            return _EMPTY_DOCS, _EMPTY_SCORES
        words = list(dict.fromkeys(query.words))
        postings = [self.postings.term(field, word, self.searcher) for word in words]
        if docs is None:
            # The documents holding every word, the rarest word first.
            by_size = sorted((p[0] for p in postings), key=len)
            candidates = by_size[0] if by_size else _EMPTY_DOCS
            for word_docs in by_size[1:]:
                if not len(candidates):
                    break
                candidates = candidates[intersect(candidates, word_docs)[0]]
            if not len(candidates):
                return _EMPTY_DOCS, _EMPTY_SCORES
            docs = self.postings.known_phrase(query, candidates)
        # Each word's BM25 (as a Term of it scores) in the phrase's documents only.
        scores = np.zeros(len(docs))
        for word, (word_docs, tf) in zip(words, postings, strict=True):
            here, there = intersect(docs, word_docs)
            if len(here) == len(docs) > 0 and (
                (field, word) in self.shared or self.postings.has_bm25(field, word)
            ):
                # Every document of the phrase holds the word (always, unless the index
                # is inconsistent), and other phrases of the query hold it too (a
                # glossary name's variants share words) or it was searched alone: its
                # scores are read from the word's own, computed once for them all.
                # Element by element the same arithmetic, so the same scores.
                scores += self._bm25(field, word)[1][there]
                continue
            lengths, mean = self.postings.lengths(field)
            scores[here] += bm25_scores(
                self.searcher, field, word, tf[there], lengths[docs[here]], mean, len(word_docs)
            )
        return docs, scores


def bm25_scores(
    searcher: Searcher,
    field: str,
    text: str,
    tf: np.ndarray,
    lengths: np.ndarray,
    mean: float,
    doc_frequency: int | None = None,
) -> np.ndarray:
    """Whoosh's BM25 of ``text`` in ``field`` for many documents at once.

    ``tf`` and ``lengths`` are the documents' term frequencies and field lengths, ``mean``
    the average field length.  The idf is the searcher's weighting's own (called directly:
    ``Searcher.idf`` would keep every term ever asked in an unbounded dict, and the score
    is cached here anyway); given the term's ``doc_frequency`` (its postings, which the
    caller holds), Whoosh's formula is applied to it without looking the term up again
    in Whoosh's term dictionary (a tenth of a millisecond a term in a fresh process).
    """
    if doc_frequency is not None and type(searcher.weighting).idf is _WHOOSH_IDF:
        idf = math.log(searcher.get_parent().doc_count_all() / (doc_frequency + 1)) + 1
    else:
        idf = searcher.weighting.idf(searcher, field, text)
    return scoring.bm25(idf, tf, lengths, mean, B, K1)


_WHOOSH_IDF = scoring.WeightingModel.idf  # Whoosh's idf, which BM25F does not override


def cache_bytes(words: int) -> int:
    """The postings cache's bound for a generation whose scored fields hold ``words``
    words: :data:`CACHE_SHARE` of what every posting would take cached (a term has at
    most one posting per word), within :data:`CACHE_BYTES` and :data:`CACHE_MAX_BYTES`.

    A fixed bound made searches cold again once the generation outgrew it: the
    benchmark's query mix keeps 47 MB of postings at 100,000 documents, 140 MB at
    300,000, where a 64 MB cache re-read them on every pass.
    """
    wanted = int(words * POSTING_BYTES * CACHE_SHARE)
    return min(CACHE_MAX_BYTES, max(CACHE_BYTES, wanted))


def _nbytes(value: np.ndarray | tuple[np.ndarray, ...]) -> int:
    """The bytes held by a cached array or tuple of arrays."""
    if isinstance(value, tuple):
        return sum(array.nbytes for array in value)
    return value.nbytes


def _union(parts: list[Matches]) -> Matches:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY_DOCS, _EMPTY_SCORES
    if len(parts) == 1:
        return parts[0]
    return union_parts(parts)


def _shared_words(query: wq.Query) -> frozenset[tuple[str, str]]:
    """(field, word) of each word that several phrases of ``query`` hold."""
    seen: set[tuple[str, str]] = set()
    shared: set[tuple[str, str]] = set()
    leaves = [query] if query.is_leaf() else query.leaves()
    for leaf in leaves:
        if isinstance(leaf, wq.Phrase):
            for word in set(leaf.words):
                key = (leaf.fieldname, word)
                (shared if key in seen else seen).add(key)
    return frozenset(shared)


class Generation(Protocol):
    """What matching needs of an index generation
    (:class:`~indexer.engine.generation.Generation`, which holds its :class:`Postings`
    and so is not imported here)."""

    doc_count: int
    postings: Postings

    def searcher(self) -> Searcher: ...


def evaluate(
    gen: Generation, query: wq.Query, deadline: float, versions: Versions | None = None
) -> tuple[Matches, bool]:
    """Every document of ``gen`` matching ``query`` with its BM25F score.

    With ``versions`` (the summaries' documents by report), a ``SameReport`` concept
    matches every language version of the reports it matches; without, it is its child.

    Returns ``((docnums, scores), complete)``: docnums sorted and unique (a
    generation is built fresh and has no deleted documents), and ``complete`` False when the
    deadline (a :func:`time.monotonic` value) passed and the result is partial.
    """
    evaluator = _Evaluator(gen, deadline, versions)
    evaluator.shared = _shared_words(query)
    try:
        matches = evaluator.evaluate(query)
    except OutOfTime:
        matches = (_EMPTY_DOCS, _EMPTY_SCORES)
    return matches, not evaluator.out_of_time
