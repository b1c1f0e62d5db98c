"""The IAPB's "Progress reports" page: read as text or HTML, split into reports.

The page lists the reports newest first, each as a date line (``10.11.2025``), a title,
summary paragraphs and, for some, "Download the full report in …" lines.  The page is
read either as saved text (one paragraph a line, blank lines between, the format of
the seed page) or as HTML; both become the same list of :class:`Block` (a line of
text, the source line it starts on, and the links in it), which :func:`parse_page`
turns into :class:`PageReport` records.

HTML is read with the standard library's ``html.parser``: it tolerates the tag soup
of real pages, reports the source line of every tag (so errors can name the line),
and needs no dependency; only block boundaries, text and link addresses are needed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from indexer.corpus.pagefile import PageReadError, PageText, read_page
from indexer.corpus.report_fields import MAX_SUMMARY_CHARS, MAX_TITLE_CHARS
from indexer.languages import Lang

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th time tr ul br".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Inline styles that hide an element's text from readers (but not from an importer).
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(hidden|collapse)"
    r"|font-size\s*:\s*0+(\.0*)?(px|pt|em|rem|%)?\s*(;|$|!)|opacity\s*:\s*0+(\.0*)?\s*(;|$|!)",
    re.IGNORECASE,
)
# Characters a page's text may not hold: C0 controls but tab and line breaks, DEL, and
# the C1 controls (ESC sequences and NUL are never text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Browsers ignore ASCII whitespace and controls inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile("[\x00-\x20]+")
_SAFE_SCHEMES = ("http:", "https:")
_SPACES = re.compile(r"[ \t\n\r\f]+")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# A line made of digits and separators only is meant as a date, even when malformed.
_DATE_LIKE = re.compile(r"\d{1,4}\s*[./\-]\s*\d{1,2}\s*[./\-]\s*\d{1,4}")
_DOWNLOAD = re.compile(
    r"^\s*(download|скачать|загрузить|спампаваць|запампаваць|загрузіць)\b", re.IGNORECASE
)
# Language names as the page's links write them, checked in this order ("белорусском"
# contains "русск").
_LANG_STEMS = (
    (Lang.EN, ("english", "англ")),
    (Lang.BE, ("belarus", "белорус", "беларус")),
    (Lang.RU, ("russian", "русск", "руск")),
)
_ORDINALS = {
    Lang.EN: (
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    ),
    Lang.RU: (
        "перв втор трет четв пят шест седьм восьм девят десят одиннадцат двенадцат "
        "тринадцат четырнадцат пятнадцат шестнадцат семнадцат восемнадцат девятнадцат двадцат"
    ),
    Lang.BE: (
        "перш друг трэц чацв пят шост сём восьм дзявят дзясят адзінаццат дванаццат "
        "трынаццат чатырнаццат пятнаццат шаснаццат сямнаццат васямнаццат дзевятнаццат дваццат"
    ),
}
_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?:st|nd|rd|th|-?[йяеаі])?(?![\d\w])", re.IGNORECASE)


class PageError(ValueError):
    """The page cannot be read as a list of reports; ``problems`` are (line, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("; ".join(f"{path}:{line}: {message}" for line, message in problems))


@dataclass(frozen=True)
class Block:
    """One paragraph or heading of the page, the line it starts on, and its links."""

    line: int
    text: str
    links: tuple[tuple[str, str], ...] = ()  # (link text, address)


@dataclass(frozen=True)
class Download:
    """A "Download the full report in …" link: its text and address (if the page has it)."""

    lang: Lang
    title: str
    url: str | None
    line: int


@dataclass
class PageReport:
    """One report as the page gives it."""

    number: int
    date: dt.date
    title: str
    paragraphs: list[str]
    line: int  # the line of its date
    title_line: int
    downloads: dict[Lang, Download] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The summary as the corpus keeps it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


def text_blocks(text: str) -> list[Block]:
    """Blocks of a page saved as text: every non-blank line is a paragraph."""
    return [
        Block(number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def unsafe_link(address: str) -> bool:
    """Whether a link address has a scheme other than http(s) (``javascript:``,
    ``data:``, ``vbscript:``, ``file:`` ...), however it is spaced or cased; a relative
    address has none and is safe."""
    cleaned = _URL_NOISE.sub("", address).lower()
    scheme = re.match(r"[a-z][a-z0-9+.\-]*:", cleaned)
    return scheme is not None and scheme.group() not in _SAFE_SCHEMES


def _hides(attrs: dict[str, str | None]) -> bool:
    return "hidden" in attrs or bool(_HIDING_STYLE.search(attrs.get("style") or ""))


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.problems: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._line: int | None = None
        self._skip = 0
        self._href: str | None = None
        self._link_text: list[str] = []
        self._hidden: tuple[str, int, int] | None = None  # (tag, nesting, line) hiding text
        self._hidden_reported = False

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._parts)).strip()
        if text:
            self.blocks.append(Block(self._line or 1, text, tuple(self._links)))
        self._parts, self._links, self._line = [], [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._hidden is not None:
            hidden_tag, nesting, line = self._hidden
            if tag == hidden_tag:
                self._hidden = (hidden_tag, nesting + 1, line)
        elif tag not in _VOID_TAGS and _hides(found):
            self._hidden, self._hidden_reported = (tag, 1, self.getpos()[0]), False
        if tag == "a" and unsafe_link(found.get("href") or ""):
            address = " ".join((found.get("href") or "").split())[:60]
            self.problems.append(
                (self.getpos()[0], f"a link to {address!r}: only http(s) addresses are allowed")
            )
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if self._hidden is not None and tag == self._hidden[0]:
            hidden_tag, nesting, line = self._hidden
            self._hidden = (hidden_tag, nesting - 1, line) if nesting > 1 else None
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "a" and self._href is not None:
            text = _SPACES.sub(" ", "".join(self._link_text)).strip()
            if text:
                self._links.append((text, self._href.strip()))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._hidden is not None:
            if data.strip() and not self._hidden_reported:
                text = " ".join(data.split())[:60]
                self.problems.append(
                    (self.getpos()[0], f"hidden text {text!r} (hidden by its <{self._hidden[0]}>)")
                )
                self._hidden_reported = True
            return
        if self._line is None and data.strip():
            self._line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._parts.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _html(text: str) -> _BlockParser:
    parser = _BlockParser()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser


def html_blocks(text: str) -> list[Block]:
    """Blocks of a page saved as HTML: the text of each block element, with its links."""
    return _html(text).blocks


def control_characters(text: str) -> list[tuple[int, str]]:
    """(line, message) for each line of ``text`` holding a control character (NUL, ESC,
    ...), with its column."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _CONTROL.search(line)
        if match:
            char = ord(match.group())
            found.append((number, f"control character U+{char:04X} at column {match.start() + 1}"))
    return found


def read_page_blocks(path: str | Path) -> tuple[list[Block], PageText]:
    """The blocks of the page saved at ``path``, as HTML or as text (told by the content),
    and how its bytes were decoded (:mod:`indexer.corpus.pagefile`).

    Raises ``OSError`` when it cannot be read, and :class:`PageError` naming the lines
    of what an import must not take: control characters, links that are not http(s),
    hidden text; or a page too large or in no encoding found.
    """
    try:
        page = read_page(path)
    except PageReadError as exc:
        raise PageError(str(path), [(1, str(exc))]) from exc
    text = page.text.removeprefix("\ufeff")
    problems = control_characters(text)
    looks_html = re.match(r"\s*(<!doctype|<html|<body|<div|<main|<section|<p\b)", text, re.I)
    if Path(path).suffix.lower() in (".html", ".htm") or looks_html:
        parser = _html(text)
        blocks, problems = parser.blocks, problems + parser.problems
    else:
        blocks = text_blocks(text)
    if problems:
        raise PageError(str(path), sorted(problems))
    return blocks, page


def read_blocks(path: str | Path) -> list[Block]:
    """The blocks of the page saved at ``path`` (see :func:`read_page_blocks`)."""
    return read_page_blocks(path)[0]


def download_lang(text: str) -> Lang | None:
    """The language a download link names ("… in Belarusian" → be), if any."""
    lowered = text.lower()
    for lang, stems in _LANG_STEMS:
        if any(stem in lowered for stem in stems):
            return lang
    return None


def report_number(title: str, lang: Lang) -> int | None:
    """The report's number from its title: ``9th …``, ``Eighth …``, ``9-я …``, ``Восьмой …``."""
    match = _NUMBER.search(title)
    if match:
        return int(match.group(1))
    first = title.split()[0].lower() if title.split() else ""
    stems = _ORDINALS.get(lang, _ORDINALS[Lang.EN]).split()
    if lang is not Lang.EN:
        stems = stems + _ORDINALS[Lang.EN].split()
    by_length = sorted(enumerate(stems), key=lambda item: -len(item[1]))
    for position, stem in by_length:
        if first.startswith(stem):
            return position % 20 + 1
    return None


def _downloads(block: Block) -> list[Download]:
    if block.links:
        found = []
        for text, url in block.links:
            lang = download_lang(text) if _DOWNLOAD.search(text) or len(block.links) > 1 else None
            if lang is None and _DOWNLOAD.search(block.text):
                lang = download_lang(text)
            if lang is not None:
                found.append(Download(lang, text, url or None, block.line))
        return found
    lang = download_lang(block.text) if _DOWNLOAD.search(block.text) else None
    return [Download(lang, block.text, None, block.line)] if lang else []


def parse_page(blocks: list[Block], lang: Lang, path: str = "page") -> list[PageReport]:
    """The reports of a page, in page order.

    Raises :class:`PageError` naming the line of each problem: no dates at all, a date
    that does not parse, a report without title, number or summary, two reports with
    one number.
    """
    problems: list[tuple[int, str]] = []
    reports: list[PageReport] = []
    current: PageReport | None = None
    expect_title = False
    for block in blocks:
        if _DATE_LIKE.fullmatch(block.text):
            if current is not None and expect_title:
                problems.append((current.line, "a date without a report title after it"))
            current = None
            date = _parse_date(block.text)
            if date is None:
                problems.append((block.line, f"date {block.text!r} does not parse (dd.mm.yyyy)"))
                expect_title = False
                continue
            current = PageReport(0, date, "", [], block.line, block.line)
            reports.append(current)
            expect_title = True
            continue
        if current is None:
            continue  # the page's heading and anything before the first date
        if expect_title:
            current.title, current.title_line, expect_title = block.text, block.line, False
            number = report_number(block.text, lang)
            if number is None:
                problems.append((block.line, f"no report number in the title {block.text!r}"))
            elif number == 0:
                problems.append((block.line, f"report number 0 in the title {block.text!r}"))
            if len(block.text) > MAX_TITLE_CHARS:
                problems.append(
                    (
                        block.line,
                        f"a title of {len(block.text):,} characters (at most {MAX_TITLE_CHARS:,})",
                    )
                )
            current.number = number or 0
            continue
        downloads = _downloads(block)
        if downloads:
            for item in downloads:
                current.downloads.setdefault(item.lang, item)
        elif not _DOWNLOAD.search(block.text):
            current.paragraphs.append(block.text)
    if not reports and not problems:
        line = blocks[0].line if blocks else 1
        problems.append((line, "no report dates (dd.mm.yyyy lines) found on the page"))
    if current is not None and expect_title:
        problems.append((current.line, "a date without a report title after it"))
    seen: dict[int, PageReport] = {}
    for report in reports:
        if report.title and not report.paragraphs:
            problems.append((report.title_line, f"report {report.title!r} has no summary"))
        if len(report.summary) > MAX_SUMMARY_CHARS:
            problems.append(
                (
                    report.title_line,
                    f"the summary of {report.title[:60]!r} has {len(report.summary):,} "
                    f"characters, more than the {MAX_SUMMARY_CHARS:,} a summary may have",
                )
            )
        if report.number and report.number in seen:
            first = seen[report.number]
            problems.append(
                (
                    report.title_line,
                    f"two reports with number {report.number} "
                    f"(also {first.title!r} on line {first.title_line})",
                )
            )
        elif report.number:
            seen[report.number] = report
    if problems:
        raise PageError(path, sorted(problems))
    return reports


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
