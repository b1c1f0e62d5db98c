"""Snippet marks: a query's phrases are marked where whole, however many it has."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import analyze, normalise_word
from indexer.languages import Lang
from indexer.snippets import (
    _TOKENS,
    FUNCTION_WORDS,
    MAX_CHARS,
    Terms,
    _best_window,
    _matches,
    _passages,
    _runs,
    _tokenise,
    _tokens,
    tokenise_page,
)

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


def test_a_page_tokenised_together_gives_each_summary_its_own_tokens() -> None:
    texts = [("Torture of the detained, tortured again.", Lang.EN), ("Катаванні і пыткі.", Lang.BE)]
    texts += [("Пытки и задержания.", Lang.RU), ("The court; the Court.", Lang.EN)]
    _TOKENS.clear()
    tokenise_page(texts)
    assert len(_TOKENS) == len(texts)
    for text, lang in texts:
        kept = _TOKENS.get((text, lang))
        assert kept == _tokenise(text, lang)


def _best_window_by_filtering(text: str, marks: list) -> tuple[int, int]:
    """The best window, each window's marks found by testing every mark (the plain rule)."""
    sentences = _passages(text)
    best = (sentences[0][0], sentences[0][1]) if sentences else (0, len(text))
    best_score = -1
    for i, (start, end) in enumerate(sentences):
        if end - start < MAX_CHARS // 2 and i + 1 < len(sentences):
            end = sentences[i + 1][1]
        inside = [m for m in marks if start <= m[0] and m[1] <= end]
        score = len({tuple(m[2] for m in run) for run in _runs(text, inside)})
        if score > best_score:
            best, best_score = (start, end), score
    return best


@given(
    sentences=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join), max_size=8
    ),
    words=st.sets(st.sampled_from(WORDS), max_size=3),
)
@settings(max_examples=200, deadline=None)
def test_the_best_window_is_the_one_showing_most_concepts(sentences, words) -> None:
    text = ". ".join(sentences)
    single = frozenset(t for w in words for t in analyze(w, Lang.EN))
    marks = _matches(text, Lang.EN, Terms(single, frozenset(), frozenset()))
    assert _best_window(text, marks) == _best_window_by_filtering(text, marks)
