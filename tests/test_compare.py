"""Three languages side by side: ``/reports/<n>/compare`` and the paragraph check of
``iapb-index check``.

Expected paragraphs come from the corpus text (corpus/reports/09.yaml): five paragraphs
in each language; the fourth names the International Criminal Court ("Міжнароднага
крымінальнага суда (МКС)", "Международного уголовного суда (МУС)"), no other does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.corpus.load import load_corpus, unaligned_paragraphs
from indexer.corpus.paragraphs import split_paragraphs
from indexer.languages import ALL_LANGS, Lang

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"


def rows(body: str) -> list[str]:
    return re.findall(r'<li class="compare-row" id="row-\d+">(.*?)</li>', body, re.S)


def cells(row: str) -> dict[str, str]:
    found = re.findall(
        r'<div class="compare-cell cell-(\w\w)[^"]*">(.*?)</div>', row, re.S
    )  # fmt: skip
    return dict(found)


def paragraph_ids(cell: str) -> list[str]:
    return re.findall(r'<p id="([^"]+)"', cell)


def test_versions_are_aligned_paragraph_by_paragraph_with_their_anchors(client) -> None:
    body = client.get("/reports/9/compare?hl=en").get_data(as_text=True)
    report = next(r for r in load_corpus(ROOT / "corpus").reports if r.number == 9)
    expected = {
        lang: [p.anchor for p in split_paragraphs(report.summaries[lang].summary)]
        for lang in ALL_LANGS
    }
    assert [len(a) for a in expected.values()] == [5, 5, 5]
    found = rows(body)
    assert len(found) == 5
    for i, row in enumerate(found):
        by_lang = cells(row)
        assert list(by_lang) == ["en", "be", "ru"]
        for lang in ALL_LANGS:
            assert paragraph_ids(by_lang[lang.value]) == [expected[lang][i]]
            assert f'lang="{lang.value}"' in by_lang[lang.value]
    # The same anchors as the report pages', so a paragraph link works on either page.
    page = client.get("/reports/r9-be?hl=en").get_data(as_text=True)
    assert re.findall(r'<p id="(p\d-[0-9a-f]{6})"', page) == expected[Lang.BE]
    # Each version's title links its own page.
    assert (
        '<a href="/reports/r9-ru?hl=en" hreflang="ru" lang="ru">9-й отчёт о ходе работы</a>' in body
    )


def test_the_query_is_marked_in_all_three_languages(client) -> None:
    body = client.get("/reports/9/compare?q=ICC&hl=en").get_data(as_text=True)
    found = rows(body)
    fourth = cells(found[3])
    marks = re.findall(r"<mark>([^<]+)</mark>", fourth["en"])
    assert marks == ["International", "Criminal", "Court"]
    assert "<mark>Міжнароднага</mark> <mark>крымінальнага</mark>" in fourth["be"]
    assert "<mark>МКС</mark>" in fourth["be"]
    assert "<mark>Международного</mark> <mark>уголовного</mark>" in fourth["ru"]
    assert "<mark>МУС</mark>" in fourth["ru"]
    for i in (0, 1, 2, 4):
        assert "<mark>" not in found[i], i
    assert "Matches of “ICC” are marked." in body
    # Paragraph links keep the query.
    assert 'href="/reports/9/compare?q=ICC&amp;hl=en#p4-' in body


def test_query_text_is_escaped(client) -> None:
    body = client.get("/reports/9/compare", query_string={"q": '<script>"x"'}).get_data(
        as_text=True
    )
    assert "<script>&#34;x" not in body and '<script>"x"' not in body
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize("url", ["/reports/99/compare", "/reports/0/compare", "/reports/x/compare"])
def test_an_unknown_report_is_a_404_page(client, url: str) -> None:
    response = client.get(url + "?hl=en")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "compare-row" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("hl", "title", "switch_first"),
    [
        ("en", "Report 9 side by side", "en"),
        ("be", "Справаздача 9: мовы побач", "be"),
        ("ru", "Отчёт 9: языки рядом", "ru"),
    ],
)
def test_a_phone_switcher_starts_with_the_readers_language(
    client, hl: str, title: str, switch_first: str
) -> None:
    body = client.get(f"/reports/9/compare?hl={hl}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in body
    for row in rows(body):
        radios = re.findall(r'<input type="radio" class="switch-(\w\w)"[^>]*?( checked)?>', row)
        assert [lang for lang, _ in radios][0] == switch_first
        assert [lang for lang, checked in radios if checked] == [switch_first]
        assert f'class="compare-cell cell-{switch_first} cell-first"' in row


def test_report_pages_and_results_link_the_comparison(client) -> None:
    page = client.get("/reports/r9-ru?hl=be&q=ICC").get_data(as_text=True)
    assert (
        '<a class="compare-link" href="/reports/9/compare?q=ICC&amp;hl=be">Чытаць мовы побач</a>'
        in page
    )
    results = client.get("/?q=ICC&hl=en").get_data(as_text=True)
    links = re.findall(
        r'<a class="compare-link" href="([^"]+)">Languages side by side</a>', results
    )
    # With the way back to these results (back=), as every link from a hit has.
    assert sorted(links) == [
        f"/reports/{n}/compare?q=ICC&amp;hl=en&amp;back=q%3DICC" for n in (7, 8, 9)
    ]
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200


@pytest.fixture(scope="module")
def gap_client(tmp_path_factory: pytest.TempPathFactory):
    """Mini corpus where report 1 lacks Russian and its Belarusian second paragraph is
    the English one word for word (two versions' paragraphs with one anchor)."""
    from webapp import create_app

    root = tmp_path_factory.mktemp("cmp") / "corpus"
    shutil.copytree(MINI, root)
    first = root / "reports" / "01.yaml"
    text = first.read_text(encoding="utf-8")
    text = text[: text.index("ru:\n")]
    text = text.replace("Былі названы чыноўнікі Лукашэнкі.", "Lukashenko’s officials were named.")
    first.write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("cmpindex")
    build_index(root, out)
    return create_app({"TESTING": True, "INDEX_DIR": str(out)}).test_client()


def test_a_missing_language_is_said_in_its_column(gap_client) -> None:
    body = gap_client.get("/reports/1/compare?hl=en").get_data(as_text=True)
    assert "This report has no Russian version." in body
    for row in rows(body):
        assert list(cells(row)) == ["en", "be"]
        assert "switch-ru" not in row
    ru = gap_client.get("/reports/1/compare?hl=ru").get_data(as_text=True)
    assert "У этого отчёта нет версии на языке: русский." in ru


def test_paragraph_ids_are_unique_when_two_versions_say_the_same(gap_client) -> None:
    body = gap_client.get("/reports/1/compare?hl=ru").get_data(as_text=True)
    ids = re.findall(r'<p id="([^"]+)"', body)
    assert len(ids) == len(set(ids)) == 4
    # The reader is Russian, which the report lacks: the switcher starts with English.
    assert 'class="compare-cell cell-en cell-first"' in body


# iapb-index check -----------------------------------------------------------------------


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(MINI, target)
    return target


def line_of(path: Path, text: str, after: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text, content.index(after))].count("\n") + 1


