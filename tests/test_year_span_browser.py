"""The chart of years as a control, and a query's timeline, in Debian's chromium.

A bar shows its year; a shift-click on a second bar shows the span between them; the
span is a chip that removes it.  Without JavaScript the bars are plain links and the
"From year" / "To year" selects choose a span.  Desktop (1280 px) and phone (390 px).
Reports per year, from the corpus: 2023: 4 and 5; 2024: 6 and 7; 2025: 8 and 9.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.helpers import SIZES, axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/i11years")


@pytest.fixture(params=list(SIZES))
def no_script(browser, request):
    """A page at desktop or phone size with JavaScript off."""
    width, height = SIZES[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def span(page) -> tuple[list[str], list[str]]:
    args = parse_qs(urlsplit(page.url).query)
    return args.get("year_from", []), args.get("year_to", [])


def open_filters(page) -> None:
    """On a phone the filters are behind the "Filters" disclosure."""
    toggle = page.locator("summary.filters-toggle")
    if toggle.is_visible() and page.locator("#filters").get_attribute("open") is None:
        toggle.click()


def bar(page, year: str):
    return page.get_by_role("link", name=re.compile(rf"^{year}: \d+ reports?$"))


def shoot(page, name: str) -> None:
    screenshot(page, SCREENSHOTS, name)


def test_a_bar_selects_its_year_and_shift_click_selects_a_span(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?hl=en")
    open_filters(sized)
    expect(sized.locator(".chart-help")).to_be_visible()
    bar(sized, "2024").click()
    sized.wait_for_url(re.compile(r"year_to=2024"))
    assert span(sized) == (["2024"], ["2024"])
    expect(sized.locator("li.hit")).to_have_count(2)
    open_filters(sized)
    bar(sized, "2025").click(modifiers=["Shift"])
    sized.wait_for_url(re.compile(r"year_to=2025"))
    assert span(sized) == (["2024"], ["2025"])
    expect(sized.locator("li.hit")).to_have_count(4)
    assert len(sized.context.pages) == 1  # the shift-click opened no window
    chip = sized.get_by_role("link", name="Remove filter: Years: 2024–2025")
    expect(chip).to_be_visible()
    shoot(sized, "span-2024-2025")
    chip.click()
    sized.wait_for_url(lambda url: "year_from" not in url)
    expect(sized.locator("li.hit")).to_have_count(6)


def test_the_bars_work_by_keyboard_with_a_visible_focus(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?q=ICC&hl=en")
    open_filters(sized)
    sized.locator("legend", has_text="Year").click()  # a start point just before the chart
    first = bar(sized, "2024")
    for _ in range(10):
        sized.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    expect(first).to_be_focused()
    stroke = first.locator(".bar-area").evaluate("el => getComputedStyle(el).strokeWidth")
    assert stroke == "3px"
    sized.keyboard.press("Tab")
    second = bar(sized, "2025")
    expect(second).to_be_focused()
    sized.keyboard.press("Enter")
    sized.wait_for_url(re.compile(r"year_from=2025"))
    assert span(sized) == (["2025"], ["2025"])
    open_filters(sized)
    bar(sized, "2024").focus()
    sized.keyboard.press("Shift+Enter")
    sized.wait_for_url(re.compile(r"year_from=2024"))
    assert span(sized) == (["2024"], ["2025"])


def test_without_javascript_the_selects_and_the_bars_choose_years(no_script, live_server) -> None:
    page = no_script
    page.goto(f"{live_server.url}/?hl=en")
    open_filters(page)
    expect(page.locator(".chart-help")).to_be_hidden()  # shift-click needs the script
    page.get_by_label("From year").select_option("2023")
    page.get_by_label("To year").select_option("2024")
    page.get_by_role("button", name="Show these years").click()
    page.wait_for_url(re.compile(r"year_to=2024"))
    assert span(page) == (["2023"], ["2024"])
    expect(page.locator("li.hit")).to_have_count(4)
    shoot(page, "nojs-span-2023-2024")
    open_filters(page)
    bar(page, "2025").click()
    page.wait_for_url(re.compile(r"year_from=2025"))
    assert span(page) == (["2025"], ["2025"])
    expect(page.locator("li.hit")).to_have_count(2)
    open_filters(page)
    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_url(lambda url: "year_" not in url)
    expect(page.locator("li.hit")).to_have_count(6)


@pytest.mark.parametrize(
    "url",
    [
        "/?q=ICC&hl=en",
        "/?q=ICC&year_from=2024&year_to=2025&date_to=2025-06-01&hl=en",
        "/?year_from=2024&hl=be",
        "/?q=OSCE&hl=ru",
    ],
)
def test_axe_finds_no_violation_with_a_span(sized, live_server, url) -> None:
    sized.goto(live_server.url + url)
    open_filters(sized)
    shoot(sized, re.sub(r"\W+", "_", url).strip("_"))
    assert axe_violations(sized) == []


def test_the_timeline_is_open_after_the_hits_and_folds_by_keyboard(sized, live_server) -> None:
    """After the hits (results first, issue 25), the chart is open at both widths."""
    sized.goto(f"{live_server.url}/?q=ICC&hl=en")
    toggle = sized.locator("summary.timeline-toggle")
    chart = sized.locator(".timeline-chart")
    expect(toggle).to_have_text("Mentions of “ICC” per report")
    last_hit = sized.locator(".hit-title").last
    expect(chart).to_be_visible()
    assert chart.bounding_box()["y"] > last_hit.bounding_box()["y"]
    toggle.focus()
    sized.keyboard.press("Enter")
    expect(chart).to_be_hidden()
    assert axe_violations(sized) == []


def test_the_timeline_table_opens_by_keyboard(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?q=OSCE&hl=en")
    table = sized.get_by_role("table", name="Mentions of “OSCE” per report")
    expect(table).to_be_hidden()
    sized.locator(".timeline-data summary").focus()
    sized.keyboard.press("Enter")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.nth(1)).to_have_text(re.compile(r"No\. 5\s*April 2023 – September 2023\s*6\s*3"))
    box = sized.locator(".timeline-chart").bounding_box()
    assert box["width"] <= sized.viewport_size["width"]
    shoot(sized, "timeline-osce")
