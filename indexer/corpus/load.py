"""The corpus: YAML files into frozen dataclasses, with validation that names file, line, field.

Layout of a corpus directory::

    reports/*.yaml   one report each: number, date, period, topics, and en/be/ru texts
    topics.yaml      the topic taxonomy
    glossary.yaml    concepts with their names in the three languages

The YAML is composed into nodes (not loaded into plain Python values) so that every
problem can be reported with its line.  All problems of the whole corpus are collected
and raised together as one :class:`~indexer.errors.CorpusError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indexer.corpus.paragraphs import split_paragraphs
from indexer.corpus.report_fields import (
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    FullReport,
    load_full_reports,
    load_proposed,
)
from indexer.corpus.yamlcheck import YAML_LOADER, Checker
from indexer.errors import CorpusError, CorpusProblem
from indexer.languages import ALL_LANGS, Lang

PROVENANCE_KINDS = ("original", "unofficial-translation")
CONCEPT_KINDS = (
    "organisation",
    "court",
    "office",
    "mechanism",
    "person",
    "place",
    "law",
    "publication",
    "term",
)
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Summary:
    """A report's title and summary in one language, with where the text comes from."""

    lang: Lang
    title: str
    summary: str
    provenance_kind: str
    provenance_note: str

    @property
    def translated(self) -> bool:
        return self.provenance_kind == "unofficial-translation"


@dataclass(frozen=True)
class Report:
    """One progress report: its metadata and its texts in the languages it has.

    ``summaries`` holds at least one language; a report imported from the English page
    has English only until its translations are written.  ``full_reports`` maps a
    language to its full report, or to ``None`` when it is known not to exist or the
    source does not say; ``proposed`` names the fields an import guessed (``topics``,
    ``period``), to be reviewed by an editor.
    """

    number: int
    date: dt.date
    period_start: str
    period_end: str
    topics: tuple[str, ...]
    summaries: dict[Lang, Summary]
    source: str
    full_reports: dict[Lang, FullReport | None] = field(default_factory=dict)
    proposed: tuple[str, ...] = ()

    @property
    def langs(self) -> tuple[Lang, ...]:
        """The languages this report has a text in, in the order of ``ALL_LANGS``."""
        return tuple(lang for lang in ALL_LANGS if lang in self.summaries)

    def full_report(self, lang: Lang) -> FullReport | None:
        """The full report in ``lang``, if the corpus records one."""
        return self.full_reports.get(lang)

    def doc_id(self, lang: Lang) -> str:
        """The id of the (report, language) document, e.g. ``r9-en``."""
        return doc_id(self.number, lang)


def doc_id(number: int, lang: Lang) -> str:
    """The id of a (report, language) document, e.g. ``r9-en``."""
    return f"r{number}-{lang.value}"


@dataclass(frozen=True)
class Topic:
    """A topic of the taxonomy with its labels and descriptions in every language."""

    id: str
    labels: dict[Lang, str]
    descriptions: dict[Lang, str]

    def label(self, lang: Lang) -> str:
        """The label in ``lang``, else in English, else the id."""
        return self.labels.get(lang) or self.labels.get(Lang.EN) or self.id


@dataclass(frozen=True)
class GlossaryConcept:
    """A named thing (court, office, person, term...) with all its names per language."""

    id: str
    kind: str
    names: dict[Lang, tuple[str, ...]]
    # Names that are also common words ("Весна" is spring): not the concept next to a number.
    homonyms: dict[Lang, tuple[str, ...]] = field(default_factory=dict)

    def all_names(self) -> Iterator[tuple[Lang, str]]:
        """Every (language, name) pair, in the order of the glossary file."""
        for lang, names in self.names.items():
            for name in names:
                yield lang, name


@dataclass(frozen=True)
class Corpus:
    """A validated corpus."""

    reports: tuple[Report, ...]
    topics: tuple[Topic, ...]
    glossary: tuple[GlossaryConcept, ...]


