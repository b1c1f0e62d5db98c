"""A report may lack languages: corpus, index, pages, API, feed and widget handle it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.records import Facet
from indexer.search import search
from webapp.params import parse_search

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def gap_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mini corpus where report 2 has English only and report 1 lacks Russian."""
    root = tmp_path_factory.mktemp("gaps") / "corpus"
    shutil.copytree(MINI, root)
    second = root / "reports" / "02.yaml"
    text = second.read_text(encoding="utf-8")
    second.write_text(text[: text.index("be:\n")], encoding="utf-8")
    first = root / "reports" / "01.yaml"
    text = first.read_text(encoding="utf-8")
    first.write_text(text[: text.index("ru:\n")], encoding="utf-8")
    out = tmp_path_factory.mktemp("gapindex")
    info = build_index(root, out)
    assert info.documents == 3
    return out


@pytest.fixture()
def gap_client(gap_index: Path):
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(gap_index)}).test_client()


def _search(index: SearchIndex, **params: list[str]):
    return search(index, parse_search(lambda n: params.get(n, [])))


def test_facets_and_totals_count_the_versions_that_exist(gap_index: Path) -> None:
    index = SearchIndex(gap_index)
    browse = _search(index)
    assert browse.total == 3
    assert {c.value: c.count for c in browse.facets[Facet.LANG]} == {Lang.EN: 2, Lang.BE: 1}
    assert _search(index, lang=["ru"]).total == 0
    collapsed = _search(index, collapse=["report"])
    assert collapsed.total == 2
    assert [o.lang for o in collapsed.hits[0].other_languages] == []  # report 2: en only


@pytest.mark.parametrize(
    ("hl", "says", "language"),
    [
        ("en", "This version is not available", "Belarusian"),
        ("be", "Гэтая версія недаступная", "беларуская"),
        ("ru", "Эта версия недоступна", "белорусский"),
    ],
)
def test_a_missing_version_page_says_so_in_the_readers_language(
    gap_client, hl: str, says: str, language: str
) -> None:
    response = gap_client.get(f"/reports/r2-be?hl={hl}")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert says in body and language in body
    assert 'href="/reports/r2-en?hl=' + hl in body


def test_the_api_names_the_versions_that_exist(gap_client) -> None:
    response = gap_client.get("/api/reports/r1-ru")
    error = response.get_json()["error"]
    assert response.status_code == 404
    assert error["code"] == "language_not_available"
    assert error["available"] == ["r1-en", "r1-be"]
    assert gap_client.get("/api/reports/r7-ru").get_json()["error"]["code"] == "not_found"
    # Not an id of report 1 (ids have no leading zero): no claim about its versions.
    assert gap_client.get("/api/reports/r01-ru").get_json()["error"]["code"] == "not_found"


def test_report_pages_link_only_existing_versions(gap_client) -> None:
    body = gap_client.get("/reports/r1-en?hl=en").get_data(as_text=True)
    assert "/reports/r1-be" in body and "/reports/r1-ru" not in body
    assert gap_client.get("/reports/r2-en").status_code == 200


def test_feed_and_search_page_handle_gaps(gap_client) -> None:
    assert gap_client.get("/feed.atom").status_code == 200
    page = gap_client.get("/?collapse=report&hl=ru").get_data(as_text=True)
    assert "Second test report" in page
    api = gap_client.get("/api/search?q=torture&lang=ru").get_json()
    assert api["total"] == 0
