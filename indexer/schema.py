"""The Whoosh schema: one document per (report, language); field names as constants.

Text fields exist per language (``title_en``, ``summary_be``, ...) so that each is
analysed with its own language's analyser; a document fills only its own language's
fields.  The ``key_*`` fields hold the cross-script keys, weighted low.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import analyzer, key_analyzer, plain_analyzer
from indexer.languages import ALL_LANGS, Lang

ID_FIELD = "id"
REPORT = "report"
LANG = "lang"
DATE = "date"
DAY = "day"  # date as a proleptic ordinal, for sorting
YEAR = "year"
TOPICS = "topics"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
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


def text_fields() -> list[tuple[str, Lang]]:
    """Every language-analysed text field with its language (titles first)."""
    return [(title_field(lang), lang) for lang in ALL_LANGS] + [
        (summary_field(lang), lang) for lang in ALL_LANGS
    ]


def key_fields() -> list[tuple[str, Lang]]:
    return [(key_field(lang), lang) for lang in ALL_LANGS]


def field_boosts() -> dict[str, float]:
    """The weight of each searched field in the query (BM25F)."""
    boosts = {title_field(lang): TITLE_BOOST for lang in ALL_LANGS}
    boosts |= {summary_field(lang): SUMMARY_BOOST for lang in ALL_LANGS}
    boosts |= {key_field(lang): KEY_BOOST for lang in ALL_LANGS}
    return boosts


def build_schema() -> Schema:
    """The schema of a new index."""
    fields = {
        ID_FIELD: ID(stored=True, unique=True),
        REPORT: NUMERIC(int, stored=True, sortable=True),
        LANG: ID(stored=True, sortable=True),
        DATE: STORED(),
        DAY: NUMERIC(int, sortable=True),
        YEAR: NUMERIC(int, stored=True, sortable=True),
        TOPICS: KEYWORD(stored=True, commas=True, scorable=False, lowercase=False),
        PERIOD_START: STORED(),
        PERIOD_END: STORED(),
        PROVENANCE: STORED(),
        TRANSLATED: STORED(),
        SPELLING: TEXT(analyzer=plain_analyzer(), phrase=False, stored=False),
    }
    for lang in ALL_LANGS:
        fields[title_field(lang)] = TEXT(analyzer=analyzer(lang), stored=True, phrase=True)
        fields[summary_field(lang)] = TEXT(analyzer=analyzer(lang), stored=True, phrase=True)
        fields[key_field(lang)] = TEXT(analyzer=key_analyzer(lang), phrase=False)
    return Schema(**fields)
