"""Whoosh as the oracle of the engine (indexer.engine): the same matches, scores, phrases.

Serving reads only the derived arrays the build wrote (a generation without them is
refused).  Whoosh stays the index of record, and here its own matching, scoring and
positional phrase check are the specification the engine must meet: on the bundled
corpus with every run, and on a synthetic corpus with the slow tests.

- the per-document columns and field lengths are what Whoosh's columns and length codes
  hold;
- every query (the benchmark's mix, every glossary name, quoted phrases, the proximity
  bonus's runs of words, operators, prefixes, random boolean combinations) matches the
  documents Whoosh matches for the same plan (Whoosh's own combination of leaves, or,
  where it is wrong, the set algebra of its leaf matches);
- a term's BM25 is Whoosh's BM25F given the same average field length;
- the term arrays hold Whoosh's postings and positions, and a phrase found on them (or
  precomputed by the build, a glossary name) is Whoosh's phrase match at every slop.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from bench import synth
from bench.queries import QUERY_MIX
from indexer import schema
from indexer.analysis import analyze
from indexer.build import build_index
from indexer.build.writer import WHOOSH_READS, segment_lengths
from indexer.engine.derived import field_lengths, read_columns, scored_fields
from indexer.engine.generation import Generation, SearchIndex
from indexer.engine.matching import bm25_scores, evaluate
from indexer.languages import ALL_LANGS, Lang
from indexer.query import plan_query
from tests.helpers import CORPUS, PHRASE_QUERIES, phrases_of_the_text

FAR = 1e12  # a deadline that never passes
SYNTH_DOCS = 1200


@pytest.fixture(
    scope="module", params=["bundled", pytest.param("synthetic", marks=pytest.mark.slow)]
)
def gen(request, search_index: SearchIndex, tmp_path_factory) -> Generation:
    """An opened generation: the bundled corpus's (the session's), or a synthetic one."""
    if request.param == "bundled":
        return search_index.generation()
    root = tmp_path_factory.mktemp("oracle")
    synth.generate(SYNTH_DOCS, root / "corpus", seed=3, source=CORPUS)
    build_index(root / "corpus", root / "index")
    return SearchIndex(root / "index", cache_size=0).generation()


@pytest.fixture(scope="module")
def bundled(search_index: SearchIndex) -> Generation:
    return search_index.generation()


def whoosh_docs(gen: Generation, query: wq.Query) -> list[int]:
    return sorted(set(gen.searcher().docs_for_query(query)))


def oracle(gen: Generation, query: wq.Query) -> set[int]:
    """Leaves matched by Whoosh, combined by plain set algebra.

    (Not Whoosh's own combination: it gets ``AndNot(Not(a), b)`` wrong, keeping
    documents that match ``b``.)
    """
    if isinstance(query, wq.Or):
        return set().union(*(oracle(gen, q) for q in query.subqueries))
    if isinstance(query, wq.And):
        return set.intersection(*(oracle(gen, q) for q in query.subqueries))
    if isinstance(query, wq.AndNot):
        return oracle(gen, query.a) - oracle(gen, query.b)
    if isinstance(query, wq.AndMaybe):
        return oracle(gen, query.a)
    if isinstance(query, wq.Not):
        return set(range(gen.doc_count)) - oracle(gen, query.query)
    return set(whoosh_docs(gen, query))


def planned(gen: Generation, text: str, expand: bool = True) -> wq.Query | None:
    return plan_query(text, gen.glossary if expand else None, gen.searcher().reader()).query


def assert_matches_whoosh(gen: Generation, text: str, expand: bool = True) -> None:
    query = planned(gen, text, expand)
    if query is None:
        return
    (docs, scores), complete = evaluate(gen, query, FAR)
    assert complete, text
    assert docs.tolist() == sorted(oracle(gen, query)), (text, expand)
    assert len(scores) == len(docs) and np.all(np.isfinite(scores)), text


# -- columns and lengths ------------------------------------------------------------------


def test_the_columns_are_whoosh_s_columns(gen: Generation) -> None:
    with gen.ix.reader() as reader:
        expected = read_columns(reader, gen.topic_ids)
    assert gen.doc_count == len(expected["years"]) > 0
    mapped = {
        "years": gen.years,
        "days": gen.days,
        "reports": gen.reports,
        "langs": gen.langs,
        "topics": gen.topic_matrix,
        "report_order": gen.versions.order,
        "date_order": gen.date_order,
        "date_rank": gen.date_rank,
    }
    for name, array in mapped.items():
        assert np.array_equal(array, expected[name]), name
    assert gen.year_values == sorted({int(y) for y in expected["years"]}, reverse=True)


def test_the_field_lengths_are_whoosh_s_length_codes(gen: Generation) -> None:
    searcher = gen.searcher()
    for field in scored_fields(searcher.schema):
        lengths, mean = gen.postings.lengths(field)
        whoosh_lengths, whoosh_mean = field_lengths(searcher, field, WHOOSH_READS)
        assert lengths.tolist() == whoosh_lengths.tolist(), field
        assert mean == whoosh_mean, field


@pytest.mark.parametrize(
    "field", [schema.summary_field(Lang.BE), schema.title_field(Lang.EN), "key_ru"]
)
def test_field_lengths_read_whole_equal_whoosh_s_per_document_lengths(bundled, field) -> None:
    for leaf, _ in bundled.searcher().leaf_searchers():
        reader = leaf.reader()
        expected = [
            reader.doc_field_length(d, field, 0) or 0 for d in range(reader.doc_count_all())
        ]
        assert segment_lengths(reader, field).tolist() == expected
        assert any(expected)


# -- matching -----------------------------------------------------------------------------

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
    "NOT torture AND -evidence",
    "September 2024",
    "torture верасня 2024",
]


def _names(gen: Generation) -> list[str]:
    return sorted({name for concept in gen.concepts for _, name in concept.all_names()})


def test_queries_match_exactly_what_whoosh_matches(gen: Generation) -> None:
    texts = QUERIES + [params["q"][0] for _, params in QUERY_MIX if params.get("q")]
    for text in texts:
        for expand in (True, False):
            assert_matches_whoosh(gen, text, expand)


def test_every_glossary_name_matches_what_whoosh_matches(gen: Generation) -> None:
    names = _names(gen)
    assert len(names) > 50
    # Every name on the bundled corpus; on the larger synthetic one (Whoosh's own matching
    # of a name's phrases is the slow part) every third.
    step = 1 if gen.doc_count < 100 else 3
    for name in names[::step]:
        assert_matches_whoosh(gen, name)
    for name in names[::5]:
        assert_matches_whoosh(gen, f'"{name}"')


def test_phrases_and_runs_of_words_match_what_whoosh_matches(gen: Generation) -> None:
    for text in PHRASE_QUERIES + phrases_of_the_text(gen, 60):
        for expand in (True, False):
            assert_matches_whoosh(gen, text, expand)


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
def test_random_boolean_queries_match_the_set_algebra_of_their_leaves(bundled, parts) -> None:
    text = " ".join(
        f"{op} {'-' if minus else ''}{word}".strip() for op, word, minus in parts
    ).strip()
    assert_matches_whoosh(bundled, text)


def test_a_negated_left_side_excludes_the_right_side(bundled) -> None:
    # "NOT torture AND -evidence": neither word; Whoosh's matcher keeps "evidence" documents.
    query = planned(bundled, "NOT torture AND -evidence")
    (docs, _), _ = evaluate(bundled, query, FAR)
    assert docs.tolist() == sorted(oracle(bundled, query))
    evidence = set(whoosh_docs(bundled, planned(bundled, "evidence")))
    assert evidence and not evidence & set(docs.tolist())


def test_a_passed_deadline_still_matches_a_subset_of_whoosh_s(bundled) -> None:
    query = planned(bundled, "ICC")
    (docs, _), complete = evaluate(bundled, query, time.monotonic() - 1)
    assert not complete
    assert set(docs.tolist()) < oracle(bundled, query)


# -- scoring ------------------------------------------------------------------------------

BM25_TERMS = [  # (field, word as typed): English, Belarusian and Russian summaries, a title
    (schema.summary_field(Lang.EN), "torture"),
    (schema.summary_field(Lang.EN), "evidence"),
    (schema.summary_field(Lang.BE), "катаванні"),
    (schema.summary_field(Lang.BE), "доказы"),
    (schema.summary_field(Lang.RU), "доказательства"),
    (schema.title_field(Lang.EN), "Progress"),
]


def _analysed(gen: Generation, field: str, word: str) -> str:
    (term,) = gen.searcher().schema[field].process_text(word, mode="query")
    return term


def _term_scores(gen: Generation, field: str, text: str, mean: float) -> dict[int, float]:
    """The engine's BM25 of one term with the given average field length, by docnum."""
    searcher = gen.searcher()
    docs, tf = gen.postings.term(field, text, searcher)
    lengths, _ = gen.postings.lengths(field)
    scores = bm25_scores(searcher, field, text, tf, lengths[docs], mean)
    return dict(zip(docs.tolist(), scores.tolist(), strict=True))


