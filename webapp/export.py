"""``GET /export``: every result of a search as a download (CSV, JSON, BibTeX, RIS, CSL-JSON).

It takes the parameters of ``/api/search`` (``page`` and ``per_page`` are ignored: the
export holds every match) and runs the same search in chunks of :data:`CHUNK` hits, each
through admission control like any search, up to ``EXPORT_MAX`` records; past that the
export is cut and says so (``X-Export-Truncated``, and in the JSON and BibTeX bodies).
The records are kept (bounded by ``EXPORT_MAX``) and the body is streamed from them.
Formatting is :mod:`webapp.citation`'s.
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
from indexer.search import get_document
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
from webapp.feed import plain_snippet
from webapp.params import one_value
from webapp.searching import current_index, run_search, search_request
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

    Raises what :func:`webapp.searching.run_search` raises (``QueryError``,
    ``Overloaded``, ``IndexUnavailable``).
    """
    per_page = min(CHUNK, limit)
    base = replace(search_request(), per_page=per_page)
    result = run_search(replace(base, page=1))
    hits = list(result.hits)
    wanted = min(result.total, limit)
    page = 1
    while len(hits) < wanted:
        page += 1
        more = run_search(replace(base, page=page)).hits
        if not more:  # a rebuild with fewer matches landed meanwhile
            break
        hits.extend(more)
    return result.total, hits[:limit]


@bp.get("/export")
def export() -> Response:
    """Every result of the search in ``format`` as a download; 400 for a bad format."""
    fmt = Format.parse(one_value(request.args.getlist, "format"))
    limit = current_app.config["EXPORT_MAX"]
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
    body = _body(fmt, records, today, note, query, total, truncated, limit)
    response = Response(body, content_type=fmt.media_type)
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
