"""Glossary expansion: a query naming a concept also searches all the concept's other names.

Every name of every concept is analysed with each language's analyser and registered
under the resulting term sequence, so a query word matches a name in any case and any
inflection ("МУСа" finds the concept of "МУС"), whatever script the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.analysis import analyze
from indexer.corpus import GlossaryConcept
from indexer.languages import ALL_LANGS, Lang


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
        self.max_words = 1
        for concept in self.concepts:
            for _, name in concept.all_names():
                for lang in ALL_LANGS:
                    key = _key(lang, name)
                    if key:
                        # First concept wins: the glossary order settles a shared name.
                        self._by_key.setdefault((lang, key), concept)
                        self.max_words = max(self.max_words, len(key))

    def lookup(self, words: Sequence[str]) -> GlossaryConcept | None:
        """The concept whose name is exactly ``words`` (in any language's analysis)."""
        text = " ".join(words)
        for lang in ALL_LANGS:
            concept = self._by_key.get((lang, _key(lang, text)))
            if concept is not None:
                return concept
        return None

    def find(self, words: Sequence[str]) -> list[GlossaryMatch]:
        """Greedy, longest-first matches of concept names in a sequence of query words."""
        matches: list[GlossaryMatch] = []
        i = 0
        while i < len(words):
            for end in range(min(len(words), i + self.max_words), i, -1):
                concept = self.lookup(words[i:end])
                if concept is not None:
                    matches.append(GlossaryMatch(i, end, concept))
                    i = end
                    break
            else:
                i += 1
        return matches
