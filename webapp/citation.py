"""Reports as citations and exports: CSV, JSON, BibTeX, RIS and CSL-JSON.

Pure formatting, no Flask: a :class:`CitedReport` carries what a reference needs, its
URLs already absolute (the web app makes them, honouring ``PUBLIC_URL``).  Each
formatter yields the text of an export piece by piece, so a long export is streamed.

The author of every report is the institution, written so citation managers keep it
whole: BibTeX in an extra pair of braces, RIS without a comma, CSL-JSON as a
``literal`` name.  A translation made for this service says so in a note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from indexer.errors import QueryError
from indexer.languages import Lang

AUTHOR = "International Accountability Platform for Belarus"
GENRE = "Progress report"
# BibTeX's month macros (jan … dec): styles print them in the document's language.
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TRANSLATION_NOTE = (
    "Unofficial translation made for the IAPB search service; not an IAPB publication"
)
LANGUAGE_NAMES = {Lang.EN: "english", Lang.BE: "belarusian", Lang.RU: "russian"}
URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)»”]")
# Cells a spreadsheet would read as a formula (or that hide one behind a tab or CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Format(StrEnum):
    """What ``format=`` may ask for."""

    CSV = "csv"
    JSON = "json"
    BIBTEX = "bibtex"
    RIS = "ris"
    CSL_JSON = "csl-json"

    @classmethod
    def parse(cls, text: str | None, allowed: tuple[Format, ...] | None = None) -> Format:
        """The format named by ``text``; raises :class:`QueryError` naming ``format``."""
        allowed = allowed or tuple(cls)
        names = ", ".join(f.value for f in allowed)
        if text is None:
            raise QueryError("format", f"'format' is missing: one of {names}")
        try:
            value = cls(text.strip().lower())
        except ValueError:
            value = None
        if value is None or value not in allowed:
            raise QueryError("format", f"'format' must be one of {names}, not {text!r}")
        return value

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self]


MEDIA_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.JSON: "application/json",
    Format.BIBTEX: "application/x-bibtex; charset=utf-8",
    Format.RIS: "application/x-research-info-systems; charset=utf-8",
    Format.CSL_JSON: "application/vnd.citationstyles.csl+json",
}
EXTENSIONS = {
    Format.CSV: "csv",
    Format.JSON: "json",
    Format.BIBTEX: "bib",
    Format.RIS: "ris",
    Format.CSL_JSON: "csl.json",
}
CITATION_FORMATS = (Format.BIBTEX, Format.RIS, Format.CSL_JSON)


@dataclass(frozen=True)
class CitedReport:
    """One (report, language) document as a reference, URLs absolute.

    ``snippet`` is plain text (empty for a citation of the whole report); ``pages``
    lists the full report's pages whose passages matched the search.
    """

    id: str
    report: int
    lang: Lang
    title: str
    date: dt.date
    period_start: str
    period_end: str
    topics: tuple[str, ...]
    url: str
    source_url: str | None
    translated: bool
    snippet: str = ""
    pages: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        """The citation key, e.g. ``iapb-r9-en``."""
        return f"iapb-{self.id}"

    def as_dict(self) -> dict[str, object]:
        """The record of a JSON export."""
        return {
            "report": self.report,
            "id": self.id,
            "title": self.title,
            "lang": self.lang.value,
            "date": self.date.isoformat(),
            "period": {"start": self.period_start, "end": self.period_end},
            "topics": list(self.topics),
            "url": self.url,
            "source_url": self.source_url,
            "unofficial_translation": self.translated,
            "snippet": self.snippet,
            "pages": list(self.pages),
        }


def first_url(*texts: str) -> str | None:
    """The first ``http(s)://`` address in ``texts`` (a provenance note names its page)."""
    for text in texts:
        match = URL_RE.search(text)
        if match:
            return match.group(0)
    return None


# CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = (
    "report",
    "id",
    "title",
    "language",
    "date",
    "period_start",
    "period_end",
    "topics",
    "url",
    "source_url",
    "unofficial_translation",
    "snippet",
    "pages",
)


def safe_cell(value: str) -> str:
    """``value`` unable to run as a spreadsheet formula: an apostrophe before a risky start."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_row(record: CitedReport) -> list[str]:
    cells = [
        str(record.report),
        record.id,
        record.title,
        record.lang.value,
        record.date.isoformat(),
        record.period_start,
        record.period_end,
        ";".join(record.topics),
        record.url,
        record.source_url or "",
        "yes" if record.translated else "no",
        record.snippet,
        ";".join(str(p) for p in record.pages),
    ]
    return [safe_cell(cell) for cell in cells]


def to_csv(records: Iterable[CitedReport]) -> Iterator[str]:
    """UTF-8 CSV text with a byte-order mark (spreadsheets then read UTF-8) and one header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_csv_row(record))
        yield buffer.getvalue()


# JSON --------------------------------------------------------------------------------


def to_json(records: Iterable[CitedReport], meta: dict[str, object]) -> Iterator[str]:
    """``{<meta>, "results": [...]}``: the export's description, then its records."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + (', "results": [' if meta else '"results": [')
    for i, record in enumerate(records):
        yield ("," if i else "") + json.dumps(record.as_dict(), ensure_ascii=False)
    yield "]}\n"


# BibTeX ------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts braces whatever precedes them, so a lone one would
    # end the field (or the entry) early; these commands keep every value balanced.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


# What a comment may keep of text it quotes (a query): letters, digits, spaces and a few
# marks.  BibTeX counts braces whatever precedes them (``\}`` closes a brace too), and
# parsers differ on where an ``@comment`` ends, so escaping cannot be trusted there.
_COMMENT_UNSAFE = re.compile(r"[^\w\s\"'*.,:;!?+/-]+")


def bibtex_text(text: str) -> str:
    """``text`` with TeX's special characters escaped, on one line."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(text.split()))


