"""What every view shares: the index of this app and the request parsed into a search."""

from __future__ import annotations

from flask import current_app, request

from indexer.index import SearchIndex
from indexer.records import SearchRequest, SearchResult
from indexer.search import search
from webapp.i18n import ui_lang

EXTENSION = "iapb_index"


def current_index() -> SearchIndex:
    """The index opened once for this app (kept in ``app.extensions``)."""
    return current_app.extensions[EXTENSION]


def search_request() -> SearchRequest:
    """``request.args`` parsed once into a :class:`SearchRequest`; raises ``QueryError``."""
    return SearchRequest.from_params(request.args.getlist, ui_lang())


def run_search(req: SearchRequest | None = None) -> SearchResult:
    """Search the app's index for ``req`` (default: this request's parameters).

    Raises ``QueryError`` for bad parameters and ``IndexUnavailable`` without an index.
    """
    return search(current_index(), req if req is not None else search_request())
