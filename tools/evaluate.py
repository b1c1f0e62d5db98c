"""Score the stemmers on reference data: ``python -m tools.evaluate [--json]``.

Two measures (see ``data/README.md`` in the reference data directory):

* pair recall and pair precision on the lemmas of Universal Dependencies dev
  treebanks (Belarusian-HSE, Russian-GSD), for our stemmers and for two baselines
  on Belarusian (Snowball Russian applied to Belarusian; cutting words to five letters);
* the exact-match rate of the English and Russian chains against Snowball's own
  reference lists (``*_voc.txt`` -> ``*_output.txt``; the Russian list checks the
  Snowball stemmer the Russian cross-script key is made from);
* the cost of the Russian analysers per word: each distinct form of the Russian
  treebank analysed once, uncached (the dictionary loaded beforehand, its loading
  timed apart).

Russian is scored three ways: our chain (pymorphy3's dictionary lemmas), the same with
Snowball for the words the dictionary does not know, and Snowball alone (the chain
before issue 24).

The data directory is ``$IAPB_REFDATA`` (default ``../shared/data``).  The reference
data is never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from indexer import morph_ru
from indexer.analysis import normalise_word, stem, stem_en, stem_ru

DEFAULT_REFDATA = "../shared/data"
EXCLUDED_UPOS = frozenset({"PUNCT", "NUM", "SYM", "X"})

StemFn = Callable[[str], str]


class Token(NamedTuple):
    """One syntactic word of a CoNLL-U file: its form, lemma and universal POS tag."""

    form: str
    lemma: str
    upos: str


@dataclass(frozen=True)
class PairScore:
    """Pair recall and precision of one stemmer on one treebank."""

    lang: str
    stemmer: str
    forms: int
    recall: float
    precision: float


@dataclass(frozen=True)
class Cost:
    """Microseconds per word of one analyser, uncached, over ``words`` distinct forms."""

    stemmer: str
    words: int
    microseconds: float


@dataclass(frozen=True)
class MatchScore:
    """Exact-match rate of one stemming chain against a Snowball reference list."""

    lang: str
    stemmer: str
    words: int
    exact: float


def read_conllu(lines: Iterable[str]) -> list[Token]:
    """Return the syntactic words of CoNLL-U ``lines``.

    Comments, blank lines, multiword-token ranges ("1-2") and empty nodes ("8.1") are
    skipped.  Raises ``ValueError`` on a word line that does not have ten columns.
    """
    tokens = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ValueError(f"line {number}: expected 10 tab-separated columns, got {len(cols)}")
        if not cols[0].isdigit():
            continue
        tokens.append(Token(cols[1], cols[2], cols[3]))
    return tokens


def sentences_by_spelling(lines: Iterable[str]) -> dict[str, list[str]]:
    """Group CoNLL-U lines by their sentence's ``# spelling =`` comment.

    Belarusian-HSE marks each sentence as standard (``nar``, narkamauka) or classical
    (``tar``, taraškievica) orthography and lemmatises the two spellings of a word as
    different lemmas; scoring each orthography apart shows the stemmer without that
    artefact.  Sentences without the comment are grouped under ``""``.
    """
    groups: dict[str, list[str]] = {}
    sentence: list[str] = []
    spelling = ""
    for line in list(lines) + [""]:
        if line.startswith("# spelling"):
            spelling = line.partition("=")[2].strip()
        if line.strip():
            sentence.append(line)
            continue
        if sentence:
            groups.setdefault(spelling, []).extend(sentence + [""])
        sentence, spelling = [], ""
    return groups


def form_lemmas(tokens: Iterable[Token]) -> dict[str, str]:
    """Map each distinct normalised form to its most frequent normalised lemma.

    Tokens tagged PUNCT, NUM, SYM or X are left out.  Ties go to the lemma seen first.
    """
    counts: dict[str, Counter[str]] = {}
    for token in tokens:
        if token.upos in EXCLUDED_UPOS:
            continue
        form = normalise_word(token.form)
        if form:
            counts.setdefault(form, Counter())[normalise_word(token.lemma)] += 1
    return {form: lemmas.most_common(1)[0][0] for form, lemmas in counts.items()}


def _pairs(groups: Iterable[object]) -> int:
    sizes = Counter(groups)
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pair_scores(form_to_lemma: Mapping[str, str], stem_fn: StemFn) -> tuple[float, float]:
    """Return (pair recall, pair precision) of ``stem_fn`` over distinct forms.

    Recall: of the pairs of forms sharing a lemma, the share that get the same stem.
    Precision: of the pairs getting the same stem, the share that share a lemma.
    Pairs are counted per group, in linear time.  With no pair to judge a measure is 1.0.
    """
    stems = {form: stem_fn(form) for form in form_to_lemma}
    same_lemma = _pairs(form_to_lemma.values())
    same_stem = _pairs(stems.values())
    both = _pairs((lemma, stems[form]) for form, lemma in form_to_lemma.items())
    recall = both / same_lemma if same_lemma else 1.0
    precision = both / same_stem if same_stem else 1.0
    return recall, precision


def exact_match_rate(words: list[str], expected: list[str], stem_fn: StemFn) -> float:
    """Share of ``words`` whose normalised stem equals the matching ``expected`` line.

    Raises ``ValueError`` when the two lists differ in length.
    """
    if len(words) != len(expected):
        raise ValueError(f"{len(words)} words but {len(expected)} expected stems")
    if not words:
        return 1.0
    hits = sum(stem_fn(normalise_word(w)) == e for w, e in zip(words, expected, strict=True))
    return hits / len(words)


def stem_be_ours(word: str) -> str:
    """Our Belarusian chain (normalise, then :mod:`indexer.stemmer_be`)."""
    return stem(word, "be")


def stem_be_snowball_ru(word: str) -> str:
    """Baseline: Snowball Russian applied to Belarusian."""
    return stem_ru(normalise_word(word))


def stem_ru_chain(word: str) -> str:
    """Our Russian chain (normalise, then the dictionary lemma, :mod:`indexer.morph_ru`)."""
    return stem(word, "ru")


def stem_ru_snowball(word: str) -> str:
    """Baseline: normalise, then Snowball Russian (the chain before pymorphy3)."""
    return stem_ru(normalise_word(word))


def stem_ru_lemma_or_snowball(word: str) -> str:
    """Variant: the dictionary lemma of a word the dictionary knows, else Snowball."""
    word = normalise_word(word)
    if morph_ru.morph().word_is_known(word):
        return morph_ru.lemma(word)
    return stem_ru(word)


def truncate5(word: str) -> str:
    """Baseline: the first five letters of the normalised word."""
    return normalise_word(word)[:5]


TREEBANKS = {"be": "be_hse-ud-dev.conllu", "ru": "ru_gsd-ud-dev.conllu"}
PAIR_RUNS = [
    ("be", "stemmer_be (ours)", stem_be_ours),
    ("be", "baseline: Snowball Russian", stem_be_snowball_ru),
    ("be", "baseline: 5-letter truncation", truncate5),
    ("ru", "pymorphy3 lemmas (ours)", stem_ru_chain),
    ("ru", "pymorphy3, Snowball if unknown", stem_ru_lemma_or_snowball),
    ("ru", "baseline: Snowball Russian", stem_ru_snowball),
]
# (label, function of a normalised word, uncached) timed per word on the Russian forms.
COST_RUNS = [
    ("pymorphy3 lemma", morph_ru.lemma.__wrapped__),
    ("Snowball Russian", stem_ru.__wrapped__),
]
SPELLINGS = [("nar", "standard spelling"), ("tar", "classical spelling")]
REFERENCE_LISTS = [
    ("en", "Snowball English (stem_en)", "en_voc.txt", "en_output.txt", stem_en),
    ("ru", "Snowball Russian (stem_ru)", "ru_voc.txt", "ru_output.txt", stem_ru),
]


class MissingData(Exception):
    """A reference file is missing."""


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def evaluate(refdata: Path) -> tuple[list[PairScore], list[MatchScore]]:
    """Compute every figure of the report from the files in ``refdata``.

    Raises :class:`MissingData` naming the first missing file.
    """
    needed = list(TREEBANKS.values()) + [f for run in REFERENCE_LISTS for f in run[2:4]]
    for name in needed:
        if not (refdata / name).is_file():
            raise MissingData(str(refdata / name))
    lemmas = {
        lang: form_lemmas(read_conllu(_lines(refdata / name))) for lang, name in TREEBANKS.items()
    }
    pairs = []
    for lang, label, fn in PAIR_RUNS:
        recall, precision = pair_scores(lemmas[lang], fn)
        pairs.append(PairScore(lang, label, len(lemmas[lang]), recall, precision))
    by_spelling = sentences_by_spelling(_lines(refdata / TREEBANKS["be"]))
    for spelling, label in SPELLINGS:
        subset = form_lemmas(read_conllu(by_spelling.get(spelling, [])))
        if subset:
            recall, precision = pair_scores(subset, stem_be_ours)
            pairs.append(PairScore("be", f"stemmer_be, {label}", len(subset), recall, precision))
    matches = []
    for lang, label, voc, out, fn in REFERENCE_LISTS:
        words, expected = _lines(refdata / voc), _lines(refdata / out)
        matches.append(MatchScore(lang, label, len(words), exact_match_rate(words, expected, fn)))
    return pairs, matches


def russian_costs(refdata: Path) -> tuple[float, list[Cost]]:
    """(seconds to load a fresh pymorphy3 analyser, cost per word of each of
    :data:`COST_RUNS`) over the distinct normalised forms of the Russian treebank."""
    import pymorphy3

    start = time.perf_counter()
    pymorphy3.MorphAnalyzer(lang="ru")
    load = time.perf_counter() - start
    morph_ru.morph()  # the analyser the runs use, loaded before they are timed
    forms = list(form_lemmas(read_conllu(_lines(refdata / TREEBANKS["ru"]))))
    costs = []
    for label, fn in COST_RUNS:
        start = time.perf_counter()
        for form in forms:
            fn(form)
        elapsed = time.perf_counter() - start
        costs.append(Cost(label, len(forms), elapsed / max(len(forms), 1) * 1e6))
    return load, costs


def format_table(
    pairs: list[PairScore],
    matches: list[MatchScore],
    load: float | None = None,
    costs: list[Cost] = (),
) -> str:
    """Render the figures as aligned plain-text tables."""
    rows = [
        "Pair scores on UD dev lemmas",
        f"{'lang':<5}{'stemmer':<32}{'forms':>7}{'recall':>9}{'precision':>11}",
    ]
    for p in pairs:
        rows.append(f"{p.lang:<5}{p.stemmer:<32}{p.forms:>7}{p.recall:>9.3f}{p.precision:>11.3f}")
    rows += [
        "",
        "Exact match with Snowball's reference lists",
        f"{'lang':<5}{'stemmer':<32}{'words':>7}{'exact':>9}",
    ]
    for m in matches:
        rows.append(f"{m.lang:<5}{m.stemmer:<32}{m.words:>7}{m.exact:>9.3f}")
    if costs:
        rows += [
            "",
            f"Cost per Russian word, uncached (pymorphy3 loads in {load * 1000:.0f} ms)",
            f"{'lang':<5}{'stemmer':<32}{'words':>7}{'µs/word':>9}",
        ]
        for c in costs:
            rows.append(f"{'ru':<5}{c.stemmer:<32}{c.words:>7}{c.microseconds:>9.2f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (2 when data is missing or bad)."""
    parser = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    refdata = Path(os.environ.get("IAPB_REFDATA") or DEFAULT_REFDATA)
    try:
        pairs, matches = evaluate(refdata)
        load, costs = russian_costs(refdata)
    except MissingData as exc:
        print(f"evaluate: reference file not found: {exc} (set IAPB_REFDATA)", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"evaluate: unreadable reference data in {refdata}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc = {
            "refdata": str(refdata),
            "pair_scores": [asdict(p) for p in pairs],
            "snowball_reference": [asdict(m) for m in matches],
            "russian_load_seconds": load,
            "russian_cost": [asdict(c) for c in costs],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(format_table(pairs, matches, load, costs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
