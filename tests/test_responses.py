"""The response class: a body built in memory reaches the server as one list; streamed
bodies (files) stay iterators; HEAD and 304 answers have no body."""

from __future__ import annotations

from pathlib import Path

from werkzeug.test import EnvironBuilder

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"


def _wsgi(app, path: str, method: str = "GET", headers: dict | None = None):
    """(status line, headers, the app's iterable) of one WSGI call, unconsumed."""
    environ = EnvironBuilder(path=path, method=method, headers=headers or {}).get_environ()
    started: list = []
    body = app.wsgi_app(
        environ, lambda status, headers, exc_info=None: started.extend([status, headers])
    )
    return started[0], dict(started[1]), body


def test_a_json_answer_is_one_list_of_its_bytes(app, client):
    status, headers, body = _wsgi(app, "/api/search?q=ICC")
    assert status.startswith("200")
    assert isinstance(body, list) and len(body) == 1
    assert int(headers["Content-Length"]) == len(body[0])
    assert body[0] == client.get("/api/search?q=ICC").data


def test_a_page_and_an_error_are_lists_too(app):
    for path, code in (("/?q=ICC", "200"), ("/api/search?sort=nonsense", "400")):
        status, _, body = _wsgi(app, path)
        assert status.startswith(code)
        assert isinstance(body, list) and body[0]


def test_head_and_not_modified_answers_have_no_body(app):
    _, get_headers, _ = _wsgi(app, "/api/search?q=ICC")
    status, headers, body = _wsgi(app, "/api/search?q=ICC", method="HEAD")
    assert status.startswith("200") and body == []
    assert headers["Content-Length"] == get_headers["Content-Length"]
    status, _, body = _wsgi(
        app, "/api/search?q=ICC", headers={"If-None-Match": get_headers["ETag"]}
    )
    assert status.startswith("304") and body == []


def test_a_file_is_still_streamed(app):
    status, _, body = _wsgi(app, "/widget.js")
    assert status.startswith("200")
    assert not isinstance(body, list)
    try:
        assert b"".join(body) == (WEBAPP / "static" / "widget.js").read_bytes()
    finally:
        body.close()
