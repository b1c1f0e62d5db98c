"""A small HTTP load generator: threads, each with one keep-alive ``http.client`` connection.

Only for loopback benchmarks.  Every run is bounded in time and in request count.  The
generator measures its own CPU use, so a report can say whether it, rather than the
server, was the bottleneck (run it against a trivial endpoint to find its ceiling).
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench.stats import summarise

_ERRORS = (OSError, http.client.HTTPException)


def _worker(
    host: str,
    port: int,
    paths: Sequence[str],
    take: itertools.count,
    cycle: bool,
    deadline: float,
    latencies: list[float],
    statuses: Counter,
    lock: threading.Lock,
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    mine: list[float] = []
    codes: Counter = Counter()
    try:
        while time.perf_counter() < deadline:
            i = next(take)  # itertools.count is atomic under the GIL
            if i >= len(paths) and not cycle:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                codes[response.status] += 1
            except _ERRORS as exc:
                codes[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
    finally:
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(codes)


def run_load(
    host: str,
    port: int,
    paths: Sequence[str],
    *,
    connections: int,
    duration: float,
    cycle: bool,
) -> dict[str, Any]:
    """Send ``paths`` (in order; again and again when ``cycle``) for ``duration`` seconds.

    Without ``cycle`` each path is sent at most once (distinct requests) and the run ends
    early when they are used up.  Returns throughput (``req_per_s``: every answer;
    ``ok_per_s``: the 200s and 304s alone, what compares two servers when one refuses
    some searches with a quick 503), latency statistics (every answer), the status
    counts and the generator's CPU use as a share of one core.
    """
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    take = itertools.count()
    cpu_before = time.process_time()
    started = time.perf_counter()
    deadline = started + duration
    threads = [
        threading.Thread(
            target=_worker,
            args=(host, port, paths, take, cycle, deadline, latencies, statuses, lock),
            daemon=True,
        )
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    ok = statuses.get(200, 0) + statuses.get(304, 0)
    out = summarise(latencies, wall)
    out.update(
        {
            "connections": connections,
            "requests": sum(statuses.values()),
            "ok": ok,
            "errors": sum(statuses.values()) - ok,
            "ok_per_s": round(ok / wall, 1) if wall else 0.0,
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
            "exhausted": not cycle and next(take) > len(paths),
            "generator_cpu_cores": round(cpu / wall, 2) if wall else 0.0,
        }
    )
    return out
