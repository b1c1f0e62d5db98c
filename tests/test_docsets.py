"""The set operations of indexer.engine.docsets are the numpy calls they replace."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.engine.docsets import distinct, intersect, sort_unique, union_parts

_DOCS = st.sets(st.integers(0, 3000), max_size=400).map(
    lambda s: np.array(sorted(s), dtype=np.int64)
)


@given(_DOCS, _DOCS)
def test_intersect_is_intersect1d(a, b) -> None:
    _, here, there = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    got_here, got_there = intersect(a, b)
    assert got_here.tolist() == here.tolist() and got_there.tolist() == there.tolist()


def test_intersect_of_large_arrays_uses_the_table_and_agrees() -> None:
    rng = np.random.default_rng(5)
    a = np.unique(rng.integers(0, 100_000, 40_000))
    b = np.unique(rng.integers(0, 100_000, 60_000))
    _, here, there = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    got_here, got_there = intersect(a, b)
    assert np.array_equal(got_here, here) and np.array_equal(got_there, there)


@given(st.lists(st.integers(0, 500), max_size=300))
def test_distinct_is_unique_with_inverse(values) -> None:
    array = np.array(values, dtype=np.int64)
    unique, inverse = np.unique(array, return_inverse=True)
    got_unique, got_inverse = distinct(array)
    assert got_unique.tolist() == unique.tolist() and got_inverse.tolist() == inverse.tolist()


@given(st.sets(st.integers(0, 2000), max_size=300), st.randoms())
def test_sort_unique_is_a_stable_argsort(values, random) -> None:
    docs = np.array(random.sample(sorted(values), len(values)), dtype=np.int64)
    scores = np.arange(len(docs), dtype=np.float64) * 0.5
    order = np.argsort(docs, kind="stable")
    got_docs, got_scores = sort_unique(docs, scores)
    assert got_docs.tolist() == docs[order].tolist()
    assert got_scores.tolist() == scores[order].tolist()


_PART = st.dictionaries(st.integers(0, 3000), st.floats(-1e6, 1e6), max_size=200).map(
    lambda d: (np.array(sorted(d), dtype=np.int64), np.array([d[k] for k in sorted(d)]))
)


@given(st.lists(_PART, max_size=6), st.lists(_PART, max_size=6))
def test_union_parts_is_unique_and_bincount_and_leaves_its_tables_clean(parts, later) -> None:
    # Two unions in a row on the same thread's tables: the second sees nothing of the first.
    for each in (parts, later):
        docs = np.concatenate([p[0] for p in each]) if each else np.zeros(0, dtype=np.int64)
        scores = np.concatenate([p[1] for p in each]) if each else np.zeros(0)
        unique, inverse = np.unique(docs, return_inverse=True)
        sums = np.bincount(inverse, weights=scores, minlength=len(unique))
        got_docs, got_sums = union_parts(each)
        assert got_docs.tolist() == unique.tolist() and got_sums.tolist() == sums.tolist()
        assert got_docs.dtype == docs.dtype


def test_a_failed_union_leaves_no_marks_for_the_next() -> None:
    good = (np.array([1, 5], dtype=np.int64), np.array([1.0, 2.0]))
    bad = (np.array([2, 3, 4], dtype=np.int64), np.array([1.0, 2.0]))  # scores do not fit
    with pytest.raises(ValueError):
        union_parts([good, bad])
    got_docs, got_sums = union_parts([(np.array([7], dtype=np.int64), np.array([3.0]))])
    assert got_docs.tolist() == [7] and got_sums.tolist() == [3.0]


def test_intersect_is_not_fooled_by_what_an_earlier_call_left_in_its_table() -> None:
    # The first call writes the places of 10..19; the second's b holds none of them.
    first = np.arange(10, 20, dtype=np.int64)
    assert intersect(first, first)[0].tolist() == list(range(10))
    a = np.array([10, 11, 30], dtype=np.int64)
    b = np.array([30, 40], dtype=np.int64)
    here, there = intersect(a, b)
    assert here.tolist() == [2] and there.tolist() == [0]
