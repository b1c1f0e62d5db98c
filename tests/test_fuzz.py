"""No input gives a 500 (issue 6): Hypothesis over ``/api/search`` query strings, and
schemathesis against ``/openapi.json`` for every endpoint, through the WSGI app.

Every answer must be 200 (or 304/404 where documented) with the documented body, or a
400 in the one error shape naming a real parameter.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from webapp import create_app
from webapp.params import PARAMETERS

NAMES = [*PARAMETERS, "hl"]
RESULT_KEYS = {"query", "total", "page", "per_page", "results", "facets", "expanded", "suggestion"}
FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Characters that make trouble: query syntax, controls, bidi and zero-width marks,
# combining marks, quotes and brackets, look-alike scripts, astral characters.
TRICKY = (
    "\"*?()[]{}<>:+-~^\\/!&|,;.%#'` "
    "\t\n\r\x00\x01\x1b\x7f\x85\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069"
    "\ufeff\ufffd\u0301\u0306\u0336\u0483\u0489"
    "ўЎіІёЁʼ’ьЬ\u0130ıßﬁ𝕀😀\U0010fffd"
)
words = st.sampled_from(
    ["AND", "OR", "NOT", "ICC", "torture", "пытки", "Лукашэнка", "*", "-", '"', "topic:icc"]
)
values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=TRICKY, max_size=40),
    st.lists(words, max_size=8).map(" ".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", " ", "0", "1", "50", "51", "2024", "2024-05-31", "en", "ru,be", "report", "date"]
    ),
    st.text(alphabet=TRICKY + "ab", min_size=1, max_size=4).map(lambda s: s * 2500),
)
pairs = st.lists(st.tuples(st.sampled_from([*NAMES, "x", ""]), values), max_size=8)


@pytest.fixture(scope="module")
def fuzz_app(index_dir):
    """The app on the real corpus, shared by the examples of this module."""
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


def check_search_answer(response) -> None:
    """200 with the contract's body, or 400 in the error shape naming a parameter."""
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code == 200:
        assert RESULT_KEYS <= set(body)
        assert len(body["results"]) <= body["per_page"]
        assert all("<script" not in hit["snippet"] for hit in body["results"])
    else:
        assert set(body["error"]) == {"code", "message", "param"}
        assert body["error"]["param"] in NAMES


@FUZZ_SETTINGS
@given(
    query=pairs,
    accept_language=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30
    ),
)
def test_any_query_string_gives_200_or_400(fuzz_app, query, accept_language):
    client = fuzz_app.test_client()
    response = client.get(
        "/api/search?" + urlencode(query), headers={"Accept-Language": accept_language}
    )
    check_search_answer(response)


@FUZZ_SETTINGS
@given(raw=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=200))
def test_any_raw_query_string_gives_200_or_400(fuzz_app, raw):
    # Undecoded bytes: broken percent-escapes, stray '&' and '=', '+' for spaces.
    check_search_answer(fuzz_app.test_client().get("/api/search?" + raw.replace("#", "%23")))


@pytest.mark.parametrize(
    "q", ["\u202e" * 500, "\u0301" * 500, "a" * 10_000, '"' * 499, "(" * 500, "* " * 250]
)
def test_edge_queries_are_answered(fuzz_app, q):
    check_search_answer(fuzz_app.test_client().get("/api/search", query_string={"q": q}))


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    """The app's own OpenAPI document, loaded by schemathesis through WSGI."""
    return schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app)


OPERATIONS = [
    ("/api/search", GenerationMode.POSITIVE, 150),
    ("/api/search", GenerationMode.NEGATIVE, 150),
    ("/api/reports/{id}", GenerationMode.POSITIVE, 80),
    ("/api/reports/{id}", GenerationMode.NEGATIVE, 80),
    ("/healthz", GenerationMode.POSITIVE, 3),
    ("/feed.atom", GenerationMode.POSITIVE, 40),
    ("/feed.atom", GenerationMode.NEGATIVE, 40),
    ("/export", GenerationMode.POSITIVE, 30),
    ("/export", GenerationMode.NEGATIVE, 30),
    ("/api/figures", GenerationMode.POSITIVE, 10),
    ("/api/figures", GenerationMode.NEGATIVE, 10),
    ("/api/figures/{figure_id}", GenerationMode.POSITIVE, 30),
    ("/api/figures/{figure_id}", GenerationMode.NEGATIVE, 30),
    ("/api/figures/{figure_id}/reports/{report}", GenerationMode.POSITIVE, 40),
    ("/api/figures/{figure_id}/reports/{report}", GenerationMode.NEGATIVE, 40),
]


def test_schemathesis_covers_every_documented_operation(api_schema):
    # schemathesis leaves out the document's own path; test_api.py checks that one.
    tested = {op.path for op in (r.ok() for r in api_schema.get_all_operations())}
    assert tested == {path for path, _, _ in OPERATIONS}
    assert set(api_schema.raw_schema["paths"]) == tested | {"/openapi.json"}


@pytest.mark.parametrize(("path", "mode", "examples"), OPERATIONS)
def test_responses_conform_to_the_openapi_document(api_schema, path, mode, examples):
    operation = api_schema[path]["GET"]

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
