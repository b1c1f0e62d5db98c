"""Query clauses for the plain words of a query, read by :mod:`indexer.numberwords`.

:func:`build_words` is what :class:`indexer.query._Builder` calls for a run of plain,
required words outside any glossary name:

* stop words (:mod:`indexer.stopwords`) are left out, and listed in ``plan.stopped``;
* a count matches the number in digits ("thirty thousand" -> ``30000``), its words in
  every language and case form (``three`` -> three, три, трёх, тры, трох, ``3``), or,
  for a count times a multiplier, the count beside the multiplier in any form ("1,5
  млн" -> «1,5 миллиона», "1.5 million", ``1500000``); a number in digits from 2 to
  20, a ten or a hundred ("3 states") matches its words too.  A number is one concept
  of the query: it finds every language version of the reports it matches;
* an ordinal before a report noun ("ninth report", «9-й доклад», «дзявяты даклад»)
  matches the ordinal (in words or digits, any language) at most
  ``report_noun_slop`` words before a report noun: report 9's "Ninth Progress report",
  "9th Progress Report", «Девятый отчёт», «9-я справаздача»; not "seventh term";
* an abbreviation matches itself or the word it stands for ("art." -> article,
  «ст.» -> статья); one standing for a stop word («г.» -> год) is a stop word.

Each part is recorded in ``plan.parts`` with the text typed for it, for relaxed
matching (:mod:`indexer.engine.relax`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from whoosh import query as wq

from indexer import schema
from indexer.analysis import analyze
from indexer.languages import ALL_LANGS, Lang
from indexer.numberwords import (
    Abbreviation,
    Count,
    Ordinal,
    Word,
    digits,
    multiplier_forms,
    number_value,
    read_words,
    simple_forms,
    tables,
)
from indexer.stopwords import is_stop_word


class _Builder(Protocol):
    """What :mod:`indexer.query`'s builder gives this module (no import: it imports us)."""

    plan: Any  # indexer.query.QueryPlan
    keep_stop: bool

    def _budget(self) -> bool: ...
    def _or(self, clauses: list[wq.Query]) -> wq.Query | None: ...
    def word(self, text: str, negated: bool) -> wq.Query | None: ...
    def concept(self, query: wq.Query | None) -> wq.Query | None: ...
    def part(self, text: str, query: wq.Query) -> None: ...
    def text_clauses(self, lang: Lang, tokens: list[str]) -> list[wq.Query]: ...


def build_words(builder: _Builder, texts: list[str]) -> list[wq.Query]:
    """Required queries for the consecutive plain words ``texts`` (see the module)."""
    built: list[wq.Query] = []
    for reading in read_words(texts):
        query: wq.Query | None
        if isinstance(reading, Word):
            value = number_value(reading.text) if reading.text[:1].isdigit() else None
            if value is not None and any(simple_forms(value).values()):
                query = _count(builder, Count(reading.text, value))
            elif not builder.keep_stop and is_stop_word(reading.text):
                builder.plan.stopped.append(reading.text)
                continue
            else:
                query = builder.word(reading.text, negated=False)
        elif isinstance(reading, Abbreviation):
            if not builder.keep_stop and all(is_stop_word(w) for w in reading.words.values()):
                builder.plan.stopped.append(reading.text)
                continue
            query = _abbreviation(builder, reading)
        elif isinstance(reading, Count):
            query = _count(builder, reading)
        else:
            query = _ordinal(builder, reading)
        if query is not None:
            builder.part(reading.text, query)
            built.append(query)
    return built


def _alternatives(builder: _Builder, forms: dict[Lang, Iterable[str]]) -> list[wq.Query]:
    """Clauses for each text of ``forms`` in its language's title and summary (a
    phrase when it analyses to several words), each analysed form once."""
    clauses: list[wq.Query] = []
    for lang, texts in forms.items():
        seen: set[tuple[str, ...]] = set()
        for text in texts:
            tokens = tuple(analyze(text, lang))
            if not tokens or tokens in seen:
                continue
            seen.add(tokens)
            if len(tokens) == 1:
                builder.plan.marks[lang].add(tokens[0])
            else:
                builder.plan.phrases[lang].add(tokens)
            clauses.extend(builder.text_clauses(lang, list(tokens)))
    return clauses


def _count(builder: _Builder, count: Count) -> wq.Query | None:
    if not builder._budget():
        return None
    builder.plan.words.extend(count.text.split())
    forms: dict[Lang, list[str]] = {lang: [count.text, digits(count.value)] for lang in ALL_LANGS}
    for lang, words in simple_forms(count.value).items():
        forms[lang].extend(words)
    if count.multiplier is not None and count.count is not None:
        # The count beside its multiplier as the text may write it: «1,5 миллиона».
        counted = simple_forms(count.count)
        multipliers = multiplier_forms(count.multiplier)
        for lang in ALL_LANGS:
            for c in [digits(count.count), *counted[lang]]:
                forms[lang].extend(f"{c} {m}" for m in multipliers[lang])
    return builder.concept(builder._or(_alternatives(builder, forms)))


def _abbreviation(builder: _Builder, abbr: Abbreviation) -> wq.Query | None:
    typed = builder.word(abbr.text, negated=False)
    if typed is None:
        return None
    expanded = _alternatives(builder, {lang: [word] for lang, word in abbr.words.items()})
    return builder._or([typed, *expanded])


def _ordinal(builder: _Builder, ordinal: Ordinal) -> wq.Query | None:
    if not builder._budget():
        return None
    builder.plan.words.extend(ordinal.text.split())
    t = tables()
    clauses: list[wq.Query] = []
    for lang in ALL_LANGS:
        stems = [str(ordinal.number)]
        stems += [s for s, n in t.ordinals[lang].items() if n == ordinal.number]
        for stem in stems:
            builder.plan.marks[lang].add(stem)
            for noun in sorted(t.report_nouns[lang]):
                builder.plan.marks[lang].add(noun)
                for name in (schema.title_field(lang), schema.summary_field(lang)):
                    boost = schema.field_boosts()[name]
                    clauses.append(wq.Phrase(name, [stem, noun], slop=t.noun_slop, boost=boost))
    return builder.concept(builder._or(clauses))
