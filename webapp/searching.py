"""What every view shares: the index of this app and the request parsed into a search."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from flask import Flask, current_app, g, request

from indexer.engine.generation import Generation, SearchIndex
from indexer.errors import QueryError
from indexer.records import SearchRequest, SearchResult
from indexer.search import estimate_cost, search
from webapp.admission import admission
from webapp.costmodel import search_kind
from webapp.i18n import ui_lang
from webapp.params import one_value, parse_search

EXTENSION = "iapb_index"
GENERATION = "iapb_generation"  # in flask.g: the generation of this request


def init_app(app: Flask) -> None:
    """Unpin each request's generation (:func:`current_generation`) when it is done."""
    app.teardown_request(_unpin)


def _unpin(_error: BaseException | None) -> None:
    index = current_app.extensions.get(EXTENSION)
    if index is not None and g.pop(GENERATION, None) is not None:
        index.unpin()


def current_index() -> SearchIndex:
    """The index opened once for this app (kept in ``app.extensions``)."""
    return current_app.extensions[EXTENSION]


def current_generation() -> Generation:
    """The generation this request is served from: asked of the index once per request
    (its memory-mapped files checked once), kept in ``flask.g`` and pinned on the index
    for this thread, so that every search and page of the request uses the same one.
    Raises ``IndexUnavailable`` without an index."""
    if GENERATION not in g:
        g.setdefault(GENERATION, current_index().pin())
    return g.get(GENERATION)


def search_request() -> SearchRequest:
    """``request.args`` parsed once into a :class:`SearchRequest`; raises ``QueryError``."""
    return parse_search(request.args.getlist, ui_lang())


def run_search(req: SearchRequest | None = None) -> SearchResult:
    """Search this request's generation (:func:`current_generation`) for ``req`` (default:
    this request's parameters).

    Admission control (:mod:`webapp.admission`) runs the search or refuses it by its
    estimated cost.  Raises ``QueryError`` for bad parameters, ``IndexUnavailable``
    without an index, ``Overloaded`` when this process refuses the search now.
    """
    req = req if req is not None else search_request()
    index = current_index()
    gen = current_generation()
    control = admission()
    cost = estimate_cost(index, req)
    kind = search_kind(req)
    with control.admit(cost, control.model.predict(gen.number, kind, cost)):
        # The thread's CPU time, not the wall clock: under load a search waits for the
        # GIL, and learning that wait would call every search costly exactly when the
        # server is busiest.
        started = time.thread_time()
        result = search(index, req)
        control.model.learn(gen.number, kind, cost, time.thread_time() - started)
        return result


def reading_query() -> str:
    """The ``q`` of a reading page (a report, a comparison, a page of a full report): the
    words to mark, checked as a search's ``q`` is (length, NUL).  Raises ``QueryError``
    (400) naming ``q``."""
    q = one_value(request.args.getlist, "q") or ""
    if "\x00" in q:
        raise QueryError("q", "the query contains a NUL character")
    return SearchRequest(q=q.strip()).check().q


@contextlib.contextmanager
def admitted_reading(q: str) -> Iterator[None]:
    """Run the block (marking ``q`` in a page) under admission control as a search of
    ``q`` would run: the query is parsed and expanded the same way, and a costly one is
    refused with ``Overloaded`` when the process is busy."""
    if not q:
        yield
        return
    current_generation()
    with admission().admit(estimate_cost(current_index(), SearchRequest(q=q))):
        yield
