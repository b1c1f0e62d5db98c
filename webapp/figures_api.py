"""The figures' JSON API, twin of their pages: ``GET /api/figures`` (every figure and
value), ``GET /api/figures/<id>`` (one figure), each also as CSV (``format=csv``), and
``GET /api/figures/<id>/reports/<n>`` (one value, or its reference as BibTeX, RIS or
CSL-JSON through the reports' own serialisers, with the paragraph's link).  Under
``/api``: a bad parameter is a 400 in the JSON error shape.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace

from flask import Blueprint, Response, current_app, request

from indexer.errors import DocumentNotFound, QueryError
from indexer.figures.model import Figure, FigureValue
from indexer.figures.numbers import plain
from indexer.figures.wording import value_text
from indexer.languages import ALL_LANGS, Lang
from indexer.search import get_document
from webapp.api import etag_for
from webapp.citation import CITATION_FORMATS, CitedReport, Format, citation_text, safe_cell
from webapp.cite import cited_document
from webapp.figures import EXPORT_FORMATS, current_figures, figure_or_404, point_anchor
from webapp.i18n import ui_lang
from webapp.searching import current_index
from webapp.urls import report_address

bp = Blueprint("figures_api", __name__)


@bp.after_request
def _cacheable(response: Response) -> Response:
    """Figures change only with the index generation: an ETag from it and the request,
    a 304 to a client that holds it, public caching as for searches."""
    if response.status_code != 200:
        return response
    response.set_etag(etag_for("figures", request.path, sorted(request.args.items(multi=True))))
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_MAX_AGE"]
    if "lang" not in request.args and "hl" not in request.args:
        response.vary.add("Accept-Language")  # a citation's language may come from it
    return response.make_conditional(request)


CSV_COLUMNS = (
    "figure", "report", "value", "qualifier", "basis", "as_of", "date", "paragraph", "url",
    "quote_en", "quote_be", "quote_ru",
)  # fmt: skip


def cited_value(figure: Figure, point: FigureValue, lang: Lang) -> CitedReport:
    """A value as a reference: the report's document in ``lang`` (else English) through
    the reports' own citation record, at the value's paragraph, the quotation as note."""
    doc, anchor = point_anchor(point, lang)
    record = cited_document(get_document(current_index(), doc, ui_lang()))
    quote = point.quotes[record.lang]
    return replace(
        record,
        url=f"{record.url}#{anchor}" if anchor else record.url,
        snippet=f"{figure.text(figure.label, record.lang)}: {value_text(point, record.lang)}. "
        f"“{quote.text}”",
    )


@bp.get("/api/figures/<figure_id>/reports/<int:report>")
def value(figure_id: str, report: int):
    """The value of ``figure_id`` in report ``report``: JSON, or its reference in a
    citation format (``format=bibtex|ris|csl-json``; ``lang=`` the language of the
    document cited and its quotation, default the interface language).

    Raises ``DocumentNotFound`` (404) when the figure has no value in that report.
    """
    found = figure_or_404(figure_id)
    point = next((p for p in found.values if p.report == report), None)
    if point is None:
        raise DocumentNotFound(f"figure {figure_id!r} has no value in report {report}")
    lang = _lang_param()
    if request.args.get("format") is None:
        row = next(r for r in export_rows([found]) if r["report"] == report)
        return Response(json.dumps(row, ensure_ascii=False), content_type=Format.JSON.media_type)
    fmt = Format.parse(request.args.get("format"), CITATION_FORMATS)
    body = citation_text(fmt, cited_value(found, point, lang), dt.datetime.now(dt.UTC).date())
    response = Response(body, content_type=fmt.media_type)
    name = f"iapb-{figure_id}-r{report}.{fmt.extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _lang_param() -> Lang:
    text = request.args.get("lang")
    if text is None:
        return ui_lang()
    try:
        return Lang(text.strip().lower())
    except ValueError:
        raise QueryError("lang", f"'lang' must be one of en, be, ru, not {text!r}") from None


def export_rows(figures: list[Figure]) -> list[dict[str, object]]:
    """One record per value: the figure, the value and where it is said (absolute link),
    the quotation in each language."""
    rows = []
    for figure in figures:
        for point in figure.values:
            doc, anchor = point_anchor(point, Lang.EN)
            rows.append(
                {
                    "figure": figure.id,
                    "report": point.report,
                    "value": plain(point.value),
                    "qualifier": point.qualifier.value,
                    "basis": point.basis.value,
                    "as_of": point.as_of,
                    "date": point.date.isoformat() if point.date else None,
                    "paragraph": anchor,
                    "url": f"{report_address(doc)}#{anchor}",
                    **{
                        f"quote_{lang.value}": point.quotes[lang].text
                        if lang in point.quotes
                        else None
                        for lang in ALL_LANGS
                    },
                }  # fmt: skip
            )
    return rows


def figure_record(figure: Figure) -> dict[str, object]:
    """One figure as the JSON API gives it: labels, units, names, and its values."""
    return {
        "id": figure.id,
        "label": {k.value: v for k, v in figure.label.items()},
        "unit": {k.value: list(v) for k, v in figure.unit.items()},
        "names": {k.value: list(v) for k, v in figure.names.items()},
        "values": export_rows([figure]),
    }


def _export(figures: list[Figure], name: str, one: bool = False) -> Response:
    text = request.args.get("format")
    fmt = Format.JSON if text is None else Format.parse(text, EXPORT_FORMATS)
    if fmt is Format.CSV:
        out = io.StringIO()
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in export_rows(figures):
            writer.writerow({k: safe_cell("" if v is None else str(v)) for k, v in row.items()})
        response = Response(out.getvalue(), content_type=fmt.media_type)
    else:
        records = [figure_record(f) for f in figures]
        body = records[0] if one else {"figures": records}
        response = Response(json.dumps(body, ensure_ascii=False), content_type=fmt.media_type)
    if text is not None:
        disposition = f'attachment; filename="{name}.{fmt.extension}"'
        response.headers["Content-Disposition"] = disposition
    return response


@bp.get("/api/figures")
def figures():
    """Every figure and its values: JSON, or CSV with ``format=csv`` (one row a value)."""
    return _export(list(current_figures().figures.figures), "iapb-figures")


@bp.get("/api/figures/<figure_id>")
def figure(figure_id: str):
    """One figure and its values: JSON, or CSV with ``format=csv``.

    Raises ``DocumentNotFound`` (404) for an unknown figure.
    """
    return _export([figure_or_404(figure_id)], f"iapb-figure-{figure_id}", one=True)
