"""Months as dates: the months a report belongs to, and month names typed in a query.

A report belongs to every month of its reporting period (``period.start`` to
``period.end``, each ``YYYY-MM`` or ``YYYY-MM-DD``) and to the month it was published in;
the build indexes these months as ``YYYY-MM`` keywords (:func:`report_months`).

A query names a month as a month name followed by a four-digit year, in any language,
case form and capitalisation ("September 2024", «верасень 2024», «верасня 2024»,
«сентября 2024», "Sept 2024"; a trailing «года»/«г.» belongs to it), or as ``YYYY-MM``
(``2024-09``).  :func:`find_months` finds them among a query's plain words; a year alone
is no month.  The query side reads every date a query names, months among them, with
:mod:`indexer.dates`; what it makes of one is described in :meth:`indexer.query._Builder.date`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.analysis import words
from indexer.languages import Lang
from indexer.records import MAX_YEAR, MIN_YEAR

_YEAR_RE = re.compile(r"\d{4}")
_YEAR_MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_YEAR_WORDS = frozenset({"года", "год", "г"})  # «сентября 2024 года», «верасня 2024 г.»


def _forms(stems: dict[int, str], endings: tuple[str, ...]) -> dict[str, int]:
    return {stem + ending: month for month, stem in stems.items() for ending in endings}


ENGLISH_MONTHS = (
    "january february march april may june july august september october november december"
).split()
# Each month's forms as :func:`indexer.analysis.words` gives them (lower case, ё -> е).
FORMS: dict[Lang, dict[str, int]] = {
    Lang.EN: {name: i for i, name in enumerate(ENGLISH_MONTHS, start=1)}
    | {name[:3]: i for i, name in enumerate(ENGLISH_MONTHS, start=1)}
    | {"sept": 9},
    Lang.RU: _forms(
        {1: "январ", 2: "феврал", 4: "апрел", 6: "июн", 7: "июл", 9: "сентябр",
         10: "октябр", 11: "ноябр", 12: "декабр"},
        ("ь", "я", "ю", "е", "ем"),
    )  # fmt: skip
    | _forms({3: "март", 8: "август"}, ("", "а", "у", "е", "ом"))
    | _forms({5: "ма"}, ("й", "я", "ю", "е", "ем")),
    Lang.BE: _forms(
        {1: "студзен", 6: "чэрвен", 7: "ліпен"}, ("ь", "я", "ю", "ем", "і")
    )
    | _forms({5: "траўн", 8: "жніўн", 9: "верасн", 12: "снежн"}, ("я", "ю", "ем", "і"))
    | {"травень": 5, "жнівень": 8, "верасень": 9, "снежань": 12}
    | _forms({3: "сакавік", 4: "красавік", 10: "кастрычнік"}, ("", "а", "у", "ом", "ам"))
    | _forms({11: "лістапад"}, ("", "а", "у", "ам", "зе"))
    | _forms({2: "лют"}, ("ы", "ага", "аму", "ым")),
}  # fmt: skip
_MONTH_OF_WORD: dict[str, int] = {
    form: month for forms in FORMS.values() for form, month in forms.items()
}


@dataclass(frozen=True)
class MonthMention:
    """A month named in a query: words ``start``..``end`` (exclusive) of a run of plain
    words, as typed (``text``), and the month it names."""

    start: int
    end: int
    text: str
    year: int
    month: int

    @property
    def key(self) -> str:
        """The month as indexed: ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"

    def names(self, lang: Lang) -> list[str]:
        """Every form of the month's name in ``lang`` followed by the year ("верасня 2024")."""
        forms = [form for form, month in FORMS[lang].items() if month == self.month]
        if lang is Lang.EN:
            forms = [ENGLISH_MONTHS[self.month - 1]]  # texts spell the month out
        return [f"{form} {self.year}" for form in forms]


def _year(word: str) -> int | None:
    found = words(word)
    if len(found) != 1 or not _YEAR_RE.fullmatch(found[0]):
        return None
    year = int(found[0])
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _month_name(word: str) -> int | None:
    found = words(word)
    return _MONTH_OF_WORD.get(found[0]) if len(found) == 1 else None


def find_months(texts: list[str]) -> Iterator[MonthMention]:
    """The months named in ``texts`` (consecutive plain words of a query), in order.

    A month is a month name followed by a year (then optionally «года»/«год»/«г.»), or a
    single ``YYYY-MM`` word; matches do not overlap.
    """
    i = 0
    while i < len(texts):
        ym = _YEAR_MONTH_RE.fullmatch(texts[i].strip(".,;:!?"))
        if ym is not None and MIN_YEAR <= int(ym.group(1)) <= MAX_YEAR:
            yield MonthMention(i, i + 1, texts[i], int(ym.group(1)), int(ym.group(2)))
            i += 1
            continue
        month = _month_name(texts[i])
        year = _year(texts[i + 1]) if month is not None and i + 1 < len(texts) else None
        if month is None or year is None:
            i += 1
            continue
        end = i + 2
        if end < len(texts) and words(texts[end]) and words(texts[end])[0] in _YEAR_WORDS:
            end += 1
        yield MonthMention(i, end, " ".join(texts[i:end]), year, month)
        i = end


def _first_day(text: str) -> dt.date:
    return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def report_months(period_start: str, period_end: str, published: dt.date) -> list[str]:
    """The months (``YYYY-MM``) a report belongs to: those of its reporting period, both
    ends included, and the month of its publication."""
    first, last = _first_day(period_start), _first_day(period_end)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    published_month = f"{published.year:04d}-{published.month:02d}"
    if published_month not in months:
        months.append(published_month)
    return months
