"""Russian words by their dictionary lemma: pymorphy3 with the OpenCorpora dictionary.

Snowball's Russian stemmer cuts endings by rule: it keeps apart forms with a fleeting
or alternating vowel (``пытки``/``пыток``) and joins words of different lemmas that
share a stem.  ``pymorphy3`` looks each word up in the OpenCorpora dictionary shipped in
the ``pymorphy3-dicts-ru`` package (nothing is downloaded at run time) and, for a word
the dictionary lacks, guesses a paradigm from its ending; the index term of a Russian
word is the normal form of its first (most probable) parse, normalised as every term is
(lower case, ``ё`` -> ``е``).  On the Russian-GSD dev lemmas (``make eval-analysis``)
this scores pair recall 0.929 and precision 0.935, against Snowball's 0.811 and 0.794;
taking Snowball for the words the dictionary does not know measured no better (0.929 /
0.932), so the dictionary's guess is kept for them too.

A word without a Cyrillic letter (a number, a Latin acronym in a Russian text) is its
own term, as it was with Snowball, and is never looked up.

The analyser (about 15 MB of dictionary, memory-mapped) is loaded once per process, on
the first word, never at import and never pickled: :class:`LemmaFilter` holds no state,
so Whoosh pickles it into the index schema as a class reference.  Each distinct word is
parsed once per process (:func:`lemma` is cached); the build analyses each distinct
token once anyway (:func:`indexer.analysis.token_term`).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from whoosh.analysis import Filter

_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_lock = threading.Lock()
_analyzer = None


def morph():
    """The process's ``pymorphy3.MorphAnalyzer``, loaded on first use."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                import pymorphy3  # imported here: serving English never pays for it

                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


def dictionary_version() -> str:
    """The installed versions of pymorphy3 and its Russian dictionary (the build's
    fingerprint includes them: another dictionary gives other terms)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("pymorphy3", "pymorphy3-dicts-ru"):
        try:
            found.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return " ".join(found)


def loaded() -> bool:
    """Whether this process has loaded the dictionary (for tests)."""
    return _analyzer is not None


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The index term of a normalised Russian word: its first parse's normal form."""
    if not _CYRILLIC_RE.search(word):
        return word
    normal = morph().parse(word)[0].normal_form
    return normal.lower().replace("ё", "е") or word


class LemmaFilter(Filter):
    """Whoosh filter replacing each (normalised) token by its Russian lemma (:func:`lemma`).

    Stateless: it pickles as a reference to this class, whatever the process has loaded.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LemmaFilter)

    def __hash__(self) -> int:
        return hash(LemmaFilter)

    def __call__(self, tokens):
        for t in tokens:
            t.text = lemma(t.text)
            yield t
