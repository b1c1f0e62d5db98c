"""Recovery when the words of a query match nothing: the wrong keyboard layout, typos.

Both are decided from the index's own vocabulary (:class:`Vocabulary`): the surface
words of every title and summary (the ``spelling`` field), their stems in each
language's fields, and the glossary's names.  Nothing is guessed from letter
statistics: a reading is real when the index holds its words.

- *Keyboard layout*: a word typed with the keyboard in the wrong layout — Latin keys
  where the reader meant Russian ЙЦУКЕН or Belarusian (which has і, ў and ’ on the keys
  of Russian и, щ and ъ), or Cyrillic keys where English was meant — is read back key
  by key (``ЩЫСУ`` is OSCE, ``vjcrjdcrbq`` is «московский», ``vfcrjocrfuf`` is
  «маскоўскага», ``ьўысўц`` is "moscow").  The reading is used when every word of the
  query the index does not know becomes a word it knows.
- *Spelling*: each unknown word's indexed neighbours within a small edit distance.  A
  correction is *confident* when one word (one stem: "tortures" and "torture" are one)
  is nearer than every other; the search then runs on it at once.  Otherwise the
  nearest word is only offered ("Did you mean").

Corrections keep the user's capitalisation and everything else they typed (operators,
quotes, other words) as it was.  :func:`recover` only proposes; the search checks that
the corrected query finds something before using it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from whoosh.reading import IndexReader

from indexer import schema
from indexer.analysis import analyze, normalise_word, stem
from indexer.glossary import Glossary
from indexer.languages import ALL_LANGS, Lang
from indexer.stopwords import is_stop_word


class Reason(StrEnum):
    """Why a query was searched in another form."""

    LAYOUT = "layout"
    SPELLING = "spelling"


@dataclass(frozen=True)
class Correction:
    """The query as typed (``source``), as searched (``target``) and why."""

    source: str
    target: str
    reason: Reason

    def as_dict(self) -> dict[str, str]:
        return {"from": self.source, "to": self.target, "reason": self.reason.value}


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` proposes: a correction to search at once, or a suggestion."""

    correction: Correction | None = None
    suggestion: str | None = None


# --- keyboard layouts ----------------------------------------------------------------

# The keys of a US keyboard and what the same keys type in the Russian ЙЦУКЕН layout,
# unshifted and shifted.  The Belarusian layout differs on three keys (below).
_US = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_RU = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"
_BE_KEYS = {"щ": "ў", "Щ": "Ў", "и": "і", "И": "І", "ъ": "’", "Ъ": "’"}
_BE = "".join(_BE_KEYS.get(ch, ch) for ch in _RU)

# '"' types «Э» on a Russian keyboard, but in a query it is the phrase quote: kept.
_SYNTAX = '"'
LATIN_TO: dict[Lang, dict[str, str]] = {
    Lang.RU: {us: ru for us, ru in zip(_US, _RU, strict=True) if us not in _SYNTAX},
    Lang.BE: {us: be for us, be in zip(_US, _BE, strict=True) if us not in _SYNTAX},
}
# Cyrillic typed where Latin was meant: both layouts' keys (they share all the others).
CYRILLIC_TO_LATIN: dict[str, str] = {
    cy: us for table in LATIN_TO.values() for us, cy in table.items() if us.isalpha()
}
CYRILLIC_TO_LATIN["'"] = "]"  # the Belarusian apostrophe, typed as ' too

# A word as typed on one keyboard: its letters and the letter keys of the other layout
# that are punctuation here (",tkfhecm" is «беларусь» on the Latin keys).
_LATIN_TYPED = re.compile(r"[A-Za-z\[\]{};:'<>,.`~]*[A-Za-z][A-Za-z\[\]{};:'<>,.`~]*")
_CYRILLIC_TYPED = re.compile(r"[\u0400-\u04ff'’]*[\u0400-\u04ff][\u0400-\u04ff'’]*")
_EDGE_PUNCTUATION = ",.;:'’`~<>"
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
MIN_LETTERS = 2  # shorter words are left as typed (too many readings are words)


# --- vocabulary ----------------------------------------------------------------------


class Vocabulary:
    """The words an index generation knows, for deciding between readings of a word."""

    def __init__(self, reader: IndexReader, glossary: Glossary | None = None) -> None:
        self.reader = reader
        self.glossary = glossary

    def known(self, word: str) -> bool:
        """Whether the index holds ``word``: as written in some text, by its stem in some
        language, or as a glossary name; a stop word counts as known (it is never
        searched, so never corrected: "how many" stays, «какие» typed on the wrong
        layout reads back)."""
        if (schema.SPELLING, normalise_word(word)) in self.reader or is_stop_word(word):
            return True
        for lang in ALL_LANGS:
            terms = analyze(word, lang)
            fields = (schema.summary_field(lang), schema.title_field(lang))
            if terms and all(any((n, t) in self.reader for n in fields) for t in terms):
                return True
        return self.glossary is not None and self.glossary.lookup([word]) is not None

    def frequency(self, word: str) -> float:
        return self.reader.frequency(schema.SPELLING, word) or 0.0

    def near(self, word: str, maxdist: int) -> list[tuple[int, str]]:
        """Indexed words within ``maxdist`` edits of ``word`` (first letter kept), as
        (distance, word), nearest first, then the more frequent."""
        # Whoosh counts two swapped letters as two edits ("пыкти" for «пытки»): one edit
        # is looked up as two, then measured here.
        reach = maxdist + 1 if maxdist == 1 else maxdist
        found = self.reader.terms_within(schema.SPELLING, word, reach, prefix=1)
        near = [(edit_distance(word, w), w) for w in found if w != word]
        near = [(d, w) for d, w in near if d <= maxdist]
        return sorted(near, key=lambda item: (item[0], -self.frequency(item[1]), item[1]))


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# --- the words of a query ------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


