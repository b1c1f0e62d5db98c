"""Reading a saved page from disk: a size limit, then its encoding, said out loud.

A page saved by a browser or fetched by a script may be UTF-8, UTF-16 (with a byte-order
mark), or a legacy encoding such as windows-1251 declared in ``<meta charset>`` or not at
all.  :func:`read_page` decides in this order, and :class:`PageText` says what it read
and why:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. for HTML, the encoding its head declares (``<meta charset>``, ``<meta http-equiv>``
   or an XML declaration), when Python knows it and the bytes decode with it;
3. UTF-8, when the bytes are valid UTF-8;
4. ``charset-normalizer``'s best guess (a kept detector: it scores candidate encodings by
   how much the decoded text looks like a language).

A page larger than :data:`MAX_PAGE_BYTES` is refused before it is decoded or parsed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

# The progress-reports page is about 40 KB of HTML (12 KB saved as text); ten times the
# largest page plausible for years of reports, and parsing stays well under a second.
MAX_PAGE_BYTES = 2 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_HEAD = 4096  # bytes searched for a declaration (HTML requires it in the first 1024)


class PageReadError(ValueError):
    """The page file cannot be read as text: too large, or in no encoding found."""


@dataclass(frozen=True)
class PageText:
    """A page's text and how it was decoded (``encoding``, ``how``: why that one)."""

    text: str
    encoding: str
    how: str

    def describe(self, path: str | Path) -> str:
        return f"read {path} as {self.encoding} ({self.how})"


def _declared(data: bytes) -> str | None:
    match = _DECLARED.search(data[:_HEAD])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(data: bytes) -> PageText:
    """The text of a page's bytes (see the module).  Raises :class:`PageReadError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return PageText(data.decode(encoding), encoding.removesuffix("-sig"), "BOM")
            except UnicodeDecodeError as exc:
                raise PageReadError(f"the page starts with a {encoding} BOM but {exc}") from exc
    declared = _declared(data)
    if declared is not None:
        try:
            return PageText(data.decode(declared), declared, "declared by the page")
        except UnicodeDecodeError:
            pass  # a wrong declaration: the bytes decide
    try:
        return PageText(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise PageReadError("the page's encoding could not be found (save it as UTF-8)")
    note = "detected by charset-normalizer"
    if declared is not None:
        note += f"; the {declared} it declares does not decode it"
    return PageText(str(best), codecs.lookup(best.encoding).name, note)


def read_page(path: str | Path) -> PageText:
    """The text of the page saved at ``path``.  Raises ``OSError`` when it cannot be read
    and :class:`PageReadError` when it is too large or in no encoding found."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise PageReadError(
            f"the page is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB, more than a "
            "progress-reports page can be (nothing was read)"
        )
    return decode_page(data)
