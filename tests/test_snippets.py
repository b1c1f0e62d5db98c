"""Snippet marks: a query's phrases are marked where whole, however many it has."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import analyze, normalise_word
from indexer.languages import Lang
from indexer.snippets import FUNCTION_WORDS, Terms, _matches, _runs, _tokens

WORDS = ["court", "criminal", "international", "office", "rights", "human", "the", "un"]


def _marked_by_trying_every_position(text: str, terms: Terms) -> list:
    """What ``_matches`` marks, each phrase tried at every position (the plain rule)."""
    spans = {}
    tokens = _tokens(text, Lang.EN)[0]
    for start, end, term in tokens:
        if term in terms.terms:
            spans[start] = (start, end, term)
    for phrase in terms.phrases:
        for i in range(len(tokens) - len(phrase) + 1):
            if tuple(t[2] for t in tokens[i : i + len(phrase)]) == phrase:
                for start, end, term in tokens[i : i + len(phrase)]:
                    spans.setdefault(start, (start, end, term))
    kept = []
    for run in _runs(text, sorted(spans.values())):
        if any(normalise_word(text[m[0] : m[1]]) not in FUNCTION_WORDS[Lang.EN] for m in run):
            kept.extend(run)
    return kept


@given(
    text=st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    words=st.sets(st.sampled_from(WORDS), max_size=2),
    names=st.lists(st.lists(st.sampled_from(WORDS), min_size=2, max_size=3), max_size=12),
)
@settings(max_examples=200, deadline=None)
def test_phrases_are_marked_wherever_they_are_whole(text, words, names) -> None:
    phrases = frozenset(tuple(analyze(" ".join(name), Lang.EN)) for name in names)
    single = frozenset(t for w in words for t in analyze(w, Lang.EN))
    terms = Terms(single, frozenset(), frozenset(), phrases)
    assert _matches(text, Lang.EN, terms) == _marked_by_trying_every_position(text, terms)
