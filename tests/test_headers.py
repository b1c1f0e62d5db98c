"""HTTP headers: caching (ETag, 304, Cache-Control, Vary), CORS on the API only, security
headers on HTML, and no cookies anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from webapp import create_app

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture()
def mini_index(tmp_path: Path) -> Path:
    """A writable index of the small fixture corpus (rebuilt by some tests)."""
    out = tmp_path / "index"
    build_index(MINI, out)
    return out


def make_client(index: Path, **config):
    return create_app({"TESTING": True, "INDEX_DIR": str(index), **config}).test_client()


# --- caching ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/search?q=ICC", "/api/reports/r9-en"])
def test_api_answers_carry_a_strong_etag_and_public_cache_control(index_dir, url):
    client = make_client(index_dir, API_MAX_AGE=123)
    response = client.get(url)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.cache_control.public
    assert response.cache_control.max_age == 123


@pytest.mark.parametrize("url", ["/api/search?q=ICC&lang=ru", "/api/reports/r9-be"])
def test_a_matching_if_none_match_is_answered_304_without_a_body(client, url):
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "max-age" in again.headers["Cache-Control"]
    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_a_304_runs_no_search(client, monkeypatch):
    url = "/api/search?q=torture&year=2024"
    etag = client.get(url).headers["ETag"]

    def no_search(*args, **kwargs):
        raise AssertionError("a conditional request with a current ETag must not search")

    monkeypatch.setattr("webapp.api.run_search", no_search)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/api/search?q=ICC&lang=ru&lang=en", "/api/search?lang=en&q=ICC&lang=ru"),
        ("/api/search?q=ICC", "/api/search?q=++ICC++&page=1&per_page=10"),
        ("/api/search?year=2024&year=2025", "/api/search?year=2025,2024"),
        ("/api/search?hl=ru", "/api/search?hl=RU"),
    ],
)
def test_the_etag_depends_on_the_normalised_request(client, first, second):
    assert client.get(first).headers["ETag"] == client.get(second).headers["ETag"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/api/search?q=ICC", "/api/search?q=OSCE"),
        ("/api/search?q=ICC", "/api/search?q=ICC&expand=0"),
        ("/api/search?q=ICC&hl=en", "/api/search?q=ICC&hl=be"),
        ("/api/reports/r9-en?hl=en", "/api/reports/r9-en?hl=ru"),
        ("/api/reports/r9-en", "/api/reports/r9-ru"),
    ],
)
def test_different_answers_have_different_etags(client, first, second):
    assert client.get(first).headers["ETag"] != client.get(second).headers["ETag"]


def test_a_new_index_generation_changes_the_etag(mini_index):
    client = make_client(mini_index)
    before = client.get("/api/search?q=ICC")
    build_index(MINI, mini_index)  # same corpus, new generation
    after = client.get("/api/search?q=ICC", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.get_json()["generation"] == before.get_json()["generation"] + 1


def test_a_search_runs_on_the_generation_its_etag_names_when_a_build_lands_mid_request(
    mini_index, monkeypatch
):
    # The request asks for the generation once (flask.g, pinned): its ETag and its search
    # use the same one.
    from webapp import searching

    client = make_client(mini_index)
    before = make_client(mini_index).get("/api/search?q=ICC")  # another app: nothing shared
    assert before.get_json()["generation"] == 1
    searched = searching.search

    def rebuilt_meanwhile(index, req):
        build_index(MINI, mini_index)  # lands after the ETag check, before the search
        return searched(index, req)

    monkeypatch.setattr(searching, "search", rebuilt_meanwhile)
    during = client.get("/api/search?q=ICC")
    monkeypatch.undo()
    assert during.get_json()["generation"] == 1
    assert during.headers["ETag"] == before.headers["ETag"]
    after = client.get("/api/search?q=ICC", headers={"If-None-Match": during.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["generation"] == 2
    assert after.headers["ETag"] != during.headers["ETag"]


def test_the_interface_language_from_accept_language_varies_the_answer(client):
    be = client.get("/api/search?q=ICC", headers={"Accept-Language": "be"})
    ru = client.get("/api/search?q=ICC", headers={"Accept-Language": "ru"})
    assert "Accept-Language" in be.vary
    assert be.headers["ETag"] != ru.headers["ETag"]
    labels = {f["value"]: f["label"] for f in be.get_json()["facets"]["topic"]}
    assert (
        labels["icc"] != {f["value"]: f["label"] for f in ru.get_json()["facets"]["topic"]}["icc"]
    )


def test_hl_fixes_the_interface_language_so_accept_language_does_not_vary_it(client):
    be = client.get("/api/search?q=ICC&hl=be", headers={"Accept-Language": "ru"})
    assert "Accept-Language" not in be.vary
    labels = {f["value"]: f["label"] for f in be.get_json()["facets"]["topic"]}
    assert labels["icc"] == "Міжнародны крымінальны суд"


def test_errors_are_not_given_cache_validators(client):
    response = client.get("/api/search?year=abc")
    assert response.status_code == 400
    assert "ETag" not in response.headers


# --- CORS ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/search?q=ICC", "/api/reports/r9-en", "/api/search?year=abc", "/api/nope"]
)
def test_the_api_allows_any_origin_to_read_by_default(client, url):
    response = client.get(url, headers={"Origin": "https://host.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("url", ["/", "/?q=ICC", "/nope", "/healthz", "/openapi.json"])
def test_pages_and_service_endpoints_send_no_cors_headers(client, url):
    response = client.get(url, headers={"Origin": "https://host.example"})
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control-")]


def test_an_allow_list_echoes_only_listed_origins(index_dir):
    client = make_client(index_dir, CORS_ORIGINS="https://a.example, https://b.example")
    ok = client.get("/api/search?q=ICC", headers={"Origin": "https://b.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in ok.vary
    refused = client.get("/api/search?q=ICC", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 200  # the server answers; the browser withholds it
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Origin" in refused.vary


def test_a_preflight_offers_get_only_and_no_credentials(client):
    response = client.options(
        "/api/search",
        headers={
            "Origin": "https://host.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods <= {"GET", "HEAD"} and "GET" in methods
    assert "if-none-match" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_writing_methods_on_the_api_are_405_without_cors(client, method):
    response = client.open("/api/search", method=method, headers={"Origin": "https://x.example"})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers


# --- security headers and cookies ------------------------------------------------------


@pytest.mark.parametrize(("url", "status"), [("/", 200), ("/nope", 404), ("/?year=abc", 400)])
def test_html_answers_carry_the_security_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_json_answers_are_nosniff(client):
    response = client.get("/api/search?q=ICC")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=ICC&hl=be",
        "/nope",
        "/api/search?q=ICC",
        "/api/search?year=abc",
        "/api/reports/r9-en",
        "/api/reports/nope",
        "/healthz",
        "/openapi.json",
    ],
)
def test_no_answer_sets_a_cookie(client, url):
    response = client.get(url, headers={"Accept-Language": "ru"})
    assert "Set-Cookie" not in response.headers
    assert not client._cookies


# --- revalidation through proxies, Vary of the feed, Range --------------------------------


@pytest.mark.parametrize("url", ["/api/search?q=ICC", "/api/reports/r9-en", "/feed.atom?q=ICC"])
def test_a_weak_if_none_match_is_answered_304(client, url):
    # A proxy that gzips an answer makes its ETag weak; revalidation through it must work.
    etag = client.get(url).headers["ETag"]
    assert etag.startswith('"')
    response = client.get(url, headers={"If-None-Match": f"W/{etag}"})
    assert response.status_code == 304
    assert response.data == b""


def test_the_feed_varies_with_accept_language_unless_hl_fixes_it(client):
    assert "Accept-Language" in client.get("/feed.atom?q=ICC").headers["Vary"]
    assert "Accept-Language" not in client.get("/feed.atom?q=ICC&hl=be").headers.get("Vary", "")


def _get_closed(client, url, **kwargs):
    with client.get(url, **kwargs) as response:
        response.get_data()
        return response


@pytest.mark.parametrize("value", ["bytes=0-0,5-5", "bytes=abc", "bytes=", "pages=1-2"])
def test_a_malformed_or_multiple_range_gets_the_whole_file(client, value):
    whole = _get_closed(client, "/widget.js")
    response = _get_closed(client, "/widget.js", headers={"Range": value})
    assert response.status_code == 200
    assert response.data == whole.data


def test_a_single_satisfiable_range_is_still_served_partially(client):
    response = _get_closed(client, "/widget.js", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert len(response.data) == 10
