"""What the build derives for serving (indexer.engine.derived) is required, and used.

Serving reads every structure from the derived arrays, read into memory; a generation without
them, or derived by an older version, is refused ("rebuild the index", a 503 on the
server).  That they hold what Whoosh holds, and match what Whoosh matches, is
``tests/test_oracle.py``'s; here: they are used (Whoosh's positional check and the
glossary's and snippets' analysis are never asked for), and the date order is the sort
it replaces.
"""

from __future__ import annotations

import json
import mmap
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import synth
from bench.fresh import strip_derived
from bench.queries import QUERY_MIX, request
from indexer import schema, snippets
from indexer.analysis import _WORD_RE, normalise_word, spans
from indexer.build import build_index
from indexer.build.writer import term_postings
from indexer.cli import main
from indexer.engine import facade, ordering, termpostings, wordtable
from indexer.engine.derived import VERSION, date_ranking, scored_fields
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import META, current_generation
from indexer.engine.matching import Postings
from indexer.engine.ranking import Versions
from indexer.engine.wordtable import WordTable
from indexer.errors import IndexUnavailable, QueryError
from indexer.glossary import Glossary
from indexer.languages import ALL_LANGS, Lang
from indexer.records import Collapse, SearchRequest, SortOrder
from indexer.search import search
from tests.helpers import CORPUS, PHRASE_QUERIES, phrases_of_the_text
from webapp import create_app

SYNTH_DOCS = 1200


# The synthetic corpus runs with the slow tests; the bundled corpus with every run.
@pytest.fixture(
    scope="module", params=["bundled", pytest.param("synthetic", marks=pytest.mark.slow)]
)
def built(request, tmp_path_factory) -> SearchIndex:
    """An index as built (uncached searches)."""
    root = tmp_path_factory.mktemp(request.param)
    corpus = CORPUS
    if request.param == "synthetic":
        corpus = root / "corpus"
        synth.generate(SYNTH_DOCS, corpus, seed=3, source=CORPUS)
    build_index(corpus, root / "built")
    return SearchIndex(root / "built", cache_size=0)


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


def _maps_a_file(array: np.ndarray) -> bool:
    """Whether ``array`` is a view of a memory mapping (its chain of bases holds one)."""
    base = array.base
    while base is not None and not isinstance(base, np.memmap | mmap.mmap):
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    return base is not None


def _older(built: SearchIndex, tmp_path: Path, change) -> Path:
    """A copy of ``built`` whose current generation ``change(generation)`` made older."""
    copy = tmp_path / "index"
    shutil.copytree(built.directory, copy, symlinks=True)
    change(current_generation(copy))
    return copy


def _derived_version(version: int):
    def change(generation: Path) -> None:
        meta = json.loads((generation / META).read_text("utf-8"))
        meta["derived"]["version"] = version
        (generation / META).write_text(json.dumps(meta), "utf-8")

    return change


@pytest.mark.parametrize("older", ["without derived structures", "derived version 1"])
def test_a_generation_built_by_an_older_version_is_refused_rebuild_it(
    built, tmp_path, older
) -> None:
    if older == "without derived structures":
        copy = tmp_path / "index"
        shutil.copytree(built.directory, copy, symlinks=True)
        strip_derived(copy)
    else:
        copy = _older(built, tmp_path, _derived_version(1))
    with pytest.raises(IndexUnavailable) as refused:
        SearchIndex(copy).generation()
    assert str(refused.value) == (
        "the index was built by an older version: rebuild the index (iapb-index build)"
    )
    assert "rebuild the index (`iapb-index build`)" in refused.value.detail
    assert str(current_generation(copy)) in refused.value.detail
    # The server says so with a 503, as for a damaged index; never a 500, never served.
    client = create_app({"TESTING": True, "INDEX_DIR": str(copy)}).test_client()
    response = client.get("/api/search?q=ICC")
    assert response.status_code == 503 and response.headers["Retry-After"]
    error = response.get_json()["error"]
    assert error["code"] == "index_unavailable" and "rebuild the index" in error["message"]
    assert client.get("/healthz").status_code == 503


def test_the_command_line_says_to_rebuild_an_older_index(built, tmp_path, capsys) -> None:
    assert main(["verify", "--index", str(built.directory)]) == 0
    capsys.readouterr()
    copy = _older(built, tmp_path, _derived_version(1))
    # Its files are intact (verify hashes them), but it is not served: verify says so.
    assert main(["verify", "--index", str(copy)]) == 1
    out = capsys.readouterr()
    assert "checksums match" in out.out
    assert f"derived structures of version 1, not {VERSION}: rebuild the index" in out.err
    assert main(["search", "--index", str(copy), "ICC"]) == 1
    assert "rebuild the index (`iapb-index build`)" in capsys.readouterr().err


