"""HTTP throughput in the first seconds after a new index generation goes live.

The production server runs on an index directory of its own (``index-swap`` under the
work directory) whose generations are copies of the synthetic index's current one: the
first a real copy, each later one a new ``gen-NNNNNN`` of hard links to the first's
files (a copy where linking fails), its ``meta.json`` renumbering it and its files
hashed and stamped as a build stamps them (:mod:`indexer.engine.manifest`: opening it trusts
them, as it trusts a fresh build's), made current by renaming a new ``current`` link
over the old one, as :func:`indexer.build.build_index` does.  Every worker sees the
link move on its next request and opens the new generation from scratch (its columns,
glossary matcher and plan cache are per generation; the result cache is emptied), as
after a real build.  The files are the same inodes, so the operating system's page
cache is as warm as after a real build, which has just written them.  The synthetic
index itself is only read.

Each round: a window of distinct searches (:func:`bench.queries.distinct_variants`,
never one sent before) on the warm server, then the swap, then the same length of
window at once, both counted in successful answers per second (a refused search's
quick 503 is not counted).  The figure is after / warm per round, the median over
rounds.  After
each swap, ``/healthz`` is asked until every worker has answered: each must report the
new generation, or the round is marked not reopened.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.load import run_load
from bench.queries import QUERY_MIX, distinct_variants, path
from bench.server import Server
from indexer.engine.layout import CURRENT, META, PASSAGES, current_generation
from indexer.engine.manifest import VERIFIED, check_files, read_manifest


def add_generation(index_dir: Path, source: Path, number: int, link: bool = True) -> str:
    """``gen-{number}`` in ``index_dir``: the files of generation directory ``source``
    (hard links with ``link``, else copies), its ``meta.json`` renumbered, every file
    hashed and stamped as the build does; its name."""
    name = f"gen-{number:06d}"
    target = index_dir / name

    def hard_link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=hard_link if link else shutil.copy2)
    meta = json.loads((source / META).read_text(encoding="utf-8"))
    meta["generation"] = number
    for directory in (target, target / PASSAGES):
        # links to the source's files: replaced, never written through
        (directory / VERIFIED).unlink(missing_ok=True)
    (target / META).unlink()
    (target / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    time.sleep(0.05)  # past the file system's clock tick: see indexer.engine.manifest
    for directory in (target, target / PASSAGES):
        if (directory / META).exists():
            check_files(directory, *read_manifest(directory), trust_stamps=False)
    return name


def make_current(index_dir: Path, name: str) -> None:
    """Point ``current`` at ``name`` atomically (a new link renamed over the old)."""
    tmp = index_dir / f".{CURRENT}.swap"
    tmp.unlink(missing_ok=True)
    os.symlink(name, tmp)
    os.replace(tmp, index_dir / CURRENT)


def generations_served(server: Server, workers: int, tries: int = 50) -> dict[int, int]:
    """Process id -> generation number answered by ``/healthz``, asked until ``workers``
    processes have answered (or ``tries`` requests, each on a new connection)."""
    seen: dict[int, int] = {}
    for _ in range(tries):
        status, body = server.get("/healthz")
        if status == 200:
            answer = json.loads(body)
            seen[answer["process"]] = answer["generation"]
        if len(seen) >= workers:
            break
    return seen


def measure(
    source_index: Path,
    work: Path,
    *,
    threads: int,
    workers: int,
    connections: int,
    window: float,
    rounds: int,
    seed: int = 0,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Warm and after-swap throughput of distinct searches, ``rounds`` times; see above.

    Raises ``FileNotFoundError`` when ``source_index`` has no current generation.
    """
    source = current_generation(source_index)
    if source is None:
        raise FileNotFoundError(f"no index in {source_index}")
    index_dir = work / "index-swap"
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    make_current(index_dir, add_generation(index_dir, source, 1, link=False))
    first = index_dir / "gen-000001"
    paths = [path(p) for p in distinct_variants(10**6, seed=seed + 1)]
    used = 0
    rows = []
    try:
        with Server(index_dir, threads, work / "server-swap.log", workers=workers) as server:
            for _, params in QUERY_MIX:
                server.get(path(params))
            for r in range(rounds):
                name = add_generation(index_dir, first, r + 2)
                runs = {}
                for phase in ("warm", "after_swap"):
                    if phase == "after_swap":
                        make_current(index_dir, name)
                    runs[phase] = run_load(
                        server.host,
                        server.port,
                        paths[used:],
                        connections=connections,
                        duration=window,
                        cycle=False,
                    )
                    used += runs[phase]["requests"]
                served = generations_served(server, workers)
                warm, after = (runs[k].get("ok_per_s", 0.0) for k in ("warm", "after_swap"))
                rows.append(
                    {
                        "warm_req_per_s": warm,
                        "after_swap_req_per_s": after,
                        "ratio": round(after / warm, 3) if warm else None,
                        "after_swap_p99_ms": runs["after_swap"].get("p99_ms"),
                        "errors": runs["warm"]["errors"] + runs["after_swap"]["errors"],
                        "reopened": bool(served) and set(served.values()) == {r + 2},
                        "workers_seen": len(served),
                    }
                )
                progress(
                    f"round {r + 1}: warm {warm} req/s, first {window:g} s after the swap "
                    f"{after} req/s; workers on the new generation: {served}"
                )
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    ratios = [row["ratio"] for row in rows if row["ratio"] is not None]
    return {
        "window_s": window,
        "rounds": rows,
        "warm_req_per_s": statistics.median(row["warm_req_per_s"] for row in rows),
        "after_swap_req_per_s": statistics.median(row["after_swap_req_per_s"] for row in rows),
        "ratio": round(statistics.median(ratios), 3) if ratios else None,
        "reopened": all(row["reopened"] for row in rows),
    }
