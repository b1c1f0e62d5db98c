"""Text analysis: normalisation, stemming and the Whoosh analysers for en, be and ru.

This module is the only place analysers are built.  The schema stores them, so the
query side (which parses with ``ix.schema``) gets exactly the index-time chain.
Whoosh pickles analysers into the index, so every callable handed to a filter is a
module-level function (a test pickles them).

Token boundaries are found on the raw text and each token is normalised on its own:
character offsets then still point into the stored text, which the highlighter needs.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate

import Stemmer
from whoosh.analysis import Filter, KeywordAnalyzer, RegexTokenizer, StemFilter

from indexer import morph_ru, stemmer_be, translit
from indexer.languages import Lang

# --- normalisation -----------------------------------------------------------------

# Characters dropped wherever they stand: soft hyphen, zero-width space/joiners, word
# joiner, BOM.  The combining acute and grave are stress marks when they follow a
# Cyrillic letter ("пы́ткі"); they are removed in decomposed form, so that "ѐ" (a
# precomposed Cyrillic е with grave) loses its stress mark too.  Latin "é" keeps its accent.
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_IGNORABLE_RE = re.compile(f"[{_IGNORABLE}]")
_STRESS_RE = re.compile("(?<=[\u0400-\u04ff])[\u0301\u0300]+")
_STRESSED_RE = re.compile("[\u0301\u0300\u0450\u045d\u0400\u040d]")


def _unstress(text: str) -> str:
    if not _STRESSED_RE.search(text):
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _STRESS_RE.sub("", unicodedata.normalize("NFD", text)))


# The apostrophe family; between letters each becomes U+0027 ("сям’я" stays one word).
_APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\uff07"
_APOSTROPHE_RE = re.compile(f"(?<=[^\\W\\d_])[{_APOSTROPHES}](?=[^\\W\\d_])")

# Latin letters that look like Cyrillic ones, replaced inside Cyrillic words only
# ("Лукашэнкi" typed with a Latin i).  Upper case first: Latin "H" looks like "Н"
# but its lower case "h" does not look like "н".
_LOOKALIKES = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
        "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
        "a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у",
    }
)  # fmt: skip
_LOOKALIKE_LATIN = frozenset("ABCEHIKMOPTXYaceiopxy")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_LATIN_RE = re.compile("[A-Za-z]")


def _fix_lookalikes(word: str) -> str:
    if not (_CYRILLIC_RE.search(word) and _LATIN_RE.search(word)):
        return word
    latin = {ch for ch in word if "A" <= ch <= "z" and ch.isalpha()}
    if latin <= _LOOKALIKE_LATIN:
        return word.translate(_LOOKALIKES)
    return word


# Numbers.  A thousands separator is a comma, a dot or a space (ordinary, no-break
# U+00A0, narrow no-break U+202F, thin U+2009) before a group of exactly three digits,
# after a lead of one to three digits that is not 0: "30,000", "30.000", "30 000" and
# "30000" are one token, 30000.  A space separates groups only when the next group has
# exactly three digits and is followed by no further digit, so "2021 2022" (a four-digit
# lead) and "12 2025" stay two numbers.  A comma followed by a space is punctuation, not
# a separator, which keeps a list of years ("2021, 2022") apart.  Any other comma or dot
# is a decimal mark: "1,5" (Russian) and "1.5" (English) are 1.5, "0,500" is 0.500.  A
# dot run that is not thousands ("17.05.2023", "2.7.5") is kept as written.
GROUP_SPACES = " \u00a0\u202f\u2009"
_GROUP_SPACE_RE = re.compile(f"[{GROUP_SPACES}]")
_NO_BREAK = "\u00a0\u202f"  # kept inside numbers when white space is collapsed
_COLLAPSIBLE_RE = re.compile(f"[^\\S{_NO_BREAK}]+")


def collapse_spaces(text: str) -> str:
    """``text`` with each run of white space one space, ends stripped; no-break spaces
    are kept as written ("29\u00a0492" stays unbroken on a page)."""
    return _COLLAPSIBLE_RE.sub(" ", text).strip()


_SPACED_NUMBER = rf"[1-9][0-9]{{0,2}}(?:[{GROUP_SPACES}][0-9]{{3}}(?![0-9]))+(?:[.,][0-9]+)*"
_COMMA_THOUSANDS_RE = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DOT_THOUSANDS_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")


def _normalise_number(token: str) -> str:
    token = _GROUP_SPACE_RE.sub("", token)
    if _COMMA_THOUSANDS_RE.fullmatch(token):
        return token.replace(",", "")
    if _DOT_THOUSANDS_RE.fullmatch(token):
        return token.replace(".", "").replace(",", ".")
    return token.replace(",", ".")


# A word of Latin letters only, or of Cyrillic letters that no rule but case changes
# (not ё, not a stressed ѐ/ѝ): every rule of normalise_word leaves it as it is but lower
# case and the word-initial ў.  Most words of a text are such words.
_PLAIN_WORD_RE = re.compile("[A-Za-z]+|[\u0410-\u044f\u0406\u0456\u040e\u045e]+")


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """Normalise one token as the analysers do (see :func:`normalise`)."""
    if _PLAIN_WORD_RE.fullmatch(word):
        word = word.lower()
        return "у" + word[1:] if word.startswith("ў") else word
    return _normalise_any_word(word)


def _normalise_any_word(word: str) -> str:
    """:func:`normalise_word` rule by rule, for any token."""
    word = _unstress(_IGNORABLE_RE.sub("", word))
    word = _APOSTROPHE_RE.sub("'", word)
    word = _fix_lookalikes(word).lower().replace("ё", "е")
    if word.startswith("ў"):
        # Belarusian "ў" only alternates with "у" after a vowel: fold the word-initial one.
        word = "у" + word[1:]
    if word[:1].isdigit():
        word = _normalise_number(word)
    return word


def normalise(text: str) -> str:
    """Return ``text`` normalised word by word, as the analysers see it.

    NFC; soft hyphens, zero-width characters and stress marks (acute or grave on a
    Cyrillic letter) removed; the apostrophe
    family folded to ``'`` between letters; Latin look-alikes inside Cyrillic words made
    Cyrillic; lower case; ``ё`` -> ``е``; word-initial ``ў`` -> ``у``.  Idempotent.
    """
    text = _unstress(_IGNORABLE_RE.sub("", text))
    text = _APOSTROPHE_RE.sub("'", text)
    return _WORD_RE.sub(lambda m: normalise_word(m.group()), text)


def join_digit_groups(text: str) -> str:
    """``text`` with the spaces inside each number written with space-separated digit
    groups removed ("over 30 000 documents" -> "over 30000 documents"), as the
    tokeniser reads them (see :func:`_normalise_number`); nothing else changes.

    A query parser splits its input at spaces before any analyser sees it, so query
    text is joined first: "30 000" typed must be one number, as it is in the index.
    """
    if not _GROUP_SPACE_RE.search(text):
        return text
    return _WORD_RE.sub(_joined, text)


def _joined(match: re.Match[str]) -> str:
    word = match.group()
    return _GROUP_SPACE_RE.sub("", word) if word[:1].isdigit() else word


# A word: letters or digits, with ignorable characters and combining marks inside it and
# apostrophes between letters; numbers keep their inner separators ("7,500", "1.5",
# "30 000": see _normalise_number).
_WORD_RE = re.compile(
    rf"{_SPACED_NUMBER}"
    rf"|\d+(?:[.,]\d+)*"
    rf"|(?:[^\W_]|[{_IGNORABLE}\u0300-\u036f])+"
    rf"(?:[{_APOSTROPHES}](?:[^\W_]|[{_IGNORABLE}\u0300-\u036f])+)*"
)


class NormaliseFilter(Filter):
    """Whoosh filter applying :func:`normalise_word` to each token; drops emptied tokens."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NormaliseFilter)

    def __hash__(self) -> int:
        return hash(NormaliseFilter)

    def __call__(self, tokens):
        for t in tokens:
            text = normalise_word(t.text)
            if text:
                t.text = text
                yield t


