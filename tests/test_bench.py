"""The benchmark harness, run small: every section reported, in a temporary directory."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import fresh, peers, report
from bench.load import run_load
from bench.queries import QUERY_MIX, distinct_variants, path, request
from bench.recovery import RECOVERY_PAIRS
from bench.run import main
from indexer.build import build_index
from indexer.corpus import load_corpus
from indexer.glossary import Glossary
from indexer.index import SearchIndex
from indexer.query import plan_query
from indexer.search import search

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    argv = ["--corpus", str(MINI), "--docs", "300", "--work", str(out / "work")]
    argv += ["--results", str(out), "--duration", "0.5", "--connections", "2"]
    argv += ["--latency-budget", "0.2", "--memory-searches", "0", "--fresh-rounds", "0"]
    argv += ["--peer-rounds", "2", "--peer-open-rounds", "1"]  # peers are on by default
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
        "## Peers: Tantivy and SQLite FTS5",
        "What each peer does differently",
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
    assert main([*argv, "--no-peers"]) == 0
    data = json.loads((results / "again" / "results.json").read_text(encoding="utf-8"))
    assert data["synthesis"]["reused"] is True
    assert "synthetic" not in data["http"]
    assert "peers" not in data
    assert "## Peers" not in (results / "again" / "results.md").read_text(encoding="utf-8")


PEER_LABELS = ("tantivy", "tantivy+g", "fts5", "fts5+g")
PEER_FIGURES = ("build_s", "disk_mb", "open_ms", "warm_p50_ms", "warm_p99_ms")


def test_the_peers_section_has_every_figure_and_ratio(results: Path) -> None:
    data = json.loads((results / "results.json").read_text(encoding="utf-8"))["peers"]
    systems = data["systems"]
    assert set(systems) == {"project", *PEER_LABELS}
    for label in ("project", *PEER_LABELS):
        for figure in PEER_FIGURES:
            assert systems[label][figure] > 0, (label, figure)
    for label in PEER_LABELS:
        assert systems[label]["documents"] == 300
        for figure in PEER_FIGURES:
            expected = systems["project"][figure] / systems[label][figure]
            ratio = data["ratios"][label][figure]
            assert ratio > 0
            if figure in ("build_s", "disk_mb", "open_ms"):  # warm ones: medians of rounds
                assert ratio == pytest.approx(expected, rel=0.01)
    assert data["rounds"] == 2 and data["queries"] == len(QUERY_MIX)
    text = (results / "results.md").read_text(encoding="utf-8")
    section = text.split("## Peers")[1].split("\n## ")[0]
    assert "| | project | tantivy | tantivy+g | fts5 | fts5+g |" in section
    for what in ("build, s", "index on disk, MB", "open in a fresh process", "warm p50"):
        row = next(line for line in section.splitlines() if line.startswith(f"| {what}"))
        assert row.count("(×") == len(PEER_LABELS)


def test_the_glossary_peers_get_the_names_the_planner_adds() -> None:
    glossary = Glossary(load_corpus(MINI).glossary)
    some = 0
    for name, params in QUERY_MIX:
        q = params.get("q", [""])[0]
        added = peers.parse(params, glossary).expanded
        assert sorted(added) == sorted(plan_query(q, glossary).expanded), name
        assert peers.parse(params).expanded == ()
        some += bool(added)
    assert some >= 5  # ICC, МУС, Lukashenka... name concepts of the fixture's glossary


def _project_reports(index: SearchIndex, word: str) -> set[int]:
    found: set[int] = set()
    page = 1
    while True:
        params = {"q": [word], "per_page": ["50"], "page": [str(page)]}
        result = search(index, request(params))
        found |= {hit.report for hit in result.hits}
        if page * 50 >= result.total:
            return found
        page += 1


# Words of tests/fixtures/mini's texts (the synthetic corpus is drawn from them), in no
# glossary name, with one form in the vocabulary: every system's analysis agrees on them.
@pytest.mark.parametrize("word", ["evidence", "officials", "доказательства"])
def test_each_peer_finds_the_reports_the_project_finds(results: Path, word: str) -> None:
    work = results / "work"
    index = SearchIndex(work / "index-synthetic", cache_size=0)
    expected = _project_reports(index, word)
    index.close()
    assert 0 < len(expected) < 100  # of the synthetic corpus's 100 reports
    query = peers.parse({"q": [word]})
    for name, peer_class in peers.PEERS.items():
        peer = peer_class(work / f"peer-{name}")
        try:
            assert peer.matching_reports(query) == expected, name
            result = peer.search(query)
            assert 0 < len(result.hits) <= peers.TOP
            assert sum(result.facets["lang"].values()) == result.total
            assert sum(result.facets["year"].values()) == result.total
        finally:
            peer.close()


def test_make_bench_installs_the_bench_extra(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        ["make", "-n", "bench", f"VENV={tmp_path / 'venv'}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "pip install -q -e '.[bench]'" in run.stdout
    assert "bench.run" in run.stdout


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


def test_fresh_processes_measure_opening_and_first_searches(tmp_path: Path) -> None:
    built = tmp_path / "built"
    build_index(MINI, built)
    old = tmp_path / "old"
    shutil.copytree(built, old, symlinks=True)
    fresh.strip_derived(old)
    names = [name for name, _ in QUERY_MIX]
    queries = [names.index("acronym ICC"), names.index("browse")]
    measured = fresh.measure({"built": built, "old": old}, rounds=1, queries=queries)
    for label in ("built", "old"):
        assert measured[label]["open"]["count"] == 2
        assert measured[label]["first_search"]["count"] == 2
        assert measured[label]["partial_queries"] == []
    table = fresh.table(measured).splitlines()
    assert len(table) == 4 and table[2].startswith("| built |")
    results = {"fresh": measured}
    assert report._get(results, ("fresh", "built", "open", "p50_ms")) > 0
