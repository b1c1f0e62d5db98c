"""A prefix finds the words of the corpus it begins, also when it is longer than their
stem (issue 24 §4): ``prosecuti*`` finds "prosecutions" (stem "prosecut"), and a
Russian prefix finds the words whose lemma it does not begin (``пострадавш*``:
"пострадавших", lemma "пострадать")."""

from __future__ import annotations

import re

import pytest
import yaml

from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.records import SearchRequest
from indexer.search import search
from tests.helpers import CORPUS

_WORD_RE = re.compile(r"[^\W\d_]+")


def reports_with_a_word_beginning(prefix: str, lang: Lang) -> set[int]:
    """The oracle, read from the corpus files: the reports whose title or summary in
    ``lang`` has a word beginning with ``prefix`` (ё read as е, as the index does)."""
    found = set()
    for path in sorted((CORPUS / "reports").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = f"{data[lang.value]['title']} {data[lang.value]['summary']}"
        words = _WORD_RE.findall(text.lower().replace("ё", "е"))
        if any(word.startswith(prefix) for word in words):
            found.add(data["number"])
    return found


@pytest.mark.parametrize(
    ("prefix", "lang"),
    [
        # Longer than the English stem: "prosecutions" -> "prosecut", "detention" ->
        # "detent", "accountability" -> "account".
        ("prosecuti", Lang.EN),
        ("detentio", Lang.EN),
        ("persecuti", Lang.EN),
        ("investigatio", Lang.EN),
        ("accountabilit", Lang.EN),
        # Russian: the lemma of a participle or a past form is another word.
        ("пострадавш", Lang.RU),
        ("мотивированн", Lang.RU),
        ("опубликовал", Lang.RU),
        # Belarusian: longer than the stem ("апублікавала" -> "апубліку").
        ("апублікавал", Lang.BE),
        ("працягвал", Lang.BE),
    ],
)
def test_a_prefix_longer_than_the_stem_finds_the_words_it_begins(
    search_index: SearchIndex, prefix: str, lang: Lang
) -> None:
    expected = reports_with_a_word_beginning(prefix, lang)
    assert expected, "the corpus has no such word: the case tests nothing"
    result = search(search_index, SearchRequest(q=f"{prefix}*", per_page=50))
    found = {hit.report for hit in result.hits}
    # The words found are searched as words are, with their other forms: a report
    # that has "опубликованные" (lemma "опубликовать", as "опубликовала") is found
    # by "опубликовал*" too.  In English the forms of these stems all begin alike.
    if lang is Lang.EN:
        assert found == expected
    else:
        assert found >= expected
    # Every language version of those reports, the typed language's first.
    assert {(hit.report, hit.lang) for hit in result.hits} == {(r, x) for r in found for x in Lang}
    assert result.hits[0].lang is lang


@pytest.mark.parametrize(
    ("prefix", "lang", "report", "marked"),
    [
        ("prosecuti", Lang.EN, 9, "prosecutions"),
        ("detentio", Lang.EN, 9, "detention"),
        ("мотивированн", Lang.RU, 9, "мотивированные"),
        ("пострадавш", Lang.RU, 7, "пострадавших"),
        ("апублікавал", Lang.BE, 8, "апублікавала"),
    ],
)
def test_the_words_a_prefix_begins_are_highlighted(
    search_index: SearchIndex, prefix: str, lang: Lang, report: int, marked: str
) -> None:
    result = search(search_index, SearchRequest(q=f"{prefix}*", langs=(lang,), per_page=50))
    hit = next(h for h in result.hits if h.report == report)
    assert f"<mark>{marked}</mark>" in hit.snippet


def test_a_prefix_no_word_begins_finds_nothing(search_index: SearchIndex) -> None:
    # No word begins "prosecutionz", although its stem begins like "prosecutions".
    assert not reports_with_a_word_beginning("prosecutionz", Lang.EN)
    assert search(search_index, SearchRequest(q="prosecutionz*")).total == 0