# --- stemming ----------------------------------------------------------------------

# PyStemmer objects are not safe to share between threads: one per thread and language.
# Caching is done here with functools (thread-safe), not by Whoosh's StemFilter cache.
_local = threading.local()


def _snowball(name: str) -> Stemmer.Stemmer:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if name not in stemmers:
        stemmers[name] = Stemmer.Stemmer(name)
    return stemmers[name]


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """Snowball English (Porter2) stem of a normalised word."""
    return _snowball("english").stemWord(word)


# Snowball Russian reads the "-сь" of «Беларусь» as a reflexive ending ("белар") while
# every other case of the word keeps "беларус": the nominative gets its paradigm's stem.
_RU_STEMS = {"беларусь": "беларус"}


@lru_cache(maxsize=200_000)
def stem_ru(word: str) -> str:
    """Snowball Russian stem of a normalised word (:data:`_RU_STEMS` apart): what the
    Russian cross-script key romanises (the term is the lemma, :mod:`indexer.morph_ru`)."""
    return _RU_STEMS.get(word) or _snowball("russian").stemWord(word)


@lru_cache(maxsize=200_000)
def stem_be(word: str) -> str:
    """Belarusian stem of a normalised word (:mod:`indexer.stemmer_be`)."""
    return stemmer_be.stem(word)


