"""In-process latency of :func:`indexer.search.search` over the fixed query mix."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.queries import QUERY_MIX, request
from bench.stats import summarise
from indexer.engine.generation import SearchIndex
from indexer.search import search


def check_uncached(index_dir: Path) -> dict[str, Any]:
    """Whether ``SearchIndex(dir, cache_size=0)`` really keeps nothing between searches."""
    index = SearchIndex(index_dir, cache_size=0)
    req = request(QUERY_MIX[0][1])
    search(index, req)
    search(index, req)
    cache = index.cache
    return {
        "entries_kept": len(cache.entries),
        "hits": cache.hits,
        "misses": cache.misses,
        "caches_nothing": len(cache.entries) == 0 and cache.hits == 0,
    }


def measure_cold(index_dir: Path, rounds: int = 3) -> dict[str, Any]:
    """Latency of each query of the mix as the first search of a freshly opened index.

    Nothing of an earlier search helps: a new ``SearchIndex`` opens the generation anew
    (not counted), so the parsed-query and postings caches of a generation are empty and
    the query is parsed, expanded and read from the index files (the operating system's
    file cache stays warm).  Each query is measured ``rounds`` times this way.
    """
    requests = [(name, request(params)) for name, params in QUERY_MIX]
    samples: list[float] = []
    per_query: dict[str, list[float]] = {name: [] for name, _ in requests}
    partial: set[str] = set()
    for _ in range(rounds):
        for name, req in requests:
            index = SearchIndex(index_dir, cache_size=0)
            index.generation()
            t0 = time.perf_counter()
            result = search(index, req)
            elapsed = time.perf_counter() - t0
            samples.append(elapsed)
            per_query[name].append(elapsed)
            if result.partial:
                partial.add(name)
            index.close()
    return _summary(rounds, samples, per_query, partial)


def measure(
    index_dir: Path,
    *,
    cached: bool,
    budget: float,
    max_rounds: int = 200,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Latency of each query of the mix, repeated in rounds for about ``budget`` seconds.

    Uncached: a ``SearchIndex`` with a result cache of size 0 (every search computed),
    warmed by one search (opening the searcher is not counted); the generation's
    parsed-query and postings caches fill during the first round (see
    :func:`measure_cold` for searches that find them empty).  Cached: the default
    cache, filled by one round of the mix, then repeats served from it.  At least one
    counted round always runs, at most ``max_rounds``.
    """
    index = SearchIndex(index_dir, cache_size=0) if not cached else SearchIndex(index_dir)
    requests = [(name, request(params)) for name, params in QUERY_MIX]
    partial: set[str] = set()
    for _, req in requests if cached else requests[:1]:
        search(index, req)
    samples: list[float] = []
    per_query: dict[str, list[float]] = {name: [] for name, _ in requests}
    started = time.perf_counter()
    rounds = 0
    while rounds < max_rounds and (rounds == 0 or time.perf_counter() - started < budget):
        for name, req in requests:
            t0 = time.perf_counter()
            result = search(index, req)
            elapsed = time.perf_counter() - t0
            samples.append(elapsed)
            per_query[name].append(elapsed)
            if result.partial:
                partial.add(name)
        rounds += 1
        progress(f"round {rounds}, {len(samples)} searches")
    return _summary(rounds, samples, per_query, partial)


def _summary(
    rounds: int, samples: list[float], per_query: dict[str, list[float]], partial: set[str]
) -> dict[str, Any]:
    """Latency figures of a run: overall, each query's median, the queries cut short."""
    out: dict[str, Any] = {"rounds": rounds, **summarise(samples)}
    out["per_query_p50_ms"] = {
        name: summarise(values).get("p50_ms", 0.0) for name, values in per_query.items()
    }
    out["partial_queries"] = sorted(partial)
    return out
