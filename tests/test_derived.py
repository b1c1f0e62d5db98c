"""What the build derives for serving (indexer.engine.derived) changes no result, and is used.

Each index is searched twice: as built, and as a copy stripped of its derived structures
(what a build before them wrote), which serving reads from Whoosh as it always did.
Hits, scores, snippets, facets and expansions must be identical.
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
from whoosh import query as wq

from bench import synth
from bench.fresh import strip_derived
from bench.queries import QUERY_MIX, request
from indexer import schema, snippets
from indexer import search as search_module
from indexer.analysis import _WORD_RE, analyze, normalise_word, spans
from indexer.build import build_index
from indexer.engine import ordering, termpostings, wordtable
from indexer.engine.derived import DATE_COLUMNS, INFO, date_ranking, scored_fields
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import META, current_generation
from indexer.engine.matching import Postings
from indexer.engine.ranking import Versions
from indexer.engine.wordtable import WordTable
from indexer.errors import QueryError
from indexer.languages import ALL_LANGS, Lang
from indexer.records import Collapse, SearchRequest, SortOrder
from indexer.search import search
from indexer.timeline import _read_positions
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


def _maps_a_file(array: np.ndarray) -> bool:
    """Whether ``array`` is a view of a memory mapping (its chain of bases holds one)."""
    base = array.base
    while base is not None and not isinstance(base, np.memmap | mmap.mmap):
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    return base is not None


def test_the_old_build_is_served_from_whoosh_the_new_from_its_arrays(pair) -> None:
    built, old, _ = pair
    new_gen, old_gen = built.generation(), old.generation()
    assert old_gen.derived is None and new_gen.derived is not None
    # Memory-mapped, read-only: pages shared between worker processes, never copied.
    for column in (new_gen.years, new_gen.topic_matrix, new_gen.versions.order):
        assert _maps_a_file(column) and not column.flags.writeable
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


def _refuse_whoosh_positions(monkeypatch) -> None:
    """From now on, Whoosh's per-document positional check fails the test if asked for."""

    def refuse(self, query, searcher):
        raise AssertionError(f"Whoosh's positional check was asked for {query!r}")

    monkeypatch.setattr(Postings, "whoosh_docs", refuse)


def test_glossary_names_are_never_checked_by_whoosh_positions(pair, monkeypatch) -> None:
    built, _, _ = pair
    built.generation()
    _refuse_whoosh_positions(monkeypatch)
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


def test_date_ordered_pages_are_the_sorted_order(pair, monkeypatch) -> None:
    built, old, _ = pair
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
        patch.setattr(search_module, "newest_first", _sorted_by_date)
        for req in requests:
            try:
                expected.append(_answer(old, req))
            except QueryError:
                expected.append(None)
    for req, answer in zip(requests, expected, strict=True):
        try:
            assert _answer(built, req) == answer, req
        except QueryError:
            assert answer is None, req
    gen = built.generation()
    for column in (gen.date_order, gen.date_rank):
        assert _maps_a_file(column) and not column.flags.writeable


def test_derived_structures_without_the_date_order_compute_it_when_opened(pair, tmp_path) -> None:
    built, _, _ = pair
    copy = tmp_path / "index"
    shutil.copytree(built.directory, copy, symlinks=True)
    generation = current_generation(copy)
    info = json.loads((generation / INFO).read_text("utf-8"))
    meta = json.loads((generation / META).read_text("utf-8"))
    for name in DATE_COLUMNS:
        file = info["columns"].pop(name)
        (generation / file).unlink()
        meta["files"].pop(file)
        meta["checksums"].pop(file, None)
    (generation / INFO).write_text(json.dumps(info), "utf-8")
    meta["files"][INFO] = (generation / INFO).stat().st_size
    meta["checksums"].pop(INFO, None)
    (generation / META).write_text(json.dumps(meta), "utf-8")
    older, gen = SearchIndex(copy).generation(), built.generation()
    assert older.derived is not None
    assert np.array_equal(older.date_order, gen.date_order)
    assert np.array_equal(older.date_rank, gen.date_rank)


