"""Synthetic corpora for benchmarks and cost-limit tests, from a real corpus's own vocabulary.

``python -m bench.synth --docs 100000 --out bench/out/synth-100000`` writes a valid
corpus directory (``reports/*.yaml``, ``topics.yaml``, ``glossary.yaml``) of ``docs``
documents: ``docs / 3`` reports (rounded up) in the three languages.  For each language the words
of the source corpus's titles and summaries are ranked by frequency and drawn with
Zipf's law (the probability of rank ``r`` is proportional to ``1 / r``); sentence,
paragraph, summary and title lengths follow the source's, and glossary names are
sprinkled in at the rate the source uses them.  Dates are spread over 2021-2025 and
topics drawn from ``topics.yaml``.  The output depends only on the source corpus and
the seed, and ``synth.json`` beside the YAML records both, so a caller can reuse a
corpus that is already there (:func:`is_current`).

The vocabulary is the source's (a few hundred words per language), so postings are far
denser than in a real corpus of the same size: common words match most documents of
their language.  That makes it a pessimistic corpus for query latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.corpus.load import Corpus, load_corpus
from indexer.errors import CorpusError
from indexer.languages import ALL_LANGS, Lang

MANIFEST = "synth.json"
GENERATOR_VERSION = 1
ZIPF_EXPONENT = 1.0
FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)")
_NOTES = {
    Lang.EN: "Synthetic text for benchmarks.",
    Lang.BE: "Сінтэтычны тэкст для вымярэнняў (неафіцыйны пераклад).",
    Lang.RU: "Синтетический текст для замеров (неофициальный перевод).",
}


@dataclass(frozen=True)
class LanguageModel:
    """What the generator draws from for one language."""

    words: np.ndarray  # object array of words, most frequent first
    cdf: np.ndarray  # cumulative Zipf probabilities over ``words``
    sentence_lengths: np.ndarray  # words per sentence in the source
    summary_lengths: np.ndarray  # words per summary in the source
    title_lengths: np.ndarray  # words per title in the source
    names: tuple[str, ...]  # glossary names in this language
    name_rate: float  # glossary names of several words per sentence in the source


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END_RE.split(text) if _WORD_RE.search(s)]


def _names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


def language_model(corpus: Corpus, lang: Lang) -> LanguageModel:
    """Word ranks and length distributions of ``lang`` in ``corpus``."""
    counts: Counter[str] = Counter()
    sentence_lengths: list[int] = []
    summary_lengths: list[int] = []
    title_lengths: list[int] = []
    # Single-word names (IAPB, Belarus) are drawn with the vocabulary already; names of
    # several words are inserted whole, as often per sentence as the source has them.
    names = tuple(
        dict.fromkeys(n for c in corpus.glossary for n in c.names.get(lang, ()) if " " in n)
    )
    pattern = _names_pattern(names)
    name_hits = 0
    for report in corpus.reports:
        text = report.summaries.get(lang)
        if text is None:
            continue
        counts.update(_WORD_RE.findall(text.title))
        title_lengths.append(len(_WORD_RE.findall(text.title)))
        summary_words = _WORD_RE.findall(text.summary)
        counts.update(summary_words)
        summary_lengths.append(len(summary_words))
        sentence_lengths.extend(len(_WORD_RE.findall(s)) for s in _sentences(text.summary))
        name_hits += len(pattern.findall(text.summary)) if names else 0
    # Ties keep first-seen order (Counter preserves insertion order): deterministic.
    ranked = [w for w, _ in sorted(counts.items(), key=lambda item: -item[1])]
    if not ranked:
        raise ValueError(f"the source corpus has no {lang.value} text")
    weights = 1.0 / np.arange(1, len(ranked) + 1, dtype=np.float64) ** ZIPF_EXPONENT
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    sentences = max(len(sentence_lengths), 1)
    return LanguageModel(
        words=np.array(ranked, dtype=object),
        cdf=cdf,
        sentence_lengths=np.array(sentence_lengths or [20], dtype=np.int64),
        summary_lengths=np.array(summary_lengths, dtype=np.int64),
        title_lengths=np.array([max(t, 2) for t in title_lengths], dtype=np.int64),
        names=names,
        name_rate=name_hits / sentences,
    )


class _Writer:
    """Draws one report after another from the language models with one random stream."""

    def __init__(self, corpus: Corpus, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.models = {lang: language_model(corpus, lang) for lang in ALL_LANGS}
        self.topic_ids = [t.id for t in corpus.topics]
        self.topic_counts = np.array([max(len(r.topics), 1) for r in corpus.reports])
        self.days = (LAST_DAY - FIRST_DAY).days + 1

    def _words(self, model: LanguageModel, count: int) -> list[str]:
        return model.words[np.searchsorted(model.cdf, self.rng.random(count))].tolist()

    def _length(self, lengths: np.ndarray, low: int) -> int:
        return max(low, int(self.rng.choice(lengths) * self.rng.uniform(0.7, 1.3)))

    def summary(self, model: LanguageModel) -> str:
        total = self._length(model.summary_lengths, 20)
        words = self._words(model, total)
        sentences: list[str] = []
        at = 0
        while at < total:
            size = min(self._length(model.sentence_lengths, 4), total - at)
            sentence = words[at : at + size]
            at += size
            for _ in range(int(self.rng.poisson(model.name_rate)) if model.names else 0):
                name = model.names[int(self.rng.integers(len(model.names)))]
                sentence[int(self.rng.integers(len(sentence)))] = name
            if len(sentence) > 8 and self.rng.random() < 0.5:
                cut = int(self.rng.integers(3, len(sentence) - 3))
                sentence[cut] += ","
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            sentences.append(" ".join(sentence) + ".")
        paragraphs: list[str] = []
        while sentences:
            take = int(self.rng.integers(2, 5))
            paragraphs.append(" ".join(sentences[:take]))
            sentences = sentences[take:]
        return "\n\n".join(paragraphs)

    def title(self, model: LanguageModel) -> str:
        words = self._words(model, self._length(model.title_lengths, 2))
        return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])

    def report(self, number: int) -> str:
        day = FIRST_DAY + dt.timedelta(days=int(self.rng.integers(self.days)))
        end = day.replace(day=1) - dt.timedelta(days=1)
        start_month = end.year * 12 + end.month - 1 - 5
        start = f"{start_month // 12:04d}-{start_month % 12 + 1:02d}"
        size = min(int(self.rng.choice(self.topic_counts)), len(self.topic_ids))
        picked = sorted(self.rng.choice(len(self.topic_ids), size=size, replace=False))
        topics = ", ".join(self.topic_ids[i] for i in picked)
        lines = [
            f"number: {number}",
            f"date: {day.isoformat()}",
            "period:",
            f"  start: {start}",
            f"  end: {end.year:04d}-{end.month:02d}",
            f"topics: [{topics}]",
        ]
        for lang in ALL_LANGS:
            model = self.models[lang]
            title = json.dumps(self.title(model), ensure_ascii=False)  # valid YAML too
            body = self.summary(model).replace("\n", "\n    ").replace("\n    \n", "\n\n")
            kind = "original" if lang is Lang.EN else "unofficial-translation"
            lines += [
                f"{lang.value}:",
                f"  title: {title}",
                "  summary: |",
                f"    {body}",
                "  provenance:",
                f"    kind: {kind}",
            ]
            if lang is not Lang.EN:
                lines.append("    source: en")
            lines.append(f"    note: {json.dumps(_NOTES[lang], ensure_ascii=False)}")
        return "\n".join(lines) + "\n"


def report_count(docs: int) -> int:
    """Reports needed for at least ``docs`` documents (three languages per report)."""
    return -(-docs // len(ALL_LANGS))


def source_fingerprint(source: str | Path) -> str:
    """A hash of the source corpus's YAML files (what a synthetic corpus is drawn from)."""
    digest = hashlib.sha256()
    root = Path(source)
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest(docs: int, seed: int, source: str | Path) -> dict:
    """What ``synth.json`` records: enough to tell whether a corpus can be reused."""
    return {
        "generator": GENERATOR_VERSION,
        "requested": docs,
        "documents": report_count(docs) * len(ALL_LANGS),
        "reports": report_count(docs),
        "seed": seed,
        "source": source_fingerprint(source),
    }


