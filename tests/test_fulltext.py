"""Full reports page by page: PDFs in three languages, passages, pages and PDF links.

The PDFs are generated here (fpdf2 with Debian's DejaVu font) from known text: a
hyphenated line break, ligatures, a two-column page, a footnote, an image-only page,
a PDF without any text and a corrupt one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.corpus.load import load_corpus
from indexer.corpus.pdftext import FullTextError, clean, extract_pdf
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import current_generation
from indexer.fullreports.extraction import split_passages
from indexer.languages import Lang
from indexer.records import Collapse, Facet
from indexer.search import search
from tests import pdfcorpus
from tests.helpers import nu_checker_messages
from webapp.params import parse_search

pdf_corpus = pdfcorpus.pdf_corpus  # the shared fixtures
pdf_index = pdfcorpus.pdf_index
LEFT, RIGHT = pdfcorpus.LEFT, pdfcorpus.RIGHT


@pytest.fixture(scope="session")
def pdf_search(pdf_index) -> SearchIndex:
    return SearchIndex(pdf_index[0])


@pytest.fixture()
def pdf_client(pdf_index):
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(pdf_index[0])}).test_client()


def _search(index: SearchIndex, q: str, **params: list[str]):
    values = {"q": [q], **params}
    return search(index, parse_search(lambda n: values.get(n, [])))


def test_text_is_mended_hyphens_joined_and_ligatures_spelt_out() -> None:
    assert clean("for accounta-\nbility and the ﬁndings") == "for accountability and the findings"
    assert clean("non-\nGovernmental") == "non-\nGovernmental"  # a capital: not a broken word


def test_pages_split_into_paragraph_passages() -> None:
    page = "A long first line of the first paragraph goes here\nand it ends.\nSecond one."
    assert split_passages(page) == [
        "A long first line of the first paragraph goes here and it ends.",
        "Second one.",
    ]
    long = " ".join(f"Sentence number {i} is here." for i in range(60))
    assert all(len(p.split()) <= 120 for p in split_passages(long))


def test_pdf_text_page_by_page_in_three_languages(pdf_corpus: Path) -> None:
    en = extract_pdf(pdf_corpus / "full" / "01-en.pdf")
    assert len(en.pages) == 4 and en.empty_pages == 1
    assert "accountability" in en.pages[0]
    assert "findings" in en.pages[2] and "official" in en.pages[2]
    assert "Міжнароднаму крымінальнаму суду" in extract_pdf(pdf_corpus / "full/01-be.pdf").pages[1]
    assert "Международному уголовному суду" in extract_pdf(pdf_corpus / "full/01-ru.pdf").pages[1]


def test_two_columns_are_not_interleaved(pdf_corpus: Path) -> None:
    page = extract_pdf(pdf_corpus / "full" / "01-en.pdf").pages[1]
    passages = split_passages(page)
    joined = " ".join(passages)
    assert " ".join(LEFT.split()) in joined and " ".join(RIGHT.split()) in joined


def test_build_reports_scans_by_name_and_page_count(pdf_index, capsys, pdf_corpus: Path) -> None:
    info = pdf_index[1].fulltext
    assert info.pdfs == 4 and info.pages == 10
    assert "full/02-en.pdf: 2 pages, no extractable text" in info.scans
    assert any(s.startswith("full/01-en.pdf: 1 of 4 pages") for s in info.scans)
    out_dir = pdf_corpus.parent / "cli-index"
    assert main(["build", "--corpus", str(pdf_corpus), "--out", str(out_dir)]) == 0
    captured = capsys.readouterr()
    assert "warning: full/02-en.pdf: 2 pages, no extractable text" in captured.err
    assert "4 full-report PDFs, 10 pages" in captured.out


@pytest.mark.parametrize(
    ("query", "doc", "pages"),
    [
        ("ICC", "r1-en", {2, 3}),  # the right column; the footnote names the Court in full
        ("ICC", "r1-be", {2}),
        ("ICC", "r1-ru", {2}),
        ("accountability", "r1-en", {1}),  # "accounta-" / "bility"
        ("findings", "r1-en", {3}),  # the "ﬁ" ligature
        ("psychosocial", "r1-en", {2}),  # the left column
    ],
)
def test_searches_find_passages_with_their_pages(
    pdf_search: SearchIndex, query: str, doc: str, pages: set[int]
) -> None:
    result = _search(pdf_search, query)
    hit = next(h for h in result.hits if h.id == doc)
    assert {p.page for p in hit.passages} == pages
    assert all(p.doc == doc for p in hit.passages)


def test_facets_and_totals_count_documents_not_passages(pdf_search: SearchIndex) -> None:
    result = _search(pdf_search, "ICC")
    assert result.total == 3  # r1 in three languages; r1-en has two matching passages
    assert {c.value: c.count for c in result.facets[Facet.LANG]} == {
        Lang.EN: 1,
        Lang.BE: 1,
        Lang.RU: 1,
    }
    only_pdf = _search(pdf_search, "psychosocial")  # in no summary, in one PDF passage
    assert only_pdf.total == 1 and only_pdf.hits[0].id == "r1-en"
    assert {c.value: c.count for c in only_pdf.facets[Facet.YEAR]} == {2024: 1}
    collapsed = _search(pdf_search, "ICC", collapse=["report"])
    assert collapsed.request.collapse is Collapse.REPORT and collapsed.total == 1


def test_a_report_is_found_by_its_summary_or_its_passages(pdf_search: SearchIndex) -> None:
    result = _search(pdf_search, "survivors", lang=["en"])
    by_id = {hit.id: hit for hit in result.hits}
    assert set(by_id) == {"r1-en", "r2-en"}  # r1 by a passage only, r2 by its summary
    assert [p.page for p in by_id["r1-en"].passages] == [2] and not by_id["r2-en"].passages


def test_api_results_carry_passages_with_pages_and_links(pdf_client, pdf_search) -> None:
    body = pdf_client.get("/api/search?q=ICC&lang=en").get_json()
    passages = body["results"][0]["passages"]
    assert {p["page"] for p in passages} == {2, 3}
    (first, *_) = _search(pdf_search, "ICC", lang=["en"]).hits[0].passages
    link = f"/reports/r1-en/p/{first.page}?q=ICC#passage-{first.position}"
    assert passages[0]["url"] == link
    assert "<mark>" in passages[0]["snippet"]


def test_search_page_shows_passages_with_page_numbers(pdf_client) -> None:
    body = pdf_client.get("/?q=ICC&lang=en").get_data(as_text=True)
    assert "p. 2" in body and "/reports/r1-en/p/2?q=ICC" in body


def test_passage_page_shows_the_page_with_matches_and_the_pdf_link(pdf_client) -> None:
    response = pdf_client.get("/reports/r1-en/p/2?q=ICC&hl=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>ICC</mark>" in body and 'id="passage-' in body
    assert "/reports/r1-en/full.pdf#page=2" in body
    assert "page 2 of 4" in body
    scan = pdf_client.get("/reports/r1-en/p/4").get_data(as_text=True)
    assert "no extractable text" in scan
    assert pdf_client.get("/reports/r1-en/p/5").status_code == 404
    assert pdf_client.get("/reports/r1-en/p/0").status_code == 404


def test_the_pdf_is_served(pdf_client, pdf_corpus: Path) -> None:
    response = pdf_client.get("/reports/r1-ru/full.pdf")
    data = response.data
    response.close()  # send_file streams from an open file
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert data == (pdf_corpus / "full" / "01-ru.pdf").read_bytes()
    assert pdf_client.get("/reports/r2-be/full.pdf").status_code == 404
    assert pdf_client.get("/reports/..%2Fmeta/full.pdf").status_code == 404


def test_report_page_lists_the_full_reports(pdf_client) -> None:
    body = pdf_client.get("/reports/r1-en?hl=en").get_data(as_text=True)
    assert "/reports/r1-be/full.pdf" in body and "PDF, 2 pages" in body
    assert "https://example.org/01-ru.pdf" in body
    api = pdf_client.get("/api/reports/r1-en").get_json()
    assert {f["lang"]: f["pages"] for f in api["full_reports"]} == {"en": 4, "be": 2, "ru": 2}


def test_a_corrupt_pdf_fails_the_build_naming_it_and_keeps_the_index(
    pdf_corpus: Path, tmp_path: Path, capsys
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(pdf_corpus, corpus)
    out = tmp_path / "index"
    build_index(corpus, out)
    served = os.readlink(out / "current")
    (corpus / "full" / "01-be.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF\n")
    with pytest.raises(FullTextError, match="01-be.pdf"):
        build_index(corpus, out)
    assert os.readlink(out / "current") == served
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "01-be.pdf" in err and "index in service is unchanged" in err
    assert current_generation(out).name == served


def test_add_full_report_copies_and_names_the_pdf(pdf_corpus: Path, tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(pdf_corpus, corpus)
    pdf = tmp_path / "downloaded.pdf"
    shutil.copyfile(pdf_corpus / "full" / "01-ru.pdf", pdf)
    argv = ["add-full-report", "2", "en", str(pdf), "--corpus", str(corpus)]
    argv += ["--url", "https://example.org/02-en.pdf"]
    assert main(argv) == 0
    assert "full/02-en.pdf: 2 pages, named in" in capsys.readouterr().out
    second = next(r for r in load_corpus(corpus).reports if r.number == 2)
    entry = second.full_report(Lang.EN)
    assert entry.file == "full/02-en.pdf" and entry.url == "https://example.org/02-en.pdf"
    assert entry.title == "Full report"  # kept from the YAML
    assert (corpus / "full" / "02-en.pdf").read_bytes() == pdf.read_bytes()
    assert main(["add-full-report", "2", "be", str(pdf), "--corpus", str(corpus)]) == 1
    assert "report 2 has no be text" in capsys.readouterr().err
    assert main(["add-full-report", "3", "en", str(pdf), "--corpus", str(corpus)]) == 1
    assert "no report 3" in capsys.readouterr().err
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert main(["add-full-report", "1", "en", str(bad), "--corpus", str(corpus)]) == 1
    assert "bad.pdf" in capsys.readouterr().err


def test_the_command_line_search_prints_passages_with_pages(pdf_index, capsys) -> None:
    assert main(["search", "psychosocial", "--index", str(pdf_index[0])]) == 0
    assert "    p. 2: " in capsys.readouterr().out


def test_the_nu_html_checker_finds_no_error_on_the_full_report_pages(
    pdf_client, tmp_path: Path
) -> None:
    urls = [
        "/?q=ICC&lang=en&hl=en",
        "/reports/r1-en?hl=ru",
        "/reports/r1-en/p/2?q=ICC&hl=en",
        "/reports/r1-en/p/4?hl=be",
        "/reports/r2-ru?hl=ru",
    ]
    for i, url in enumerate(urls):
        (tmp_path / f"page{i}.html").write_bytes(pdf_client.get(url).data)
    messages = nu_checker_messages(list(tmp_path.glob("*.html")))
    assert [m["message"] for m in messages if m["type"] == "error"] == []
