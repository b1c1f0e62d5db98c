"""The text of a PDF, page by page, mended where PDF text extraction breaks it.

A report's full report may be a PDF (``full_report.en.file: full/09-en.pdf``): the
build indexes its pages (:mod:`indexer.fullreports.extraction`) and the importer reads
a new report's (:mod:`indexer.corpus.importer`).  pypdf extracts each page's text;
words hyphenated across lines are joined and typographic ligatures such as ``ﬁ``
spelt out.  A PDF that cannot be read raises :class:`FullTextError` naming the file.

pypdf was chosen over pdfminer.six after measuring both on the test PDFs (``make
bench`` has the figures): the same Cyrillic text and ligature code points from both,
but pdfminer's layout analysis interleaved the lines of a two-column page where pypdf
follows the page's own text order, and pypdf was about 3-4 times faster per page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_LIGATURES = re.compile("[\ufb00-\ufb06]")
# A word broken by a hyphen at the end of a line: "accounta-\nbility" -> "accountability".
_HYPHENATED = re.compile(r"(\w)[-\u00ad\u2010]\n(?=[a-zа-яёіў])")


class FullTextError(ValueError):
    """A full-report PDF cannot be read; the message names the file."""


@dataclass
class PdfText:
    """The text of one PDF, page by page (page 1 first)."""

    path: Path
    pages: list[str]

    @property
    def empty_pages(self) -> int:
        return sum(1 for page in self.pages if not page.strip())


def clean(text: str) -> str:
    """A page's extracted text mended: ligatures spelt out, line-break hyphens joined."""
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _HYPHENATED.sub(r"\1", text)


def extract_pdf(path: Path) -> PdfText:
    """The text of every page of the PDF at ``path``; raises :class:`FullTextError`."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path), strict=False)
        pages = [clean(page.extract_text() or "") for page in reader.pages]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FullTextError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise FullTextError(f"{path}: the PDF has no pages")
    return PdfText(path, pages)
