"""The dates a query was read as, said on the search page in the interface language.

The search answers which dates it understood (:class:`indexer.records.DateSpan`); the
page says "2 reports cover October 2024" (the partial ``pages/_dates.html``), each date
written by Babel's calendar data for the interface language: one day ("1 April 2025",
«1 красавіка 2025 г.»), a month («кастрычнік 2024»), a span of months ("July –
September 2024", «июль — сентябрь 2024 г.») or a month of any year.
"""

from __future__ import annotations

import calendar
import datetime as dt

from babel.dates import format_interval
from flask import Flask
from flask_babel import format_date, get_locale, gettext

from indexer.records import DateSpan


def date_label(span: DateSpan) -> str:
    """``span`` written out in the interface language."""
    first, last = span.first, span.last
    if first is None or last is None:
        month = format_date(dt.date(2000, span.month or 1, 1), "LLLL")
        return gettext("%(month)s (any year)", month=month)
    if first == last:
        return format_date(first, "long")
    whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_months and (first.year, first.month) == (last.year, last.month):
        return format_interval(first, first, "yMMMM", locale=get_locale())
    skeleton = "yMMMM" if whole_months else "yMMMMd"
    return format_interval(first, last, skeleton, locale=get_locale())


def date_attribute(span: DateSpan) -> str | None:
    """The HTML ``datetime`` value of ``span``: a day, a month, or ``None`` (HTML has
    no value for a span of months or a month of any year)."""
    first, last = span.first, span.last
    if first is None or last is None:
        return None
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return first.isoformat()[:7]
    return None


def init_app(app: Flask) -> None:
    """Make :func:`date_label` and :func:`date_attribute` available to every template."""
    app.jinja_env.globals.update(date_label=date_label, date_attribute=date_attribute)
