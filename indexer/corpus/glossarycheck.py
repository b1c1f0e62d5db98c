"""A lint of the glossary against the reports' text: no common word as a concept's name.

A query containing any name of a concept also searches all the concept's other names,
so a name that is an ordinary word ("подход", "approach") would turn every query with
that word into a search for the concept.  A name is flagged when

* it is one word once analysed in its language (one index term),
* it is written in lower case (proper names and acronyms have capitals: "Belarus",
  "IAPB" and "Лукашэнка" are meant to be in many documents), and
* that term is in at least :data:`COMMON_SHARE` of the documents (title and summary)
  of its language, and in at least :data:`COMMON_MIN_DOCUMENTS` of them.

On the bundled corpus the single-word names of concepts ("torture", «выборы»,
"impunity") are each in one report of six; «подход» of "survivor-centred approach",
cut off by a comma, was in two.  ``iapb-index check`` runs this lint; a build does not
(it would analyse every text a second time, which matters on large corpora).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import yaml

from indexer.analysis import analyze
from indexer.corpus.load import Corpus
from indexer.corpus.yamlcheck import YAML_LOADER
from indexer.errors import CorpusProblem
from indexer.languages import ALL_LANGS, Lang

COMMON_SHARE = 0.25
COMMON_MIN_DOCUMENTS = 2


def _name_nodes(path: Path):
    """(field, language, name, line) of every glossary name, read from the YAML nodes."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    top = dict((k.value, v) for k, v in getattr(root, "value", []))
    for i, concept in enumerate(getattr(top.get("concepts"), "value", [])):
        entries = dict((k.value, v) for k, v in getattr(concept, "value", []))
        names = dict((k.value, v) for k, v in getattr(entries.get("names"), "value", []))
        for code, seq in names.items():
            for j, node in enumerate(getattr(seq, "value", [])):
                field = f"concepts[{i}].names.{code}[{j}]"
                yield field, Lang(code), str(node.value), node.start_mark.line + 1


def common_word_names(corpus: Corpus, directory: str | Path) -> list[CorpusProblem]:
    """A problem for every glossary name that is a common word of the corpus (see above)."""
    path = Path(directory) / "glossary.yaml"
    frequency: dict[Lang, Counter[str]] = {lang: Counter() for lang in ALL_LANGS}
    documents: Counter[Lang] = Counter()
    for report in corpus.reports:
        for lang, summary in report.summaries.items():
            documents[lang] += 1
            frequency[lang].update(set(analyze(f"{summary.title}\n{summary.summary}", lang)))
    problems = []
    for field, lang, name, line in _name_nodes(path):
        terms = analyze(name, lang)
        if len(terms) != 1 or name != name.lower() or not documents[lang]:
            continue
        count = frequency[lang][terms[0]]
        needed = max(COMMON_MIN_DOCUMENTS, math.ceil(COMMON_SHARE * documents[lang]))
        if count >= needed:
            message = (
                f"{name!r} is a common word ({count} of {documents[lang]} {lang.value} "
                "documents): every query with it would search the whole concept; "
                "give the full name (quote a name that contains a comma)"
            )
            problems.append(CorpusProblem(str(path), line, field, message))
    return problems
