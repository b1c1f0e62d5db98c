"""``iapb-index import-page``: the IAPB's page (text or HTML) into corpus YAML."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
import yaml

from indexer.cli import main
from indexer.corpus.importer import find_period, propose_topics
from indexer.corpus.load import load_corpus
from indexer.corpus.page import PageError, parse_page, read_blocks, report_number, text_blocks
from indexer.languages import Lang

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "fixtures" / "page" / "progress-reports.txt"
BUNDLED = load_corpus(ROOT / "corpus")


@pytest.fixture()
def empty_corpus(tmp_path: Path) -> Path:
    """A corpus with the bundled topics and glossary and no reports."""
    root = tmp_path / "corpus"
    (root / "reports").mkdir(parents=True)
    for name in ("topics.yaml", "glossary.yaml"):
        shutil.copy(ROOT / "corpus" / name, root / name)
    return root


@pytest.fixture()
def bundled_copy(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", root)
    return root


def page_as_html(text: str) -> str:
    """The fixture page as HTML: dates in <time>, titles in <h3>, downloads as links."""
    out = ["<!DOCTYPE html><html><head><title>x</title><script>var a = '01.01.2020';</script>"]
    out.append("</head><body><h1>Progress reports</h1>")
    for line in text.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        escaped = html.escape(line)
        if line[:2].isdigit() and line[2] == ".":
            out.append(f'</div>\n<div class="report">\n<time>{escaped}</time>')
        elif line.startswith("Download"):
            lang = line.rsplit(" ", 1)[1][:2].lower()
            out.append(f'<p><a href="https://example.org/full-{lang}.pdf">{escaped}</a></p>')
        elif len(line) < 60:
            out.append(f"<h3>{escaped}</h3>")
        else:
            out.append(f"<p>\n  {escaped}\n</p>")
    out.append("</div></body></html>")
    return "\n".join(out)


def english_of(root: Path) -> dict[int, tuple]:
    corpus = load_corpus(root)
    return {
        r.number: (r.date, r.summaries[Lang.EN].title, r.summaries[Lang.EN].summary)
        for r in corpus.reports
    }


def test_importing_the_page_into_an_empty_corpus_gives_the_bundled_english(
    empty_corpus: Path, capsys
) -> None:
    assert main(["import-page", str(PAGE), "--lang", "en", "--corpus", str(empty_corpus)]) == 0
    imported = load_corpus(empty_corpus)  # passes `iapb-index check`
    assert english_of(empty_corpus) == english_of(ROOT / "corpus")
    for report in imported.reports:
        assert report.langs == (Lang.EN,)
        bundled = next(r for r in BUNDLED.reports if r.number == report.number)
        assert (report.period_start, report.period_end) == (
            bundled.period_start,
            bundled.period_end,
        )
        assert report.proposed == ("topics",)
        assert set(report.topics) >= set(bundled.topics)
    eighth = next(r for r in imported.reports if r.number == 8)
    assert eighth.full_report(Lang.BE).title == "Download the full report in Belarusian"
    assert next(r for r in imported.reports if r.number == 9).full_reports == {}
    out = capsys.readouterr().out
    assert "new report 9: wrote reports/09.yaml (en only)" in out
    assert "proposed topics (review them): " in out
    assert "its figures: iapb-index figures suggest --report 9" in out
    assert main(["check", "--corpus", str(empty_corpus)]) == 0


def test_the_html_page_gives_the_same_text_and_the_download_addresses(
    empty_corpus: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(page_as_html(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["import-page", str(page), "--lang", "en", "--corpus", str(empty_corpus)]) == 0
    assert english_of(empty_corpus) == english_of(ROOT / "corpus")
    seventh = next(r for r in load_corpus(empty_corpus).reports if r.number == 7)
    assert seventh.full_report(Lang.RU).url == "https://example.org/full-ru.pdf"


def test_dry_run_writes_nothing(empty_corpus: Path, capsys) -> None:
    argv = ["import-page", str(PAGE), "--lang", "en", "--corpus", str(empty_corpus), "--dry-run"]
    assert main(argv) == 0
    assert list((empty_corpus / "reports").iterdir()) == []
    assert "would write reports/04.yaml" in capsys.readouterr().out


def test_the_bundled_corpus_agrees_with_the_page(bundled_copy: Path, capsys) -> None:
    before = {p.name: p.read_bytes() for p in (bundled_copy / "reports").iterdir()}
    assert main(["import-page", str(PAGE), "--lang", "en", "--corpus", str(bundled_copy)]) == 0
    assert "already has every report" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (bundled_copy / "reports").iterdir()} == before


def test_differences_are_reported_and_changed_only_with_update(
    bundled_copy: Path, tmp_path: Path, capsys
) -> None:
    page = tmp_path / "page.txt"
    text = PAGE.read_text(encoding="utf-8").replace("9th Progress Report", "Ninth Progress Report")
    page.write_text(text, encoding="utf-8")
    ninth = bundled_copy / "reports" / "09.yaml"
    before = ninth.read_bytes()
    argv = ["import-page", str(page), "--lang", "en", "--corpus", str(bundled_copy)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "report 9 differs from the page (unchanged)" in out
    assert "en.title: '9th Progress Report' -> 'Ninth Progress Report'" in out
    assert ninth.read_bytes() == before
    assert main([*argv, "--update"]) == 0
    report = next(r for r in load_corpus(bundled_copy).reports if r.number == 9)
    assert report.summaries[Lang.EN].title == "Ninth Progress Report"
    assert report.summaries[Lang.RU].title == "9-й отчёт о ходе работы"  # others kept


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Progress reports\n\nNo dates here.\n", 1, "no report dates"),
        ("Progress reports\n\n31.02.2025\n\n1st Report\n\nText.\n", 3, "does not parse"),
        (
            "Progress reports\n\n10.11.2025\n\n9th Report\n\nA.\n\n"
            "28.05.2025\n\nNinth Report\n\nB.\n",
            11,
            "two reports with number 9 (also '9th Report' on line 5)",
        ),
        (
            "Progress reports\n\n10.11.2025\n\nA report without number\n\nA.\n",
            5,
            "no report number",
        ),
        ("Progress reports\n\n10.11.2025\n\n9th Report\n", 5, "has no summary"),
    ],
)
def test_ill_formed_pages_give_errors_naming_the_line(
    text: str, line: int, message: str, empty_corpus: Path, tmp_path: Path, capsys
) -> None:
    with pytest.raises(PageError) as caught:
        parse_page(text_blocks(text), Lang.EN)
    assert any(n == line and message in m for n, m in caught.value.problems)
    page = tmp_path / "bad.txt"
    page.write_text(text, encoding="utf-8")
    assert main(["import-page", str(page), "--lang", "en", "--corpus", str(empty_corpus)]) == 1
    assert f"bad.txt:{line}: " in capsys.readouterr().err
    assert list((empty_corpus / "reports").iterdir()) == []


def test_html_errors_name_the_source_line(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body>\n<h1>Reports</h1>\n\n<p>32.13.2025</p>\n</body></html>")
    with pytest.raises(PageError) as caught:
        parse_page(read_blocks(page), Lang.EN)
    assert caught.value.problems[0][0] == 4


@pytest.mark.parametrize(
    ("title", "lang", "number"),
    [
        ("9th Progress Report", Lang.EN, 9),
        ("Eighth Progress Report", Lang.EN, 8),
        ("Fourth Progress Report to supporting States", Lang.EN, 4),
        ("Twelfth progress report", Lang.EN, 12),
        ("Восьмой отчёт о ходе работы", Lang.RU, 8),
        ("10-й отчёт о ходе работы", Lang.RU, 10),
        ("Пятнаццатая справаздача", Lang.BE, 15),
        ("Шостая справаздача аб ходзе работы", Lang.BE, 6),
    ],
)
def test_report_numbers_are_read_from_titles(title: str, lang: Lang, number: int) -> None:
    assert report_number(title, lang) == number


@pytest.mark.parametrize(
    ("summary", "period"),
    [
        ("covering the period from October 2024 to March 2025.", ("2024-10", "2025-03")),
        ("between 1 October 2023 and 31 March 2024, highlights", ("2023-10-01", "2024-03-31")),
        ("on the period October 2022 to March 2023.", ("2022-10", "2023-03")),
        ("с 1 апреля по 30 сентября 2025 года", ("2025-04-01", "2025-09-30")),
        ("з кастрычніка 2024 па сакавік 2025 года", ("2024-10", "2025-03")),
        ("з 1 красавіка па 30 верасня 2025 года", ("2025-04-01", "2025-09-30")),
        ("з кастрычніка 2024 да сакавіка 2025 года", ("2024-10", "2025-03")),
        ("No period in this text.", None),
    ],
)
def test_the_reporting_period_is_read_from_the_summary(summary: str, period) -> None:
    assert find_period(summary) == period


def test_a_page_without_a_period_gets_a_proposed_one(empty_corpus: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Reports\n\n20.05.2026\n\n10th Progress Report\n\nThe ICC was given evidence.\n"
    )
    assert main(["import-page", str(page), "--lang", "en", "--corpus", str(empty_corpus)]) == 0
    data = yaml.safe_load((empty_corpus / "reports" / "10.yaml").read_text(encoding="utf-8"))
    assert data["proposed"] == ["topics", "period"]
    assert data["period"] == {"start": "2025-11", "end": "2026-04"}  # six months
    assert data["topics"][0] == "icc"
    assert load_corpus(empty_corpus).reports[0].langs == (Lang.EN,)


def test_topics_are_proposed_in_every_language() -> None:
    ninth = next(r for r in BUNDLED.reports if r.number == 9)
    for lang in (Lang.EN, Lang.BE, Lang.RU):
        proposed = propose_topics(BUNDLED, ninth.summaries[lang].summary, lang)
        assert {"icc", "torture", "survivor-support"} <= set(proposed)


def test_check_notes_proposed_fields_and_missing_languages(empty_corpus: Path, capsys) -> None:
    assert main(["import-page", str(PAGE), "--lang", "en", "--corpus", str(empty_corpus)]) == 0
    capsys.readouterr()
    assert main(["check", "--corpus", str(empty_corpus)]) == 0
    err = capsys.readouterr().err
    assert "09.yaml: topics proposed by import-page; review, then delete `proposed:`" in err
    assert "09.yaml: no be, ru text yet" in err


def test_new_reports_are_written_in_the_corpus_style(empty_corpus: Path) -> None:
    assert main(["import-page", str(PAGE), "--lang", "en", "--corpus", str(empty_corpus)]) == 0
    text = (empty_corpus / "reports" / "09.yaml").read_text(encoding="utf-8")
    assert "\ndate: 2025-11-10\n" in text and "  start: 2025-04-01\n" in text
    assert "\ntopics:\n  - " in text and "  summary: |\n    The IAPB’s Ninth" in text
