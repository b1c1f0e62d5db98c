"""Full reports at build time: PDF text page by page, split into passages, indexed.

A report's YAML may name a PDF of its full report per language
(``full_report.en.file: full/09-en.pdf``).  The build extracts each page's text
(:mod:`indexer.corpus.pdftext`), splits every page into passages (paragraphs,
long ones cut at sentence ends), and writes them into a second Whoosh index beside the
main one (``<generation>/passages/``), with the same schema and so the same analysers:
a passage is indexed in its language's summary and cross-script fields, with the
report's number, language, year and topics, and its page.  Documents stay (report,
language) pairs in the main index, so facet counts are untouched; the search side
(:mod:`indexer.fullreports.passages`) adds the best passages' scores to their documents'.

A PDF without any extractable text (a scan) is reported by name and page count; a PDF
that cannot be read fails the build with :class:`~indexer.corpus.pdftext.FullTextError`
naming the file, before the new generation is swapped in.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED

from indexer import schema
from indexer.corpus.load import Corpus, Report
from indexer.corpus.pdftext import PdfText, extract_pdf
from indexer.engine.derived import WhooshReads, write_derived
from indexer.engine.layout import PASSAGES, PDFS, file_checksum
from indexer.engine.manifest import generation_files
from indexer.fullreports.links import full_report_meta
from indexer.languages import Lang

PAGE = "page"
PASSAGE = "passage"  # the passage's position on its page, from 1
PAGE_KEY = "page_key"  # "r9-en/14": every passage of one page
DOC = "doc"  # the (report, language) document a passage belongs to
MAX_WORDS = 120  # a longer paragraph is cut at sentence ends into passages of about this
_SENTENCE_END = re.compile(r"(?<=[.!?…»”])\s+(?=[A-ZА-ЯЁІЎ0-9«“(])")
_PARAGRAPH_END = re.compile(r"[.!?…:»”)]$")


@dataclass
class FullTextInfo:
    """What the full-text part of a build found."""

    pdfs: int = 0
    pages: int = 0
    passages: int = 0
    # PDFs and pages without extractable text: "full/04-en.pdf: 12 pages, no extractable text"
    scans: list[str] = field(default_factory=list)
    pages_by_doc: dict[str, int] = field(default_factory=dict)


def split_passages(page: str) -> list[str]:
    """The passages of a page's text: paragraphs, long ones cut at sentence ends.

    PDF text has no paragraph marks; a line that ends a sentence and is clearly shorter
    than the page's longest lines ends a paragraph.
    """
    lines = [" ".join(line.split()) for line in page.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return []
    full = sorted(len(line) for line in lines)[int(len(lines) * 0.8)]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        paragraphs[-1].append(line)
        if _PARAGRAPH_END.search(line) and len(line) < 0.8 * full:
            paragraphs.append([])
    passages = []
    for paragraph in (" ".join(p) for p in paragraphs if p):
        passages.extend(_cut(paragraph))
    return passages


def _cut(paragraph: str) -> Iterator[str]:
    if len(paragraph.split()) <= MAX_WORDS:
        yield paragraph
        return
    current: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(paragraph):
        words = len(sentence.split())
        if current and count + words > MAX_WORDS:
            yield " ".join(current)
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        yield " ".join(current)


def passage_schema():
    """The main schema (same analysers) with a passage's page, position and document."""
    extended = schema.build_schema()
    extended.add(PAGE, schema.NumberColumn("i", stored=True))
    extended.add(PASSAGE, STORED())
    extended.add(PAGE_KEY, ID())
    extended.add(DOC, ID(stored=True))
    return extended


def _passage_docs(report: Report, lang: Lang, text: PdfText) -> Iterator[dict]:
    doc = report.doc_id(lang)
    for page_number, page in enumerate(text.pages, start=1):
        for position, passage in enumerate(split_passages(page), start=1):
            yield {
                schema.ID_FIELD: f"{doc}/{page_number}/{position}",
                **schema.report_fields(report, lang),
                schema.summary_field(lang): passage,
                schema.key_field(lang): passage,
                PAGE: page_number,
                PASSAGE: position,
                PAGE_KEY: f"{doc}/{page_number}",
                DOC: doc,
            }


