"""Snippets: the best passage of a summary, escaped, with the matched words in ``<mark>``.

The summary is tokenised with its language's analyser (offsets point into the stored
text); a token is marked when its term was searched in that language, starts with a
searched prefix, or shares a cross-script key with a query word; a phrase or a
multi-word glossary name is marked only where all its words stand together.  A
function word (``the``, ``in``, ``і``, ``па``, ``в``: :data:`FUNCTION_WORDS`) is marked
only in a run of marked words (a phrase or name) holding another word, never alone.
The passage showing the most distinct concepts of the query (a run of adjacent marks
is one) wins, the first of equals.  Every character outside ``<mark>`` is escaped.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.analysis import collapse_spaces, normalise_word, spans, spans_of_texts
from indexer.engine.lru import LRUCache
from indexer.languages import Lang

MAX_CHARS = 280
TOKEN_CACHE_SIZE = 4096  # tokenised summaries kept: a page of hits re-reads the same ones
TOKEN_CACHE_BYTES = 32 * 1024 * 1024  # and at most this much of them (estimated)
SPAN_BYTES = 140  # a (start, end, term) tuple with its ints and a short string
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")
# Words too common to mark alone (normalised: word-initial ў is у).
FUNCTION_WORDS = {
    Lang.EN: frozenset(
        "a an and are as at be by for from in is it its of on or the to was were with".split()
    ),
    Lang.BE: frozenset("а аб ад да з і й на не па пра у ці што як".split()),
    Lang.RU: frozenset("а в во да до за и из к ко на не но о об от по с со у что".split()),
}


@dataclass(frozen=True)
class Terms:
    """What to mark in one language: exact terms, prefixes and cross-script keys."""

    terms: frozenset[str]
    prefixes: frozenset[str]
    keys: frozenset[str]
    phrases: frozenset[tuple[str, ...]] = frozenset()  # marked only where whole

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.keys or self.phrases)


Span = tuple[int, int, str]


def _token_bytes(value: tuple[tuple[Span, ...], tuple[Span, ...]]) -> int:
    return SPAN_BYTES * (len(value[0]) + len(value[1]))


_TOKENS = LRUCache(TOKEN_CACHE_SIZE, TOKEN_CACHE_BYTES, _token_bytes)


def _tokens(text: str, lang: Lang, table=None) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(start, end, term) of every index term and every cross-script key of ``text``.

    Tokenising is most of a snippet's cost and the same summaries come back page after
    page, so it is cached (by text: a new index generation with new text misses),
    bounded in entries and in bytes.  ``table`` is the generation's
    :class:`~indexer.engine.wordtable.WordTable` (the words the build analysed), if it has one:
    the spans are the same with or without it.
    """
    return _TOKENS.get_or_compute((text, lang), lambda: _tokenise(text, lang, table))


def _tokenise(text: str, lang: Lang, table=None) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    terms, keys = spans(text, lang, table)
    return tuple(terms), tuple(keys)


def tokenise_page(texts: Iterable[tuple[str, Lang]], table=None) -> None:
    """Tokenise the ``(text, lang)`` a page of hits will show, those not cached yet all
    at once per language (:func:`~indexer.analysis.spans_of_texts`: each distinct word
    analysed, or looked up in ``table``, once for the page rather than once a text), and
    keep them for :func:`make_snippet`."""
    missing: dict[Lang, list[str]] = {}
    for text, lang in texts:
        if not _TOKENS.peek((text, lang)) and text not in missing.get(lang, ()):
            missing.setdefault(lang, []).append(text)
    for lang, group in missing.items():
        for text, (terms, keys) in zip(group, spans_of_texts(group, lang, table), strict=True):
            _TOKENS.put((text, lang), (tuple(terms), tuple(keys)))


