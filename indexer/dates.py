"""Dates as people type them in a query, in English, Belarusian and Russian.

:mod:`indexer.months` knew a month and a year ("September 2024", «верасня 2024»,
``2024-09``).  This module reads, among a run of plain query words:

- a month and a year in either order ("2024 October", «2024 кастрычнік»), or numerically
  (``10.2024``, ``10/2024``, ``2024-10``);
- a day: ``1.4.2025``, ``01.04.2025``, ``1/4/2025`` (day first, as in Belarus, unless only
  month-first makes sense), ``2025-04-01``, "1 April 2025", "April 1, 2025",
  «1 апреля 2025», «1 красавіка 2025»;
- a span of months: "April to September 2024", «с апреля по сентябрь 2024»; halves
  ("H2 2023", "second half of 2023", «вторая половина 2023 года», «другое паўгоддзе
  2023»), quarters ("Q3 2024", «третий квартал 2024», «III квартал 2024») and seasons
  next to a year ("autumn 2024", «осенью 2024», «увосень 2024»; winter YEAR is December
  of the year before to February, the winter most of which lies in YEAR);
- a month without a year after a preposition («за октябрь», «в октябре», «ў кастрычніку»,
  "in October"): that month of any year.

A preposition before a date («в октябре 2024», "in October 2024") and «года»/«г.»/"year"
after it belong to it.  Each date is a :class:`DateMention`; :meth:`DateMention.keys` are
the keywords the build indexes for each report (:func:`report_date_keys`): a report holds
a date when its reporting period or its publication falls in it, and holds a day when its
reporting period contains the day's month or it was published that day.  Hand-written:
``dateparser`` reads whole strings (not dates among other words), knows no halves,
quarters or Belarusian seasons, and costs milliseconds a call (see the README).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from indexer.analysis import words
from indexer.languages import Lang
from indexer.months import ENGLISH_MONTHS, FORMS, report_months
from indexer.records import MAX_YEAR, MIN_YEAR, DateSpan
from indexer.seasons import SEASON_FORMS, SEASON_STARTS

PERIOD_PREFIX = "period:"  # a month of a report's reporting period: period:2024-10
PUBLISHED_PREFIX = "published:"  # the day a report was published: published:2024-11-07
ANY_YEAR_PREFIX = "--"  # a month of any year (ISO 8601's --MM): --10

_MONTH_OF_WORD: dict[str, int] = {f: m for forms in FORMS.values() for f, m in forms.items()}
_YEAR_WORDS = frozenset({"года", "год", "году", "г", "year", "гады", "годзе"})
_PREPOSITIONS = frozenset({"in", "during", "for", "on", "в", "во", "за", "на", "у"})
_FROM_WORDS = frozenset({"from", "between", "с", "со", "з", "ад", "от"})
_TO_WORDS = frozenset(
    {"to", "till", "until", "through", "and", "по", "па", "до", "да", "-", "–", "—"}
)
_OF_WORDS = frozenset({"of", "the"})

_ORDINALS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("first", "1st", "i", "1", "перв", "перш")),
    (2, ("second", "2nd", "ii", "2", "втор", "друг")),
    (3, ("third", "3rd", "iii", "3", "трет", "трэц")),
    (4, ("fourth", "4th", "iv", "4", "четверт", "чацверт")),
)
_HALF_STEMS = ("half", "половин", "полугод", "палов", "паўгодд", "паугодд")
_QUARTER_STEMS = ("quarter", "квартал")
_DAY_SUFFIX_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th|-?го|-?е|-?га|-?ы|-?ое)?")
_ISO_DAY_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DAY_RE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})")
_YEAR_MONTH_RE = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MONTH_YEAR_RE = re.compile(r"(\d{1,2})[./](\d{4})")
_PART_RE = re.compile(r"([hq])([1-4])")
_PART_YEAR_RE = re.compile(r"([hq])([1-4])[-/ ]?(\d{4})|(\d{4})[-/ ]?([hq])([1-4])")
_TRIM = ".,;:!?()«»\"'"


@dataclass(frozen=True)
class DateMention:
    """A date named by words ``start``..``end`` (exclusive) of a run of plain query words.

    ``first``..``last`` are the days it covers, both included; both are ``None`` for a
    month of any year (``month``).  ``day`` says it names one day."""

    start: int
    end: int
    text: str
    first: dt.date | None
    last: dt.date | None
    month: int | None = None
    day: bool = False

    @property
    def span(self) -> DateSpan:
        """The date as the search result reports it."""
        return DateSpan(
            self.text, self.first, self.last, self.month if self.first is None else None
        )

    @property
    def month_key(self) -> str | None:
        """``YYYY-MM`` when the date is exactly one month of one year (as months were)."""
        if self.day or self.first is None or self.last is None:
            return None
        if (self.first.year, self.first.month) != (self.last.year, self.last.month):
            return None
        return f"{self.first.year:04d}-{self.first.month:02d}"

    def keys(self) -> list[str]:
        """The indexed keywords any of which makes a report hold this date."""
        if self.first is None or self.last is None:
            return [f"{ANY_YEAR_PREFIX}{self.month:02d}"]
        if self.day:
            return [
                f"{PERIOD_PREFIX}{self.first:%Y-%m}",
                f"{PUBLISHED_PREFIX}{self.first:%Y-%m-%d}",
            ]
        return [f"{y:04d}-{m:02d}" for y, m in _months(self.first, self.last)]

    def names(self, lang: Lang) -> list[str]:
        """The date written out in ``lang``, as a text may name it ("верасня 2024",
        "1 April 2025"): only for one month or one day of a year."""
        if self.first is None or (self.month_key is None and not self.day):
            return []
        year, month, day = self.first.year, self.first.month, self.first.day
        forms = [f for f, m in FORMS[lang].items() if m == month]
        if lang is Lang.EN:
            forms = [ENGLISH_MONTHS[month - 1]]  # texts spell the month out
        if not self.day:
            return [f"{form} {year}" for form in forms]
        found = [f"{day} {form} {year}" for form in forms]
        return found + [f"{form} {day} {year}" for form in forms] if lang is Lang.EN else found


def _months(first: dt.date, last: dt.date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_span(year: int, month: int, months: int = 1) -> tuple[dt.date, dt.date]:
    """The days of ``months`` months from ``month`` of ``year`` (months may pass December)."""
    end_year, end_month = divmod(year * 12 + month - 1 + months - 1, 12)
    last_day = calendar.monthrange(end_year, end_month + 1)[1]
    return dt.date(year, month, 1), dt.date(end_year, end_month + 1, last_day)


def _word(text: str) -> str | None:
    """The one normalised word of a typed token (``None`` for none or several)."""
    found = words(text)
    return found[0] if len(found) == 1 else None


def _year_of(text: str) -> int | None:
    word = text.strip(_TRIM)
    if not re.fullmatch(r"\d{4}", word):
        return None
    year = int(word)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _day_of(text: str) -> int | None:
    match = _DAY_SUFFIX_RE.fullmatch(text.strip(_TRIM).lower())
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 31 else None


def _month_of(text: str) -> int | None:
    word = _word(text)
    return _MONTH_OF_WORD.get(word) if word else None


def _ordinal(text: str) -> int | None:
    word = text.strip(_TRIM).lower().replace("ё", "е")
    if m := re.fullmatch(r"([1-4])(?:-?[a-zа-яі]{1,3})?", word):  # 3rd, 3-й, 3-ім
        return int(m.group(1))
    for number, stems in _ORDINALS:
        for stem in stems:
            # A Latin ordinal or Roman numeral is the whole word; a Cyrillic one begins
            # with its stem («трэцім», «третьем»).
            if (word == stem) if stem.isascii() else word.startswith(stem):
                return number
    return None


def _is(stems: tuple[str, ...], text: str) -> bool:
    word = _word(text)
    return bool(word) and any(word.startswith(s) for s in stems)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class _Reader:
    """Reads the date that begins at one word of a run; each method returns the mention's
    end (exclusive) and its days, or ``None``."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def at(self, i: int) -> str:
        return self.texts[i] if i < len(self.texts) else ""

    def year_end(self, i: int) -> int:
        """``i``, past a «года»/«г.»/"year" that follows a year."""
        return i + 1 if _word(self.at(i)) in _YEAR_WORDS else i

    def numeric(self, i: int):
        token = self.at(i).strip(_TRIM)
        if m := _ISO_DAY_RE.fullmatch(token):
            day = _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return (i + 1, day, day, True) if day and _year_of(m.group(1)) else None
        if m := _NUMERIC_DAY_RE.fullmatch(token):
            a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
            # Day first, as Belarus and Europe write it; month first only when the first
            # number cannot be a month ("4/13/2025").
            day = _day(year, b, a) or (_day(year, a, b) if m.group(2) == "/" else None)
            return (self.year_end(i + 1), day, day, True) if day and _year_of(str(year)) else None
        m = _YEAR_MONTH_RE.fullmatch(token)
        year_month = (m.group(1), m.group(2)) if m else None
        if year_month is None and (m := _MONTH_YEAR_RE.fullmatch(token)):
            year_month = (m.group(2), m.group(1))
        if year_month and _year_of(year_month[0]) and 1 <= int(year_month[1]) <= 12:
            first, last = _month_span(int(year_month[0]), int(year_month[1]))
            return self.year_end(i + 1), first, last, False
        return None

    def part(self, i: int):
        """Halves and quarters: "H2 2023", "2024 Q3", "Q3/2024", "second half of 2023",
        «вторая половина 2023 года», «у трэцім квартале 2024»."""
        token = self.at(i).strip(_TRIM).lower()
        if m := _PART_YEAR_RE.fullmatch(token):
            kind, n, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (
                m.group(5), m.group(6), m.group(4))  # fmt: skip
            return self._part(kind, int(n), _year_of(year), self.year_end(i + 1))
        if m := _PART_RE.fullmatch(token):
            return self._part(m.group(1), int(m.group(2)), _year_of(self.at(i + 1)), i + 2)
        year = _year_of(token)
        if year is not None and (m := _PART_RE.fullmatch(self.at(i + 1).strip(_TRIM).lower())):
            return self._part(m.group(1), int(m.group(2)), year, i + 2)
        number = _ordinal(token)
        if number is None:
            return None
        j = i + 1
        kind = (
            "h"
            if _is(_HALF_STEMS, self.at(j))
            else "q"
            if _is(_QUARTER_STEMS, self.at(j))
            else None
        )
        if kind is None:
            return None
        j += 1
        while _word(self.at(j)) in _OF_WORDS:
            j += 1
        return self._part(kind, number, _year_of(self.at(j)), self.year_end(j + 1))

    def _part(self, kind: str, number: int, year: int | None, end: int):
        if year is None or (kind == "h" and number > 2):
            return None
        months = 6 if kind == "h" else 3
        first, last = _month_span(year, (number - 1) * months + 1, months)
        return self.year_end(end), first, last, False

    def season(self, i: int):
        """A season next to a year: "autumn 2024", "autumn of 2024", «осенью 2024 года»,
        "2024 autumn"."""
        word = _word(self.at(i))
        if word in SEASON_FORMS:
            j = i + 1
            while _word(self.at(j)) in _OF_WORDS:
                j += 1
            year, end = _year_of(self.at(j)), j + 1
        elif (year := _year_of(self.at(i))) is not None:
            word, end = _word(self.at(i + 1)), i + 2
        else:
            return None
        if year is None or word not in SEASON_FORMS:
            return None
        start = SEASON_STARTS[SEASON_FORMS[word]]
        first, last = _month_span(year - 1 if start == 12 else year, start, 3)
        return self.year_end(end), first, last, False

    def named(self, i: int):
        """:meth:`one_named`, or a span from it to another month ("October 2024 to March
        2025", «с октября 2024 по март 2025»)."""
        found = self.one_named(i)
        if found is None or found[3] or not self.is_to(found[0]):
            return found
        until = self.one_named(found[0] + 1)
        if until is None or until[3] or until[2] < found[1]:
            return found
        return until[0], found[1], until[2], False

    def days_until(self, i: int, month: int = 0, day: int = 0, date: dt.date | None = None):
        """A span of days from ``date`` (or ``day`` of ``month`` in the end's year, the
        year before if that would come after the end) to a day after a "to"/«по» at
        ``i``: "1 October 2023 to 31 March 2024", «з 1 красавіка па 30 верасня 2025»."""
        if not self.is_to(i):
            return None
        until = self.one_named(i + 1)
        if until is None or not until[3]:
            return None
        last = until[2]
        first = date or _day(last.year, month, day)
        if first is not None and date is None and first > last:
            first = _day(last.year - 1, month, day)
        if first is None or first > last:
            return None
        return until[0], first, last, first == last

    def is_to(self, i: int) -> bool:
        return _word(self.at(i)) in _TO_WORDS or self.at(i).strip() in _TO_WORDS

    def one_named(self, i: int):
        """A month name with a year and perhaps a day, in either order ("1 April 2025",
        "April 1, 2025", "October 2024", "2024 October"), or a span of months ("April to
        September 2024", «с апреля по сентябрь 2024»)."""
        day = _day_of(self.at(i))
        if day is not None and (month := _month_of(self.at(i + 1))):
            year = _year_of(self.at(i + 2))
            date = _day(year, month, day) if year else None
            if date is None:
                # "1 April to 30 September 2025": the year is the end's.
                return self.days_until(i + 2, month, day)
            end = self.year_end(i + 3)
            return self.days_until(end, date=date) or (end, date, date, True)
        if (year := _year_of(self.at(i))) is not None and (month := _month_of(self.at(i + 1))):
            first, last = _month_span(year, month)
            return self.year_end(i + 2), first, last, False
        month = _month_of(self.at(i))
        if month is None:
            return None
        if (day := _day_of(self.at(i + 1))) is not None and (year := _year_of(self.at(i + 2))):
            date = _day(year, month, day)
            return (self.year_end(i + 3), date, date, True) if date else None
        if (year := _year_of(self.at(i + 1))) is not None:
            first, last = _month_span(year, month)
            return self.year_end(i + 2), first, last, False
        if self.is_to(i + 1):
            until = self.one_named(i + 2)
            if until and not until[3] and until[1].month == until[2].month:
                end_month = until[2]
                year = end_month.year if month <= end_month.month else end_month.year - 1
                return until[0], dt.date(year, month, 1), until[2], False
        return None