def full_report_pdfs(corpus: Corpus) -> Iterator[tuple[Report, Lang, Path]]:
    """Every (report, language, PDF path) the corpus names."""
    for report in corpus.reports:
        for lang, item in report.full_reports.items():
            if item is not None and item.path is not None and lang in report.summaries:
                yield report, lang, item.path


def extract_all(corpus: Corpus) -> list[tuple[Report, Lang, PdfText]]:
    """The text of every full-report PDF; raises
    :class:`~indexer.corpus.pdftext.FullTextError` for a bad one."""
    return [(r, lang, extract_pdf(path)) for r, lang, path in full_report_pdfs(corpus)]


def _scan_note(name: Path, text: PdfText) -> str:
    """What the build says of a PDF with pages without extractable text."""
    if text.empty_pages == len(text.pages):
        return f"{name}: {len(text.pages)} pages, no extractable text"
    blank = [str(i) for i, page in enumerate(text.pages, 1) if not page.strip()]
    return (
        f"{name}: {text.empty_pages} of {len(text.pages)} pages without "
        f"extractable text (p. {', '.join(blank)})"
    )


def write_passages(
    corpus: Corpus,
    texts: list[tuple[Report, Lang, PdfText]],
    generation: Path,
    meta: dict,
    reads: WhooshReads,
) -> FullTextInfo:
    """Write the passage index and the PDFs into ``generation``; ``meta`` is the main
    index's ``meta.json`` content (topics, glossary), recorded with the passages too;
    ``reads`` reads the passage index back for its derived structures (the build's).

    Records the full reports (with page counts) in ``meta["full_reports"]``.
    """
    info = FullTextInfo()
    corpus_root = {id(r): Path(r.source).parent.parent for r, _, _ in texts}
    # PDFs without any extractable text (blank or scanned) are recorded with their pages
    # and reported, but give no passages; when no PDF gives one there is no passage
    # index (an empty Whoosh index has no columns to derive arrays from).
    if not any(split_passages(page) for _, _, text in texts for page in text.pages):
        for report, lang, text in texts:
            name = text.path.relative_to(corpus_root[id(report)])
            info.scans.append(_scan_note(name, text))
            info.pdfs += 1
            info.pages += len(text.pages)
            info.pages_by_doc[report.doc_id(lang)] = len(text.pages)
            (generation / PDFS).mkdir(exist_ok=True)
            shutil.copyfile(text.path, generation / PDFS / f"{report.doc_id(lang)}.pdf")
        texts = []
    if texts:
        target = generation / PASSAGES
        target.mkdir()
        ix = whoosh_index.create_in(str(target), passage_schema())
        writer = ix.writer(limitmb=128, compound=False)
        try:
            for report, lang, text in texts:
                doc = report.doc_id(lang)
                info.pdfs += 1
                info.pages += len(text.pages)
                info.pages_by_doc[doc] = len(text.pages)
                name = text.path.relative_to(corpus_root[id(report)])
                if text.empty_pages:
                    info.scans.append(_scan_note(name, text))
                for passage in _passage_docs(report, lang, text):
                    writer.add_document(**passage)
                    info.passages += 1
                (generation / PDFS).mkdir(exist_ok=True)
                shutil.copyfile(text.path, generation / PDFS / f"{doc}.pdf")
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        derived = write_derived(target, [t.id for t in corpus.topics], corpus.glossary, reads)
        files = generation_files(target)
        checksums = {name: file_checksum(target / name) for name in files}
        passage_meta = dict(
            meta, documents=info.passages, files=files, checksums=checksums, derived=derived
        )
        passage_meta.pop("full_reports", None)
        (target / "meta.json").write_text(json.dumps(passage_meta, ensure_ascii=False), "utf-8")
    meta["full_reports"] = full_report_meta(corpus, info.pages_by_doc)
    meta["fulltext"] = {"pdfs": info.pdfs, "pages": info.pages, "passages": info.passages}
    meta["fulltext_pages"] = info.pages_by_doc
    return info
