"""Ranking across a report's language versions: every version found, the reader's first.

A report's three summaries are one text in three languages (the Belarusian and Russian
are translations of the English, see each summary's provenance), so what one version
says the other two say too.  A search term that only one language's words can match —
a prefix (``repress*``), a quoted phrase, a number, a transliterated word (``pytki``) —
still names something the other versions contain.  The query side therefore marks
those parts of a query with :class:`SameReport` (only when glossary expansion is on:
``expand=0`` searches what was typed); when one matches a version of a report, the
report's other versions match it too (:meth:`Versions.spread`), scored at
:data:`SIBLING_WEIGHT` of the best matching version, so a version that matches by its
own words ranks above one found through its sibling.  This applies to summaries only:
full-report passages are not translations of each other paragraph by paragraph.

The reader's language is the query's own (:func:`query_language`): Belarusian and
Russian letters decide, Latin letters mean English, and Cyrillic shared by both
languages means the interface language.  Among the versions of a report that score
within :data:`LANGUAGE_MARGIN` of its best, the reader's ranks first
(:func:`reading_order`): a translation naming a concept by full name and acronym
(«Міжнародны крымінальны суд (МКС)») outscores an original that names it once, and
that small difference must not put the reader's language below another.
"""

from __future__ import annotations

import re

import numpy as np
from whoosh import query as wq

from indexer.engine.docsets import distinct, intersect, sort_unique
from indexer.languages import ALL_LANGS, LANG_INDEX, Lang

LANGUAGE_MARGIN = 0.7  # the reader's version counts as equally relevant from 70% of the best
SIBLING_WEIGHT = 0.5  # a version found through its sibling scores this share of the best
_BELARUSIAN_RE = re.compile("[іўІЎ]")
_RUSSIAN_RE = re.compile("[ищъИЩЪ]")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_LATIN_RE = re.compile("[A-Za-z]")
_ACRONYM_RE = re.compile(r"\b[A-Z]{2,}\b")


class SameReport(wq.WrappingQuery):
    """One concept of a query, matching every language version of a report that one
    version matches (see the module docstring).  Outside :mod:`indexer.engine.matching` it
    behaves as its child."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.child!r})"

    def _rewrap(self, child: wq.Query) -> wq.Query:
        return type(self)(child)


class Versions:
    """The documents of each report in one generation: docnums grouped by report."""

    def __init__(
        self, reports: np.ndarray, langs: np.ndarray, order: np.ndarray | None = None
    ) -> None:
        """``order`` is ``np.argsort(reports, kind="stable")`` when the caller has it."""
        self.langs = langs
        self.report_count = int(reports.max()) + 1 if len(reports) else 0
        self.order = np.argsort(reports, kind="stable") if order is None else order
        self.sorted_reports = reports[self.order]
        self.reports = reports

    def spread(self, docs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``docs`` with every other version of their reports added (sorted, unique).

        A document keeps its own score, or :data:`SIBLING_WEIGHT` of its report's best
        matching version when that is higher.
        """
        if not len(docs):
            return docs, scores
        reports, where = distinct(self.reports[docs])
        best = np.zeros(len(reports))
        np.maximum.at(best, where, scores)
        lo = np.searchsorted(self.sorted_reports, reports, side="left")
        hi = np.searchsorted(self.sorted_reports, reports, side="right")
        counts = hi - lo
        # Positions lo..hi-1 of every report, without a Python loop.
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        positions = starts + np.arange(counts.sum())
        all_docs = self.order[positions]
        all_scores = np.repeat(best * SIBLING_WEIGHT, counts)
        all_docs, all_scores = sort_unique(all_docs, all_scores)
        here, there = intersect(all_docs, docs)
        all_scores[here] = np.maximum(all_scores[here], scores[there])
        return all_docs, all_scores

    def reading_scores(self, docs: np.ndarray, scores: np.ndarray, reader: Lang) -> np.ndarray:
        """``scores`` for ordering: the reader's version of a report, when it scores within
        :data:`LANGUAGE_MARGIN` of the report's best, ranks as if it had the best score
        (order ties by :meth:`language_rank`, which puts the reader's language first)."""
        reports = self.reports[docs]
        best = np.zeros(self.report_count)
        np.maximum.at(best, reports, scores)
        top = best[reports]
        mine = self.langs[docs] == LANG_INDEX[reader]  # language_rank 0
        return np.where(mine & (scores >= LANGUAGE_MARGIN * top), top, scores)

    def language_rank(self, docs: np.ndarray, reader: Lang) -> np.ndarray:
        """0 for the reader's language, then the others in a fixed order."""
        # Looked up per language (an integer modulo per document cost more than the rest
        # of ranking a common word's matches).
        return _LANGUAGE_RANKS[LANG_INDEX[reader]][self.langs[docs]]


# _LANGUAGE_RANKS[reader][lang]: (lang - reader) modulo the number of languages.
_LANGUAGE_RANKS = np.array(
    [
        [(lang - reader) % len(ALL_LANGS) for lang in range(len(ALL_LANGS))]
        for reader in range(len(ALL_LANGS))
    ],
    dtype=np.int64,
)


def query_language(text: str, interface: Lang) -> Lang:
    """The language a query is typed in, from its letters.

    і or ў: Belarusian; и, щ or ъ: Russian (each alphabet lacks the other's); other
    Cyrillic (or both alphabets' letters) is ambiguous; Latin letters alone: English;
    anything ambiguous or without letters: the interface language.  Latin acronyms
    (ICC, OSCE, IAPB) are written as they are in Belarusian and Russian texts too, so
    they say nothing about the language.
    """
    text = _ACRONYM_RE.sub(" ", text)
    if _BELARUSIAN_RE.search(text) and not _RUSSIAN_RE.search(text):
        return Lang.BE
    if _RUSSIAN_RE.search(text) and not _BELARUSIAN_RE.search(text):
        return Lang.RU
    if _LATIN_RE.search(text) and not _CYRILLIC_RE.search(text):
        return Lang.EN
    return interface
