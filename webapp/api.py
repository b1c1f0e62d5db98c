"""The JSON API: ``/api/search``, ``/api/reports/<id>``, ``/healthz``."""

from __future__ import annotations

from flask import Blueprint, jsonify

from indexer.errors import IndexUnavailable
from indexer.search import get_document
from webapp.i18n import ui_lang
from webapp.searching import current_index, run_search

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search():
    """Search: the brief's contract, from :meth:`SearchResult.as_dict`."""
    return jsonify(run_search().as_dict())


@bp.get("/api/reports/<doc>")
def report(doc: str):
    """One (report, language) document with its full summary."""
    return jsonify(get_document(current_index(), doc, ui_lang()).as_dict())


@bp.get("/healthz")
def healthz():
    """Index generation and document count; 503 with the reason when there is no index."""
    try:
        return jsonify({"status": "ok", **current_index().health()})
    except IndexUnavailable as exc:
        return jsonify({"status": "unavailable", "reason": str(exc)}), 503
