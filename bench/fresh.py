"""A generation as a fresh process meets it: opening it, and the first search of each query.

Each sample is a new Python process (imports not counted) that opens the index's current
generation (``SearchIndex(dir).generation()``, timed: "open") and runs one query of the
mix (:mod:`bench.queries`) once (timed: "first search"); nothing of an earlier search
helps but the operating system's file cache.  With several index directories the
samples alternate between them query by query, so a busy machine slows each alike; the
figures are medians and percentiles over every round.  ``make bench`` samples
Tantivy+g the same way (:mod:`bench.peers`: its index opened, the query given the
glossary names searched once).

(A generation without the structures the build derives for serving,
:mod:`indexer.engine.derived`, is no longer served, so there is no "without derived" to
measure; :func:`strip_derived` makes one, for the tests of that refusal.)

    python -m bench.fresh /tmp/index-10000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.queries import QUERY_MIX
from bench.stats import summarise
from indexer.engine.derived import INFO, derived_files
from indexer.engine.layout import META, PASSAGES, current_generation, read_meta

ROOT = Path(__file__).resolve().parent.parent


def strip_derived(index_dir: Path) -> None:
    """Make the current generation of ``index_dir`` look built before derived structures:
    their files deleted and their entries gone from ``meta.json`` (passages included)."""
    generation = current_generation(index_dir)
    if generation is None:
        raise FileNotFoundError(f"no index in {index_dir}")
    for directory in (generation, generation / PASSAGES):
        if not (directory / META).exists():
            continue
        meta = read_meta(directory)
        if "derived" not in meta:
            continue
        info = json.loads((directory / INFO).read_text(encoding="utf-8"))
        for name in derived_files(info):
            (directory / name).unlink()
            meta["files"].pop(name, None)
            meta.get("checksums", {}).pop(name, None)
        del meta["derived"]
        (directory / META).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")


def _child(index_dir: str, query: int) -> None:
    """In the fresh process: open, search once, print the timings as JSON."""
    from bench.queries import request
    from indexer.engine.generation import SearchIndex
    from indexer.search import search

    req = request(QUERY_MIX[query][1])
    t0 = time.perf_counter()
    index = SearchIndex(index_dir, cache_size=0)
    index.generation()
    t1 = time.perf_counter()
    result = search(index, req)
    t2 = time.perf_counter()
    print(json.dumps({"open": t1 - t0, "search": t2 - t1, "partial": result.partial}))


def _child_tantivy(index_dir: str, query: int) -> None:
    """In the fresh process: open the Tantivy index (:mod:`bench.peers`), search the
    query given the glossary names (found before the clock) once, print the timings."""
    from bench.peers import TantivyPeer, load_glossary, parse

    peer_query = parse(QUERY_MIX[query][1], load_glossary(Path(index_dir)))
    t0 = time.perf_counter()
    peer = TantivyPeer(Path(index_dir))
    t1 = time.perf_counter()
    peer.search(peer_query)
    t2 = time.perf_counter()
    print(json.dumps({"open": t1 - t0, "search": t2 - t1, "partial": False}))


def _sample(index_dir: Path, query: int, tantivy: bool = False) -> dict[str, Any]:
    child = "--child-tantivy" if tantivy else "--child"
    command = [sys.executable, "-m", "bench.fresh", child, str(index_dir), str(query)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


TANTIVY = "tantivy+g"  # the label of the peer's samples


def measure(
    indexes: dict[str, Path],
    rounds: int = 1,
    progress=lambda _: None,
    queries: Sequence[int] | None = None,
    tantivy: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Open and first-search figures for each of ``indexes`` (label -> directory),
    alternating between them query by query, ``rounds`` times over the mix (or the
    queries of the mix numbered ``queries``).  With ``tantivy`` (an index built by
    :func:`bench.peers.build`), Tantivy+g is sampled the same way, labelled
    :data:`TANTIVY`."""
    if tantivy is not None:
        indexes = {**indexes, TANTIVY: tantivy}
    chosen = range(len(QUERY_MIX)) if queries is None else queries
    opens: dict[str, list[float]] = {label: [] for label in indexes}
    firsts: dict[str, list[float]] = {label: [] for label in indexes}
    per_query: dict[str, dict[str, list[float]]] = {
        label: {name: [] for name, _ in QUERY_MIX} for label in indexes
    }
    partial: dict[str, set[str]] = {label: set() for label in indexes}
    for r in range(rounds):
        for i in chosen:
            name = QUERY_MIX[i][0]
            order = list(indexes.items())
            if (r + i) % 2:
                order.reverse()
            for label, directory in order:
                sample = _sample(directory, i, tantivy=label == TANTIVY and tantivy is not None)
                opens[label].append(sample["open"])
                firsts[label].append(sample["search"])
                per_query[label][name].append(sample["search"])
                if sample["partial"]:
                    partial[label].add(name)
        progress(f"round {r + 1} of {rounds}")
    out = {}
    for label in indexes:
        slowest = sorted(
            ((n, summarise(v)["p50_ms"]) for n, v in per_query[label].items() if v),
            key=lambda kv: -kv[1],
        )
        out[label] = {
            "open": summarise(opens[label]),
            "first_search": summarise(firsts[label]),
            "slowest_first_searches_p50_ms": dict(slowest[:5]),
            "partial_queries": sorted(partial[label]),
        }
    return out


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| index | open p50 ms | open p99 ms | first search p50 ms | first search p99 ms "
        "| samples | partial |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in results.items():
        o, s = r["open"], r["first_search"]
        cells = [o["p50_ms"], o["p99_ms"], s["p50_ms"], s["p99_ms"], s["count"]]
        partial = ", ".join(r["partial_queries"]) or "none"
        lines.append(f"| {label} | " + " | ".join(f"{c:,.1f}" for c in cells) + f" | {partial} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fresh", description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("INDEX", "QUERY"), help=argparse.SUPPRESS)
    parser.add_argument("--child-tantivy", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("index", nargs="*", type=Path, help="index directories")
    parser.add_argument("--rounds", type=int, default=1, help="times over the query mix")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    if args.child_tantivy:
        _child_tantivy(args.child_tantivy[0], int(args.child_tantivy[1]))
        return 0
    if not args.index:
        parser.error("give at least one index directory")
    indexes = {str(path): path for path in args.index}
    results = measure(indexes, args.rounds, lambda m: print(m, file=sys.stderr))
    print(table(results))
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
