"""A span of years or dates (issue 11, item 5): API, pages, feed, on the real corpus.

Expected reports come from the corpus YAML, written down before running: publication
dates 4: 2023-05-17, 5: 2023-11-21, 6: 2024-03-31, 7: 2024-11-07, 8: 2025-05-28,
9: 2025-11-10; topics of 8: political-repression, elections, evidence-collection, icc,
un, national-prosecutions, survivor-support; of 9: political-repression, torture,
transnational-repression, crimes-against-humanity, un, evidence-collection,
national-prosecutions, icc, survivor-support.  "ICC" is named from report 7 on.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from test_pages import Page, get_page, query

from indexer.cli import main

ATOM = "{http://www.w3.org/2005/Atom}"


def reports(client, params: str) -> list[int]:
    response = client.get(f"/api/search?collapse=report&per_page=50&{params}")
    assert response.status_code == 200, response.get_json()
    return sorted(hit["report"] for hit in response.get_json()["results"])


def counts(body: dict, facet: str) -> dict:
    return {c["value"]: c["count"] for c in body["facets"][facet]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("year_from=2024", [6, 7, 8, 9]),
        ("year_to=2023", [4, 5]),
        ("year_from=2024&year_to=2024", [6, 7]),
        ("year_from=2023&year_to=2025", [4, 5, 6, 7, 8, 9]),
        ("date_from=2024-04-01&date_to=2025-05-28", [7, 8]),  # both ends inclusive
        ("date_from=2023-11-21", [5, 6, 7, 8, 9]),
        ("date_to=2023-11-20", [4]),
        ("q=ICC&year_from=2025", [8, 9]),
        ("q=ICC&year_to=2024", [7]),
        ("year_from=&year_to=2023", [4, 5]),  # an empty bound (a form's "any") is no bound
        # The span and the year check boxes both apply; year and date bounds intersect.
        ("year=2023&year=2025&year_from=2024", [8, 9]),
        ("year_from=2024&date_to=2024-06-30", [6]),
        ("year_from=2025&date_to=2024-12-31", []),
    ],
)
def test_a_span_of_years_or_dates_keeps_the_reports_published_in_it(
    client, params: str, expected: list[int]
) -> None:
    assert reports(client, params) == expected


def test_the_year_facet_ignores_the_span_and_the_others_respect_it(client) -> None:
    body = client.get("/api/search?collapse=report&year_from=2025").get_json()
    assert counts(body, "year") == {2023: 2, 2024: 2, 2025: 2}
    assert not any(c["selected"] for c in body["facets"]["year"])
    topics = counts(body, "topic")
    assert topics["icc"] == 2 and topics["torture"] == 1 and topics["elections"] == 1
    assert "osce" not in topics  # reports 5 and 7 only
    body = client.get("/api/search?year_from=2025").get_json()
    assert counts(body, "lang") == {"en": 2, "be": 2, "ru": 2}
    # The year facet still respects the other facets' filters.
    body = client.get("/api/search?collapse=report&topic=torture&year_from=2024").get_json()
    assert counts(body, "year") == {2025: 1}
    body = client.get("/api/search?collapse=report&topic=osce&date_to=2023-12-31").get_json()
    assert counts(body, "year") == {2023: 1, 2024: 1}
    assert body["total"] == 1


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ("year_from=2025&year_to=2024", "year_to", "invalid_range"),
        ("date_from=2025-01-02&date_to=2025-01-01", "date_to", "invalid_range"),
        ("year_from=abc", "year_from", "invalid_parameter"),
        ("year_to=2024.5", "year_to", "invalid_parameter"),
        ("year_from=1800", "year_from", "out_of_range"),
        ("year_to=3000", "year_to", "out_of_range"),
        ("date_from=2024-02-30", "date_from", "invalid_parameter"),
        ("date_from=2024-5-1", "date_from", "invalid_parameter"),
        ("date_to=20240501", "date_to", "invalid_parameter"),
        ("date_to=2024-W01-1", "date_to", "invalid_parameter"),
        ("date_from=yesterday", "date_from", "invalid_parameter"),
        ("date_from=1899-12-31", "date_from", "out_of_range"),
        ("year_from=2024&year_from=2025", "year_from", "repeated_parameter"),
        ("date_to=2024-01-01&date_to=2024-01-02", "date_to", "repeated_parameter"),
    ],
)
def test_a_bad_span_answers_400_naming_the_parameter(client, params, param, code) -> None:
    response = client.get(f"/api/search?{params}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["param"], error["code"]) == (param, code)
    assert error["message"]


def test_openapi_gives_the_span_parameters_the_bounds_of_the_parser(client) -> None:
    params = {
        p["name"]: p
        for p in client.get("/openapi.json").get_json()["paths"]["/api/search"]["get"]["parameters"]
    }
    year = params["year"]["schema"]["items"]
    for name in ("year_from", "year_to"):
        schema = params[name]["schema"]
        assert (schema["minimum"], schema["maximum"]) == (year["minimum"], year["maximum"])
    for name in ("date_from", "date_to"):
        assert params[name]["schema"]["format"] == "date"


def test_the_feed_takes_the_span_and_links_back_with_it(client) -> None:
    response = client.get("/feed.atom?year_from=2025&hl=en")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert sorted({i.rsplit("/", 1)[1].split("-")[0] for i in ids}) == ["r8", "r9"]
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert query(links["self"])["year_from"] == ["2025"]
    assert query(links["alternate"])["year_from"] == ["2025"]
    assert client.get("/feed.atom?date_from=2025-13-01").status_code == 400


def test_the_chart_bars_are_links_named_with_their_year_and_count(client) -> None:
    _, page = get_page(client, "/?q=ICC&hl=en")
    bars = page.find("a", class_="bar")
    assert [b["aria-label"] for b in bars] == ["2024: 1 report", "2025: 2 reports"]
    assert query(bars[0]["href"]) == {
        "q": ["ICC"],
        "year_from": ["2024"],
        "year_to": ["2024"],
        "hl": ["en"],
    }
    _, page = get_page(client, "/?q=ICC&collapse=none&hl=be")
    labels = [b["aria-label"] for b in page.find("a", class_="bar")]
    assert labels == ["2024: 3 вынікі", "2025: 6 вынікаў"]


def test_a_bar_replaces_the_year_boxes_and_the_shown_year_bar_clears_it(client) -> None:
    _, page = get_page(client, "/?year=2023&year=2025&hl=en")
    bars = {b["aria-label"].split(":")[0]: b for b in page.find("a", class_="bar")}
    assert "year" not in query(bars["2024"]["href"])
    _, page = get_page(client, "/?year_from=2024&year_to=2024&hl=en")
    bars = {b["aria-label"].split(":")[0]: b for b in page.find("a", class_="bar")}
    assert bars["2024"].get("aria-current") == "true"
    assert "aria-current" not in bars["2023"]
    assert query(bars["2024"]["href"]) == {"hl": ["en"]}  # every year again
    assert query(bars["2025"]["href"])["year_from"] == ["2025"]


def test_shift_click_targets_span_from_the_first_year_of_the_current_span(client) -> None:
    _, page = get_page(client, "/?year_from=2024&year_to=2024&hl=en")
    spans = {b["aria-label"][:4]: query(b["data-span-href"]) for b in page.find("a", class_="bar")}
    assert (spans["2025"]["year_from"], spans["2025"]["year_to"]) == (["2024"], ["2025"])
    assert (spans["2023"]["year_from"], spans["2023"]["year_to"]) == (["2023"], ["2024"])
    _, page = get_page(client, "/?hl=en")  # no span yet: a shift-click picks one year
    spans = {b["aria-label"][:4]: query(b["data-span-href"]) for b in page.find("a", class_="bar")}
    assert (spans["2025"]["year_from"], spans["2025"]["year_to"]) == (["2025"], ["2025"])


def test_the_span_form_has_from_and_to_selects_with_the_span_chosen(client) -> None:
    body, page = get_page(client, "/?q=ICC&year_from=2024&year_to=2025&date_from=2024-01-01&hl=en")
    assert page.find("select", name="year_from", id="year-from")
    assert page.find("select", name="year_to", id="year-to")
    assert '<label for="year-from">From year</label>' in body
    assert "<option selected>2024</option><option>2025</option>" in body
    assert "<option>2024</option><option selected>2025</option>" in body
    facets = Page(
        body[
            body.index('<form class="facets"') : body.index(
                "</form>", body.index('<form class="facets"')
            )
        ]
    )
    hidden = {i["name"]: i["value"] for i in facets.find("input", type="hidden")}
    assert hidden["date_from"] == "2024-01-01"  # kept by the filter form
    assert "year_from" not in hidden  # the select holds it


def test_the_spans_are_chips_that_remove_them_and_clear_all_clears_them(client) -> None:
    url = "/?q=ICC&year_from=2024&year_to=2025&date_to=2025-06-01&topic=icc&hl=en"
    _, page = get_page(client, url)
    assert "Remove filter: Years: 2024–2025" in page.text
    assert "Remove filter: Published: up to Jun 1, 2025" in page.text
    chips = [query(a["href"]) for a in page.find("a", class_="chip")]
    assert chips == [
        {"q": ["ICC"], "topic": ["icc"], "date_to": ["2025-06-01"], "hl": ["en"]},
        {"q": ["ICC"], "topic": ["icc"], "year_from": ["2024"], "year_to": ["2025"], "hl": ["en"]},
        {
            "q": ["ICC"],
            "year_from": ["2024"],
            "year_to": ["2025"],
            "date_to": ["2025-06-01"],
            "hl": ["en"],
        },
    ]
    clears = {a["href"] for a in page.find("a", class_="clear-filters")}
    assert [query(href) for href in clears] == [{"q": ["ICC"], "hl": ["en"]}]
    assert "Filters (3)" in page.text
    _, page = get_page(client, "/?year_from=2024&hl=ru")
    assert "Убрать фильтр: Годы: с 2024" in page.text


def test_the_page_reads_a_reversed_span_in_order_where_the_api_refuses_it(client) -> None:
    _, page = get_page(client, "/?year_from=2025&year_to=2023&hl=en")
    assert "Years: 2023–2025" in page.text
    assert "6 reports" in page.text
    assert client.get("/api/search?year_from=2025&year_to=2023").status_code == 400
    get_page(client, "/?date_from=2025-02-01&date_to=2025-01-01&hl=en", status=400)


def test_the_command_line_takes_a_span(index_dir, capsys) -> None:
    argv = ["search", "", "--index", str(index_dir), "--collapse", "--json"]
    assert main([*argv, "--year-from", "2024", "--date-to", "2024-12-31"]) == 0
    hits = json.loads(capsys.readouterr().out)["results"]
    assert sorted(hit["report"] for hit in hits) == [6, 7]
    assert main([*argv, "--year-from", "2025", "--year-to", "2024"]) == 2
    assert "year_to" in capsys.readouterr().err
