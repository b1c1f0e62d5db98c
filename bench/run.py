"""``make bench``: build, in-process and HTTP benchmarks, with a report.

Sections: index build time of the bundled corpus and of a synthetic corpus (generated
under ``bench/out/`` by :mod:`bench.synth`, reused when present with the same size,
seed and source; its index is reused when up to date, with the build time measured
when it was built, unless ``--rebuild``); in-process latency of the fixed query mix
(:mod:`bench.queries`) with the result cache off and on; a fresh process per query on
the synthetic index (:mod:`bench.fresh`: opening the generation, the first search);
HTTP throughput and latency against the production server at ``--connections``
concurrent keep-alive connections for distinct (uncached) and repeated (cached)
searches and for ``/healthz`` (the floor); the server's memory; with ``--peers`` (the
default), Tantivy and SQLite FTS5 on the same synthetic corpus and queries, as ratios
(:mod:`bench.peers`), and the project's server against a Flask wrapper over Tantivy
served the same way (:mod:`bench.versus`, :mod:`bench.tantivy_app`); throughput in the
first seconds after a generation swap against warm (:mod:`bench.swap`); with
``--scale 300000``, a second size built and measured against Tantivy.  Every build
(the project's and each peer's) runs in a process of its own, its wall time and the
peak memory of its process tree measured (:mod:`bench.builds`).

The report opens with the targets of issue 15, one row each: the project's figure, the
peer's, the ratio, the bound and PASS, MISS or "skipped" with the reason
(:func:`bench.report.judge_issue`).  Prints progress, then the report; writes
``results.md`` and ``results.json``.  A quick look at the harness (about 4 minutes)::

    python -m bench.run --docs 3000 --duration 2 --latency-budget 2 --memory-searches 0 \
        --peer-rounds 2 --peer-open-rounds 1 --versus-rounds 2 --swap-rounds 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import (
    builds,
    costly,
    fresh,
    inprocess,
    peers,
    recovery,
    relax,
    report,
    swap,
    synth,
    versus,
)
from bench.load import run_load
from bench.queries import QUERY_MIX, REPEATED, distinct_variants, path
from bench.server import Server
from indexer.build import is_stale
from webapp.serve import DEFAULT_THREADS, default_workers

ROOT = Path(__file__).resolve().parent.parent


def _say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _progress(label: str):
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 5 or done >= total:
            last[0] = now
            _say(f"  {label}: {done:,}/{total:,} documents")

    return show


def _build(corpus: Path, out: Path, label: str, reuse: bool = False) -> dict[str, Any]:
    """Build ``corpus`` into a fresh ``out`` in a process of its own (wall time and the
    peak memory of its process tree: :mod:`bench.builds`); or, with ``reuse``, keep an
    index that is up to date (same corpus and analysis code) and report its build's."""
    record = out.with_name(out.name + ".build.json")
    if reuse and record.exists() and not is_stale(corpus, out):
        measured = json.loads(record.read_text(encoding="utf-8"))
        if "peak_rss_mb" in measured:
            when, seconds = measured["built_at"], measured["seconds"]
            _say(f"reusing the {label} index (built {when} in {seconds} s)")
            return {**measured, "reused": True}
    _say(f"building the index of the {label} corpus ({corpus}) in a process of its own")
    info = builds.measure("project", corpus, out)
    _say(
        f"  {info['documents']:,} documents in {info['seconds']:.1f} s, peak RSS of the "
        f"process tree {info['peak_rss_mb']:,.0f} MB ({info['processes']} processes)"
    )
    measured = {
        "corpus": str(corpus),
        **info,
        "docs_per_s": round(info["documents"] / info["seconds"], 1),
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    record.write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    return {**measured, "reused": False}


def _synthesise(args: argparse.Namespace, out: Path, docs: int) -> dict[str, Any]:
    if synth.is_current(out, docs, args.seed, args.corpus):
        _say(f"reusing the synthetic corpus in {out}")
        return {**synth.manifest(docs, args.seed, args.corpus), "reused": True}
    _say(f"generating a synthetic corpus of {docs:,} documents in {out}")
    started = time.perf_counter()
    info = synth.generate(docs, out, seed=args.seed, source=args.corpus)
    seconds = round(time.perf_counter() - started, 1)
    _say(f"  done in {seconds} s")
    return {**info, "reused": False, "seconds": seconds}


def _inprocess(index_dir: Path, label: str, budget: float) -> dict[str, Any]:
    runs = {}
    _say(f"in-process latency, {label} corpus, cold (each query on a freshly opened index)")
    runs["cold"] = inprocess.measure_cold(index_dir)
    _say(f"  p50 {runs['cold']['p50_ms']} ms, p99 {runs['cold']['p99_ms']} ms")
    for cached in (False, True):
        name = "cached" if cached else "uncached"
        _say(f"in-process latency, {label} corpus, {name} (about {budget:.0f} s)")
        runs[name] = inprocess.measure(
            index_dir,
            cached=cached,
            budget=budget if not cached else min(budget, 3.0),
            progress=lambda m, n=name: _say(f"  {label} {n}: {m}"),
        )
        r = runs[name]
        _say(f"  p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms over {r['count']} searches")
    _say(f"in-process latency, {label} corpus, recovery pairs (about {min(budget, 5.0):.0f} s)")
    pairs = recovery.measure(index_dir, min(budget, 5.0))
    runs["recovery: typed right"] = pairs["plain"]
    runs["recovery: typed wrong"] = pairs["recovery"]
    for name in ("plain", "recovery"):
        r = pairs[name]
        _say(f"  {name}: mean {r['mean_ms']} ms, p99 {r['p99_ms']} ms over {r['count']} searches")
    _say(f"in-process latency, {label} corpus, relaxed pairs (about {min(budget, 5.0):.0f} s)")
    relaxed = relax.measure(index_dir, min(budget, 5.0))
    runs["relax: strict"] = relaxed["strict"]
    runs["relax: relaxed, whole search"] = relaxed["relaxed"]
    runs["relax: relax step"] = relaxed["step"]
    _say(f"  relaxed / strict {relaxed['ratio']}, relax step / strict {relaxed['step_ratio']}")
    return runs


def _http(index_dir: Path, label: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    _say(f"HTTP: starting python -m webapp.serve on the {label} index")
    out: dict[str, Any] = {}
    log = work / f"server-{label}.log"
    with Server(index_dir, args.threads, log, workers=args.workers) as server:
        for _, params in QUERY_MIX:
            server.get(path(params))
        expected = max(2000, int(args.duration * 3000))
        distinct = [path(p) for p in distinct_variants(expected, seed=args.seed)]
        repeated = [path(p) for p in REPEATED]
        for run, paths, cycle in (
            ("floor", ["/healthz"], True),
            ("distinct", distinct, False),
            ("repeated", repeated, True),
        ):
            _say(f"  {label} {run}: {args.connections} connections for {args.duration} s")
            cpu_before = server.cpu_seconds()
            out[run] = run_load(
                server.host,
                server.port,
                paths,
                connections=args.connections,
                duration=args.duration,
                cycle=cycle,
            )
            r = out[run]
            cpu_ms = (server.cpu_seconds() - cpu_before) * 1000
            r["server_cpu_ms_per_request"] = round(cpu_ms / max(1, r["requests"]), 2)
            rate, p50, p99 = r.get("req_per_s"), r.get("p50_ms"), r.get("p99_ms")
            cpu = r["server_cpu_ms_per_request"]
            _say(f"    {rate} req/s, p50 {p50} ms, p99 {p99} ms, server CPU {cpu} ms/request")
        # Memory after at least --memory-searches distinct searches (<= 300 MB).
        sent = out["distinct"]["requests"]
        if sent < args.memory_searches:
            more = distinct_variants(args.memory_searches - sent + len(distinct), seed=args.seed)
            extra = [path(p) for p in more][len(distinct) :]
            _say(f"  {label} memory: {len(extra)} more distinct searches")
            run_load(
                server.host,
                server.port,
                extra,
                connections=args.connections,
                duration=600.0,
                cycle=False,
            )
            sent += len(extra)
        out["memory"] = server.memory()
        out["memory"]["after_distinct_searches"] = sent
        _say(f"  server RSS {out['memory']}")
    floor = out["floor"].get("req_per_s") or 1.0
    out["distinct_over_floor"] = round(out["distinct"].get("req_per_s", 0.0) / floor, 3)
    out["repeated_over_floor"] = round(out["repeated"].get("req_per_s", 0.0) / floor, 3)
    out["server_threads"] = args.threads
    out["server_workers"] = args.workers
    return out


def _scale(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """``--scale``: a second synthetic size, its build and its warm latency against
    Tantivy (alone: FTS5 is left out to keep the run short)."""
    corpus = work / f"synth-{args.scale}-seed{args.seed}"
    out: dict[str, Any] = {"synthesis": _synthesise(args, corpus, args.scale)}
    index = work / f"index-synthetic-{args.scale}"
    label = f"synthetic {args.scale:,}"
    out["build"] = _build(corpus, index, label, reuse=not args.rebuild)
    scale_work = work / f"scale-{args.scale}"
    scale_work.mkdir(exist_ok=True)
    out["peers"] = peers.run(
        corpus,
        index,
        out["build"],
        scale_work,
        rounds=args.peer_rounds,
        open_rounds=args.peer_open_rounds,
        systems=("tantivy",),
        progress=lambda m: _say(f"  {label}: {m}"),
    )
    return out


def _notes(results: dict[str, Any]) -> list[str]:
    notes = [
        "Latencies over HTTP are measured by the client (request sent to body read); "
        "the load generator is Python threads with keep-alive http.client connections, "
        "on the same 2-core machine as the server.",
    ]
    for label, h in results["http"].items():
        floor = h["floor"]
        notes.append(
            f"{label}: the generator used {floor.get('generator_cpu_cores')} cores of CPU "
            f"to drive {floor.get('req_per_s')} req/s against /healthz; against searches "
            f"it used {h['distinct'].get('generator_cpu_cores')} cores, so search figures "
            "are bounded by the server, not the generator, when that is well under 1."
        )
    if not results["cache_check"]["caches_nothing"]:
        notes.append("SearchIndex(cache_size=0) kept results: uncached figures are wrong.")
    return notes


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="bundled corpus")
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic corpus size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--results", type=Path, default=ROOT / "bench", help="report dir")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per HTTP run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=default_workers(), help="server processes")
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="server threads per process"
    )
    parser.add_argument(
        "--latency-budget", type=float, default=30.0, help="seconds per uncached in-process run"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the synthetic index even when it is up to date (re-measures its build)",
    )
    parser.add_argument(
        "--skip-synthetic-http", action="store_true", help="HTTP runs on the bundled corpus only"
    )
    parser.add_argument(
        "--costly",
        action="store_true",
        help="also the costly-clients attack on the synthetic index (bench.costly)",
    )
    parser.add_argument(
        "--memory-searches",
        type=int,
        default=5000,
        help="distinct searches sent before the server's memory is read",
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Tantivy and SQLite FTS5 side by side on the synthetic corpus (bench.peers; "
        "needs the bench extra)",
    )
    parser.add_argument(
        "--peer-rounds", type=int, default=7, help="alternating warm rounds of the mix per system"
    )
    parser.add_argument(
        "--peer-open-rounds", type=int, default=5, help="fresh processes per system for open"
    )
    parser.add_argument(
        "--fresh-rounds",
        type=int,
        default=1,
        help="times over the query mix in fresh processes (bench.fresh; 0: skip)",
    )
    parser.add_argument(
        "--versus-rounds",
        type=int,
        default=3,
        help="alternating HTTP runs of --duration s, project against the Flask wrapper over "
        "Tantivy (bench.versus; needs --peers; 0: skip)",
    )
    parser.add_argument(
        "--swap-rounds",
        type=int,
        default=2,
        help="HTTP throughput after a generation swap against warm (bench.swap; 0: skip)",
    )
    parser.add_argument(
        "--swap-window", type=float, default=10.0, help="seconds measured after each swap"
    )
    parser.add_argument(
        "--scale",
        type=int,
        metavar="DOCS",
        help="also a second synthetic size (e.g. 300000): its build (reused when up to "
        "date), and warm latency against Tantivy; judges the 300k targets",
    )
    parser.add_argument("--costly-clients", type=int, default=8)
    parser.add_argument("--costly-seconds", type=float, default=20.0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and write the report; returns 0 (1 when the corpus is missing)."""
    args = make_parser().parse_args(argv)
    if not (args.corpus / "reports").is_dir():
        print(f"error: no corpus at {args.corpus} (give --corpus)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    synthetic = work / f"synth-{args.docs}-seed{args.seed}"
    results: dict[str, Any] = {
        "environment": {
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "server_threads": args.threads,
            "server_workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
        },
        "build": {},
        "inprocess": {},
        "http": {},
    }
    indexes = {"bundled": work / "index-bundled", "synthetic": work / "index-synthetic"}
    results["build"]["bundled"] = _build(args.corpus, indexes["bundled"], "bundled")
    results["synthesis"] = _synthesise(args, synthetic, args.docs)
    results["build"]["synthetic"] = _build(
        synthetic, indexes["synthetic"], "synthetic", reuse=not args.rebuild
    )
    results["cache_check"] = inprocess.check_uncached(indexes["bundled"])
    for label, index_dir in indexes.items():
        budget = args.latency_budget if label == "synthetic" else min(args.latency_budget, 5.0)
        results["inprocess"][label] = _inprocess(index_dir, label, budget)
    if args.peers:
        _say("peers: Tantivy and SQLite FTS5 on the synthetic corpus")
        results["peers"] = peers.run(
            synthetic,
            indexes["synthetic"],
            results["build"]["synthetic"],
            work,
            rounds=args.peer_rounds,
            open_rounds=args.peer_open_rounds,
            progress=lambda m: _say(f"  {m}"),
        )
    if args.fresh_rounds:
        _say(f"fresh processes on the synthetic index: open, first search ({args.fresh_rounds} x)")
        results["fresh"] = fresh.measure(
            {"synthetic": indexes["synthetic"]},
            args.fresh_rounds,
            lambda m: _say(f"  {m}"),
            tantivy=work / "peer-tantivy" if args.peers else None,
        )
        r = results["fresh"]["synthetic"]
        _say(
            f"  open p50 {r['open']['p50_ms']} ms; first search p50 "
            f"{r['first_search']['p50_ms']} ms, p99 {r['first_search']['p99_ms']} ms"
        )
    for label, index_dir in indexes.items():
        if label == "synthetic" and args.skip_synthetic_http:
            continue
        results["http"][label] = _http(index_dir, label, args, work)
    synthetic_http = not args.skip_synthetic_http
    if synthetic_http and args.peers and args.versus_rounds:
        _say(
            f"HTTP: the project against the Flask wrapper over Tantivy, {args.versus_rounds} rounds"
        )
        results["versus"] = versus.measure(
            indexes["synthetic"],
            work / "peer-tantivy",
            work,
            threads=args.threads,
            workers=args.workers,
            connections=args.connections,
            duration=args.duration,
            rounds=args.versus_rounds,
            seed=args.seed,
            progress=lambda m: _say(f"  {m}"),
        )
    if synthetic_http and args.swap_rounds:
        _say(f"HTTP after a generation swap, {args.swap_rounds} rounds of {args.swap_window} s")
        results["swap"] = swap.measure(
            indexes["synthetic"],
            work,
            threads=args.threads,
            workers=args.workers,
            connections=args.connections,
            window=args.swap_window,
            rounds=args.swap_rounds,
            seed=args.seed,
            progress=lambda m: _say(f"  {m}"),
        )
    if args.scale:
        _say(f"second size: {args.scale:,} synthetic documents")
        results["scale"] = _scale(args, work)
    if args.costly:
        _say(f"costly clients: {args.costly_clients} for {args.costly_seconds} s")
        results["costly"] = costly.run(
            indexes["synthetic"],
            args.costly_clients,
            args.costly_seconds,
            work / "server-costly.log",
            args.workers,
        )
        _say(f"  {results['costly']}")
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.judge(results)
    results["issue_targets"] = report.judge_issue(results)
    results["notes"] = _notes(results)
    md, js = report.write(results, args.results)
    print(md.read_text(encoding="utf-8"))
    _say(f"wrote {md} and {js} in {results['total_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
