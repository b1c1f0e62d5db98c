"""Results first (issue 25), measured in Debian's chromium at 390×844 and 1280×800.

For each search (filters, corrections, each interface language, a query's timeline on),
the first hit's title and the first line of its snippet are inside the viewport before
any scrolling; the active filters are a strip of removable chips above the hits at both
widths; the count sits above the first hit.  Screenshots: /tmp/iapb-first-screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/iapb-first-screen")
# The two first screens the issue names: a phone and a small laptop.
FIRST_SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}

# Searches written from the corpus: each finds at least one report.
SEARCHES = [
    "/?q=ICC&hl=en",
    "/?q=torure&hl=en",  # corrected to "torture"
    "/?q=ICC&year=2024&lang=ru&hl=en",  # a year and a language
    "/?q=ICC&year_from=2024&year_to=2025&topic=icc&hl=en",  # a span and a topic
    "/?q=МКС&hl=be",
    "/?q=пытки&hl=ru",
    "/?q=Lukashenka&sort=date&hl=en",  # sorted by date: a chip
    "/?q=ICC&collapse=none&hl=ru",  # every language version: a chip
    "/?q=Лукашэнка&hl=be",
    "/?q=верасня+2024&hl=ru",  # a month read as a date
    "/?q=OSCE+Moscow+Mechanism&hl=en",
    "/?q=ICC&per_page=1&page=2&hl=be",  # page 2
    "/?hl=en",  # browsing, newest first
]

# The first line of an element: the first of its text's line boxes.
FIRST_LINE = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  rects.sort((a, b) => a.top - b.top);
  const first = rects[0];
  return first ? {top: first.top, bottom: first.bottom} : null;
}"""


@pytest.fixture(params=list(FIRST_SCREENS))
def screen(browser, request):
    """A page at the issue's phone or desktop size, ``page.size_name`` saying which."""
    width, height = FIRST_SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def name_of(url: str) -> str:
    return re.sub(r"\W+", "_", url).strip("_") or "home"


@pytest.mark.parametrize("url", SEARCHES)
def test_the_first_hit_and_its_snippet_are_on_the_first_screen(screen, live_server, url) -> None:
    screen.goto(live_server.url + url)
    height = screen.viewport_size["height"]
    assert screen.evaluate("window.scrollY") == 0
    title = screen.locator("li.hit .hit-title").first
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (url, box)
    line = screen.locator("li.hit .snippet").first.evaluate(FIRST_LINE)
    assert line is not None and line["bottom"] <= height, (url, line)
    count = screen.locator(".result-count")
    assert count.bounding_box()["y"] < box["y"]
    if "q=" in url:
        # The timeline is drawn for every query, after the hits.
        timeline = screen.locator("#timeline")
        expect(timeline).to_have_count(1)
        assert timeline.bounding_box()["y"] > box["y"]
    screenshot(screen, SCREENSHOTS, name_of(url), full_page=False)


