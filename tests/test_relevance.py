"""The brief's user table as tests on the real corpus, at the level of the search API."""

from __future__ import annotations

import re

import pytest

from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.query import plan_query
from indexer.records import Collapse, Facet, SearchRequest, SortOrder
from indexer.search import get_document, search
from indexer.snippets import mark_all

EVERY_LANGUAGE = frozenset(ALL_LANGS)


def found(index: SearchIndex, q: str, **kwargs) -> set[tuple[int, Lang]]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    assert result.total == len(result.hits)
    return {(hit.report, hit.lang) for hit in result.hits}


def everywhere(*reports: int) -> set[tuple[int, Lang]]:
    return {(r, lang) for r in reports for lang in EVERY_LANGUAGE}


@pytest.mark.parametrize(
    ("q", "reports"),
    [
        # A researcher searching an acronym that no English summary writes.
        ("ICC", (7, 8, 9)),
        ("International Criminal Court", (7, 8, 9)),
        ("МУС", (7, 8, 9)),
        ("МКС", (7, 8, 9)),
        ("Міжнародны крымінальны суд", (7, 8, 9)),
        ('"Moscow Mechanism"', (5, 7)),
        ("Маскоўскі механізм", (5, 7)),
        ("OSCE", (5, 7)),
        ("АБСЕ", (5, 7)),
        ("OHCHR", (4, 5, 6, 7)),
        ("Rome Statute", (9,)),
        # Names whichever script or romanisation is typed.
        ("Lukashenka", (8, 9)),
        ("Lukashenko", (8, 9)),
        ("Лукашенко", (8, 9)),
        ("Лукашэнка", (8, 9)),
        # Inflected forms, across languages.
        ("torture", (9,)),
        ("пытки", (9,)),
        ("пыткі", (9,)),
        ("катаванні", (9,)),
        ("elections", (8,)),
        ("выборы", (8,)),
        ("выбары", (8,)),
        ("crimes against humanity", (4, 9)),
    ],
)
def test_users_find_every_report_in_every_language(
    search_index: SearchIndex, q: str, reports: tuple[int, ...]
) -> None:
    assert found(search_index, q) == everywhere(*reports)


@pytest.mark.parametrize(
    ("q", "lang", "reports"),
    [
        ("torture", Lang.EN, (9,)),
        ("tortured", Lang.EN, (9,)),
        ("пытки", Lang.RU, (9,)),
        ("пыткам", Lang.RU, (9,)),
        ("катаванне", Lang.BE, (9,)),
        ("катаванняў", Lang.BE, (9,)),
        ("выборов", Lang.RU, (8,)),
        ("выбараў", Lang.BE, (8,)),
        ("evidence", Lang.EN, (6, 7, 8, 9)),
    ],
)
def test_inflected_forms_match_without_the_glossary(
    search_index: SearchIndex, q: str, lang: Lang, reports: tuple[int, ...]
) -> None:
    hits = found(search_index, q, langs=(lang,), expand=False)
    assert {r for r, _ in hits} >= set(reports)
    assert all(doc_lang is lang for _, doc_lang in hits)


def test_icc_lists_what_it_expanded_to(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="ICC"))
    assert {"International Criminal Court", "МУС", "МКС"} <= set(result.expanded)


def test_icc_collapsed_gives_three_reports_best_language_first(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="ICC", collapse=Collapse.REPORT))
    assert result.total == 3
    assert {hit.report for hit in result.hits} == {7, 8, 9}
    for hit in result.hits:
        assert {o.lang for o in hit.other_languages} == EVERY_LANGUAGE - {hit.lang}
    years = {c.value: c.count for c in result.facets[Facet.YEAR]}
    assert years == {2025: 2, 2024: 1}


def test_english_snippet_marks_the_court_for_icc(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="ICC", langs=(Lang.EN,)))
    assert all("<mark>International Criminal Court</mark>" in h.snippet for h in result.hits)


def test_journalist_combines_year_and_language_filters(search_index: SearchIndex) -> None:
    request = SearchRequest(q="ICC", years=(2024, 2025), langs=(Lang.RU,))
    result = search(search_index, request)
    assert {(h.report, h.lang) for h in result.hits} == {(7, Lang.RU), (8, Lang.RU), (9, Lang.RU)}
    years = {c.value: c.count for c in result.facets[Facet.YEAR]}
    langs = {c.value: c.count for c in result.facets[Facet.LANG]}
    assert years == {2025: 2, 2024: 1}  # counted in Russian only
    assert langs == {Lang.EN: 3, Lang.BE: 3, Lang.RU: 3}  # its own filter not applied


def test_browsing_lists_all_documents_newest_first(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(per_page=50, sort=SortOrder.DATE))
    assert result.total == 18
    assert [h.report for h in result.hits[::3]] == [9, 8, 7, 6, 5, 4]


