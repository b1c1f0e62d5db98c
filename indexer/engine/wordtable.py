"""Every word of a generation analysed once by the build: its term and key in each language.

A snippet tokenises the summary it shows and analyses each of its words: normalised,
stemmed (Belarusian in Python), romanised into a cross-script key
(:func:`indexer.analysis.spans`).  Each distinct word is analysed once per process, but
a fresh process meets every word of its first page for the first time: at 100,000
synthetic documents that was a third of a first search.  The build analysed every word
already; it writes what each word becomes beside the segments, and serving looks up the
words of the summaries it shows (:meth:`WordTable.analysed`, a binary search of all of
them at once in the memory-mapped arrays), analysing only the words the table lacks.

The words are the spelling field's lexicon (``schema.SPELLING``: every word of every
title and summary, normalised by the plain analyser), so every word of a summary is in
the table but a longer one than :data:`MAX_BYTES`.  Layout (files of :data:`FILES`):

- ``words.npy``: the words, UTF-8, sorted, fixed width (``|S<n>``);
- ``words-<lang>-term.npy``: per word its term in ``lang``'s text fields (its stem);
- ``words-<lang>-key.npy``: per word its key in ``lang``'s key field, empty where that
  field drops the word (a number, a key shorter than ``translit.MIN_KEY_LENGTH``).

The table is the build's analysis, as the generation's terms are;
``tests/test_derived.py`` checks that each summary's spans are those of analysing it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from indexer import schema
from indexer.analysis import analysed_word
from indexer.languages import ALL_LANGS, Lang

WORDS = "words.npy"
MAX_BYTES = 48  # longer words (rare) are left out of the table: analysed when met
MEMO_WORDS = 200_000  # words a table remembers per language before starting over


def _term_file(lang: Lang) -> str:
    return f"words-{lang.value}-term.npy"


def _key_file(lang: Lang) -> str:
    return f"words-{lang.value}-key.npy"


FILES = (WORDS, *(f(lang) for lang in ALL_LANGS for f in (_term_file, _key_file)))
Analysed = tuple[str, str | None]  # (term, key or None) of a normalised word


def write_word_table(directory: Path, reader) -> dict[str, Any]:
    """Write the table of every word of the spelling field of ``reader`` (see the
    module) into ``directory``; returns what ``derived.json`` records of it."""
    words = [
        w
        for w in (t.decode("utf-8") for t in reader.lexicon(schema.SPELLING))
        if 0 < len(w.encode("utf-8")) <= MAX_BYTES
    ]
    words.sort(key=lambda w: w.encode("utf-8"))
    arrays = {WORDS: _fixed([w.encode("utf-8") for w in words])}
    for lang in ALL_LANGS:
        analysed = [analysed_word(w, lang) for w in words]
        arrays[_term_file(lang)] = _fixed([term.encode("utf-8") for term, _ in analysed])
        arrays[_key_file(lang)] = _fixed([(key or "").encode("utf-8") for _, key in analysed])
    for name, array in arrays.items():
        np.save(directory / name, array, allow_pickle=False)
    return {"files": list(FILES), "words": len(words)}


def _fixed(values: list[bytes]) -> np.ndarray:
    width = max((len(v) for v in values), default=0) or 1
    return np.array(values, dtype=f"S{width}")


class WordTable:
    """The arrays of :func:`write_word_table`, memory-mapped (see the module)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._words = arrays[WORDS]
        self._terms = {lang: arrays[_term_file(lang)] for lang in ALL_LANGS}
        self._keys = {lang: arrays[_key_file(lang)] for lang in ALL_LANGS}
        for lang in ALL_LANGS:
            if not len(self._terms[lang]) == len(self._keys[lang]) == len(self._words):
                raise ValueError(f"the word table of {lang} does not match its words")
        self._memo: dict[Lang, dict[str, Analysed]] = {lang: {} for lang in ALL_LANGS}
        self._lock = threading.Lock()

    def analysed(
        self, words: Iterable[str], lang: Lang, analyse: Callable[[str], Analysed]
    ) -> dict[str, Analysed]:
        """(term, key or ``None``) in ``lang`` of each of the normalised ``words`` (none
        empty): from the table, remembered; ``analyse(word)`` for a word it lacks."""
        with self._lock:
            memo = self._memo[lang]
            out = {w: memo[w] for w in words if w in memo}
            wanted = [w for w in words if w not in out]
        if not wanted:
            return out
        found = self._look_up(wanted, lang)
        for word in wanted:
            if word not in found:
                found[word] = analyse(word)
        with self._lock:
            memo = self._memo[lang]
            if len(memo) + len(found) > MEMO_WORDS:
                memo.clear()
            memo.update(found)
        out.update(found)
        return out

    def _look_up(self, words: list[str], lang: Lang) -> dict[str, Analysed]:
        """The rows of the table holding ``words``: one binary search of them all."""
        width = self._words.dtype.itemsize
        words = [w for w in words if len(w.encode("utf-8")) <= width]
        if not words or not len(self._words):
            return {}
        wanted = np.array([w.encode("utf-8") for w in words], dtype=self._words.dtype)
        at = np.minimum(np.searchsorted(self._words, wanted), len(self._words) - 1)
        hit = self._words[at] == wanted
        rows = at[hit]
        found = [w for w, h in zip(words, hit.tolist(), strict=True) if h]
        terms = self._terms[lang][rows].tolist()
        keys = self._keys[lang][rows].tolist()
        return {
            word: (term.decode("utf-8"), key.decode("utf-8") or None)
            for word, term, key in zip(found, terms, keys, strict=True)
        }


def open_word_table(path: Path, entry: dict[str, Any], load) -> WordTable:
    """The table named by ``entry`` (``derived.json``'s ``words``) in ``path``, each
    array opened with ``load(name)``."""
    return WordTable({name: load(name) for name in entry["files"]})
