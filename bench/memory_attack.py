"""Memory under attack: ``python -m bench.memory_attack --index DIR`` starts the
production server (2 workers x 2 threads) on ``DIR``; ``--clients`` threads send
distinct OR searches with a timeline (three words of the index's vocabulary each) and one
more asks for exports, for ``--seconds``; prints the statuses and the resident memory of
the largest worker (issue 28's goal: at most 300 MB a worker under any load).  Loopback
only; every loop stops by itself.
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

from bench.costly import WORDS
from bench.server import Server


def _client(port: int, make_path, stop: threading.Event, statuses: Counter) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        try:
            conn.request("GET", make_path())
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException):
            statuses["error"] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_attack", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="index directory")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--log", type=Path, default=Path("bench/out/memory-attack.log"))
    args = parser.parse_args(argv)
    rng = random.Random(11)
    lock = threading.Lock()

    def or_timeline() -> str:
        with lock:
            words = rng.sample(WORDS, 3)
            page = rng.randint(1, 3)
        q = " OR ".join(words)
        return "/api/search?" + urlencode({"q": q, "timeline": 1, "page": page})

    def export() -> str:
        with lock:
            word = rng.choice(WORDS)
        return "/export?" + urlencode({"q": word, "format": "csv"})

    statuses: Counter = Counter()
    stop = threading.Event()
    with Server(args.index, threads=2, workers=2, log=args.log) as server:
        before = server.memory()
        threads = [
            threading.Thread(target=_client, args=(server.port, or_timeline, stop, statuses))
            for _ in range(args.clients)
        ]
        threads.append(threading.Thread(target=_client, args=(server.port, export, stop, statuses)))
        for thread in threads:
            thread.start()
        peak = before
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            time.sleep(1.0)
            now = server.memory()
            if now["largest_VmRSS"] > peak["largest_VmRSS"]:
                peak = now
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
    print(
        json.dumps(
            {
                "statuses": {str(k): v for k, v in statuses.items()},
                "largest_worker_mb_before": before["largest_VmRSS"],
                "largest_worker_mb_peak": peak["largest_VmRSS"],
                "all_processes_mb_at_peak": peak["VmRSS"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