def test_a_generation_of_a_later_derived_version_is_refused_too(built, tmp_path) -> None:
    copy = _older(built, tmp_path, _derived_version(VERSION + 1))
    with pytest.raises(IndexUnavailable, match="rebuild the index"):
        SearchIndex(copy).generation()


def test_a_rebuild_of_a_refused_index_is_served(built, tmp_path) -> None:
    copy = _older(built, tmp_path, _derived_version(1))
    index = SearchIndex(copy)
    with pytest.raises(IndexUnavailable):
        index.generation()
    build_index(CORPUS, copy)  # the bundled corpus: what the session's index holds
    gen = index.generation()
    assert gen.derived is not None and search(index, SearchRequest(q="ICC")).total > 0


def test_the_columns_are_served_read_into_memory_never_mapped(built) -> None:
    gen = built.generation()
    # Read-only, and not memory-mapped: a file truncated under the server cannot kill
    # the process reading it (SIGBUS); see tests/test_derived_mapping.py.
    for column in (gen.years, gen.topic_matrix, gen.versions.order, gen.date_order):
        assert not _maps_a_file(column) and not column.flags.writeable


def _refuse_whoosh_positions(monkeypatch) -> None:
    """From now on, Whoosh's per-document positional check fails the test if asked for."""

    def refuse(self, query, searcher):
        raise AssertionError(f"Whoosh's positional check was asked for {query!r}")

    monkeypatch.setattr(Postings, "whoosh_docs", refuse)


def test_glossary_names_are_never_checked_by_whoosh_positions(built, monkeypatch) -> None:
    built.generation()
    _refuse_whoosh_positions(monkeypatch)
    for q in ("ICC", "OSCE", "OHCHR", "МУС", "Viasna", "International Criminal Court"):
        result = search(built, SearchRequest(q=q if " " not in q else f'"{q}"'))
        assert any(" " in name for name in result.expanded), q


def test_the_glossary_matcher_comes_from_the_build_s_tables(built, monkeypatch) -> None:
    gen = built.generation()
    expected = Glossary(gen.concepts)  # every name analysed, one by one
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


# -- the date order: a selection over the build's order, equal to sorting each search ------


def _sorted_by_date(gen, final: np.ndarray, reader: Lang, collapse: bool, window: slice) -> list:
    """What date order was before the precomputed one: a sort of every search's documents
    (the specification ``indexer.engine.ordering.newest_first`` must keep, ties included)."""
    lang_rank = gen.versions.language_rank(final, reader)
    dated = final[np.lexsort((lang_rank, -gen.reports[final], -gen.days[final]))]
    if not collapse:
        return [(int(d), 0.0, []) for d in dated[window]]
    _, first = np.unique(gen.reports[dated], return_index=True)
    entries = []
    for best in dated[np.sort(first)][window]:
        same = dated[gen.reports[dated] == gen.reports[best]]
        entries.append((int(best), 0.0, [int(d) for d in same if d != best]))
    return entries


def _generation(seed: int, reports: int, days: int) -> SimpleNamespace:
    """The columns of a generation of ``reports`` reports over ``days`` days (so many
    share a day), each in one to three languages, documents in shuffled order."""
    rng = np.random.default_rng(seed)
    rows = [
        (number, day, lang)
        for number, day in zip(
            rng.permutation(reports) + 1, rng.integers(0, days, reports), strict=True
        )
        for lang in rng.choice(len(ALL_LANGS), rng.integers(1, 4), replace=False)
    ]
    rows = [rows[i] for i in rng.permutation(len(rows))]
    report_col = np.array([r for r, _, _ in rows], dtype=np.int64)
    day_col = np.array([d for _, d, _ in rows], dtype=np.int32)
    lang_col = np.array([lang for _, _, lang in rows], dtype=np.int8)
    ranking = date_ranking(day_col, report_col, lang_col)
    return SimpleNamespace(
        doc_count=len(rows),
        reports=report_col,
        days=day_col,
        langs=lang_col,
        versions=Versions(report_col, lang_col),
        date_order=ranking["date_order"],
        date_rank=ranking["date_rank"],
    )


@given(
    seed=st.integers(0, 2**32 - 1),
    reports=st.integers(1, 120),
    days=st.integers(1, 30),
    share=st.sampled_from([1.0, 0.9, 0.5, 0.1, 0.01]),
    reader=st.sampled_from(ALL_LANGS),
    collapse=st.booleans(),
    page=st.integers(1, 4),
    per_page=st.integers(1, 12),
    walk=st.sampled_from([1, 7, 8192]),
)
@settings(max_examples=300, deadline=None)
def test_date_order_is_the_sorted_order_ties_included(
    seed, reports, days, share, reader, collapse, page, per_page, walk
) -> None:
    gen = _generation(seed, reports, days)
    rng = np.random.default_rng(seed + 1)
    final = np.flatnonzero(rng.random(gen.doc_count) < share).astype(np.int64)
    window = slice((page - 1) * per_page, page * per_page)
    expected = _sorted_by_date(gen, final, reader, collapse, window)
    for dense in (1, 64, 10**9):  # every document walks the order, some, none
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ordering, "DENSE", dense)
            patch.setattr(ordering, "WALK", walk)
            assert ordering.newest_first(gen, final, reader, collapse, window) == expected
    assert ordering.report_count(gen, final) == len(np.unique(gen.reports[final]))
    for report in np.unique(gen.reports)[:5]:
        same = final[gen.reports[final] == report].tolist()
        assert ordering.matched_versions(gen, final, int(report)) == same