def _last_day_of(text: str, first: dt.date) -> dt.date:
    if len(text) > 7:
        return first
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _load_topics(path: Path, problems: list[CorpusProblem]) -> list[Topic]:
    check = Checker(path, problems)
    root = check.compose(path)
    if root is None:
        return []
    top = check.mapping(root, "", ("topics",))
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(check.sequence((top or {}).get("topics"), "topics")):
        field = f"topics[{i}]"
        entries = check.mapping(item, field, ("id", "label"), ("description",))
        if entries is None:
            continue
        topic_id = check.text(entries.get("id"), f"{field}.id")
        if topic_id is not None and not _ID_RE.fullmatch(topic_id):
            check.problem(entries["id"], f"{field}.id", f"bad id {topic_id!r} (a-z, 0-9, -)")
            topic_id = None
        if topic_id is not None and topic_id in seen:
            check.problem(entries["id"], f"{field}.id", f"duplicate topic id {topic_id!r}")
            topic_id = None
        labels = _lang_texts(check, entries.get("label"), f"{field}.label")
        descriptions = {}
        if "description" in entries:
            descriptions = _lang_texts(check, entries["description"], f"{field}.description")
        if topic_id is not None and labels is not None:
            seen[topic_id] = i
            topics.append(Topic(topic_id, labels, descriptions or {}))
    return topics


def _lang_texts(check: Checker, node: yaml.Node | None, field: str) -> dict[Lang, str] | None:
    if node is None:
        return None
    entries = check.lang_entries(node, field)
    if entries is None:
        return None
    texts = {Lang(k): check.text(v, f"{field}.{k}") for k, v in entries.items()}
    if any(v is None for v in texts.values()) or len(texts) != len(ALL_LANGS):
        return None
    return {k: v for k, v in texts.items() if v is not None}


def _load_glossary(path: Path, problems: list[CorpusProblem]) -> list[GlossaryConcept]:
    check = Checker(path, problems)
    root = check.compose(path)
    if root is None:
        return []
    top = check.mapping(root, "", ("concepts",))
    concepts: list[GlossaryConcept] = []
    seen: set[str] = set()
    for i, item in enumerate(check.sequence((top or {}).get("concepts"), "concepts")):
        field = f"concepts[{i}]"
        entries = check.mapping(item, field, ("id", "kind", "names"), ("homonyms",))
        if entries is None:
            continue
        concept_id = check.text(entries.get("id"), f"{field}.id")
        if concept_id is not None and concept_id in seen:
            check.problem(entries["id"], f"{field}.id", f"duplicate concept id {concept_id!r}")
        kind = check.text(entries.get("kind"), f"{field}.kind")
        if kind is not None and kind not in CONCEPT_KINDS:
            check.problem(
                entries["kind"],
                f"{field}.kind",
                f"unknown kind {kind!r} ({', '.join(CONCEPT_KINDS)})",
            )
            kind = None
        names: dict[Lang, tuple[str, ...]] = {}
        names_node = entries.get("names")
        lang_nodes = check.lang_entries(names_node, f"{field}.names") if names_node else None
        for code, node in (lang_nodes or {}).items():
            values = [
                check.text(n, f"{field}.names.{code}[{j}]")
                for j, n in enumerate(check.sequence(node, f"{field}.names.{code}"))
            ]
            names[Lang(code)] = tuple(v for v in values if v)
        homonyms = _load_homonyms(check, entries.get("homonyms"), f"{field}.homonyms", names)
        if concept_id and kind and lang_nodes is not None and concept_id not in seen:
            seen.add(concept_id)
            concepts.append(GlossaryConcept(concept_id, kind, names, homonyms))
    return concepts


def _load_homonyms(
    check: Checker, node: yaml.Node | None, field: str, names: dict[Lang, tuple[str, ...]]
) -> dict[Lang, tuple[str, ...]]:
    """``homonyms``: per language, some of the concept's own names."""
    if node is None:
        return {}
    homonyms: dict[Lang, tuple[str, ...]] = {}
    codes = tuple(lang.value for lang in ALL_LANGS)
    for code, lang_node in (check.mapping(node, field, (), codes) or {}).items():
        found = []
        for j, n in enumerate(check.sequence(lang_node, f"{field}.{code}")):
            value = check.text(n, f"{field}.{code}[{j}]")
            if value is not None and value not in names.get(Lang(code), ()):
                check.problem(n, f"{field}.{code}[{j}]", f"{value!r} is not a {code} name above")
            elif value is not None:
                found.append(value)
        homonyms[Lang(code)] = tuple(found)
    return homonyms


