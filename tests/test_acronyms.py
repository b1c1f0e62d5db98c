"""Every acronym in every direction (issue 9): each name of each concept that has an
acronym, typed alone, finds the documents whose text names the concept.

The names are read from corpus/glossary.yaml (they are the input); the documents that
name each concept were read from corpus/reports/*.yaml by hand and are written below,
with the words the texts use, before the search was run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.corpus.load import load_corpus
from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.records import SearchRequest
from indexer.search import search

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EN, BE, RU = Lang.EN, Lang.BE, Lang.RU


def everywhere(*reports: int) -> frozenset[tuple[int, Lang]]:
    return frozenset((r, lang) for r in reports for lang in ALL_LANGS)


# concept id -> the (report, language) documents whose text names it.
NAMED_IN: dict[str, frozenset[tuple[int, Lang]]] = {
    # en 4 "UN High Commissioner", 7 "UN Human Rights Office", 8 "UN Group of
    # Independent Experts", 9 "UN experts"; every be text «ААН», every ru text «ООН»
    # (5 and 6 in «УВКПЧ ААН/ООН»); en 5 and 6 say only "OHCHR".
    "un": everywhere(4, 7, 8, 9) | {(r, lang) for r in (5, 6) for lang in (BE, RU)},
    # "International Criminal Court", «Міжнародны крымінальны суд (МКС)», «(МУС)».
    "icc": everywhere(7, 8, 9),
    # "Office of the Prosecutor of the International Criminal Court", «Канцылярыі
    # Пракурора Міжнароднага крымінальнага суда», «Канцелярии Прокурора ... суда».
    "icc-office-of-the-prosecutor": everywhere(7, 9),
    # 4 "(OHCHR)", 5 and 6 "OHCHR examination", 7 "UN Human Rights Office"; «УВКПЧ».
    "ohchr": everywhere(4, 5, 6, 7),
    # 5 "OHCHR examination of the human rights situation in Belarus", 6 the same "(OEB)".
    "ohchr-examination-of-belarus": everywhere(5, 6),
    # 4 "UN Human Rights Council", «Савету ААН па правах чалавека», «Совету ООН ...».
    "un-human-rights-council": everywhere(4),
    # 8 "UN Group of Independent Experts on human rights in Belarus", «Групу ...».
    "group-of-independent-experts-on-belarus": everywhere(8),
    # 9 "UN experts", «Эксперты ААН», «Эксперты ООН»; the be and ru texts of 8 also
    # write «экспертаў ААН», «экспертов ООН» (in the Group's name).
    "un-experts": everywhere(9) | {(8, BE), (8, RU)},
    # 5 and 7 "OSCE Moscow Mechanism Rapporteur", «... АБСЕ», «... ОБСЕ».
    "osce": everywhere(5, 7),
    "osce-moscow-mechanism": everywhere(5, 7),
    "osce-moscow-mechanism-rapporteur": everywhere(5, 7),
    # Every summary: "IAPB".
    "iapb": everywhere(4, 5, 6, 7, 8, 9),
    # 8 and 9 "mental health and psychosocial support", «псіхічнага здароўя і
    # псіхасацыяльнай падтрымкі», «психического здоровья и психосоциальной поддержки».
    "mental-health-and-psychosocial-support": everywhere(8, 9),
    # 8 "open-source records", 9 "open-source materials", «з адкрытых крыніц»,
    # «из открытых источников» (7 has the "close-source collection", not open).
    "open-source-materials": everywhere(8, 9),
    # No report names the UN refugee agency (UNHCR, «УВКБ ООН»): its names, which begin
    # as the OHCHR's do, find nothing (issue 24 §5).
    "unhcr": frozenset(),
}

_ACRONYM_RE = re.compile(r"\b[A-ZА-ЯЁІЎ]{2,}\b")
CONCEPTS = {c.id: c for c in load_corpus(CORPUS).glossary}
CASES = [
    (concept_id, lang, name)
    for concept_id in NAMED_IN
    for lang in ALL_LANGS
    for name in CONCEPTS[concept_id].names[lang]
]


def test_every_concept_with_an_acronym_is_covered() -> None:
    with_acronym = {
        c.id for c in CONCEPTS.values() if any(_ACRONYM_RE.search(n) for _, n in c.all_names())
    }
    assert with_acronym <= set(NAMED_IN)


@pytest.mark.parametrize(("concept_id", "lang", "name"), CASES)
def test_each_name_finds_every_document_that_names_the_concept(
    search_index: SearchIndex, concept_id: str, lang: Lang, name: str
) -> None:
    result = search(search_index, SearchRequest(q=name, per_page=50))
    hits = {(hit.report, hit.lang) for hit in result.hits}
    expected = NAMED_IN[concept_id]
    assert expected <= hits, sorted(expected - hits)
    assert {r for r, _ in hits} == {r for r, _ in expected}
