"""Admission by measured cost: each process learns, per generation and kind of search,
the seconds a posting costs, and calls a search costly by its predicted time
(``webapp.costmodel``); until a kind is learned the postings bound decides."""

from __future__ import annotations

import pytest

from indexer.records import Collapse, SearchRequest, SortOrder
from webapp import create_app
from webapp.admission import EXTENSION
from webapp.costmodel import LEARN_FROM, WEIGHT, CostModel, search_kind


def test_kinds_tell_shapes_apart_and_never_carry_words():
    kinds = {
        search_kind(SearchRequest(q=q, **extra))
        for q, extra in [
            ("torture", {}),
            ("ICC", {}),  # same shape as "torture"
            ('"political prisoners"', {}),
            ("tortur*", {}),
            ("torture OR court", {}),
            ("torture -OSCE", {}),
            ("torture", {"timeline": True}),
            ("torture", {"sort": SortOrder.DATE}),
            ("torture", {"collapse": Collapse.REPORT}),
            ("torture", {"years": (2024,)}),
            ("", {}),
            ("one two three four five six seven", {}),
        ]
    }
    assert len(kinds) == 11
    assert not any(word in kind for kind in kinds for word in ("torture", "ICC", "court"))


def test_a_kind_is_predicted_only_once_learned_from_searches_that_read_enough():
    model = CostModel()
    assert model.predict(1, "words1", 50_000) is None
    model.learn(1, "words1", LEARN_FROM - 1, 5.0)  # too few postings to teach a rate
    assert model.predict(1, "words1", 50_000) is None
    model.learn(1, "words1", 20_000, 0.02)  # 1 µs a posting
    assert model.predict(1, "words1", 50_000) == pytest.approx(0.05)
    assert model.predict(1, "words1", 100) == pytest.approx(0.0001)
    model.learn(1, "words1", 20_000, 0.06)  # 3 µs: the mean moves by WEIGHT
    assert model.predict(1, "words1", 1_000_000) == pytest.approx(1.0 + WEIGHT * 2.0)
    # A kind not learned yet is predicted at the slowest rate learned.
    model.learn(1, "phrase+words2", 20_000, 0.2)  # 10 µs
    assert model.predict(1, "prefix+words1", 10_000) == pytest.approx(0.1)


def test_a_new_generation_learns_afresh_and_late_searches_of_the_old_one_teach_nothing():
    model = CostModel()
    model.learn(1, "words1", 20_000, 0.02)
    model.learn(2, "words2", 20_000, 0.04)
    assert model.predict(2, "words1", 20_000) == pytest.approx(0.04)  # the prior
    assert model.predict(1, "words1", 20_000) is None  # generation 1 is gone
    model.learn(1, "words2", 20_000, 100.0)
    assert model.predict(2, "words2", 20_000) == pytest.approx(0.04)


@pytest.fixture()
def app(index_dir):
    # Every search is costly by its postings (the bound is 1), and another costly search
    # holds the process's one costly slot.
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "COSTLY_SEARCH_POSTINGS": 1})
    app.extensions[EXTENSION].costly_running = True
    return app


def _teach(app, q: str, seconds_per_posting: float) -> None:
    admission = app.extensions[EXTENSION]
    kind = search_kind(SearchRequest(q=q))
    admission.model.learn(1, kind, LEARN_FROM, seconds_per_posting * LEARN_FROM)


def test_a_search_learned_to_be_fast_is_admitted_beside_a_costly_one(app):
    client = app.test_client()
    assert client.get("/api/search?q=torture").status_code == 503  # not learned: postings
    _teach(app, "torture", 1e-6)  # a microsecond a posting: tens of postings, no time
    response = client.get("/api/search?q=evidence")  # the same kind of search
    assert response.status_code == 200 and response.get_json()["total"] > 0


def test_a_search_learned_to_be_slow_is_costly_however_few_its_postings(app):
    client = app.test_client()
    _teach(app, "torture", 1.0)  # a second a posting
    assert client.get("/api/search?q=evidence").status_code == 503
    app.extensions[EXTENSION].costly_running = False
    assert client.get("/api/search?q=evidence").status_code == 200
