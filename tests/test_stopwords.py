"""The query stop words of the three languages (indexer.stopwords)."""

from __future__ import annotations

import pytest

from indexer.stopwords import is_stop_word, stop_word_lists


@pytest.mark.parametrize(
    "word",
    [
        "how",
        "many",
        "What’s",
        "did",
        "the",
        "of",
        "сколько",
        "ли",
        "какие",
        "где",
        "колькі",
        "ці",
        "ў",
        "Ў",
        "якія",
        "хто",
    ],
)
def test_question_words_and_function_words_are_stop_words(word):
    assert is_stop_word(word)


@pytest.mark.parametrize(
    "word",
    [
        "UN",
        "states",
        "information",
        "three",
        "тысяч",
        "девятый",
        "человек",
        "evidence",
        "платформа",
        "дзявяты",
        "ill",
        "number",
    ],
)
def test_numbers_and_words_that_carry_meaning_here_are_searched(word):
    assert not is_stop_word(word)


def test_the_lists_come_from_the_package_and_our_data():
    latin, cyrillic = stop_word_lists()
    assert len(latin) > 1000 and len(cyrillic) > 500
    assert "колькі" in cyrillic and "сколько" in cyrillic
