"""The benchmark harness, run small: every section reported, in a temporary directory."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import report
from bench.load import run_load
from bench.queries import QUERY_MIX, distinct_variants, path, request
from bench.recovery import RECOVERY_PAIRS
from bench.run import main

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    argv = ["--corpus", str(MINI), "--docs", "300", "--work", str(out / "work")]
    argv += ["--results", str(out), "--duration", "0.5", "--connections", "2"]
    argv += ["--latency-budget", "0.2", "--memory-searches", "0"]
    assert main(argv) == 0
    return out


def test_the_report_has_every_section(results: Path) -> None:
    text = (results / "results.md").read_text(encoding="utf-8")
    for heading in (
        "## Targets",
        "## Index build",
        "## In-process search latency",
        "### bundled corpus",
        "### synthetic corpus",
        "## HTTP",
        "## Notes",
    ):
        assert heading in text
    assert "it caches nothing" in text
    assert text.count("| floor |") == text.count("| distinct |") == 2
    assert "server CPU ms/request" in text


def test_the_json_has_every_figure(results: Path) -> None:
    data = json.loads((results / "results.json").read_text(encoding="utf-8"))
    assert data["build"]["synthetic"]["documents"] == 300
    for corpus in ("bundled", "synthetic"):
        for run in ("uncached", "cached"):
            latency = data["inprocess"][corpus][run]
            assert latency["count"] >= len(QUERY_MIX)
            assert latency["p50_ms"] <= latency["p99_ms"]
        http = data["http"][corpus]
        for run in ("floor", "distinct", "repeated"):
            assert http[run]["ok"] > 0 and http[run]["errors"] == 0
            # the server's own CPU per request: what compares servers on a busy machine
            assert http[run]["server_cpu_ms_per_request"] > 0
        assert http["memory"]["VmRSS"] > 0
    assert {t["verdict"] for t in data["targets"]} <= {"PASS", "MISS"}
    assert data["cache_check"]["caches_nothing"]


def test_a_second_run_reuses_the_synthetic_corpus(results: Path) -> None:
    argv = ["--corpus", str(MINI), "--docs", "300", "--work", str(results / "work")]
    argv += ["--results", str(results / "again"), "--duration", "0.2", "--connections", "1"]
    argv += ["--latency-budget", "0.1", "--skip-synthetic-http", "--memory-searches", "0"]
    assert main(argv) == 0
    data = json.loads((results / "again" / "results.json").read_text(encoding="utf-8"))
    assert data["synthesis"]["reused"] is True
    assert "synthetic" not in data["http"]


def test_distinct_variants_are_all_different_searches() -> None:
    variants = distinct_variants(5000)
    assert len(variants) == 5000
    assert len({request(v).cache_key() for v in variants}) == 5000
    assert all(path(v).startswith("/api/search?") for v in variants)


def test_targets_are_judged_and_missing_figures_say_so() -> None:
    results = {"build": {"synthetic": {"seconds": 200.0}}}
    verdicts = {t["id"]: t["verdict"] for t in report.judge(results)}
    assert verdicts["synthetic-build"] == "MISS"
    assert verdicts["synthetic-p50"] == "n/a"


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def test_distinct_load_stops_when_the_paths_are_used_up() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = [f"/{i}" for i in range(50)]
        host, port = server.server_address[:2]
        out = run_load(host, port, paths, connections=3, duration=10, cycle=False)
    finally:
        server.shutdown()
        server.server_close()
    assert out["requests"] == out["ok"] == 50
    assert out["exhausted"] is True
    assert out["wall_s"] < 10


def test_the_cost_of_recovery_is_measured_against_the_queries_typed_right(
    results: Path,
) -> None:
    data = json.loads((results / "results.json").read_text(encoding="utf-8"))
    for corpus in ("bundled", "synthetic"):
        runs = data["inprocess"][corpus]
        right, wrong = runs["recovery: typed right"], runs["recovery: typed wrong"]
        assert right["count"] == wrong["count"] >= len(RECOVERY_PAIRS)
        assert wrong["mean_ms"] > 0 and right["p50_ms"] <= right["p99_ms"]
    assert "| recovery: typed wrong |" in (results / "results.md").read_text(encoding="utf-8")


def test_the_recovery_pairs_are_corrected_on_the_bundled_corpus(search_index) -> None:
    from indexer.records import SearchRequest
    from indexer.search import search

    for name, typed, meant in RECOVERY_PAIRS:
        result = search(search_index, SearchRequest(q=typed))
        offered = result.corrected.target if result.corrected else result.suggestion
        assert offered == meant, name
