"""Page states of wave 2: pages out of range, empty results, languages, errors, report page."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_pages import Page, get_page, query


@pytest.mark.parametrize("page", ["3", "99", "10001", "123456789"])
def test_a_page_past_the_end_shows_the_last_page_keeping_the_query(client, page) -> None:
    body, parsed = get_page(client, f"/?q=ICC&collapse=none&per_page=4&page={page}&hl=en")
    assert parsed.find("input", name="q", type="search")[0]["value"] == "ICC"
    assert len(parsed.find("li", class_="hit")) == 1  # 9 results, 4 a page: page 3 holds 1
    assert parsed.find("strong", **{"aria-current": "page"})
    assert re.search(r'<strong aria-current="page">3</strong>', body)
    if page != "3":
        assert f"There is no page {page} of these results: this is page 3 of 3." in parsed.text


@pytest.mark.parametrize("page", ["0", "-1", "x", ""])
def test_a_page_below_one_or_not_a_number_shows_the_first_page(client, page) -> None:
    _, parsed = get_page(client, f"/?q=ICC&page={page}&hl=en")
    assert len(parsed.find("li", class_="hit")) == 3
    assert parsed.find("input", name="q", type="search")[0]["value"] == "ICC"


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_the_api_keeps_its_400_for_a_bad_page(client, page) -> None:
    response = client.get(f"/api/search?q=ICC&page={page}")
    assert response.status_code == 400
    assert response.get_json()["error"]["param"] == "page"


@pytest.mark.parametrize("url", ["/?q=ICC", "/reports/r9-en", "/widget", "/no/such/page"])
def test_pages_whose_language_follows_the_browser_vary_on_accept_language(client, url) -> None:
    response = client.get(url, headers={"Accept-Language": "be"})
    assert "Accept-Language" in response.vary
    fixed = client.get(url + ("&" if "?" in url else "?") + "hl=be")
    assert "Accept-Language" not in fixed.vary


@pytest.mark.parametrize(
    ("url", "local", "english"),
    [
        ("/?year=abc&hl=ru", "параметр year не может иметь значение «abc»", "'year'"),
        ("/?year=abc&hl=be", "параметр year не можа мець значэнне «abc»", "'year'"),
        ("/?sort=a&sort=b&hl=ru", "параметр sort можно задать только один раз", "given once"),
        ("/no/such/page?hl=ru", "Страница не найдена", "requested URL"),
        ("/reports/r99-en?hl=be", "Старонка не знойдзена", "no document"),
    ],
)
def test_error_details_are_in_the_interface_language(client, url, local, english) -> None:
    response = client.get(url)
    text = Page(response.get_data(as_text=True)).text
    assert local in text
    assert english not in text


def test_error_details_name_the_value_escaped(client) -> None:
    body = client.get("/", query_string={"year": "<b>x</b>", "hl": "en"}).get_data(as_text=True)
    assert "<b>x</b>" not in body
    assert "&lt;b&gt;x&lt;/b&gt;" in body


def test_mixed_language_names_carry_their_lang(client) -> None:
    body, _ = get_page(client, "/?q=ICC&hl=en")
    terms = dict(
        (name, lang)
        for lang, name in re.findall(r'<span class="term" lang="(\w+)">([^<]+)</span>', body)
    )
    assert terms["МУС"] == "ru"
    assert terms["МКС"] == "be"
    assert terms["International Criminal Court"] == "en"
    assert terms["Міжнародны крымінальны суд"] == "be"


def test_the_suggestion_link_carries_its_lang(client) -> None:
    body, _ = get_page(client, "/?q=%D0%BF%D1%8B%D1%82%D0%BA%D1%96%D0%B0&hl=en")
    suggestion = re.search(r'Did you mean:</?\w*>? ?<a href="[^"]+" lang="(\w+)">([^<]+)</a>', body)
    if suggestion is None:  # the corpus may spell it right: try an English typo
        body, _ = get_page(client, "/?q=torure&hl=be&verbatim=1")  # as typed: a suggestion
        suggestion = re.search(r'<a href="[^"]+" lang="(\w+)">(torture)</a>', body)
    assert suggestion is not None
    assert suggestion.group(1) in ("en", "be", "ru")
    assert suggestion.group(1) == ("en" if suggestion.group(2).isascii() else suggestion.group(1))


def test_zero_results_offer_no_sort_collapse_feed_or_json_and_no_empty_facets(client) -> None:
    body, page = get_page(client, "/?q=nothingmatchesthis&hl=en")
    assert "No report matches “nothingmatchesthis”." in page.text
    for gone in ("Sort:", "Atom feed", "JSON", "Show every language version", "None"):
        assert gone not in page.text, gone
    assert not page.find("details", class_="filters")


def test_zero_results_make_did_you_mean_prominent(client) -> None:
    # Two corpus words are one edit from "prosecutons": offered, not searched.
    body, page = get_page(client, "/?q=prosecutons&collapse=none&lang=ru&hl=en")
    if "0 results" not in page.text:
        body, page = get_page(client, "/?q=torure&year=2023&topic=elections&hl=en")
    (prominent,) = page.find("p", class_="did-you-mean")
    assert prominent is not None
    assert re.search(r'<p class="did-you-mean">Did you mean: <a href="([^"]+)"', body)


def test_zero_results_with_filters_keep_the_selected_ones_to_untick(client) -> None:
    _, page = get_page(client, "/?q=nothingmatchesthis&topic=icc&hl=en")
    (box,) = page.find("input", type="checkbox", name="topic", value="icc")
    assert "checked" in box
    assert "No report matches “nothingmatchesthis” with these filters." in page.text
    # The words match nothing without the filters either: no link to an empty page.
    assert "No report matches it without the filters either." in page.text
    assert not page.find("p", class_="no-results-wider")


def test_filters_are_check_boxes_whose_state_is_in_the_markup(client) -> None:
    _, page = get_page(client, "/?q=ICC&year=2024&lang=ru&hl=en")
    boxes = page.find("input", type="checkbox")
    assert len(boxes) >= 6
    checked = {(b["name"], b["value"]) for b in boxes if "checked" in b}
    assert checked == {("lang", "ru")}  # the year is a span: the chart and the selects
    labels = {label["for"] for label in page.find("label") if "for" in label}
    assert all(b["id"] in labels for b in boxes)
    assert "☑" not in page.text and "☐" not in page.text
    (summary,) = page.find("summary", class_="filters-toggle")
    assert "Filters (2)" in page.text


def test_the_report_page_puts_languages_and_summary_before_the_facts(client) -> None:
    body, page = get_page(client, "/reports/r9-be?hl=en")
    languages = body.index('class="report-languages"')
    summary = body.index('class="summary"')
    facts = body.index('class="report-facts"')
    assert body.index("<h1>") < languages < summary < facts
    assert page.find("a", hreflang="en") and page.find("a", hreflang="ru")


def test_the_report_page_links_its_source_and_prints_its_address(client) -> None:
    body, page = get_page(client, "/reports/r4-en?hl=en")
    (source,) = page.find("a", href="https://iapbelarus.org/progress-reports")
    assert source["rel"] == "external"
    assert "This page: http://localhost/reports/r4-en" in page.text
    css = (Path(__file__).parent.parent / "webapp/static/site.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert ".print-address { display: block" in print_rules


def test_latest_reports_lists_each_report_once(client) -> None:
    _, page = get_page(client, "/?hl=en")
    reports = [
        query(a["href"]) and a["href"].split("?")[0][:-3] for a in page.find("a", class_="hit-link")
    ]
    assert len(reports) == len(set(reports)) == 6


@pytest.mark.parametrize("hl", ["be", "ru"])
def test_full_report_lines_are_in_the_interface_language(client, hl: str) -> None:
    # Report 5 lists its full reports on the IAPB's page without a recorded address; the
    # source's English link texts ("Download the full report in …") are not shown.
    body, page = get_page(client, f"/reports/r5-{hl}?hl={hl}")
    (section,) = page.find("section", class_="full-reports")
    assert "Download the full report" not in body
    listed = {"be": "пазначана на старонцы IAPB", "ru": "указан на странице IAPB"}[hl]
    assert page.text.count(listed) == 3


def test_a_hit_shows_its_other_matching_paragraphs_and_its_matches(client) -> None:
    # Report 8's English summary names survivors in its second paragraph ("survivor and
    # witness testimonies") and twice in its third ("survivor-centered", "88 survivors").
    body, page = get_page(client, "/?q=survivor&lang=en&hl=en")
    (hit,) = [h for h in body.split('<li class="hit">')[1:] if 'href="/reports/r8-en' in h]
    title = re.search(r'class="hit-link" href="([^"]+)"', hit).group(1)
    more = re.findall(r'class="passage-para" href="([^"]+)"', hit)
    assert len(more) == 1
    anchors = {urlsplit(html.unescape(url)).fragment[:3] for url in (title, more[0])}
    assert anchors == {"p2-", "p3-"}  # the snippet's paragraph and the other one
    assert "back=" in more[0]  # the way back to these results, as from the title
    excerpt = re.search(r'<ul class="more-passages".*?</ul>', hit, re.S).group(0)
    assert "<mark>" in excerpt.lower()
    assert "3 matches in this report's summary" in html.unescape(hit)


@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_also_in_names_the_other_versions_natively_in_one_order(client, hl: str) -> None:
    body, _ = get_page(client, f"/?q=ICC&hl={hl}")
    lines = re.findall(r'<p class="other-languages meta-line">(.*?)</p>', body, re.S)
    assert len(lines) == 3  # reports 7, 8 and 9 name the ICC
    native = {"en": "English", "be": "Беларуская", "ru": "Русский"}
    for line in lines:
        links = re.findall(r'hreflang="(\w+)" lang="\w+">([^<]+)</a>', line)
        langs = [lang for lang, _ in links]
        assert langs == sorted(langs, key=["en", "be", "ru"].index)
        assert all(name == native[lang] for lang, name in links)
        assert "·" not in line  # separators are drawn by CSS, never left dangling
    report, _ = get_page(client, f"/reports/r9-be?hl={hl}")
    lead = re.search(r'<p class="report-lead meta-line".*?</p>', report, re.S).group(0)
    assert "·" not in lead
    versions = re.search(r'<nav class="report-languages".*?</nav>', report, re.S).group(0)
    assert re.findall(r'lang="(\w+)">(?:English|Русский)</a>', versions) == ["en", "ru"]


def test_the_compare_view_keeps_the_way_back_and_the_title_names_the_correction(client) -> None:
    body, page = get_page(client, "/?q=torure&year_from=2025&hl=en")
    assert "<title>torture – search" in body  # what was searched, as the heading says
    (compare,) = [a["href"] for a in page.find("a", class_="compare-link")]
    side, side_page = get_page(client, compare)
    (back,) = side_page.find("a", class_="back-to-results")
    assert query(back["href"]) == {"q": ["torure"], "year_from": ["2025"], "hl": ["en"]}
    versions = [a["href"] for a in side_page.find("a", hreflang="be")]
    assert versions and all("back=" in href and "q=torture" in href for href in versions)
