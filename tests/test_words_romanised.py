"""Glossary names typed in Latin letters find the concept (issue 24 §4)."""

from __future__ import annotations

import pytest
import yaml

from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.records import SearchRequest
from indexer.romanised import cyrillic_readings
from indexer.search import search
from tests.helpers import CORPUS


def reports_saying(text: str, lang: Lang) -> set[int]:
    """The oracle, from the corpus files: reports whose summary in ``lang`` has ``text``."""
    found = set()
    for path in sorted((CORPUS / "reports").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if text in data[lang.value]["summary"]:
            found.add(data["number"])
    return found


@pytest.mark.parametrize(
    ("typed", "russian", "belarusian"),
    [
        ("MUS", "мус", "мус"),
        ("OON", "оон", "оон"),
        ("ABSE", "абсе", "абсе"),
        ("UVKPCh", "увкпч", "увкпч"),
        ("Mezhdunarodny ugolovny sud", "международны уголовны суд", "международны уголовны суд"),
        ("Moskovsky mekhanizm", "московский механизм", "московскы механізм"),
        ("Maskouski", "маскоуски", "маскоўскі"),
        ("Tsikhanouskaya", "циханоуская", "ціханоўская"),
        ("politzaklyuchennye", "политзаключенные", "політзаключенне"),
        ("Yeltsin", "елцин", "елцін"),
    ],
)
def test_latin_words_are_read_in_russian_and_belarusian(
    typed: str, russian: str, belarusian: str
) -> None:
    assert cyrillic_readings(typed) == [(Lang.RU, russian), (Lang.BE, belarusian)]


@pytest.mark.parametrize("typed", ["МУС", "ICC 2024", "Łukašenka", "", "sud-1"])
def test_only_latin_words_are_read(typed: str) -> None:
    assert cyrillic_readings(typed) == []


@pytest.mark.parametrize(
    ("q", "name", "lang"),
    [
        ("MUS", "МУС", Lang.RU),
        ("mus", "МУС", Lang.RU),
        ("MKS", "МКС", Lang.BE),
        ("OON", "ООН", Lang.RU),
        ("AAN", "ААН", Lang.BE),
        ("ABSE", "АБСЕ", Lang.BE),
        ("OBSE", "ОБСЕ", Lang.RU),
        ("Mezhdunarodny ugolovny sud", "Международного уголовного суда", Lang.RU),
        ("Mezhdunarodnogo ugolovnogo suda", "Международного уголовного суда", Lang.RU),
        ("Mizhnarodny kryminalny sud", "Міжнароднага крымінальнага суда", Lang.BE),
        ("Moskovsky mekhanizm", "Московского механизма", Lang.RU),
        ("Maskouski mekhanizm", "Маскоўскага механізма", Lang.BE),
    ],
)
def test_a_name_typed_in_latin_letters_finds_the_concept(
    search_index: SearchIndex, q: str, name: str, lang: Lang
) -> None:
    said = reports_saying(name, lang)
    assert said, "no report says it: the case tests nothing"
    typed_in_cyrillic = search(search_index, SearchRequest(q=name, per_page=50))
    result = search(search_index, SearchRequest(q=q, per_page=50))
    # The reports the name typed in Cyrillic finds (each form of the concept's names).
    assert {hit.report for hit in result.hits} == {h.report for h in typed_in_cyrillic.hits}
    assert {hit.report for hit in result.hits} >= said
    assert result.expanded  # found as the concept, by its names


@pytest.mark.parametrize("q", ["on", "no", "net", "da", "sud", "vesna 2024"])
def test_latin_words_that_name_no_concept_expand_to_nothing(
    search_index: SearchIndex, q: str
) -> None:
    # «он», «но», «нет», «да», «суд» are words, not names; «весна» next to a year is
    # the season, not the human rights centre (a homonym, as typed in Cyrillic).
    assert search(search_index, SearchRequest(q=q, per_page=50)).expanded == ()


@pytest.mark.parametrize(
    ("typed", "cyrillic"),
    [
        # A plural adjective ending "-ye" is «-ые».
        ("politzaklyuchennye", "политзаключённые"),
        # Łacinka: the glossary reads the name in Cyrillic by latynkatar's rules.
        ("palitviaźni", "палітвязні"),
        ("Pałityčnyja viaźni", "палітычныя вязні"),
    ],
)
def test_a_romanised_term_finds_what_the_cyrillic_term_finds(
    search_index: SearchIndex, typed: str, cyrillic: str
) -> None:
    expected = search(search_index, SearchRequest(q=cyrillic, per_page=50))
    assert expected.total, "the Cyrillic term finds nothing: the case tests nothing"
    result = search(search_index, SearchRequest(q=typed, per_page=50))
    assert {(h.report, h.lang) for h in result.hits} == {(h.report, h.lang) for h in expected.hits}
