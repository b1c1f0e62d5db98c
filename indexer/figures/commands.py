"""The figures' part of ``iapb-index``: what ``check`` says about them, and
``iapb-index figures suggest|list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer.corpus.load import Corpus, load_corpus
from indexer.errors import CorpusError
from indexer.figures.coverage import Uncovered, uncovered_numbers
from indexer.figures.loading import FIGURES_FILE, load_figures
from indexer.figures.numbers import plain
from indexer.figures.wording import trend_text, value_text
from indexer.languages import ALL_LANGS


def check_figures(corpus_dir: str, corpus: Corpus) -> str:
    """Check ``figures.yaml`` against ``corpus``: the summary line to print.

    Raises :class:`CorpusError` for a value not found in its text; prints a warning
    (stderr) for each number of a summary that no figure and no ``ignore`` covers.
    """
    figures = load_figures(corpus_dir, corpus)
    if not (Path(corpus_dir) / FIGURES_FILE).exists():
        count = len(uncovered_numbers(corpus, figures))
        print(
            f"note: no {FIGURES_FILE}: the {count} numbers of the summaries are not traced "
            "as figures (corpus/README.md, 'figures.yaml')",
            file=sys.stderr,
        )
        return "no figures"
    for item in uncovered_numbers(corpus, figures):
        print(
            f"warning: {item.source}: paragraph {item.paragraph}: {plain(item.value)} is not "
            f"a figure and not ignored in {corpus_dir}/{FIGURES_FILE} "
            f"(iapb-index figures suggest --report {item.report})",
            file=sys.stderr,
        )
    values = sum(len(f.values) for f in figures.figures)
    return f"{len(figures.figures)} figures with {values} values, {len(figures.ignored)} ignored"


def answer_line(answer) -> str:
    """The answer card of ``iapb-index search`` in one line: figure, value, date, report,
    trend."""
    figure, point, lang = answer.figure, answer.point, answer.lang
    return (
        f"answer: {figure.text(figure.label, lang)}: {value_text(point, lang)} "
        f"{figure.unit_for(point.value, lang)} (by {point.as_of}, report {point.report}; "
        f"trend {trend_text(answer.points, lang)})"
    )


def _load(corpus_dir: Path):
    """The corpus and its figures, or None after printing every problem (file, line and
    field) to standard error."""
    try:
        corpus = load_corpus(corpus_dir)
        return corpus, load_figures(corpus_dir, corpus)
    except CorpusError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return None


def _suggest(args: argparse.Namespace) -> int:
    loaded = _load(args.corpus)
    if loaded is None:
        return 1
    corpus, figures = loaded
    if args.report not in {r.number for r in corpus.reports}:
        print(f"error: no report {args.report} in {args.corpus}", file=sys.stderr)
        return 1
    found = [u for u in uncovered_numbers(corpus, figures) if u.report == args.report]
    if not found:
        print(f"report {args.report}: every number is a figure or ignored")
        return 0
    for item in found:
        _print_uncovered(item)
    print(
        f"{len(found)} number{'s' if len(found) != 1 else ''} to add to {FIGURES_FILE} "
        "(figures) or to ignore"
    )
    return 0


def _print_uncovered(item: Uncovered) -> None:
    print(f"report {item.report}, paragraph {item.paragraph}: {plain(item.value)}")
    for lang in ALL_LANGS:
        quote = item.quotes.get(lang)
        if quote is not None:
            marked = f"{quote.text[: quote.start]}[{quote.text[quote.start : quote.end]}]"
            print(f"  {lang.value}: {marked}{quote.text[quote.end :]}")


def _list(args: argparse.Namespace) -> int:
    loaded = _load(args.corpus)
    if loaded is None:
        return 1
    _, figures = loaded
    for figure in figures.figures:
        series = " → ".join(
            f"{plain(v.value)} ({v.report}, {v.qualifier.value})" for v in figure.values
        )
        print(f"{figure.id}: {series}")
    return 0


def add_commands(commands) -> None:
    """Add ``figures suggest`` and ``figures list`` to the ``iapb-index`` subparsers."""
    figures = commands.add_parser("figures", help="the figures of corpus/figures.yaml")
    actions = figures.add_subparsers(dest="figures_command", required=True)
    suggest = actions.add_parser(
        "suggest", help="list a report's numbers that no figure and no ignore covers"
    )
    suggest.add_argument("--report", type=int, required=True, help="report number, e.g. 9")
    suggest.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    suggest.set_defaults(run=_suggest)
    listing = actions.add_parser("list", help="every figure and its values over time")
    listing.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    listing.set_defaults(run=_list)
