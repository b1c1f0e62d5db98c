"""The three languages side by side in Debian's chromium at desktop (1280 px) and phone
(390 px) widths: columns on a wide screen, a language switcher per paragraph on a phone
(CSS radio buttons, no script needed), axe-core clean at both."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/i11compare")


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_compare_page_columns_or_switcher(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/reports/9/compare?q=ICC&hl=en")
    row = sized.locator("#row-4")
    en, be, ru = (row.locator(f".cell-{lang}") for lang in ("en", "be", "ru"))
    if sized.size_name == "desktop":
        for cell in (en, be, ru):
            expect(cell).to_be_visible()
            expect(cell.locator("mark").first).to_be_visible()
        boxes = [_box(cell) for cell in (en, be, ru)]
        assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # one row
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # en, be, ru columns
        expect(row.locator(".compare-switch")).to_be_hidden()
    else:
        expect(en).to_be_visible()
        expect(be).to_be_hidden()
        expect(ru).to_be_hidden()
        row.locator("label", has_text="Russian").click()
        expect(ru).to_be_visible()
        expect(en).to_be_hidden()
        expect(ru.locator("mark").last).to_have_text("МУС")
        # Only this row switched: the others still show the reader's language.
        expect(sized.locator("#row-3 .cell-en")).to_be_visible()
        expect(sized.locator("#row-3 .cell-ru")).to_be_hidden()
        # The keyboard moves within a row's radio group.
        row.get_by_role("radio", name="Russian").press("ArrowLeft")
        expect(be).to_be_visible()
        expect(ru).to_be_hidden()
    screenshot(sized, SCREENSHOTS, "compare-r9-icc")
    assert axe_violations(sized) == []


def test_a_link_to_another_languages_paragraph_shows_it(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/reports/9/compare?hl=en")
    anchor = sized.locator("#row-2 .cell-be p[id]").get_attribute("id")
    sized.goto(f"{live_server.url}/reports/9/compare?hl=en#{anchor}")
    target = sized.locator(f"#{anchor}")
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    if sized.size_name == "phone":
        expect(sized.locator("#row-2 .cell-en")).to_be_hidden()


def test_compare_page_in_belarusian_is_axe_clean(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/reports/9/compare?hl=be")
    if sized.size_name == "phone":
        expect(sized.locator("#row-1 .cell-be")).to_be_visible()
        expect(sized.locator("#row-1 .cell-en")).to_be_hidden()
    screenshot(sized, SCREENSHOTS, "compare-r9-be")
    assert axe_violations(sized) == []


def test_without_javascript_the_phone_switcher_still_works(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/reports/9/compare?hl=ru")
    row = page.locator("#row-1")
    expect(row.locator(".cell-ru")).to_be_visible()
    expect(row.locator(".cell-en")).to_be_hidden()
    row.locator('label[for="row-1-en"]').click()
    expect(row.locator(".cell-en")).to_be_visible()
    expect(row.locator(".cell-ru")).to_be_hidden()
    context.close()
