"""HTTP distinct searches: the project's server against the Flask wrapper over Tantivy.

Both run at once on the same synthetic corpus, under the same server and settings
(:func:`webapp.serve.make_server`: granian, the same workers and threads), each warmed
with the query mix; then ``rounds`` alternating runs (the order flips every round) of
``duration`` seconds at the same connections, each system sent the same sequence of
distinct searches (:func:`bench.queries.distinct_variants`: none repeated, so the
project's result cache never answers).  The idle server costs nothing while the other
is measured.  Figures: each system's median over rounds of its successful answers per
second (``req_per_s``: a search the project's admission control refuses with a quick
503 is not counted) and of its p99, and the median of the rounds' ratios project /
wrapper.  The wrapper's answer is shorter than the
project's and it does less per request (:mod:`bench.tantivy_app`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.load import run_load
from bench.queries import QUERY_MIX, distinct_variants, path
from bench.server import Server

SYSTEMS = ("project", "tantivy")


def warm_up(server: Server, url: str, tries: int = 5) -> None:
    """GET ``url`` until it answers 200; a 503 (the project's admission control refusing
    a costly search on a busy machine) is retried after a pause.  Raises
    ``RuntimeError`` for any other status, or when every try was refused."""
    for _ in range(tries):
        status, _ = server.get(url)
        if status == 200:
            return
        if status != 503:
            break
        time.sleep(1.0)
    raise RuntimeError(f"{server.module} answered {status} to {url}")


def measure(
    project_index: Path,
    tantivy_index: Path,
    work: Path,
    *,
    threads: int,
    workers: int,
    connections: int,
    duration: float,
    rounds: int,
    seed: int = 0,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Run both servers and compare them; see above."""
    paths = [path(p) for p in distinct_variants(10**6, seed=seed + 2)]
    used = dict.fromkeys(SYSTEMS, 0)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in SYSTEMS}
    project = Server(project_index, threads, work / "server-versus.log", workers=workers)
    tantivy = Server(
        tantivy_index, threads, work / "server-tantivy.log", workers, module="bench.tantivy_app"
    )
    with project, tantivy:
        servers = {"project": project, "tantivy": tantivy}
        for server in servers.values():
            for _, params in QUERY_MIX:
                warm_up(server, path(params))
        for r in range(rounds):
            order = SYSTEMS if r % 2 == 0 else SYSTEMS[::-1]
            for name in order:
                server = servers[name]
                result = run_load(
                    server.host,
                    server.port,
                    paths[used[name] :],
                    connections=connections,
                    duration=duration,
                    cycle=False,
                )
                used[name] += result["requests"]
                runs[name].append(result)
                progress(
                    f"round {r + 1}, {name}: {result.get('ok_per_s')} answers 200/s, "
                    f"p99 {result.get('p99_ms')} ms, {result['errors']} errors"
                )
    out: dict[str, Any] = {"rounds": rounds, "duration_s": duration, "connections": connections}
    for name in SYSTEMS:
        rates = [r.get("ok_per_s", 0.0) for r in runs[name]]
        out[name] = {
            "req_per_s": statistics.median(rates),
            "p99_ms": statistics.median(r.get("p99_ms", 0.0) for r in runs[name]),
            "errors": sum(r["errors"] for r in runs[name]),
            "rounds_req_per_s": rates,
        }
    pairs = zip(out["project"]["rounds_req_per_s"], out["tantivy"]["rounds_req_per_s"], strict=True)
    ratios = [p / t for p, t in pairs if t]
    out["ratio"] = round(statistics.median(ratios), 3) if ratios else None
    return out
