"""Admission control: cheap searches pass, costly ones run one at a time per process and
within a time budget, and a refusal is an immediate 503 with Retry-After."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer.engine.generation import SearchIndex
from indexer.records import SearchRequest
from indexer.search import _plan, estimate_cost, search
from webapp import admission as admission_module
from webapp import create_app
from webapp.admission import EXTENSION, Admission, Overloaded


def test_cheap_searches_pass_while_a_costly_one_runs():
    gate = Admission(max_searches=4, costly_from=100, costly_share=0.5)
    with gate.admit(500):
        with gate.admit(5), gate.admit(99):
            assert gate.running == 3
        with pytest.raises(Overloaded, match="costly"):
            with gate.admit(100):
                pass
    with gate.admit(100):  # the slot is free again
        pass


def test_past_the_bound_every_search_is_refused_at_once():
    gate = Admission(max_searches=2, costly_from=100, costly_share=0.5)
    with gate.admit(1), gate.admit(1):
        with pytest.raises(Overloaded, match="as many searches"):
            with gate.admit(1):
                pass
    assert gate.refused == 1 and gate.running == 0


def test_costly_searches_stop_when_the_process_time_budget_is_spent(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(admission_module.time, "monotonic", lambda: clock[0])
    gate = Admission(max_searches=4, costly_from=100, costly_share=0.3)
    for _ in range(3):  # 3 x 1 s of costly work in a 10 s window: the 30 % budget
        with gate.admit(100):
            clock[0] += 1.0
    with pytest.raises(Overloaded, match="spent its time"):
        with gate.admit(100):
            pass
    with gate.admit(99):  # cheap searches are not counted against it
        pass
    clock[0] += admission_module.BUDGET_WINDOW + 1
    with gate.admit(100):  # the spent time has left the window
        pass


def test_the_cost_is_zero_when_cached_and_grows_with_postings_and_phrases(
    search_index, monkeypatch
):
    def cost(q: str) -> int:
        return estimate_cost(search_index, SearchRequest(q=q, expand=False))

    assert cost("") == 0
    one, two = cost("torture"), cost("torture OR elections")
    assert 0 < one < two
    # A glossary name: the build found its matches, so no position is read.
    name = SearchRequest(q='"political prisoners"', expand=False)
    postings, positions = _postings_and_positions(search_index, name)
    assert estimate_cost(search_index, name) == postings > 0 and positions > postings
    req = SearchRequest(q="OSCE Moscow")
    search(search_index, req)
    assert estimate_cost(search_index, req) == 0


def test_an_estimate_kept_for_a_query_still_sees_its_phrase_checked_since(search_index):
    # The postings of a plan are summed once per generation; whether a phrase's matches
    # are cached is asked anew each time.
    first = SearchRequest(q='"civil society"', expand=False)
    before = estimate_cost(search_index, first)
    assert estimate_cost(search_index, first) == before > 0
    search(search_index, first)
    other = SearchRequest(q='"civil society"', expand=False, per_page=5)  # not cached
    postings, positions = _postings_and_positions(search_index, other)
    assert before == postings + positions and estimate_cost(search_index, other) == postings


def _postings_and_positions(index: SearchIndex, req: SearchRequest) -> tuple[int, int]:
    """Every leaf's postings and word positions (total frequencies) in ``req``'s plan."""
    gen = index.generation()
    reader = gen.searcher().reader()
    leaves = _plan(gen, req.q, req.expand).query.leaves()
    terms = [term for leaf in leaves for term in leaf.iter_all_terms()]
    return (
        sum(reader.doc_frequency(field, text) for field, text in terms),
        sum(int(reader.frequency(field, text)) for field, text in terms),
    )


def test_a_phrase_costs_what_checking_it_reads(index_dir) -> None:
    """On the build's term arrays a phrase reads its words' postings and positions, each
    once."""
    req = SearchRequest(q='"civil society"', expand=False)
    arrays = SearchIndex(index_dir, cache_size=0)
    postings, positions = _postings_and_positions(arrays, req)
    assert positions >= postings > 0
    assert estimate_cost(arrays, req) == postings + positions
    search(arrays, req)  # its matches are cached now: its words' postings only
    assert estimate_cost(arrays, replace(req, per_page=5)) == postings


@pytest.fixture()
def client_of(index_dir):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "COSTLY_SEARCH_POSTINGS": 1})
    return app, app.test_client()


@pytest.mark.parametrize("url", ["/api/search?q=torture", "/?q=torture", "/feed.atom?q=torture"])
def test_a_refused_search_is_a_503_with_retry_after_and_a_cached_one_still_passes(client_of, url):
    app, client = client_of
    assert client.get(url).status_code == 200  # now cached: cost 0
    gate: Admission = app.extensions[EXTENSION]
    gate.costly_running = True  # another thread holds the costly slot
    response = client.get(url.replace("torture", "elections"))
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "overloaded"
    assert client.get(url).status_code == 200