def test_a_report_with_two_dates_is_refused() -> None:
    with pytest.raises(ValueError, match="different dates"):
        date_ranking(np.array([5, 6, 5]), np.array([1, 1, 2]), np.array([0, 1, 0]))


def test_date_ordered_pages_are_the_sorted_order(built, monkeypatch) -> None:
    sorting = SearchIndex(built.directory, cache_size=0)  # its own caches
    requests = [
        SearchRequest(q=q, sort=SortOrder.DATE, page=page, collapse=collapse, ui_lang=ui, **f)
        for q in ("", "torture", "пытки", "катаванні", "-torture")
        for page in (1, 2, 3)
        for collapse in Collapse
        for ui in Lang
        for f in ({}, {"langs": (Lang.RU,)}, {"years": (2024,)})
    ]
    expected = []
    with monkeypatch.context() as patch:
        patch.setattr(facade, "newest_first", _sorted_by_date)
        for req in requests:
            try:
                expected.append(_answer(sorting, req))
            except QueryError:
                expected.append(None)
    for req, answer in zip(requests, expected, strict=True):
        try:
            assert _answer(built, req) == answer, req
        except QueryError:
            assert answer is None, req
    gen = built.generation()
    for column in (gen.date_order, gen.date_rank):
        assert not _maps_a_file(column) and not column.flags.writeable


def test_no_phrase_is_checked_by_whoosh_positions(built, monkeypatch) -> None:
    built.generation()
    _refuse_whoosh_positions(monkeypatch)
    for q in PHRASE_QUERIES + phrases_of_the_text(built.generation(), 20):
        search(built, SearchRequest(q=q))


def _summaries(gen) -> list[tuple[str, Lang]]:
    searcher = gen.searcher()
    out = []
    for doc in range(gen.doc_count):
        lang = Lang(ALL_LANGS[gen.langs[doc]])
        out.append((searcher.stored_fields(doc).get(schema.summary_field(lang)) or "", lang))
    return out


def test_the_word_table_gives_each_summary_the_spans_of_analysing_it(built) -> None:
    gen = built.generation()
    table = gen.words
    for text, lang in _summaries(gen):
        assert spans(text, lang, table) == spans(text, lang), text[:60]
        # Every word of a summary is in the table: none is analysed when served.
        words = {normalise_word(w) for w in _WORD_RE.findall(text)} - {""}
        assert set(table._look_up(sorted(words), lang)) == words


def test_snippets_analyse_no_word_of_a_summary_when_the_table_has_it(built, monkeypatch) -> None:
    requests = [request(params) for _, params in QUERY_MIX]
    requests += [SearchRequest(q=name) for name in _names(built)[::5]]
    plain = SearchIndex(built.directory, cache_size=0)
    plain.generation().words = None  # no word table: each word analysed when met
    snippets._TOKENS.clear()
    expected = [_answer(plain, req) for req in requests]
    snippets._TOKENS.clear()
    gen = built.generation()
    gen.words = WordTable({name: np.asarray(a) for name, a in _table_arrays(gen).items()})

    def refuse(word, lang):
        raise AssertionError(f"{word!r} analysed again when serving")

    monkeypatch.setattr("indexer.analysis.analysed_word", refuse)
    assert [_answer(built, req) for req in requests] == expected


def _table_arrays(gen) -> dict[str, np.ndarray]:
    """The word table's arrays of ``gen`` (a fresh table has nothing remembered)."""
    table = gen.derived.words
    arrays = {wordtable.WORDS: table._words}
    for lang in ALL_LANGS:
        arrays[wordtable._term_file(lang)] = table._terms[lang]
        arrays[wordtable._key_file(lang)] = table._keys[lang]
    return arrays


def test_term_arrays_read_back_from_the_index_are_the_build_s_bytes(built, tmp_path) -> None:
    # The build joins the arrays from its writers' chunks; read from Whoosh's blocks
    # instead (what the passage index does), they are the same bytes.
    gen = built.generation()
    fields = scored_fields(gen.searcher().schema)
    info = termpostings.write_term_postings(tmp_path, gen.searcher(), fields, term_postings)
    assert info == {"fields": sorted(fields), "files": list(termpostings.FILES)}
    for name in termpostings.FILES:
        assert (tmp_path / name).read_bytes() == (gen.path / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(termpostings.FILES)
    assert not (gen.path / termpostings.CHUNKS).exists()
