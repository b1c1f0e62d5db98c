"""The answer card's cost per search and its precision and recall (issue 27).

    python -m bench.figures [--corpus corpus] [--rounds 200]

Builds the bundled corpus into a temporary directory, then, for every query of the
benchmark mix (:data:`bench.queries.QUERY_MIX`) and of the card's question set
(``tests/fixtures/figure_questions*.yaml``), times what the card adds to a search:
:func:`indexer.figures.answer.answer_request` on the generation's figures.  "cold"
clears the analysed-query cache before each call (a query never seen), "warm" does
not.  Also runs every search with its card once uncached and reports the card's share.
Precision: of the cards shown, those of the expected figure; recall: of the questions
that expect a card, those that got it.  Prints a table and writes nothing else.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bench.queries import QUERY_MIX, request
from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from indexer.figures.answer import answer_request
from indexer.figures.names import name_terms
from indexer.records import SearchRequest
from indexer.search import search

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures"
SETS = {"first set": "figure_questions.yaml", "second set": "figure_questions_heldout.yaml"}


def questions(name: str | None = None) -> list[tuple[str, str | None]]:
    """(query, expected figure id or ``None``) of one question set, or of both."""
    out = []
    for label, file in SETS.items():
        if name is None or name == label:
            data = yaml.safe_load((FIXTURES / file).read_text("utf-8"))
            out += [(str(item["q"]), item["figure"]) for item in data["questions"]]
    return out


def precision_recall(index: SearchIndex, name: str) -> dict[str, float]:
    """The card's precision and recall on one question set, through ``search``."""
    shown = right = expected = 0
    for q, figure in questions(name):
        answer = search(index, SearchRequest(q=q)).answer
        got = answer.figure.id if answer is not None else None
        shown += got is not None
        right += got is not None and got == figure
        expected += figure is not None
    return {
        f"{name}: questions": len(questions(name)),
        f"{name}: without a card": sum(f is None for _, f in questions(name)),
        f"{name}: cards shown": shown,
        f"{name}: precision": right / shown if shown else 1.0,
        f"{name}: recall": right / expected if expected else 1.0,
    }


def card_cost(index: SearchIndex, rounds: int) -> dict[str, float]:
    """Mean and p99 microseconds of the card per search, cold and warm."""
    gen = index.generation()
    book = gen.figures
    requests = [request(params) for _, params in QUERY_MIX]
    requests += [SearchRequest(q=q) for q, _ in questions()]
    out: dict[str, float] = {"requests": len(requests)}
    for mode in ("cold", "warm"):
        times = []
        for _ in range(rounds):
            for req in requests:
                if mode == "cold":
                    name_terms.cache_clear()
                started = time.perf_counter()
                answer_request(book, req)
                times.append(time.perf_counter() - started)
        times.sort()
        out[f"{mode} mean µs"] = statistics.fmean(times) * 1e6
        out[f"{mode} p99 µs"] = times[int(len(times) * 0.99)] * 1e6
    # A whole uncached search with its card, for scale.
    searches = []
    for req in requests:
        index.cache.clear()
        started = time.perf_counter()
        search(index, req)
        searches.append(time.perf_counter() - started)
    out["uncached search mean µs"] = statistics.fmean(searches) * 1e6
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="corpus", help="corpus directory")
    parser.add_argument("--rounds", type=int, default=200, help="timing rounds per query")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="iapb-bench-figures-") as work:
        build_index(args.corpus, Path(work))
        index = SearchIndex(Path(work))
        quality = {k: v for name in SETS for k, v in precision_recall(index, name).items()}
        cost = card_cost(index, args.rounds)
        index.close()
    for name, value in {**quality, **cost}.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{name:>32}: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
