"""The production server under load: a rebuild while it answers loses no request.

The server is `python -m webapp.serve` (waitress workers) in a subprocess on 127.0.0.1; a
bounded load loop (a fixed number of threads for a few seconds) sends searches while
the index is rebuilt from a changed corpus.  Nothing leaves the loopback interface.
"""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index
from tests.helpers import http_get, start_server, stop_process, wait_for_health

ROOT = Path(__file__).resolve().parent.parent
LOAD_THREADS = 4
LOAD_SECONDS = 6.0
QUERIES = ["ICC", "Lukashenka", "пытки", "torture", "выбары", "", "OSCE", "evidence"]


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    """(port, corpus dir, index dir) of a production server on a copy of the corpus."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    process, port = start_server(index_dir)
    try:
        wait_for_health(process, port)
        yield port, corpus, index_dir
    finally:
        stop_process(process)


def _load(port: int, stop: threading.Event, statuses: Counter, errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = 0
    try:
        while not stop.is_set():
            q = QUERIES[i % len(QUERIES)]
            i += 1
            path = "/api/search?" + urllib.parse.urlencode({"q": q, "page": 1})
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                statuses[response.status] += 1
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    finally:
        conn.close()


@pytest.mark.slow
def test_a_rebuild_under_load_fails_no_request_and_is_served_within_seconds(
    served: tuple[int, Path, Path],
) -> None:
    port, corpus, index_dir = served
    stop = threading.Event()
    statuses: Counter = Counter()
    errors: list[str] = []
    threads = [
        threading.Thread(target=_load, args=(port, stop, statuses, errors), daemon=True)
        for _ in range(LOAD_THREADS)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(LOAD_SECONDS / 3)
        report = corpus / "reports" / "09.yaml"
        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace("cornerstone", "cornerstone zebracorn", 1), "utf-8")
        info = build_index(corpus, index_dir)
        rebuilt_at = time.monotonic()
        seen_after = None
        while time.monotonic() - rebuilt_at < 5:
            status, body = http_get(port, "/api/search?q=zebracorn")
            if status == 200 and json.loads(body)["total"] > 0:
                seen_after = time.monotonic() - rebuilt_at
                break
            time.sleep(0.05)
        time.sleep(LOAD_SECONDS / 3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    sent = sum(statuses.values()) + len(errors)
    print(f"\nreindex under load: {sent} requests, statuses {dict(statuses)}, errors {len(errors)}")
    print(f"new generation {info.generation} served {seen_after} s after the swap")
    assert errors == []
    assert set(statuses) == {200}, statuses
    assert sent > 50
    assert seen_after is not None, "the new generation was not served within 5 s"
    health = json.loads(http_get(port, "/healthz")[1])
    assert health["generation"] == info.generation == 2


@pytest.mark.slow
def test_the_server_starts_without_an_index_and_serves_one_built_later(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    process, port = start_server(index_dir)
    try:
        status, body = wait_for_health(process, port, ok=False)
        assert status == 503
        assert "no index" in json.loads(body)["error"]["message"]
        status, body = http_get(port, "/api/search?q=ICC")
        assert status == 503 and json.loads(body)["error"]["code"]
        status, body = http_get(port, "/")
        assert status == 503 and b"Traceback" not in body
        build_index(ROOT / "corpus", index_dir)
        status, body = http_get(port, "/healthz")
        assert status == 200 and json.loads(body)["documents"] == 18
    finally:
        stop_process(process)
