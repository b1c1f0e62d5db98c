"""One web request, one index generation: asked of the index once (flask.g) and pinned.

The web layer gets the generation on first use in a request (``current_generation``),
keeps it in ``flask.g`` and pins it on the index for the request's thread, so that the
ETag, the admission estimate, the search and the page all see the same generation even
when a rebuild swaps another in meanwhile; the next request sees the new one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from indexer.records import SearchRequest
from indexer.search import search
from tests.helpers import CORPUS
from webapp import create_app
from webapp.searching import current_generation, current_index, run_search


@pytest.fixture()
def app(tmp_path: Path):
    build_index(CORPUS, tmp_path / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")})


def test_a_request_keeps_its_generation_through_a_rebuild(app) -> None:
    index: SearchIndex = app.extensions["iapb_index"]
    with app.test_request_context("/api/search?q=ICC"):
        first = current_generation()
        assert current_index().generation() is first
        build_index(CORPUS, index.directory)  # a new generation, swapped in
        assert current_generation() is first
        assert current_index().generation() is first  # pinned for this request
        assert run_search().generation == first.number
        assert search(index, SearchRequest(q="torture")).generation == first.number
    # Done with the request: the index is asked again, and the new generation served.
    assert index.generation().number == first.number + 1


def test_the_next_request_is_served_from_the_new_generation(app) -> None:
    client = app.test_client()
    before = client.get("/api/search?q=ICC").get_json()["generation"]
    build_index(CORPUS, app.extensions["iapb_index"].directory)
    after = client.get("/api/search?q=ICC")
    assert after.status_code == 200 and after.get_json()["generation"] == before + 1
    assert client.get("/healthz").get_json()["generation"] == before + 1


def test_an_index_pinned_and_unpinned_outside_a_request(tmp_path: Path) -> None:
    build_index(CORPUS, tmp_path / "index")
    index = SearchIndex(tmp_path / "index")
    gen = index.pin()
    build_index(CORPUS, tmp_path / "index")
    assert index.generation() is gen
    index.unpin()
    assert index.generation().number == gen.number + 1
