"""Numbers, ordinals and abbreviations as a query writes them (issue 24 §3):
indexer.numberwords reads them, indexer.readings searches them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.languages import Lang
from indexer.numberwords import (
    Abbreviation,
    Count,
    Ordinal,
    Word,
    abbreviation,
    ordinal_number,
    read_words,
    simple_forms,
)
from indexer.records import Collapse, SearchRequest
from indexer.search import search


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("thirty thousand", 30000),
        ("seventy-six", 76),
        ("one hundred and five", 105),
        ("two million", 2_000_000),
        ("тридцать тысяч", 30000),
        ("трёх", 3),
        ("двух миллионов", 2_000_000),
        ("семьсот семнадцать", 717),
        ("трыццаць тысяч", 30000),
        ("трох", 3),
        ("сямнаццаць", 17),
        ("1,5 млн", 1_500_000),
        ("1.5 mln", 1_500_000),
        ("7,5 тыс.", 7500),
        ("30 тыс.", 30000),
    ],
)
def test_a_count_in_words_is_read_as_its_value(text, value):
    (reading,) = read_words(text.split())
    assert isinstance(reading, Count)
    assert reading.value == value
    assert reading.text == text


@pytest.mark.parametrize(
    "text",
    ["one", "один", "адзін", "one of the states", "2025", "three and four"],
)
def test_a_lone_one_a_year_and_two_counts_are_not_one_number(text):
    readings = read_words(text.split())
    assert not any(isinstance(r, Count) and r.value in (1, 7, 2025) for r in readings)


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("ninth", 9),
        ("9th", 9),
        ("1st", 1),
        ("девятый", 9),
        ("девятого", 9),
        ("9-й", 9),
        ("9-я", 9),
        ("дзявяты", 9),
        ("дзявятай", 9),
        ("9-ы", 9),
        ("сёмая", 7),
        ("fourth", 4),
    ],
)
def test_ordinals_are_read_in_every_language(word, number):
    assert ordinal_number(word) == number


def test_an_ordinal_names_a_report_only_before_a_report_noun():
    assert read_words(["ninth", "progress", "report"]) == [Ordinal("ninth progress report", 9)]
    assert read_words(["девятый", "доклад"]) == [Ordinal("девятый доклад", 9)]
    assert read_words(["seventh", "term"]) == [Word("seventh"), Word("term")]
    assert read_words(["report", "No.", "9"]) == [Ordinal("report No. 9", 9)]
    assert read_words(["report", "2023"]) == [Word("report"), Word("2023")]


@pytest.mark.parametrize(
    ("typed", "lang", "word"),
    [
        ("No.", Lang.EN, "number"),
        ("art.", Lang.EN, "article"),
        ("para.", Lang.EN, "paragraph"),
        ("ст.", Lang.RU, "статья"),
        ("п.", Lang.RU, "пункт"),
        ("г.", Lang.BE, "год"),
        ("арт.", Lang.BE, "артыкул"),
    ],
)
def test_abbreviations_stand_for_their_words(typed, lang, word):
    assert abbreviation(typed)[lang] == word
    assert read_words([typed]) == [Abbreviation(typed, abbreviation(typed))]


def test_an_abbreviation_that_is_also_a_word_needs_its_full_stop():
    assert abbreviation("no") is None
    assert abbreviation("art") is None


def test_a_count_has_its_forms_in_every_language():
    forms = simple_forms(3)
    assert "three" in forms[Lang.EN]
    assert {"три", "трех"} <= set(forms[Lang.RU])
    assert {"тры", "трох"} <= set(forms[Lang.BE])


def run(index, q):
    result = search(index, SearchRequest(q=q, collapse=Collapse.REPORT, per_page=50))
    return {hit.report for hit in result.hits}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("thirty thousand documents", {8}),
        ("тридцать тысяч документов", {8}),
        ("трыццаць тысяч дакументаў", {8}),
        ("three states", {6, 7}),
        ("три государства", {6, 7}),
        ("3 states", {6, 7}),
        ("two million open-source materials", {9}),
        ("два миллиона материалов", {9}),
    ],
)
def test_counts_in_words_find_the_numbers_of_the_text(search_index, q, expected):
    assert run(search_index, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("seventh report", {7}),
        ("седьмой отчёт", {7}),
        ("сёмая справаздача", {7}),
        ("9th report", {9}),
        ("9-й доклад", {9}),
        ("9-ы даклад", {9}),
        ("report No. 9", {9}),
        ("progress report 4", {4}),
        ("доклад № 9", {9}),
        ("справаздача 5", {5}),
    ],
)
def test_an_ordinal_finds_the_report_by_its_number(search_index, q, expected):
    # Report 8 says "seventh term" (Lukashenko's) and "report": not the seventh report.
    assert run(search_index, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("art. 15 Rome Statute", {9}),
        ("ст. 15 Римского статута", {9}),
        ("арт. 15 Рымскага статута", {9}),
        ("1,5 млн записей", {8}),
        ("7,5 тыс. приговоров", {9}),
    ],
)
def test_abbreviations_find_what_they_stand_for(search_index, q, expected):
    assert run(search_index, q) == expected


WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "three",
                "thousand",
                "and",
                "one",
                "hundred",
                "ninth",
                "report",
                "No.",
                "9",
                "1,5",
                "млн",
                "тыс.",
                "ст.",
                "девятый",
                "доклад",
                "№",
                "-",
                "9-й",
                "seventy-six",
                "2025",
                "г.",
            ]
        ),
        st.text(min_size=1, max_size=8).filter(lambda w: not any(c.isspace() for c in w)),
    ),
    max_size=8,
)


@given(WORDS)
def test_every_word_is_read_once_in_order(words):
    readings = read_words(words)
    assert " ".join(r.text for r in readings) == " ".join(words)
