"""What the build derives for serving (indexer.derived) changes no result, and is used.

Each index is searched twice: as built, and as a copy stripped of its derived structures
(what a build before them wrote), which serving reads from Whoosh as it always did.
Hits, scores, snippets, facets and expansions must be identical.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from bench import synth
from bench.fresh import strip_derived
from bench.queries import QUERY_MIX, request
from indexer.build import build_index
from indexer.index import SearchIndex
from indexer.matching import Postings
from indexer.records import SearchRequest
from indexer.search import search
from tests.helpers import CORPUS

SYNTH_DOCS = 2000


# The synthetic corpus (about a minute here, mostly Whoosh's positional checks on the old
# path) runs with the slow tests; the bundled corpus with every run.
@pytest.fixture(
    scope="module", params=["bundled", pytest.param("synthetic", marks=pytest.mark.slow)]
)
def pair(request, tmp_path_factory) -> tuple[SearchIndex, SearchIndex, Path]:
    """(index as built, the same stripped of its derived structures, its corpus)."""
    root = tmp_path_factory.mktemp(request.param)
    corpus = CORPUS
    if request.param == "synthetic":
        corpus = root / "corpus"
        synth.generate(SYNTH_DOCS, corpus, seed=3, source=CORPUS)
    built = root / "built"
    build_index(corpus, built)
    old = root / "old"
    shutil.copytree(built, old, symlinks=True)
    strip_derived(old)
    return SearchIndex(built, cache_size=0), SearchIndex(old, cache_size=0), corpus


def _answer(index: SearchIndex, req: SearchRequest) -> dict:
    result = search(index, req)
    return {
        "total": result.total,
        "hits": result.hits,
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "facets": result.facets,
        "expanded": result.expanded,
        "partial": result.partial,
        "timeline": result.timeline,
    }


def _names(index: SearchIndex) -> list[str]:
    concepts = index.generation().concepts
    return sorted({name for concept in concepts for _, name in concept.all_names()})


def test_the_old_build_is_served_from_whoosh_the_new_from_its_arrays(pair) -> None:
    built, old, _ = pair
    new_gen, old_gen = built.generation(), old.generation()
    assert old_gen.derived is None and new_gen.derived is not None
    # Memory-mapped, read-only: pages shared between worker processes, never copied.
    for column in (new_gen.years, new_gen.topic_matrix, new_gen.versions.order):
        assert isinstance(column.base, np.memmap) and not column.flags.writeable
    for name in ("years", "days", "reports", "langs", "topic_matrix", "year_values"):
        assert np.array_equal(getattr(new_gen, name), getattr(old_gen, name)), name
    assert np.array_equal(new_gen.versions.order, old_gen.versions.order)
    assert new_gen.doc_count == old_gen.doc_count


def test_every_precomputed_phrase_is_whoosh_s_phrase_match(pair) -> None:
    built, _, _ = pair
    gen = built.generation()
    searcher = gen.searcher()
    keys = list(gen.derived._phrases)
    assert len(keys) > 100
    found = 0
    for field, words in keys:
        expected = sorted(set(searcher.docs_for_query(wq.Phrase(field, list(words), slop=1))))
        assert gen.derived.phrase(field, words).tolist() == expected, (field, words)
        found += bool(expected)
    assert found > 10


def test_every_glossary_name_and_the_query_mix_find_the_same_with_and_without(pair) -> None:
    built, old, _ = pair
    requests = [request(params) for _, params in QUERY_MIX]
    names = _names(built)
    requests += [SearchRequest(q=name) for name in names]
    requests += [SearchRequest(q=f'"{name}"', per_page=50) for name in names[::7]]
    requests.append(SearchRequest(q="ICC", timeline=True))
    for req in requests:
        assert _answer(built, req) == _answer(old, req), req.q


def test_glossary_names_are_never_checked_by_whoosh_positions(pair, monkeypatch) -> None:
    built, _, _ = pair
    built.generation()

    def refuse(self, query, searcher):
        raise AssertionError(f"Whoosh's positional check was asked for {query!r}")

    monkeypatch.setattr(Postings, "whoosh_docs", refuse)
    for q in ("ICC", "OSCE", "OHCHR", "МУС", "Viasna", "International Criminal Court"):
        result = search(built, SearchRequest(q=q if " " not in q else f'"{q}"'))
        assert any(" " in name for name in result.expanded), q


def test_the_glossary_matcher_comes_from_the_build_s_tables(pair, monkeypatch) -> None:
    built, old, _ = pair
    expected = old.generation().glossary  # analysed name by name, as before
    gen = built.generation()
    gen._glossary = None

    def refuse(lang, text):
        raise AssertionError("a glossary name analysed again when serving")

    monkeypatch.setattr("indexer.glossary._key", refuse)
    glossary = gen.glossary
    assert glossary.max_words == expected.max_words
    assert glossary._homonyms == expected._homonyms
    assert {k: c.id for k, c in glossary._by_key.items()} == {
        k: c.id for k, c in expected._by_key.items()
    }
