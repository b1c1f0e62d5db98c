"""The widget in a real browser, embedded by its snippet in a page of another origin.

The host pages are files in a temporary directory served by a second server on another
loopback port (a different origin from the search service), with CSS written to break
whatever it can reach.  One scenario per test; Playwright's ``expect`` does the waiting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import LiveServer, free_port

pytestmark = pytest.mark.browser

HOSTILE_CSS = """
* { all: unset; }
div { display: none !important; }
mark { color: red; }
p.host { display: block; color: rgb(0, 128, 0); font-size: 20px; margin: 7px; }
"""
MARKUP = "<img src=x onerror=alert(1)>"


def static_site(root: Path):
    """A WSGI app serving the ``.html`` files of ``root`` (nothing else)."""

    def app(environ, start_response):
        path = root / environ["PATH_INFO"].lstrip("/")
        if path.suffix != ".html" or path.parent != root or not path.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [path.read_bytes()]

    return app


@pytest.fixture(scope="module")
def host_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("host-site")


@pytest.fixture(scope="module")
def host_server(host_dir: Path) -> Iterator[LiveServer]:
    """The host site, on a different port (so a different origin) from the service."""
    server = LiveServer(static_site(host_dir))
    yield server
    server.close()


@pytest.fixture()
def host_page(host_dir, host_server, live_server, request):
    """Write a host page embedding ``body`` (``{service}`` is the service's URL); its URL."""

    def write(body: str, *, widget: bool = True) -> str:
        script = f'<script src="{live_server.url}/widget.js" defer></script>' if widget else ""
        name = f"{request.node.name.replace('[', '-').strip(']')}-{int(widget)}.html"
        (host_dir / name).write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<link rel="icon" href="data:,"><title>Host</title>'
            f"<style>{HOSTILE_CSS}</style></head><body>"
            '<p class="host">A host paragraph with <mark>its own mark</mark>.</p>'
            f"{script}{body.format(service=live_server.url)}</body></html>",
            encoding="utf-8",
        )
        return f"{host_server.url}/{name}"

    return write


