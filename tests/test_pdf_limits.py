"""PDFs past the extraction limits: each is read in a child process with a time and a
memory limit, refused naming its file and the page it was on, and the build fails with
the index in service untouched (``indexer.corpus.pdftext``)."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.corpus.pdftext import FullTextError, extract_pdf
from indexer.engine.layout import current_generation
from tests.pdfcorpus import MINI, _add_full_reports


def _pdf(pages: int, content: bytes, compress: bool = False) -> bytes:
    """A PDF whose ``pages`` pages all draw the same content stream (written by hand:
    one stream object referenced by every page, as the issue's 2 MB, 10,000-page file)."""
    stream = zlib.compress(content, 9) if compress else content
    filters = b" /Filter /FlateDecode" if compress else b""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), filters, stream),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>"
    )
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _words(count: int) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td " + b"(evidence) Tj 0 -1 Td " * count + b"ET"


def test_an_ordinary_pdf_is_read_whole_in_the_child(tmp_path: Path) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(_pdf(3, _words(5)))
    text = extract_pdf(path)
    assert len(text.pages) == 3 and all("evidence" in page for page in text.pages)


def test_a_pdf_slower_than_the_time_limit_is_refused_naming_its_page(tmp_path: Path) -> None:
    # 3,000 pages sharing one stream of 20,000 words: minutes of work; the limit is 5 s.
    path = tmp_path / "slow.pdf"
    path.write_bytes(_pdf(3000, _words(20_000), compress=True))
    assert path.stat().st_size < 1_000_000
    with pytest.raises(FullTextError) as refused:
        extract_pdf(path, seconds=5)
    message = str(refused.value)
    assert str(path) in message and "took more than 5 s" in message
    assert " of 3000: " in message and "page " in message


def test_a_pdf_needing_more_memory_than_the_limit_is_refused_naming_its_page(
    tmp_path: Path,
) -> None:
    # One page whose stream inflates to 60 MB of text operators, under a 200 MB limit.
    path = tmp_path / "big.pdf"
    path.write_bytes(_pdf(1, _words(2_500_000), compress=True))
    assert path.stat().st_size < 1_000_000
    with pytest.raises(FullTextError) as refused:
        extract_pdf(path, megabytes=200)
    message = str(refused.value)
    assert str(path) in message and "page 1 of 1: " in message


def test_a_build_with_a_pdf_past_the_limits_fails_and_leaves_the_index_served(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    out = tmp_path / "index"
    served = build_index(corpus, out).path
    (corpus / "full").mkdir()
    (corpus / "full" / "02-en.pdf").write_bytes(_pdf(3000, _words(20_000), compress=True))
    _add_full_reports(corpus, 2, {"en": "02-en.pdf"})
    monkeypatch.setattr("indexer.corpus.pdftext.PDF_SECONDS", 5.0)
    monkeypatch.setattr(extract_pdf, "__defaults__", (5.0, 1024))
    with pytest.raises(FullTextError, match=r"02-en\.pdf: page \d+ of 3000: .*more than 5 s"):
        build_index(corpus, out)
    assert current_generation(out) == served
    assert not list(out.glob("*.tmp"))
