"""Numbers as people type them in a query: counts in words, ordinals, abbreviations.

The reports write counts in digits ("30,000", «29 492») and in words ("three States",
«трёх государств», «двух миллионов»).  A query may write them either way, so a run
of query words is read here, left to right, into :class:`Reading` parts:

* a **count** (:class:`Count`): number words, digits and multipliers that make one
  number ("thirty thousand", «тридцать тысяч», «трыццаць тысяч», "one hundred and
  five", «семьсот семнадцать», "1,5 млн", "30 тыс."), with its value;
* an **ordinal of a report** (:class:`Ordinal`): "ninth", "9th", «девятый», «9-й»,
  «дзявяты», «9-ы» followed by a noun naming a report ("ninth report", «девятый
  доклад», "fourth progress report");
* an **abbreviation** (:class:`Abbreviation`): «млн», «тыс.», «ст.», «п.», «г.»,
  ``No.``, ``art.``, ``para.``, read as the word it stands for;
* any other word (:class:`Word`).

The number words come from ``num2words`` (English; Russian in every case and gender;
Belarusian in the nominative), turned around into tables of word -> value once per
process; Belarusian case forms, multiplier spellings, report nouns and abbreviations
are in ``numberwords.yaml``.  This module is pure (no Whoosh): :mod:`indexer.readings`
turns readings into query clauses.  A lone "one" (or «один», «адзін») is a word, not a
count: it is a pronoun as often as a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from num2words import num2words

from indexer.analysis import analyze, normalise_word
from indexer.languages import ALL_LANGS, Lang

DATA = Path(__file__).with_name("numberwords.yaml")
MAX_ORDINAL = 20  # ordinals read in words ("first" to "twentieth")
_SIMPLE = [*range(1, 21), *range(30, 100, 10), *range(100, 1000, 100)]
_RU_CASES = ("n", "g", "d", "a", "i", "p")
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_REPORT_NUMBER_RE = re.compile(r"[1-9]\d?")  # a report's number, not a year


@dataclass(frozen=True)
class Word:
    """A word read as itself."""

    text: str


@dataclass(frozen=True)
class Count:
    """A number the query writes in words, digits or both; ``text`` as typed."""

    text: str
    value: int | float
    # When the number is a count times a multiplier ("thirty thousand", "1,5 млн"):
    # the count and the multiplier, to find the text's own "30 тысяч", «1,5 миллиона».
    count: int | float | None = None
    multiplier: int | None = None


@dataclass(frozen=True)
class Ordinal:
    """An ordinal before a noun naming a report: ``number`` and the noun, as typed."""

    text: str
    number: int


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation and the word it stands for in each language it is used in."""

    text: str
    words: dict[Lang, str] = field(hash=False)


Reading = Word | Count | Ordinal | Abbreviation


@dataclass(frozen=True)
class Tables:
    cardinals: dict[str, int]  # normalised word -> value
    multipliers: dict[str, int]  # normalised word -> 100, 1000, ...
    joiners: frozenset[str]
    ordinals: dict[Lang, dict[str, int]]  # analysed stem -> number
    report_nouns: dict[Lang, frozenset[str]]  # analysed stems
    noun_slop: int
    ordinal_suffix_re: re.Pattern
    abbreviations: dict[str, tuple[bool, dict[Lang, str]]]  # abbr -> (needs dot, words)
    number_signs: frozenset[str]  # "No.", "№", «номер» between a report noun and its number


def _words_of(value: int, lang: Lang, **kwargs) -> list[str]:
    return [normalise_word(w) for w in num2words(value, lang=lang.value, **kwargs).split()]


