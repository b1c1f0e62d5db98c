"""Numbers in a summary, however they are written: digits or words, in en, be, ru.

A *mention* is a number in a text with where it is: ``2,637``, ``2 637`` (any space
the analysers accept inside a number) and ``2637`` are 2637, as search reads them
(:func:`indexer.analysis.normalise_word`); ``four``, «чатырма», «четырёх» are 4;
a number followed by a scale word is one mention of their product: "two million",
«два мільёны», "1.5 million", «1,5 миллиона» are 2,000,000 and 1,500,000.  Ordinals
("fourth", «сёмы») are not counts and are not mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indexer.analysis import normalise_word, plain_analyzer

# Cardinal numbers as words, every inflected form the summaries may use, normalised as
# the analysers normalise words (lower case, ё -> е, apostrophes folded).
_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "one",
        "адзін",
        "адна",
        "адно",
        "аднаго",
        "адной",
        "аднаму",
        "адным",
        "адну",
        "один",
        "одна",
        "одно",
        "одного",
        "одной",
        "одному",
        "одним",
        "одну",
        "одном",
    ),
    2: ("two", "два", "дзве", "двух", "дзвюх", "двум", "дзвюм", "двума", "дзвюма", "две", "двумя"),
    3: ("three", "тры", "трох", "тром", "трыма", "три", "трех", "трем", "тремя"),
    4: (
        "four",
        "чатыры",
        "чатырох",
        "чатыром",
        "чатырма",
        "четыре",
        "четырех",
        "четырем",
        "четырьмя",
    ),
    5: ("five", "пяць", "пяці", "пяццю", "пять", "пяти", "пятью"),
    6: ("six", "шэсць", "шасці", "шасцю", "шесть", "шести", "шестью"),
    7: ("seven", "сем", "сямі", "сямю", "семь", "семи"),
    8: ("eight", "восем", "васьмі", "васьмю", "восемь", "восьми", "восемью"),
    9: ("nine", "дзевяць", "дзевяці", "дзевяццю", "девять", "девяти", "девятью"),
    10: ("ten", "дзесяць", "дзесяці", "дзесяццю", "десять", "десяти", "десятью"),
    11: ("eleven", "адзінаццаць", "адзінаццаці", "одиннадцать", "одиннадцати"),
    12: ("twelve", "дванаццаць", "дванаццаці", "двенадцать", "двенадцати"),
    20: ("twenty", "дваццаць", "дваццаці", "двадцать", "двадцати"),
    100: ("hundred", "сто"),
}
_SCALES: dict[int, tuple[str, ...]] = {
    1_000: ("thousand", "thousands", "тысяча", "тысячы", "тысяч", "тысячи"),
    1_000_000: (
        "million",
        "millions",
        "мільён",
        "мільёна",
        "мільёны",
        "мільёнаў",
        "миллион",
        "миллиона",
        "миллионов",
    ),
    1_000_000_000: (
        "billion",
        "мільярд",
        "мільярда",
        "мільярдаў",
        "миллиард",
        "миллиарда",
        "миллиардов",
    ),
}
WORD_VALUES: dict[str, int] = {normalise_word(w): n for n, forms in _WORDS.items() for w in forms}
SCALE_VALUES: dict[str, int] = {normalise_word(w): n for n, forms in _SCALES.items() for w in forms}


@dataclass(frozen=True)
class Mention:
    """A number in a text: its value and its characters ``text[start:end]``."""

    value: Decimal
    start: int
    end: int


def number_of(word: str) -> Decimal | None:
    """The value of one normalised word (``"2637"``, ``"1.5"``, ``"four"``), else ``None``."""
    if word in WORD_VALUES:
        return Decimal(WORD_VALUES[word])
    if word[:1].isdigit():
        try:
            return Decimal(word)
        except InvalidOperation:  # a date such as 17.05.2023 stays a word
            return None
    return None


def mentions(text: str) -> list[Mention]:
    """Every number of ``text`` in order, a number and its scale word joined."""
    tokens = [(t.text, t.startchar, t.endchar) for t in plain_analyzer()(text, chars=True)]
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        word, start, end = tokens[i]
        value = number_of(word)
        if value is None:
            if word in SCALE_VALUES:  # "a million" on its own
                found.append(Mention(Decimal(SCALE_VALUES[word]), start, end))
            i += 1
            continue
        if i + 1 < len(tokens) and tokens[i + 1][0] in SCALE_VALUES:
            value *= SCALE_VALUES[tokens[i + 1][0]]
            end = tokens[i + 1][2]
            i += 1
        found.append(Mention(tidy(value), start, end))
        i += 1
    return found


def tidy(value: Decimal) -> Decimal:
    """``value`` without exponent: ``Decimal("1.5E+6")`` is ``Decimal("1500000")``."""
    value = value.normalize()
    return Decimal(int(value)) if value == value.to_integral_value() else value


def same_number(a: Decimal | int | float, b: Decimal | int | float) -> bool:
    """Whether two numbers are equal (``1.5E+6`` is ``1500000``)."""
    return Decimal(str(a)) == Decimal(str(b))


def plain(value: Decimal) -> str:
    """``value`` written without exponent or trailing zeros: ``1500000``, ``1.5``."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
