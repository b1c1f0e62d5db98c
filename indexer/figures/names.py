"""A figure's names as the answer card compares them with a query: analysed as the
query is, without the words that only ask ("how many", «сколько», «колькі»)."""

from __future__ import annotations

from functools import cache, lru_cache

from indexer.analysis import analyze
from indexer.languages import Lang

# Words that ask for a number or only carry the question, per language: question words,
# auxiliaries, the verbs a question about a count uses ("collected", «опросила»),
# prepositions and relative pronouns, and the country every figure is about.
_FRAME: dict[Lang, str] = {
    Lang.EN: (
        "how many much number numbers of the total count amount figure figures so far to date "
        "by now in a an what is are was were has have had did does do been there currently "
        "iapb platform it its collected gathered conducted recorded received held stored "
        "given got latest current who that which from belarus"
    ),
    Lang.BE: (
        "колькі колькасць лік агульная агульны усяго ўсяго iapb платформа было была былі быў "
        "ёсць мае сабрала сабраў сабрана сабраных атрымала атрымалі атрымаў правяла "
        "зафіксавана у ў на за па да з і якая які якія цяпер апошняя ад беларусі беларусь "
        "апытала апытаў апытана"
    ),
    Lang.RU: (
        "сколько количество число общее общий всего iapb платформа было была были был есть "
        "имеет собрала собрано собранных получила получили получил провела зафиксировано "
        "в во на за по до с и какое какой какие сейчас последнее от которые который "
        "беларуси беларусь опросила опросил опрошено"
    ),
}


@lru_cache(maxsize=4096)
def name_terms(text: str, lang: Lang) -> frozenset[str]:
    """The terms of ``text`` in ``lang`` that are not question words."""
    frame = _frame(lang)
    return frozenset(t for t in analyze(text, lang) if t not in frame)


@cache
def _frame(lang: Lang) -> frozenset[str]:
    return frozenset(analyze(_FRAME[lang], lang))
