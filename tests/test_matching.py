"""Query evaluation on numpy postings: scores, deadlines, the postings cache (Whoosh as the
oracle of its matches and scores: tests/test_oracle.py)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from whoosh import query as wq

from indexer import schema
from indexer.engine.generation import SearchIndex
from indexer.engine.matching import _shared_words, evaluate
from indexer.languages import Lang
from indexer.query import plan_query

FAR = 1e12  # a deadline that never passes


@pytest.fixture(scope="module")
def generation(search_index: SearchIndex):
    """The session's index of the bundled corpus (read-only here)."""
    return search_index.generation()


def planned(gen, text: str) -> wq.Query:
    plan = plan_query(text, gen.glossary, gen.searcher().reader())
    assert plan.query is not None
    return plan.query


def test_scores_are_bm25_positive_and_follow_the_boost(generation) -> None:
    plain = wq.Term(schema.summary_field(Lang.EN), "iapb")
    boosted = wq.Term(schema.summary_field(Lang.EN), "iapb", boost=2.0)
    (docs, scores), _ = evaluate(generation, plain, FAR)
    (same, doubled), _ = evaluate(generation, boosted, FAR)
    assert len(docs) == 6 and np.all(scores > 0)
    assert same.tolist() == docs.tolist() and np.allclose(doubled, 2 * scores)


def test_a_passed_deadline_gives_a_partial_result_from_the_first_leaf(generation) -> None:
    query = planned(generation, "ICC")
    (docs, _), complete = evaluate(generation, query, time.monotonic() - 1)
    (every, _), _ = evaluate(generation, query, FAR)
    assert not complete
    assert set(docs.tolist()) < set(every.tolist())


def test_a_phrase_whose_words_never_meet_skips_the_positional_check(
    generation, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.engine.matching as matching

    def positional_check(*args, **kwargs):
        raise AssertionError("Whoosh's phrase check was asked")

    monkeypatch.setattr(matching.Postings, "whoosh_docs", positional_check)
    # "torture" (report 9 only) and "Moscow" (reports 5 and 7) share no document.
    phrase = wq.Phrase(schema.summary_field(Lang.EN), ["tortur", "moscow"])
    (docs, scores), complete = evaluate(generation, phrase, FAR)
    assert complete and len(docs) == 0 and len(scores) == 0


def test_the_postings_cache_grows_with_the_generation_within_its_bounds() -> None:
    from indexer.engine.matching import (
        CACHE_BYTES,
        CACHE_MAX_BYTES,
        CACHE_SHARE,
        POSTING_BYTES,
        cache_bytes,
    )

    assert cache_bytes(0) == CACHE_BYTES
    assert cache_bytes(10**12) == CACHE_MAX_BYTES
    words = int(2 * CACHE_BYTES / (POSTING_BYTES * CACHE_SHARE))  # twice the least
    assert cache_bytes(words) == int(words * POSTING_BYTES * CACHE_SHARE) == 2 * CACHE_BYTES
    sizes = [cache_bytes(w) for w in range(0, 10**9, 10**7)]
    assert sizes == sorted(sizes)


def test_a_generation_sizes_its_postings_cache_on_its_first_search(
    search_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.engine.matching as matching
    from indexer.engine.derived import scored_fields

    monkeypatch.setattr(matching, "CACHE_BYTES", 1000)  # the bundled corpus is small
    gen = SearchIndex(search_index.directory).generation()  # opened anew: not searched
    reader = gen.searcher().reader()
    words = sum(reader.field_length(f) for f in scored_fields(gen.ix.schema))
    assert gen.postings.cache.max_bytes == 1000  # not yet sized
    evaluate(gen, wq.Term(schema.summary_field(Lang.EN), "tortur"), FAR)
    expected = int(words * matching.POSTING_BYTES * matching.CACHE_SHARE)
    assert gen.postings.cache.max_bytes == expected > 1000


def test_shared_words_are_those_several_phrases_of_a_field_hold() -> None:
    query = wq.Or(
        [
            wq.Phrase("summary_en", ["human", "right", "offic"]),
            wq.Phrase("summary_en", ["un", "human", "right"]),
            wq.Phrase("title_en", ["un", "human"]),
            wq.Term("summary_en", "offic"),
        ]
    )
    expected = {("summary_en", "human"), ("summary_en", "right")}
    assert _shared_words(query) == expected
    assert _shared_words(wq.Phrase("summary_en", ["the", "the"])) == frozenset()
