"""The JSON API on the real corpus through Flask's test client: the brief's user table,
combined facet counts, collapsing, escaping, documents, health and the OpenAPI document."""

from __future__ import annotations

import re

import pytest
import schemathesis

from indexer.records import MAX_FILTER_VALUES, MAX_PER_PAGE, MAX_QUERY_LENGTH
from webapp.errors import JSON_PATHS
from webapp.params import PARAMETERS

EVERY_LANGUAGE = {"en", "be", "ru"}
# Snippet HTML: any text without markup, and <mark>…</mark> around matches, nothing else.
SNIPPET = re.compile(r"^(?:[^<>]|<mark>|</mark>)*$")


def api_search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def found(client, q: str, **params) -> set[tuple[int, str]]:
    body = api_search(client, q=q, per_page=MAX_PER_PAGE, **params)
    assert body["total"] == len(body["results"])
    return {(hit["report"], hit["lang"]) for hit in body["results"]}


def everywhere(*reports: int) -> set[tuple[int, str]]:
    return {(r, lang) for r in reports for lang in EVERY_LANGUAGE}


# --- the brief's user table ------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "reports"),
    [
        ("ICC", (7, 8, 9)),
        ("МУС", (7, 8, 9)),
        ("МКС", (7, 8, 9)),
        ("Lukashenka", (8, 9)),
        ("Lukashenko", (8, 9)),
        ("Лукашенко", (8, 9)),
        ("Лукашэнка", (8, 9)),
        ("пыткі", (9,)),
        ("пытки", (9,)),
        ("torture", (9,)),
        ("выбары", (8,)),
        ("выборы", (8,)),
        ("elections", (8,)),
    ],
)
def test_the_user_table_finds_every_report_in_every_language(client, q, reports):
    assert found(client, q) == everywhere(*reports)


def test_icc_names_what_it_was_expanded_to(client):
    body = api_search(client, q="ICC")
    assert {"International Criminal Court", "МКС", "Международный уголовный суд"} <= set(
        body["expanded"]
    )


def test_a_month_is_searched_as_a_date_and_the_answer_says_so(client, openapi):
    # Report 7's period runs from April to September 2024 (corpus/reports/07.yaml).
    body = api_search(client, q="сентября 2024", per_page=MAX_PER_PAGE)
    assert body["months"] == [{"text": "сентября 2024", "month": "2024-09"}]
    assert {(hit["report"], hit["lang"]) for hit in body["results"]} == everywhere(7)
    assert api_search(client, q="2024")["months"] == []
    described = openapi["components"]["schemas"]["SearchResult"]
    assert "months" in described["required"]


@pytest.mark.parametrize("q", ["Viasna", "Вясна", "Весна", "Vyasna"])
def test_viasna_gives_the_same_answer_in_every_script(client, q):
    # The corpus's summaries never name Viasna: every spelling finds the same (nothing),
    # and each is expanded to the others through the glossary.
    assert found(client, q) == found(client, "Viasna")
    names = set(api_search(client, q=q)["expanded"]) | {q}
    assert {"Viasna", "Вясна", "Весна"} <= names


# --- facets and filters ----------------------------------------------------------------


def facet(body: dict, name: str) -> dict:
    return {c["value"]: (c["count"], c["selected"]) for c in body["facets"][name]}


def test_facet_counts_stay_right_when_filters_combine(client):
    body = api_search(client, q="ICC", year=[2024, 2025], lang="ru")
    assert {(h["report"], h["lang"]) for h in body["results"]} == {(7, "ru"), (8, "ru"), (9, "ru")}
    # Year counts apply lang=ru; language counts ignore their own filter.
    assert facet(body, "year") == {2025: (2, True), 2024: (1, True)}
    assert facet(body, "lang") == {"en": (3, False), "be": (3, False), "ru": (3, True)}
    topics = facet(body, "topic")
    assert topics["icc"] == (3, False)
    assert all(count <= 3 for count, _ in topics.values())


def test_a_selected_year_without_hits_is_still_listed_and_selected(client):
    body = api_search(client, q="ICC", year=2023)
    assert body["total"] == 0
    years = facet(body, "year")
    assert years[2023] == (0, True)
    assert years[2025] == (6, False)


def test_topic_filter_and_its_facet_are_disjunctive(client):
    one = api_search(client, topic="torture", per_page=MAX_PER_PAGE)
    both = api_search(client, topic=["torture", "elections"], per_page=MAX_PER_PAGE)
    assert both["total"] > one["total"] > 0
    assert facet(one, "topic") == facet(both, "topic") | {
        t: (c, t == "torture") for t, (c, _) in facet(both, "topic").items()
    }


def test_browsing_without_a_query_lists_everything_newest_first(client):
    body = api_search(client, per_page=MAX_PER_PAGE)
    assert body["total"] == 18 and body["query"] == ""
    dates = [hit["date"] for hit in body["results"]]
    assert dates == sorted(dates, reverse=True)


def test_paging_is_consistent(client):
    first = api_search(client, per_page=4)
    second = api_search(client, per_page=4, page=2)
    assert first["pages"] == second["pages"] == 5
    assert not {h["id"] for h in first["results"]} & {h["id"] for h in second["results"]}


def test_collapse_report_gives_one_hit_per_report_with_the_other_languages(client):
    body = api_search(client, q="ICC", collapse="report")
    assert body["collapse"] == "report"
    assert body["total"] == 3
    assert sorted(hit["report"] for hit in body["results"]) == [7, 8, 9]
    for hit in body["results"]:
        others = {o["lang"] for o in hit["other_languages"]}
        assert others == EVERY_LANGUAGE - {hit["lang"]}
        assert all(o["url"] == f"/reports/{o['id']}" for o in hit["other_languages"])
    assert facet(body, "year") == {2025: (2, False), 2024: (1, False)}