def test_the_page_scrolls_neither_way_at_320_pixels(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for url in ("/?q=ICC&year=2024&lang=ru&hl=be", "/reports/r9-ru?q=МУС&hl=ru", "/widget"):
            page.goto(live_server.url + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (url, width)
    finally:
        context.close()


@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_the_placeholder_fits_in_the_phone_search_box(browser, live_server, hl) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/?hl={hl}")
        fits = page.locator("#q").evaluate(
            """box => {
              const style = getComputedStyle(box);
              const context = document.createElement("canvas").getContext("2d");
              context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
              const text = context.measureText(box.placeholder).width;
              const room = box.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
              return [text, room];
            }"""
        )
        assert fits[0] <= fits[1], fits
        # The tips never break a token such as -word across lines.
        page.locator(".search-tips").evaluate("el => el.open = true")
        for code in page.locator(".search-tips code").all():
            assert code.evaluate("el => el.getClientRects().length") == 1
    finally:
        context.close()


def test_the_active_filters_are_removable_chips_above_the_hits(screen, live_server) -> None:
    url = "/?q=ICC&year_from=2024&year_to=2025&lang=ru&topic=icc&sort=date&hl=en"
    screen.goto(live_server.url + url)
    chips = screen.locator(".active-filters a.chip")
    expect(chips).to_have_text(
        [
            re.compile("Years: 2024–2025"),
            re.compile("Language: Русский"),
            re.compile("Topic: International Criminal Court"),
            re.compile("Sorted: newest first"),
        ]
    )
    first_hit = screen.locator("li.hit").first.bounding_box()
    for chip in chips.all():
        expect(chip).to_be_in_viewport()
        assert chip.bounding_box()["y"] < first_hit["y"]
    # Each chip removes its own filter and keeps the others.
    screen.locator(".active-filters a.chip", has_text="Русский").click()
    screen.wait_for_url(lambda address: "lang=" not in address)
    assert "topic=icc" in screen.url and "year_from=2024" in screen.url
    expect(chips).to_have_count(3)
    screenshot(screen, SCREENSHOTS, "chips", full_page=False)


def test_a_correction_names_the_word_searched_and_offers_the_one_typed(screen, live_server) -> None:
    screen.goto(f"{live_server.url}/?q=torure&hl=en")
    expect(screen.locator("#results-title")).to_have_text("Results for “torture”")
    instead = screen.locator(".note.corrected")
    expect(instead).to_contain_text("Search instead for torure")
    expect(instead).to_be_in_viewport()


def test_an_empty_filtered_search_says_the_filters_hid_the_reports(screen, live_server) -> None:
    screen.goto(f"{live_server.url}/?q=ICC&year=2023&hl=en")
    expect(screen.locator(".no-results-title")).to_have_text("No report from 2023 matches “ICC”.")
    wider = screen.locator(".no-results-wider a")
    expect(wider).to_have_text("3 reports match “ICC” without the filters.")
    expect(wider).to_be_in_viewport()
    wider.click()
    expect(screen.locator("li.hit")).to_have_count(3)
    expect(screen.locator(".active-filters")).to_have_count(0)


def test_the_year_filter_has_one_state(screen, live_server) -> None:
    # Two years as check-box parameters, a span, and one year: the chart, the selects and
    # the chips all say the same.
    for url, first, last, chip in [
        ("/?q=ICC&year=2024&year=2025&hl=en", "2024", "2025", "Years: 2024–2025"),
        ("/?q=ICC&year_from=2024&year_to=2025&hl=en", "2024", "2025", "Years: 2024–2025"),
        ("/?q=ICC&year=2025&hl=en", "2025", "2025", "Year: 2025"),
    ]:
        screen.goto(live_server.url + url)
        if screen.size_name == "phone":
            screen.locator("summary.filters-toggle").click()
        expect(screen.locator("#year-from")).to_have_value(first)
        expect(screen.locator("#year-to")).to_have_value(last)
        expect(screen.locator(".active-filters a.chip")).to_have_text([re.compile(chip)])
        selected = screen.locator(".year-chart a.selected text.year").all_text_contents()
        assert selected == [str(y) for y in range(int(first), int(last) + 1)], url
        assert screen.locator("input[type=checkbox][name=year]").count() == 0


def test_the_search_is_kept_on_the_way_to_a_report_and_back(screen, live_server) -> None:
    screen.goto(f"{live_server.url}/?q=ICC&lang=ru&topic=icc&per_page=1&page=2&hl=be")
    screen.locator("a.hit-link").first.click()
    screen.wait_for_url(re.compile(r"/reports/"))
    # The search box holds the query; the other language links keep it and its marks.
    expect(screen.locator("#site-q")).to_have_value("ICC")
    expect(screen.locator("mark").first).to_be_visible()
    other = screen.locator(".report-languages a[hreflang]").first
    other.click()
    screen.wait_for_url(re.compile(r"/reports/r\d+-(en|be)"))
    expect(screen.locator("#site-q")).to_have_value("ICC")
    assert screen.locator(".summary mark").count() > 0
    # "Back to results" brings the same query, filters and page.
    screen.locator("a.back-to-results").click()
    screen.wait_for_url(re.compile(r"/\?"))
    for part in ("q=ICC", "lang=ru", "topic=icc", "per_page=1", "page=2", "hl=be"):
        assert part in screen.url, part
    expect(screen.locator("#q")).to_have_value("ICC")


def test_the_widget_names_the_corrected_word_when_filters_hide_it(page, live_server) -> None:
    page.goto(f"{live_server.url}/widget?hl=en")
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    expect(widget.locator('[part~="result"]')).to_have_count(3)
    widget.locator('[part~="filters-toggle"]').click()
    widget.locator('[part~="chip"][data-f="year"]', has_text="2024").click()
    expect(widget.locator('[part~="result"]')).to_have_count(1)
    widget.get_by_role("searchbox").fill("torure")  # corrected to torture: only in 2025
    status = widget.get_by_role("status")
    expect(status).to_have_text(
        "No report matches “torture” with the selected filters; 1 without them."
    )
    expect(widget.locator('[part~="corrected"]')).to_contain_text("Showing results for torture")


@pytest.mark.parametrize(
    "url",
    [
        *SEARCHES,
        "/?q=ICC&year=2023&hl=en",  # empty, with filters
        "/?q=nothingmatchesthis&hl=ru",  # empty
        "/reports/r9-en?q=ICC&hl=en&back=q%3DICC%26lang%3Dru",
        "/reports/r8-be?q=МКС&hl=be",
        "/reports/7/compare?q=ICC&hl=ru",
    ],
)
def test_axe_with_the_experimental_rules_finds_no_violation(screen, live_server, url) -> None:
    screen.goto(live_server.url + url)
    assert axe_violations(screen) == []


def test_search_as_you_type_updates_the_results_and_the_address(screen, live_server) -> None:
    screen.goto(f"{live_server.url}/?topic=icc&hl=en")
    requests: list[str] = []
    screen.on(
        "request",
        lambda request: requests.append(request.url) if "/?" in request.url else None,
    )
    box = screen.locator("#q")
    box.click()
    # Seven keystrokes in one task, so within one pause (no timing in the test): one request.
    box.evaluate(
        """el => { for (const letter of "torture") {
          el.value += letter;
          el.dispatchEvent(new InputEvent("input", {bubbles: true, data: letter}));
        } }"""
    )
    title = screen.locator("#results-title")
    expect(title).to_have_text("Results for “torture”")
    # Torture is named in report 9 (corpus/reports/09.yaml), which has the ICC topic.
    expect(screen.locator(".result-count")).to_have_text(re.compile(r"^\s*1 report"))
    expect(screen.locator("#live-count")).to_have_text("Results for “torture”: 1 report")
    assert "q=torture" in screen.url and "topic=icc" in screen.url  # a permalink
    assert len(requests) == 1, requests
    # The first hit is on the first screen, and the arrow keys reach it; Enter opens it.
    expect(screen.locator("li.hit .hit-title").first).to_be_in_viewport()
    box.press("ArrowDown")
    expect(screen.locator("a.hit-link").first).to_be_focused()
    screen.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    box.press("ArrowDown")
    screen.keyboard.press("Enter")
    screen.wait_for_url(re.compile(r"/reports/r9-"))
    # Back from the report: the address kept the search.
    screen.go_back()
    expect(screen.locator("#q")).to_have_value("torture")


def test_next_and_previous_match_step_through_the_marks(screen, live_server) -> None:
    # Report 8's English summary names survivors three times (paragraphs 2 and 3).
    screen.goto(f"{live_server.url}/reports/r8-en?q=survivor&hl=en")
    nav = screen.get_by_role("navigation", name="Matches of the search")
    expect(nav).to_be_visible()
    status = nav.get_by_role("status")
    expect(status).to_have_text("3 matches")
    current = screen.locator("mark.current-match")
    nav.get_by_role("button", name="Next match").click()
    expect(status).to_have_text("Match 1 of 3")
    expect(current).to_have_count(1)
    expect(current).to_be_in_viewport()
    first = current.evaluate("el => el.closest('p').id")
    nav.get_by_role("button", name="Next match").click()
    nav.get_by_role("button", name="Next match").click()
    expect(status).to_have_text("Match 3 of 3")
    assert current.evaluate("el => el.closest('p').id") != first  # another paragraph
    nav.get_by_role("button", name="Next match").click()  # round to the first again
    expect(status).to_have_text("Match 1 of 3")
    nav.get_by_role("button", name="Previous match").click()
    expect(status).to_have_text("Match 3 of 3")
    assert axe_violations(screen) == []


def test_a_phrase_is_one_match_and_a_page_without_a_query_has_no_match_steps(
    screen, live_server
) -> None:
    screen.goto(f"{live_server.url}/reports/r9-en?q=%22International+Criminal+Court%22&hl=en")
    nav = screen.locator(".match-nav")
    expect(nav.get_by_role("status")).to_have_text("1 match")
    screen.goto(f"{live_server.url}/reports/r9-en?hl=en")
    expect(screen.locator(".match-nav")).to_have_count(0)


def test_the_widget_lists_the_other_versions_natively_in_one_order(page, live_server) -> None:
    page.goto(f"{live_server.url}/widget?hl=ru")
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    expect(widget.locator('[part~="result"]')).to_have_count(3)
    for line in widget.locator('[part~="languages"]').all():
        links = line.locator("a")
        langs = [links.nth(i).get_attribute("lang") for i in range(links.count())]
        assert langs == sorted(langs, key=["en", "be", "ru"].index)
        names = {"en": "English", "be": "Беларуская", "ru": "Русский"}
        assert links.all_text_contents() == [names[lang] for lang in langs]


@pytest.mark.parametrize(
    "state",
    ["filters-open", "widget-results", "widget-empty", "error-404", "missing-version"],
)
def test_axe_finds_no_violation_in_the_other_states(screen, live_server, state) -> None:
    if state == "filters-open":
        screen.goto(f"{live_server.url}/?q=ICC&year_from=2024&year_to=2025&topic=icc&hl=be")
        if screen.size_name == "phone":
            screen.locator("summary.filters-toggle").click()
        expect(screen.locator(".year-chart")).to_be_visible()
    elif state.startswith("widget"):
        screen.goto(f"{live_server.url}/widget?hl=en")
        widget = screen.locator("iapb-search")
        widget.get_by_role("searchbox").fill("ICC")
        expect(widget.locator('[part~="result"]')).to_have_count(3)
        widget.locator('[part~="filters-toggle"]').click()
        if state == "widget-empty":  # a correction next to an empty filtered state
            widget.locator('[part~="chip"][data-f="year"]', has_text="2024").click()
            widget.get_by_role("searchbox").fill("torure")
            expect(widget.get_by_role("status")).to_contain_text("with the selected filters")
    elif state == "error-404":
        screen.goto(f"{live_server.url}/reports/r99-en?q=ICC&hl=ru")
        expect(screen.locator("#site-q")).to_have_value("ICC")
    else:
        screen.goto(f"{live_server.url}/reports/r4-xx?hl=en")
    screenshot(screen, SCREENSHOTS, f"axe-{state}", full_page=False)
    assert axe_violations(screen) == []
