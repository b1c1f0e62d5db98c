"""The HTML pages on the real corpus: search page, facets, report pages, errors, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from webapp import create_app


class Page(HTMLParser):
    """A parsed page: every start tag with its attributes, and the text."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.feed(body)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Start tags named ``tag`` whose attributes include ``attrs`` (``class_`` for class)."""
        wanted = {k.rstrip("_"): v for k, v in attrs.items()}
        found = []
        for name, have in self.tags:
            if name != tag:
                continue
            if all(
                v in have.get(k, "").split() if k == "class" else have.get(k) == v
                for k, v in wanted.items()
            ):
                found.append(have)
        return found

    def hrefs(self) -> list[str]:
        return [a["href"] for a in self.find("a") if "href" in a]


def get_page(client, url: str, status: int = 200) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    return body, Page(body)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def filter_form(body: str) -> Page:
    """The filter form of a search page, parsed on its own."""
    match = re.search(r'<form class="facets".*?</form>', body, re.S)
    assert match, "no filter form"
    return Page(match.group(0))


def facet_toggle(body: str, name: str, value: str) -> str:
    """The URL the filter form submits when the box ``name=value`` is ticked or unticked."""
    form = filter_form(body)
    pairs = [(i["name"], i["value"]) for i in form.find("input", type="hidden")]
    boxes = form.find("input", type="checkbox", name=name, value=value)
    assert boxes, f"no check box for {name}={value}"
    for box in form.find("input", type="checkbox"):
        ticked = "checked" in box
        if box["name"] == name and box["value"] == value:
            ticked = not ticked
        if ticked:
            pairs.append((box["name"], box["value"]))
    return "/?" + urlencode(pairs)


def page_url_of(page: Page) -> str:
    (feed,) = page.find("link", type="application/atom+xml")
    return feed["href"]


def test_icc_finds_nine_documents_in_three_languages(client) -> None:
    body, page = get_page(client, "/?q=ICC&collapse=none&hl=en")
    assert "9 results" in page.text
    hits = page.find("li", class_="hit")
    assert len(hits) == 9
    titles = [a["href"] for a in page.find("a") if a["href"].startswith("/reports/")]
    assert {urlsplit(h).path for h in titles} >= {
        f"/reports/r{n}-{lang}" for n in (7, 8, 9) for lang in ("en", "be", "ru")
    }


@pytest.mark.parametrize("url", ["/?q=ICC&hl=en", "/?q=ICC&collapse=report&hl=en"])
def test_icc_shows_three_reports_once_each_with_their_other_languages(client, url) -> None:
    body, page = get_page(client, url)
    assert "3 reports" in page.text
    assert len(page.find("li", class_="hit")) == 3
    assert page.text.count("Also in:") == 3
    (every,) = [h for h in page.hrefs() if query(h).get("collapse") == ["none"]]
    assert "Show every language version" in page.text
    _, all_versions = get_page(client, every)
    assert len(all_versions.find("li", class_="hit")) == 9
    again, _ = get_page(client, every)
    once = re.search(r'<a href="([^"]+)">Show each report once</a>', again).group(1)
    assert len(get_page(client, once.replace("&amp;", "&"))[1].find("li", class_="hit")) == 3


def test_the_reports_in_the_interface_language_come_first_once_each(client) -> None:
    _, page = get_page(client, "/?hl=be")
    assert "Апошнія справаздачы" in page.text
    titles = page.find("a", class_="hit-link")
    assert len(titles) == 6
    assert all(a["lang"] == "be" for a in titles)
    assert len({urlsplit(a["href"]).path[:-3] for a in titles}) == 6


def test_the_json_api_keeps_collapse_opt_in(client) -> None:
    assert client.get("/api/search?q=ICC").get_json()["total"] == 9
    assert client.get("/api/search?q=ICC&collapse=report").get_json()["total"] == 3


def test_facet_link_adds_a_value_keeps_the_others_and_resets_the_page(client) -> None:
    body, page = get_page(client, "/?q=ICC&lang=ru&per_page=2&page=2&hl=en")
    href = facet_toggle(body, "topic", "osce")
    params = query(href)
    assert params["topic"] == ["osce"]
    assert params["lang"] == ["ru"]
    assert params["q"] == ["ICC"]
    assert params["hl"] == ["en"]
    assert "page" not in params
    after, _ = get_page(client, href)
    (box,) = filter_form(after).find("input", type="checkbox", name="topic", value="osce")
    assert "checked" in box
    assert query(facet_toggle(after, "topic", "osce")).get("topic") is None  # now removes it


