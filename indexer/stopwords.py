"""Query stop words: words never required in a query, in English, Belarusian and Russian.

A question or a sentence typed as a query ("where did the platform send evidence",
«какие запросы получила платформа», «колькі сведак апытана») is searched by its
meaningful words: question words, auxiliaries, articles, prepositions, pronouns and
particles are left out of what a document must hold (:mod:`indexer.query`).  They
still count inside quotes (``"Platform for Belarus"``) and inside a glossary name
("Human Rights Council", "Office of the Prosecutor"), which are matched before single
words; a query of stop words only ("who are we") is searched as typed.

The lists: ``stop-words`` (PyPI) for English and Russian, with the additions and
exceptions of ``stopwords.yaml`` (which says why); Belarusian is ours, as no kept
package has it.  A Latin word is looked up in the English list, a Cyrillic word in
the Belarusian and Russian ones.  Number words and ordinals are never stop words: they
are read as numbers (:mod:`indexer.numberwords`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from stop_words import get_stop_words

from indexer.analysis import normalise_word, words
from indexer.numberwords import is_number_word

DATA = Path(__file__).with_name("stopwords.yaml")
_LATIN_RE = re.compile(r"[A-Za-z]")


@cache
def stop_word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(Latin-script stop words, Cyrillic-script stop words), normalised as the
    analysers normalise words (lower case, ё -> е, word-initial ў -> у)."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def norm(items) -> set[str]:
        return {normalise_word(w) for w in items}

    latin = norm(get_stop_words("en")) | norm(data["add"]["en"])
    latin -= norm(data["keep"]["en"])
    cyrillic = norm(get_stop_words("ru")) | norm(data["add"]["ru"]) | norm(data["add"]["be"])
    cyrillic -= norm(data["keep"]["ru"])
    latin = {w for w in latin if not is_number_word(w)}
    cyrillic = {w for w in cyrillic if not is_number_word(w)}
    return frozenset(latin), frozenset(cyrillic)


def is_stop_word(typed: str) -> bool:
    """Whether the query word ``typed`` (one word as typed: "What's", «Ці») carries no
    meaning in a query: each of its words is a stop word of its script."""
    parts = words(typed)
    if not parts:
        return False
    latin, cyrillic = stop_word_lists()
    return all(w in (latin if _LATIN_RE.search(w) else cyrillic) for w in parts)
