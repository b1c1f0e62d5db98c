"""Query evaluation on numpy postings agrees with Whoosh's own matching and ranks sanely."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def whoosh_docs(gen, query: wq.Query) -> list[int]:
    return sorted(set(gen.searcher().docs_for_query(query)))


def planned(gen, text: str) -> wq.Query:
    plan = plan_query(text, gen.glossary, gen.searcher().reader())
    assert plan.query is not None
    return plan.query


QUERIES = [
    "ICC",
    "torture",
    "пытки",
    "катаванні",
    "Lukashenka",
    '"Moscow Mechanism"',
    '"crimes against humanity"',
    "evidence -torture",
    "evidence NOT torture",
    "torture OR elections",
    "evidence AND survivors",
    "surviv*",
    "пыт*",
    "(ICC OR OSCE) -Lukashenko",
    "nothingatall",
]


@pytest.mark.parametrize("text", QUERIES)
def test_evaluation_matches_exactly_what_whoosh_matches(generation, text: str) -> None:
    query = planned(generation, text)
    (docs, scores), complete = evaluate(generation, query, FAR)
    assert complete
    assert docs.tolist() == whoosh_docs(generation, query)
    assert len(scores) == len(docs)
    assert np.all(np.isfinite(scores))


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


_WORDS = ["torture", "evidence", "court", "survivors", "пытки", "доказательства", "IAPB"]
_OPS = ["AND", "OR", "NOT", ""]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_OPS), st.sampled_from(_WORDS), st.booleans()),
        min_size=1,
        max_size=4,
    )
)
def test_random_boolean_queries_match_the_set_algebra_of_their_leaves(generation, parts) -> None:
    text = " ".join(
        f"{op} {'-' if minus else ''}{word}".strip() for op, word, minus in parts
    ).strip()
    plan = plan_query(text, generation.glossary, generation.searcher().reader())
    if plan.query is None:
        return
    (docs, _), complete = evaluate(generation, plan.query, FAR)
    assert complete
    assert docs.tolist() == sorted(oracle(generation, plan.query))


def oracle(gen, query: wq.Query) -> set[int]:
    """Leaves matched by Whoosh, combined by plain set algebra.

    (Not Whoosh's own combination: it gets ``AndNot(Not(a), b)`` wrong, keeping
    documents that match ``b``.)
    """
    every = set(range(gen.doc_count))
    if isinstance(query, wq.Or):
        return set().union(*(oracle(gen, q) for q in query.subqueries))
    if isinstance(query, wq.And):
        return set.intersection(*(oracle(gen, q) for q in query.subqueries))
    if isinstance(query, wq.AndNot):
        return oracle(gen, query.a) - oracle(gen, query.b)
    if isinstance(query, wq.AndMaybe):
        return oracle(gen, query.a)
    if isinstance(query, wq.Not):
        return every - oracle(gen, query.query)
    return set(whoosh_docs(gen, query))


def test_a_negated_left_side_excludes_the_right_side(generation) -> None:
    # "NOT torture AND -evidence": neither word; Whoosh's matcher keeps "evidence" documents.
    query = planned(generation, "NOT torture AND -evidence")
    (docs, _), _ = evaluate(generation, query, FAR)
    assert docs.tolist() == sorted(oracle(generation, query))
    evidence = set(whoosh_docs(generation, planned(generation, "evidence")))
    assert evidence and not evidence & set(docs.tolist())


@pytest.mark.parametrize(
    "field", [schema.summary_field(Lang.BE), schema.title_field(Lang.EN), "key_ru"]
)
def test_field_lengths_read_whole_equal_whoosh_s_per_document_lengths(generation, field) -> None:
    from indexer.engine.derived import _segment_lengths

    for leaf, _ in generation.searcher().leaf_searchers():
        reader = leaf.reader()
        expected = [
            reader.doc_field_length(d, field, 0) or 0 for d in range(reader.doc_count_all())
        ]
        assert _segment_lengths(reader, field).tolist() == expected
        assert any(expected)


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


BM25_TERMS = [  # (field, word as typed): English, Belarusian and Russian summaries, a title
    (schema.summary_field(Lang.EN), "torture"),
    (schema.summary_field(Lang.EN), "evidence"),
    (schema.summary_field(Lang.BE), "катаванні"),
    (schema.summary_field(Lang.BE), "доказы"),
    (schema.summary_field(Lang.RU), "доказательства"),
    (schema.title_field(Lang.EN), "Progress"),
]


def _analysed(gen, field: str, word: str) -> str:
    (term,) = gen.searcher().schema[field].process_text(word, mode="query")
    return term


def _term_scores(gen, field: str, text: str, mean: float) -> dict[int, float]:
    """Our numpy BM25 of one term with the given average field length, by docnum."""
    from indexer.engine.matching import bm25_scores

    searcher = gen.searcher()
    docs, tf = gen.postings.term(field, text, searcher)
    lengths, _ = gen.postings.lengths(field, searcher)
    scores = bm25_scores(searcher, field, text, tf, lengths[docs], mean)
    return dict(zip(docs.tolist(), scores.tolist(), strict=True))


@pytest.mark.parametrize(("field", "word"), BM25_TERMS)
def test_bm25_equals_whoosh_s_bm25f_given_whoosh_s_average_length(generation, field, word):
    searcher = generation.searcher()
    text = _analysed(generation, field, word)
    assert searcher.doc_frequency(field, text) > 0, "the term is in the bundled corpus"
    whoosh = {hit.docnum: hit.score for hit in searcher.search(wq.Term(field, text), limit=None)}
    ours = _term_scores(generation, field, text, searcher.avg_field_length(field))
    assert ours.keys() == whoosh.keys()
    for docnum, score in whoosh.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9)


@pytest.mark.parametrize(("field", "word"), BM25_TERMS)
def test_a_term_is_scored_with_the_average_over_documents_that_have_the_field(
    generation, field, word
) -> None:
    """The one deliberate difference from Whoosh: its average counts every document."""
    searcher = generation.searcher()
    text = _analysed(generation, field, word)
    per_doc = [searcher.doc_field_length(d, field, 0) for d in range(searcher.doc_count_all())]
    filled = [length for length in per_doc if length]
    assert len(filled) < len(per_doc), "other languages' documents lack the field"
    mean = sum(filled) / len(filled)
    expected = _term_scores(generation, field, text, mean)
    (docs, scores), complete = evaluate(generation, wq.Term(field, text), FAR)
    assert complete and dict(zip(docs.tolist(), scores.tolist(), strict=True)) == pytest.approx(
        expected, rel=1e-9
    )
    whoosh_mean = searcher.avg_field_length(field)
    assert whoosh_mean < mean  # so Whoosh's own scores would differ


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


def test_the_idf_from_a_term_s_postings_is_whoosh_s(generation):
    """Given a term's postings, its idf is Whoosh's formula on their number: the same
    scores as asking Whoosh's term dictionary, for every term of the scored fields."""
    from indexer.engine.derived import scored_fields
    from indexer.engine.matching import bm25_scores

    searcher = generation.searcher()
    checked = 0
    for field in scored_fields(searcher.schema):
        lengths, mean = generation.postings.lengths(field, searcher)
        for raw in searcher.reader().lexicon(field):
            text = raw.decode("utf-8")
            docs, tf = generation.postings.term(field, text, searcher)
            asked = bm25_scores(searcher, field, text, tf, lengths[docs], mean)
            given = bm25_scores(searcher, field, text, tf, lengths[docs], mean, len(docs))
            assert given.tolist() == asked.tolist(), (field, text)
            checked += 1
    assert checked > 1000


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
