"""Honest searches refused: ``python -m bench.refusals --index DIR`` starts the
production server (2 workers x 2 threads) on ``DIR`` and sends distinct ordinary searches
(the benchmark's query mix and its variants, :func:`bench.queries.distinct_variants`)
on ``--connections`` connections for ``--seconds``; prints the share answered 503, the
latency and the server's memory as JSON.  Issue 28's target: at most 1 % refused at 16
connections.  Loopback only; every loop stops by itself.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from bench.load import run_load
from bench.queries import distinct_variants, path
from bench.server import Server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.refusals", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="index directory")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--log", type=Path, default=Path("bench/out/refusals-server.log"))
    args = parser.parse_args(argv)
    paths = [path(p) for p in distinct_variants(20_000, seed=7)]
    with Server(args.index, threads=2, workers=2, log=args.log) as server:
        out = run_load(
            "127.0.0.1",
            server.port,
            paths,
            connections=args.connections,
            duration=args.seconds,
            cycle=False,
        )
        memory = server.memory()
    statuses = out["statuses"]
    total = sum(statuses.values())
    refused = statuses.get("503", 0) / total if total else None
    summary = {
        "requests": total,
        "statuses": statuses,
        "refused_share": None if refused is None else round(refused, 4),
        "p50_ms": out.get("p50_ms"),
        "p99_ms": out.get("p99_ms"),
        "memory_mb": memory,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
