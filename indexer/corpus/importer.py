"""``iapb-index import-page``: new reports from the IAPB's page into the corpus.

For each report on the page (:mod:`indexer.corpus.page`) that the corpus does not have, a
``reports/NN.yaml`` is written with the page's language only: date, title, summary,
provenance, the full-report downloads the page lists, a reporting period read from the
summary, and topics proposed from the topic descriptions and the glossary.  Guessed
fields are listed under ``proposed`` (an editor reviews them and deletes the list).
Reports already in the corpus are compared with the page; they change only with
``update=True``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.analysis import analyze
from indexer.corpus.load import Corpus, Report, load_corpus
from indexer.corpus.page import PageReport
from indexer.corpus.pdftext import PdfText, extract_pdf
from indexer.corpus.report_fields import FULL_DIR
from indexer.languages import ALL_LANGS, Lang

SOURCE_URL = "https://iapbelarus.org/progress-reports"
_NOTES = {
    Lang.EN: "Text of the IAPB’s “Progress reports” page, {url} (published {date}).",
    Lang.BE: "Тэкст старонкі IAPB «Progress reports», {url} (апублікавана {date}).",
    Lang.RU: "Текст страницы IAPB «Progress reports», {url} (опубликовано {date}).",
}
_MONTHS = (
    ("january", "январ", "студзен", "студзен"),
    ("february", "феврал", "лют", "лют"),
    ("march", "март", "сакавік", "сакавік"),
    ("april", "апрел", "красавік", "красавік"),
    ("may", "ма", "мая", "май"),
    ("june", "июн", "чэрвен", "чэрвен"),
    ("july", "июл", "ліпен", "ліпен"),
    ("august", "август", "жнів", "жнів"),
    ("september", "сентябр", "верас", "верасн"),
    ("october", "октябр", "кастрычнік", "кастрычнік"),
    ("november", "ноябр", "лістапад", "лістапад"),
    ("december", "декабр", "снеж", "снеж"),
)
_MONTH_WORD = r"[A-Za-zА-Яа-яЁёІіЎў]+"
_PERIOD = re.compile(
    rf"(?:(\d{{1,2}})\s+)?({_MONTH_WORD})(?:\s+(\d{{4}}))?(?:\s+года?)?\s+"
    rf"(?:to|and|until|till|по|до|па|да|і|и|–|—|-)\s+"
    rf"(?:(\d{{1,2}})\s+)?({_MONTH_WORD})\s+(\d{{4}})"
)
TOPIC_THRESHOLD = 3  # a topic is proposed from this score up (see propose_topics)


def month_number(word: str) -> int | None:
    """The month a word names in English, Russian or Belarusian (any case ending)."""
    lowered = word.lower()
    if lowered in ("may", "май", "мая", "мае", "маі"):
        return 5
    for number, names in enumerate(_MONTHS, start=1):
        if number == 5:
            continue
        if any(lowered.startswith(name) for name in names):
            return number
    return None


def find_period(summary: str) -> tuple[str, str] | None:
    """The reporting period a summary names: ``("2025-04-01", "2025-09-30")`` or months.

    Reads "from 1 April to 30 September 2025", "October 2024 to March 2025", "between
    1 October 2023 and 31 March 2024" and their Russian and Belarusian equivalents.
    """
    for match in _PERIOD.finditer(summary):
        day1, month1, year1, day2, month2, year2 = match.groups()
        start_month, end_month = month_number(month1), month_number(month2)
        if start_month is None or end_month is None:
            continue
        end_year = int(year2)
        start_year = int(year1) if year1 else end_year - (start_month > end_month)
        try:
            if day1 and day2:
                start = dt.date(start_year, start_month, int(day1)).isoformat()
                end = dt.date(end_year, end_month, int(day2)).isoformat()
            else:
                start, end = f"{start_year}-{start_month:02d}", f"{end_year}-{end_month:02d}"
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None


def _guess_period(date: dt.date) -> tuple[str, str]:
    """Six months ending the month before publication (the IAPB's usual rhythm)."""
    end = date.replace(day=1) - dt.timedelta(days=1)
    start_index = end.year * 12 + end.month - 1 - 5
    return f"{start_index // 12}-{start_index % 12 + 1:02d}", f"{end.year}-{end.month:02d}"


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def propose_topics(corpus: Corpus, text: str, lang: Lang) -> list[str]:
    """Topic ids for a summary, from the topics' labels and descriptions and the glossary.

    A topic scores 2 for each glossary concept that both its description and the summary
    name, and 1 for each word (stem) of its label or description of five letters or more
    that the summary has, words found in most descriptions not counted.  Topics scoring
    :data:`TOPIC_THRESHOLD` or more are proposed, best first; at least the best one.
    """
    words = analyze(text, lang)
    present = set(words)
    described = {
        t.id: analyze(f"{t.labels.get(lang, '')} {t.descriptions.get(lang, '')}", lang)
        for t in corpus.topics
    }
    common = {
        stem
        for stem in {s for stems in described.values() for s in stems}
        if sum(stem in stems for stems in described.values()) > len(described) / 2
    }
    named = [
        concept
        for concept in corpus.glossary
        if any(_contains(words, analyze(name, lang)) for name in concept.names.get(lang, ()))
    ]
    scores: dict[str, int] = {}
    for topic_id, stems in described.items():
        score = sum(
            2
            for concept in named
            if any(_contains(stems, analyze(name, lang)) for name in concept.names.get(lang, ()))
        )
        score += len({s for s in stems if len(s) >= 5 and s not in common and s in present})
        scores[topic_id] = score
    ranked = sorted(scores, key=lambda t: -scores[t])
    chosen = [t for t in ranked if scores[t] >= TOPIC_THRESHOLD]
    return chosen or ranked[:1]


class _Dumper(yaml.SafeDumper):
    """YAML in the corpus's style: lists indented under their key, summaries as ``|``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_report(data: dict[str, Any], header: str) -> str:
    """The YAML text of a report file."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)
    return f"# {header}\n{body}"


def _downloads(page: PageReport) -> dict[str, Any]:
    return {
        lang.value: {"title": item.title, "url": item.url}
        for lang, item in sorted(page.downloads.items(), key=lambda kv: ALL_LANGS.index(kv[0]))
    }


def _lang_block(page: PageReport, lang: Lang, source_url: str) -> dict[str, Any]:
    note = _NOTES[lang].format(url=source_url, date=page.date.strftime("%d.%m.%Y"))
    return {
        "title": page.title,
        "summary": page.summary + "\n",
        "provenance": {"kind": "original", "note": note},
    }


@dataclass
class ImportResult:
    """What an import did or would do."""

    written: list[Path] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    changed: dict[int, list[str]] = field(default_factory=dict)  # number -> differences
    proposed: dict[int, dict[str, Any]] = field(default_factory=dict)


def new_report(corpus: Corpus, page: PageReport, lang: Lang, source_url: str) -> dict[str, Any]:
    """The YAML data of a report the corpus does not have, with its proposed fields."""
    period = find_period(page.summary)
    proposed = ["topics"]
    if period is None:
        period = _guess_period(page.date)
        proposed.append("period")
    data: dict[str, Any] = {
        "number": page.number,
        "date": page.date,
        "period": {"start": _day_or_month(period[0]), "end": _day_or_month(period[1])},
        "topics": propose_topics(corpus, f"{page.title}\n{page.summary}", lang),
        "proposed": proposed,
    }
    if page.downloads:
        data["full_report"] = _downloads(page)
    data[lang.value] = _lang_block(page, lang, source_url)
    return data


def _day_or_month(text: str) -> dt.date | str:
    """A day as a date (written unquoted, as the corpus writes dates), a month as text."""
    return dt.date.fromisoformat(text) if len(text) == 10 else text


def differences(report: Report, page: PageReport, lang: Lang) -> list[str]:
    """How the corpus's report differs from the page, in the page's language."""
    out = []
    if report.date != page.date:
        out.append(f"date: {report.date.isoformat()} -> {page.date.isoformat()}")
    text = report.summaries.get(lang)
    if text is None:
        out.append(f"{lang.value}: not in the corpus (the page has it)")
    else:
        if text.title != page.title:
            out.append(f"{lang.value}.title: {text.title!r} -> {page.title!r}")
        if text.summary != page.summary:
            out.append(f"{lang.value}.summary: differs from the page")
    for code, item in page.downloads.items():
        known = report.full_report(code)
        if known is None or known.title != item.title or (item.url and known.url != item.url):
            out.append(f"full_report.{code.value}: {item.title!r} {item.url or ''}".rstrip())
    return out


def _updated(path: Path, page: PageReport, lang: Lang, source_url: str) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["date"] = page.date.isoformat()
    block = data.get(lang.value) or _lang_block(page, lang, source_url)
    block["title"], block["summary"] = page.title, page.summary + "\n"
    data[lang.value] = block
    if page.downloads:
        full = data.get("full_report") or {}
        for code, item in _downloads(page).items():
            old = full.get(code) or {}
            full[code] = {**old, **{k: v for k, v in item.items() if v is not None or k not in old}}
        data["full_report"] = full
    ordered = {k: data[k] for k in ("number", "date", "period", "topics") if k in data}
    ordered |= {k: v for k, v in data.items() if k not in ordered}
    return dump_report(ordered, f"Updated by iapb-index import-page from {source_url}.")


def import_page(
    corpus_dir: str | Path,
    pages: list[PageReport],
    lang: Lang,
    *,
    dry_run: bool = False,
    update: bool = False,
    source_url: str = SOURCE_URL,
) -> ImportResult:
    """Write the page's new reports into the corpus; compare (and with ``update``
    rewrite) the ones it has.  Raises :class:`CorpusError` when the corpus is invalid.
    """
    root = Path(corpus_dir)
    corpus = load_corpus(root, require_reports=False)
    by_number = {r.number: r for r in corpus.reports}
    result = ImportResult()
    for page in pages:
        path = root / "reports" / f"{page.number:02d}.yaml"
        existing = by_number.get(page.number)
        if existing is None:
            data = new_report(corpus, page, lang, source_url)
            result.new.append(page.number)
            result.proposed[page.number] = {"topics": data["topics"]}
            if "period" in data["proposed"]:
                result.proposed[page.number]["period"] = data["period"]
            text = dump_report(data, f"Imported by iapb-index import-page from {source_url}.")
        else:
            found = differences(existing, page, lang)
            if not found:
                continue
            result.changed[page.number] = found
            if not update:
                continue
            path = Path(existing.source)
            text = _updated(path, page, lang, source_url)
        if not dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            result.written.append(path)
    return result


def add_full_report(
    corpus_dir: str | Path,
    number: int,
    lang: Lang,
    pdf: Path,
    *,
    url: str | None = None,
    title: str | None = None,
) -> tuple[Path, PdfText]:
    """Copy ``pdf`` into the corpus as ``full/NN-<lang>.pdf`` and name it in the report's
    ``full_report.<lang>`` (keeping a title and address already recorded).

    Returns the report file and the PDF's text.  Raises :class:`CorpusError` for an
    invalid corpus, ``LookupError`` when the report or its ``lang`` text is missing, and
    :class:`~indexer.corpus.pdftext.FullTextError` when the PDF cannot be read.
    """
    root = Path(corpus_dir)
    report = next((r for r in load_corpus(root).reports if r.number == number), None)
    if report is None:
        raise LookupError(f"the corpus has no report {number}")
    if lang not in report.summaries:
        raise LookupError(
            f"report {number} has no {lang.value} text: add it first "
            "(a full report is searched together with its language's summary)"
        )
    text = extract_pdf(pdf)
    name = f"{FULL_DIR}/{number:02d}-{lang.value}.pdf"
    (root / FULL_DIR).mkdir(exist_ok=True)
    shutil.copyfile(pdf, root / name)
    path = Path(report.source)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    full = data.get("full_report") or {}
    entry = full.get(lang.value) or {}
    entry["title"] = title or entry.get("title") or "Full report"
    entry["url"] = url or entry.get("url")
    entry["file"] = name
    full[lang.value] = entry
    data["full_report"] = full
    ordered = {k: data[k] for k in ("number", "date", "period", "topics") if k in data}
    ordered |= {k: v for k, v in data.items() if k not in ordered}
    path.write_text(dump_report(ordered, "Updated by iapb-index add-full-report."), "utf-8")
    return path, text
