"""The cost of recovery (issue 9): queries whose words match nothing as typed, against
the same queries typed right.

Each pair of :data:`RECOVERY_PAIRS` is a query typed on the wrong keyboard layout or
with a typo and what the reader meant.  The typed one pays for finding nothing, for the
recovery (the vocabulary look-ups, the neighbours within edit distance) and for the
search of the correction; the meant one is a plain search.  Both run uncached (a
``SearchIndex`` with a result cache of size 0), interleaved pair by pair so that a busy
machine slows both alike, for about ``budget`` seconds.

``make bench`` reports both rows for the bundled and the synthetic corpus; alone::

    .venv/bin/python -m bench.recovery --index bench/out/index-synthetic --budget 10
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.queries import request
from bench.stats import summarise
from indexer.engine.generation import SearchIndex
from indexer.search import search

# (name, typed, meant): words of the bundled corpus (and so of the synthetic ones made
# from its vocabulary) typed on the wrong layout or misspelt.
RECOVERY_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("layout ru", "vjcrjdcrjuj", "московского"),
    ("layout be", "vfcrjocrfuf", "маскоўскага"),
    ("layout en", "ЩЫСУ", "OSCE"),
    ("layout en from be", "ьўысўц", "moscow"),
    ("layout two words", "vt[fybpv vjcrjdcrjuj", "механизм московского"),
    ("spelling", "torure", "torture"),
    ("spelling with a name", "ICC torure", "ICC torture"),
    ("spelling capitalised", "Prosecutr", "Prosecutor"),
    ("spelling unsure", "prosecutons", "prosecutions"),
)


def measure(index_dir: Path, budget: float, max_rounds: int = 500) -> dict[str, Any]:
    """Latency of the typed and the meant queries: ``{"plain": ..., "recovery": ...}``
    (count, mean, p50, p95, p99, max in ms) with what the typed ones became."""
    index = SearchIndex(index_dir, cache_size=0)
    pairs = [
        (name, request({"q": [typed]}), request({"q": [meant]}))
        for name, typed, meant in RECOVERY_PAIRS
    ]
    outcome: dict[str, str] = {}
    for name, typed, meant in pairs:  # warm: open the searcher, read the postings once
        search(index, meant)
        result = search(index, typed)
        if result.corrected is not None:
            outcome[name] = f"{result.corrected.reason.value}: {result.corrected.target}"
        else:
            outcome[name] = f"suggested: {result.suggestion}" if result.suggestion else "none"
    plain: list[float] = []
    recovered: list[float] = []
    started = time.perf_counter()
    rounds = 0
    while rounds < max_rounds and (rounds == 0 or time.perf_counter() - started < budget):
        for _, typed, meant in pairs:
            for req, samples in ((meant, plain), (typed, recovered)):
                t0 = time.perf_counter()
                search(index, req)
                samples.append(time.perf_counter() - t0)
        rounds += 1
    index.close()
    return {
        "rounds": rounds,
        "plain": summarise(plain),
        "recovery": summarise(recovered),
        "outcome": outcome,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recovery", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="an index directory")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of measuring")
    args = parser.parse_args(argv)
    result = measure(args.index, args.budget)
    print(f"{args.index}: {result['rounds']} rounds of {len(RECOVERY_PAIRS)} pairs")
    print("| queries | count | mean ms | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("plain", "recovery"):
        r = result[name]
        cells = [r[k] for k in ("count", "mean_ms", "p50_ms", "p99_ms", "max_ms")]
        print(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    for name, what in result["outcome"].items():
        print(f"- {name}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
