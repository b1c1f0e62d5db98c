"""Values in a summary's text: its paragraphs as the figures read them, the sentence
holding a number (a figure's quotation), and the words before it that qualify it
("over", «больш за», «более»)."""

from __future__ import annotations

import re

from indexer.figures.model import Qualifier, Quote
from indexer.figures.numbers import Mention

# A sentence ends at . ! ? or … followed by a space and what starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“«(]?[A-ZА-ЯЁІЎ0-9])")
# Words before a number that say it is a lower bound or an estimate, normalised.
_MARKERS: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.OVER: (
        "over",
        "more than",
        "больш за",
        "больш чым",
        "звыш",
        "более",
        "больше",
        "свыше",
        "более чем",
    ),
    Qualifier.ABOUT: (
        "about",
        "around",
        "approximately",
        "nearly",
        "some",
        "каля",
        "прыкладна",
        "амаль",
        "около",
        "примерно",
        "почти",
    ),
}
_MARKERS[Qualifier.MORE_THAN] = _MARKERS[Qualifier.OVER]
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ORDINARY_SPACES = re.compile(r"[ \t\r\n]+")


def said_qualifier(text: str, mention: Mention) -> Qualifier | None:
    """The qualifier the words just before ``mention`` give it, if any."""
    before = " ".join(text[: mention.start].lower().split()[-3:])
    for qualifier in (Qualifier.OVER, Qualifier.ABOUT):
        if any(before.endswith(marker) for marker in _MARKERS[qualifier]):
            return qualifier
    return None


def paragraph_texts(summary: str) -> list[str]:
    """The paragraphs of ``summary`` as :func:`~indexer.paragraphs.split_paragraphs`
    finds them, but with no-break spaces kept (inside numbers: "29\u00a0492"), only
    line breaks and runs of ordinary spaces made one space."""
    parts = (_ORDINARY_SPACES.sub(" ", part).strip() for part in _BLANK_LINE.split(summary))
    return [part for part in parts if part]


def quote_of(text: str, mention: Mention) -> Quote:
    """The sentence of ``text`` holding ``mention``."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.start() >= mention.end:
            return Quote(text[start : boundary.start()], mention.start - start, mention.end - start)
        start = boundary.end()
    return Quote(text[start:], mention.start - start, mention.end - start)
