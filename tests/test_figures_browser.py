"""The answer card and the figure pages in Debian's chromium at phone (390×844) and
desktop (1280×800) sizes: no axe violations, the card on the first screen, the chart's
points as links to their paragraphs, the widget's card (issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SCREENSHOTS = Path("/tmp/i27figures")


@pytest.fixture(params=list(SIZES))
def at_size(browser, request):
    """A page at the issue's phone or desktop size."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def on_first_screen(page, locator) -> bool:
    """Whether ``locator`` is wholly within the first screen (no scrolling)."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize(
    ("query", "hl", "value"),
    [
        ("how many interviews", "en", "over 3,200"),
        ("interviews", "en", "over 3,200"),  # with hits, their timeline and notes
        ("psychosocial support", "en", "717"),
        ("сколько документов собрано", "ru", "более 30\u00a0000"),
        ("колькі людзей атрымалі псіхасацыяльную падтрымку", "be", "717"),
    ],
)
def test_the_card_is_on_the_first_screen_without_violations(at_size, live_server, query, hl, value):
    at_size.goto(f"{live_server.url}/?q={query}&hl={hl}")
    card = at_size.locator("section.answer-card")
    expect(card).to_be_visible()
    expect(card.locator(".answer-value")).to_contain_text(value)
    # The answer itself is on the first screen: what is counted, the value, its date and
    # report, and the number marked in its quotation (the rest of the card may follow).
    for part in (".answer-label", ".answer-value", ".answer-meta", "blockquote mark"):
        assert on_first_screen(at_size, card.locator(part)), (part, card.bounding_box())
    if at_size.size_name == "desktop":
        assert on_first_screen(at_size, card)
    screenshot(at_size, SCREENSHOTS, f"card-{hl}", full_page=False)
    assert axe_violations(at_size) == []


def test_the_card_links_to_the_figure_page_and_its_paragraph(at_size, live_server) -> None:
    at_size.goto(f"{live_server.url}/?q=interviews&hl=en")
    at_size.get_by_role("link", name="This figure over time").click()
    expect(at_size.locator("h1")).to_have_text("Interviews with survivors and witnesses")
    at_size.go_back()
    at_size.get_by_role("link", name="Read it in report 9").click()
    at_size.wait_for_url("**/reports/r9-en?hl=en#p3-*")
    assert at_size.evaluate("document.querySelector(location.hash) !== null")


@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_the_figure_page_has_no_violations_and_the_chart_fits(at_size, live_server, hl) -> None:
    at_size.goto(f"{live_server.url}/figures/interviews?hl={hl}")
    chart = at_size.locator(".figure-chart svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= at_size.viewport_size["width"]
    assert at_size.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(at_size, SCREENSHOTS, f"figure-interviews-{hl}")
    assert axe_violations(at_size) == []


def test_a_chart_point_is_a_link_to_its_paragraph(at_size, live_server) -> None:
    at_size.goto(f"{live_server.url}/figures/interviews?hl=en")
    point = at_size.locator(".figure-chart svg a").first
    point.focus()
    at_size.keyboard.press("Enter")
    at_size.wait_for_url("**/reports/r7-en?hl=en#p1-*")


def test_the_figures_index_has_no_violations(at_size, live_server) -> None:
    at_size.goto(f"{live_server.url}/figures?hl=be")
    expect(at_size.locator("h1")).to_have_text("Лічбы па справаздачах")
    assert at_size.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(at_size) == []


def test_the_widget_shows_the_card_above_its_hits(at_size, live_server) -> None:
    at_size.goto(f"{live_server.url}/widget?hl=en")
    widget = at_size.locator("iapb-search.widget-live")
    widget.get_by_role("searchbox").fill("how many interviews")
    card = widget.locator('[part~="answer"]')
    expect(card).to_be_visible()
    expect(widget.locator('[part~="answer-value"]')).to_have_text("over 3,200 interviews")
    expect(card.locator("p", has_text="Trend:")).to_have_text("Trend: 2,637 → 2,775 → over 3,200")
    expect(card.locator("mark")).to_have_text("3,200")
    widget.get_by_role("searchbox").fill("torture")
    expect(card).to_be_hidden()
