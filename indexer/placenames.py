"""Names of countries and territories, by their terms in each language.

Relaxed matching (:mod:`indexer.engine.relax`) may leave out one word that no report
holds, since a question often carries a word the reports put otherwise («опрошено»
beside «интервью»).  A place is not such a word: a query naming a country the reports
never mention (``ICC Venezuela``, «пыток Молдова», ``ABSE Kazakhstan``) asks about
something they do not cover, and a list of the reports that lack it answers nothing.
So an absent part that names a place keeps the relaxed answer empty.

The names are CLDR's (Babel's locale data, the same source as the interface's number
and date formats), one-word names only, each analysed as the index analyses that
language's text, so an inflected form («Молдове», «Казахстане») is known too.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from indexer.analysis import stem
from indexer.languages import ALL_LANGS, Lang


@cache
def _terms(lang: Lang) -> frozenset[str]:
    """The terms of every one-word country or territory name in ``lang``."""
    names = Locale.parse(lang.value).territories
    return frozenset(
        stem(name, lang)
        for code, name in names.items()
        if code.isalpha() and name.replace("’", "").replace("'", "").isalpha()
    )


def names_place(text: str) -> bool:
    """Whether ``text`` (a query part as typed) is one word naming a country or territory
    in any of the three languages."""
    if not text or not text.isalpha():
        return False
    return any(stem(text, lang) in _terms(lang) for lang in ALL_LANGS)
