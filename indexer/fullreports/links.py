"""Full reports and language versions of a report, as recorded with an index generation.

The build records each report's full reports (title, publisher's address, pages of the
copy the service holds) in the generation's ``meta.json`` under ``full_reports``; the
report page lists them.  A report may lack a language: asking for that version raises
:class:`~indexer.errors.VersionMissing` with the versions that exist, so the pages can
say so in the reader's language and link them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from indexer import schema
from indexer.corpus.load import Corpus, doc_id
from indexer.errors import DocumentNotFound, VersionMissing
from indexer.languages import ALL_LANGS, Lang
from indexer.records import FullReportLink, OtherLanguage

if TYPE_CHECKING:  # indexer.engine.generation imports indexer.build, which imports this module
    from indexer.engine.generation import Generation

_DOC_ID = re.compile(r"r([1-9]\d{0,5})-([a-z]{2})")  # as doc_id writes it: no leading zero


def full_report_meta(corpus: Corpus, pages: dict[str, int] | None = None) -> dict[str, Any]:
    """``{"9": {"en": {"title", "url", "pages"} | None, ...}}`` for ``meta.json``.

    ``pages`` maps a document id to the page count of the PDF the generation holds.
    """
    pages = pages or {}
    out: dict[str, Any] = {}
    for report in corpus.reports:
        entries: dict[str, Any] = {}
        for lang, item in report.full_reports.items():
            entries[lang.value] = (
                None
                if item is None
                else {
                    "title": item.title,
                    "url": item.url,
                    "pages": pages.get(report.doc_id(lang), 0),
                }
            )
        if entries:
            out[str(report.number)] = entries
    return out


def full_report_links(gen: Generation, number: int) -> tuple[FullReportLink, ...]:
    """The full reports of report ``number`` known to ``gen``, in language order."""
    entries = gen.meta.get("full_reports", {}).get(str(number), {})
    return tuple(
        FullReportLink(lang, item["title"], item.get("url"), int(item.get("pages", 0)))
        for lang in ALL_LANGS
        if (item := entries.get(lang.value)) is not None
    )


def other_language(data: dict[str, Any]) -> OtherLanguage:
    """A language version of a report, from the stored fields of its document."""
    lang = Lang(data[schema.LANG])
    return OtherLanguage(data[schema.ID_FIELD], lang, data[schema.title_field(lang)])


def versions(gen: Generation, number: int, but: Lang | None = None) -> tuple[OtherLanguage, ...]:
    """The language versions of report ``number`` in ``gen`` (except ``but``)."""
    searcher = gen.searcher()
    stored = (
        searcher.document(**{schema.ID_FIELD: doc_id(number, lang)})
        for lang in ALL_LANGS
        if lang is not but
    )
    return tuple(other_language(data) for data in stored if data is not None)


def missing(gen: Generation, doc: str) -> DocumentNotFound:
    """The error for an unknown document id: :class:`VersionMissing` when the report
    exists in other languages, else a plain :class:`DocumentNotFound`."""
    match = _DOC_ID.fullmatch(doc)
    if match and match.group(2) in {lang.value for lang in ALL_LANGS}:
        number, lang = int(match.group(1)), Lang(match.group(2))
        others = versions(gen, number, but=lang)
        if others:
            available = ", ".join(o.lang.value for o in others)
            return VersionMissing(
                f"report {number} has no {lang.value} version (available: {available})",
                number,
                lang.value,
                others,
            )
    return DocumentNotFound(f"no report {doc!r}")