def test_results_carry_the_contract_fields(client):
    hit = api_search(client, q="ICC", lang="en")["results"][0]
    assert set(hit) >= {"id", "report", "lang", "date", "year", "title", "topics", "snippet", "url"}
    # At the paragraph holding the snippet (tests/test_paragraphs.py).
    assert hit["url"] == f"/reports/{hit['id']}#{hit['anchor']}"
    assert hit["year"] == int(hit["date"][:4])
    assert "<mark>" in hit["snippet"]


# --- escaping --------------------------------------------------------------------------


def test_markup_in_the_query_comes_back_as_text(client):
    response = client.get("/api/search", query_string={"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.get_json()["query"] == "<script>alert(1)</script>"
    assert response.mimetype == "application/json"


@pytest.mark.parametrize(
    "q",
    ["ICC", "torture", "<b>ICC</b>", "<mark>ICC", "Lukashenka & <i>", "evidence", "", 'a"<>&'],
)
@pytest.mark.parametrize("collapse", ["none", "report"])
def test_snippets_hold_no_markup_but_mark(client, q, collapse):
    body = api_search(client, q=q, per_page=MAX_PER_PAGE, collapse=collapse)
    for hit in body["results"]:
        assert SNIPPET.match(hit["snippet"]), hit["snippet"]
        assert "<b>" not in hit["snippet"] and "<script" not in hit["snippet"]
        assert hit["snippet"].count("<mark>") == hit["snippet"].count("</mark>")


# --- documents and health --------------------------------------------------------------


def test_a_report_document_lists_its_other_languages(client):
    response = client.get("/api/reports/r9-en")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["report"], body["lang"], body["date"]) == (
        "r9-en",
        9,
        "en",
        "2025-11-10",
    )
    assert {o["lang"] for o in body["other_languages"]} == {"be", "ru"}
    assert body["summary"]


def test_report_topic_labels_follow_hl(client):
    en = client.get("/api/reports/r9-en?hl=en").get_json()["topics"]
    be = client.get("/api/reports/r9-en?hl=be").get_json()["topics"]
    assert [t["value"] for t in en] == [t["value"] for t in be]
    assert [t["label"] for t in en] != [t["label"] for t in be]


def test_an_unknown_report_is_a_json_404(client):
    response = client.get("/api/reports/r42-en")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_healthz_reports_generation_and_document_count(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["documents"] == 18
    assert isinstance(body["generation"], int) and body["generation"] >= 1


# --- the OpenAPI document --------------------------------------------------------------


@pytest.fixture()
def openapi(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_openapi_document_is_valid(app):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises when invalid


def test_the_openapi_document_describes_every_json_endpoint(app, openapi):
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).replace("{doc}", "{id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(JSON_PATHS) and "GET" in rule.methods
    }
    assert routes | {"/feed.atom"} == set(openapi["paths"])  # the feed: the one non-JSON twin
    for path_item in openapi["paths"].values():
        assert set(path_item) == {"get"}
        assert "200" in path_item["get"]["responses"]


def search_parameters(openapi: dict) -> dict:
    return {
        p["name"]: p
        for p in openapi["paths"]["/api/search"]["get"]["parameters"]
        if p["in"] == "query"
    }


def test_the_openapi_document_names_every_search_parameter(openapi):
    params = search_parameters(openapi)
    assert set(PARAMETERS) <= set(params)
    assert set(params) - set(PARAMETERS) == {"hl"}
    for name, description in PARAMETERS.items():
        assert params[name]["description"] == description


@pytest.mark.parametrize("name", ["lang", "year", "topic"])
def test_repeatable_parameters_are_exploded_form_arrays(openapi, name):
    param = search_parameters(openapi)[name]
    assert (param["style"], param["explode"]) == ("form", True)
    assert param["schema"]["type"] == "array"
    assert param["schema"]["maxItems"] == MAX_FILTER_VALUES


def test_parameter_enums_and_bounds_match_the_parser(openapi, client):
    params = {name: p["schema"] for name, p in search_parameters(openapi).items()}
    assert params["lang"]["items"]["enum"] == ["en", "be", "ru"]
    assert params["sort"]["enum"] == ["relevance", "date"]
    assert params["collapse"]["enum"] == ["none", "report"]
    assert (params["per_page"]["minimum"], params["per_page"]["maximum"]) == (1, MAX_PER_PAGE)
    assert params["page"]["minimum"] == 1
    assert params["q"]["maxLength"] == MAX_QUERY_LENGTH
    topics = {c["value"] for c in api_search(client)["facets"]["topic"]}
    assert set(params["topic"]["items"]["enum"]) == topics
    # The bounds are the parser's: one step outside each is refused.
    for name, schema in params.items():
        for bound, step in (("minimum", -1), ("maximum", 1)):
            if bound in schema:
                outside = client.get("/api/search", query_string={name: schema[bound] + step})
                assert outside.status_code == 400, (name, bound)


def test_every_error_status_uses_the_error_schema(openapi):
    for path, path_item in openapi["paths"].items():
        for status, response in path_item["get"]["responses"].items():
            if path == "/feed.atom":  # a twin of the pages: its errors are HTML pages
                assert set(response.get("content", {"text/html": 0})) <= {
                    "text/html",
                    "application/atom+xml",
                }
            elif status[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}
    error = openapi["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"code", "message", "param"}