def _spans(text: str, pattern: re.Pattern[str]) -> Iterator[_Span]:
    """The words of ``text`` that a correction may replace: not operators, not excluded
    (``-word``), not prefixes (``word*``)."""
    for match in pattern.finditer(text):
        start, end = match.span()
        word = match.group()
        excluded = text[start - 1 : start] == "-" and text[start - 2 : start - 1] in ("", " ", "(")
        if word in _OPERATORS or excluded or text[end : end + 1] == "*":
            continue
        yield _Span(start, end, word)


def _replace(text: str, replacements: dict[int, tuple[int, str]]) -> str:
    """``text`` with each span starting at a key replaced: ``{start: (end, new)}``."""
    out, last = [], 0
    for start in sorted(replacements):
        end, new = replacements[start]
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


# --- keyboard layout -----------------------------------------------------------------


def _retyped(word: str, table: dict[str, str]) -> list[str]:
    """Readings of ``word`` key by key: whole, then without punctuation at its edges."""
    readings = ["".join(table.get(ch, ch) for ch in word)]
    core = word.strip(_EDGE_PUNCTUATION)
    if core and core != word:
        start = word.index(core)
        inner = "".join(table.get(ch, ch) for ch in core)
        readings.append(word[:start] + inner + word[start + len(core) :])
    return readings


def _reading(vocabulary: Vocabulary, word: str, table: dict[str, str]) -> str | None:
    for reading in _retyped(word, table):
        letters = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", reading)
        if letters and all(vocabulary.known(w) for w in letters) and reading != word:
            return reading
    return None


def layout_correction(vocabulary: Vocabulary, text: str) -> str | None:
    """``text`` with each word the index does not know read back from the other
    keyboard layout, when every such word then becomes a word it knows.

    Latin words are read as Russian, else Belarusian, keys; Cyrillic words as Latin keys.
    """
    spans: list[_Span] = []
    for span in sorted(
        [*_spans(text, _LATIN_TYPED), *_spans(text, _CYRILLIC_TYPED)], key=lambda s: s.start
    ):
        # A word mixing scripts is matched by both patterns: it is left as typed.
        if spans and span.start < spans[-1].end:
            spans.pop()
            continue
        spans.append(span)
    unknown = [s for s in spans if _letters(s.text) >= MIN_LETTERS and not vocabulary.known(s.text)]
    if not unknown:
        return None
    for lang in (Lang.RU, Lang.BE):
        replacements: dict[int, tuple[int, str]] = {}
        for span in unknown:
            cyrillic = _CYRILLIC_TYPED.fullmatch(span.text) is not None
            table = CYRILLIC_TO_LATIN if cyrillic else LATIN_TO[lang]
            reading = _reading(vocabulary, span.text, table)
            if reading is None:
                break
            replacements[span.start] = (span.end, reading)
        else:
            return _replace(text, replacements)
    return None


# --- spelling ------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
MIN_CORRECTED = 3  # shorter words are never corrected
MIN_CONFIDENT = 4  # nor corrected at once below this length
LONG_WORD = 8  # a word this long may be corrected at once two edits away


def max_distance(word: str) -> int:
    """How many edits away a correction of ``word`` may be."""
    return 1 if len(word) < 6 else 2


def _concept(word: str) -> str:
    """Which word ``word`` is, inflection aside: its stem in its script's language."""
    if word.isascii():
        return stem(word, Lang.EN)
    lang = Lang.BE if set(word) & set("іў'") else Lang.RU
    return stem(word, lang)


def cased_like(typed: str, word: str) -> str:
    """``word`` written with the capitalisation of ``typed`` (ICC, Torture, torture)."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _correct(vocabulary: Vocabulary, word: str) -> tuple[str, bool] | None:
    """The correction of one unknown word and whether it is confident, or None."""
    typed = normalise_word(word)
    near = vocabulary.near(typed, max_distance(typed))
    if not near:
        return None
    best_distance, best = near[0]
    nearest = {_concept(w) for d, w in near if d == best_distance}
    confident = (
        len(nearest) == 1
        and len(typed) >= MIN_CONFIDENT
        and (best_distance == 1 or len(typed) >= LONG_WORD)
    )
    return cased_like(word, best), confident


def spelling_correction(vocabulary: Vocabulary, text: str) -> tuple[str, bool] | None:
    """``text`` with its unknown words corrected, and whether every correction is
    confident; None when no word could be corrected.  Glossary names, short words and
    words with digits are left alone."""
    replacements: dict[int, tuple[int, str]] = {}
    confident = True
    for span in _spans(text, _WORD):
        if len(span.text) < MIN_CORRECTED or vocabulary.known(span.text):
            continue
        corrected = _correct(vocabulary, span.text)
        if corrected is None:
            confident = False
            continue
        replacements[span.start] = (span.end, corrected[0])
        confident = confident and corrected[1]
    if not replacements:
        return None
    return _replace(text, replacements), confident


def recover(vocabulary: Vocabulary, text: str, correct: bool = True) -> Recovery:
    """What to do with ``text`` when its words match nothing.

    A layout reading or a confident spelling correction is proposed as a
    :class:`Correction` (only with ``correct``); otherwise the spelling correction,
    if any, is a suggestion.
    """
    if correct:
        layout = layout_correction(vocabulary, text)
        if layout is not None:
            return Recovery(correction=Correction(text, layout, Reason.LAYOUT))
    spelling = spelling_correction(vocabulary, text)
    if spelling is None:
        return Recovery()
    corrected, confident = spelling
    if correct and confident:
        return Recovery(correction=Correction(text, corrected, Reason.SPELLING))
    return Recovery(suggestion=corrected)