def _load_summary(check: Checker, node: yaml.Node, lang: Lang) -> Summary | None:
    field = lang.value
    entries = check.mapping(node, field, ("title", "summary", "provenance"))
    if entries is None:
        return None
    title = check.text(entries.get("title"), f"{field}.title")
    summary = check.text(entries.get("summary"), f"{field}.summary")
    kind = note = None
    prov_node = entries.get("provenance")
    prov = (
        check.mapping(prov_node, f"{field}.provenance", ("kind", "note"), ("source",))
        if (prov_node is not None)
        else None
    )
    if prov is not None:
        kind = check.text(prov.get("kind"), f"{field}.provenance.kind")
        note = check.text(prov.get("note"), f"{field}.provenance.note")
        if kind is not None and kind not in PROVENANCE_KINDS:
            check.problem(
                prov["kind"],
                f"{field}.provenance.kind",
                f"unknown kind {kind!r} (one of {', '.join(PROVENANCE_KINDS)})",
            )
            kind = None
        if "source" in prov:
            source = check.text(prov["source"], f"{field}.provenance.source")
            if source is not None and source not in {lang.value for lang in ALL_LANGS}:
                check.problem(prov["source"], f"{field}.provenance.source", "expected en, be or ru")
    for name, text, limit in (
        ("title", title, MAX_TITLE_CHARS),
        ("summary", summary, MAX_SUMMARY_CHARS),
    ):
        if text is not None and len(text) > limit:
            check.problem(
                entries[name],
                f"{field}.{name}",
                f"{len(text):,} characters, more than the {limit:,} a {name} may have",
            )
            return None
    if title is None or summary is None or kind is None or note is None:
        return None
    return Summary(lang, title, summary, kind, note)


def _load_report(path: Path, problems: list[CorpusProblem], topic_ids: set[str]) -> Report | None:
    check = Checker(path, problems)
    root = check.compose(path)
    if root is None:
        return None
    required = ("number", "date", "period", "topics")
    optional = tuple(lang.value for lang in ALL_LANGS) + ("full_report", "proposed")
    entries = check.mapping(root, "", required, optional)
    if entries is None:
        return None
    before = len(problems)
    number = check.integer(entries.get("number"), "number")
    date = check.day(entries.get("date"), "date")
    start = end = None
    if "period" in entries:
        period = check.mapping(entries["period"], "period", ("start", "end"))
        if period is not None:
            start = check.day_or_month(period.get("start"), "period.start")
            end = check.day_or_month(period.get("end"), "period.end")
            if start and end and _last_day_of(end[0], end[1]) < start[1]:
                check.problem(period["end"], "period.end", "the period ends before it starts")
    topics: list[str] = []
    for i, node in enumerate(check.sequence(entries.get("topics"), "topics")):
        topic = check.text(node, f"topics[{i}]")
        if topic is None:
            continue
        if topic not in topic_ids:
            check.problem(node, f"topics[{i}]", f"unknown topic id {topic!r} (see topics.yaml)")
        elif topic in topics:
            check.problem(node, f"topics[{i}]", f"topic {topic!r} listed twice")
        else:
            topics.append(topic)
    summaries = {}
    for lang in ALL_LANGS:
        if lang.value in entries:
            summary = _load_summary(check, entries[lang.value], lang)
            if summary is not None:
                summaries[lang] = summary
    if not any(lang.value in entries for lang in ALL_LANGS):
        check.problem(root, "en", "a report needs a text in at least one language (en, be, ru)")
    full = {}
    if "full_report" in entries:
        full = load_full_reports(check, entries["full_report"], path.parent.parent)
        for lang, item in full.items():
            if item is not None and item.file is not None and lang.value not in entries:
                check.problem(
                    entries["full_report"],
                    f"full_report.{lang.value}.file",
                    f"the report has no {lang.value} text: its full report is searched with it",
                )
    proposed = load_proposed(check, entries["proposed"]) if "proposed" in entries else ()
    if len(problems) > before or number is None or date is None or not start or not end:
        return None
    return Report(
        number, date, start[0], end[0], tuple(topics), summaries, str(path), full, proposed
    )


Parsed = tuple[Report | None, list[CorpusProblem]]  # a report file's report and problems


