"""``corpus/figures.yaml`` into a :class:`~indexer.figures.model.FigureSet`, checked
against the summaries.

Every value must be in its paragraph in every language of its report, written in any
way search reads numbers (:mod:`indexer.figures.numbers`), and a value said to be
"over" or "more than" must follow such words there; a value that is not is refused
with the file, line and field of the value, and what the paragraph holds instead.  The
quotation of each value (its sentence, in each language) is taken from the summary
here, never stored in the YAML, so edits of a translation carry over.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from indexer.corpus.load import Corpus, Report
from indexer.corpus.paragraphs import split_paragraphs
from indexer.corpus.yamlcheck import Checker
from indexer.errors import CorpusError, CorpusProblem
from indexer.figures.model import (
    Basis,
    Figure,
    FigureSet,
    FigureValue,
    Ignored,
    Qualifier,
)
from indexer.figures.names import name_terms
from indexer.figures.numbers import mentions, plain
from indexer.figures.quotes import paragraph_texts, quote_of, said_qualifier
from indexer.languages import Lang

FIGURES_FILE = "figures.yaml"
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_AS_OF_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")
_VALUE_FIELDS = ("report", "paragraph", "value")
_VALUE_OPTIONAL = ("qualifier", "basis", "as_of", "occurrence", "note")


def load_figures(directory: str | Path, corpus: Corpus) -> FigureSet:
    """The figures of the corpus in ``directory``, checked against ``corpus``.

    An empty set when the corpus has no ``figures.yaml``.  Raises
    :class:`~indexer.errors.CorpusError` listing every problem (file, line, field).
    """
    path = Path(directory) / FIGURES_FILE
    if not path.exists():
        return FigureSet()
    problems: list[CorpusProblem] = []
    figures = parse_figures(path, corpus, problems)
    if problems:
        raise CorpusError(problems)
    return figures


def parse_figures(path: Path, corpus: Corpus, problems: list[CorpusProblem]) -> FigureSet:
    """:func:`load_figures` for one file, adding its problems to ``problems``."""
    check = Checker(path, problems)
    root = check.compose(path)
    if root is None:
        return FigureSet()
    top = check.mapping(root, "", ("figures",), ("ignore",)) or {}
    reports = {r.number: r for r in corpus.reports}
    figures: list[Figure] = []
    seen: set[str] = set()
    named: dict[tuple[Lang, frozenset[str]], str] = {}  # a name's terms -> its figure
    claims: dict[tuple, str] = {}  # (report, paragraph, value, occurrence) -> its figure
    for i, node in enumerate(check.sequence(top.get("figures"), "figures")):
        figure = _figure(check, node, f"figures[{i}]", reports, named, claims)
        if figure is None:
            continue
        if figure.id in seen:
            check.problem(node, f"figures[{i}].id", f"duplicate figure id {figure.id!r}")
            continue
        seen.add(figure.id)
        figures.append(figure)
    ignored = [
        item
        for j, node in enumerate(check.sequence(top.get("ignore"), "ignore"))
        if (item := _ignored(check, node, f"ignore[{j}]", reports)) is not None
    ]
    return FigureSet(tuple(figures), tuple(ignored))


def _lang_texts(check: Checker, node: yaml.Node | None, field: str) -> dict[Lang, str]:
    entries = check.lang_entries(node, field) if node is not None else None
    texts = {Lang(k): check.text(v, f"{field}.{k}") for k, v in (entries or {}).items()}
    return {k: v for k, v in texts.items() if v}


# How many forms a unit has in each language when it is not invariable.
_PLURAL_FORMS = {Lang.EN: 2, Lang.BE: 3, Lang.RU: 3}


def _units(check: Checker, node: yaml.Node | None, field: str) -> dict[Lang, tuple[str, ...]]:
    """Per language a unit given once (invariable: «інтэрв’ю») or its plural forms
    (en: one, other; be and ru: one, few, many)."""
    entries = check.lang_entries(node, field) if node is not None else None
    units: dict[Lang, tuple[str, ...]] = {}
    for code, value in (entries or {}).items():
        lang, where = Lang(code), f"{field}.{code}"
        if isinstance(value, yaml.SequenceNode):
            forms = tuple(check.text(n, f"{where}[{i}]") for i, n in enumerate(value.value))
            if len(forms) != _PLURAL_FORMS[lang]:
                wanted = "one, other" if lang is Lang.EN else "one, few, many"
                check.problem(value, where, f"expected {_PLURAL_FORMS[lang]} forms ({wanted})")
                continue
            if all(forms):
                units[lang] = forms  # type: ignore[assignment]
        elif (text := check.text(value, where)) is not None:
            units[lang] = (text,)
    return units


def _figure(
    check: Checker,
    node: yaml.Node,
    field: str,
    reports: dict[int, Report],
    named: dict[tuple[Lang, frozenset[str]], str],
    claims: dict[tuple, str],
) -> Figure | None:
    entries = check.mapping(node, field, ("id", "label", "unit", "names", "values"))
    if entries is None:
        return None
    figure_id = check.text(entries.get("id"), f"{field}.id")
    if figure_id is not None and not _ID_RE.fullmatch(figure_id):
        check.problem(entries["id"], f"{field}.id", f"expected a-z, 0-9 and '-', not {figure_id!r}")
        figure_id = None
    label = _lang_texts(check, entries.get("label"), f"{field}.label")
    unit = _units(check, entries.get("unit"), f"{field}.unit")
    names: dict[Lang, tuple[str, ...]] = {}
    names_node = entries.get("names")
    for code, lang_node in (
        (check.lang_entries(names_node, f"{field}.names") if names_node else None) or {}
    ).items():
        found = [
            _name(check, n, f"{field}.names.{code}[{j}]", Lang(code), entries, named)
            for j, n in enumerate(check.sequence(lang_node, f"{field}.names.{code}"))
        ]
        names[Lang(code)] = tuple(n for n in found if n)
    values: list[FigureValue] = []
    id_node = entries.get("id")
    this = str(id_node.value) if isinstance(id_node, yaml.ScalarNode) else field
    for j, value_node in enumerate(check.sequence(entries.get("values"), f"{field}.values")):
        value = _value(check, value_node, f"{field}.values[{j}]", reports)
        if value is None:
            continue
        if any(v.report == value.report for v in values):
            check.problem(
                value_node, f"{field}.values[{j}].report", f"report {value.report} is given twice"
            )
            continue
        # One number of the text backs one value: a second claim is a wrong report or
        # paragraph that happens to hold the same number (or a missing `occurrence`).
        key = (value.report, value.paragraph, value.value, value.occurrence)
        owner = claims.setdefault(key, this)
        if owner != this:
            check.problem(
                value_node,
                f"{field}.values[{j}].report",
                f"occurrence {value.occurrence} of {plain(value.value)} in paragraph "
                f"{value.paragraph} of report {value.report} is already the value of "
                f"figure {owner!r} (another report? or `occurrence: 2` for a second one)",
            )
            continue
        values.append(value)
    if figure_id is None or len(label) < 3 or len(unit) < 3 or len(names) < 3:
        return None
    values.sort(key=lambda v: (v.as_of_date, v.report))
    return Figure(figure_id, label, unit, names, tuple(values))


def _name(
    check: Checker,
    node: yaml.Node,
    field: str,
    lang: Lang,
    entries: dict[str, yaml.Node],
    named: dict[tuple[Lang, frozenset[str]], str],
) -> str | None:
    """One name of a figure, which must say more than a question ("how many") and be
    no other figure's name once analysed ("requesting States" is "State requests")."""
    name = check.text(node, field)
    id_node = entries.get("id")
    owner = str(id_node.value) if isinstance(id_node, yaml.ScalarNode) else ""
    if name is None:
        return None
    terms = name_terms(name, lang)
    if not terms:
        check.problem(node, field, f"{name!r} names nothing once question words are left out")
        return None
    other = named.setdefault((lang, terms), owner)
    if other != owner:
        check.problem(node, field, f"{name!r} reads as a name of figure {other!r} too")
        return None
    return name


