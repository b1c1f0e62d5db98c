"""The language of a Cyrillic query comes from the index's own vocabulary (issue 24 §4)."""

from __future__ import annotations

import pytest

from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.querylang import reader_language, vocabulary_language
from indexer.records import SearchRequest
from indexer.search import search


@pytest.fixture(scope="module")
def terms(search_index: SearchIndex):
    return search_index.generation().searcher().reader()


@pytest.mark.parametrize(
    ("text", "ui", "expected"),
    [
        # Letters common to both languages: the vocabulary decides.
        ("доказательства", Lang.BE, Lang.RU),  # ru «доказательства», be «доказы»
        ("апрель 2024", Lang.BE, Lang.RU),  # ru «апреля», be «красавіка»
        ("пракурор", Lang.RU, Lang.BE),  # be «Пракурора», ru «Прокурора»
        ("катаванне", Lang.RU, Lang.BE),  # be «катаванні», ru «пытки»
        # A Belarusian word typed with a Russian keyboard's и for і.
        ("катаванни", Lang.RU, Lang.BE),
        ("пракуратуры", Lang.RU, Lang.BE),
        # Words both languages write alike, or neither has: the letters, then the
        # interface, decide as before.
        ("суд", Lang.BE, Lang.BE),
        ("суд", Lang.RU, Lang.RU),
        ("пытки", Lang.BE, Lang.RU),  # и
        ("пыткі", Lang.RU, Lang.BE),  # і
        ("torture", Lang.RU, Lang.EN),
        ("ICC", Lang.BE, Lang.BE),
        ("2024", Lang.RU, Lang.RU),
        # Łacinka is Belarusian.
        ("Łukašenka", Lang.RU, Lang.BE),
        # A Latin word no English text has votes by its Cyrillic reading.
        ("MUS", Lang.EN, Lang.RU),  # ru «МУС», be «МКС»
        ("MKS", Lang.RU, Lang.BE),
        ("pytki", Lang.BE, Lang.RU),  # ru «пытки»
        ("katavanni", Lang.RU, Lang.BE),  # be «катаванні»
        ("on", Lang.RU, Lang.EN),  # an English word: its letters decide
    ],
)
def test_the_query_language_comes_from_the_vocabulary(
    terms, text: str, ui: Lang, expected: Lang
) -> None:
    assert reader_language(text, ui, terms) is expected


def test_the_majority_of_words_decides(terms) -> None:
    # Two Russian-only words against one Belarusian-only word.
    assert vocabulary_language("доказательства пракурор преследования", terms) is Lang.RU
    assert vocabulary_language("суд 2024 ICC", terms) is None


@pytest.mark.parametrize(
    ("q", "ui", "first"),
    [
        ("катаванне", Lang.RU, Lang.BE),
        ("пракурор", Lang.RU, Lang.BE),
        ("Łukašenka", Lang.EN, Lang.BE),
        ("апрель 2024", Lang.BE, Lang.RU),
        ("MUS", Lang.EN, Lang.RU),
        ("pytki", Lang.EN, Lang.RU),
    ],
)
def test_the_readers_language_comes_first(
    search_index: SearchIndex, q: str, ui: Lang, first: Lang
) -> None:
    result = search(search_index, SearchRequest(q=q, ui_lang=ui, per_page=50))
    assert len({hit.lang for hit in result.hits}) > 1, "one language only: tests nothing"
    assert result.hits[0].lang is first
    # Each report's versions: the reader's first.
    seen: set[int] = set()
    for hit in result.hits:
        if hit.report not in seen and any(
            h.report == hit.report and h.lang is first for h in result.hits
        ):
            assert hit.lang is first, (hit.report, hit.lang)
        seen.add(hit.report)


def test_a_belarusian_word_misspelt_with_i_finds_its_concept(search_index: SearchIndex) -> None:
    # «катаванни» for «катаванні»: the glossary reads и as і for Belarusian names.
    misspelt = search(search_index, SearchRequest(q="катаванни", per_page=50))
    right = search(search_index, SearchRequest(q="катаванні", per_page=50))
    assert {(h.report, h.lang) for h in misspelt.hits} == {(h.report, h.lang) for h in right.hits}
