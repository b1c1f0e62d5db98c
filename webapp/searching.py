"""What every view shares: the index of this app and the request parsed into a search."""

from __future__ import annotations

from flask import current_app, request

from indexer.engine.generation import Generation, SearchIndex
from indexer.records import SearchRequest, SearchResult
from indexer.search import estimate_cost, search
from webapp.admission import admission
from webapp.i18n import ui_lang
from webapp.params import parse_search

EXTENSION = "iapb_index"


def current_index() -> SearchIndex:
    """The index opened once for this app (kept in ``app.extensions``)."""
    return current_app.extensions[EXTENSION]


def search_request() -> SearchRequest:
    """``request.args`` parsed once into a :class:`SearchRequest`; raises ``QueryError``."""
    return parse_search(request.args.getlist, ui_lang())


def run_search(req: SearchRequest | None = None, gen: Generation | None = None) -> SearchResult:
    """Search the app's index for ``req`` (default: this request's parameters).

    ``gen``: the generation ``current_index().generation()`` gave this request, when the
    view already asked for it (each call checks the generation's mapped files; once per
    request is enough).  Admission control (:mod:`webapp.admission`) runs the search or
    refuses it by its estimated cost.  Raises ``QueryError`` for bad parameters,
    ``IndexUnavailable`` without an index, ``Overloaded`` when this process refuses the
    search now.
    """
    req = req if req is not None else search_request()
    index = current_index()
    gen = gen if gen is not None else index.generation()
    with admission().admit(estimate_cost(index, req, gen)):
        return search(index, req, gen)
