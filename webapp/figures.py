"""The figures' pages: ``/figures`` (every measure, its latest value and trend) and
``/figures/<id>`` (its values over time as a step chart with a table twin, each value
quoted in the reader's language beside the English original, cited and exported), with
a JSON/CSV export and an Atom feed per figure.

Everything comes from the current generation's figures (:mod:`indexer.figures`): the
build checked them against the summaries and took their quotations from the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from indexer.corpus.load import doc_id
from indexer.errors import DocumentNotFound
from indexer.figures.answer import FigureBook
from indexer.figures.model import Basis, Figure, FigureValue, Quote
from indexer.figures.wording import number_text, trend_text, value_text
from indexer.languages import Lang
from webapp.citation import CITATION_FORMATS, Format
from webapp.feed import ATOM, AUTHOR, CONTENT_TYPE, XML_LANG, _add, _timestamp
from webapp.figure_chart import step_chart
from webapp.i18n import ui_lang
from webapp.searching import current_index
from webapp.urls import absolute, paragraph_url, report_address, with_hl

bp = Blueprint("figures", __name__)
EXPORT_FORMATS = (Format.JSON, Format.CSV)


def current_figures() -> FigureBook:
    """The figures of the generation being served."""
    return current_index().generation().figures


def figure_or_404(figure_id: str) -> Figure:
    figure = current_figures().figures.get(figure_id)
    if figure is None:
        raise DocumentNotFound(f"no figure {figure_id!r}")
    return figure


def as_of_text(point: FigureValue) -> str:
    """The date a value holds for, in the interface language ("September 2025")."""
    day = point.as_of_date
    return format_date(day, "LLLL y") if len(point.as_of) == 7 else format_date(day, "long")


def point_anchor(point: FigureValue, lang: Lang) -> tuple[str, str | None]:
    """The document and paragraph anchor of ``point`` in ``lang`` (else English)."""
    shown = lang if lang in point.anchors else Lang.EN
    return doc_id(point.report, shown), point.anchors.get(shown)


@dataclass(frozen=True)
class ShownQuote:
    """A quotation as the page shows it: before, the number, after."""

    lang: Lang
    before: str
    number: str
    after: str
    translated: bool

    @classmethod
    def of(cls, lang: Lang, quote: Quote) -> ShownQuote:
        text = quote.text
        return cls(
            lang, text[: quote.start], text[quote.start : quote.end], text[quote.end :],
            lang is not Lang.EN,
        )  # fmt: skip


@dataclass(frozen=True)
class ShownValue:
    """One value of a figure as the figure page shows it."""

    point: FigureValue
    text: str  # "over 3,200"
    as_of: str
    url: str
    quotes: tuple[ShownQuote, ...]  # the reader's language first, English beside it
    note: str | None


def shown_values(figure: Figure, lang: Lang) -> list[ShownValue]:
    """The values of ``figure``, newest first, worded for a reader of ``lang``."""
    shown = []
    for point in reversed(figure.values):
        doc, anchor = point_anchor(point, lang)
        order = [lang] + ([Lang.EN] if lang is not Lang.EN else [])
        quotes = tuple(ShownQuote.of(q, point.quotes[q]) for q in order if q in point.quotes)
        note = point.note.get(lang) or point.note.get(Lang.EN)
        shown.append(
            ShownValue(
                point,
                value_text(point, lang),
                as_of_text(point),
                paragraph_url(doc, anchor),
                quotes,
                note,
            )  # fmt: skip
        )
    return shown


def chart_of(figure: Figure, lang: Lang):
    """The step chart of ``figure`` and its text description for screen readers."""
    labels = [f"{value_text(p, lang)}, {as_of_text(p)}" for p in figure.values]
    urls = [paragraph_url(*point_anchor(p, lang)) for p in figure.values]
    chart = step_chart(figure.values, labels, urls, lambda n: number_text(n, lang))
    parts = [
        _("%(value)s by %(date)s (report %(report)d)", value=value_text(p, lang),
          date=as_of_text(p), report=p.report)
        + (" " + _("(in the reporting period only)") if p.basis is Basis.PERIOD else "")
        for p in figure.values
    ]  # fmt: skip
    description = _(
        "%(figure)s over time: %(values)s.", figure=figure.text(figure.label, lang),
        values="; ".join(parts),
    )  # fmt: skip
    return chart, description


@bp.get("/figures")
def index():
    """Every figure with its latest value, date and trend."""
    lang = ui_lang()
    rows = [
        (figure, value_text(figure.latest, lang), as_of_text(figure.latest),
         trend_text(figure.values, lang))
        for figure in current_figures().figures.figures
    ]  # fmt: skip
    return render_template(
        "figures/index.html",
        rows=rows,
        lang=lang,
        export_links=[(f.value.upper(), url_for("figures_api.figures", format=f.value))
                      for f in EXPORT_FORMATS],
    )  # fmt: skip


@bp.get("/figures/<figure_id>")
def figure(figure_id: str):
    """One figure: chart, table, quotations, notes, citations, exports, feed."""
    lang = ui_lang()
    found = figure_or_404(figure_id)
    chart, description = chart_of(found, lang)
    return render_template(
        "figures/figure.html",
        figure=found,
        lang=lang,
        chart=chart,
        description=description,
        values=shown_values(found, lang),
        trend=trend_text(found.values, lang),
        has_period=any(p.basis is Basis.PERIOD for p in found.values),
        citation_formats=[(f.value, {Format.BIBTEX: "BibTeX", Format.RIS: "RIS",
                                     Format.CSL_JSON: "CSL-JSON"}[f]) for f in CITATION_FORMATS],
        export_links=[(f.value.upper(), url_for("figures_api.figure", figure_id=found.id,
                                                format=f.value)) for f in EXPORT_FORMATS],
        feed_url=with_hl("figures.feed", figure_id=found.id),
        language_names={Lang.EN: _("English"), Lang.BE: _("Belarusian"), Lang.RU: _("Russian")},
    )  # fmt: skip


@bp.get("/figures/<figure_id>/feed.atom")
def feed(figure_id: str):
    """The Atom feed of one figure: an entry per value, newest first, so that a reader
    learns when a new report updates it."""
    found = figure_or_404(figure_id)
    lang = ui_lang()
    self_url = absolute(with_hl("figures.feed", figure_id=found.id))
    root = ET.Element("feed", xmlns=ATOM)
    root.set(XML_LANG, lang.value)
    _add(root, "id", self_url)
    _add(root, "title", _("IAPB figures: %(figure)s", figure=found.text(found.label, lang)))
    _add(root, "updated", _timestamp(max(p.date or p.as_of_date for p in found.values)))
    _add(_add(root, "author"), "name", AUTHOR)
    _add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    page = absolute(with_hl("figures.figure", figure_id=found.id))
    _add(root, "link", rel="alternate", type="text/html", href=page)
    for point in reversed(found.values):
        doc, anchor = point_anchor(point, lang)
        entry = _add(root, "entry")
        _add(entry, "id", f"{page.split('?')[0]}#r{point.report}")
        title = f"{found.text(found.label, lang)}: {value_text(point, lang)} ({as_of_text(point)})"
        _add(entry, "title", title, type="text")
        _add(entry, "updated", _timestamp(point.date or point.as_of_date))
        _add(entry, "link", rel="alternate", type="text/html",
             href=f"{report_address(doc)}#{anchor}")  # fmt: skip
        shown = Lang(doc.rsplit("-", 1)[1])
        _add(entry, "summary", point.quotes[shown].text, type="text")
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Content-Language"] = lang.value
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_MAX_AGE"]
    response.add_etag()
    return response.make_conditional(request)


def _answer_url(point: FigureValue, lang: Lang) -> str:
    return paragraph_url(*point_anchor(point, lang))


@bp.record_once
def _template_helpers(state) -> None:
    """What the answer card (``figures/card.html``) and the figure pages call."""
    state.app.jinja_env.globals.update(
        with_hl=with_hl,
        answer_value=value_text,
        answer_as_of=as_of_text,
        answer_trend=trend_text,
        answer_url=_answer_url,
    )
