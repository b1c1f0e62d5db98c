"""A corpus whose only full report is a scan (no extractable text on any page): the
build reports it by name and page count, indexes it as having no text, and every later
build, search and page works (it used to fail in the build with NotImplementedError)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.pdfs import Page, write_pdf
from indexer.build import build_index
from indexer.cli import main
from tests.pdfcorpus import MINI, _add_full_reports
from webapp import create_app


def _scanned_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(MINI, root)
    write_pdf(root / "full" / "02-en.pdf", [Page(image=True), Page(image=True), Page()])
    _add_full_reports(root, 2, {"en": "02-en.pdf"})
    return root


def test_a_corpus_whose_only_pdf_is_a_scan_builds_again_and_again_and_serves(tmp_path, capsys):
    corpus = _scanned_corpus(tmp_path)
    assert main(["check", "--corpus", str(corpus)]) == 0
    out = tmp_path / "index"
    for generation in (1, 2):
        info = build_index(corpus, out)
        assert info.generation == generation
        assert info.fulltext.pdfs == 1 and info.fulltext.passages == 0
        assert info.fulltext.scans == ["full/02-en.pdf: 3 pages, no extractable text"]
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert "full/02-en.pdf: 3 pages, no extractable text" in capsys.readouterr().err
    client = create_app({"TESTING": True, "INDEX_DIR": str(out)}).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/search?q=evidence").status_code == 200
    page = client.get("/reports/r2-en/p/2")
    assert page.status_code == 200 and "no extractable text" in page.get_data(as_text=True)
    assert client.get("/reports/r2-en").status_code == 200
    response = client.get("/reports/r2-en/full.pdf")
    response.close()  # send_file streams from an open file
    assert response.status_code == 200
