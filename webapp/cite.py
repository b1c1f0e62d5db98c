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

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from flask_babel import force_locale
from flask_babel import gettext as _

from indexer.records import Document
from indexer.search import get_document
from webapp.citation import AUTHOR, CitedReport, first_url
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


def apa(record: CitedReport, accessed: dt.date) -> Citation:
    """APA (7th edition): author, (year, month day), *title* [translation], retrieval."""
    code = record.lang.value
    with force_locale(code):
        issued = f"{record.date.year}, {format_skeleton('MMMMd', record.date, locale=code)}"
        marker = f" [{_('Unofficial translation')}]" if record.translated else ""
        retrieved = _(
            "Retrieved %(date)s, from %(url)s",
            date=babel_format_date(accessed, "long", locale=code),
            url=record.url,
        )
    return Citation("apa", f"{AUTHOR}. ({issued}). ", record.title, f"{marker}. {retrieved}")


def chicago(record: CitedReport, accessed: dt.date) -> Citation:
    """Chicago author-date (17th edition): author. year. *title*. [translation.] accessed. URL."""
    code = record.lang.value
    with force_locale(code):
        marker = f" {_('Unofficial translation')}." if record.translated else ""
        access = _("Accessed %(date)s", date=babel_format_date(accessed, "long", locale=code))
    access = _sentence(access)
    return Citation(
        "chicago",
        f"{AUTHOR}. {record.date.year}. ",
        record.title,
        f".{marker} {access} {record.url}.",
    )


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (a date may end with one: "2 снежня 2026 г.")."""
    return text if text.endswith(".") else f"{text}."


def reading_citations(record: CitedReport, accessed: dt.date) -> tuple[Citation, Citation]:
    """The report page's citations of ``record``: APA, then Chicago author-date."""
    return apa(record, accessed), chicago(record, accessed)
