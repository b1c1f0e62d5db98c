"""Which numbers of the summaries no figure and no ``ignore`` covers.

``iapb-index check`` warns about each (a count nobody traced yet, or a date nobody
marked as one); ``iapb-index figures suggest --report N`` lists them with their sentence
in each language, so that a newly imported report ends with its figures reviewed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from indexer.corpus.load import Corpus, Report
from indexer.figures.model import FigureSet, Quote
from indexer.figures.numbers import mentions
from indexer.figures.quotes import paragraph_texts, quote_of
from indexer.languages import Lang


@dataclass(frozen=True)
class Uncovered:
    """A number of one report's summaries that nothing covers, with its sentences."""

    report: int
    source: str
    paragraph: int
    value: Decimal
    quotes: dict[Lang, Quote]  # the sentence in each language that has the number there


def uncovered_numbers(corpus: Corpus, figures: FigureSet) -> list[Uncovered]:
    """Every number of every summary that no figure value and no ``ignore`` covers,
    report by report (oldest first), paragraph by paragraph."""
    found: list[Uncovered] = []
    for report in sorted(corpus.reports, key=lambda r: r.number):
        found += _uncovered(report, figures)
    return found


def _uncovered(report: Report, figures: FigureSet) -> list[Uncovered]:
    ignored = {i.value for i in figures.ignored if i.report == report.number}
    claimed = Counter(
        (v.paragraph, v.value)
        for f in figures.figures
        for v in f.values
        if v.report == report.number
    )
    per_lang: dict[Lang, list[tuple[int, Decimal, Quote]]] = {}
    for lang in report.langs:
        left: list[tuple[int, Decimal, Quote]] = []
        for position, text in enumerate(paragraph_texts(report.summaries[lang].summary), 1):
            seen: Counter = Counter()
            for mention in mentions(text):
                key = (position, mention.value)
                seen[key] += 1
                if mention.value in ignored or seen[key] <= claimed[key]:
                    continue
                left.append((position, mention.value, quote_of(text, mention)))
        per_lang[lang] = left
    # The same number in the same paragraph is one finding, with each language's sentence.
    merged: dict[tuple[int, Decimal, int], dict[Lang, Quote]] = {}
    for lang, left in per_lang.items():
        nth: Counter = Counter()
        for paragraph, value, quote in left:
            nth[(paragraph, value)] += 1
            merged.setdefault((paragraph, value, nth[(paragraph, value)]), {})[lang] = quote
    return [
        Uncovered(report.number, report.source, paragraph, value, quotes)
        for (paragraph, value, _), quotes in sorted(merged.items(), key=lambda kv: kv[0])
    ]
