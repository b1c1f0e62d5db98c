"""Recovery when the words of a query match nothing (issue 9): the wrong keyboard
layout, confident spelling corrections, "Did you mean" for the unsure ones.

Expected reports are read from the corpus text (corpus/reports/*.yaml): OSCE, its
Moscow Mechanism and «Московского»/«Маскоўскага механізма» are in reports 5 and 7;
"torture" (пыткі, катаванні) only in report 9, which also names the International
Criminal Court; "four" and "Fourth", "States" and "Rome Statute" are all in the corpus.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.records import SearchRequest
from indexer.recovery import (
    CYRILLIC_TO_LATIN,
    LATIN_TO,
    Reason,
    Vocabulary,
    cased_like,
    edit_distance,
    layout_correction,
)
from indexer.search import search


def reports(index: SearchIndex, q: str, **kwargs) -> set[int]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    return {hit.report for hit in result.hits}


@pytest.fixture(scope="module")
def vocabulary(search_index: SearchIndex) -> Vocabulary:
    gen = search_index.generation()
    return Vocabulary(gen.searcher().reader(), gen.glossary)


# --- the layouts ---------------------------------------------------------------------


def test_the_russian_and_belarusian_layouts_differ_on_their_own_three_keys() -> None:
    ru, be = LATIN_TO[Lang.RU], LATIN_TO[Lang.BE]
    assert [ru[k] for k in "qwerty"] == list("йцукен")
    assert (ru["o"], ru["b"], ru["]"]) == ("щ", "и", "ъ")
    assert (be["o"], be["b"], be["]"]) == ("ў", "і", "’")
    assert {k for k in ru if ru[k] != be[k]} == {"o", "O", "b", "B", "]", "}"}
    assert (ru[","], ru["."], ru[";"], ru["["]) == ("б", "ю", "ж", "х")
    assert '"' not in ru  # the phrase quote stays a quote
    assert CYRILLIC_TO_LATIN["ў"] == CYRILLIC_TO_LATIN["щ"] == "o"
    assert CYRILLIC_TO_LATIN["Щ"] == "O"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ЩЫСУ", "OSCE"),  # Latin meant, Russian keyboard
        ("vjcrjdcrbq", "московский"),  # Russian meant, Latin keyboard (corpus: «Московского»)
        ("vjcrjdcrjuj", "московского"),
        ("vfcrjocrfuf", "маскоўскага"),  # Belarusian meant: ў on the Russian щ key
        ("ьўысўц", "moscow"),  # Latin meant, Belarusian keyboard
        ("Vjcrjdcrjuj vt[fybpv", "Московского механизм"),  # "[" is the х key
        ("ICC vjcrjdcrbq", "ICC московский"),  # the known word stays as typed
        ("Kerfi'yrf", "Лукашэнка"),  # «э» is the ' key; capital kept (corpus: reports 8, 9)
    ],
)
def test_a_word_typed_on_the_wrong_layout_is_read_back(
    vocabulary: Vocabulary, typed: str, meant: str
) -> None:
    assert layout_correction(vocabulary, typed) == meant


@pytest.mark.parametrize("typed", ["OSCE", "torture", "пыткі", "nothingmatchesthis", "ICC"])
def test_words_the_index_knows_or_no_reading_knows_are_left_alone(
    vocabulary: Vocabulary, typed: str
) -> None:
    assert layout_correction(vocabulary, typed) is None


@pytest.mark.parametrize(
    ("typed", "meant", "expected"),
    [
        ("ЩЫСУ", "OSCE", {5, 7}),
        ("vjcrjdcrbq", "московский", {5, 7}),
        ("vfcrjocrfuf", "маскоўскага", {5, 7}),
        ("ьўысўц", "moscow", {5, 7}),
    ],
)
def test_the_layout_correction_is_searched_and_reported(
    search_index: SearchIndex, typed: str, meant: str, expected: set[int]
) -> None:
    result = search(search_index, SearchRequest(q=typed, per_page=50))
    assert result.corrected is not None
    assert (result.corrected.source, result.corrected.target) == (typed, meant)
    assert result.corrected.reason is Reason.LAYOUT
    assert {hit.report for hit in result.hits} == expected
    assert result.as_dict()["corrected"] == {"from": typed, "to": meant, "reason": "layout"}
    assert result.as_dict()["query"] == typed


# --- spelling ------------------------------------------------------------------------


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert edit_distance("torure", "torture") == 1
    assert edit_distance("humna", "human") == 1
    assert edit_distance("prosecuter", "prosecutor") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "abc") == 3


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("ICC", "icc"), ("Torure", "torture"), ("torure", "torture"), ("X", "y")],
)
def test_corrections_keep_the_typed_capitalisation(typed: str, meant: str) -> None:
    expected = {"ICC": "ICC", "Torure": "Torture", "torure": "torture", "X": "Y"}[typed]
    assert cased_like(typed, meant) == expected


@pytest.mark.parametrize(
    ("typed", "meant", "expected"),
    [
        ("ICC torure", "ICC torture", {9}),
        ("torure", "torture", {9}),
        ("Prosecutr", "Prosecutor", {7, 9}),
        ("crimnal court", "criminal court", {7, 8, 9}),
        ("пыкти", "пытки", {9}),  # two letters swapped: one edit
        ("катванні", "катаванні", {9}),
        ("humna", "human", {4, 5, 6, 7, 8, 9}),
    ],
)
def test_a_confident_spelling_correction_is_searched_at_once(
    search_index: SearchIndex, typed: str, meant: str, expected: set[int]
) -> None:
    assert reports(search_index, typed, verbatim=True) == set()
    result = search(search_index, SearchRequest(q=typed, per_page=50))
    assert result.corrected is not None
    assert (result.corrected.target, result.corrected.reason) == (meant, Reason.SPELLING)
    assert {hit.report for hit in result.hits} >= expected
    assert result.suggestion is None


def test_verbatim_searches_the_words_as_typed_and_only_suggests(
    search_index: SearchIndex,
) -> None:
    result = search(search_index, SearchRequest(q="ICC torure", verbatim=True))
    assert result.total == 0
    assert result.corrected is None
    assert result.suggestion == "ICC torture"  # not "icc torture"
    typed = search(search_index, SearchRequest(q="ЩЫСУ", verbatim=True))
    assert (typed.total, typed.corrected) == (0, None)


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("prosecutons", {"prosecutions", "prosecutors"}),
        ("fourh", {"four", "fourth"}),
        ("staute", {"state", "statute"}),  # "Rome Statute", "States"
    ],
)
def test_an_unsure_correction_is_only_suggested(
    search_index: SearchIndex, typed: str, candidates: set[str]
) -> None:
    # Each typo is one edit from two words of the corpus: no single clear candidate.
    result = search(search_index, SearchRequest(q=typed))
    assert result.corrected is None
    assert result.total == 0
    assert result.suggestion in candidates


def test_a_query_that_finds_something_is_never_corrected(search_index: SearchIndex) -> None:
    for q in ("torture", "OSCE", "ICC", "пыткі"):
        result = search(search_index, SearchRequest(q=q))
        assert result.total and result.corrected is None and result.suggestion is None


def test_filters_that_exclude_every_match_are_not_a_typo(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="torture", years=(2023,)))
    assert (result.total, result.corrected, result.suggestion) == (0, None, None)


# --- the API and the pages -----------------------------------------------------------


def test_the_api_says_what_it_corrected(client) -> None:
    data = client.get("/api/search?q=vjcrjdcrbq").get_json()
    assert data["query"] == "vjcrjdcrbq"
    assert data["corrected"] == {"from": "vjcrjdcrbq", "to": "московский", "reason": "layout"}
    assert {hit["report"] for hit in data["results"]} == {5, 7}
    data = client.get("/api/search?q=ICC+torure").get_json()
    assert data["corrected"] == {"from": "ICC torure", "to": "ICC torture", "reason": "spelling"}
    assert data["total"] and data["suggestion"] is None
    plain = client.get("/api/search?q=ICC").get_json()
    assert plain["corrected"] is None


def test_verbatim_is_a_validated_switch(client) -> None:
    data = client.get("/api/search?q=ICC+torure&verbatim=1").get_json()
    assert (data["total"], data["corrected"], data["suggestion"]) == (0, None, "ICC torture")
    response = client.get("/api/search?q=torure&verbatim=yes")
    assert response.status_code == 400
    assert response.get_json()["error"]["param"] == "verbatim"
    assert client.get("/api/search?q=torure&verbatim=1&verbatim=0").status_code == 400


def test_openapi_documents_verbatim_and_corrected(client) -> None:
    document = client.get("/openapi.json").get_json()
    params = {p["name"]: p for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert "verbatim" in params
    schemas = document["components"]["schemas"]
    assert "corrected" in schemas["SearchResult"]["required"]
    assert schemas["Correction"]["properties"]["reason"]["enum"] == ["layout", "spelling"]


def _note(body: str) -> str | None:
    match = re.search(r'<p class="note corrected"[^>]*>(.*?)</p>', body, re.S)
    return match.group(1) if match else None


def test_the_page_shows_the_correction_with_both_links(client) -> None:
    body = client.get("/?q=ICC+torure&hl=en").get_data(as_text=True)
    note = _note(body)
    assert note is not None
    links = dict(
        (text, href)
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*><(?:strong|em)>([^<]+)<', note)
    )
    text = re.sub(r"<[^>]+>", "", note)
    assert text == "Showing results for ICC torture. Search instead for ICC torure."
    assert parse_qs(urlsplit(unescape(links["ICC torture"])).query)["q"] == ["ICC torture"]
    instead = parse_qs(urlsplit(unescape(links["ICC torure"])).query)
    assert (instead["q"], instead["verbatim"]) == (["ICC torure"], ["1"])
    # Following "search instead" searches the words as typed: nothing, and "Did you mean".
    again = client.get(unescape(links["ICC torure"])).get_data(as_text=True)
    assert _note(again) is None
    assert "No report matches “ICC torure”." in again and "Did you mean:" in again
    # The search box sends a new query without "verbatim".
    assert 'name="verbatim"' not in again.split('<form class="facets"')[0]


@pytest.mark.parametrize(
    ("hl", "says"),
    [
        ("en", "Your query looks as if it was typed with the wrong keyboard layout."),
        ("be", "Падобна, запыт набраны ў іншай раскладцы клавіятуры."),
        ("ru", "Похоже, запрос набран в другой раскладке клавиатуры."),
    ],
)
def test_the_page_says_the_layout_was_read_back_in_each_language(
    client, hl: str, says: str
) -> None:
    body = client.get(f"/?q=%D0%A9%D0%AB%D0%A1%D0%A3&hl={hl}").get_data(as_text=True)
    note = _note(body)
    assert note is not None and says in note
    assert "<strong>OSCE</strong>" in note and "<em>ЩЫСУ</em>" in note
    showing = {"en": "Showing results for", "be": "Паказаны вынікі", "ru": "Показаны результаты"}
    assert showing[hl] in note


def test_the_feed_of_a_corrected_search_names_the_correction(client) -> None:
    import xml.etree.ElementTree as ET

    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(client.get("/feed.atom?q=ICC+torure&hl=en").data)
    assert root.findtext("a:title", namespaces=atom) == "IAPB progress reports: ICC torture"
    entries = root.findall("a:entry", atom)
    assert entries and all("r9-" in e.findtext("a:id", namespaces=atom) for e in entries)