def _value(
    check: Checker, node: yaml.Node, field: str, reports: dict[int, Report]
) -> FigureValue | None:
    entries = check.mapping(node, field, _VALUE_FIELDS, _VALUE_OPTIONAL)
    if entries is None:
        return None
    number = check.integer(entries.get("report"), f"{field}.report")
    paragraph = check.integer(entries.get("paragraph"), f"{field}.paragraph")
    value = _number(check, entries.get("value"), f"{field}.value")
    qualifier = _choice(check, entries.get("qualifier"), f"{field}.qualifier", Qualifier)
    basis = _choice(check, entries.get("basis"), f"{field}.basis", Basis)
    occurrence = 1
    if "occurrence" in entries:
        occurrence = check.integer(entries["occurrence"], f"{field}.occurrence") or 0
    note = _lang_texts(check, entries.get("note"), f"{field}.note") if "note" in entries else {}
    as_of = None
    if "as_of" in entries:
        as_of = check.text(entries["as_of"], f"{field}.as_of")
        if as_of is not None and not _AS_OF_RE.fullmatch(as_of):
            check.problem(
                entries["as_of"], f"{field}.as_of", f"expected YYYY-MM or YYYY-MM-DD, not {as_of!r}"
            )
            return None
    if None in (number, paragraph, value, qualifier, basis) or not occurrence:
        return None
    report = reports.get(number)
    if report is None:
        known = ", ".join(str(n) for n in sorted(reports))
        check.problem(
            entries["report"],
            f"{field}.report",
            f"no report {number} in the corpus (reports: {known})",
        )
        return None
    anchors, quotes = {}, {}
    for lang in report.langs:
        paragraphs = split_paragraphs(report.summaries[lang].summary)
        where = f"paragraph {paragraph} of {lang.value}.summary of {report.source}"
        if paragraph > len(paragraphs):
            check.problem(
                entries["paragraph"],
                f"{field}.paragraph",
                f"{report.source} has {len(paragraphs)} paragraphs in "
                f"{lang.value}.summary, not {paragraph}",
            )
            return None
        text = paragraph_texts(report.summaries[lang].summary)[paragraph - 1]
        found = mentions(text)
        same = [m for m in found if m.value == value]
        if len(same) < occurrence:
            there = ", ".join(plain(m.value) for m in found) or "no number"
            nth = f" {occurrence} times" if occurrence > 1 else ""
            check.problem(
                entries["value"],
                f"{field}.value",
                f"{plain(value)} is not{nth} in {where} (it has: {there})",
            )
            return None
        mention = same[occurrence - 1]
        said = said_qualifier(text, mention)
        if (
            said is not None
            and said is not qualifier
            and not (said is Qualifier.OVER and qualifier is Qualifier.MORE_THAN)
        ):
            check.problem(
                entries.get("qualifier", entries["value"]),
                f"{field}.qualifier",
                f"{where} qualifies {plain(value)} as {said.value!r}, not {qualifier.value!r}",
            )
            return None
        if said is None and qualifier is not Qualifier.EXACT:
            check.problem(
                entries["qualifier"],
                f"{field}.qualifier",
                f"{where} says {plain(value)} without {qualifier.value!r}",
            )
            return None
        anchors[lang] = paragraphs[paragraph - 1].anchor
        quotes[lang] = quote_of(text, mention)
    return FigureValue(
        report=number,
        paragraph=paragraph,
        value=value,
        qualifier=qualifier,
        basis=basis,
        as_of=as_of or report.period_end,
        occurrence=occurrence,
        note=note,
        line=node.start_mark.line + 1,
        date=report.date,
        anchors=anchors,
        quotes=quotes,
    )


