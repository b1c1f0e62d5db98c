"""Paragraphs of a summary and their permalinks.

A summary's paragraphs are separated by blank lines.  Each gets an anchor made of its
position and a hash of its text, ``p3-9f2c1a``:

- the **hash** (first :data:`HASH_CHARS` hex digits of SHA-256 of the paragraph's text,
  NFC with white space collapsed) is what makes the anchor survive: it depends on
  nothing but the paragraph itself, so rebuilding the index, or editing, adding or
  removing *other* paragraphs, leaves it as it was;
- the **position** (1, 2, 3 … in the summary) is a readable prefix and keeps two
  identical paragraphs of one summary apart.  Editing a paragraph changes neither the
  position nor the hash of the others; only inserting or removing a paragraph *before*
  one changes its prefix, and the report page then still finds it by its hash.

Anchors are computed from the stored text whenever a page or a hit needs them, so no
build step or counter is involved.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass

from indexer.analysis import collapse_spaces

HASH_CHARS = 6
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MARK = re.compile(r"</?mark>")
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a summary: its position (from 1), text and anchor."""

    position: int
    text: str  # white space collapsed

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.position, self.text)


def _collapse(text: str) -> str:
    return collapse_spaces(unicodedata.normalize("NFC", text))


def paragraph_anchor(position: int, text: str) -> str:
    """The anchor of the paragraph ``text`` at ``position``: ``p<position>-<hash>``."""
    digest = hashlib.sha256(_collapse(text).encode("utf-8")).hexdigest()
    return f"p{position}-{digest[:HASH_CHARS]}"


def split_paragraphs(summary: str) -> tuple[Paragraph, ...]:
    """The paragraphs of ``summary`` (separated by blank lines), white space collapsed."""
    texts = (_collapse(part) for part in _BLANK_LINE.split(summary))
    return tuple(Paragraph(i, text) for i, text in enumerate((t for t in texts if t), start=1))


def paragraph_of_snippet(summary: str, snippet: str) -> Paragraph | None:
    """The paragraph of ``summary`` holding the first match of ``snippet`` (its HTML).

    A snippet is a window of the summary with white space collapsed, escaped, the
    matches in ``<mark>`` and ``…`` where it was cut; a window may run over two
    paragraphs, and the one with its first match is the one to link to.  ``None`` when
    the snippet marks nothing (a browse) or is not from ``summary``.
    """
    if "<mark>" not in snippet:
        return None
    body = snippet.removeprefix(_ELLIPSIS + " ").removesuffix(" " + _ELLIPSIS)
    before_mark = _collapse(html.unescape(_MARK.sub("", body.split("<mark>", 1)[0])))
    window = _collapse(html.unescape(_MARK.sub("", body)))
    paragraphs = split_paragraphs(summary)
    joined = " ".join(p.text for p in paragraphs)
    start = joined.find(window)
    if start < 0:
        return None
    first_match = start + len(before_mark) + (1 if before_mark else 0)
    end = 0
    for paragraph in paragraphs:
        end += len(paragraph.text) + 1
        if first_match < end:
            return paragraph
    return None
