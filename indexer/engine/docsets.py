"""Set operations on sorted arrays of document numbers, without sorting them again.

numpy's ``intersect1d`` and ``unique`` sort their input whole (``unique`` also imports
``numpy.ma`` on its first call in a process: 25 ms of a first search).  Document numbers
are small non-negative integers, and the arrays here are sorted and unique already, so a
binary search of the shorter array in the longer, or a table indexed by document number,
gives the same answers in a fraction of the time.  Each function says which numpy call
it equals; ``tests/test_docsets.py`` checks that they do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

# numpy imports numpy.ma on the first np.unique or np.isin of a process (25 ms); other
# modules still call those, so it is imported here, with the modules, not on a search.
import numpy.ma  # noqa: F401, E402

_EMPTY = np.zeros(0, dtype=np.intp)
# When the longer array has fewer than this many documents per document of the shorter,
# a table indexed by document number (written for each of the longer, read for each of
# the shorter) is faster than a binary search of the longer for each of the shorter
# (measured: 2,500 documents in 30,000, 43 us against 93 us).
_TABLE_WHEN = 24


class _Tables(threading.local):
    """This thread's tables indexed by document number, kept between calls.

    A table of 100,000 documents is new memory each time it is allocated, and the
    kernel maps each of its pages on first write: in a fresh process that cost more than
    the set operation (a first search made six unions, 0.5 ms each).  Reused, the
    pages are mapped once.  ``marks`` is all False between calls; ``where`` holds
    anything.
    """

    marks = np.zeros(0, dtype=bool)
    where = np.zeros(0, dtype=np.intp)


_TABLES = _Tables()


@contextmanager
def _tables(size: int) -> Iterator[_Tables]:
    """This thread's tables, at least ``size`` long; dropped if the caller fails, since
    they might then not be clean."""
    tables = _TABLES
    if len(tables.marks) < size:
        tables.marks = np.zeros(size, dtype=bool)
        tables.where = np.empty(size, dtype=np.intp)
    try:
        yield tables
    except BaseException:
        del tables.marks, tables.where
        raise


def intersect(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values common to the sorted unique non-negative arrays ``a`` and ``b``
    stand in each: ``np.intersect1d(a, b, assume_unique=True, return_indices=True)[1:]``."""
    if len(a) > len(b):
        there, here = intersect(b, a)
        return here, there
    if not len(a):
        return _EMPTY, _EMPTY
    if len(b) < len(a) * _TABLE_WHEN:
        # Each of b's documents writes its place in a table, each of a's reads one there:
        # a place left by another call, or never written, is garbage (clipped to b) and
        # tells itself apart, since b does not hold that document there.
        with _tables(int(max(a[-1], b[-1])) + 1) as tables:
            where = tables.where
            where[b] = np.arange(len(b), dtype=np.intp)
            at = where[a]
        found = np.flatnonzero(b.take(at, mode="clip") == a)
        return found, at[found]
    at = np.searchsorted(b, a)
    found = b[np.minimum(at, len(b) - 1)] == a
    return np.flatnonzero(found), at[found]


def distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for non-negative integers: the sorted
    distinct values, and where each of ``values`` stands among them."""
    if not len(values):
        return values[:0], _EMPTY
    member = np.zeros(int(values.max()) + 1, dtype=bool)
    member[values] = True
    unique = np.flatnonzero(member)
    # Each distinct value's rank, written at the value (a running count of the table,
    # np.cumsum of a bool array, costs several times more).
    rank = np.empty(len(member), dtype=np.intp)
    rank[unique] = np.arange(len(unique), dtype=np.intp)
    return unique.astype(values.dtype, copy=False), rank[values]


def union_parts(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct documents of ``parts`` (sorted) and the sum of each one's scores,
    each part's documents sorted and unique: with ``docs`` and ``scores`` the parts'
    concatenated, ``unique, inverse = np.unique(docs, return_inverse=True)`` then
    ``np.bincount(inverse, weights=scores)``, summed in the same order (part after part,
    from 0.0); the documents are found on this thread's reused tables (no table of sums
    by document number: fewer new pages)."""
    size = max((int(docs[-1]) + 1 for docs, _ in parts if len(docs)), default=0)
    if not size:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    with _tables(size) as tables:
        marks, where = tables.marks, tables.where
        for docs, _ in parts:
            marks[docs] = True
        unique = np.flatnonzero(marks[:size])
        marks[unique] = False
        where[unique] = np.arange(len(unique), dtype=np.intp)
        out = np.zeros(len(unique))
        for docs, scores in parts:
            out[where[docs]] += scores  # a part's documents are unique: each is added once
    return unique.astype(np.result_type(*(docs for docs, _ in parts)), copy=False), out


def sort_unique(docs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``docs`` (distinct non-negative integers) sorted, with their ``scores`` moved
    along: ``order = np.argsort(docs, kind="stable")`` then ``docs[order], scores[order]``."""
    if not len(docs):
        return docs, scores
    member = np.zeros(int(docs.max()) + 1, dtype=bool)
    member[docs] = True
    table = np.zeros(len(member), dtype=scores.dtype)
    table[docs] = scores
    ordered = np.flatnonzero(member).astype(docs.dtype, copy=False)
    return ordered, table[ordered]
