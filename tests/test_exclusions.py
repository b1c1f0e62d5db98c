"""Query edge cases of issue 9: a query of excluded words only, prefixes too short.

From the corpus text (corpus/reports/*.yaml): "torture" (катаванні, пыткі) is only in
report 9; the International Criminal Court (ICC, МУС, МКС) in reports 7, 8 and 9; the six
reports are numbered 4 to 9, each in three languages, dated newest = highest number.
"""

from __future__ import annotations

import re

import pytest

from indexer.engine.generation import SearchIndex
from indexer.records import SearchRequest, SortOrder
from indexer.search import search

ALL_REPORTS = {4, 5, 6, 7, 8, 9}


def found(index: SearchIndex, q: str, **kwargs) -> list[int]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    return [hit.report for hit in result.hits]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("-torture", ALL_REPORTS - {9}),
        ("NOT torture", ALL_REPORTS - {9}),
        ("-пыткі", ALL_REPORTS - {9}),
        ("(-torture)", ALL_REPORTS - {9}),
        ("-torture -ICC", ALL_REPORTS - {7, 8, 9}),
        ('-"International Criminal Court"', ALL_REPORTS - {7, 8, 9}),
    ],
)
def test_only_excluded_words_mean_everything_except_them(
    search_index: SearchIndex, q: str, expected: set[int]
) -> None:
    result = search(search_index, SearchRequest(q=q, per_page=50))
    assert result.only_excluded
    assert {hit.report for hit in result.hits} == expected
    assert result.total == 3 * len(expected)  # every language version of each
    assert not result.fallback and result.corrected is None


def test_only_excluded_words_list_the_newest_first(search_index: SearchIndex) -> None:
    reports = found(search_index, "-torture")
    assert reports == sorted(reports, reverse=True)
    assert reports == found(search_index, "-torture", sort=SortOrder.DATE)


def test_an_unreadable_query_keeps_its_exclusions(search_index: SearchIndex) -> None:
    # '(' unbalanced: searched as plain words, and "-torture" still excludes.
    result = search(search_index, SearchRequest(q="-torture (", per_page=50))
    assert result.fallback
    assert {hit.report for hit in result.hits} == ALL_REPORTS - {9}
    result = search(search_index, SearchRequest(q="ICC -torture (", per_page=50))
    assert result.fallback
    assert {hit.report for hit in result.hits} == {7, 8}


def test_the_api_says_a_query_only_excludes_and_what_it_left_out(client) -> None:
    data = client.get("/api/search?q=-torture").get_json()
    assert data["only_excluded"] is True and data["ignored"] == []
    assert data["total"] == 15
    data = client.get("/api/search?q=ICC").get_json()
    assert data["only_excluded"] is False and data["ignored"] == []
    data = client.get("/api/search?q=a*+ICC").get_json()
    assert data["ignored"] == ["a*"]
    assert {hit["report"] for hit in data["results"]} == {7, 8, 9}


def _notes(body: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", note)).strip()
        for note in re.findall(r'<p class="note[^"]*">(.*?)</p>', body, re.S)
    ]


@pytest.mark.parametrize(
    ("hl", "excluded", "left_out"),
    [
        (
            "en",
            "Showing every report except those that match the excluded words.",
            "Left out of the search: a*. A prefix needs at least 2 letters before the *.",
        ),
        (
            "be",
            "Паказаны ўсе справаздачы, акрамя тых, дзе ёсць выключаныя словы.",
            "Не шукалася: a*. Перад * трэба хаця б 2 літары.",
        ),
        (
            "ru",
            "Показаны все отчёты, кроме тех, где есть исключённые слова.",
            "Не искалось: a*. Перед * нужно хотя бы 2 буквы.",
        ),
    ],
)
def test_the_page_says_so_in_each_language(client, hl: str, excluded: str, left_out: str) -> None:
    body = client.get(f"/?q=-torture&hl={hl}").get_data(as_text=True)
    assert excluded in _notes(body)
    assert "/reports/r9-" not in body and "/reports/r8-" in body
    body = client.get(f"/?q=a*&hl={hl}").get_data(as_text=True)
    assert left_out in _notes(body)