def bibtex_comment(text: str) -> str:
    """``text`` made safe for the inside of an ``@comment{...}``: on one line, every
    character but letters, digits, spaces and ``"'*.,:;!?+/-`` made a space (no brace,
    ``@``, backslash or parenthesis can end the comment or start an entry)."""
    return " ".join(_COMMENT_UNSAFE.sub(" ", text).split())


def bibtex_entry(record: CitedReport, accessed: dt.date) -> str:
    """One ``@techreport`` entry (BibTeX and biblatex fields; UTF-8)."""
    fields = [
        ("author", f"{{{bibtex_text(AUTHOR)}}}"),  # braces: a corporate author, not a name
        ("title", f"{{{bibtex_text(record.title)}}}"),  # braces: the title's case is kept
        ("institution", bibtex_text(AUTHOR)),
        ("type", GENRE),
        ("number", str(record.report)),
        ("year", str(record.date.year)),
        ("month", BIBTEX_MONTHS[record.date.month - 1]),  # a macro: written without braces
        ("date", record.date.isoformat()),
        ("language", LANGUAGE_NAMES[record.lang]),
        ("langid", LANGUAGE_NAMES[record.lang]),
        ("url", record.url),
        ("urldate", accessed.isoformat()),
    ]
    if record.topics:
        fields.append(("keywords", bibtex_text(", ".join(record.topics))))
    notes = [TRANSLATION_NOTE] if record.translated else []
    if record.source_url:
        notes.append(f"Source: {record.source_url}")
    if notes:
        fields.append(("note", bibtex_text(". ".join(notes))))
    if record.snippet:
        fields.append(("annote", bibtex_text(record.snippet)))
    if record.pages:
        fields.append(("pages", ", ".join(str(p) for p in record.pages)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@techreport{{{record.key},\n{body}\n}}\n"


def to_bibtex(records: Iterable[CitedReport], accessed: dt.date, note: str = "") -> Iterator[str]:
    """BibTeX entries, one per record, after an optional ``@comment``."""
    if note:
        yield f"@comment{{{bibtex_comment(note)}}}\n\n"
    for i, record in enumerate(records):
        yield ("\n" if i else "") + bibtex_entry(record, accessed)


# RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\r\n"


def ris_entry(record: CitedReport, accessed: dt.date) -> str:
    """One RIS record: ``TY`` first, ``ER`` last, one ``TAG  - value`` per line."""
    lines = [
        ("TY", "RPRT"),
        ("AU", AUTHOR),  # no comma: a single-field (institutional) name
        ("TI", record.title),
        ("PB", AUTHOR),
        ("M3", GENRE),
        ("SN", str(record.report)),
        ("PY", str(record.date.year)),
        ("DA", record.date.strftime("%Y/%m/%d")),
        ("LA", record.lang.value),
        ("UR", record.url),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("ID", record.key),
    ]
    lines += [("KW", topic) for topic in record.topics]
    if record.translated:
        lines.append(("N1", TRANSLATION_NOTE))
    if record.source_url:
        lines.append(("N1", f"Source: {record.source_url}"))
    if record.snippet:
        lines.append(("AB", record.snippet))
    if record.pages:
        lines.append(("SP", ", ".join(str(p) for p in record.pages)))
    return "".join(_ris_line(tag, value) for tag, value in lines) + "ER  - \r\n"


def to_ris(records: Iterable[CitedReport], accessed: dt.date) -> Iterator[str]:
    """RIS records, one per report document, separated by a blank line."""
    for i, record in enumerate(records):
        yield ("\r\n" if i else "") + ris_entry(record, accessed)


# CSL-JSON ----------------------------------------------------------------------------


def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(record: CitedReport, accessed: dt.date) -> dict[str, object]:
    """One CSL-JSON item of type ``report``."""
    item: dict[str, object] = {
        "id": record.key,
        "type": "report",
        "title": record.title,
        # The IAPB is author and publisher: APA names the publisher only when it differs.
        "author": [{"literal": AUTHOR}],
        "genre": GENRE,
        "number": str(record.report),
        "issued": _date_parts(record.date),
        "accessed": _date_parts(accessed),
        "language": record.lang.value,
        "URL": record.url,
    }
    if record.topics:
        item["keyword"] = ", ".join(record.topics)
    if record.translated:
        item["note"] = TRANSLATION_NOTE
    if record.source_url:
        item["source"] = record.source_url
    if record.snippet:
        item["abstract"] = record.snippet
    if record.pages:
        item["page"] = ", ".join(str(p) for p in record.pages)
    return item


def to_csl_json(records: Iterable[CitedReport], accessed: dt.date) -> Iterator[str]:
    """A CSL-JSON array of ``report`` items."""
    yield "["
    for i, record in enumerate(records):
        yield ("," if i else "") + json.dumps(csl_item(record, accessed), ensure_ascii=False)
    yield "]\n"


def citation_text(fmt: Format, record: CitedReport, accessed: dt.date) -> str:
    """One record in a citation format (BibTeX, RIS or CSL-JSON), as a whole text."""
    if fmt is Format.BIBTEX:
        return bibtex_entry(record, accessed)
    if fmt is Format.RIS:
        return ris_entry(record, accessed)
    return "".join(to_csl_json([record], accessed))
