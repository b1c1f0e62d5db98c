"""The widget shows a result's full-report passages with their pages (in chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests import pdfcorpus
from tests.conftest import LiveServer
from tests.helpers import axe_violations

pdf_corpus = pdfcorpus.pdf_corpus  # the shared fixtures
pdf_index = pdfcorpus.pdf_index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pdf_server(pdf_index) -> Iterator[LiveServer]:
    from webapp import create_app

    server = LiveServer(create_app({"INDEX_DIR": str(pdf_index[0])}))
    yield server
    server.close()


def test_the_widget_shows_passages_with_page_links(page, pdf_server) -> None:
    from playwright.sync_api import expect

    page.goto(f"{pdf_server.url}/widget")
    page.set_content(
        '<!doctype html><html lang="en"><body><iapb-search lang="en"></iapb-search>'
        f'<script src="{pdf_server.url}/widget.js"></script></body></html>'
    )
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    links = widget.locator('[part~="page"]')
    expect(links).to_have_count(2)
    expect(links.first).to_have_text(re.compile(r"^p\. [23]$"))
    expect(links.first).to_have_attribute(
        "href", re.compile(rf"^{re.escape(pdf_server.url)}/reports/r1-en/p/[23]\?q=ICC#passage-\d$")
    )
    expect(widget.locator('[part~="passage"] [part~="mark"]').first).to_be_visible()


@pytest.mark.parametrize(
    "url",
    [
        "/?q=ICC&lang=en&hl=en",
        "/reports/r1-en?hl=be",
        "/reports/r1-en/p/2?q=ICC&hl=en#passage-2",
        "/reports/r2-ru?hl=ru",
    ],
)
def test_axe_finds_no_violation_on_full_report_pages(sized, pdf_server, url) -> None:
    sized.goto(pdf_server.url + url)
    assert axe_violations(sized) == []
