"""Cost limits on a large synthetic corpus (issue 6): expensive queries answer, flagged.

No timed assertions: each search must return (no exception, no hang) and say with
``partial`` when a limit cut it.  The corpus is generated from the bundled one by
:mod:`indexer.synth` and indexed once for the module.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from indexer import query, synth
from indexer.build import build_index
from indexer.corpus import load_corpus
from indexer.index import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.query import MAX_PREFIX_TERMS, plan_query
from indexer.records import MAX_QUERY_LENGTH, SearchRequest
from indexer.search import search

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" if (ROOT / "corpus" / "reports").is_dir() else ROOT / "tests/fixtures/mini"
DOCUMENTS = 15_000  # IAPB alone matches more than search.MATCH_CHUNK documents


@pytest.fixture(scope="module")
def large_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("limits")
    synth.generate(DOCUMENTS, root / "corpus", seed=6, source=SOURCE)
    build_index(root / "corpus", root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def index(large_index: Path) -> SearchIndex:
    return SearchIndex(large_index, cache_size=0)


def _request(q: str, **params: str) -> SearchRequest:
    values = {"q": [q], **{k: [v] for k, v in params.items()}}
    return SearchRequest.from_params(lambda name: values.get(name, []))


def _terms_per_field(plan: query.QueryPlan) -> Counter:
    return Counter(name for name, _ in plan.query.iter_all_terms())


def _common_words(lang: Lang) -> list[str]:
    return [str(w) for w in synth.language_model(load_corpus(SOURCE), lang).words]


def test_the_corpus_is_large(index: SearchIndex) -> None:
    assert index.health()["documents"] >= DOCUMENTS


def test_a_lone_letter_prefix_answers(index: SearchIndex) -> None:
    result = search(index, _request("a*"))
    assert result.total > 0
    assert result.fallback or result.partial


@pytest.mark.parametrize("prefix", ["co*", "пр*", "па*", "in*"])
def test_a_prefix_stands_for_at_most_the_limit_of_terms(index: SearchIndex, prefix: str) -> None:
    gen = index.generation()
    plan = plan_query(prefix, None, gen.searcher().reader())
    per_field = _terms_per_field(plan)
    assert per_field and max(per_field.values()) <= MAX_PREFIX_TERMS
    result = search(index, _request(prefix))
    assert result.partial == plan.truncated


def test_a_prefix_cut_by_the_limit_is_partial(large_index: Path, monkeypatch) -> None:
    monkeypatch.setattr(query, "MAX_PREFIX_TERMS", 3)
    # A freshly opened index: plans parsed under the real limit are cached per generation.
    index = SearchIndex(large_index)
    gen = index.generation()
    plan = plan_query("co*", None, gen.searcher().reader())
    assert plan.truncated
    assert max(_terms_per_field(plan).values()) <= 3
    result = search(index, _request("co*"))
    assert result.partial and result.total > 0


def test_a_query_of_a_hundred_common_words_is_cut_and_flagged(index: SearchIndex) -> None:
    short = [w for w in _common_words(Lang.EN) if len(w) <= 4]
    words = (short * 100)[:100]
    text = " ".join(words)[:MAX_QUERY_LENGTH]
    assert len(text.split()) >= 90
    result = search(index, _request(text))
    assert result.partial
    assert result.as_dict()["partial"] is True


def test_a_query_of_many_glossary_names_is_cut_and_flagged(index: SearchIndex) -> None:
    names = [n for c in load_corpus(SOURCE).glossary for lang in ALL_LANGS for n in c.names[lang]]
    text = ""
    for name in names:
        if len(text) + len(name) + 1 > MAX_QUERY_LENGTH:
            continue
        text = f"{text} {name}".strip()
    assert len(text) > MAX_QUERY_LENGTH - 40
    result = search(index, _request(text))
    assert result.partial
    assert result.expanded


@pytest.mark.parametrize("params", [{}, {"collapse": "report"}, {"sort": "date"}])
def test_a_search_over_its_time_limit_returns_partial_results(
    large_index: Path, params: dict[str, str]
) -> None:
    hurried = SearchIndex(large_index, cache_size=0, time_limit=0.001)
    result = search(hurried, _request("IAPB", **params))
    assert result.partial
    assert result.as_dict()["partial"] is True
    assert result.total > 0