@pytest.fixture()
def problems(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and dialogs of ``page``, as they happen."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))

    def on_dialog(dialog):
        seen.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def results(widget):
    return widget.locator('[part~="result"]')


def search(widget, text: str) -> None:
    widget.get_by_role("searchbox").fill(text)


def test_typing_icc_shows_the_three_reports(page, host_page, problems, live_server):
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(widget.get_by_role("status")).to_have_text("3 results")
    expect(results(widget)).to_have_count(3)
    titles = widget.locator('[part~="title"]')
    for i in range(3):
        expect(titles.nth(i)).to_have_attribute(
            "href",
            re.compile(rf"^{re.escape(live_server.url)}/reports/r\d+-en#p\d+-[0-9a-f]{{6}}$"),
        )
    expect(widget.locator('[part~="mark"]').first).to_be_visible()
    expect(widget.locator('[part~="more"]')).to_have_attribute(
        "href", f"{live_server.url}/?q=ICC&hl=en"
    )
    assert problems == []


def test_a_facet_chip_narrows_the_results(page, host_page, problems):
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(results(widget)).to_have_count(3)
    toggle = widget.locator('[part~="filters-toggle"]')
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(widget.locator('[part~="facets"]')).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    year = widget.locator('[part~="chip"][data-f="year"]', has_text="2024")
    expect(year).to_have_attribute("aria-pressed", "false")
    year.click()
    expect(year).to_have_attribute("aria-pressed", "true")
    expect(year).to_be_focused()
    expect(toggle).to_have_text("Filters(1)")
    expect(results(widget)).to_have_count(1)
    expect(widget.get_by_role("status")).to_have_text("1 result")
    expect(widget.locator('[part~="title"]')).to_have_attribute(
        "href", re.compile(r"/r7-en#p\d+-[0-9a-f]{6}$")
    )
    year.click()
    expect(results(widget)).to_have_count(3)
    assert problems == []


def test_keyboard_alone_searches_moves_and_opens(page, host_page, problems, live_server):
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    box = widget.get_by_role("searchbox")
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type("ICC")
    expect(results(widget)).to_have_count(3)
    titles = widget.locator('[part~="title"]')
    page.keyboard.press("ArrowDown")
    expect(titles.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(titles.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(results(widget)).to_have_count(0)
    page.keyboard.type("ICC")
    expect(results(widget)).to_have_count(3)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = titles.nth(1).get_attribute("href")
    assert problems == []
    page.keyboard.press("Enter")
    expect(page).to_have_url(target)
    assert target.startswith(f"{live_server.url}/reports/")


def test_typing_sends_one_request_after_a_pause(page, host_page, problems):
    sent: list[str] = []
    page.on("request", lambda req: sent.append(req.url) if "/api/search" in req.url else None)
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    widget.get_by_role("searchbox").press_sequentially("torture", delay=40)
    expect(widget.get_by_role("status")).to_have_text(re.compile(r"^\d+ results?$"))
    assert len(sent) == 1 and "q=torture" in sent[0] and "collapse=report" in sent[0]
    assert problems == []


def test_the_host_page_keeps_its_styles(page, host_page, problems):
    def host_styles(url: str) -> str:
        page.goto(url)
        return page.evaluate(
            """() => JSON.stringify([...document.querySelectorAll('p.host, p.host mark')]
                 .map((el) => [...getComputedStyle(el)].map((p) => [p,
                   getComputedStyle(el).getPropertyValue(p)])))"""
        )

    without = host_styles(host_page("<iapb-search></iapb-search>", widget=False))
    with_widget = host_styles(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(results(widget)).to_have_count(3)
    assert with_widget == without
    assert page.evaluate("document.styleSheets.length") == 1
    assert page.evaluate("document.adoptedStyleSheets.length") == 0
    assert page.locator("p.host").evaluate("el => getComputedStyle(el).color") == "rgb(0, 128, 0)"
    assert problems == []


def test_hostile_css_does_not_break_the_widget(page, host_page, problems):
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(results(widget)).to_have_count(3)
    mark = widget.locator('[part~="mark"]').first
    expect(mark).to_be_visible()
    expect(mark).not_to_have_css("color", "rgb(255, 0, 0)")
    expect(widget.locator('[part~="container"]')).to_have_css("display", "block")
    expect(widget.locator('[part~="chip"]').first).to_have_css("border-radius", "999px")
    assert problems == []


def test_two_widgets_on_one_page_work_apart(page, host_page, problems):
    page.goto(
        host_page('<iapb-search lang="en"></iapb-search><iapb-search lang="be"></iapb-search>')
    )
    english, belarusian = page.locator("iapb-search").nth(0), page.locator("iapb-search").nth(1)
    expect(english.get_by_role("searchbox")).to_have_attribute("placeholder", "Search the reports…")
    expect(belarusian.get_by_role("searchbox")).to_have_attribute(
        "placeholder", "Шукаць у справаздачах…"
    )
    search(english, "ICC")
    expect(english.get_by_role("status")).to_have_text("3 results")
    expect(belarusian.get_by_role("status")).to_have_text("")
    expect(results(belarusian)).to_have_count(0)
    search(belarusian, "МКС")
    expect(belarusian.get_by_role("status")).to_have_text("3 вынікі")
    expect(belarusian.locator('[part~="title"]').first).to_have_attribute("lang", "be")
    expect(belarusian.locator('[part~="facet-label"]').first).to_have_text("Год")
    expect(belarusian.locator("time").first).to_have_text(re.compile(r"^\d+ [а-яіў]+а \d{4}$"))
    expect(english.locator('[part~="title"]').first).to_have_attribute("lang", "en")
    expect(english.get_by_role("status")).to_have_text("3 results")
    assert problems == []


def test_a_query_with_markup_stays_text(page, host_page, problems):
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, MARKUP)
    expect(widget.get_by_role("status")).to_have_text(f"No report matches “{MARKUP}”.")
    assert widget.locator("img").count() == 0
    assert problems == []


def test_hostile_api_text_is_never_markup(page, host_page, problems):
    answer = {
        "query": "x",
        "total": 1,
        "results": [
            {
                "id": "r1-en",
                "report": 1,
                "lang": "en",
                "date": "2024-05-17",
                "title": "<img src=x onerror=alert(2)>Title",
                "snippet": "a &lt;b&gt; &amp; <img src=x onerror=alert(3)><mark>hit</mark>"
                "<script>alert(4)</script>",
                "url": "javascript:alert(5)",
                "translated": False,
            }
        ],
        "facets": {"year": [{"value": 2024, "label": "<b>2024</b>", "count": 1}]},
    }
    page.route(
        "**/api/search?**",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body=json.dumps(answer),
        ),
    )
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, "x")
    title = widget.locator('[part~="title"]')
    expect(title).to_have_text("<img src=x onerror=alert(2)>Title")
    expect(title).to_have_attribute("href", "#")
    expect(widget.locator('[part~="snippet"]')).to_have_text("a <b> & hitalert(4)")
    expect(widget.locator('[part~="mark"]')).to_have_text("hit")
    expect(widget.locator('[part~="chip"]')).to_contain_text("<b>2024</b>")
    assert widget.locator("img, script, b").count() == 0
    assert problems == []


def test_an_unreachable_service_shows_the_error_state(page, host_page):
    closed = free_port()
    page.goto(
        host_page(f'<iapb-search lang="be" endpoint="http://127.0.0.1:{closed}"></iapb-search>')
    )
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    status = widget.get_by_role("status")
    expect(status).to_have_text("Сэрвіс пошуку зараз недаступны. Паспрабуйце пазней.")
    expect(status).to_have_attribute("part", "status error")
    expect(results(widget)).to_have_count(0)


@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_the_demo_page_widget_works_under_its_csp(page, problems, live_server, hl):
    page.goto(f"{live_server.url}/widget?hl={hl}")
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(results(widget)).to_have_count(3)
    expect(widget.locator('[part~="chip"]').first).to_have_css("border-radius", "999px")
    expect(widget.locator('[part~="title"]').first).to_have_attribute("lang", hl)
    assert problems == []


def test_dark_scheme_and_reduced_motion_are_respected(page, host_page, problems):
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    page.goto(host_page('<iapb-search lang="en" theme="dark"></iapb-search>'))
    widget = page.locator("iapb-search")
    container = widget.locator('[part~="container"]')
    expect(container).to_have_css("background-color", "rgb(24, 24, 28)")
    expect(widget.locator('[part~="results"]')).to_have_css("transition-duration", "0s")
    assert problems == []


def test_a_late_answer_to_an_older_query_is_dropped(page, host_page, problems):
    from playwright.sync_api import Error as PlaywrightError

    held = []

    def hold_first(route):
        if "q=first" in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/search?**", hold_first)
    page.goto(host_page('<iapb-search lang="en"></iapb-search>'))
    widget = page.locator("iapb-search")
    with page.expect_request(lambda req: "q=first" in req.url):
        search(widget, "first")
    search(widget, "ICC")
    expect(widget.get_by_role("status")).to_have_text("3 results")
    stale = {"query": "first", "total": 42, "results": [], "facets": {}}
    try:
        held[0].fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body=json.dumps(stale),
        )
    except PlaywrightError:
        pass  # the widget aborted that request already
    page.wait_for_timeout(100)  # give a (wrongly) accepted stale answer the time to paint
    expect(widget.get_by_role("status")).to_have_text("3 results")
    expect(results(widget)).to_have_count(3)
    assert problems == []