@pytest.mark.parametrize(("field", "word"), BM25_TERMS)
def test_bm25_equals_whoosh_s_bm25f_given_whoosh_s_average_length(bundled, field, word):
    searcher = bundled.searcher()
    text = _analysed(bundled, field, word)
    assert searcher.doc_frequency(field, text) > 0, "the term is in the bundled corpus"
    whoosh = {hit.docnum: hit.score for hit in searcher.search(wq.Term(field, text), limit=None)}
    ours = _term_scores(bundled, field, text, searcher.avg_field_length(field))
    assert ours.keys() == whoosh.keys()
    for docnum, score in whoosh.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9)


@pytest.mark.parametrize(("field", "word"), BM25_TERMS)
def test_a_term_is_scored_with_the_average_over_documents_that_have_the_field(
    bundled, field, word
) -> None:
    """The one deliberate difference from Whoosh: its average counts every document."""
    searcher = bundled.searcher()
    text = _analysed(bundled, field, word)
    per_doc = [searcher.doc_field_length(d, field, 0) for d in range(searcher.doc_count_all())]
    filled = [length for length in per_doc if length]
    assert len(filled) < len(per_doc), "other languages' documents lack the field"
    mean = sum(filled) / len(filled)
    expected = _term_scores(bundled, field, text, mean)
    (docs, scores), complete = evaluate(bundled, wq.Term(field, text), FAR)
    assert complete and dict(zip(docs.tolist(), scores.tolist(), strict=True)) == pytest.approx(
        expected, rel=1e-9
    )
    assert searcher.avg_field_length(field) < mean  # so Whoosh's own scores would differ


