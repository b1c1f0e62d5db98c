"""The ``q`` of the reading pages (a report, a comparison, a page of a full report) is
checked as a search's is (400 past its length or with a NUL) and its marking is admitted
like a search (503 when the process is busy), so long queries on these pages cannot
crowd out the searches."""

from __future__ import annotations

import pytest

from indexer.records import MAX_QUERY_LENGTH
from webapp import create_app
from webapp.admission import EXTENSION

PAGES = ["/reports/r9-en", "/reports/9/compare"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("q", ["ICC " * (MAX_QUERY_LENGTH // 4 + 1), "a" * 30_000, "ICC\x00"])
def test_a_query_a_search_would_refuse_is_refused_on_reading_pages(client, path, q):
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_a_query_of_the_longest_length_is_marked(client, path):
    q = ("ICC " * (MAX_QUERY_LENGTH // 4))[:MAX_QUERY_LENGTH]
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    assert "<mark>" in response.get_data(as_text=True)


@pytest.fixture()
def busy_app(index_dir):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "MAX_SEARCHES": 2})
    admission = app.extensions[EXTENSION]
    admission.running = admission.max_searches  # every slot taken
    return app


@pytest.mark.parametrize("path", PAGES)
def test_marking_a_query_on_a_busy_process_is_refused_like_a_search(busy_app, path):
    client = busy_app.test_client()
    assert client.get("/api/search?q=ICC").status_code == 503
    response = client.get(path, query_string={"q": "ICC"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    # The page itself, without words to mark, needs no search and is served.
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_a_costly_query_is_refused_while_another_runs(index_dir, path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "COSTLY_SEARCH_POSTINGS": 1})
    app.extensions[EXTENSION].costly_running = True
    client = app.test_client()
    assert client.get(path, query_string={"q": "torture"}).status_code == 503
    app.extensions[EXTENSION].costly_running = False
    assert client.get(path, query_string={"q": "torture"}).status_code == 200
