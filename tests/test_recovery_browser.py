"""Corrected queries in Debian's chromium: the widget shows what it searched instead and
searches the words as typed on request; the search page's note, at desktop (1280 px)
and phone (390 px) widths, axe-clean.

Expected reports from the corpus text: «Московского» / «Маскоўскага» / Moscow are in
reports 5 and 7 (their three language versions collapse to one result each); two corpus
words ("prosecutions", "prosecutors") are one edit from "prosecutons".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/i9recovery")


@pytest.mark.parametrize(
    ("hl", "showing", "instead"),
    [
        ("en", "Showing results for московский.", "Search instead for vjcrjdcrbq"),
        ("ru", "Показаны результаты по запросу московский.", "Искать вместо этого vjcrjdcrbq"),
    ],
)
def test_the_widget_shows_the_layout_correction_and_searches_as_typed_on_request(
    sized, live_server, hl, showing, instead
) -> None:
    requests: list[str] = []
    sized.on("request", lambda r: requests.append(r.url) if "/api/search" in r.url else None)
    sized.goto(f"{live_server.url}/widget?hl={hl}")
    widget = sized.locator("iapb-search")
    widget.get_by_role("searchbox").fill("vjcrjdcrbq")
    note = widget.locator('[part~="corrected"]')
    expect(note).to_contain_text(showing)
    expect(note).to_contain_text(instead)
    expect(widget.locator('[part~="result"]')).to_have_count(2)
    screenshot(sized, SCREENSHOTS, f"widget-corrected-{hl}", widget)
    assert axe_violations(sized) == []
    button = note.locator('[part~="correction"]')
    expect(button).to_have_text("vjcrjdcrbq")
    button.click()
    expect(widget.locator('[part~="result"]')).to_have_count(0)
    expect(note).to_be_hidden()
    assert "verbatim=1" in requests[-1]
    expect(widget.locator('[part~="status"]')).to_contain_text("vjcrjdcrbq")
    # Typing again searches with correction again.
    widget.get_by_role("searchbox").fill("ЩЫСУ")
    expect(note).to_contain_text("OSCE")
    assert "verbatim" not in requests[-1]


def test_the_widget_offers_an_unsure_correction_as_a_button(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/widget?hl=en")
    widget = sized.locator("iapb-search")
    widget.get_by_role("searchbox").fill("prosecutons")
    note = widget.locator('[part~="corrected"]')
    expect(note).to_have_text(re.compile(r"^Did you mean: prosecut(ions|ors)\?$"))
    note.locator('[part~="correction"]').click()
    expect(widget.get_by_role("searchbox")).to_have_value(re.compile(r"^prosecut(ions|ors)$"))
    expect(widget.locator('[part~="result"]').first).to_be_visible()
    expect(note).to_be_hidden()


@pytest.mark.parametrize("hl", ["en", "be"])
def test_the_search_page_note_links_both_ways(sized, live_server, hl) -> None:
    sized.goto(f"{live_server.url}/?q=ICC+torure&hl={hl}")
    note = sized.locator("p.note.corrected")
    expect(note.locator("strong")).to_have_text("ICC torture")
    screenshot(sized, SCREENSHOTS, f"page-corrected-{hl}")
    assert axe_violations(sized) == []
    note.locator("em").click()
    expect(sized.locator("p.did-you-mean")).to_be_visible()
    expect(sized.locator("p.note.corrected")).to_have_count(0)


@pytest.mark.parametrize(
    ("hl", "says"),
    [
        ("en", "Left out of the search: a*. A prefix needs at least 2 letters before the *."),
        ("be", "Не шукалася: a*. Перад * трэба не менш за 2 літары."),
    ],
)
def test_the_widget_says_which_prefix_it_left_out(page, live_server, hl, says) -> None:
    page.goto(f"{live_server.url}/widget?hl={hl}")
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("a* ICC")
    note = widget.locator('[part~="corrected"]')
    expect(note).to_have_text(says)
    expect(widget.locator('[part~="result"]')).to_have_count(3)  # ICC: reports 7, 8, 9
    widget.get_by_role("searchbox").fill("ICC")
    expect(note).to_be_hidden()
