"""Chaos under load: each kind of file of the live generation is truncated, overwritten in
place (same size, modification time set back) or deleted while searches run against the
production server, three rounds in a row.  The service answers throughout (200 or 503,
never 500, never refusing connections for more than a second) and serves the previous
intact generation after each blow."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.layout import current_generation
from tests.helpers import ROOT, http_get, start_server, stop_process, wait_for_health

QUERIES = ["torture", "ICC", "выборы", "Lukashenka", '"political prisoners"', "evidence*"]
# Each kind of file a generation holds: derived arrays, Whoosh's postings, terms,
# columns and table of contents, the derived structures' index and the manifest.
KINDS = ["post-docs.npy", "col-years.npy", "*.pst", "*.trm", "*_stored.col", "*.toc"]
KINDS += ["derived.json", "meta.json"]
BLOWS = ["truncate", "overwrite", "delete"]


def _victim(generation: Path, pattern: str) -> Path:
    return sorted(generation.glob(pattern))[0]


def _blow(victim: Path, how: str) -> None:
    if how == "delete":
        victim.unlink()
        return
    before = victim.stat()
    if how == "truncate":
        with open(victim, "r+b") as handle:
            handle.truncate(before.st_size // 3)
        return
    data = victim.read_bytes()
    with open(victim, "r+b") as handle:
        handle.write(bytes(b ^ 0x5A for b in data))
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))


class Load:
    """Threads searching distinct queries until stopped, recording every status and the
    longest stretch of refused connections."""

    def __init__(self, port: int, threads: int = 3) -> None:
        self.port = port
        self.statuses: Counter = Counter()
        self.refused_since: float | None = None
        self.longest_refusal = 0.0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, seed: int) -> None:
        i = seed
        while not self.stop.is_set():
            i += 1
            q = f"{QUERIES[i % len(QUERIES)]} {i % 7 or ''}".strip()
            path = "/api/search?" + urllib.parse.urlencode({"q": q, "per_page": 5 + i % 5})
            try:
                status, _ = http_get(self.port, path, timeout=10)
            except OSError:
                with self._lock:
                    now = time.monotonic()
                    self.refused_since = self.refused_since or now
                    self.longest_refusal = max(self.longest_refusal, now - self.refused_since)
                time.sleep(0.02)
                continue
            with self._lock:
                self.statuses[status] += 1
                self.refused_since = None

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    process, port = start_server(index_dir, "--workers", "2", "--threads", "2")
    try:
        wait_for_health(process, port)
        yield port, corpus, index_dir
    finally:
        stop_process(process)


def _health(port: int) -> dict:
    status, body = http_get(port, "/healthz")
    return json.loads(body) if status == 200 else {"status": status}


def _until(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_damage_to_every_kind_of_file_under_load_never_gives_500_and_falls_back(served):
    port, corpus, index_dir = served
    with Load(port) as load:
        blow = 0
        for _ in range(3):
            for pattern in KINDS:
                how = BLOWS[blow % len(BLOWS)]
                blow += 1
                intact = build_index(corpus, index_dir).generation
                assert _until(lambda g=intact: _health(port).get("generation") == g)
                fresh = build_index(corpus, index_dir).generation
                assert _until(lambda g=fresh: _health(port).get("generation") == g)
                # Every worker has the fresh generation open before it is damaged.
                for q in QUERIES:
                    http_get(port, "/api/search?" + urllib.parse.urlencode({"q": q}))
                _blow(_victim(current_generation(index_dir), pattern), how)
                # Each worker finds out at its next health check or read; connections
                # spread over both, so ask until every answer is the fallback.
                assert _until(
                    lambda g=intact: all(
                        (h.get("status"), h.get("generation")) == ("degraded", g)
                        for h in (_health(port) for _ in range(6))
                    )
                ), (pattern, how, _health(port))
                status, body = http_get(port, "/api/search?q=torture")
                assert status == 200 and json.loads(body)["total"] > 0, (pattern, how)
    print(f"\nchaos: {blow} blows, statuses {dict(load.statuses)}")
    assert set(load.statuses) <= {200, 503}, load.statuses
    assert load.statuses[200] > 100
    assert load.longest_refusal < 1.0
