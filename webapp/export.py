"""``GET /export``: every result of a search as a download (CSV, JSON, BibTeX, RIS, CSL-JSON).

It takes the parameters of ``/api/search`` (``page`` and ``per_page`` are ignored: the
export holds every match) and runs the same search in chunks of :data:`CHUNK` hits, up
to ``EXPORT_MAX`` records; past that the export is cut and says so
(``X-Export-Truncated``, and in the JSON and BibTeX bodies).  Formatting is
:mod:`webapp.citation`'s.

An export is admitted as its own class (:meth:`webapp.admission.Admission.admit_export`:
only on an idle process, refused at once otherwise) and its searches run under it.  The
body is built whole in memory, at most ``EXPORT_MAX_BYTES`` (past it: 413 naming the
limit), and handed to the HTTP layer in one piece: a client that never reads it costs
granian a socket and a buffer, never a Python thread.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request

from indexer.records import Hit
from indexer.search import get_document, search
from webapp.admission import admission
from webapp.citation import (
    CitedReport,
    Format,
    to_bibtex,
    to_csl_json,
    to_csv,
    to_json,
    to_ris,
)
from webapp.cite import access_date, source_url
from webapp.errors import error_response
from webapp.feed import plain_snippet
from webapp.params import one_value
from webapp.searching import current_generation, current_index, search_request
from webapp.urls import report_address

bp = Blueprint("export", __name__)

CHUNK = 500  # hits per search while exporting
FILENAME_QUERY = 60  # characters of the query kept in a file name
_UNSAFE = re.compile(r"[^\w]+")


def _cited_hits(hits: Iterable[Hit]) -> Iterator[CitedReport]:
    sources: dict[int, str | None] = {}
    periods: dict[int, tuple[str, str]] = {}
    for hit in hits:
        if hit.report not in sources:
            doc = get_document(current_index(), hit.id)
            periods[hit.report] = (doc.period_start, doc.period_end)
            sources[hit.report] = source_url(hit.id, hit.provenance, hit.translated)
        yield CitedReport(
            id=hit.id,
            report=hit.report,
            lang=hit.lang,
            title=hit.title,
            date=hit.date,
            period_start=periods[hit.report][0],
            period_end=periods[hit.report][1],
            topics=hit.topics,
            url=report_address(hit.id),
            source_url=sources[hit.report],
            translated=hit.translated,
            snippet=plain_snippet(hit.snippet),
            pages=tuple(sorted({p.page for p in hit.passages})),
        )


def download_name(query: str, day: dt.date, extension: str) -> tuple[str, str]:
    """``iapb-search-<query>-<date>.<ext>`` as (ASCII fallback, UTF-8 name).

    Anything but letters and digits becomes ``-``; the fallback also drops the letters
    ASCII cannot write (``МУС`` leaves ``iapb-search-2025-11-10.csv``).
    """
    words = _UNSAFE.sub("-", query[:FILENAME_QUERY]).strip("-_")
    ascii_words = _UNSAFE.sub(
        "-", unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    ).strip("-_")

    def name(part: str) -> str:
        return "-".join(p for p in ("iapb-search", part, day.isoformat()) if p) + f".{extension}"

    return name(ascii_words), name(words)


def content_disposition(query: str, day: dt.date, extension: str) -> str:
    """An ``attachment`` header with an ASCII ``filename`` and, if needed, RFC 6266's
    ``filename*`` in UTF-8."""
    fallback, full = download_name(query, day, extension)
    header = f'attachment; filename="{fallback}"'
    if full != fallback:
        header += f"; filename*=UTF-8''{quote(full, safe='')}"
    return header


def export_hits(limit: int) -> tuple[int, list[Hit]]:
    """(total matches, at most ``limit`` hits) of this request's search, in its order.

    The searches run under the export's admission (the caller's).  Raises what
    :func:`indexer.search.search` raises (``QueryError``, ``IndexUnavailable``).
    """
    per_page = min(CHUNK, limit)
    base = replace(search_request(), per_page=per_page)
    index = current_index()
    current_generation()  # this request's, pinned: every chunk searches the same one
    result = search(index, replace(base, page=1))
    hits = list(result.hits)
    wanted = min(result.total, limit)
    page = 1
    while len(hits) < wanted:
        page += 1
        more = search(index, replace(base, page=page)).hits
        if not more:  # a rebuild with fewer matches landed meanwhile
            break
        hits.extend(more)
    return result.total, hits[:limit]


class ExportTooLarge(Exception):
    """The export's body would pass ``EXPORT_MAX_BYTES``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"this export would be larger than {limit:,} bytes (EXPORT_MAX_BYTES): "
            "narrow the search (filters, a longer query) or choose a shorter format"
        )


def bounded_body(pieces: Iterable[str], limit: int) -> bytes:
    """``pieces`` joined and encoded as UTF-8, or :class:`ExportTooLarge` as soon as
    they pass ``limit`` bytes (nothing larger is ever held)."""
    parts, size = [], 0
    for piece in pieces:
        data = piece.encode("utf-8")
        size += len(data)
        if size > limit:
            raise ExportTooLarge(limit)
        parts.append(data)
    return b"".join(parts)


@bp.app_errorhandler(ExportTooLarge)
def _too_large(error: ExportTooLarge):
    return error_response(413, "export_too_large", str(error))


@bp.get("/export")
def export() -> Response:
    """Every result of the search in ``format`` as a download; 400 for a bad format, 413
    past ``EXPORT_MAX_BYTES``, 503 when the process is not idle."""
    fmt = Format.parse(one_value(request.args.getlist, "format"))
    search_request()  # a bad parameter is a 400 whether or not the server is busy
    limit = current_app.config["EXPORT_MAX"]
    with admission().admit_export():
        total, hits = export_hits(limit)
        records = list(_cited_hits(hits))
        today = access_date()
        truncated = total > len(records)
        note = (
            f"{len(records)} of {total} results: an export holds at most {limit}"
            if truncated
            else f"{total} results"
        )
        query = request.args.get("q", "").strip()
        pieces = _body(fmt, records, today, note, query, total, truncated, limit)
        body = bounded_body(pieces, current_app.config["EXPORT_MAX_BYTES"])
    response = Response([body], content_type=fmt.media_type)
    response.headers["Content-Disposition"] = content_disposition(query, today, fmt.extension)
    response.headers["X-Export-Total"] = str(total)
    response.headers["X-Export-Count"] = str(len(records))
    if truncated:
        response.headers["X-Export-Truncated"] = note
    response.cache_control.no_store = True
    return response


def _body(
    fmt: Format,
    records: list[CitedReport],
    today: dt.date,
    note: str,
    query: str,
    total: int,
    truncated: bool,
    limit: int,
) -> Iterator[str]:
    if fmt is Format.CSV:
        return to_csv(records)
    if fmt is Format.JSON:
        meta = {
            "query": query,
            "total": total,
            "exported": len(records),
            "truncated": truncated,
            "limit": limit,
            "note": note,
            "accessed": today.isoformat(),
        }
        return to_json(records, meta)
    if fmt is Format.BIBTEX:
        return to_bibtex(records, today, f"iapb-search export of '{query}': {note}")
    if fmt is Format.RIS:
        return to_ris(records, today)
    return to_csl_json(records, today)