def test_every_topic_facet_value_is_labelled_in_the_interface_language(
    search_index: SearchIndex,
) -> None:
    result = search(search_index, SearchRequest(ui_lang=Lang.BE))
    topics = result.facets[Facet.TOPIC]
    assert len(topics) >= 11
    assert all(c.label and c.label != c.value for c in topics)


@pytest.mark.parametrize("ui", list(ALL_LANGS))
def test_collapsed_icc_shows_each_report_in_the_interface_language(
    search_index: SearchIndex, ui: Lang
) -> None:
    # Translations name the court twice (full name and acronym), so they outscore the
    # English original a little; the reader's own language is still shown.
    result = search(search_index, SearchRequest(q="ICC", collapse=Collapse.REPORT, ui_lang=ui))
    assert [hit.lang for hit in result.hits] == [ui, ui, ui]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("torture", Lang.EN),
        ("пытки", Lang.RU),
        ("катаванні", Lang.BE),
        ('"Moscow Mechanism"', Lang.EN),
    ],
)
def test_the_language_typed_ranks_above_glossary_translations(
    search_index: SearchIndex, q: str, first: Lang
) -> None:
    hits = search(search_index, SearchRequest(q=q)).hits
    assert hits[0].lang is first


# Expected from the corpus text: "repression" is in the English summaries of reports 8
# and 9 only; "mental health" in 8 and 9; "referral pathways" in 9; "29,492" in 7 and
# "30,000" in 8; "pytki" romanises «пытки» (Russian summary of 9), which the English
# ("torture") and Belarusian («катаванні») versions of report 9 say in their own words.
@pytest.mark.parametrize(
    ("q", "reports"),
    [
        ("repress*", (8, 9)),
        ('"mental health"', (8, 9)),
        ('"referral pathways"', (9,)),
        ("29,492", (7,)),
        ("30,000", (8,)),
        ("pytki", (9,)),
    ],
)
@pytest.mark.parametrize("lang", list(ALL_LANGS))
def test_every_language_version_is_found_for_prefixes_phrases_numbers_and_romanisations(
    search_index: SearchIndex, q: str, reports: tuple[int, ...], lang: Lang
) -> None:
    assert found(search_index, q, langs=(lang,)) == {(r, lang) for r in reports}


# Expected from the corpus text, each language on its own (expand=0: no carrying a match
# to sibling versions): report 8 writes "30,000" (en) and "30 000" (be, ru); report 7
# "29,492" / "29 492" and "2,637" / "2637"; report 8 "1.5 million" / «1,5 мільёна» /
# «1,5 миллиона»; "2020" stands in report 9 only ("Since 2020, over 7,500", «З 2020
# года», «С 2020 года»), followed by a comma and a space in English.
@pytest.mark.parametrize(
    ("q", "reports"),
    [
        ("30000", (8,)),
        ("30,000", (8,)),
        ("30 000", (8,)),
        ("30\u00a0000", (8,)),  # no-break space
        ("30\u202f000", (8,)),  # narrow no-break space
        ("30\u2009000", (8,)),  # thin space
        ("30.000", (8,)),
        ("29492", (7,)),
        ("29 492", (7,)),
        ("2 637", (7,)),
        ("2.637", (7,)),
        ("1,5", (8,)),
        ("1.5", (8,)),
        ("2020", (9,)),
    ],
)
def test_a_number_is_one_word_in_every_spelling_and_every_language(
    search_index: SearchIndex, q: str, reports: tuple[int, ...]
) -> None:
    assert found(search_index, q, expand=False) == everywhere(*reports)


def test_a_quoted_phrase_holding_a_spaced_number_matches_it(search_index: SearchIndex) -> None:
    # Russian 8: «до более чем 30 000 документов, связанных со свидетелями».
    q = '"более чем 30 000 документов"'
    assert found(search_index, q, expand=False) == {(8, Lang.RU)}
    assert found(search_index, q) == everywhere(8)


def test_a_number_with_spaces_is_marked_whole_in_the_snippet(search_index: SearchIndex) -> None:
    hits = search(search_index, SearchRequest(q="30,000", langs=(Lang.RU,))).hits
    assert [h.report for h in hits] == [8]
    assert "<mark>30\u00a0000</mark>" in hits[0].snippet  # the no-break space as written


def test_a_version_found_through_its_sibling_ranks_below_one_matching_itself(
    search_index: SearchIndex,
) -> None:
    hits = search(search_index, SearchRequest(q="repress*", per_page=50)).hits
    assert [h.lang for h in hits[:2]] == [Lang.EN, Lang.EN]
    assert {h.lang for h in hits[2:]} == {Lang.BE, Lang.RU}


def test_without_expansion_a_prefix_finds_only_its_own_language(
    search_index: SearchIndex,
) -> None:
    assert found(search_index, "repress*", expand=False) == {(8, Lang.EN), (9, Lang.EN)}


