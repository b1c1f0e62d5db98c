"""Reading a report: its paragraphs with their anchors, a query's matches marked.

The report page shows a summary paragraph by paragraph, each with its permalink
(:mod:`indexer.paragraphs`); opened from a search (``?q=ICC``) it marks the query's
matches with the same analysers and highlighter as the snippets, so stems, glossary
names and cross-script keys match there as they do in the results.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from indexer.index import SearchIndex
from indexer.languages import Lang
from indexer.paragraphs import split_paragraphs
from indexer.search import query_planner
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
