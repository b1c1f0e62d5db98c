"""A lint of the glossary against the reports' text: no common word as a concept's name.

A query containing any name of a concept also searches all the concept's other names,
so a name that is an ordinary word ("подход", "approach") would turn every query with
that word into a search for the concept.  A name is flagged when

* it is one word once analysed in its language (one index term),
* it is written in lower case (proper names and acronyms have capitals: "Belarus",
  "IAPB" and "Лукашэнка" are meant to be in many documents), and
* that term is in at least :data:`COMMON_SHARE` of the documents (title and summary)
  of its language, and in at least :data:`COMMON_MIN_DOCUMENTS` of them,
* and the concept is not as common in the other languages: no one-word name of it in
  another language (where it has names) is in at least :data:`LESS_COMMON` of the share
  of documents the name is in.  A concept that is itself a common subject ("torture",
  «пытки», «катаванні») is named by a word as frequent as its subject in every language,
  and a new report about it must not make ``check`` fail; an ordinary word that slipped
  in as a name («подход» cut off by a comma, where the concept's English names have two
  words; "accountability" beside «безнаказанность») has no such counterpart.

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
# A counterpart in another language "as common" is in at least this fraction of the
# name's share of documents (in its own language's documents).
LESS_COMMON = 1 / 3


def _name_nodes(path: Path):
    """(concept index, field, language, name, line) of every glossary name, read from the
    YAML nodes."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    top = dict((k.value, v) for k, v in getattr(root, "value", []))
    for i, concept in enumerate(getattr(top.get("concepts"), "value", [])):
        entries = dict((k.value, v) for k, v in getattr(concept, "value", []))
        names = dict((k.value, v) for k, v in getattr(entries.get("names"), "value", []))
        for code, seq in names.items():
            for j, node in enumerate(getattr(seq, "value", [])):
                field = f"concepts[{i}].names.{code}[{j}]"
                yield i, field, Lang(code), str(node.value), node.start_mark.line + 1


def common_word_names(corpus: Corpus, directory: str | Path) -> list[CorpusProblem]:
    """A problem for every glossary name that is a common word of the corpus (see above)."""
    path = Path(directory) / "glossary.yaml"
    frequency: dict[Lang, Counter[str]] = {lang: Counter() for lang in ALL_LANGS}
    documents: Counter[Lang] = Counter()
    for report in corpus.reports:
        for lang, summary in report.summaries.items():
            documents[lang] += 1
            frequency[lang].update(set(analyze(f"{summary.title}\n{summary.summary}", lang)))
    names = list(_name_nodes(path))
    # Per concept and language: the largest share of documents a one-word name is in.
    shares: dict[tuple[int, Lang], float] = {}
    for concept, _, lang, name, _ in names:
        terms = analyze(name, lang)
        if len(terms) == 1 and documents[lang]:
            share = frequency[lang][terms[0]] / documents[lang]
            shares[concept, lang] = max(shares.get((concept, lang), 0.0), share)
    named = {(concept, lang) for concept, _, lang, _, _ in names}
    problems = []
    for concept, field, lang, name, line in names:
        terms = analyze(name, lang)
        if len(terms) != 1 or name != name.lower() or not documents[lang]:
            continue
        count = frequency[lang][terms[0]]
        needed = max(COMMON_MIN_DOCUMENTS, math.ceil(COMMON_SHARE * documents[lang]))
        others = [other for other in ALL_LANGS if other != lang and (concept, other) in named]
        share = count / documents[lang]
        as_common = others and all(
            shares.get((concept, other), 0.0) >= LESS_COMMON * share for other in others
        )
        if count >= needed and not as_common:
            message = (
                f"{name!r} is a common word ({count} of {documents[lang]} {lang.value} "
                "documents): every query with it would search the whole concept; "
                "give the full name (quote a name that contains a comma)"
            )
            problems.append(CorpusProblem(str(path), line, field, message))
    return problems