def first_version_of_each_report(index: SearchIndex, q: str, ui: Lang) -> dict[int, Lang]:
    hits = search(index, SearchRequest(q=q, per_page=50, ui_lang=ui)).hits
    first: dict[int, Lang] = {}
    for hit in hits:
        first.setdefault(hit.report, hit.lang)
    return first


# The query's letters decide its language (і/ў Belarusian, и/щ/ъ Russian, Latin
# English); acronyms and Cyrillic shared by both languages leave it to the interface.
@pytest.mark.parametrize(
    ("q", "ui", "reader"),
    [
        ("ICC", Lang.EN, Lang.EN),
        ("ICC", Lang.BE, Lang.BE),
        ("ICC", Lang.RU, Lang.RU),
        ("International Criminal Court", Lang.EN, Lang.EN),
        ("International Criminal Court", Lang.RU, Lang.EN),
        ("torture", Lang.BE, Lang.EN),
        ("пыткі", Lang.EN, Lang.BE),
        ("пыткі", Lang.RU, Lang.BE),
        ("пытки", Lang.BE, Lang.RU),
        ("катаванне", Lang.BE, Lang.BE),
    ],
)
def test_the_reader_s_language_ranks_first_among_a_report_s_versions(
    search_index: SearchIndex, q: str, ui: Lang, reader: Lang
) -> None:
    first = first_version_of_each_report(search_index, q, ui)
    assert first and set(first.values()) == {reader}


@pytest.mark.parametrize("ui", list(ALL_LANGS))
def test_collapse_shows_the_version_in_the_query_s_language(
    search_index: SearchIndex, ui: Lang
) -> None:
    request = SearchRequest(q="пыткі", collapse=Collapse.REPORT, ui_lang=ui)
    assert [(h.report, h.lang) for h in search(search_index, request).hits] == [(9, Lang.BE)]


# Expected from the English summaries: report 9 writes "Criminal Accountability" as
# adjacent words (a guide's title); report 8 has them 7 words apart, reports 5 and 7 far
# apart (24 and 126 words).  Report 9's summary is the longest, so the words alone
# (BM25) would rank the shorter summaries first.
def test_words_next_to_each_other_rank_above_the_same_words_far_apart(
    search_index: SearchIndex,
) -> None:
    hits = search(search_index, SearchRequest(q="criminal accountability", langs=(Lang.EN,))).hits
    assert {h.report for h in hits} == {5, 7, 8, 9}
    assert hits[0].report == 9


FUNCTION_WORDS_TYPED = {"the", "in", "of", "і", "ў", "у", "па", "и", "в", "по"}


# Each query holds a function word that its summaries contain many times over ("in",
# "the", «ў»/«у», «в»); each finds report 9's summary in its language; only runs of
# marked words may include them.
@pytest.mark.parametrize(
    "q",
    ["torture in Belarus", "the Rome Statute", "катаванні ў Беларусі", "пытки в Беларуси"],
)
def test_no_function_word_is_highlighted_on_its_own(search_index: SearchIndex, q: str) -> None:
    hits = search(search_index, SearchRequest(q=q, per_page=50, expand=False)).hits
    assert hits
    marked = [m.lower() for h in hits for m in re.findall(r"<mark>(.*?)</mark>", h.snippet)]
    assert not FUNCTION_WORDS_TYPED & set(marked)


def test_a_phrase_is_highlighted_only_where_its_words_stand_together(
    search_index: SearchIndex,
) -> None:
    # Report 9's English says "accountability mechanisms" but never "Moscow Mechanism".
    gen = search_index.generation()
    plan = plan_query('"Moscow Mechanism"', gen.glossary, gen.searcher().reader())
    summary = get_document(search_index, "r9-en").summary
    assert "<mark>" not in mark_all(summary, Lang.EN, plan.snippet_terms(Lang.EN))
    summary = get_document(search_index, "r5-en").summary
    marked = re.findall(
        r"<mark>(.*?)</mark>", mark_all(summary, Lang.EN, plan.snippet_terms(Lang.EN))
    )
    # Report 5 names it as "the OSCE Moscow Mechanism" (OSCE: a name of the same concept).
    assert {"Moscow", "Mechanism"} <= set(marked) <= {"OSCE", "Moscow", "Mechanism"}


def test_the_snippet_shows_the_passage_with_most_distinct_concepts(
    search_index: SearchIndex,
) -> None:
    # Report 9's English: one sentence names "torture" and "persecution" (two concepts),
    # another the International Criminal Court (one concept in three words).
    request = SearchRequest(
        q="International Criminal Court OR torture OR persecution", langs=(Lang.EN,)
    )
    (snippet,) = [h.snippet for h in search(search_index, request).hits if h.report == 9]
    assert "<mark>torture</mark>" in snippet and "<mark>persecution</mark>" in snippet