_READERS: tuple[Callable[[_Reader, int], tuple | None], ...] = (
    _Reader.numeric,
    _Reader.part,
    _Reader.season,
    _Reader.named,
)


def find_dates(texts: list[str]) -> Iterator[DateMention]:
    """The dates named in ``texts`` (consecutive plain words of a query), in order; a
    preposition before a date is part of it; matches do not overlap.  A year alone is
    no date, nor is a month alone except after a preposition («за октябрь»)."""
    reader = _Reader(texts)
    i = 0
    while i < len(texts):
        found = _read_at(reader, i)
        if found is None:
            i += 1
            continue
        yield found
        i = found.end


def _read_at(reader: _Reader, i: int) -> DateMention | None:
    texts = reader.texts
    lead = _word(texts[i])
    body = i + 1 if lead in _PREPOSITIONS or lead in _FROM_WORDS else i
    if _word(reader.at(body)) in _OF_WORDS:  # "(in) the second half of 2023"
        body += 1
    for read in _READERS:
        found = read(reader, body)
        if found is not None and found[1] is not None:
            end, first, last, day = found
            return DateMention(i, end, " ".join(texts[i:end]), first, last, None, day)
    if lead in _PREPOSITIONS and (month := _month_of(reader.at(i + 1))) is not None:
        return DateMention(i, i + 2, " ".join(texts[i : i + 2]), None, None, month)
    return None


