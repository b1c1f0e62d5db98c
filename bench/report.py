"""The benchmark report: targets with PASS/MISS, ``results.md`` and ``results.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.fresh import table as fresh_table

# (id, what, where in the results, comparison, bound)
TARGETS: tuple[tuple[str, str, tuple[str, ...], str, float], ...] = (
    (
        "http-distinct-rps",
        "bundled corpus, distinct uncached searches over HTTP, req/s at 16 connections",
        ("http", "bundled", "distinct", "req_per_s"),
        ">=",
        1000.0,
    ),
    (
        "http-distinct-p99",
        "bundled corpus, distinct uncached searches over HTTP, p99 ms",
        ("http", "bundled", "distinct", "p99_ms"),
        "<=",
        25.0,
    ),
    (
        "http-repeated-share",
        "bundled corpus, repeated searches, share of the /healthz floor's throughput",
        ("http", "bundled", "repeated_over_floor"),
        ">=",
        0.70,
    ),
    (
        "synthetic-p50",
        "synthetic corpus, faceted search in-process uncached, p50 ms",
        ("inprocess", "synthetic", "uncached", "p50_ms"),
        "<=",
        50.0,
    ),
    (
        "synthetic-p99",
        "synthetic corpus, faceted search in-process uncached, p99 ms",
        ("inprocess", "synthetic", "uncached", "p99_ms"),
        "<=",
        250.0,
    ),
    (
        "synthetic-build",
        "synthetic corpus, index build seconds",
        ("build", "synthetic", "seconds"),
        "<=",
        120.0,
    ),
    (
        "synthetic-cold-p50",
        "synthetic corpus, faceted search in-process cold (fresh index, empty caches), p50 ms",
        ("inprocess", "synthetic", "cold", "p50_ms"),
        "<=",
        50.0,
    ),
    (
        "synthetic-cold-p99",
        "synthetic corpus, faceted search in-process cold (fresh index, empty caches), p99 ms",
        ("inprocess", "synthetic", "cold", "p99_ms"),
        "<=",
        250.0,
    ),
    (
        "synthetic-open-p50",
        "synthetic corpus, opening the generation in a fresh process, p50 ms",
        ("fresh", "synthetic", "open", "p50_ms"),
        "<=",
        50.0,
    ),
    (
        "synthetic-first-p50",
        "synthetic corpus, first search of each query in a fresh process, p50 ms",
        ("fresh", "synthetic", "first_search", "p50_ms"),
        "<=",
        20.0,
    ),
    (
        "synthetic-first-p99",
        "synthetic corpus, first search of each query in a fresh process, p99 ms",
        ("fresh", "synthetic", "first_search", "p99_ms"),
        "<=",
        100.0,
    ),
    (
        "rss-bundled",
        "largest server process RSS after the runs (bundled corpus), MB",
        ("http", "bundled", "memory", "largest_VmRSS"),
        "<=",
        300.0,
    ),
    (
        "rss-synthetic",
        "largest server process RSS after 5,000 distinct searches (synthetic corpus), MB",
        ("http", "synthetic", "memory", "largest_VmRSS"),
        "<=",
        300.0,
    ),
    (
        "costly-ordinary-p99",
        "ordinary searches under the costly-clients attack (`--costly`), p99 ms",
        ("costly", "ordinary", "p99_ms"),
        "<=",
        100.0,
    ),
)


def _get(results: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = results
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and PASS, MISS or n/a (not measured)."""
    out = []
    for target_id, what, path, op, bound in TARGETS:
        if path[0] in ("costly", "fresh") and path[0] not in results:
            continue  # not asked for (no --costly, --fresh-rounds 0): not judged
        value = _get(results, path)
        if value is None:
            verdict = "n/a"
        else:
            ok = value >= bound if op == ">=" else value <= bound
            verdict = "PASS" if ok else "MISS"
        row = {"id": target_id, "what": what, "value": value, "verdict": verdict}
        out.append({**row, "target": f"{op} {bound:g}"})
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _latency_rows(title: str, runs: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        f"### {title}",
        "",
        "| run | count | mean ms | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in runs.items():
        cells = [r.get(k) for k in ("count", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms")]
        rows.append(f"| {name} | " + " | ".join(_fmt(c) for c in cells) + " |")
    return rows + [""]


# (key in the peers' figures, what it is)
PEER_FIGURES: tuple[tuple[str, str], ...] = (
    ("build_s", "build, s (loading the corpus included)"),
    ("disk_mb", "index on disk, MB"),
    ("open_ms", "open in a fresh process, ms (median)"),
    ("warm_p50_ms", "warm p50 in-process, ms (median of rounds)"),
    ("warm_p99_ms", "warm p99 in-process, ms (median of rounds)"),
)


def _peer_rows(peers: dict[str, Any]) -> list[str]:
    """The side-by-side table: each figure for the project and each peer, with the ratio
    project / peer after each peer's figure."""
    systems = peers["systems"]
    labels = [label for label in systems if label != "project"]
    project = systems["project"]
    lines = [
        "## Peers: Tantivy and SQLite FTS5, same corpus, same queries",
        "",
        f"{project.get('documents') or 0:,} synthetic documents; the {peers['queries']} "
        f"queries of `bench/queries.py` (top 10, a snippet per hit, disjunctive year/lang/"
        f"topic counts); {peers['rounds']} alternating warm rounds after one warm-up, "
        f"{peers['open_rounds']} fresh process(es) per system for open, imports not "
        "counted.  Ratio (×) = project / peer: above 1 the project is slower or bigger.",
        "",
        "| | project | " + " | ".join(labels) + " |",
        "|---|---:|" + "---:|" * len(labels),
    ]
    for key, what in PEER_FIGURES:
        cells = [_fmt(project.get(key))]
        for label in labels:
            ratio = peers["ratios"][label].get(key)
            value = _fmt(systems[label].get(key))
            cells.append(f"{value} (×{ratio:.2f})" if ratio is not None else value)
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    if project.get("build_reused"):
        lines += ["", "The project's build figure is from its reused index's own build."]
    lines += ["", "What each peer does differently, so that no ratio is misread:", ""]
    lines += [f"- {item}" for item in peers["differences"]] + [""]
    return lines


def markdown(results: dict[str, Any]) -> str:
    """``results.md``: every section of the results as tables."""
    env = results["environment"]
    lines = [
        "# iapb-search benchmarks",
        "",
        f"{env['date']} · {env['cpus']} CPUs · Python {env['python']} · "
        f"server {env.get('server_workers', 1)} workers × {env['server_threads']} threads · "
        f"{env['connections']} connections "
        f"× {env['duration_s']} s per HTTP run · total {_fmt(results.get('total_s'))} s",
        "",
        "## Targets",
        "",
        "| target | measured | bound | verdict |",
        "|---|---:|---:|---|",
    ]
    for t in results["targets"]:
        lines.append(f"| {t['what']} | {_fmt(t['value'])} | {t['target']} | {t['verdict']} |")
    lines += ["", "## Index build", "", "| corpus | documents | seconds | documents/s |"]
    lines.append("|---|---:|---:|---:|")
    for name, b in results["build"].items():
        row = [b["documents"], b["seconds"], b["docs_per_s"]]
        when = f" (reused index, measured {b['built_at']})" if b.get("reused") else ""
        lines.append(f"| {name}{when} | " + " | ".join(_fmt(c) for c in row) + " |")
    if "synthesis" in results:
        s = results["synthesis"]
        how = "reused" if s["reused"] else f"generated in {s['seconds']} s"
        lines += ["", f"Synthetic corpus: {s['documents']:,} documents, seed {s['seed']}, {how}."]
    cache = results["cache_check"]
    lines += [
        "",
        "## In-process search latency (`indexer.search.search`, facets included)",
        "",
        f"Cache check: `SearchIndex(dir, cache_size=0)` kept {cache['entries_kept']} entries "
        f"and had {cache['hits']} hits over two identical searches: "
        f"{'it caches nothing' if cache['caches_nothing'] else 'IT CACHES (report this)'}.",
        "",
    ]
    for corpus, runs in results["inprocess"].items():
        lines += _latency_rows(f"{corpus} corpus", runs)
        slow = sorted(runs["uncached"]["per_query_p50_ms"].items(), key=lambda kv: -kv[1])
        worst = ", ".join(f"{n} {v:.1f}" for n, v in slow[:6])
        lines += [f"Slowest queries (uncached p50 ms): {worst}", ""]
        partial = runs["uncached"].get("partial_queries")
        if partial:
            lines += ["Partial (a cost limit cut them): " + ", ".join(partial), ""]
        if "recovery: typed wrong" in runs:
            lines += [
                "Recovery rows (`bench/recovery.py`): queries typed on the wrong keyboard "
                "layout or misspelt, which find nothing as typed and are corrected, against "
                "the same queries typed right; uncached, interleaved.",
                "",
            ]
    if "peers" in results:
        lines += _peer_rows(results["peers"])
    if "fresh" in results:
        lines += [
            "## A fresh process per query (`bench/fresh.py`)",
            "",
            "Each sample is a new process: it opens the current generation, then searches "
            "one query of the mix once (imports not counted).",
            "",
            *fresh_table(results["fresh"]).splitlines(),
            "",
        ]
    lines += ["## HTTP (`python -m webapp.serve`, loopback)", ""]
    for corpus, h in results["http"].items():
        lines += [
            f"### {corpus} corpus",
            "",
            "| run | req/s | p50 ms | p99 ms | requests | errors | server CPU ms/request "
            "| generator CPU (cores) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in ("floor", "distinct", "repeated"):
            r = h[run]
            cells = [r.get(k) for k in ("req_per_s", "p50_ms", "p99_ms", "requests", "errors")]
            cells.append(r.get("server_cpu_ms_per_request"))
            cells.append(r.get("generator_cpu_cores"))
            lines.append(f"| {run} | " + " | ".join(_fmt(c) for c in cells) + " |")
        mem = h["memory"]
        lines += [
            "",
            f"distinct/floor {h['distinct_over_floor']:.2f}, "
            f"repeated/floor {h['repeated_over_floor']:.2f}; server RSS {mem['VmRSS']} MB "
            f"in {mem.get('processes', 1)} processes, largest {mem.get('largest_VmRSS', '?')} MB "
            f"(peaks summed {mem['VmHWM']} MB)"
            + (" — distinct queries ran out before the end" * h["distinct"]["exhausted"]),
            "",
        ]
    lines += ["## Notes", ""] + [f"- {n}" for n in results.get("notes", [])]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    """Write ``results.md`` and ``results.json`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    md = directory / "results.md"
    js = directory / "results.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return md, js
