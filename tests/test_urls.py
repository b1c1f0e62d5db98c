"""``webapp.urls``: every link the app writes comes from its routes, under its root.

The search API returns document ids; the web layer turns them into links: plain paths
in the JSON API, paths with the interface language (``hl``) between pages, absolute
addresses where a link leaves the site (feeds, exports, the widget snippet)."""

from __future__ import annotations

import pytest

from indexer.records import Collapse, SearchRequest
from webapp import create_app
from webapp.urls import (
    API_LINKS,
    absolute,
    paragraph_url,
    passage_url,
    report_address,
    report_url,
    search_url,
)


def make_app(index_dir, **config):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), **config})


def test_api_links_are_paths_without_the_interface_language(app) -> None:
    with app.test_request_context("/api/search?hl=be"):
        assert API_LINKS.report("r9-en") == "/reports/r9-en"
        assert API_LINKS.report("r9-en", "p2-0a1b2c") == "/reports/r9-en#p2-0a1b2c"
        passage = API_LINKS.passage("r9-en", 14, 2, "Moscow Mechanism")
        assert passage == "/reports/r9-en/p/14?q=Moscow+Mechanism#passage-2"
        assert API_LINKS.passage("r9-en", 14, 2, "") == "/reports/r9-en/p/14#passage-2"


def test_page_links_carry_the_interface_language(app) -> None:
    with app.test_request_context("/?hl=be"):
        assert report_url("r9-ru") == "/reports/r9-ru?hl=be"
        assert paragraph_url("r9-ru", "p3-abcdef", "МУС") == (
            "/reports/r9-ru?q=%D0%9C%D0%A3%D0%A1&hl=be#p3-abcdef"
        )
        assert paragraph_url("r9-ru", None) == "/reports/r9-ru?hl=be"
        assert passage_url("r9-en", 3, 1, "ICC") == "/reports/r9-en/p/3?q=ICC&hl=be#passage-1"


def test_search_links_write_each_endpoints_defaults(app) -> None:
    req = SearchRequest(q="ICC", collapse=Collapse.NONE, timeline=True)
    with app.test_request_context("/?hl=en"):
        # The page collapses by default and always draws a query's timeline: it says
        # collapse=none and leaves timeline out; the API is told what the request says.
        assert search_url(req) == "/?q=ICC&collapse=none&hl=en"
        assert search_url(req, "api.search") == "/api/search?q=ICC&timeline=1&hl=en"


def test_a_report_address_is_absolute_without_the_interface_language(app) -> None:
    with app.test_request_context("/?hl=ru", base_url="https://localhost"):
        assert report_address("r9-en") == "https://localhost/reports/r9-en"


@pytest.mark.parametrize("path", ["/api/search?q=ICC&collapse=report", "/api/reports/r9-en"])
def test_api_links_include_the_apps_root(index_dir, path: str) -> None:
    # The widget resolves these against its endpoint (https://example.org/iapb/): a path
    # without the root would leave the service.
    client = make_app(index_dir, PUBLIC_URL="https://example.org/iapb").test_client()
    body = client.get(path).get_json()
    documents = body["results"] if "results" in body else [body]
    links = [d["url"] for d in documents]
    links += [o["url"] for d in documents for o in d.get("other_languages", [])]
    assert links and all(link.startswith("/iapb/reports/r") for link in links)


def test_absolute_keeps_the_root_of_a_built_path(app) -> None:
    with app.test_request_context("/", base_url="https://localhost"):
        assert absolute(report_url("r9-en")) == "https://localhost/reports/r9-en?hl=en"
