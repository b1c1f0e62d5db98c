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

**Bounds.**  A PDF is data from outside: a 2 MB file of 10,000 pages sharing one 70 MB
content stream ran past two minutes, and a 40-page one took 249 s and 3 GB.  So
:func:`extract_pdf` reads it in a child process (``python -m indexer.corpus.pdftext``)
with a time limit (:data:`PDF_SECONDS`, wall clock) and an address-space limit
(:data:`PDF_MEGABYTES`, ``RLIMIT_AS``); the child sends each page's text as it is
done, so a PDF past a limit is refused naming its file and the page it was on
(:class:`FullTextError`, which fails a build like a corrupt PDF: the index in service is
untouched).  The child dies with its parent (a parent-death signal).
"""

from __future__ import annotations

import ctypes
import json
import re
import resource
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Measured: the test PDFs and the bench's 30-page reports take 0.1 to 2 s and under
# 150 MB each; a real report ten times longer stays far below both.
PDF_SECONDS = 60.0
PDF_MEGABYTES = 1024
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
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


def _page_texts(path: Path) -> Iterator[str | int]:
    """The page count of the PDF at ``path``, then each page's mended text; raises
    :class:`FullTextError`."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path), strict=False)
        yield len(reader.pages)
        for page in reader.pages:
            yield clean(page.extract_text() or "")
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FullTextError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from exc


def extract_in_process(path: Path) -> PdfText:
    """The text of every page of the PDF at ``path``, read in this process without
    bounds (the child of :func:`extract_pdf` uses it); raises :class:`FullTextError`."""
    texts = _page_texts(path)
    next(texts)
    pages = [str(text) for text in texts]
    if not pages:
        raise FullTextError(f"{path}: the PDF has no pages")
    return PdfText(path, pages)


def _limit_child(megabytes: int) -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "prctl"):
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def extract_pdf(
    path: Path, seconds: float = PDF_SECONDS, megabytes: int = PDF_MEGABYTES
) -> PdfText:
    """The text of every page of the PDF at ``path``, read in a child process with a
    time and a memory limit (see the module).  Raises :class:`FullTextError` naming the
    file, and for a PDF past a limit, the page it was on."""
    child = subprocess.Popen(
        [sys.executable, "-m", "indexer.corpus.pdftext", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: _limit_child(megabytes),
    )
    try:
        out, err = child.communicate(timeout=seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
        timed_out = True
    count, pages, error = None, [], None
    for line in out.decode("utf-8").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            break  # a line cut off when the child was stopped
        if "pages" in item:
            count = item["pages"]
        elif "text" in item:
            pages.append(item["text"])
        elif "error" in item:
            error = item
    where = f"page {len(pages) + 1}" + (f" of {count}" if count is not None else "")
    if timed_out:
        raise FullTextError(
            f"{path}: {where}: reading the text took more than {seconds:g} s (refused)"
        )
    if error is not None and error["error"] == "memory":
        raise FullTextError(
            f"{path}: {where}: reading the text needed more than {megabytes} MB (refused)"
        )
    if error is not None:
        raise FullTextError(error["message"])
    if child.returncode != 0 or count is None or len(pages) != count:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise FullTextError(
            f"{path}: {where}: the process reading it ended with code {child.returncode} "
            f"{last[0][:200]}".rstrip()
        )
    if not pages:
        raise FullTextError(f"{path}: the PDF has no pages")
    return PdfText(path, pages)


def _child(path: Path) -> int:  # pragma: no cover - runs in the child
    """Write the page count, then each page's text, one JSON object a line."""

    def send(item: dict) -> None:
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    try:
        texts = _page_texts(path)
        send({"pages": next(texts)})
        for text in texts:
            send({"text": text})
    except MemoryError:
        send({"error": "memory"})
        return 1
    except FullTextError as exc:
        send({"error": "unreadable", "message": str(exc)})
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover - the child of extract_pdf
    sys.exit(_child(Path(sys.argv[1])))
