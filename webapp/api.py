"""The JSON API: ``/api/search``, ``/api/reports/<id>``, ``/healthz``, ``/openapi.json``.

Searches and documents are cacheable: their ETag is computed from the index generation
and the normalised request *before* searching, so a matching ``If-None-Match`` costs
no search.  A new index generation changes every ETag.

Repeated searches skip the search and the JSON encoding: the encoded body and ETag of
recent answers are kept per app (an :class:`~indexer.engine.lru.LRUCache` bounded in count and
bytes), keyed by the index generation and the normalised request (which includes the
interface language); answers of replaced generations age out.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, NamedTuple

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from indexer.engine.lru import LRUCache
from indexer.errors import IndexUnavailable, QueryError
from indexer.languages import ALL_LANGS
from indexer.search import get_document
from webapp.citation import CITATION_FORMATS, Format, citation_text
from webapp.cite import access_date, cited_document
from webapp.errors import unavailable
from webapp.i18n import UI_CODES, ui_lang
from webapp.openapi import API_VERSION, openapi_document
from webapp.params import one_value
from webapp.searching import current_generation, current_index, run_search, search_request
from webapp.urls import API_LINKS

bp = Blueprint("api", __name__)

ANSWERS = "iapb_api_answers"
# Bytes of encoded answers kept per process, whatever CACHE_SIZE allows (a page of 50
# hits is about 50 KB).
ANSWER_CACHE_BYTES = 32 * 1024 * 1024


class Answer(NamedTuple):
    """An encoded ``/api/search`` body with its ETag."""

    body: bytes
    etag: str


def init_app(app: Flask) -> None:
    """Register the API on ``app`` with its cache of encoded answers."""
    app.extensions[ANSWERS] = LRUCache(
        app.config["CACHE_SIZE"], ANSWER_CACHE_BYTES, lambda answer: len(answer.body)
    )
    app.register_blueprint(bp)


def check_interface_language() -> None:
    """Refuse a malformed ``hl`` (pages ignore it; the API says what is wrong).

    Raises :class:`QueryError` naming ``hl``.
    """
    text = one_value(request.args.getlist, "hl")
    if text is not None and text.strip().lower() not in UI_CODES:
        codes = ", ".join(lang.value for lang in ALL_LANGS)
        raise QueryError("hl", f"'hl' must be one of {codes}, not {text!r}")


def etag_for(*key: Any, generation: int | None = None) -> str:
    """A strong ETag for ``key`` under an index generation (default: the current one).

    Raises :class:`IndexUnavailable` when there is no index.
    """
    if generation is None:
        generation = current_generation().number
    digest = hashlib.sha256(repr((API_VERSION, generation, key)).encode("utf-8"))
    return digest.hexdigest()[:32]


def _caching(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_MAX_AGE"]
    if "hl" not in request.args:
        # The interface language (facet and topic labels) came from this header.
        response.vary.add("Accept-Language")
    return response


def _not_modified(etag: str) -> Response | None:
    """A 304 answer when the client's ``If-None-Match`` holds ``etag``, else ``None``.

    Weak comparison, as RFC 9110 requires for ``If-None-Match``: a proxy that compresses
    an answer marks its ETag weak (``W/"…"``), and revalidation through it must still
    get a 304.  Checked before searching, so a 304 costs no search.
    """
    if request.if_none_match.contains_weak(etag):
        return _caching(Response(status=304, mimetype="application/json"), etag)
    return None


@bp.get("/api/search")
def search() -> Response:
    """Search: the brief's contract, from :meth:`SearchResult.as_dict`."""
    check_interface_language()
    req = search_request()
    key = req.cache_key()
    generation = current_generation().number
    answers: LRUCache = current_app.extensions[ANSWERS]
    kept = answers.get((generation, key))
    etag = kept.etag if kept is not None else etag_for("search", key, generation=generation)
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    if kept is not None:
        body = current_app.response_class(kept.body, mimetype=current_app.json.mimetype)
        return _caching(body, etag)
    result = run_search(req)
    response = jsonify(result.as_dict(API_LINKS))
    if not result.partial:
        answers.put((result.generation, key), Answer(response.get_data(), etag))
    return _caching(response, etag)


@bp.get("/api/reports/<doc>")
def report(doc: str) -> Response:
    """One (report, language) document with its full summary; 404 for an unknown id.

    With ``format=bibtex|ris|csl-json``, the document as a reference instead: the record
    an export of it gives (today's access date), in that format's media type.
    """
    check_interface_language()
    lang = ui_lang()
    fmt = citation_format()
    accessed = access_date() if fmt else None
    etag = etag_for("report", doc, lang, fmt, accessed)
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    document = get_document(current_index(), doc, lang)
    if fmt is None:
        return _caching(jsonify(document.as_dict(API_LINKS)), etag)
    assert accessed is not None
    body = citation_text(fmt, cited_document(document), accessed)
    return _caching(Response(body, content_type=fmt.media_type), etag)


def citation_format() -> Format | None:
    """The reference format asked for with ``format=``, or ``None`` for the JSON document.

    Raises :class:`QueryError` naming ``format`` for another value or a repeated one.
    """
    text = one_value(request.args.getlist, "format")
    return None if text is None else Format.parse(text, CITATION_FORMATS)


@bp.get("/healthz")
def healthz():
    """Index generation and document count, after checking the files served.

    503 in the error shape when there is no index or a file of the generation served
    changed under the server (it then serves an older intact generation, if any).
    """
    try:
        health = current_index().health()
    except IndexUnavailable as exc:
        current_app.logger.warning("health check failed: %s", exc.detail)
        return unavailable("index_unavailable", str(exc))
    # The answering process: a load balancer's (or a test's) view of how requests spread.
    response = jsonify({**health, "process": os.getpid()})
    response.cache_control.no_store = True
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document; topic ids are listed when an index is available."""
    try:
        topics: list[str] | None = list(current_generation().topic_ids)
    except IndexUnavailable:
        topics = None
    return jsonify(openapi_document(topics))
