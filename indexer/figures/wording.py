"""How a value is written for a reader: "over 3,200", «больш за 3 200», with Babel's
number formats for each language."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from indexer.figures.model import Basis, FigureValue, Qualifier
from indexer.languages import Lang

_QUALIFIERS: dict[Lang, dict[Qualifier, str]] = {
    Lang.EN: {Qualifier.OVER: "over", Qualifier.MORE_THAN: "more than", Qualifier.ABOUT: "about"},
    Lang.BE: {Qualifier.OVER: "больш за", Qualifier.MORE_THAN: "больш за", Qualifier.ABOUT: "каля"},
    Lang.RU: {Qualifier.OVER: "более", Qualifier.MORE_THAN: "более", Qualifier.ABOUT: "около"},
}
_IN_PERIOD: dict[Lang, str] = {
    Lang.EN: "in the period",
    Lang.BE: "за перыяд",
    Lang.RU: "за период",
}


def number_text(value: Decimal, lang: Lang) -> str:
    """``value`` as ``lang`` writes numbers: 3,200 / 3 200 (no-break space)."""
    return format_decimal(value, locale=lang.value)


def value_text(point: FigureValue, lang: Lang) -> str:
    """The value with its qualifier, honestly: "over 3,200", «более 3 200», "2,637"."""
    number = number_text(point.value, lang)
    word = _QUALIFIERS[lang].get(point.qualifier)
    return f"{word} {number}" if word else number


def trend_text(points: tuple[FigureValue, ...], lang: Lang) -> str:
    """The series in a line: "2,637 → 2,775 → over 3,200"; a value for the period
    only says so ("88 (in the period) → 717")."""
    return " → ".join(
        value_text(p, lang) + (f" ({_IN_PERIOD[lang]})" if p.basis is Basis.PERIOD else "")
        for p in points
    )