def test_the_idf_from_a_term_s_postings_is_whoosh_s(bundled) -> None:
    """Given a term's postings, its idf is Whoosh's formula on their number: the same
    scores as asking Whoosh's term dictionary, for every term of the scored fields."""
    searcher = bundled.searcher()
    checked = 0
    for field in scored_fields(searcher.schema):
        lengths, mean = bundled.postings.lengths(field)
        for raw in searcher.reader().lexicon(field):
            text = raw.decode("utf-8")
            docs, tf = bundled.postings.term(field, text, searcher)
            asked = bm25_scores(searcher, field, text, tf, lengths[docs], mean)
            given = bm25_scores(searcher, field, text, tf, lengths[docs], mean, len(docs))
            assert given.tolist() == asked.tolist(), (field, text)
            checked += 1
    assert checked > 1000


# -- term arrays and phrases --------------------------------------------------------------


def _whoosh_postings(gen: Generation, field: str, text: str, positional: bool):
    """(docs, weights, position keys) of a term through Whoosh's public matcher."""
    docs: list[int] = []
    weights: list[float] = []
    keys: list[int] = []
    for leaf, offset in gen.searcher().leaf_searchers():
        reader = leaf.reader()
        if (field, text) not in reader:
            continue
        matcher = reader.postings(field, text)
        while matcher.is_active():
            docs.append(matcher.id() + offset)
            weights.append(matcher.weight())
            if positional:
                keys += [((matcher.id() + offset) << 32) | p for p in matcher.value_as("positions")]
            matcher.next()
    return docs, weights, sorted(keys)