_STEMMERS = {Lang.EN: stem_en, Lang.BE: stem_be, Lang.RU: morph_ru.lemma}


def stem(word: str, lang: Lang | str) -> str:
    """Normalise ``word`` and return its term in ``lang`` (a stem; in Russian the lemma);
    raises ``ValueError`` on a bad lang."""
    return _STEMMERS[Lang(lang)](normalise_word(word))


@lru_cache(maxsize=200_000)
def key_en(word: str) -> str:
    """Cross-script key of an English word: its stem, romanised and folded (a word in
    Łacinka is written in Cyrillic first, :func:`indexer.translit.from_lacinka`)."""
    return translit.key(stem_en(translit.from_lacinka(word)))


@lru_cache(maxsize=200_000)
def key_be(word: str) -> str:
    """Cross-script key of a Belarusian word: its stem, romanised and folded."""
    return translit.key(stem_be(translit.from_lacinka(word)))


@lru_cache(maxsize=200_000)
def key_ru(word: str) -> str:
    """Cross-script key of a Russian word: its stem, romanised and folded."""
    return translit.key(stem_ru(translit.from_lacinka(word)))


_KEYERS = {Lang.EN: key_en, Lang.BE: key_be, Lang.RU: key_ru}


class KeyFilter(Filter):
    """Replaces each token by its cross-script key; drops tokens whose key is too short.

    Keys shorter than :data:`translit.MIN_KEY_LENGTH` ("и", "on", "у") would join
    unrelated words across languages, so they are not indexed in the key field.
    """

    def __init__(self, keyfn) -> None:
        self.keyfn = keyfn

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyFilter) and other.keyfn is self.keyfn

    def __hash__(self) -> int:
        return hash((KeyFilter, self.keyfn))

    def __call__(self, tokens):
        for t in tokens:
            key = word_key(t.text, self.keyfn)
            if key is not None:
                t.text = key
                yield t


def word_key(word: str, keyfn) -> str | None:
    """The key ``keyfn`` gives a normalised word in the key field, ``None`` where
    :class:`KeyFilter` drops it (a number, a key too short)."""
    if word[:1].isdigit():
        return None
    key = keyfn(word)
    return key if len(key) >= translit.MIN_KEY_LENGTH else None


# --- analysers ---------------------------------------------------------------------


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(_WORD_RE)


@cache
def analyzer(lang: Lang | str):
    """The Whoosh analyser for the text fields of ``lang``: words, normalised, stemmed
    (Russian: lemmatised, :class:`~indexer.morph_ru.LemmaFilter`)."""
    if Lang(lang) is Lang.RU:
        return _tokenizer() | NormaliseFilter() | morph_ru.LemmaFilter()
    return (
        _tokenizer() | NormaliseFilter() | StemFilter(stemfn=_STEMMERS[Lang(lang)], cachesize=None)
    )


@cache
def key_analyzer(lang: Lang | str):
    """The Whoosh analyser for the cross-script key field of ``lang``."""
    return _tokenizer() | NormaliseFilter() | KeyFilter(_KEYERS[Lang(lang)])


@cache
def plain_analyzer():
    """Words, normalised, not stemmed: for prefix queries and glossary matching."""
    return _tokenizer() | NormaliseFilter()


def analyze(text: str, lang: Lang | str) -> list[str]:
    """Return the index terms of ``text`` in ``lang`` (what the text fields store)."""
    return [t.text for t in analyzer(Lang(lang))(text)]


def words(text: str) -> list[str]:
    """Return the normalised, unstemmed words of ``text``."""
    return [t.text for t in plain_analyzer()(text)]


