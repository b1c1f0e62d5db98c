"""The bilingual review's corrections (issue 24 §5): the platform's own names, the
corrected translations, no-break spaces in numbers, false expansions and missing names.

Expected reports and phrases were read from corpus/reports/*.yaml and the issue before
any search was run."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.analysis import analyze
from indexer.corpus.load import load_corpus
from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.records import SearchRequest
from indexer.search import search

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORTS = {r.number: r for r in load_corpus(CORPUS).reports}
EN, BE, RU = Lang.EN, Lang.BE, Lang.RU
NBSP = "\u00a0"


def text(number: int, lang: Lang) -> str:
    return REPORTS[number].summaries[lang].summary


def found(index: SearchIndex, q: str, **kwargs) -> set[tuple[int, Lang]]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    return {(hit.report, hit.lang) for hit in result.hits}


@pytest.mark.parametrize("number", [4, 5, 7, 8])
def test_the_summaries_use_the_platforms_own_names(number: int) -> None:
    be = "Міжнародная платформа па прыцягненні вінаватых да адказнасці для Беларусі"
    ru = "Международная платформа по привлечению виновных к ответственности для Беларуси"
    assert text(number, BE).startswith(be)
    assert text(number, RU).startswith(ru)


@pytest.mark.parametrize(
    ("number", "lang", "wrong", "right"),
    [
        (7, RU, "предварительного расследования", "предварительного изучения"),
        (7, BE, "папярэдняга расследавання", "папярэдняга вывучэння"),
        (5, RU, "изучению УВКПЧ ООН положения", "проводимому УВКПЧ ООН изучению положения"),
        (5, BE, "вывучэнню УВКПЧ ААН сітуацыі", "праводзімаму УВКПЧ ААН вывучэнню сітуацыі"),
        (6, RU, "изучения УВКПЧ ООН положения", "проводимого УВКПЧ ООН изучения положения"),
        (6, BE, "вывучэння УВКПЧ ААН сітуацыі", "праводзімага УВКПЧ ААН вывучэння сітуацыі"),
        (5, RU, "Докладчику", "докладчику"),
        (5, BE, "Дакладчыку", "дакладчыку"),
        (7, RU, "Докладчика", "докладчика"),
        (7, BE, "Дакладчыка", "дакладчыка"),
        (
            7,
            RU,
            "достигло восьми запросов",
            "общее число запросов от пяти государств достигло восьми",
        ),
        (7, BE, "дасягнула васьмі запытаў", "агульная колькасць запытаў ад пяці дзяржаў дасягнула"),
        (8, BE, "больш чым 30", f"больш за 30{NBSP}000"),
        (8, BE, "накіраваныя", "былі накіраваны"),
        (4, BE, "могуць складаць злачынствы", "могуць быць злачынствамі"),
        (9, RU, "представляет положение", "освещает положение"),
        (9, BE, "прадстаўляе сітуацыю", "асвятляе сітуацыю"),
        (9, RU, "расширению возможностей", "расширению прав и возможностей"),
        (9, BE, "пашырэнні магчымасцяў", "пашырэнні правоў і магчымасцей"),
        (9, BE, "па падыходзе, арыентаваным", "па прымяненні падыходу, арыентаванага"),
        # One aspect: "is aiming to further ... or help ... to instigate them".
        (6, RU, "или помочь соответствующим органам их начать", "или помогать"),
        (6, BE, "або дапамагчы адпаведным органам іх распачаць", "або дапамагаць"),
    ],
)
def test_each_correction_of_the_review_is_made(
    number: int, lang: Lang, wrong: str, right: str
) -> None:
    assert wrong not in text(number, lang)
    assert right in text(number, lang)


@pytest.mark.parametrize(
    ("number", "lang", "number_text", "token"),
    [(7, BE, "29 492", "29492"), (7, RU, "29 492", "29492"), (8, BE, "30 000", "30000")],
)
def test_numbers_keep_no_break_spaces_and_read_as_one_number(
    search_index: SearchIndex, number: int, lang: Lang, number_text: str, token: str
) -> None:
    written = number_text.replace(" ", NBSP)
    assert written in text(number, lang) and number_text not in text(number, lang)
    assert analyze(written, lang) == [token]
    # Typed with a plain space, a no-break space or none, it finds the report.
    for typed in (number_text, written, token):
        assert (number, lang) in found(search_index, typed), typed


def test_hrc_is_ambiguous_and_expands_to_neither(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="HRC"))
    assert result.expanded == ()
    assert result.total == 0
    # The council is still found by its names (report 4).
    assert {r for r, _ in found(search_index, "Human Rights Council")} == {4}
    assert {r for r, _ in found(search_index, "СПЧ")} == {4}


@pytest.mark.parametrize(
    "q",
    [
        "Управление Верховного комиссара ООН по делам беженцев",
        "Верховный комиссар ООН по делам беженцев",
        "Офис Верховного комиссара ООН по делам беженцев",
        "Упраўленне Вярхоўнага камісара ААН па справах бежанцаў",
        "UN High Commissioner for Refugees",
        "Office of the High Commissioner for Refugees",
        "UNHCR",
    ],
)
def test_the_refugee_agency_is_not_the_ohchr(search_index: SearchIndex, q: str) -> None:
    result = search(search_index, SearchRequest(q=q))
    assert not {"OHCHR", "УВКПЧ ООН", "УВКПЧ ААН"} & set(result.expanded)
    assert result.total == 0  # no report names the refugee agency


def test_approach_is_not_a_romanised_apracha(search_index: SearchIndex) -> None:
    # «Апрача таго» ("besides") opens a sentence of report 6's be text only.
    assert "Апрача" in text(6, BE)
    assert {r for r, _ in found(search_index, "approach")} == {8, 9}
    assert {r for r, _ in found(search_index, "Апрача")} == {6}
    # A Latin word that is no English word of the corpus still finds the Cyrillic texts.
    assert (9, BE) in found(search_index, "katavanni")


@pytest.mark.parametrize(
    ("q", "reports"),
    [
        # The missing names, each in the three languages, found in every language version.
        ("ICC Prosecutor", {7, 9}),
        ("Прокурор МУС", {7, 9}),
        ("Пракурор МКС", {7, 9}),
        ("psychosocial support", {8, 9}),
        ("психосоциальная поддержка", {8, 9}),
        ("псіхасацыяльная падтрымка", {8, 9}),
        ("referral pathways", {9}),
        ("механизмы перенаправления", {9}),
        ("механізмы перанакіравання", {9}),
        ("survivor-centred", {8, 9}),
        ("ориентированный на пострадавших", {8, 9}),
        ("палітзняволеныя", {9}),
        ("СПЧ", {4}),
        ("Экспертыза Упраўлення Вярхоўнага камісара ААН па правах чалавека ў Беларусі", {5, 6}),
    ],
)
def test_the_missing_names_find_their_reports_in_every_language(
    search_index: SearchIndex, q: str, reports: set[int]
) -> None:
    assert found(search_index, q) == {(r, lang) for r in reports for lang in ALL_LANGS}


def test_the_old_term_of_report_7_is_a_homonym() -> None:
    concept = next(c for c in load_corpus(CORPUS).glossary if c.id == "icc-preliminary-examination")
    assert concept.homonyms[RU] == ("предварительное расследование",)
    assert concept.homonyms[BE] == ("папярэдняе расследаванне",)


def test_no_break_spaces_stay_in_snippets_and_paragraphs(search_index: SearchIndex) -> None:
    from indexer.corpus.paragraphs import split_paragraphs

    hits = search(search_index, SearchRequest(q="29492", langs=(BE,))).hits
    assert [h.report for h in hits] == [7]
    assert f"<mark>29{NBSP}492</mark>" in hits[0].snippet
    assert f"30{NBSP}000" in split_paragraphs(text(8, BE))[1].text