def parse_reports(paths: Sequence[Path], topic_ids: Collection[str]) -> list[Parsed]:
    """Each report file of ``paths`` parsed and checked on its own: its report (``None``
    when it has problems) and its problems, in the order of ``paths``."""
    parsed = []
    topics = set(topic_ids)
    for path in paths:
        problems: list[CorpusProblem] = []
        parsed.append((_load_report(path, problems, topics), problems))
    return parsed


def load_corpus(
    directory: str | Path,
    *,
    require_reports: bool = True,
    parse: Callable[[Sequence[Path], Collection[str]], list[Parsed]] = parse_reports,
) -> Corpus:
    """Load and validate the corpus in ``directory``.

    Raises :class:`CorpusError` listing every problem found (file, line, field, message);
    a corpus that loads is consistent: every report has a text in at least one language,
    known topics, a unique number and only full-report files that exist.  With
    ``require_reports=False`` a corpus without reports (before a first import) loads.
    ``parse`` parses the report files (:func:`parse_reports`, or the same shared
    between processes: the build's); what is checked across files is checked here.
    """
    root = Path(directory)
    problems: list[CorpusProblem] = []
    if not root.is_dir():
        raise CorpusError([CorpusProblem(str(root), None, None, "corpus directory not found")])
    for name in ("topics.yaml", "glossary.yaml", "reports"):
        if not (root / name).exists() and (require_reports or name != "reports"):
            problems.append(CorpusProblem(str(root / name), None, None, "missing"))
    topics = _load_topics(root / "topics.yaml", problems) if (root / "topics.yaml").exists() else []
    glossary = (
        _load_glossary(root / "glossary.yaml", problems)
        if (root / "glossary.yaml").exists()
        else []
    )
    topic_ids = {t.id for t in topics}
    reports: list[Report] = []
    numbers: dict[int, str] = {}
    paths = sorted((root / "reports").glob("*.yaml")) if (root / "reports").is_dir() else []
    if (root / "reports").is_dir() and not paths and require_reports:
        problems.append(CorpusProblem(str(root / "reports"), None, None, "no report files"))
    for path, (report, found) in zip(paths, parse(paths, topic_ids), strict=True):
        problems += found
        if report is None:
            continue
        if report.number in numbers:
            line = _line_of_key(path, "number")
            message = f"duplicate report number {report.number} (also in {numbers[report.number]})"
            problems.append(CorpusProblem(str(path), line, "number", message))
            continue
        numbers[report.number] = str(path)
        reports.append(report)
    if problems:
        raise CorpusError(problems)
    reports.sort(key=lambda r: (r.date, r.number), reverse=True)
    return Corpus(tuple(reports), tuple(topics), tuple(glossary))


def unaligned_paragraphs(corpus: Corpus) -> list[CorpusProblem]:
    """Reports whose language versions differ in their number of paragraphs.

    The three languages are read side by side paragraph by paragraph
    (``/reports/<n>/compare``), so each version must have as many paragraphs (blocks
    separated by blank lines) as the English one (or the first language the report
    has).  Each problem names the file, the line and the field (``be.summary``) of a
    version that differs.  ``iapb-index check`` fails on them; a build does not (a
    search needs no alignment, and the compare page leaves a missing paragraph empty).
    """
    problems = []
    for report in sorted(corpus.reports, key=lambda r: r.source):
        counts = {
            lang: len(split_paragraphs(text.summary)) for lang, text in report.summaries.items()
        }
        reference = Lang.EN if Lang.EN in counts else report.langs[0]
        for lang in report.langs:
            if counts[lang] == counts[reference]:
                continue
            field = f"{lang.value}.summary"
            problems.append(
                CorpusProblem(
                    report.source,
                    _line_of_field(Path(report.source), lang.value, "summary"),
                    field,
                    f"{counts[lang]} paragraphs, but {reference.value}.summary has "
                    f"{counts[reference]}: every language needs the same paragraphs, in the "
                    "same order (a blank line separates paragraphs)",
                )
            )
    return problems


def _line_of_field(path: Path, *keys: str) -> int | None:
    """The line of the value at ``keys`` (``be``, ``summary``) in a YAML file, if found."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    for key in keys:
        node = next((v for k, v in getattr(node, "value", []) if k.value == key), None)
        if node is None:
            return None
    return node.start_mark.line + 1


def _line_of_key(path: Path, key: str) -> int | None:
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    for key_node, _ in getattr(node, "value", []):
        if key_node.value == key:
            return key_node.start_mark.line + 1
    return None
