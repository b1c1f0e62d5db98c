"""The costly-clients attack: do ordinary searches stay fast while eight clients send
expensive ones?  (``python -m bench.costly --index DIR``; ``make bench
BENCH_ARGS=--costly`` runs it on the synthetic index.)

Starts the production server (``python -m webapp.serve``) on ``--index``; ``--clients``
threads each send distinct cold five-word phrases (drawn from the index's own words,
so they are new to every cache) one after another on a keep-alive connection; one more
client sends ordinary searches (a common word with a varying filter, so uncached) and
times them.  Everything stops after ``--seconds``.  Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from bench.server import Server
from bench.stats import summarise

WORDS = (
    "torture evidence survivors prisoners elections court repression detention "
    "violations crimes humanity accountability witnesses platform reports belarus "
    "authorities political lawyers journalists international mechanism experts"
).split()
# Ordinary searches: one common word with a filter (27,000-51,000 postings on the
# synthetic index, about 40 ms each in-process when nothing else runs).
ORDINARY = ("torture", "evidence", "court", "survivors")
YEARS = ("2021", "2022", "2023", "2024", "2025")


def _client(port: int, paths, stop: threading.Event, statuses: Counter, times: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        if stop.is_set():
            break
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
            times.append(time.perf_counter() - started)
        except (OSError, http.client.HTTPException):
            statuses["error"] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


def _costly_paths(seed: int):
    rng = random.Random(seed)
    while True:
        phrase = " ".join(rng.sample(WORDS, 5))
        yield "/api/search?" + urlencode({"q": f'"{phrase}"', "per_page": "10"})


def _ordinary_paths():
    # 3,000 distinct requests (word, year, page size, page) before any repeats: uncached.
    for i in range(1_000_000):
        params = {"q": ORDINARY[(i // 250) % len(ORDINARY)], "year": YEARS[(i // 50) % 5]}
        params["per_page"] = str(1 + i % 50)
        params["page"] = str(1 + (i // 1000) % 3)
        yield "/api/search?" + urlencode(params)


def run(index: Path, clients: int, seconds: float, log: Path, workers: int | None = None) -> dict:
    """The attack against a fresh server on ``index``: ordinary latency and status counts."""
    stop = threading.Event()
    costly: Counter = Counter()
    ordinary: Counter = Counter()
    ordinary_times: list[float] = []
    with Server(index, None, log, workers) as server:
        threads = [
            threading.Thread(
                target=_client, args=(server.port, _costly_paths(i), stop, costly, []), daemon=True
            )
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # the attack is under way
        probe = threading.Thread(
            target=_client,
            args=(server.port, _ordinary_paths(), stop, ordinary, ordinary_times),
            daemon=True,
        )
        probe.start()
        time.sleep(seconds)
        stop.set()
        for thread in [*threads, probe]:
            thread.join(timeout=35)
    return {
        "clients": clients,
        "seconds": seconds,
        "ordinary": {"statuses": dict(ordinary), **summarise(ordinary_times)},
        "costly_statuses": dict(costly),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the attack and print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.costly", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="index directory")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--log", type=Path, default=Path("/tmp/iapb-bench-costly.log"))
    args = parser.parse_args(argv)
    result = run(args.index, args.clients, args.seconds, args.log, args.workers)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