def bracket_dates(text: str, operators: frozenset[str], syntax: re.Pattern[str]) -> str:
    """``text`` with each date of several words bracketed when the query has operators.

    Whoosh binds ``OR`` tighter than the words around it: "September 2024 OR May 2023"
    would be September AND (2024 OR May) AND 2023, and no date would be left to read.
    A date in brackets stays one operand.  Without ``operators`` in the query nothing
    changes; quoted text is left as it is (a quoted date is a phrase of words); a token
    holding query ``syntax`` or starting with ``+``/``-`` ends a run of words.
    """
    tokens = text.split()
    if '"' in text or not operators & set(tokens):
        return text
    grouped: list[str] = []
    run: list[str] = []

    def flush() -> None:
        i = 0
        for mention in find_dates(run):
            grouped.extend(run[i : mention.start])
            date = run[mention.start : mention.end]
            grouped.append(f"({' '.join(date)})" if len(date) > 1 else date[0])
            i = mention.end
        grouped.extend(run[i:])
        run.clear()

    for token in tokens:
        if token in operators or syntax.search(token) or token[:1] in "+-":
            flush()
            grouped.append(token)
        else:
            run.append(token)
    flush()
    return " ".join(grouped)


def report_date_keys(period_start: str, period_end: str, published: dt.date) -> list[str]:
    """The keywords of a report's dates, each searched by :meth:`DateMention.keys`: the
    months of its period and of its publication (``YYYY-MM``, as before), the same months
    of any year (``--MM``), the months of its period alone (``period:YYYY-MM``) and the
    day of its publication (``published:YYYY-MM-DD``)."""
    months = report_months(period_start, period_end, published)
    period = report_months(period_start, period_end, dt.date.fromisoformat(f"{period_end[:7]}-01"))
    any_year = dict.fromkeys(f"{ANY_YEAR_PREFIX}{m[5:]}" for m in months)
    return (
        months
        + list(any_year)
        + [f"{PERIOD_PREFIX}{m}" for m in period]
        + [f"{PUBLISHED_PREFIX}{published.isoformat()}"]
    )
