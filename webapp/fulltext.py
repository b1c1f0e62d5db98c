"""Full reports on the web: versions a report lacks, passages of full reports, their PDFs.

- A report asked for in a language it lacks (``/reports/r10-be``) answers 404 with a
  page, in the reader's language, that says so and links the versions that exist; the
  API answers ``{"error": {"code": "language_not_available", ...}}``.
- ``/reports/r9-en/p/14?q=ICC`` shows page 14 of the full report, the matches marked,
  each passage anchored, with a link to the PDF at that page.
- ``/reports/r9-en/full.pdf`` serves the PDF the build copied into the index generation.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, send_file

from indexer.errors import DocumentNotFound, VersionMissing
from indexer.fullreports.passages import pdf_path, report_page
from indexer.search import get_document, query_planner
from webapp.errors import wants_json
from webapp.i18n import ui_lang
from webapp.pages import language_names
from webapp.searching import admitted_reading, current_generation, current_index, reading_query
from webapp.urls import full_page_url

bp = Blueprint("fulltext", __name__)


@bp.app_errorhandler(VersionMissing)
def _version_missing(error: VersionMissing):
    if wants_json():
        available = [other.id for other in error.others]
        body = {
            "error": {
                "code": "language_not_available",
                "message": str(error),
                "param": None,
                "available": available,
            }
        }
        return jsonify(body), 404
    page = render_template(
        "pages/missing.html",
        error=error,
        language_names=language_names(),
    )
    return page, 404


@bp.get("/reports/<doc>/p/<int:page>")
def passage_page(doc: str, page: int):
    """One page of a full report with the query's matches highlighted (``?q=``), each
    passage anchored (``#passage-2``), and a link to the PDF at that page.

    Raises ``DocumentNotFound`` (a 404 page) when the report has no such page.
    """
    index = current_index()
    q = reading_query()
    with admitted_reading(q):
        shown = report_page(index, doc, page, query_planner(q))
    document = get_document(index, doc, ui_lang())
    return render_template(
        "pages/passage.html",
        doc=document,
        shown=shown,
        q=q,
        page_url=lambda n: full_page_url(doc, n, q),
        language_names=language_names(),
    )


@bp.get("/reports/<doc>/full.pdf")
def pdf(doc: str):
    """The full report's PDF as the build copied it into the index generation."""
    path = pdf_path(current_generation(), doc)
    if path is None:
        raise DocumentNotFound(f"no full report PDF for {doc!r}")
    return send_file(path, mimetype="application/pdf", conditional=True, max_age=3600)
