"""Relaxed matching: when every part of a query together finds nothing, find the
documents holding most of it, best first, and say what each lacks.

A query's parts are what a document must hold under the strict reading: each
meaningful word, number, glossary name, quoted phrase, prefix and month (the query
plan's ``parts``, :mod:`indexer.query`; stop words are never parts,
:mod:`indexer.stopwords`).  When the
strict query finds no document, and did-you-mean and layout/spelling recovery have run
(a correction is searched first; a suggestion stays on the answer), :func:`relax`
applies this rule (never with ``verbatim``, which asks for every word as typed):

1. Only a conjunction of two or more parts is relaxed (excluded words stay excluded);
   a query with ``OR`` or a single part is not.
2. Each part is evaluated alone.  A part no document holds is **absent**; a part that
   at least :data:`COMMON_SHARE` of the reports hold (in some language version) is
   **common**: every one of the bundled six reports; "Belarus" is.
3. **Two or more absent parts: nothing.**  A query about something the reports never
   mention (``nuclear weapons in Belarus``, «смертная казнь») stays empty.
4. The **meaningful** parts are the present parts that are not common.  With none
   (``Chernobyl Belarus``: one absent word and a word every report holds), nothing: a
   common word never carries a match alone.
   An absent part that names a country or territory (:mod:`indexer.placenames`:
   ``ICC Venezuela``, «пыток Молдова») gives nothing too: the query is about a place the
   reports never mention.
5. A document is a relaxed match when it holds **more than half of the meaningful
   parts** (both of two, two of three, three of four or five, ...).
6. Relaxed matches are ranked by the weight of the parts they hold, each part
   weighing its idf over the documents (Whoosh's BM25 idf: rare parts weigh most; a
   common part almost nothing), then by the parts' BM25 scores.  Every hit lists the
   parts it lacks (``missing``); the answer lists the parts some hit lacks
   (``dropped``).

A relaxed search only runs when the strict one found nothing, so a strict match always
ranks above a relaxed one: there is never a relaxed hit beside a strict one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.engine.generation import Generation
from indexer.engine.matching import evaluate
from indexer.placenames import names_place

Parts = list[tuple[str, wq.Query]]  # each required part of a query with its text as typed

MIN_PARTS = 2  # a query of fewer parts is never relaxed
MAX_ABSENT = 1  # more parts than this that no document holds: nothing
BM25_SHARE = 0.1  # how much the parts' BM25 scores weigh against their idf in the order
COMMON_SHARE = 0.9  # a part held by this share of the reports is common


@dataclass(frozen=True)
class Relaxation:
    """What a relaxed search left out: the parts some hit lacks (as typed, in query
    order), and which part each matching document holds (:meth:`missing`)."""

    dropped: tuple[str, ...]
    texts: tuple[str, ...]  # every part, as typed
    docs: np.ndarray  # the matching documents, sorted
    held: np.ndarray  # parts x docs: whether the document holds the part

    def missing(self, docnum: int) -> tuple[str, ...]:
        """The parts document ``docnum`` lacks (nothing for a document not matched)."""
        at = int(np.searchsorted(self.docs, docnum))
        if at >= len(self.docs) or self.docs[at] != docnum:
            return ()
        return tuple(t for t, has in zip(self.texts, self.held[:, at], strict=True) if not has)


def _conjuncts(query: wq.Query, recorded: Parts) -> tuple[Parts, wq.Query | None] | None:
    """The query's required parts with their typed texts, and its excluded part; None
    when the query is not a conjunction of ``recorded`` parts."""
    negative = None
    if isinstance(query, wq.AndNot):
        query, negative = query.a, query.b
    if isinstance(query, wq.AndMaybe):  # the proximity bonus: no part of its own
        query = query.a
    children = list(query.subqueries) if isinstance(query, wq.And) else [query]
    texts = {id(q): text for text, q in recorded}
    if len(children) < MIN_PARTS or any(id(child) not in texts for child in children):
        return None
    return [(texts[id(child)], child) for child in children], negative


def _idf(doc_count: int, n: int) -> float:
    return float(np.log(1.0 + (doc_count - n + 0.5) / (n + 0.5)))


def relax(
    gen: Generation, query: wq.Query | None, recorded: Parts, deadline: float
) -> tuple[np.ndarray, np.ndarray, Relaxation, bool] | None:
    """The relaxed matches of ``query`` (its plan's ``recorded`` parts) on ``gen`` (see
    the module for the rule): ``(docs, scores, relaxation, complete)``, docs sorted;
    None when the query is not relaxed (rule 1).  Nothing found is ``docs`` empty."""
    if query is None:
        return None
    conjuncts = _conjuncts(query, recorded)
    if conjuncts is None:
        return None
    parts, negative = conjuncts
    complete = True
    matches = []
    for _, query in parts:
        (docs, scores), done = evaluate(gen, query, deadline, gen.versions)
        matches.append((docs, scores))
        complete = complete and done
    if negative is not None:
        (excluded, _), done = evaluate(gen, negative, deadline, gen.versions)
        complete = complete and done
        kept = [~np.isin(docs, excluded) for docs, _ in matches]
        matches = [(d[k], s[k]) for (d, s), k in zip(matches, kept, strict=True)]
    none = np.empty(0, dtype=np.int64)
    empty = (none, np.empty(0), Relaxation((), (), none, np.empty((0, 0), bool)), complete)
    reports = np.count_nonzero(np.bincount(gen.reports)) if len(gen.reports) else 0
    absent = [i for i, (docs, _) in enumerate(matches) if not len(docs)]
    common = {
        i
        for i, (docs, _) in enumerate(matches)
        if len(docs) and np.count_nonzero(np.bincount(gen.reports[docs])) >= COMMON_SHARE * reports
    }
    meaningful = [i for i in range(len(parts)) if i not in common and i not in absent]
    if len(absent) > MAX_ABSENT or not meaningful:
        return empty
    if any(names_place(parts[i][0]) for i in absent):
        return empty  # a place no report mentions is what the query asks about
    # Each document's count of meaningful parts, on a column of the generation's size
    # (a sort of every matching document would cost more).
    count = np.zeros(gen.doc_count, dtype=np.int16)
    for i in meaningful:
        count[matches[i][0]] += 1
    docs = np.flatnonzero(count >= len(meaningful) // 2 + 1)
    if not len(docs):
        return empty
    held = np.zeros((len(parts), len(docs)), dtype=bool)
    bm25 = np.zeros(len(docs))
    weight = np.zeros(len(docs))
    for i, (part_docs, part_scores) in enumerate(matches):
        if not len(part_docs):
            continue
        at = np.minimum(np.searchsorted(part_docs, docs), len(part_docs) - 1)
        held[i] = part_docs[at] == docs
        bm25[held[i]] += part_scores[at[held[i]]]
        weight[held[i]] += _idf(gen.doc_count, len(part_docs))
    top = float(bm25.max()) or 1.0
    scores = weight + BM25_SHARE * bm25 / top
    texts = tuple(text for text, _ in parts)
    dropped = tuple(text for text, has in zip(texts, held, strict=True) if not has.all())
    return docs, scores, Relaxation(dropped, texts, docs, held), complete