def _ignored(
    check: Checker, node: yaml.Node, field: str, reports: dict[int, Report]
) -> Ignored | None:
    entries = check.mapping(node, field, ("report", "value", "reason"))
    if entries is None:
        return None
    number = check.integer(entries.get("report"), f"{field}.report")
    value = _number(check, entries.get("value"), f"{field}.value")
    reason = check.text(entries.get("reason"), f"{field}.reason")
    if number is None or value is None or reason is None:
        return None
    report = reports.get(number)
    if report is None:
        check.problem(entries["report"], f"{field}.report", f"no report {number} in the corpus")
        return None
    if not any(
        m.value == value for lang in report.langs for m in mentions(report.summaries[lang].summary)
    ):
        check.problem(
            entries["value"],
            f"{field}.value",
            f"{plain(value)} is not in {report.source}: nothing to ignore",
        )
        return None
    return Ignored(number, value, reason, node.start_mark.line + 1)


def _number(check: Checker, node: yaml.Node | None, field: str) -> Decimal | None:
    text = check.text(node, field)
    if text is None:
        return None
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value <= 0:
        check.problem(
            node, field, f"expected a positive number such as 2637 or 1500000, not {text!r}"
        )
        return None
    return value


def _choice(check: Checker, node: yaml.Node | None, field: str, kind):
    if node is None:
        return next(iter(kind))
    text = check.text(node, field)
    if text is None:
        return None
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        check.problem(node, field, f"expected one of {allowed}, not {text!r}")
        return None
