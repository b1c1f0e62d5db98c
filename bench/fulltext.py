"""Full-report PDFs: build time and index size per 100 PDF pages; pypdf against pdfminer.six.

``python -m bench.fulltext [--pages N]`` (run by ``make bench``) writes synthetic full
reports (fpdf2, DejaVu Sans) in English, Belarusian and Russian from the bundled
summaries' own sentences, N pages in all (default 300), into a copy of the bundled
corpus; builds the index with and without them; and prints the extra build time and
index size per 100 PDF pages.  It then extracts the same PDFs with pypdf and with
pdfminer.six and prints the time per page of each.  Writes ``bench/fulltext.md``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.pdfs import text_pages, write_pdf
from indexer.build import build_index
from indexer.corpus.load import load_corpus
from indexer.languages import ALL_LANGS

ROOT = Path(__file__).resolve().parent.parent


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def make_corpus(target: Path, pages: int) -> int:
    """The bundled corpus with synthetic PDFs for every report and language; page count."""
    shutil.copytree(ROOT / "corpus", target)
    corpus = load_corpus(target)
    per_pdf = max(1, pages // (len(corpus.reports) * len(ALL_LANGS)))
    written = 0
    for report in corpus.reports:
        path = target / "reports" / f"{report.number:02d}.yaml"
        text = path.read_text(encoding="utf-8")
        lines = ["full_report:"]
        for lang in ALL_LANGS:
            summary = report.summaries[lang].summary
            body = "\n\n".join([summary] * (per_pdf * 3))
            laid_out = text_pages(body)[:per_pdf]
            name = f"{report.number:02d}-{lang.value}.pdf"
            write_pdf(target / "full" / name, laid_out)
            written += len(laid_out)
            lines.append(f"  {lang.value}: {{title: Full report, file: full/{name}}}")
        start, end = text.index("full_report:"), text.index("\nen:\n")
        path.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    return written


def compare_libraries(pdfs: list[Path]) -> dict[str, float]:
    """Milliseconds per page to extract ``pdfs`` with pypdf and with pdfminer.six."""
    from pdfminer.high_level import extract_pages
    from pypdf import PdfReader

    pages = 0
    started = time.perf_counter()
    for pdf in pdfs:
        for page in PdfReader(str(pdf)).pages:
            page.extract_text()
            pages += 1
    pypdf_ms = (time.perf_counter() - started) * 1000 / pages
    started = time.perf_counter()
    for pdf in pdfs:
        for layout in extract_pages(str(pdf)):
            "".join(getattr(item, "get_text", lambda: "")() for item in layout)
    pdfminer_ms = (time.perf_counter() - started) * 1000 / pages
    return {"pypdf": pypdf_ms, "pdfminer.six": pdfminer_ms}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and write ``bench/fulltext.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="PDF pages in all")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = make_corpus(work / "corpus", args.pages)
        plain = build_index(ROOT / "corpus", work / "plain")
        with_pdfs = build_index(work / "corpus", work / "full")
        extra_s = with_pdfs.seconds - plain.seconds
        extra_mb = (_size(with_pdfs.path) - _size(plain.path)) / 1e6
        pdf_mb = _size(work / "corpus" / "full") / 1e6
        libraries = compare_libraries(sorted((work / "corpus" / "full").glob("*.pdf"))[:6])
        info = with_pdfs.fulltext
    lines = [
        "# Full-report PDFs (make bench)",
        "",
        f"{pages} synthetic PDF pages in 3 languages, {info.passages} passages.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| build without PDFs | {plain.seconds:.2f} s |",
        f"| build with PDFs | {with_pdfs.seconds:.2f} s |",
        f"| build time per 100 PDF pages | {extra_s * 100 / pages:.2f} s |",
        f"| index size per 100 PDF pages (passages + served PDF copies) | "
        f"{extra_mb * 100 / pages:.2f} MB (of which PDFs {pdf_mb * 100 / pages:.2f} MB) |",
        f"| pypdf extraction | {libraries['pypdf']:.1f} ms/page |",
        f"| pdfminer.six extraction (layout analysis) | {libraries['pdfminer.six']:.1f} ms/page |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "fulltext.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
