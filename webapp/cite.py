"""Citing one report: reading citations (APA, Chicago author-date) and its references.

A report page offers its document as a ready citation in two styles, written in the
language of that version (``r9-be`` is cited in Belarusian: its dates and the phrases
around the access date are Belarusian, whatever the interface language), with today's
date as the access date.  ``GET /api/reports/<id>?format=bibtex|ris|csl-json`` answers
the same record as an export of that one document (:func:`webapp.citation.citation_text`).

The author is the institution, written whole; the title is kept as the report writes it
(no case conversion: it would break proper names).  A translation made for this service
says so after its title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from indexer.records import Document
from indexer.search import get_document
from webapp.citation import CitedReport, first_url
from webapp.cslrender import render
from webapp.searching import current_index
from webapp.urls import report_address


@dataclass(frozen=True)
class Citation:
    """A reading citation: the text before the title, the title (set in italics), after it."""

    style: str
    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        """The citation as plain text (what the copy button copies)."""
        return f"{self.before}{self.title}{self.after}"


def source_url(doc_id: str, provenance: str, translated: bool) -> str | None:
    """The page a document's text comes from: the address in its provenance note, or
    for a translation the one in its original's."""
    found = first_url(provenance)
    if found or not translated:
        return found
    index = current_index()
    for other in get_document(index, doc_id).other_languages:
        original = get_document(index, other.id)
        if not original.translated:
            return first_url(original.provenance)
    return None


def cited_document(doc: Document) -> CitedReport:
    """A report page's document as a reference."""
    return CitedReport(
        id=doc.id,
        report=doc.report,
        lang=doc.lang,
        title=doc.title,
        date=doc.date,
        period_start=doc.period_start,
        period_end=doc.period_end,
        topics=tuple(t.value for t in doc.topics),
        url=report_address(doc.id),
        source_url=source_url(doc.id, doc.provenance, doc.translated),
        translated=doc.translated,
    )


def access_date() -> dt.date:
    """The access date of a citation made now (UTC, as the exports date theirs)."""
    return dt.datetime.now(dt.UTC).date()


def _split(style: str, text: str, title: str, marker: str) -> Citation:
    """A rendered reference cut around its title (the page sets it in italics), with the
    translation ``marker`` after the title."""
    at = text.find(title)
    if at < 0:  # a style that changed the title's case: no italics, nothing lost
        return Citation(style, text, "", "")
    return Citation(style, text[:at], title, marker + text[at + len(title) :])


def apa(record: CitedReport, accessed: dt.date) -> Citation:
    """APA (7th edition), rendered by citeproc-py from the record's CSL-JSON item."""
    return _split("apa", render("apa", record, accessed), record.title, _marker(record, "apa"))


def chicago(record: CitedReport, accessed: dt.date) -> Citation:
    """Chicago author-date, rendered by citeproc-py from the record's CSL-JSON item."""
    text = render("chicago", record, accessed)
    return _split("chicago", text, record.title, _marker(record, "chicago"))


def _marker(record: CitedReport, style: str) -> str:
    """What a citation of a translation made for this service says after its title: in
    brackets for APA (a description), as a sentence for Chicago."""
    if not record.translated:
        return ""
    with force_locale(record.lang.value):
        words = _("Unofficial translation")
    return f" [{words}]" if style == "apa" else f". {words}"


def reading_citations(record: CitedReport, accessed: dt.date) -> tuple[Citation, Citation]:
    """The report page's citations of ``record``: APA, then Chicago author-date."""
    return apa(record, accessed), chicago(record, accessed)