def is_current(out: str | Path, docs: int, seed: int, source: str | Path) -> bool:
    """True when ``out`` holds a complete synthetic corpus of these parameters."""
    try:
        found = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found == manifest(docs, seed, source)


def generate(docs: int, out: str | Path, *, seed: int = 0, source: str | Path = "corpus") -> dict:
    """Write a synthetic corpus of ``docs`` documents into ``out``; returns its manifest.

    Every report has a document in each of the three languages, so ``docs`` is rounded
    up to a multiple of 3 (100,000 gives 33,334 reports, 100,002 documents).
    The directory is written beside ``out`` and renamed into place, so ``out`` is never
    half-written.  An existing ``out`` is replaced only if it is a synthetic corpus
    (it has ``synth.json``).  Raises ``ValueError`` for a bad count or an ``out`` that is
    something else, and :class:`~indexer.errors.CorpusError` for an invalid source.
    """
    if docs < 1:
        raise ValueError(f"--docs must be a positive number, not {docs}")
    target = Path(out)
    if target.exists() and not (target / MANIFEST).exists() and any(target.iterdir()):
        raise ValueError(f"{target} exists and is not a synthetic corpus: not replacing it")
    corpus = load_corpus(source)
    writer = _Writer(corpus, seed)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "reports").mkdir(parents=True)
    try:
        for name in ("topics.yaml", "glossary.yaml"):
            shutil.copyfile(Path(source) / name, tmp / name)
        for number in range(1, report_count(docs) + 1):
            path = tmp / "reports" / f"{number:06d}.yaml"
            path.write_text(writer.report(number), encoding="utf-8")
        info = manifest(docs, seed, source)
        (tmp / MANIFEST).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return info


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``python -m bench.synth --docs N --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument(
        "--docs", type=int, required=True, help="documents (rounded up to a multiple of 3)"
    )
    parser.add_argument("--out", required=True, help="directory to write the corpus into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--from-corpus", default="corpus", help="corpus to draw from (default: corpus)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        info = generate(args.docs, args.out, seed=args.seed, source=args.from_corpus)
    except ValueError as exc:
        parser.error(str(exc))
    except CorpusError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"the source corpus {args.from_corpus} is invalid", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"wrote {info['documents']} documents ({info['reports']} reports x 3 languages) "
        f"to {args.out} in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
