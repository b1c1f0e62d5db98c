"""Belarusian and Russian names typed in Latin letters, read back into Cyrillic.

People type ``MUS`` for «МУС», ``OON`` for «ООН», ``ABSE`` for «АБСЕ», ``UVKPCh`` for
«УВКПЧ», ``Mezhdunarodny ugolovny sud`` for «Международный уголовный суд». The
cross-script key (:mod:`indexer.translit`) finds long names typed so, but keys shorter
than four letters are not indexed, so an acronym or a short word (``sud``) typed in
Latin found nothing.  The glossary (:mod:`indexer.glossary`) reads a query of Latin
words that names no concept as it stands once more in Cyrillic, by the common
romanisations (BGN/PCGN and ISO 9-like for Russian, the Belarusian national system),
and looks the reading up among the Belarusian and Russian names, analysed as each
language analyses them (so ``Mezhdunarodnogo ugolovnogo suda`` is read in its case
forms too).  Only the glossary reads this way: words are searched as they were typed.

The reading is deliberately simple: each of the two readings is one string, digraphs
first (``shch``, ``zh``, ``kh``, ``ch``, ``sh``, ``ts``, ``ya``, ``yu``...), then letter
by letter.
"""

from __future__ import annotations

import re

from indexer.languages import Lang

_LATIN_WORDS_RE = re.compile(r"[a-z]+(?: [a-z]+)*")

# Shared by both readings, longest first.
_COMMON = {
    "shch": "щ", "sch": "щ", "zh": "ж", "kh": "х", "ch": "ч", "sh": "ш", "ts": "ц",
    "ya": "я", "ja": "я", "yu": "ю", "ju": "ю", "yo": "ё", "jo": "ё",
    "ye": "е", "je": "е",
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "t": "т", "u": "у", "f": "ф", "c": "ц", "w": "в", "x": "кс", "q": "к",
}  # fmt: skip
_RUSSIAN = _COMMON | {
    "iy": "ий", "ii": "ий", "yy": "ый", "yi": "ый", "ij": "ий", "yj": "ый", "ia": "я",
    "iu": "ю",
    "i": "и", "y": "ы", "h": "х",
}  # fmt: skip
_BELARUSIAN = _COMMON | {
    "ia": "я", "iu": "ю", "ie": "е", "io": "ё", "i": "і", "y": "ы", "h": "г",
}  # fmt: skip


def _pattern(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))


_RUSSIAN_RE = _pattern(_RUSSIAN)
_BELARUSIAN_RE = _pattern(_BELARUSIAN)
# Belarusian: "u" after a vowel is ў (Tsikhanouskaya, Maskouski).
_BELARUSIAN_U_RE = re.compile("(?<=[аеёіоуыэюя])у")
# Russian writes no ы after к, г, х: a word-final "y" there is the adjective ending
# «-ий» ("moskovsky" -> «московский»; "ugolovny" -> «уголовны» the dictionary reads).
_RUSSIAN_Y_END_RE = re.compile(r"(?<=[кгх])ы\b")
# A final "ye" after a consonant is the plural ending «-ые» ("politzaklyuchennye"),
# elsewhere «е» ("Yeltsin", "Belyaev").
_PLURAL_YE_RE = re.compile(r"(?<=[bcdfgklmnpqrstvwxz])ye\b")


def cyrillic_readings(text: str) -> list[tuple[Lang, str]]:
    """The Russian and the Belarusian reading of ``text`` when it is Latin words only
    (lower case, single spaces, as the glossary joins query words), else ``[]``."""
    text = text.lower()
    if not _LATIN_WORDS_RE.fullmatch(text):
        return []
    russian = _RUSSIAN_RE.sub(lambda m: _RUSSIAN[m.group()], _PLURAL_YE_RE.sub("ыe", text))
    russian = _RUSSIAN_Y_END_RE.sub("ий", russian)
    belarusian = _BELARUSIAN_RE.sub(lambda m: _BELARUSIAN[m.group()], text)
    belarusian = _BELARUSIAN_U_RE.sub("ў", belarusian)
    return [(Lang.RU, russian), (Lang.BE, belarusian)]