@cache
def tables() -> Tables:
    """The reading tables, built once per process from num2words and the data file."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    cardinals: dict[str, int] = {}
    multipliers: dict[str, int] = {}
    for lang in ALL_LANGS:
        variants: list[dict] = [{}]
        if lang is Lang.RU:
            variants = [{"case": c, "gender": g} for c in _RU_CASES for g in ("m", "f")]
        elif lang is Lang.BE:
            variants = [{"gender": g} for g in ("m", "f", "n")]
        for kwargs in variants:
            for value in _SIMPLE:
                words = [w for w in _words_of(value, lang, **kwargs) if w != "and"]
                # "one hundred": hundred is a multiplier; «сто», «двести» are cardinals.
                if len(words) == 1:
                    cardinals.setdefault(words[0], value)
                elif value == 100 and len(words) == 2:
                    multipliers[words[-1]] = 100
            for mult in (1000, 1_000_000):
                for count in (1, 2, 5):
                    multipliers[_words_of(count * mult, lang, **kwargs)[-1]] = mult
    for value, forms in data["be_forms"].items():
        for form in forms:
            cardinals.setdefault(normalise_word(form), int(value))
    for value, forms in data["multipliers"].items():
        for form in forms:
            multipliers[normalise_word(form)] = int(value)
    ordinals: dict[Lang, dict[str, int]] = {lang: {} for lang in ALL_LANGS}
    for lang in ALL_LANGS:
        for number in range(1, MAX_ORDINAL + 1):
            for stem in analyze(num2words(number, lang=lang.value, to="ordinal"), lang)[-1:]:
                ordinals[lang].setdefault(stem, number)
    nouns = {
        Lang(code): frozenset(t for w in forms for t in analyze(w, Lang(code)))
        for code, forms in data["report_nouns"].items()
    }
    suffixes = "|".join(sorted({re.escape(s) for s in data["ordinal_suffixes"]}, key=len)[::-1])
    abbreviations = {
        normalise_word(entry["abbr"]): (
            bool(entry.get("dot")),
            {Lang(k): v for k, v in entry.items() if k in {x.value for x in ALL_LANGS}},
        )
        for entry in data["abbreviations"]
    }
    return Tables(
        cardinals=cardinals,
        multipliers=multipliers,
        joiners=frozenset(normalise_word(w) for w in data["joiners"]),
        ordinals=ordinals,
        report_nouns=nouns,
        noun_slop=int(data["report_noun_slop"]),
        ordinal_suffix_re=re.compile(rf"(\d{{1,2}})-?(?:{suffixes})", re.IGNORECASE),
        abbreviations=abbreviations,
        number_signs=frozenset(normalise_word(w) for w in data["number_signs"]),
    )


def _lang_of(word: str) -> tuple[Lang, ...]:
    """The languages whose analyser reads ``word``: Cyrillic as be and ru, else en."""
    return (Lang.BE, Lang.RU) if _CYRILLIC_RE.search(word) else (Lang.EN,)


def number_value(word: str) -> int | float | None:
    """The value of one typed number word or number in digits, else None."""
    norm = normalise_word(word.rstrip("."))
    if _DIGITS_RE.fullmatch(norm):
        value = float(norm)
        return int(value) if value.is_integer() else value
    return tables().cardinals.get(norm)


def _multiplier(word: str) -> int | None:
    return tables().multipliers.get(normalise_word(word.rstrip(".")))


def ordinal_number(word: str) -> int | None:
    """The number of an ordinal word ("ninth", «девятага», "9th", «9-ы»), else None."""
    match = tables().ordinal_suffix_re.fullmatch(word.strip("."))
    if match:
        return int(match.group(1))
    for lang in _lang_of(word):
        stems = analyze(word, lang)
        if len(stems) == 1 and stems[0] in tables().ordinals[lang]:
            return tables().ordinals[lang][stems[0]]
    return None


def is_report_noun(word: str) -> bool:
    """Whether ``word`` names a report in any language ("report", «доклада», «справаздача»)."""
    t = tables()
    return any(
        len(stems := analyze(word, lang)) == 1 and stems[0] in t.report_nouns[lang]
        for lang in ALL_LANGS
    )


def is_number_word(word: str) -> bool:
    """Whether ``word`` is a number word, a multiplier or an ordinal in words: such words
    are read here and never dropped as stop words."""
    norm = normalise_word(word.rstrip("."))
    t = tables()
    if t.cardinals.get(norm, 1) != 1 or norm in t.multipliers:
        return True  # a lone "one" is a word (see read_words)
    return any(
        len(stems := analyze(norm, lang)) == 1 and stems[0] in t.ordinals[lang]
        for lang in _lang_of(norm)
    )


def abbreviation(word: str) -> dict[Lang, str] | None:
    """The words an abbreviation stands for ("ст." -> статья), else None."""
    bare = word[:-1] if word.endswith(".") else word
    entry = tables().abbreviations.get(normalise_word(bare)) if bare else None
    if entry is None:
        return None
    needs_dot, words = entry
    return words if word.endswith(".") or not needs_dot else None


def _count(words: list[str], start: int) -> tuple[int, Count] | None:
    """The count beginning at ``words[start]``: (its end, the count), if any."""
    t = tables()
    total: float = 0
    current: float = 0
    end = start
    strong = False  # more than a lone "one": a count
    count = multiplier = None
    i = start
    while i < len(words):
        word = words[i]
        pieces = word.split("-") if "-" in word and not word[:1].isdigit() else [word]
        values = [number_value(p) for p in pieces]
        mult = _multiplier(word)
        if all(v is not None for v in values) and mult is None:
            for v in values:
                current += v
            strong = strong or len(values) > 1 or values[0] != 1 or word[:1].isdigit()
        elif mult is not None and i > start:
            if mult == 100:
                current = (current or 1) * 100
            else:
                count, multiplier = current or 1, mult
                total += (current or 1) * mult
                current = 0
            strong = True
        elif normalise_word(word) in t.joiners and (current >= 100 or total) and i + 1 < len(words):
            # "one hundred and five"; "three and four" are two numbers.
            if number_value(words[i + 1]) is None or words[i + 1][:1].isdigit():
                break
        else:
            break
        i += 1
        end = i
    if end == start or not strong or (end - start == 1 and words[start][:1].isdigit()):
        # A number in digits alone is a word as before (see indexer.readings).
        return None
    value = total + current
    value = int(value) if float(value).is_integer() else value
    if multiplier is not None and current:
        count = multiplier = None  # "thirty thousand and five": the value only
    return end, Count(" ".join(words[start:end]), value, count, multiplier)


def _ordinal(words: list[str], start: int) -> tuple[int, Ordinal] | None:
    """At ``start``: an ordinal followed by a report noun (at most one word between),
    or a report noun followed by its number ("report 9", "report No. 9", «доклад № 9»)."""
    number = ordinal_number(words[start])
    if number is not None:
        for end in (start + 2, start + 3):
            if end <= len(words) and is_report_noun(words[end - 1]):
                return end, Ordinal(" ".join(words[start:end]), number)
        return None
    if not is_report_noun(words[start]):
        return None
    end = start + 1
    if end < len(words) and normalise_word(words[end].rstrip(".")) in tables().number_signs:
        end += 1
    if end < len(words) and _REPORT_NUMBER_RE.fullmatch(words[end]):
        return end + 1, Ordinal(" ".join(words[start : end + 1]), int(words[end]))
    return None


def read_words(words: list[str]) -> list[Reading]:
    """``words`` (consecutive plain words of a query, as typed) read into parts."""
    out: list[Reading] = []
    i = 0
    while i < len(words):
        found = _ordinal(words, i) or _count(words, i)
        if found is not None:
            i, reading = found
            out.append(reading)
            continue
        expansion = abbreviation(words[i])
        out.append(Abbreviation(words[i], expansion) if expansion else Word(words[i]))
        i += 1
    return out


def simple_forms(value: int | float) -> dict[Lang, list[str]]:
    """Every word form of ``value`` in each language, when it is one word (2 to 20,
    the tens, the hundreds), else nothing."""
    forms: dict[Lang, list[str]] = {lang: [] for lang in ALL_LANGS}
    if not isinstance(value, int) or value < 2:
        return forms
    for word, v in tables().cardinals.items():
        if v == value:
            langs = _lang_of(word)
            for lang in langs:
                forms[lang].append(word)
    return forms


def multiplier_forms(multiplier: int) -> dict[Lang, list[str]]:
    """Every form of a multiplier in each language (thousand, тысяч, тысячы, ...)."""
    forms: dict[Lang, list[str]] = {lang: [] for lang in ALL_LANGS}
    for word, m in tables().multipliers.items():
        if m == multiplier:
            for lang in _lang_of(word):
                forms[lang].append(word)
    return forms


def digits(value: int | float) -> str:
    """``value`` as the analysers index a number (``30000``, ``1.5``)."""
    return str(value)