def test_a_span_attribute_limits_the_searches_and_the_see_all_link(
    page, host_page, problems, live_server
):
    # ICC is named in reports 7 (2024-11-07), 8 (2025-05-28) and 9 (2025-11-10).
    page.goto(
        host_page('<iapb-search lang="en" year-from="2025" date-to="2025-12-31"></iapb-search>')
    )
    widget = page.locator("iapb-search")
    search(widget, "ICC")
    expect(widget.get_by_role("status")).to_have_text("2 results")
    widget.locator('[part~="filters-toggle"]').click()
    years = widget.locator('[part~="chip"][data-f="year"]')
    expect(years).to_have_count(1)  # 2024 would match nothing inside the span
    expect(years).to_contain_text("2025")
    expect(widget.locator('[part~="more"]')).to_have_attribute(
        "href", f"{live_server.url}/?q=ICC&hl=en&year_from=2025&date_to=2025-12-31"
    )
    page.locator("iapb-search").evaluate("el => el.setAttribute('year-from', '2024')")
    expect(widget.get_by_role("status")).to_have_text("3 results")
    assert problems == []


@pytest.mark.parametrize(
    ("lang", "q", "said"),
    [
        ("en", "Q3 2024", "Reports covering July – September 2024."),
        ("en", "1.4.2025", "Reports covering April 1, 2025."),
        ("ru", "за октябрь", "Отчёты за октябрь (любого года)."),
    ],
    ids=["quarter", "day", "any-year"],
)
def test_the_widget_says_which_dates_it_read(page, host_page, problems, lang, q, said):
    page.goto(host_page(f'<iapb-search lang="{lang}"></iapb-search>'))
    widget = page.locator("iapb-search")
    search(widget, q)
    expect(widget.locator('[part~="corrected"]')).to_contain_text(said)
    search(widget, "torture")
    expect(widget.get_by_role("status")).to_have_text(re.compile(r"^1 "))
    expect(widget.locator('[part~="corrected"]')).to_be_hidden()
    assert problems == []
