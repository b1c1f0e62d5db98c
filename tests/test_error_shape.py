"""One error shape, ``{"error": {"code", "message", "param"}}``, for every bad request to
the JSON endpoints (``/api/*``, ``/healthz``, ``/openapi.json``), and no 500 for any input."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp import create_app

BAD_REQUESTS = [
    # (url, status, param named in the error)
    ("/api/search?year=abc", 400, "year"),
    ("/api/search?year=1800", 400, "year"),
    ("/api/search?year=2024&year=", 200, None),  # empty values are no filter
    ("/api/search?lang=xx", 400, "lang"),
    ("/api/search?lang=en,xx", 400, "lang"),
    ("/api/search?per_page=0", 400, "per_page"),
    ("/api/search?per_page=1000", 400, "per_page"),
    ("/api/search?per_page=ten", 400, "per_page"),
    ("/api/search?page=0", 400, "page"),
    ("/api/search?page=-1", 400, "page"),
    ("/api/search?page=2.5", 400, "page"),
    # int() reads other scripts' digits and underscores; parameters take ASCII digits only.
    ("/api/search?page=%D9%A3", 400, "page"),
    ("/api/search?per_page=1_0", 400, "per_page"),
    ("/api/search?year=%D9%A2%D9%A0%D9%A2%D9%A4", 400, "year"),
    ("/api/search?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94", 400, "year"),
    ("/api/search?page=9999&per_page=50", 400, "page"),
    ("/api/search?q=ICC&page=2", 400, "page"),
    ("/api/search?q=" + "a" * 501, 400, "q"),
    ("/api/search?q=a%00b", 400, "q"),
    ("/api/search?q=ICC&q=OSCE", 400, "q"),
    ("/api/search?sort=oldest", 400, "sort"),
    ("/api/search?sort=date&sort=date", 400, "sort"),
    ("/api/search?topic=no-such-topic", 400, "topic"),
    ("/api/search?topic=icc&topic=%3Cscript%3E", 400, "topic"),
    ("/api/search?collapse=x", 400, "collapse"),
    ("/api/search?expand=2", 400, "expand"),
    ("/api/search?hl=xx", 400, "hl"),
    ("/api/search?hl=en&hl=ru", 400, "hl"),
    ("/api/search?" + "&".join(["lang=en"] * 21), 400, "lang"),
    ("/api/reports/r9-en?hl=de", 400, "hl"),
    ("/api/reports/no-such-report", 404, None),
    ("/api/reports/r99-en", 404, None),
    ("/api/reports/" + "x" * 5000, 404, None),
    ("/api/no-such-endpoint", 404, None),
    ("/api/reports/", 404, None),
    ("/api", 404, None),
    ("/healthz/extra", 404, None),
    ("/openapi.json/extra", 404, None),
]


def assert_error_shape(response, status: int, param: str | None) -> dict:
    """The response is ``status`` with the one error shape naming ``param``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) >= {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "param"}
    assert isinstance(error["code"], str) and error["code"].replace("_", "").isalpha()
    assert isinstance(error["message"], str) and error["message"]
    assert error["param"] == param
    assert "Traceback" not in response.get_data(as_text=True)
    return error


@pytest.mark.parametrize(
    ("url", "status", "param"),
    [r for r in BAD_REQUESTS if r[1] != 200],
    ids=lambda v: v[:60] if isinstance(v, str) else None,
)
def test_bad_requests_get_the_error_shape(client, url, status, param):
    assert_error_shape(client.get(url), status, param)


@pytest.mark.parametrize(
    ("url", "status", "param"),
    [r for r in BAD_REQUESTS if r[1] != 200],
    ids=lambda v: v[:60] if isinstance(v, str) else None,
)
def test_head_requests_get_the_same_status(client, url, status, param):
    assert client.head(url).status_code == status


def test_lenient_inputs_are_not_errors(client):
    assert client.get("/api/search?year=2024&year=").status_code == 200
    assert client.get("/api/search?lang=EN&unknown=1").status_code == 200


@pytest.mark.parametrize("url", ["/api/search", "/api/reports/r9-en", "/healthz", "/openapi.json"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_wrong_methods_are_405_in_the_error_shape(client, url, method):
    response = client.open(url, method=method, data="{}", content_type="application/json")
    assert_error_shape(response, 405, None)
    assert "GET" in response.headers["Allow"]


def test_an_unknown_page_is_an_html_404_not_json(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.fixture()
def app_without_index(tmp_path: Path):
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})


@pytest.mark.parametrize("url", ["/api/search?q=ICC", "/api/reports/r9-en", "/healthz"])
def test_without_an_index_the_api_answers_503_with_the_reason(app_without_index, url):
    response = app_without_index.test_client().get(url)
    error = assert_error_shape(response, 503, None)
    assert error["code"] == "index_unavailable"
    assert "iapb-index build" in error["message"]
    assert int(response.headers["Retry-After"]) > 0
    # The reason, not where: no file system path in the body.
    assert "/" not in error["message"].replace("iapb-index build", "")


def test_without_an_index_bad_parameters_are_still_400(app_without_index):
    response = app_without_index.test_client().get("/api/search?year=abc")
    assert_error_shape(response, 400, "year")


def test_without_an_index_the_openapi_document_is_still_served(app_without_index):
    response = app_without_index.test_client().get("/openapi.json")
    assert response.status_code == 200
    assert "/api/search" in response.get_json()["paths"]


def test_an_unexpected_exception_is_a_500_in_the_error_shape_without_details(app, caplog):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/broken", "broken", broken)
    response = app.test_client().get("/api/broken")
    error = assert_error_shape(response, 500, None)
    assert error["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)
    assert "secret internals" in caplog.text  # logged, not shown