def test_facet_link_of_a_selected_value_removes_only_that_value(client) -> None:
    body, _ = get_page(client, "/?q=ICC&topic=icc&topic=un&lang=ru&hl=en")
    params = query(facet_toggle(body, "topic", "icc"))
    assert params["topic"] == ["un"]
    assert params["lang"] == ["ru"]


def test_facet_counts_are_the_search_api_counts(client) -> None:
    api = client.get("/api/search?q=ICC&lang=ru&collapse=report&hl=en").get_json()
    _, page = get_page(client, "/?q=ICC&lang=ru&hl=en")
    text = page.text
    for facet in ("topic", "lang"):
        for item in api["facets"][facet]:
            if item["count"] or item["selected"]:
                assert f"{item['label']} {item['count']}" in text
    # Years are the chart's bars (one model of the year filter), each named by its count.
    names = {a["aria-label"] for a in page.find("a", class_="bar")}
    for item in api["facets"]["year"]:
        if item["count"]:
            assert f"{item['label']}: {item['count']} report" in " ".join(names)


def test_year_facet_is_drawn_as_an_svg_bar_chart_without_inline_style(client) -> None:
    body, page = get_page(client, "/?hl=en")
    assert page.find("svg", class_="year-chart")
    assert len(page.find("rect", class_="bar-fill")) == 3  # reports from 2023, 2024, 2025
    assert "style=" not in body
    assert "<script>" not in body  # no inline script: CSP script-src 'self'


def test_browse_lists_newest_first_with_pagination_links(client) -> None:
    _, page = get_page(client, "/?per_page=4&collapse=none&hl=en")
    assert "18 results" in page.text
    dates = [t["datetime"] for t in page.find("time")]
    assert dates == sorted(dates, reverse=True)
    (next_link,) = page.find("a", rel="next")
    assert query(next_link["href"])["page"] == ["2"]
    numbers = [query(a["href"]).get("page", ["1"])[0] for a in page.find("a", rel=None)]
    assert "5" in numbers
    _, second = get_page(client, next_link["href"])
    assert second.find("a", rel="prev")
    assert second.find("strong", **{"aria-current": "page"})


def test_form_carries_the_interface_language_and_the_filters(client) -> None:
    _, page = get_page(client, "/?q=ICC&topic=icc&hl=be")
    hidden = {(i["name"], i["value"]) for i in page.find("input", type="hidden")}
    assert ("hl", "be") in hidden
    assert ("topic", "icc") in hidden
    (box,) = page.find("input", name="q", type="search")
    assert box["value"] == "ICC"


def test_every_link_of_the_search_page_keeps_the_interface_language(client) -> None:
    _, page = get_page(client, "/?q=ICC&collapse=report&hl=ru")
    links = [h for h in page.hrefs() if h.startswith("/") and not h.startswith("/static/")]
    assert links
    for href in links:
        if query(href).get("hl") not in (["ru"], ["en"], ["be"]):
            pytest.fail(f"{href} loses hl")
    switch = [h for h in links if query(h).get("hl") != ["ru"]]
    assert all(query(h)["q"] == ["ICC"] for h in switch)


def test_feed_and_json_twins_are_linked_from_the_page(client) -> None:
    _, page = get_page(client, "/?q=ICC&lang=ru&hl=en")
    (feed,) = page.find("link", type="application/atom+xml")
    (twin,) = page.find("link", type="application/json")
    assert urlsplit(feed["href"]).path == "/feed.atom"
    assert query(twin["href"])["lang"] == ["ru"]
    assert client.get(twin["href"]).get_json()["total"] == 3
    assert client.get(feed["href"]).status_code == 200


def test_sort_link_orders_by_date(client) -> None:
    _, page = get_page(client, "/?q=ICC&hl=en")
    (by_date,) = [h for h in page.hrefs() if query(h).get("sort") == ["date"]]
    _, sorted_page = get_page(client, by_date)
    dates = [t["datetime"] for t in sorted_page.find("time")]
    assert dates == sorted(dates, reverse=True)


def test_suggestion_links_to_the_corrected_search(client) -> None:
    # Searched as typed ("verbatim"), "torure" finds nothing and "torture" is offered.
    _, page = get_page(client, "/?q=torure&verbatim=1&hl=en")
    assert "Did you mean:" in page.text
    offered = [query(h) for h in page.hrefs() if query(h).get("q") == ["torture"]]
    assert offered and all("verbatim" not in link for link in offered)


def test_expanded_names_are_shown(client) -> None:
    _, page = get_page(client, "/?q=ICC&hl=en")
    assert "Also searched:" in page.text
    assert "МУС" in page.text