def _matches(text: str, lang: Lang, terms: Terms, table=None) -> list[Span]:
    """(start, end, term) of every token of ``text`` to mark."""
    spans: dict[int, Span] = {}
    index_terms, keys = _tokens(text, lang, table)
    # Whether a term is marked is decided once per distinct term, not once per token.
    prefixes = tuple(terms.prefixes)
    marked = {
        term
        for term in {span[2] for span in index_terms}
        if term in terms.terms or (prefixes and term.startswith(prefixes))
    }
    if marked:
        for span in index_terms:
            if span[2] in marked:
                spans[span[0]] = span
    # A query expanded by the glossary has dozens of phrases: each is looked for only
    # where its first word is.
    words = [t[2] for t in index_terms] if terms.phrases else []
    firsts = {phrase[0] for phrase in terms.phrases if phrase}
    where: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        if word in firsts:
            where.setdefault(word, []).append(i)
    for phrase in terms.phrases:
        n = len(phrase)
        for i in where.get(phrase[0], ()) if n else ():
            if tuple(words[i : i + n]) == phrase:
                for start, end, term in index_terms[i : i + n]:
                    spans.setdefault(start, (start, end, term))
    if terms.keys:
        for start, end, key in keys:
            if key in terms.keys and start not in spans:
                spans[start] = (start, end, "~" + key)
    marks = sorted(spans.values())
    kept: list[Span] = []
    for run in _runs(text, marks):
        if any(normalise_word(text[m[0] : m[1]]) not in FUNCTION_WORDS[lang] for m in run):
            kept.extend(run)
    return kept


def _runs(text: str, marks: list[Span]) -> list[list[Span]]:
    """``marks`` in runs of adjacent ones (only spaces between): a phrase or a name."""
    runs: list[list[Span]] = []
    for mark in marks:
        if runs and not text[runs[-1][-1][1] : mark[0]].strip():
            runs[-1].append(mark)
        else:
            runs.append([mark])
    return runs


def _passages(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _best_window(text: str, marks: list[tuple[int, int, str]]) -> tuple[int, int]:
    sentences = _passages(text)
    best = (sentences[0][0], sentences[0][1]) if sentences else (0, len(text))
    best_score = -1
    # Marks are tokens, which do not overlap: sorted by start, they are sorted by end too,
    # and those inside a window are a slice.
    starts = [m[0] for m in marks]
    ends = [m[1] for m in marks]
    for i, (start, _) in enumerate(sentences):
        end = sentences[i][1]
        # Two sentences when the first is short.
        if end - start < MAX_CHARS // 2 and i + 1 < len(sentences):
            end = sentences[i + 1][1]
        inside = marks[bisect_left(starts, start) : bisect_right(ends, end)]
        score = len(_concepts(text, inside))
        if score > best_score:
            best, best_score = (start, end), score
    return best


def _concepts(text: str, marks: list[Span]) -> set[tuple[str, ...]]:
    """The distinct things ``marks`` show: a run of adjacent marks ("International
    Criminal Court") is one, by its terms."""
    return {tuple(m[2] for m in run) for run in _runs(text, marks)}


def _clip(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> tuple[int, int]:
    """Shorten [start, end) to about MAX_CHARS around its first mark, at word boundaries."""
    if end - start <= MAX_CHARS:
        return start, end
    first = next((m[0] for m in marks if start <= m[0] < end), start)
    lo = max(start, first - MAX_CHARS // 3)
    hi = min(end, lo + MAX_CHARS)
    if lo > start:
        space = text.find(" ", lo)
        lo = space + 1 if 0 <= space < first else lo
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return lo, hi


def make_snippet(text: str, lang: Lang, terms: Terms, table=None) -> str:
    """The snippet HTML of ``text``: escaped, matches in ``<mark>``, ``…`` where cut
    (``table``: the generation's word table, see :func:`_tokens`)."""
    marks = _matches(text, lang, terms, table) if terms else []
    start, end = _best_window(text, marks)
    start, end = _clip(text, start, end, marks)
    out: list[str] = []
    pos = start
    for m_start, m_end, _ in marks:
        if m_start < start or m_end > end:
            continue
        gap = text[pos:m_start]
        if out and out[-1] == "</mark>" and gap.strip() == "":
            # Adjacent marks separated by spaces become one: "<mark>a b</mark>".
            out.pop()
            out.append(html.escape(gap))
        else:
            out.append(html.escape(gap))
            out.append("<mark>")
        out.append(html.escape(text[m_start:m_end]))
        out.append("</mark>")
        pos = m_end
    out.append(html.escape(text[pos:end]))
    body = collapse_spaces("".join(out))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text.rstrip()) else ""
    return prefix + body + suffix


def mark_all(text: str, lang: Lang, terms: Terms) -> str:
    """All of ``text`` as HTML: escaped, every match in ``<mark>`` (a passage in context)."""
    out: list[str] = []
    pos = 0
    for start, end, _ in _matches(text, lang, terms):
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
