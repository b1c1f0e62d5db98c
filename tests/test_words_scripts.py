"""Łacinka and Polish letters fold like the rest of the cross-script keys (issue 24 §4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import translit
from indexer.analysis import cross_script_keys
from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.records import SearchRequest
from indexer.search import search


@pytest.mark.parametrize(
    ("spellings", "cyrillic"),
    [
        (["Łukašenka", "Łukaszenka", "ŁUKAŠENKA"], ("Лукашэнка", Lang.BE)),
        (["Ciachanoŭskaja", "Cichanoŭskaja"], ("Ціханоўская", Lang.BE)),
        (["katavańnie", "katavańni"], ("катаванне", Lang.BE)),
        (["Źmicier"], ("Зміцер", Lang.BE)),
        (["Biełaruś"], ("Беларусь", Lang.BE)),
        (["žodzina", "Żodzina"], ("Жодзіна", Lang.BE)),
        (["čałaviek"], ("чалавек", Lang.BE)),
        (["Śviatłana"], ("Святлана", Lang.BE)),
    ],
)
def test_lacinka_and_polish_spellings_key_as_the_cyrillic_word(
    spellings: list[str], cyrillic: tuple[str, Lang]
) -> None:
    word, _ = cyrillic
    for lang in ALL_LANGS:  # a query is keyed in each language's key field
        expected = cross_script_keys(word, lang)
        assert expected
        for spelling in spellings:
            assert cross_script_keys(spelling, lang) == expected, (spelling, lang)


def test_the_classical_soft_sign_keys_as_the_standard_spelling() -> None:
    # Taraškievica writes the softness of a consonant before a soft one: «сьнег»,
    # «катаваньне»; Łacinka's ś, ć, ń read through the soft sign too.
    assert cross_script_keys("сьнег", Lang.BE) == cross_script_keys("снег", Lang.BE)
    assert cross_script_keys("катаваньне", Lang.BE) == cross_script_keys("катаванне", Lang.BE)


def test_plain_latin_keeps_the_english_reading() -> None:
    # Łacinka would read "sh" as "сг" and "l" as a soft "ль"; a romanised name typed
    # without Łacinka letters keeps its English reading.
    assert translit.from_lacinka("lukashenka") == "lukashenka"
    assert cross_script_keys("Lukashenka", Lang.EN) == cross_script_keys("Лукашэнка", Lang.BE)


@given(st.text(alphabet="łśćźńŭžščżŁŚĆŹŃŬŽŠČŻabcdeiklmnorstuvyzĄąęóŁ", max_size=20))
def test_any_lacinka_text_keys_to_lower_ascii(word: str) -> None:
    for lang in ALL_LANGS:
        for key in cross_script_keys(word, lang):
            assert key.isascii() and key.isalpha() and key == key.lower()


@pytest.mark.parametrize(
    ("q", "reports"),
    [
        # Report 8: «Лукашэнку», "Lukashenko’s"; report 9: «Лукашэнка», "Lukashenko".
        ("Łukašenka", {8, 9}),
        ("Łukaszenka", {8, 9}),
        # Report 9: «катаванні».
        ("katavańni", {9}),
    ],
)
def test_a_lacinka_query_finds_the_reports(
    search_index: SearchIndex, q: str, reports: set[int]
) -> None:
    result = search(search_index, SearchRequest(q=q, per_page=50))
    assert {hit.report for hit in result.hits} == reports
