"""The figures as data: measures, their values per report, and where each value is said.

A :class:`FigureSet` is what ``corpus/figures.yaml`` becomes once checked against the
summaries (:mod:`indexer.figures.loading`): each value knows its report's date, the
anchor of its paragraph and its quotation in each language (the sentence holding it,
with the number's place in it).  The build stores it in the generation's ``meta.json``
(:meth:`FigureSet.as_meta`) so that figures change together with the index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel import Locale

from indexer.languages import ALL_LANGS, Lang


class Qualifier(StrEnum):
    """How the text qualifies a value: "2,637", "over 3,200", "more than 1,100", "about"."""

    EXACT = "exact"
    OVER = "over"
    MORE_THAN = "more-than"
    ABOUT = "about"


class Basis(StrEnum):
    """A total so far, or a count within the reporting period only."""

    CUMULATIVE = "cumulative"
    PERIOD = "period"


@dataclass(frozen=True)
class Quote:
    """The sentence holding a value in one language; ``text[start:end]`` is the number."""

    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class FigureValue:
    """One report's value of a measure, with where it is said."""

    report: int
    paragraph: int
    value: Decimal
    qualifier: Qualifier = Qualifier.EXACT
    basis: Basis = Basis.CUMULATIVE
    as_of: str = ""  # YYYY-MM or YYYY-MM-DD
    occurrence: int = 1
    note: dict[Lang, str] = field(default_factory=dict)
    line: int | None = None  # in figures.yaml
    # Resolved against the corpus:
    date: dt.date | None = None  # the report's publication date
    anchors: dict[Lang, str] = field(default_factory=dict)
    quotes: dict[Lang, Quote] = field(default_factory=dict)

    @property
    def as_of_date(self) -> dt.date:
        """The last day the value holds for (a month's last day for ``YYYY-MM``)."""
        if len(self.as_of) == 7:
            year, month = int(self.as_of[:4]), int(self.as_of[5:])
            after = dt.date(year + month // 12, month % 12 + 1, 1)
            return after - dt.timedelta(days=1)
        return dt.date.fromisoformat(self.as_of)

    def quote(self, lang: Lang) -> tuple[Lang, Quote]:
        """The quotation in ``lang``, else in English, else in any language."""
        for candidate in (lang, Lang.EN, *ALL_LANGS):
            if candidate in self.quotes:
                return candidate, self.quotes[candidate]
        raise LookupError(f"report {self.report}: no quotation")

    def as_meta(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "paragraph": self.paragraph,
            "value": str(self.value),
            "qualifier": self.qualifier.value,
            "basis": self.basis.value,
            "as_of": self.as_of,
            "occurrence": self.occurrence,
            "note": {k.value: v for k, v in self.note.items()},
            "date": self.date.isoformat() if self.date else None,
            "anchors": {k.value: v for k, v in self.anchors.items()},
            "quotes": {k.value: q.as_dict() for k, q in self.quotes.items()},
        }

    @classmethod
    def from_meta(cls, data: dict[str, Any]) -> FigureValue:
        return cls(
            report=data["report"],
            paragraph=data["paragraph"],
            value=Decimal(data["value"]),
            qualifier=Qualifier(data["qualifier"]),
            basis=Basis(data["basis"]),
            as_of=data["as_of"],
            occurrence=data["occurrence"],
            note={Lang(k): v for k, v in data["note"].items()},
            date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
            anchors={Lang(k): v for k, v in data["anchors"].items()},
            quotes={Lang(k): Quote(**q) for k, q in data["quotes"].items()},
        )


@dataclass(frozen=True)
class Figure:
    """A measure the reports state: its labels, the names people ask for it by, and its
    values in time order (oldest first)."""

    id: str
    label: dict[Lang, str]
    unit: dict[Lang, tuple[str, ...]]  # plural forms: en one, other; be, ru one, few, many
    names: dict[Lang, tuple[str, ...]]
    values: tuple[FigureValue, ...]

    def text(self, what: dict[Lang, str], lang: Lang) -> str:
        return what.get(lang) or what.get(Lang.EN) or self.id

    def unit_for(self, value: Decimal, lang: Lang) -> str:
        """The unit agreeing with ``value`` in ``lang``: "1 request", "4 дзяржавы",
        "6 дзяржаў" (CLDR plural rules; a unit given once never changes)."""
        forms = self.unit.get(lang) or self.unit.get(Lang.EN) or (self.id,)
        if len(forms) == 1:
            return forms[0]
        category = Locale.parse(lang.value).plural_form(value)
        index = {"one": 0, "few": 1}.get(category, len(forms) - 1)
        return forms[min(index, len(forms) - 1)]

    @property
    def latest(self) -> FigureValue:
        return self.values[-1]

    def as_meta(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": {k.value: v for k, v in self.label.items()},
            "unit": {k.value: list(v) for k, v in self.unit.items()},
            "names": {k.value: list(v) for k, v in self.names.items()},
            "values": [v.as_meta() for v in self.values],
        }

    @classmethod
    def from_meta(cls, data: dict[str, Any]) -> Figure:
        return cls(
            id=data["id"],
            label={Lang(k): v for k, v in data["label"].items()},
            unit={Lang(k): tuple(v) for k, v in data["unit"].items()},
            names={Lang(k): tuple(v) for k, v in data["names"].items()},
            values=tuple(FigureValue.from_meta(v) for v in data["values"]),
        )


@dataclass(frozen=True)
class Ignored:
    """A number of a report's summaries that is not a count (a date, an article)."""

    report: int
    value: Decimal
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class FigureSet:
    """Every figure of a corpus (empty when it has no ``figures.yaml``)."""

    figures: tuple[Figure, ...] = ()
    ignored: tuple[Ignored, ...] = ()

    def get(self, figure_id: str) -> Figure | None:
        return next((f for f in self.figures if f.id == figure_id), None)

    def as_meta(self) -> list[dict[str, Any]]:
        """The figures as ``meta.json`` stores them (``ignore`` is for checking only)."""
        return [f.as_meta() for f in self.figures]

    @classmethod
    def from_meta(cls, data: list[dict[str, Any]] | None) -> FigureSet:
        """The figures of a generation's ``meta.json`` (none for one built before them)."""
        return cls(tuple(Figure.from_meta(f) for f in data or ()))
