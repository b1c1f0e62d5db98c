"""The cost of reading dates in a query (issue 24 §2), next to the same query without them.

``python -m bench.dates [--docs 20000] [--rounds 20]`` builds (or reuses) an index of the
bundled corpus and of a synthetic corpus of ``--docs`` documents (``bench.synth``, in
``bench/out``), then for each pair of queries below times, in this process:

- ``read``: :func:`indexer.dates.find_dates` alone on the query's words;
- ``search``: a whole search (plan, evaluation, facets, the page of hits) of the query
  with its date and of the same words without it, the result cache off, so that
  every round is computed.

Prints one JSON object: per corpus, mean and p99 (ms) of each.  Nothing is asserted:
the figures go into the README and the issue's note.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from bench import synth
from bench.stats import summarise
from indexer.build import build_index
from indexer.dates import find_dates
from indexer.engine.generation import SearchIndex
from indexer.records import SearchRequest
from indexer.search import search

# (with a date, the same words without it): each date form of §2, in the three languages.
PAIRS = (
    ("torture Q3 2025", "torture"),
    ("ICC 1 April 2025", "ICC"),
    ("evidence в октябре 2024", "evidence"),
    ("выборы осенью 2024", "выборы"),
    ("survivors second half of 2023", "survivors"),
    ("пракурор за кастрычнік", "пракурор"),
    ("IAPB 10.2024", "IAPB"),
    ("Lukashenko 26 January 2025", "Lukashenko"),
    ("сведкі у другім паўгоддзі 2023 года", "сведкі"),
    ("доказательства 01.04.2025", "доказательства"),
    ("OSCE April to September 2023", "OSCE"),
    ("катаванні увосень 2025", "катаванні"),
)


def _time(fn, rounds: int) -> list[float]:
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return seconds


def measure(index_dir: Path, rounds: int) -> dict:
    """The figures for one built index."""
    index = SearchIndex(index_dir, cache_size=0)
    for q, plain in PAIRS:  # open the generation and warm what every search shares
        search(index, SearchRequest(q=q))
        search(index, SearchRequest(q=plain))
    read, dated, plain_times = [], [], []
    for _ in range(rounds):
        for q, plain in PAIRS:
            read += _time(lambda q=q: list(find_dates(q.split())), 1)
            dated += _time(lambda q=q: search(index, SearchRequest(q=q)), 1)
            plain_times += _time(lambda p=plain: search(index, SearchRequest(q=p)), 1)
    return {
        "read": summarise(read),
        "search_with_dates": summarise(dated),
        "search_without_dates": summarise(plain_times),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dates", description=__doc__)
    parser.add_argument("--docs", type=int, default=20000, help="synthetic documents (0: none)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of every query")
    parser.add_argument("--out", default="bench/out", help="where corpora and indexes go")
    args = parser.parse_args(argv)
    out = Path(args.out)
    figures = {}
    bundled = out / "dates-index-bundled"
    build_index("corpus", bundled, if_stale=True)
    figures["bundled"] = measure(bundled, args.rounds)
    if args.docs:
        corpus = out / f"synth-{args.docs}"
        if not synth.is_current(corpus, args.docs, 0, "corpus"):
            synth.generate(args.docs, corpus)
        index_dir = out / f"dates-index-{args.docs}"
        build_index(corpus, index_dir, if_stale=True)
        figures[f"synthetic {args.docs}"] = measure(index_dir, args.rounds)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