@pytest.mark.parametrize(
    ("hl", "note"),
    [
        ("en", "1 report covers September 2024"),
        ("be", "1 справаздача за верасень 2024"),
        ("ru", "1 отчёт за сентябрь 2024"),
    ],
)
def test_a_month_read_as_a_date_is_said_in_the_interface_language(client, hl, note) -> None:
    _, page = get_page(client, f"/?q=верасні+2024&hl={hl}")
    assert note in " ".join(page.text.split())
    assert page.find("time", datetime="2024-09", title="верасні 2024")
    _, year_only = get_page(client, f"/?q=2024&hl={hl}")
    assert not year_only.find("p", class_="dates")


@pytest.mark.parametrize("doc", ["r9-be", "r9-ru"])
def test_translated_report_says_unofficial_translation(client, doc: str) -> None:
    _, page = get_page(client, f"/reports/{doc}?hl=en")
    assert "Unofficial translation" in page.text
    assert page.find("div", class_="translated")


def test_english_report_is_not_marked_as_a_translation(client) -> None:
    _, page = get_page(client, "/reports/r9-en?hl=en")
    assert "Unofficial translation" not in page.text.replace(
        "Belarusian and Russian texts are unofficial translations", ""
    )
    assert "9th Progress Report" in page.text
    assert "November 10, 2025" in page.text


def test_report_page_links_to_the_other_languages_and_its_topics(client) -> None:
    _, page = get_page(client, "/reports/r9-be?hl=ru")
    paths = {urlsplit(h).path: query(h) for h in page.hrefs()}
    assert paths["/reports/r9-en"]["hl"] == ["ru"]
    assert paths["/reports/r9-ru"]["hl"] == ["ru"]
    topics = [query(h) for h in page.hrefs() if "topic" in query(h)]
    assert {"icc", "torture"} <= {t["topic"][0] for t in topics}
    assert all(t["hl"] == ["ru"] for t in topics)
    assert page.find("article", lang="be")


@pytest.mark.parametrize("url", ["/reports/r99-en", "/reports/nothing", "/no/such/page"])
def test_unknown_pages_answer_a_friendly_404(client, url: str) -> None:
    body, page = get_page(client, url, status=404)
    assert "Page not found" in page.text
    assert "Traceback" not in body


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/?year=abc", "year"),
        ("/?sort=sideways", "sort"),
        ("/?topic=nope", "topic"),
        ("/?lang=xx", "lang"),
    ],
)
def test_bad_parameters_answer_a_friendly_400(client, url: str, param: str) -> None:
    body, page = get_page(client, url, status=400)
    assert "This search could not be run" in page.text
    assert f"parameter {param}" in page.text
    assert "Traceback" not in body


def test_missing_index_answers_a_friendly_503(tmp_path) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})
    body, page = get_page(app.test_client(), "/?q=ICC", status=503)
    assert "Search is temporarily unavailable" in page.text
    assert str(tmp_path) not in body


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</title><b>x</b>"]
)
def test_markup_in_the_query_is_escaped_everywhere(client, q: str) -> None:
    response = client.get("/", query_string={"q": q, "hl": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert q not in body
    assert "<img" not in body and "<script>" not in body and "<b>x" not in body
    page = Page(body)
    (box,) = page.find("input", name="q", type="search")
    assert box["value"] == q  # the parser decodes the escaped attribute back to the text
    heading = re.search(r'<h2 id="results-title">(.*?)</h2>', body, re.S).group(1)
    assert "&lt;" in heading or "&#34;" in heading or "&quot;" in heading
    assert "Content-Security-Policy" in response.headers


def test_snippets_contain_no_markup_but_mark(client) -> None:
    body, _ = get_page(client, "/?q=ICC&collapse=none&hl=en")
    snippets = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', body, re.S)
    assert len(snippets) == 9
    tags = {t for s in snippets for t in re.findall(r"</?([a-zA-Z][^\s>/]*)", s)}
    assert tags == {"mark"}


def test_malformed_query_says_it_fell_back_to_plain_words(client) -> None:
    _, page = get_page(client, "/?q=%28torture&collapse=none&hl=en")
    assert "searched as plain words" in page.text
    assert len(page.find("li", class_="hit")) == 3
    _, clean = get_page(client, "/?q=torture&hl=en")
    assert "searched as plain words" not in clean.text


def test_pages_send_a_content_security_policy_without_unsafe_inline(client) -> None:
    for url in ("/?q=ICC", "/reports/r9-en", "/?year=abc", "/reports/none"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy


def test_query_cut_by_a_cost_limit_says_results_may_be_incomplete(client) -> None:
    words = " ".join(f"word{n}" for n in range(40))  # more than the query's term limit
    _, page = get_page(client, f"/?q={words}&hl=en")
    assert "the results may be incomplete" in page.text
