"""``iapb-index import-page`` on what a careless save or a hostile page gives it: other
encodings (read and said), a page or a summary too long, links that are not http(s),
hidden text, control characters and report number 0 (refused with their lines; nothing
written)."""

from __future__ import annotations

import codecs
import html
import shutil
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.corpus.load import load_corpus
from indexer.corpus.page import unsafe_link
from indexer.corpus.pagefile import MAX_PAGE_BYTES, decode_page
from indexer.corpus.report_fields import MAX_SUMMARY_CHARS
from indexer.languages import Lang
from tests.helpers import ROOT

PAGE = ROOT / "tests" / "fixtures" / "page" / "progress-reports.txt"


@pytest.fixture()
def empty_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "reports").mkdir(parents=True)
    for name in ("topics.yaml", "glossary.yaml"):
        shutil.copy(ROOT / "corpus" / name, root / name)
    return root


def _import(page: Path, corpus: Path, lang: str = "en") -> int:
    return main(["import-page", str(page), "--lang", lang, "--corpus", str(corpus)])


def _english(root: Path) -> dict[int, tuple]:
    return {
        r.number: (r.date, r.summaries[Lang.EN].title, r.summaries[Lang.EN].summary)
        for r in load_corpus(root).reports
    }


def _html(text: str, head: str = "", body_extra: str = "") -> str:
    """The fixture page as HTML (dates, titles, paragraphs), with ``head`` and extra
    markup at the start of the body."""
    out = [f"<!DOCTYPE html><html><head>{head}<title>x</title></head><body>"]
    out.append(f"<h1>Progress reports</h1>{body_extra}")
    for line in text.splitlines()[1:]:
        line = line.strip()
        if not line or line.startswith("Download"):
            continue
        escaped = html.escape(line)
        if line[:2].isdigit() and line[2] == ".":
            out.append(f"<time>{escaped}</time>")
        elif len(line) < 60:
            out.append(f"<h3>{escaped}</h3>")
        else:
            out.append(f"<p>{escaped}</p>")
    out.append("</body></html>")
    return "\n".join(out)


# --- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "encoding", "said"),
    [
        ('<meta charset="windows-1251">', "cp1251", "as cp1251 (declared by the page)"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            "cp1252",
            "as cp1252 (declared by the page)",
        ),
        ("", "utf-16", "as utf-16 (BOM)"),
        ("", "utf-8-sig", "as utf-8 (BOM)"),
    ],
)
def test_a_page_in_another_encoding_is_read_as_it_declares_and_says_so(
    empty_corpus: Path, tmp_path: Path, capsys, head: str, encoding: str, said: str
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_html(PAGE.read_text(encoding="utf-8"), head).encode(encoding))
    assert _import(page, empty_corpus) == 0, capsys.readouterr().err
    assert said in capsys.readouterr().out
    assert _english(empty_corpus) == _english(ROOT / "corpus")


def test_a_page_without_a_declaration_is_detected_and_says_so(
    empty_corpus: Path, tmp_path: Path, capsys
) -> None:
    summary = (
        "Le rapport présente la situation des droits de l'homme au Bélarus et décrit les "
        "efforts de la plateforme pour faire avancer la justice : détentions arbitraires, "
        "procès à huis clos, répression transnationale et témoignages recueillis à "
        "l'étranger, conservés et vérifiés avant d'être transmis aux autorités compétentes."
    )
    text = f"Progress reports\n\n10.11.2025\n\n9th Progress Report\n\n{summary}\n"
    page = tmp_path / "page.txt"
    page.write_bytes(text.encode("latin-1"))
    assert _import(page, empty_corpus) == 0, capsys.readouterr().err
    assert "(detected by charset-normalizer)" in capsys.readouterr().out
    (report,) = load_corpus(empty_corpus).reports
    assert report.summaries[Lang.EN].summary == summary


def test_a_wrong_declaration_gives_way_to_the_bytes() -> None:
    data = '<html><head><meta charset="ascii"></head><p>Лукашэнка</p>'.encode()
    page = decode_page(data)
    assert "Лукашэнка" in page.text and page.encoding == "utf-8"


# --- limits -------------------------------------------------------------------------


