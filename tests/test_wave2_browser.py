"""Wave 2 in Debian's chromium at desktop (1280×900) and phone (390×844) widths.

axe-core (npm, installed into node_modules/ by ``make test``) is injected into each page
and must find no violation; the phone's "Filters (n)" control sits above the results with
the DOM order equal to the visual order; the widget follows its host's colour scheme.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import SIZES, axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/iapb-wave2")


def shoot(page, name: str) -> None:
    screenshot(page, SCREENSHOTS, name, full_page=False)


@pytest.mark.parametrize(
    "url",
    [
        "/?hl=en",
        "/?q=ICC&year=2024&lang=ru&hl=en",
        "/?q=nothingmatchesthis&year=2023&hl=be",
        "/?q=верасні+2024&hl=ru",  # a month read as a date: the note
        "/reports/r9-en?hl=en",
        "/reports/r9-be?hl=be",
        "/reports/r9-ru?hl=ru",
        "/widget?hl=en",
    ],
)
def test_axe_finds_no_violation(sized, live_server, url) -> None:
    sized.goto(live_server.url + url)
    if url.startswith("/widget"):
        widget = sized.locator("iapb-search")
        widget.get_by_role("searchbox").fill("ICC")
        expect(widget.locator('[part~="result"]')).to_have_count(3)
        widget.locator('[part~="filters-toggle"]').click()
    shoot(sized, re.sub(r"\W+", "_", url).strip("_"))
    assert axe_violations(sized) == []


def test_axe_finds_no_violation_on_a_foreign_page_with_the_widget(
    sized, live_server, tmp_path
) -> None:
    host = tmp_path / "host.html"
    host.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        f'<script src="{live_server.url}/widget.js" defer></script></head><body><main>'
        "<h1>A host page</h1>"
        '<iapb-search lang="be"><form action="/"><label>Пошук <input name="q"></label>'
        "</form></iapb-search></main></body></html>",
        encoding="utf-8",
    )
    sized.goto(host.as_uri())
    widget = sized.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    expect(widget.locator('[part~="result"]')).to_have_count(3)
    widget.locator('[part~="filters-toggle"]').click()
    shoot(sized, "foreign-host")
    assert axe_violations(sized) == []


def test_filters_sit_above_the_results_in_dom_and_visual_order(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?q=ICC&topic=osce&hl=en")
    toggle = sized.locator("summary.filters-toggle")
    first_hit = sized.locator("li.hit").first
    if sized.size_name == "phone":
        expect(toggle).to_be_visible()
        expect(toggle).to_have_text("Filters (1)")
        expect(sized.get_by_role("checkbox").first).to_be_hidden()
        assert toggle.bounding_box()["y"] < 844  # on the first screen
        assert toggle.bounding_box()["y"] < first_hit.bounding_box()["y"]
        # Tab order: the search button, the search tips, the filters control, the results.
        sized.locator("form.search-form button").focus()
        sized.keyboard.press("Tab")
        expect(sized.locator(".search-tips summary")).to_be_focused()
        sized.keyboard.press("Tab")
        expect(toggle).to_be_focused()
        sized.keyboard.press("Enter")
        expect(sized.get_by_role("checkbox", name=re.compile("^OSCE"))).to_be_visible()
        sized.keyboard.press("Tab")
        expect(sized.locator("a.clear-filters")).to_be_focused()
    else:
        expect(toggle).to_be_hidden()
        box = sized.get_by_role("checkbox", name=re.compile("^OSCE"))
        expect(box).to_be_visible()
        assert box.bounding_box()["x"] < first_hit.bounding_box()["x"]
    expect(sized.locator(".facets-apply")).to_be_hidden()  # with script, ticking applies
    css = sized.evaluate(
        "[...document.querySelectorAll('.layout > *')].map(e => getComputedStyle(e).order)"
    )
    assert set(css) == {"0"}
    shoot(sized, "filters")


def test_check_marks_expose_their_state_to_assistive_technology(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?q=ICC&topic=osce&hl=en")
    if sized.size_name == "phone":
        sized.locator("summary.filters-toggle").click()
    ticked = sized.get_by_role("checkbox", name=re.compile("^OSCE"), checked=True)
    expect(ticked).to_be_visible()
    unticked = sized.get_by_role("checkbox", name=re.compile("^International Criminal Court"))
    expect(unticked).not_to_be_checked()
    mark = ticked.evaluate("el => getComputedStyle(el, '::before').visibility")
    assert mark == "visible"
    ticked.click()
    sized.wait_for_url(lambda url: "topic=" not in url)
    assert "q=ICC" in sized.url


def test_a_page_past_the_end_keeps_the_query(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/?q=ICC&collapse=none&per_page=4&page=9&hl=en")
    expect(sized.locator("#q")).to_have_value("ICC")
    expect(sized.locator(".note").first).to_contain_text("There is no page 9")
    expect(sized.locator("li.hit")).to_have_count(1)


def test_the_report_page_shows_languages_and_summary_first(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/reports/r9-be?hl=be")
    languages = sized.locator("nav.report-languages")
    summary = sized.locator(".summary p").first
    expect(languages).to_be_in_viewport()
    expect(summary).to_be_in_viewport()
    assert languages.bounding_box()["y"] < summary.bounding_box()["y"]
    assert summary.bounding_box()["y"] < sized.locator(".report-facts").bounding_box()["y"]
    shoot(sized, "report-be")
    sized.emulate_media(media="print")
    expect(sized.locator(".print-address")).to_be_visible()
    expect(sized.locator(".print-address")).to_contain_text("/reports/r9-be")


@pytest.mark.parametrize(
    ("host_css", "theme", "scheme", "background"),
    [
        ("", "", "dark", "rgb(255, 255, 255)"),  # a plain (light) host on a dark system
        (":root{color-scheme:light dark}", "", "dark", "rgb(24, 24, 28)"),
        (":root{color-scheme:light dark}", "", "light", "rgb(255, 255, 255)"),
        (":root{color-scheme:dark}", "", "light", "rgb(24, 24, 28)"),
        ("", 'theme="dark"', "light", "rgb(24, 24, 28)"),
        (":root{color-scheme:dark}", 'theme="light"', "dark", "rgb(255, 255, 255)"),
    ],
)
def test_the_widget_follows_the_host_colour_scheme_or_its_theme(
    page, live_server, tmp_path, host_css, theme, scheme, background
) -> None:
    page.emulate_media(color_scheme=scheme)
    host = tmp_path / "host.html"
    host.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        f"<style>{host_css}</style>"
        f'<script src="{live_server.url}/widget.js" defer></script></head><body>'
        f'<iapb-search lang="en" {theme}></iapb-search></body></html>',
        encoding="utf-8",
    )
    page.goto(host.as_uri())
    container = page.locator("iapb-search").locator('[part~="container"]')
    expect(container).to_have_css("background-color", background)


def test_the_widget_says_when_filters_exclude_every_match(page, live_server) -> None:
    page.goto(f"{live_server.url}/widget?hl=en")
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    expect(widget.locator('[part~="result"]')).to_have_count(3)
    widget.locator('[part~="filters-toggle"]').click()
    widget.locator('[part~="chip"][data-f="year"]', has_text="2024").click()
    expect(widget.locator('[part~="result"]')).to_have_count(1)
    widget.get_by_role("searchbox").fill("torture")  # only in a 2025 report
    status = widget.get_by_role("status")
    expect(status).to_contain_text("with the selected filters")
    clear = widget.locator('[part~="clear"]')
    expect(clear).to_be_visible()
    clear.click()
    expect(status).to_have_text(re.compile(r"^\d+ results?$"))
    expect(widget.locator('[part~="filters-toggle"]')).to_have_text("Filters")


def test_the_widget_switches_to_every_language_version(page, live_server) -> None:
    page.goto(f"{live_server.url}/widget?hl=en")
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").fill("ICC")
    expect(widget.locator('[part~="result"]')).to_have_count(3)
    versions = widget.locator('[part~="versions"]')
    versions.click()
    expect(versions).to_have_attribute("aria-pressed", "true")
    expect(widget.get_by_role("status")).to_have_text("9 results")
    expect(widget.locator('[part~="more"]')).to_have_attribute("href", re.compile("collapse=none"))
    lang_chip = widget.locator('[part~="chip"][data-f="lang"] span[lang="be"]')
    expect(lang_chip).to_have_text("Беларуская")


def test_the_widget_fallback_form_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/widget?hl=be")
    box = page.locator("iapb-search").get_by_role("searchbox")
    expect(box).to_be_visible()
    box.fill("ICC")
    page.locator("iapb-search").get_by_role("button", name="Шукаць").click()
    page.wait_for_url(re.compile(r"/\?q=ICC&hl=be"))
    expect(page.locator("li.hit")).to_have_count(3)
    context.close()


def test_the_snippet_can_be_copied_and_scrolled_by_keyboard(sized, live_server) -> None:
    sized.goto(f"{live_server.url}/widget?hl=en")
    snippet = sized.locator("pre.widget-snippet").first
    snippet.focus()
    expect(snippet).to_be_focused()
    sized.get_by_role("button", name="Copy").click()
    expect(sized.locator(".copy-status")).to_have_text("Copied")
    copied = sized.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("<script src=") and "<form action=" in copied
    assert json.dumps(copied)  # plain text


@pytest.mark.parametrize("size", list(SIZES))
def test_filters_work_without_javascript(browser, live_server, size) -> None:
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/?q=ICC&hl=en")
    box = page.get_by_role("checkbox", name=re.compile("^OSCE"))
    if size == "phone":
        expect(box).to_be_hidden()
        page.locator("summary.filters-toggle").click()
    expect(box).to_be_visible()
    box.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"topic=osce"))
    expect(page.locator("li.hit")).to_have_count(1)
    context.close()
