"""Cross-script keys: a romanised skeleton of a stem, the same for a name in any script.

``Lukashenka``, ``Lukashenko``, ``Лукашенко`` and ``Лукашэнка`` are one person;
``Viasna``, ``Вясна`` and ``Весна`` one organisation.  Their stems differ by script,
by romanisation and by Belarusian spelling (akanne: unstressed о written а; э for е;
ў after a vowel; ц and дз for soft т and д).  The key keeps what these spellings agree
on and folds the rest:

- Cyrillic is read letter by letter and Latin by its usual digraphs (``sh``, ``kh``,
  ``zh``, ``ch``, ``ts``), both into one reduced alphabet of consonant classes;
- every run of vowels (with й, j, y, and the soft and hard signs) becomes ``a``, and
  vowels at the end are dropped (stems end differently: ``lukashenk-a``/``лукашэнк``);
- doubled consonants become one.

A word in Belarusian Łacinka or with Polish letters (``Łukašenka``, ``Łukaszenka``,
``katavańnie``: any of :data:`_LACINKA_LETTERS`) is first written in Cyrillic by
``latynkatar``'s Łacinka rules (ł is a hard л, l before a vowel a soft one, ŭ is ў, ć
and ś soft ц and с, cz/sz/ż the Polish spellings of ч/ш/ж), then keyed as the Cyrillic
word: ``Łukašenka`` and ``Лукашэнка`` share their key.  A Latin word without those
letters keeps the English reading (``Lukashenka``: "sh" is ш, "l" is л), which
Łacinka's rules would read otherwise.

So ``lukashenka``, ``лукашенк`` and ``лукашэнк`` all give ``lakasank``.  The key is
deliberately lossy; it is indexed in a low-weight field, and keys shorter than
:data:`MIN_KEY_LENGTH` are not indexed at all (they would join unrelated short words).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

MIN_KEY_LENGTH = 4
VOWEL = "a"

# Cyrillic consonants (Belarusian and Russian) into the key alphabet; the letters of
# _CYRILLIC_VOWELS (vowels, й and the signs) make vowel runs.
_CYRILLIC = {
    "б": "b", "в": "v", "ў": "v", "г": "g", "ґ": "g", "д": "d", "ж": "z", "з": "z",
    "к": "k", "л": "l", "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t",
    "ф": "f", "х": "x", "ц": "t", "ч": "c", "ш": "s", "щ": "s",
}  # fmt: skip
# The soft sign is no sound of its own: it carries nothing, so that the classical
# Belarusian spelling («сьнег», «катаваньне», and Łacinka's ś, ć, ń read through it)
# keys as the standard one.
_CYRILLIC_VOWELS = frozenset("аеёиіїйоуыэюяъ")

# Latin is first rewritten into Cyrillic where it spells one sound with two letters
# (longest first), then both scripts go through one table.  Latin "h" alone stands for
# Belarusian г ("Hrodna"), "kh" for х ("Tsikhanouskaya"), and "u" after a vowel before
# a consonant for Belarusian ў ("Tsikhanouskaya", Ціханоўская).
_LATIN_DIGRAPHS = {
    "shch": "щ", "sch": "щ", "sh": "ш", "zh": "ж", "kh": "х", "ch": "ч", "ts": "ц",
    "tz": "ц", "dz": "д", "ck": "к", "ph": "ф", "th": "т", "x": "кс",
}  # fmt: skip
_DIGRAPH_RE = re.compile("|".join(sorted(_LATIN_DIGRAPHS, key=len, reverse=True)))
_LATIN_U_RE = re.compile("(?<=[aeiouy])u(?=[^aeiouy])")
_BELARUSIAN_DZ_RE = re.compile("дз")
_LATIN = {
    "b": "b", "c": "k", "d": "d", "f": "f", "g": "g", "h": "g", "k": "k", "l": "l",
    "m": "m", "n": "n", "p": "p", "q": "k", "r": "r", "s": "s", "t": "t", "v": "v",
    "w": "v", "z": "z",
}  # fmt: skip
_LATIN_VOWELS = frozenset("aeiouyj")
_VOWEL_MARK = "\0"


# Letters that only Łacinka and Polish spellings use among the scripts keyed here.
_LACINKA_LETTERS = "łśćźńŭžščżŁŚĆŹŃŬŽŠČŻ"
_LACINKA_RE = re.compile(f"[{_LACINKA_LETTERS}]")


@cache
def _lacinka_converter():
    from latynkatar import LatCyrConverter  # 60 ms to import: only when a word needs it

    return LatCyrConverter


def is_lacinka(text: str) -> bool:
    """Whether ``text`` has a letter only Łacinka (or Polish) writes."""
    return _LACINKA_RE.search(text) is not None


def from_lacinka(word: str) -> str:
    """``word`` in Cyrillic when it is written in Łacinka or with Polish letters (see
    the module), else unchanged; lower case."""
    if not _LACINKA_RE.search(word):
        return word
    return _lacinka_converter()(word).convert().lower()


def _letters(word: str) -> str:
    """``word`` in the key alphabet, with a vowel mark for each vowel-like letter."""
    word = from_lacinka(word)
    word = _LATIN_U_RE.sub("ў", word)
    word = _DIGRAPH_RE.sub(lambda m: _LATIN_DIGRAPHS[m.group()], word)
    # Belarusian дз is the soft д of Russian ("Дзмітрый", "Дмитрий").
    word = _BELARUSIAN_DZ_RE.sub("д", word)
    out = []
    for ch in word:
        if ch in _CYRILLIC_VOWELS or ch in _LATIN_VOWELS:
            out.append(_VOWEL_MARK)
        elif ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        elif ch.isalpha():
            # Letters of no table (é, ä, ł ...): a vowel if they decompose to one.
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(_VOWEL_MARK if base in _LATIN_VOWELS else _LATIN.get(base, ""))
        # digits, apostrophes and marks carry no sound of their own
    return "".join(out)


def key(word: str) -> str:
    """Return the romanised skeleton key of a normalised, stemmed word.

    The key is lower-case ASCII, has no doubled letter and does not end in a vowel;
    it is ``""`` for a word with no letters.
    """
    letters = _letters(word)
    out: list[str] = []
    for ch in letters:
        symbol = VOWEL if ch == _VOWEL_MARK else ch
        if out and out[-1] == symbol:
            continue  # a vowel run, or a doubled consonant, counts once
        out.append(symbol)
    while out and out[-1] == VOWEL:
        out.pop()
    return "".join(out)