def test_the_term_arrays_are_whoosh_s_postings_and_positions(gen: Generation) -> None:
    arrays = gen.derived.postings
    searcher = gen.searcher()
    fields = scored_fields(searcher.schema)
    assert arrays.fields == set(fields)
    checked = 0
    for field in fields:
        positional = searcher.schema[field].format.supports("positions")
        for raw in searcher.reader().lexicon(field):
            word = raw.decode("utf-8")
            check_positions = positional and checked % 7 == 0
            docs, weights, keys = _whoosh_postings(gen, field, word, check_positions)
            got_docs, got_weights = arrays.term(field, word)
            assert got_docs.tolist() == docs, (field, word)
            assert got_weights.tolist() == weights, (field, word)
            if check_positions:
                assert arrays.positions(field, word).tolist() == keys, (field, word)
            checked += 1
    assert checked > 1000
    assert arrays.term("summary_en", "no-such-word")[0].tolist() == []


def test_every_precomputed_phrase_is_whoosh_s_phrase_match(gen: Generation) -> None:
    keys = list(gen.derived._phrases)
    assert len(keys) > 100
    found = 0
    for field, words in keys:
        expected = whoosh_docs(gen, wq.Phrase(field, list(words), slop=1))
        assert gen.derived.phrase(field, words).tolist() == expected, (field, words)
        found += bool(expected)
    assert found > 10


def test_phrases_of_the_term_arrays_are_whoosh_s_at_every_slop(gen: Generation) -> None:
    searcher = gen.searcher()
    everything = np.arange(gen.doc_count, dtype=np.int64)
    tried = matched_only_sloppy = 0
    # Three runs of words from each of at most 24 summaries (Whoosh's positional check at
    # slop 2 and 3 is slow: on the synthetic corpus every run of words took minutes).
    step = max(1, gen.doc_count // 24)
    for doc in range(0, gen.doc_count, step):
        lang = Lang(ALL_LANGS[gen.langs[doc]])
        field = schema.summary_field(lang)
        tokens = analyze(searcher.stored_fields(doc).get(field) or "", lang)
        for i in range(0, max(0, len(tokens) - 6), 9)[:3]:
            for words in (
                tokens[i : i + 2],
                [tokens[i], tokens[i + 2]],
                [tokens[i], tokens[i + 3]],
                [tokens[i], tokens[i + 4]],
                [tokens[i], tokens[i + 1], tokens[i + 3]],
                [tokens[i + 3], tokens[i]],
                [tokens[i], tokens[i]],
            ):
                found = {}
                for slop in (1, 2, 3):
                    expected = whoosh_docs(gen, wq.Phrase(field, words, slop=slop))
                    got = gen.derived.postings.phrase(field, words, slop, everything)
                    assert got.tolist() == expected, (field, words, slop)
                    found[slop] = expected
                    tried += 1
                matched_only_sloppy += found[3] != found[1]
    assert tried > 300 and matched_only_sloppy > 10


def test_the_engine_never_asks_whoosh_to_check_a_phrase(
    gen: Generation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's per-document positional check is the oracle only: serving never runs it."""
    from indexer.engine.matching import Postings

    def refuse(self, query, searcher):
        if isinstance(query, wq.Phrase):
            raise AssertionError(f"Whoosh's positional check was asked for {query!r}")
        return original(self, query, searcher)

    original = Postings.whoosh_docs
    monkeypatch.setattr(Postings, "whoosh_docs", refuse)
    for text in PHRASE_QUERIES + _names(gen)[::3]:
        query = planned(gen, text if text.startswith('"') else f'"{text}"')
        if query is not None:
            evaluate(gen, query, FAR)
