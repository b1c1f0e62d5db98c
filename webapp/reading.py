"""Reading a report: its paragraphs with their anchors, a query's matches marked.

The report page shows a summary paragraph by paragraph, each with its permalink
(:mod:`indexer.corpus.paragraphs`); opened from a search (``?q=ICC``) it marks the query's
matches with the same analysers and highlighter as the snippets, so stems, glossary
names and cross-script keys match there as they do in the results.  The compare page
(:func:`compare_report`) shows a report's language versions side by side the same way,
paragraph by paragraph.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from indexer.corpus.load import doc_id
from indexer.corpus.paragraphs import split_paragraphs
from indexer.engine.generation import SearchIndex
from indexer.errors import VersionMissing
from indexer.languages import ALL_LANGS, Lang
from indexer.records import Document
from indexer.search import get_document, query_planner
from indexer.snippets import Terms, mark_all


@dataclass(frozen=True)
class ShownParagraph:
    """A paragraph as a page shows it: position, anchor and HTML (only ``<mark>`` is markup)."""

    position: int
    anchor: str
    html: str
    marked: bool


def query_terms(index: SearchIndex, q: str, lang: Lang) -> Terms:
    """What to mark in a text in ``lang`` for the query ``q`` (nothing for an empty one)."""
    if not q.strip():
        return Terms(frozenset(), frozenset(), frozenset())
    return query_planner(q)(index.generation()).snippet_terms(lang)


def shown_paragraphs(summary: str, lang: Lang, terms: Terms) -> tuple[ShownParagraph, ...]:
    """The paragraphs of ``summary`` with their anchors, the ``terms`` marked."""
    shown = []
    for paragraph in split_paragraphs(summary):
        marked = mark_all(paragraph.text, lang, terms) if terms else html.escape(paragraph.text)
        shown.append(
            ShownParagraph(paragraph.position, paragraph.anchor, marked, "<mark>" in marked)
        )
    return tuple(shown)


@dataclass(frozen=True)
class ComparedVersion:
    """One language's column of a comparison: its document (``None`` when the report has
    no text in that language) and its paragraphs."""

    lang: Lang
    document: Document | None
    paragraphs: tuple[ShownParagraph, ...]

    def paragraph(self, position: int) -> ShownParagraph | None:
        """The paragraph at ``position`` (from 1), if this version has one there."""
        return self.paragraphs[position - 1] if 0 < position <= len(self.paragraphs) else None


@dataclass(frozen=True)
class Comparison:
    """A report's language versions side by side, one per language of ``ALL_LANGS``."""

    number: int
    versions: tuple[ComparedVersion, ...]

    @property
    def available(self) -> tuple[ComparedVersion, ...]:
        """The versions the report has."""
        return tuple(v for v in self.versions if v.document is not None)

    @property
    def positions(self) -> range:
        """The paragraph positions (from 1) of the longest version: one row each."""
        return range(1, max(len(v.paragraphs) for v in self.versions) + 1)

    @property
    def first(self) -> Document:
        """The first version the report has (its date and topics are every version's)."""
        document = self.available[0].document
        assert document is not None
        return document


def compare_report(index: SearchIndex, number: int, q: str, ui_lang: Lang) -> Comparison:
    """Report ``number`` in every language, the matches of ``q`` marked in each.

    Raises :class:`DocumentNotFound` when no report has this number.
    """
    versions = []
    for lang in ALL_LANGS:
        try:
            document = get_document(index, doc_id(number, lang), ui_lang)
        except VersionMissing:
            versions.append(ComparedVersion(lang, None, ()))
            continue
        terms = query_terms(index, q, lang)
        versions.append(
            ComparedVersion(lang, document, shown_paragraphs(document.summary, lang, terms))
        )
    return Comparison(number, tuple(versions))
