"""Exports are bounded: their own admission class (served on an idle process, refused at
once on a busy one, never by the costly-search budget), a body built whole to at most
``EXPORT_MAX_BYTES`` (413 naming the limit past it) and handed to the server in one
piece."""

from __future__ import annotations

import pytest

from webapp import create_app
from webapp.admission import EXTENSION
from webapp.export import ExportTooLarge, bounded_body


def _app(index_dir, **config):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), **config})


def test_an_export_on_a_busy_process_is_refused_at_once(index_dir):
    app = _app(index_dir)
    app.extensions[EXTENSION].running = 1  # a search is running
    response = app.test_client().get("/export?q=ICC&format=csv")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "overloaded"


def test_a_second_export_is_refused_while_one_runs(index_dir):
    app = _app(index_dir)
    app.extensions[EXTENSION].exporting = True
    assert app.test_client().get("/export?q=ICC&format=json").status_code == 503


def test_an_export_on_an_idle_process_is_served_whatever_the_costly_budget(index_dir):
    # Every search is costly and the costly budget is spent: a search is refused, an
    # export (admitted as an export) is served.
    app = _app(index_dir, COSTLY_SEARCH_POSTINGS=1, COSTLY_SEARCH_SHARE=0.0001)
    client = app.test_client()
    assert client.get("/api/search?q=torture").status_code == 200  # spends the budget
    assert client.get("/api/search?q=evidence").status_code == 503
    response = client.get("/export?q=evidence&format=json")
    assert response.status_code == 200 and response.get_json()["total"] > 0
    admission = app.extensions[EXTENSION]
    assert (admission.running, admission.exporting) == (0, False)


def test_an_export_past_the_byte_limit_is_413_naming_it(index_dir):
    app = _app(index_dir, EXPORT_MAX_BYTES=4096)
    client = app.test_client()
    response = client.get("/export?format=bibtex")
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "export_too_large" and "4,096 bytes" in error["message"]
    assert client.get("/export?q=OSCE&lang=en&format=csv").status_code == 200
    assert app.extensions[EXTENSION].exporting is False


def test_a_bad_parameter_is_400_even_when_busy(index_dir):
    app = _app(index_dir)
    app.extensions[EXTENSION].running = 1
    assert app.test_client().get("/export?format=xls").status_code == 400
    assert app.test_client().get("/export?format=csv&year=x").status_code == 400


def test_the_body_is_one_piece_of_bytes(app):
    # What the view hands the server: a list of one bytes object, not a generator that
    # would hold a thread while a slow client reads.
    with app.test_request_context("/export?q=ICC&format=ris"):
        response = app.full_dispatch_request()
    assert response.status_code == 200 and not response.is_streamed
    (body,) = response.response
    assert isinstance(body, bytes) and body.startswith(b"TY  - RPRT")


def test_the_bounded_body_stops_as_soon_as_it_passes_the_limit():
    consumed = []

    def pieces():
        for i in range(1000):
            consumed.append(i)
            yield "x" * 100

    with pytest.raises(ExportTooLarge):
        bounded_body(pieces(), 1000)
    assert len(consumed) == 11
    assert bounded_body(["ab", "ц"], 4) == "abц".encode()
