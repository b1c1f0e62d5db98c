"""The Whoosh schema: one document per (report, language); field names as constants.

Text fields exist per language (``title_en``, ``summary_be``, ...) so that each is
analysed with its own language's analyser; a document fills only its own language's
fields.  The ``key_*`` fields hold the cross-script keys, weighted low.

Only what a query searches is indexed (the ``months`` keywords are searched by the dates
a query names, see :mod:`indexer.dates`).  The report number, year and day are read in
bulk as columns (facets, date order) and never searched, so they are columns, not
numeric terms; the spelling field holds the vocabulary for the "did you mean"
corrector once, not a posting per word and document (see :class:`Vocabulary`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from indexer.analysis import analyzer, key_analyzer, plain_analyzer
from indexer.languages import ALL_LANGS, Lang

if TYPE_CHECKING:
    from indexer.corpus.load import Report

ID_FIELD = "id"
REPORT = "report"
LANG = "lang"
DATE = "date"
DAY = "day"  # date as a proleptic ordinal, for sorting
YEAR = "year"
TOPICS = "topics"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
MONTHS = "months"  # a report's date keys (summaries only): indexer.dates.report_date_keys
PROVENANCE = "provenance"
TRANSLATED = "translated"
SPELLING = "spelling"

TITLE_BOOST = 2.0
SUMMARY_BOOST = 1.0
KEY_BOOST = 0.25


def title_field(lang: Lang) -> str:
    return f"title_{lang.value}"


def summary_field(lang: Lang) -> str:
    return f"summary_{lang.value}"


def key_field(lang: Lang) -> str:
    return f"key_{lang.value}"


def report_fields(report: Report, lang: Lang) -> dict[str, Any]:
    """The fields that every document of a report version carries, a summary or a passage
    of its full report: what the filters, facets and date order read."""
    return {
        REPORT: report.number,
        LANG: lang.value,
        DATE: report.date.isoformat(),
        DAY: report.date.toordinal(),
        YEAR: report.date.year,
        TOPICS: ",".join(report.topics),
    }


@cache
def field_boosts() -> dict[str, float]:
    """The weight of each searched field in the query (BM25F); the same mapping each call."""
    boosts = {title_field(lang): TITLE_BOOST for lang in ALL_LANGS}
    boosts |= {summary_field(lang): SUMMARY_BOOST for lang in ALL_LANGS}
    boosts |= {key_field(lang): KEY_BOOST for lang in ALL_LANGS}
    return boosts


class NumberColumn(COLUMN):
    """An integer per document, kept as a column (and stored, if asked), not indexed."""

    def __init__(self, typecode: str = "i", stored: bool = False) -> None:
        super().__init__(NumericColumn(typecode))
        self.stored = stored


class Vocabulary(FieldType):
    """Every word of the corpus with its number of occurrences, indexed once.

    The value is a ready ``{word: count}`` mapping (the build counts the words of every
    title and summary with the plain analyser) added to one document only.  Each word
    is one posting whose weight is its count, so ``reader.frequency(SPELLING, word)``
    is the word's frequency in the corpus, which is all Whoosh's ``ReaderCorrector``
    ranks by, and ``(SPELLING, word) in reader`` says whether the corpus has the word.
    A posting per word and document (a plain TEXT field) cost a third of the build.
    """

    def __init__(self) -> None:
        self.format = Frequency()
        self.analyzer = plain_analyzer()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value: Mapping[str, int], **kwargs) -> Iterator[tuple]:
        for word, count in value.items():
            yield word.encode("utf-8"), count, float(count), pack_uint(count)


def build_schema() -> Schema:
    """The schema of a new index."""
    fields = {
        ID_FIELD: ID(stored=True, unique=True),
        REPORT: NumberColumn("q", stored=True),
        LANG: ID(stored=True, sortable=True),
        DATE: STORED(),
        DAY: NumberColumn("i"),
        YEAR: NumberColumn("i", stored=True),
        TOPICS: KEYWORD(stored=True, commas=True, scorable=False, lowercase=False),
        PERIOD_START: STORED(),
        PERIOD_END: STORED(),
        MONTHS: KEYWORD(commas=True, scorable=False, lowercase=False),
        PROVENANCE: STORED(),
        TRANSLATED: STORED(),
        SPELLING: Vocabulary(),
    }
    for lang in ALL_LANGS:
        fields[title_field(lang)] = TEXT(analyzer=analyzer(lang), stored=True, phrase=True)
        fields[summary_field(lang)] = TEXT(analyzer=analyzer(lang), stored=True, phrase=True)
        fields[key_field(lang)] = TEXT(analyzer=key_analyzer(lang), phrase=False)
    return Schema(**fields)