def cross_script_keys(text: str, lang: Lang | str) -> list[str]:
    """Return the cross-script keys of ``text`` read as ``lang``."""
    return [t.text for t in key_analyzer(Lang(lang))(text)]


# --- one token at a time, for the build ----------------------------------------------


def _stemmed_word(stemfn):
    def term(token: str) -> str | None:
        word = normalise_word(token)
        return stemfn(word) if word else None

    return term


def _keyed_word(keyfn):
    def term(token: str) -> str | None:
        word = normalise_word(token)
        return word_key(word, keyfn) if word else None

    return term


def _plain_word(token: str) -> str | None:
    return normalise_word(token) or None


def token_term(chain):
    """For an analyser of this module (or Whoosh's comma-separated keywords, each match
    stripped), a function giving the term one raw token becomes (``None`` when the chain
    drops it); ``None`` for any other analyser.

    Each filter of these chains reads one token and nothing around it, so a text's terms
    are its tokenizer's matches, each mapped by this function, at the matches' positions:
    the build indexes with it, analysing each distinct token once (see
    :mod:`indexer.build`).  ``chain`` may be an unpickled copy (from an index's schema):
    analysers compare equal by their parts.
    """
    for lang in Lang:
        if chain == analyzer(lang):
            return _stemmed_word(_STEMMERS[lang])
        if chain == key_analyzer(lang):
            return _keyed_word(_KEYERS[lang])
    if chain == plain_analyzer():
        return _plain_word
    if chain == KeywordAnalyzer(commas=True):  # the schema's comma-separated keywords
        return str.strip
    return None


Span = tuple[int, int, str]  # (start, end) in the text, and the term


def analysed_word(word: str, lang: Lang) -> tuple[str, str | None]:
    """(term, cross-script key) in ``lang`` of a normalised, non-empty word: what the
    analysers make of a token normalised to it (the key ``None`` where the key field
    drops it, see :class:`KeyFilter`)."""
    return _STEMMERS[lang](word), word_key(word, _KEYERS[lang])


def spans(text: str, lang: Lang | str, table=None) -> tuple[list[Span], list[Span]]:
    """(start, end, term) of every index term and of every cross-script key of ``text``.

    What ``analyzer(lang)`` and ``key_analyzer(lang)`` give with ``chars=True``: their
    tokenizer's matches, each mapped by :func:`token_term`, in one pass over the words
    without Whoosh's token pipeline (snippets tokenise every summary they show, and the
    pipeline would be most of their cost; ``tests/test_analysis.py`` compares).  With
    ``table`` (a generation's :class:`~indexer.engine.wordtable.WordTable`) each distinct word
    is looked up in what the build analysed, and analysed here only when missing.
    """
    return spans_of_texts([text], lang, table)[0]


# The tokenizer's pattern as one group: ``split`` gives the words and what lies between
# them, so every word's offsets are running sums of lengths (no match object a word).
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})", _WORD_RE.flags)


def spans_of_texts(
    texts: Sequence[str], lang: Lang | str, table=None
) -> list[tuple[list[Span], list[Span]]]:
    """:func:`spans` of each of ``texts`` (one language), each distinct word of them all
    normalised and analysed once (with ``table``: one look-up of them all)."""
    lang = Lang(lang)
    pieces = [_WORD_SPLIT_RE.split(text) for text in texts]
    normalised = {raw: normalise_word(raw) for parts in pieces for raw in parts[1::2]}
    distinct = {word for word in normalised.values() if word}
    if table is not None:
        analysed = table.analysed(distinct, lang, lambda w: analysed_word(w, lang))
    else:
        analysed = {word: analysed_word(word, lang) for word in distinct}
    of_raw = {raw: analysed[word] if word else None for raw, word in normalised.items()}
    out = []
    for parts in pieces:
        # parts: between, word, between, word, ..., between.
        offsets = list(accumulate(map(len, parts), initial=0))
        terms: list[Span] = []
        keys: list[Span] = []
        for start, end, raw in zip(offsets[1:-1:2], offsets[2::2], parts[1::2], strict=True):
            found = of_raw[raw]
            if found is None:
                continue
            term, key = found
            terms.append((start, end, term))
            if key is not None:
                keys.append((start, end, key))
        out.append((terms, keys))
    return out
