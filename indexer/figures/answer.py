"""A direct answer to a question about a measure: "how many interviews", «сколько
документов собрано», «колькі людзей атрымалі псіхасацыяльную падтрымку», or a measure's
name alone.

A query answers to a figure when, analysed as each language analyses it and without
its question words ("how many", "number of", «сколько», «колькі», "collected" ...), its
terms are exactly the terms of one of the figure's names in that language.  Anything
more ("interviews with Lukashenko"), query syntax (``-``, ``*``, ``OR``) or nothing left
gives no answer: a wrong card is worse than none.  Years in the query, or the request's
year and date filters, select the value of that time (its ``as_of`` date).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any, Protocol

from indexer.corpus.load import doc_id
from indexer.figures.model import Figure, FigureSet, FigureValue
from indexer.figures.names import name_terms as _terms
from indexer.figures.numbers import plain
from indexer.figures.wording import trend_text, value_text
from indexer.languages import ALL_LANGS, Lang
from indexer.records import SearchRequest

_SYNTAX = re.compile(r"(^|\s)[-!]|\*|\b(AND|OR|NOT)\b")
_YEAR = re.compile(r"\b(19[89][0-9]|20[0-9]{2})\b")
# "since 2020", «з 2020 года», «с 2020 года»: part of what is counted, not a time asked.
_SINCE_YEAR = re.compile(
    r"\b(?:since|з|с|со)\s+(?:19[89][0-9]|20[0-9]{2})(?:\s+(?:года|г\.?))?(?!\w)", re.I
)
_LATIN = re.compile("[A-Za-z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


class FigureLinks(Protocol):
    """The web layer's URLs for an answer (see :mod:`webapp.urls`)."""

    def report(self, doc: str, anchor: str | None = None) -> str: ...

    def figure(self, figure_id: str) -> str: ...


@dataclass(frozen=True)
class Answer:
    """The figure a query asks for and its value at the time asked about."""

    figure: Figure
    point: FigureValue
    points: tuple[FigureValue, ...]  # the whole series, oldest first
    lang: Lang  # the reader's

    def quote_html(self) -> tuple[Lang, str]:
        """The quotation in the reader's language (else English), the number marked;
        HTML in which only ``<mark>`` is markup."""
        lang, quote = self.point.quote(self.lang)
        text = quote.text
        marked = (
            html.escape(text[: quote.start])
            + "<mark>"
            + html.escape(text[quote.start : quote.end])
            + "</mark>"
            + html.escape(text[quote.end :])
        )
        return lang, marked

    def as_dict(self, links: FigureLinks | None = None) -> dict[str, Any]:
        """The ``answer`` of ``GET /api/search``."""
        quote_lang, quote = self.quote_html()
        point = self.point
        return {
            "figure": self.figure.id,
            "label": self.figure.text(self.figure.label, self.lang),
            "unit": self.figure.unit_for(point.value, self.lang),
            "value": _json_number(point),
            "qualifier": point.qualifier.value,
            "basis": point.basis.value,
            "display": value_text(point, self.lang),
            "as_of": point.as_of,
            "report": point.report,
            "paragraph": point.anchors.get(quote_lang),
            "quote": quote,
            "quote_lang": quote_lang.value,
            "url": _point_url(point, quote_lang, links),
            "figure_url": links.figure(self.figure.id) if links is not None else None,
            "trend": trend_text(self.points, self.lang),
            "series": [
                {
                    "value": _json_number(p),
                    "qualifier": p.qualifier.value,
                    "basis": p.basis.value,
                    "display": value_text(p, self.lang),
                    "as_of": p.as_of,
                    "report": p.report,
                    "paragraph": p.anchors.get(self.lang) or p.anchors.get(Lang.EN),
                    "url": _point_url(p, self.lang, links),
                }
                for p in self.points
            ],
        }


def _json_number(point: FigureValue) -> int | float:
    text = plain(point.value)
    return float(text) if "." in text else int(text)


def _point_url(point: FigureValue, lang: Lang, links: FigureLinks | None) -> str | None:
    if links is None:
        return None
    if lang not in point.anchors:
        lang = next(iter(point.anchors))
    return links.report(doc_id(point.report, lang), point.anchors[lang])


class FigureBook:
    """A generation's figures with every name analysed, for :meth:`answer`."""

    def __init__(self, figures: FigureSet) -> None:
        self.figures = figures
        self._names: dict[Lang, dict[frozenset[str], Figure]] = {lang: {} for lang in ALL_LANGS}
        for figure in figures.figures:
            for lang, names in figure.names.items():
                for name in names:
                    terms = _terms(name, lang)
                    if terms:
                        self._names[lang].setdefault(terms, figure)

    @classmethod
    def from_meta(cls, data: list[dict[str, Any]] | None) -> FigureBook:
        return cls(FigureSet.from_meta(data))

    def named(self, text: str, lang: Lang) -> Figure | None:
        """The figure one of whose names in ``lang`` is ``text`` (as analysed)."""
        return self._names[lang].get(_terms(text, lang))

    def figure_of(self, q: str) -> tuple[Figure, tuple[int, ...]] | None:
        """The figure the query ``q`` asks for, and the years it names; ``None`` when it
        asks for none (or uses query syntax)."""
        if not q or len(q) > 200 or _SYNTAX.search(q) or not any(self._names.values()):
            return None
        text = _SINCE_YEAR.sub(" ", q)
        years = tuple(int(y) for y in _YEAR.findall(text))
        text = _YEAR.sub(" ", text)
        langs = ([Lang.EN] if _LATIN.search(text) else []) + (
            [Lang.BE, Lang.RU] if _CYRILLIC.search(text) else []
        )
        for lang in langs:
            terms = _terms(text, lang)
            figure = self._names[lang].get(terms) if terms else None
            if figure is not None:
                return figure, years
        return None

    def answer(
        self,
        q: str,
        lang: Lang = Lang.EN,
        years: tuple[int, ...] = (),
        span: tuple[dt.date, dt.date] | None = None,
    ) -> Answer | None:
        """The answer to ``q`` for a reader of ``lang``: the figure's latest value within
        ``years`` (and any year ``q`` names) and the days of ``span``; ``None`` when
        ``q`` asks for no figure or it has no value of that time."""
        found = self.figure_of(q)
        if found is None:
            return None
        figure, named = found
        wanted = set(years) | set(named)
        chosen = [
            p
            for p in figure.values
            if (not wanted or p.as_of_date.year in wanted)
            and (span is None or span[0] <= p.as_of_date <= span[1])
        ]
        if not chosen:
            return None
        return Answer(figure, chosen[-1], figure.values, lang)


def answer_request(book: FigureBook, req: SearchRequest) -> Answer | None:
    """The answer to a search request: its query, for its reader's language, at the
    time its year filters and year or date span select."""
    if not req.q:
        return None
    span = req.day_span()
    days = None
    if span is not None:
        first, last = span
        if first > last:
            return None
        days = (dt.date.fromordinal(max(first, 1)), dt.date.fromordinal(last))
    return book.answer(req.q, req.ui_lang, req.years, days)
