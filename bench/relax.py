"""The cost of relaxed matching (issue 24 §1): queries that find nothing as a whole and
fall back to partial matches, against the strict query of the words they keep.

Each pair of :data:`RELAX_PAIRS` is a question whose words find nothing together (a
word no summary holds: "send", «опрошено») and the strict query of the words the
relaxed hits hold.  The relaxed one pays for the strict evaluation that finds nothing,
for recovery (did-you-mean and spelling look-ups, which run first), for evaluating
each part alone and for ranking the partial matches (the **relax step**, timed inside
the search from its ``timings``); the strict one is a plain search.
Both run uncached (a ``SearchIndex`` with a result cache of size 0), interleaved pair
by pair so that a busy machine slows both alike, for about ``budget`` seconds.

The target: a relaxed search costs at most twice a strict one.  Relaxation adds the
relax step to a search that finds nothing; recovery (which runs for any query finding
nothing, relaxed or not, since issue 9) is most of the rest.  Both ratios are given:
``step_ratio`` (relax step / strict search) and ``ratio`` (whole relaxed search /
strict search), of the means.

``make bench`` reports both rows for the bundled and the synthetic corpus; alone::

    .venv/bin/python -m bench.relax --index bench/out/index-synthetic --budget 10
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

# (name, relaxed, strict): the relaxed queries' odd words are in no summary of the
# bundled corpus (nor of the synthetic ones made from its vocabulary).
RELAX_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("question en", "where did the platform send evidence", "platform evidence"),
    (
        "question en, 4 parts",
        "how many survivors demanded psychosocial support",
        "survivors psychosocial support",
    ),
    ("question ru", "сколько свидетелей опрошено", "свидетелей"),
    (
        "question ru, 4 parts",
        "сколько пострадавших потребовали психосоциальную поддержку",
        "пострадавших психосоциальную поддержку",
    ),
    ("question be", "колькі сведак апытана", "сведак"),
    ("absent topic", "nuclear weapons in Belarus", "Belarus"),
)


def measure(index_dir: Path, budget: float, max_rounds: int = 500) -> dict[str, Any]:
    """Latency of the relaxed and the strict queries: ``{"strict": ..., "relaxed": ...,
    "ratio": mean relaxed / mean strict, "pairs": per pair, "outcome": per pair}``."""
    index = SearchIndex(index_dir, cache_size=0)
    pairs = [
        (name, request({"q": [relaxed]}), request({"q": [strict]}))
        for name, relaxed, strict in RELAX_PAIRS
    ]
    outcome: dict[str, str] = {}
    for name, relaxed, strict in pairs:  # warm: open the searcher, read the postings once
        search(index, strict)
        result = search(index, relaxed)
        dropped = result.relaxed_dropped
        outcome[name] = (
            f"{result.total} partial, dropped {list(dropped)}"
            if dropped is not None
            else f"{result.total} found, not relaxed"
        )
    samples: dict[str, dict[str, list[float]]] = {
        name: {"strict": [], "relaxed": [], "step": []} for name, _, _ in pairs
    }
    started = time.perf_counter()
    rounds = 0
    while rounds < max_rounds and (rounds == 0 or time.perf_counter() - started < budget):
        for name, relaxed, strict in pairs:
            for req, kind in ((strict, "strict"), (relaxed, "relaxed")):
                t0 = time.perf_counter()
                result = search(index, req)
                samples[name][kind].append(time.perf_counter() - t0)
                if kind == "relaxed" and "relax" in result.timings:
                    step = result.timings["relax"] - result.timings.get("recover", 0.0)
                    samples[name]["step"].append(step)
        rounds += 1
    index.close()

    def ratios(strict, relaxed, step) -> dict[str, Any]:
        s, r, x = summarise(strict), summarise(relaxed), summarise(step)
        return {
            "strict": s,
            "relaxed": r,
            "step": x,
            "ratio": round(r["mean_ms"] / s["mean_ms"], 2),
            "step_ratio": round(x["mean_ms"] / s["mean_ms"], 2) if step else None,
        }

    per_pair = {name: ratios(p["strict"], p["relaxed"], p["step"]) for name, p in samples.items()}
    every = {k: [t for p in samples.values() for t in p[k]] for k in ("strict", "relaxed", "step")}
    return {"rounds": rounds, **ratios(**every), "pairs": per_pair, "outcome": outcome}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relax", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="an index directory")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of measuring")
    args = parser.parse_args(argv)
    result = measure(args.index, args.budget)
    print(f"{args.index}: {result['rounds']} rounds of {len(RELAX_PAIRS)} pairs")
    print("| queries | count | mean ms | p50 ms | p99 ms | max ms | / strict (means) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = []
    for name, pair in [("all", result), *result["pairs"].items()]:
        rows += [
            (f"{name}: strict", pair["strict"], ""),
            (f"{name}: relaxed, whole search", pair["relaxed"], pair["ratio"]),
        ]
        if pair["step_ratio"] is not None:
            rows.append((f"{name}: relax step", pair["step"], pair["step_ratio"]))
    for label, r, ratio in rows:
        cells = [r[k] for k in ("count", "mean_ms", "p50_ms", "p99_ms", "max_ms")]
        print(f"| {label} | " + " | ".join(str(c) for c in cells) + f" | {ratio} |")
    for name, what in result["outcome"].items():
        print(f"- {name}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
