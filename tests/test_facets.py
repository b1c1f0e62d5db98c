"""Facet counting on numpy columns: the same counts as sorting the documents would give."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.engine.facets import _topic_counts, _unique_reports, _year_counts


@given(
    reports=st.lists(st.integers(0, 40), max_size=200),
    share=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=200, deadline=None)
def test_one_document_per_report_is_the_first_as_a_sort_finds_it(reports, share, seed) -> None:
    column = np.array(reports, dtype=np.int64)
    gen = SimpleNamespace(
        reports=column,
        versions=SimpleNamespace(report_count=int(column.max()) + 1 if reports else 0),
    )
    rng = np.random.default_rng(seed)
    docs = np.flatnonzero(rng.random(len(reports)) < share).astype(np.int64)
    _, first = np.unique(column[docs], return_index=True)
    assert _unique_reports(gen, docs).tolist() == docs[first].tolist()


@given(st.lists(st.integers(1990, 2030), max_size=300))
def test_year_counts_are_np_unique_s(years) -> None:
    column = np.array(years, dtype=np.int32)
    values, counts = np.unique(column, return_counts=True)
    expected = {int(v): int(c) for v, c in zip(values, counts, strict=True)}
    assert _year_counts(column) == expected
    assert list(_year_counts(column)) == sorted(expected)


@given(st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=1, max_size=60))
def test_topic_counts_are_the_column_sums_of_the_documents_rows(rows) -> None:
    matrix = np.array(rows, dtype=bool)
    subset = np.arange(0, len(rows), 2)
    got = _topic_counts(matrix, subset)
    want = matrix[subset].sum(axis=0)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
