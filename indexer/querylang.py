"""The language of a Cyrillic query, from the index's own vocabulary.

Letters decide little: most Cyrillic words are written with the letters Belarusian and
Russian share («доказательства», «апрель», «пракурор», «катаванне»), and a Belarusian
typing on a Russian keyboard writes и for і («катаванни»).  So each Cyrillic word of
the query is looked up in both languages' indexed terms (title and summary fields) as
that language's analyser makes it: its Russian lemma among the Russian terms, its
Belarusian stem among the Belarusian ones, and there also with и read as і.  A word
found in one language only is a vote for it; the language with more votes is the
query's.  Words found in both (``суд``) or in neither, numbers, and Latin words vote
for nothing; a Latin word that is no English term votes by its Cyrillic reading
(``MUS`` is «МУС», Russian; see :func:`vocabulary_language`); with no majority the
letters decide, as before
(:func:`indexer.engine.ranking.query_language`).  Latin words with Łacinka letters
(``Łukašenka``, ``katavańni``) are Belarusian.

The reader's language then comes first among a report's versions, as for any query
whose language is known (:mod:`indexer.engine.ranking`).
"""

from __future__ import annotations

import re
from collections.abc import Container

from indexer import schema, translit
from indexer.analysis import stem, words
from indexer.engine.ranking import query_language
from indexer.languages import Lang
from indexer.romanised import cyrillic_readings

_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
MAX_WORDS = 16  # words of a query looked up; a longer query is decided by its first ones

# What holds the index's terms: a Whoosh reader, ``(field, term) in terms``.
Terms = Container[tuple[str, str]]


def _known(word: str, lang: Lang, terms: Terms) -> bool:
    spellings = [word]
    if lang is Lang.BE and "и" in word:
        spellings.append(word.replace("и", "і"))  # a Russian keyboard's и for і
    fields = (schema.title_field(lang), schema.summary_field(lang))
    return any((f, stem(w, lang)) in terms for w in spellings for f in fields)


def _romanised_known(word: str, lang: Lang, terms: Terms) -> bool:
    """Whether the reading of a Latin ``word`` in ``lang`` (:mod:`indexer.romanised`)
    is a term of that language."""
    fields = (schema.title_field(lang), schema.summary_field(lang))
    return any(
        (f, stem(reading, lang)) in terms
        for reading_lang, reading in cyrillic_readings(word)
        if reading_lang is lang
        for f in fields
    )


def vocabulary_language(text: str, terms: Terms) -> Lang | None:
    """Belarusian or Russian, when more of the Cyrillic words of ``text`` are terms of
    that language only; ``None`` when the vocabulary does not decide.

    A Latin word that is no English term but whose Cyrillic reading is a term of one
    language only (``MUS``: «МУС», Russian; ``MKS``: «МКС», Belarusian) votes too."""
    votes = {Lang.BE: 0, Lang.RU: 0}
    for word in words(text)[:MAX_WORDS]:
        if _CYRILLIC_RE.search(word):
            found = [lang for lang in votes if _known(word, lang, terms)]
        elif word.isalpha() and word.isascii() and not _known(word, Lang.EN, terms):
            found = [lang for lang in votes if _romanised_known(word, lang, terms)]
        else:
            continue
        if len(found) == 1:
            votes[found[0]] += 1
    if votes[Lang.BE] == votes[Lang.RU]:
        return None
    return Lang.BE if votes[Lang.BE] > votes[Lang.RU] else Lang.RU


def reader_language(text: str, interface: Lang, terms: Terms | None = None) -> Lang:
    """The language a query is typed in: from the index's vocabulary for Cyrillic
    words (:func:`vocabulary_language`); Belarusian for Latin words with Łacinka letters
    (ł, ŭ, ś ...: ``Łukašenka``); else from its letters, else ``interface``."""
    if translit.is_lacinka(text) and not _CYRILLIC_RE.search(text):
        return Lang.BE
    if terms is not None:
        found = vocabulary_language(text, terms)
        if found is not None:
            return found
    return query_language(text, interface)