def test_a_page_too_large_is_refused_before_it_is_read(
    empty_corpus: Path, tmp_path: Path, capsys
) -> None:
    page = tmp_path / "page.txt"
    filler = "A paragraph of the page that goes on. " * 1000 + "\n\n"
    with page.open("w", encoding="utf-8") as handle:
        handle.write(PAGE.read_text(encoding="utf-8"))
        while handle.tell() <= MAX_PAGE_BYTES:
            handle.write(filler)
    assert _import(page, empty_corpus) == 1
    assert "larger than 2 MB" in capsys.readouterr().err
    assert list((empty_corpus / "reports").iterdir()) == []


def test_a_summary_too_long_is_refused_on_its_title_line(
    empty_corpus: Path, tmp_path: Path, capsys
) -> None:
    paragraph = "The situation remained severe in every region of the country. " * 60
    paragraphs = "\n\n".join([paragraph] * (MAX_SUMMARY_CHARS // len(paragraph) + 1))
    page = tmp_path / "page.txt"
    page.write_text(f"Progress reports\n\n10.11.2025\n\n9th Progress Report\n\n{paragraphs}\n")
    assert _import(page, empty_corpus) == 1
    err = capsys.readouterr().err
    assert "page.txt:5: the summary of '9th Progress Report' has" in err
    assert f"more than the {MAX_SUMMARY_CHARS:,} a summary may have" in err
    assert list((empty_corpus / "reports").iterdir()) == []


def test_a_summary_too_long_in_the_corpus_fails_check_with_its_field(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    report = corpus / "reports" / "09.yaml"
    text = report.read_text(encoding="utf-8")
    long = "    " + "Evidence was collected and verified. " * (MAX_SUMMARY_CHARS // 36 + 1)
    report.write_text(text.replace("  summary: |\n", "  summary: |\n" + long + "\n\n", 1))
    assert main(["check", "--corpus", str(corpus)]) == 1
    err = capsys.readouterr().err
    assert "09.yaml:22: [en.summary]" in err
    assert f"more than the {MAX_SUMMARY_CHARS:,} a summary may have" in err


# --- refused content ----------------------------------------------------------------


_REPORT = (
    "<time>10.11.2025</time>\n<h3>9th Progress Report</h3>\n<p>The situation is severe {}</p>\n"
)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ('<a href="javascript:alert(1)">more</a>', "a link to 'javascript:alert(1)'"),
        ('<a href=" JaVa\tScRiPt:alert(1)">more</a>', "only http(s) addresses are allowed"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "a link to 'data:text/html"),
        ('<span style="display:none">buy pills</span>', "hidden text 'buy pills'"),
        ("<div hidden><p>secret words</p></div>", "hidden text 'secret words'"),
        ('<span style="font-size: 0px">tiny</span>', "hidden text 'tiny'"),
        ("and \x00 more", "control character U+0000 at column"),
        ("and \x1b[31m red", "control character U+001B at column"),
    ],
)
def test_what_a_page_must_not_carry_is_refused_with_its_line(
    empty_corpus: Path, tmp_path: Path, capsys, markup: str, message: str
) -> None:
    body = "<html><body>\n<h1>Progress reports</h1>\n" + _REPORT.format(markup) + "</body></html>"
    page = tmp_path / "page.html"
    page.write_text(body, encoding="utf-8")
    assert _import(page, empty_corpus) == 1
    err = capsys.readouterr().err
    assert "page.html:5: " in err and message in err, err
    assert list((empty_corpus / "reports").iterdir()) == []


def test_report_number_zero_is_refused_with_its_line(
    empty_corpus: Path, tmp_path: Path, capsys
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Progress reports\n\n10.11.2025\n\n0th Progress Report\n\nA summary.\n")
    assert _import(page, empty_corpus) == 1
    assert "page.txt:5: report number 0 in the title '0th Progress Report'" in (
        capsys.readouterr().err
    )
    assert list((empty_corpus / "reports").iterdir()) == []


@pytest.mark.parametrize(
    ("address", "unsafe"),
    [
        ("https://iapb.org/report.pdf", False),
        ("/documents/report.pdf", False),
        ("report.pdf", False),
        ("HTTP://example.org", False),
        ("javascript:alert(1)", True),
        ("\njava\nscript:alert(1)", True),
        ("DATA:text/html,x", True),
        ("vbscript:x", True),
        ("file:///etc/passwd", True),
    ],
)
def test_only_http_links_and_relative_ones_are_safe(address: str, unsafe: bool) -> None:
    assert unsafe_link(address) is unsafe


def test_the_encodings_named_are_python_codec_names() -> None:
    page = decode_page(b'<meta charset="UTF8"><p>x</p>')
    assert page.encoding == codecs.lookup("utf-8").name
