"""The search page in Debian's chromium: search, filter, switch language, stay safe."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/iapb-search.png"


def watch(page) -> tuple[list[str], list[str]]:
    """Collect console errors and dialogs (a dialog would mean injected script ran)."""
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return errors, dialogs


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_filter_and_switch_language(live_server, page) -> None:
    errors, dialogs = watch(page)
    page.goto(f"{live_server.url}/?hl=en")
    page.fill("#q", "ICC")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=ICC"))
    assert page.locator(".result-count").inner_text().startswith("3 reports")
    assert page.locator("li.hit").count() == 3  # one per report by default
    page.get_by_role("link", name="Show every language version").click()
    page.wait_for_url(re.compile(r"collapse=none"))
    assert page.locator("li.hit").count() == 9
    page.get_by_role("link", name="Show each report once").click()
    page.wait_for_url(lambda url: "collapse" not in url)
    assert page.locator("li.hit").count() == 3
    before = page.locator(".facet-value .count").all_inner_texts()

    page.get_by_role("checkbox", name=re.compile("^OSCE")).check()
    page.wait_for_url(re.compile(r"topic=osce"))
    assert params(page)["q"] == ["ICC"]
    assert page.get_by_role("checkbox", name=re.compile("^OSCE")).is_checked()
    assert page.get_by_role("checkbox", name=re.compile("^OSCE")).evaluate(
        "el => el === document.activeElement"
    )
    assert page.locator("li.hit").count() == 1
    assert page.locator(".result-count").inner_text().startswith("1 report")
    assert page.locator(".facet-value .count").all_inner_texts() != before

    page.locator(".lang-switch a[hreflang=be]").click()
    page.wait_for_url(re.compile(r"hl=be"))
    assert params(page)["topic"] == ["osce"]
    assert page.locator("html").get_attribute("lang") == "be"
    assert page.locator(".result-count").inner_text().startswith("1 справаздача")
    assert page.get_by_role("button", name="Шукаць").is_visible()

    page.fill("#q", "пыткі")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=%D0%BF"))
    assert params(page)["hl"] == ["be"]
    assert errors == []
    assert dialogs == []


@pytest.mark.parametrize(
    "q",
    ["<img src=x onerror=alert(1)>", '"><img src=x onerror=alert(1)>', "<script>alert(1)</script>"],
)
def test_markup_in_the_query_runs_nothing(live_server, page, q: str) -> None:
    errors, dialogs = watch(page)
    page.goto(f"{live_server.url}/?hl=en")
    page.fill("#q", q)
    page.press("#q", "Enter")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.input_value("#q") == q
    assert q in page.locator("#results-title").inner_text()
    assert page.locator("main img").count() == 0
    assert errors == []


def test_report_page_and_back_to_search(live_server, page) -> None:
    errors, _ = watch(page)
    page.goto(f"{live_server.url}/?q=ICC&hl=ru")
    page.locator("li.hit h3 a").first.click()
    # At the paragraph holding the snippet, the query marked (tests/test_paragraphs.py).
    page.wait_for_url(
        re.compile(r"/reports/r\d-(en|be|ru)\?q=ICC&hl=ru&back=[^#]+#p\d+-[0-9a-f]{6}$")
    )
    assert page.locator("article.report h1").is_visible()
    assert page.locator("nav.report-languages li").count() == 2
    assert errors == []


def test_keyboard_slash_focuses_the_search_box(live_server, page) -> None:
    page.goto(f"{live_server.url}/?q=ICC&hl=en")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_screenshot_of_the_icc_search(live_server, page) -> None:
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(f"{live_server.url}/?q=ICC&collapse=report&hl=en")
    page.screenshot(path=SCREENSHOT, full_page=True)