def test_check_fails_when_paragraph_counts_differ(mini: Path, capsys) -> None:
    report = mini / "reports" / "01.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(
        text.replace(
            "    Былі названы чыноўнікі Лукашэнкі.\n",
            "    Былі названы чыноўнікі Лукашэнкі.\n\n    Яшчэ адзін абзац.\n",
        ),
        encoding="utf-8",
    )
    assert main(["check", "--corpus", str(mini)]) == 1
    err = capsys.readouterr().err
    line = line_of(report, "  summary:", "\nbe:")
    assert f"01.yaml:{line}: [be.summary] 3 paragraphs, but en.summary has 2" in err
    assert "1 problem in the corpus" in err
    # A build does not need the alignment (the compare page leaves a gap empty).
    assert len(unaligned_paragraphs(load_corpus(mini))) == 1


def test_check_names_every_version_that_differs(mini: Path, capsys) -> None:
    report = mini / "reports" / "02.yaml"
    text = report.read_text(encoding="utf-8")
    en_start = text.index("en:\n")
    en_summary = text.index("  summary: |\n", en_start) + len("  summary: |\n")
    report.write_text(text[:en_summary] + "    Added first.\n\n" + text[en_summary:], "utf-8")
    assert main(["check", "--corpus", str(mini)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"02\.yaml:\d+: \[be\.summary\] \d paragraphs?, but en\.summary has", err)
    assert re.search(r"02\.yaml:\d+: \[ru\.summary\] \d paragraphs?, but en\.summary has", err)
    assert "2 problems in the corpus" in err


def test_check_accepts_aligned_corpora(mini: Path, capsys) -> None:
    assert main(["check", "--corpus", str(mini)]) == 0
    assert main(["check", "--corpus", str(ROOT / "corpus")]) == 0
    assert unaligned_paragraphs(load_corpus(ROOT / "corpus")) == []
