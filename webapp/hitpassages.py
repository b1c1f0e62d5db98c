"""Several passages per result (issue 25): up to three places of a report where the
query matches, each linked to its paragraph, and the number of matches in the report.

The search gives each hit one snippet (its best window) and its paragraph's anchor; this
module marks the query in the hit's other summary paragraphs the way the report page does
(:func:`webapp.reading.shown_paragraphs`), so a passage shown here is marked the same
there, and cuts a short excerpt around the first mark of each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.errors import DocumentNotFound
from indexer.records import Hit
from indexer.search import get_document
from webapp.i18n import ui_lang
from webapp.reading import query_terms, shown_paragraphs
from webapp.searching import current_index
from webapp.urls import paragraph_url

MAX_PASSAGES = 3  # the snippet and up to two more paragraphs
EXCERPT_BEFORE = 70  # characters of context before a passage's first mark
EXCERPT_LENGTH = 220  # characters of an excerpt, about two lines
_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)
_JOINED = re.compile(r"</mark>(\s*)<mark>")


@dataclass(frozen=True)
class MorePassage:
    """Another paragraph of a hit where the query matches: its excerpt and link."""

    html: str  # escaped text, only <mark> as markup
    url: str
    position: int  # the paragraph's number, from 1


@dataclass(frozen=True)
class HitPassages:
    """What a hit shows beyond its snippet: more passages and its number of matches."""

    more: tuple[MorePassage, ...]
    matches: int  # matches in the whole summary
    pages: int  # how many of the hit's full-report passages to show


def _pieces(marked: str) -> list[tuple[str, bool]]:
    """A marked paragraph as (plain text, is a mark) pieces."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(marked):
        pieces.append((html.unescape(marked[last : match.start()]), False))
        pieces.append((html.unescape(match.group(1)), True))
        last = match.end()
    pieces.append((html.unescape(marked[last:]), False))
    return [piece for piece in pieces if piece[0]]


def excerpt(marked: str) -> str:
    """About two lines of a marked paragraph around its first mark, cut at spaces, with
    "…" where it was cut; escaped, ``<mark>`` the only markup."""
    pieces = _pieces(marked)
    text = "".join(piece for piece, _ in pieces)
    first = 0
    for piece, is_mark in pieces:
        if is_mark:
            break
        first += len(piece)
    start = max(0, first - EXCERPT_BEFORE)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    out, at = [], 0
    for piece, is_mark in pieces:
        lo, hi = max(at, start), min(at + len(piece), end)
        if lo < hi:
            part = html.escape(piece[lo - at : hi - at], quote=False)
            out.append(f"<mark>{part}</mark>" if is_mark else part)
        at += len(piece)
    body = "".join(out).strip()
    return ("… " if start else "") + body + (" …" if end < len(text) else "")


def count_matches(marked: Iterable[str]) -> int:
    """The matches in marked paragraphs: a phrase's words are marked one by one, so marks
    with only spaces between them are one match."""
    return sum(_JOINED.sub(r"\1", text).count("<mark>") for text in marked)


def hit_passages(hit: Hit, q: str) -> HitPassages:
    """The hit's other marked paragraphs (in reading order), its number of matches and
    how many full-report passages go with them, three passages in all with the snippet;
    no paragraphs for an empty query or a document gone since the search."""
    pages = min(len(hit.passages), MAX_PASSAGES - 1)
    if not q:
        return HitPassages((), 0, pages)
    index = current_index()
    try:
        document = get_document(index, hit.id, ui_lang())
    except DocumentNotFound:
        return HitPassages((), 0, pages)
    terms = query_terms(index, q, document.lang)
    paragraphs = shown_paragraphs(document.summary, document.lang, terms) if terms else ()
    matches = count_matches(p.html for p in paragraphs)
    more = [
        MorePassage(
            excerpt(paragraph.html),
            paragraph_url(hit.id, paragraph.anchor, q),
            paragraph.position,
        )
        for paragraph in paragraphs
        if paragraph.marked and paragraph.anchor != hit.anchor
    ]
    # The snippet, then the summary's paragraphs, then the full report's pages: three in
    # all, a full report keeping at least one when it has any.
    room = MAX_PASSAGES - 1 - min(pages, 1)
    more = more[:room]
    return HitPassages(tuple(more), matches, min(pages, MAX_PASSAGES - 1 - len(more)))