def _phrases_of_the_text(index: SearchIndex, count: int) -> list[str]:
    """Runs of two to four words of the stored summaries, quoted (deterministic)."""
    searcher = index.generation().searcher()
    found: list[str] = []
    docs = index.generation().doc_count
    for i, doc in enumerate(range(0, docs, max(1, docs // count))):
        stored = searcher.stored_fields(doc)
        text = next((v for k, v in stored.items() if k.startswith("summary_") and v), "")
        words = text.split()
        if len(words) > 8:
            start = (i * 7) % (len(words) - 5)
            found.append('"' + " ".join(words[start : start + 2 + i % 3]) + '"')
    return found


# Quoted phrases, unquoted runs of words (the proximity bonus), negations, prefixes and
# operators, in each language's script.
PHRASE_QUERIES = [
    '"International Criminal Court"',
    '"Міжнародны крымінальны суд"',
    '"Международный уголовный суд"',
    '"политических заключённых"',
    '"палітычных вязняў"',
    '"civil society"',
    '"human rights defenders"',
    '"the the"',
    "political prisoners",
    "политические заключённые",
    "палітычныя вязні",
    "crimes against humanity",
    "crimes humanity",
    "International Court",
    "Criminal ICC Court",
    "human rights council resolution",
    'torture -"civil society"',
    '"crimes against humanity" -ICC',
    "torture -prisoners",
    "NOT evidence",
    'tortur* "human rights"',
    "пыт* выбары",
    "repress* political",
    '"Moscow Mechanism" OR "Rome Statute"',
    '"Moscow Mechanism" AND torture',
    "международный суд пытки",
    '"суд" "пытки"',
]


def test_phrases_and_proximity_find_the_same_with_and_without(pair) -> None:
    built, old, _ = pair
    queries = PHRASE_QUERIES + _phrases_of_the_text(built, 60)
    for q in queries:
        for expand in (True, False):
            req = SearchRequest(q=q, expand=expand, per_page=50)
            assert _answer(built, req) == _answer(old, req), (q, expand)
        req = SearchRequest(q=q, timeline=True, collapse=Collapse.REPORT)
        assert _answer(built, req) == _answer(old, req), q


def test_no_phrase_is_checked_by_whoosh_positions(pair, monkeypatch) -> None:
    built, _, _ = pair
    built.generation()
    _refuse_whoosh_positions(monkeypatch)
    for q in PHRASE_QUERIES + _phrases_of_the_text(built, 20):
        search(built, SearchRequest(q=q))


def test_the_term_arrays_are_whoosh_s_postings_and_positions(pair) -> None:
    built, old, _ = pair
    gen = built.generation()
    arrays = gen.derived.postings
    searcher = gen.searcher()
    reader = searcher.reader()
    fields = scored_fields(searcher.schema)
    assert arrays is not None and arrays.fields == set(fields)
    from_whoosh = old.generation().postings  # decodes Whoosh's blocks
    checked = 0
    for field in fields:
        positional = searcher.schema[field].format.supports("positions")
        for text in reader.lexicon(field):
            word = text.decode("utf-8")
            docs, weights = arrays.term(field, word)
            whoosh_docs, whoosh_weights = from_whoosh._read_term(field, word, searcher)
            assert docs.tolist() == whoosh_docs.tolist(), (field, word)
            assert weights.tolist() == whoosh_weights.tolist(), (field, word)
            if positional and checked % 7 == 0:
                expected = _read_positions(searcher, field, word)
                assert arrays.positions(field, word).tolist() == expected.tolist()
            checked += 1
    assert checked > 1000
    assert arrays.term("summary_en", "no-such-word")[0].tolist() == []


def test_phrases_of_the_term_arrays_are_whoosh_s_at_every_slop(pair) -> None:
    built, _, _ = pair
    gen = built.generation()
    searcher = gen.searcher()
    everything = np.arange(gen.doc_count, dtype=np.int64)
    tried = matched_only_sloppy = 0
    step = max(1, gen.doc_count // 40)
    for doc in range(0, gen.doc_count, step):
        lang = Lang(ALL_LANGS[gen.langs[doc]])
        field = schema.summary_field(lang)
        tokens = analyze(searcher.stored_fields(doc).get(field) or "", lang)
        for i in range(0, max(0, len(tokens) - 6), 9):
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
                    query = wq.Phrase(field, words, slop=slop)
                    expected = sorted(set(searcher.docs_for_query(query)))
                    got = gen.derived.postings.phrase(field, words, slop, everything)
                    assert got.tolist() == expected, (field, words, slop)
                    found[slop] = expected
                    tried += 1
                matched_only_sloppy += found[3] != found[1]
    assert tried > 300 and matched_only_sloppy > 10


def _summaries(gen) -> list[tuple[str, Lang]]:
    searcher = gen.searcher()
    out = []
    for doc in range(gen.doc_count):
        lang = Lang(ALL_LANGS[gen.langs[doc]])
        out.append((searcher.stored_fields(doc).get(schema.summary_field(lang)) or "", lang))
    return out


def test_the_word_table_gives_each_summary_the_spans_of_analysing_it(pair) -> None:
    built, old, _ = pair
    gen = built.generation()
    table = gen.words
    assert table is not None and old.generation().words is None
    for text, lang in _summaries(gen):
        assert spans(text, lang, table) == spans(text, lang), text[:60]
        # Every word of a summary is in the table: none is analysed when served.
        words = {normalise_word(w) for w in _WORD_RE.findall(text)} - {""}
        assert set(table._look_up(sorted(words), lang)) == words


def test_snippets_analyse_no_word_of_a_summary_when_the_table_has_it(pair, monkeypatch) -> None:
    built, old, _ = pair
    requests = [request(params) for _, params in QUERY_MIX]
    requests += [SearchRequest(q=name) for name in _names(built)[::5]]
    snippets._TOKENS.clear()
    expected = [_answer(old, req) for req in requests]  # analysed word by word
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


def test_term_arrays_read_back_from_the_index_are_the_build_s_bytes(pair, tmp_path) -> None:
    # The build joins the arrays from its writers' chunks; read from Whoosh's blocks
    # instead (what the passage index does), they are the same bytes.
    built, _, _ = pair
    gen = built.generation()
    fields = scored_fields(gen.searcher().schema)
    info = termpostings.write_term_postings(tmp_path, gen.searcher(), fields)
    assert info == {"fields": sorted(fields), "files": list(termpostings.FILES)}
    for name in termpostings.FILES:
        assert (tmp_path / name).read_bytes() == (gen.path / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(termpostings.FILES)
    assert not (gen.path / termpostings.CHUNKS).exists()
