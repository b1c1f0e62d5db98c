"""Reading views in Debian's chromium at desktop (1280 px) and phone (390 px) widths:
paragraph links on the report page, and the three languages side by side."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/i11anchors")


def _anchor(live_server, page, doc: str, q: str) -> str:
    response = page.request.get(f"{live_server.url}/api/search?q={q}&per_page=50")
    return next(h["anchor"] for h in response.json()["results"] if h["id"] == doc)


def test_a_hit_opens_the_report_at_its_paragraph_with_the_matches_marked(
    sized, live_server
) -> None:
    anchor = _anchor(live_server, sized, "r9-en", "ICC")
    sized.goto(f"{live_server.url}/?q=ICC&lang=en&hl=en")
    sized.locator('a.hit-link[href*="/reports/r9-en"]').click()
    assert sized.url.endswith(f"#{anchor}")
    target = sized.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark").first).to_have_text("International")
    assert target.evaluate("p => getComputedStyle(p).outlineStyle") == "solid"  # :target
    screenshot(sized, SCREENSHOTS, "report-at-paragraph")
    assert axe_violations(sized) == []


def test_the_paragraph_link_shows_on_hover_and_on_keyboard_focus(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/reports/r9-en?hl=en")
    second = sized.locator(".summary p").nth(1)
    link = second.get_by_role("link", name="Link to paragraph 2")
    expect(link).to_have_attribute("href", re.compile(r"^/reports/r9-en\?hl=en#p2-[0-9a-f]{6}$"))
    opacity = "a => getComputedStyle(a).opacity"
    if sized.size_name == "desktop":
        assert link.evaluate(opacity) == "0"
        second.hover()
        assert link.evaluate(opacity) == "1"
        sized.mouse.move(0, 0)
    assert link.evaluate(opacity) in ("0", "1")
    link.focus()
    assert link.evaluate(opacity) == "1"
    link.press("Enter")
    assert re.search(r"#p2-[0-9a-f]{6}$", sized.url)
    expect(second).to_be_in_viewport()


def test_a_link_to_a_paragraph_that_moved_finds_it_by_its_hash(sized, live_server) -> None:
    anchor = _anchor(live_server, sized, "r9-en", "ICC")
    moved = "p2-" + anchor.split("-")[1]  # as if a paragraph before it had been removed
    sized.goto(f"{live_server.url}/reports/r9-en?hl=en#{moved}")
    target = sized.locator(f"#{anchor}")
    expect(target).to_have_class(re.compile("moved-target"))
    expect(target).to_be_in_viewport()
