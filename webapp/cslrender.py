"""Reading citations rendered by a CSL processor: ``citeproc-py`` with the official APA
and Chicago author-date styles (``webapp/csl/``, see its README) from the document's
CSL-JSON record, the one ``format=csl-json`` exports.

The processor's plain-text output is split around the title, which the page sets in
italics; escaping stays with the templates (citeproc-py's HTML output passes markup in a
field through as it is).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from indexer.languages import Lang
from webapp.citation import CitedReport, csl_item

STYLES = Path(__file__).parent / "csl"
STYLE_FILES = {"apa": "apa.csl", "chicago": "chicago-author-date.csl"}
# The CSL locale of each language's terms and dates; CSL has no Belarusian locale, so a
# Belarusian version is cited with the English terms (what a reader's English paper uses).
LOCALES = {Lang.EN: "en-US", Lang.BE: "en-US", Lang.RU: "ru-RU"}


@lru_cache(maxsize=256)
def render(name: str, record: CitedReport, accessed: dt.date) -> str:
    """The reference of ``record`` in style ``name`` (``apa`` or ``chicago``), plain text.

    Remembered per record and day (a rendering takes tens of milliseconds); the style is
    parsed per rendering (2 ms), so no processor state is shared between threads.
    """
    item = csl_item(record, accessed)
    source = CiteProcJSON([item])
    style = CitationStylesStyle(
        str(STYLES / STYLE_FILES[name]), locale=LOCALES[record.lang], validate=False
    )
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    return " ".join(str(entry).split())
