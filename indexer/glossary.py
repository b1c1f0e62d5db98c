"""Glossary expansion: a query naming a concept also searches all the concept's other names.

Every name of every concept is analysed with each language's analyser and registered
under the resulting term sequence, so a query word matches a name in any case and any
inflection ("МУСа" finds the concept of "МУС"), whatever script the user typed.

A Belarusian or Russian name typed in Latin letters (``MUS``, ``OON``, ``ABSE``,
``Mezhdunarodny ugolovny sud``) is read back into Cyrillic (:mod:`indexer.romanised`)
when the words as typed name no concept.

A name that is also a common word (a concept's ``homonyms``: «Весна» is the season as
well as the human rights centre) is not taken for the concept when a number stands
next to it in the query («весна 2023», "2023 Вясна"), nor in a form that only the
common word takes («весной», «вясной»: "in spring", see :data:`SEASON_ADVERBS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.analysis import analyze
from indexer.analysis import words as analyze_plain
from indexer.corpus.load import GlossaryConcept
from indexer.languages import ALL_LANGS, Lang
from indexer.romanised import cyrillic_readings
from indexer.seasons import SEASON_ADVERBS
from indexer.translit import from_lacinka, is_lacinka


@dataclass(frozen=True)
class GlossaryMatch:
    """A run of query words ``[start, end)`` that names ``concept``."""

    start: int
    end: int
    concept: GlossaryConcept


def _key(lang: Lang, text: str) -> tuple[str, ...]:
    return tuple(analyze(text, lang))


class Glossary:
    """The concepts of an index generation, indexed for matching query words."""

    def __init__(self, concepts: Iterable[GlossaryConcept]) -> None:
        self.concepts: list[GlossaryConcept] = list(concepts)
        self._by_key: dict[tuple[Lang, tuple[str, ...]], GlossaryConcept] = {}
        self._homonyms: set[tuple[Lang, tuple[str, ...]]] = set()
        self.max_words = 1
        for concept in self.concepts:
            for name in (n for names in concept.homonyms.values() for n in names):
                self._homonyms.update((lang, _key(lang, name)) for lang in ALL_LANGS)
            for _, name in concept.all_names():
                for lang in ALL_LANGS:
                    key = _key(lang, name)
                    if key:
                        # First concept wins: the glossary order settles a shared name.
                        self._by_key.setdefault((lang, key), concept)
                        self.max_words = max(self.max_words, len(key))

    def tables(self) -> dict[str, Any]:
        """What matching needs, as JSON data (concepts by their place in the list): the
        build stores it so that serving need not analyse every name again."""
        index = {id(concept): i for i, concept in enumerate(self.concepts)}
        names = self._by_key.items()
        return {
            "names": [[lang.value, list(key), index[id(c)]] for (lang, key), c in names],
            "homonyms": sorted([lang.value, list(key)] for lang, key in self._homonyms),
            "max_words": self.max_words,
        }

    @classmethod
    def from_tables(cls, concepts: Iterable[GlossaryConcept], tables: dict[str, Any]) -> Glossary:
        """The glossary of ``concepts`` from :meth:`tables` of the same concepts, in order."""
        glossary = cls.__new__(cls)
        glossary.concepts = list(concepts)
        # A dict of the languages by code: calling the enum for each of a thousand names
        # was half of loading the tables in a fresh process's first search.
        langs = {lang.value: lang for lang in Lang}
        glossary._by_key = {
            (langs[lang], tuple(key)): glossary.concepts[i] for lang, key, i in tables["names"]
        }
        glossary._homonyms = {(langs[lang], tuple(key)) for lang, key in tables["homonyms"]}
        glossary.max_words = int(tables["max_words"])
        return glossary

    def lookup(self, words: Sequence[str]) -> GlossaryConcept | None:
        """The concept whose name is exactly ``words`` (in any language's analysis)."""
        return self._match(words)[0]

    def _match(self, words: Sequence[str]) -> tuple[GlossaryConcept | None, bool]:
        """The concept named ``words``, and whether that name is one of its homonyms."""
        text = " ".join(words)
        for lang in ALL_LANGS:
            key = (lang, _key(lang, text))
            concept = self._by_key.get(key)
            if concept is not None:
                return concept, key in self._homonyms
        # A Belarusian or Russian name typed in Latin letters ("MUS", "OON"), or a
        # Belarusian one typed with a Russian keyboard's и for і («катаванни»).
        readings = cyrillic_readings(text)
        if is_lacinka(text):  # Belarusian in Łacinka ("palitviaźni")
            readings.append((Lang.BE, from_lacinka(text)))
        if "и" in text:
            readings.append((Lang.BE, text.replace("и", "і")))
        for lang, reading in readings:
            key = (lang, _key(lang, reading))
            concept = self._by_key.get(key)
            if concept is not None:
                return concept, key in self._homonyms
        return None, False

    def find(self, words: Sequence[str]) -> list[GlossaryMatch]:
        """Greedy, longest-first matches of concept names in a sequence of query words."""
        matches: list[GlossaryMatch] = []
        i = 0
        while i < len(words):
            for end in range(min(len(words), i + self.max_words), i, -1):
                concept, homonym = self._match(words[i:end])
                if homonym and (_next_to_number(words, i, end) or _adverb(words[i:end])):
                    continue
                if concept is not None:
                    matches.append(GlossaryMatch(i, end, concept))
                    i = end
                    break
            else:
                i += 1
        return matches


def _next_to_number(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the word before ``start`` or the word at ``end`` contains a digit."""
    around = words[max(start - 1, 0) : start] + words[end : end + 1]
    return any(ch.isdigit() for word in around for ch in word)


def _adverb(words: Sequence[str]) -> bool:
    """Whether ``words`` hold a form only the common word of a homonym takes («весной»)."""
    return any(found in SEASON_ADVERBS for word in words for found in analyze_plain(word))
