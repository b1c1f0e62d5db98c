"""The benchmark report: targets with PASS/MISS, ``results.md`` and ``results.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.fresh import TANTIVY as TANTIVY_FRESH
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


# --- the targets of issue 15: the project against its peers, measured in the same run ---

SCALE_DOCS = 300_000  # the size of the "300k" targets
LINEAR_BOUND = 1.25  # "linear to 300k": build seconds per document at most this × 100k's


def _row(
    target_id: str,
    what: str,
    bound: str,
    *,
    project: Any = None,
    peer: Any = None,
    ratio: float | None = None,
    ok: bool | None = None,
    skipped: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One row of the target table; ``ok`` None with ``skipped`` None: not measured."""
    if skipped is not None or ok is None:
        verdict = f"skipped: {skipped or 'not measured'}"
    else:
        verdict = "PASS" if ok else "MISS"
    row = {"id": target_id, "what": what, "project": project, "peer": peer, "ratio": ratio}
    return {**row, "target": bound, "verdict": verdict, "note": note}


def _size(documents: Any, unknown: str = "?") -> str:
    return f"{documents:,} docs" if isinstance(documents, int) else unknown


def _fresh_rows(results: dict[str, Any], size: str) -> list[dict[str, Any]]:
    fresh = _get(results, ("fresh", "synthetic"))
    peer_fresh = _get(results, ("fresh", TANTIVY_FRESH)) or {}
    peers = results.get("peers")
    project_open = _get(fresh or {}, ("open", "p50_ms"))
    tantivy_open = _get(peer_fresh, ("open", "p50_ms"))
    if project_open is None or tantivy_open is None:  # the figures of the same source
        project_open = project_open or _get(peers or {}, ("systems", "project", "open_ms"))
        tantivy_open = _get(peers or {}, ("systems", "tantivy", "open_ms"))
    why = "--fresh-rounds 0 and --no-peers" if project_open is None else None
    rows = [
        _row(
            "open",
            f"open a generation in a fresh process, p50 ({size})",
            "<= 50 ms",
            project=project_open,
            peer=tantivy_open and f"Tantivy {_fmt(tantivy_open)}",
            ratio=project_open / tantivy_open if project_open and tantivy_open else None,
            ok=None if project_open is None else project_open <= 50,
            skipped=why,
        )
    ]
    partial = (fresh or {}).get("partial_queries", [])
    note = f"partial: {', '.join(partial)}" if partial else "no search partial"
    for key, bound in (("p50_ms", 20.0), ("p99_ms", 100.0)):
        value = _get(fresh or {}, ("first_search", key))
        peer = _get(peer_fresh, ("first_search", key))
        rows.append(
            _row(
                f"first-search-{key[:3]}",
                f"first search of each query in a fresh process, {key[:3]}, no partial ({size})",
                f"<= {bound:g} ms",
                project=value,
                peer=peer and f"Tantivy+g {_fmt(peer)}",
                ratio=value / peer if value and peer else None,
                ok=None if value is None else value <= bound and not partial,
                skipped=None if fresh else "--fresh-rounds 0",
                note=note if fresh else "",
            )
        )
    return rows


def _swap_row(results: dict[str, Any], size: str) -> dict[str, Any]:
    swapped = results.get("swap")
    window = f"{swapped['window_s']:g}" if swapped else "10"
    what = f"HTTP distinct searches in the first {window} s after a generation swap / warm ({size})"
    if not swapped:
        return _row("swap", what, ">= 0.80", skipped="--swap-rounds 0 or --skip-synthetic-http")
    ratio, reopened = swapped["ratio"], swapped["reopened"]
    return _row(
        "swap",
        what,
        ">= 0.80",
        project=f"{_fmt(swapped['after_swap_req_per_s'])} req/s after",
        peer=f"{_fmt(swapped['warm_req_per_s'])} req/s warm",
        ratio=ratio,
        ok=ratio is not None and ratio >= 0.8 and reopened,
        note=f"{swapped['window_s']:g} s windows; every worker reopened the new generation"
        if reopened
        else "a worker did not reopen the new generation",
    )


def _build_rows(results: dict[str, Any], size: str) -> list[dict[str, Any]]:
    peers = results.get("peers") or {}
    build = _get(results, ("build", "synthetic")) or {}
    tantivy = _get(peers, ("systems", "tantivy")) or {}
    seconds, rss = build.get("seconds"), build.get("peak_rss_mb")
    ratio = _get(peers, ("ratios", "tantivy", "build_s"))
    reused = "reused index: its build's figures" if build.get("reused") else ""
    rows = [
        _row(
            "build-wall",
            f"build wall time, s, against Tantivy's ({size})",
            "<= 4× Tantivy",
            project=seconds,
            peer=tantivy.get("build_s") and f"Tantivy {_fmt(tantivy['build_s'])}",
            ratio=ratio,
            ok=None if ratio is None else ratio <= 4,
            skipped=None if peers else "--no-peers",
            note=reused,
        ),
        _row(
            "build-rss",
            f"build peak RSS of the process tree, MB ({size})",
            "<= 1,024 MB",
            project=rss,
            peer=tantivy.get("peak_rss_mb") and f"Tantivy {_fmt(tantivy['peak_rss_mb'])}",
            ratio=_get(peers, ("ratios", "tantivy", "peak_rss_mb")),
            ok=None if rss is None else rss <= 1024,
        ),
    ]
    scale = _get(results, ("scale", "build")) or {}
    linear = None
    if scale.get("seconds") and seconds:
        per_doc = scale["seconds"] / scale["documents"]
        linear = per_doc / (seconds / build["documents"])
    rows.append(
        _row(
            "build-linear",
            f"build seconds per document at {_size(scale.get('documents'), 'the --scale size')}"
            f" / at {size}",
            f"<= {LINEAR_BOUND:g}",
            project=scale.get("seconds") and f"{_fmt(scale['seconds'])} s",
            peer=_get(results, ("scale", "peers", "systems", "tantivy", "build_s"))
            and f"Tantivy {_fmt(results['scale']['peers']['systems']['tantivy']['build_s'])} s",
            ratio=linear,
            ok=None if linear is None else linear <= LINEAR_BOUND,
            skipped=None if scale else "needs --scale 300000",
            note=f"peak RSS {_fmt(scale.get('peak_rss_mb'))} MB" if scale else "",
        )
    )
    return rows


def _largest(results: dict[str, Any]) -> dict[str, Any] | None:
    """The peers' figures at the largest size measured: ``--scale``'s, else the main run's."""
    return _get(results, ("scale", "peers")) or results.get("peers")


def _warm_rows(results: dict[str, Any], size: str) -> list[dict[str, Any]]:
    rows = []
    big = _largest(results)
    big_docs = _get(big or {}, ("systems", "project", "documents"))
    at_scale = isinstance(big_docs, int) and big_docs >= SCALE_DOCS
    partial = _get(big or {}, ("systems", "project", "partial_queries")) or []
    for target_id, what, key, bound, text, needs_scale in (
        ("scale-p99", "warm in-process p99 against Tantivy+g", "warm_p99_ms", 3.0, "<= 3×", True),
        (
            "date-order",
            "date-ordered searches, warm mean, against Tantivy+g",
            "warm_date_ms",
            1.0,
            "<= 1× (no slower)",
            False,
        ),
    ):
        figures = big if (at_scale or not needs_scale) else None
        why = "needs --scale 300000 (or --docs 300000)" if needs_scale else "--no-peers"
        ratio = _get(figures or {}, ("ratios", "tantivy+g", key))
        no_partial = not partial or not needs_scale
        rows.append(
            _row(
                target_id,
                f"{what}{', no partial' if needs_scale else ''} ({_size(big_docs)})",
                text,
                project=_get(figures or {}, ("systems", "project", key)),
                peer=_get(figures or {}, ("systems", "tantivy+g", key)),
                ratio=ratio,
                ok=None if ratio is None else ratio <= bound and no_partial,
                skipped=None if figures else why,
                note=(f"partial: {', '.join(partial)}" if partial else "no search partial")
                if needs_scale and figures
                else "",
            )
        )
    peers = results.get("peers") or {}
    ratio = _get(peers, ("ratios", "tantivy+g", "warm_p50_ms"))
    rows.append(
        _row(
            "warm-p50",
            f"warm in-process p50, same facet work, against Tantivy+g ({size})",
            "<= 1.5×",
            project=_get(peers, ("systems", "project", "warm_p50_ms")),
            peer=_get(peers, ("systems", "tantivy+g", "warm_p50_ms")),
            ratio=ratio,
            ok=None if ratio is None else ratio <= 1.5,
            skipped=None if peers else "--no-peers",
        )
    )
    return rows


def _http_rows(results: dict[str, Any], size: str) -> list[dict[str, Any]]:
    against = results.get("versus")
    rows = [
        _row(
            "http-vs-tantivy",
            f"HTTP distinct searches, req/s, against a Flask wrapper over Tantivy ({size})",
            ">= 1.2×",
            project=_get(against or {}, ("project", "req_per_s")),
            peer=_get(against or {}, ("tantivy", "req_per_s")),
            ratio=(against or {}).get("ratio"),
            ok=None if not against else (against["ratio"] or 0) >= 1.2,
            skipped=None if against else "--versus-rounds 0, --no-peers or --skip-synthetic-http",
        )
    ]
    bundled = _get(results, ("http", "bundled")) or {}
    rate = _get(bundled, ("distinct", "req_per_s"))
    share = bundled.get("repeated_over_floor")
    rows.append(
        _row(
            "bundled-distinct",
            "bundled corpus, HTTP distinct searches, req/s",
            ">= 1,000",
            project=rate,
            ok=None if rate is None else rate >= 1000,
        )
    )
    rows.append(
        _row(
            "bundled-repeated",
            "bundled corpus, HTTP repeated searches / the /healthz floor",
            ">= 0.70",
            project=share,
            peer=_get(bundled, ("floor", "req_per_s"))
            and f"/healthz {_fmt(bundled['floor']['req_per_s'])} req/s",
            ratio=share,
            ok=None if share is None else share >= 0.7,
        )
    )
    return rows


def judge_issue(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of issue 15, one row each: the project's figure, the peer's, the ratio
    (project / peer; for ratio targets the median of alternating rounds' ratios), the
    bound and PASS, MISS or "skipped: why" (a measurement not asked for)."""
    size = _size(_get(results, ("build", "synthetic", "documents")))
    return [
        *_fresh_rows(results, size),
        _swap_row(results, size),
        *_build_rows(results, size),
        *_warm_rows(results, size),
        *_http_rows(results, size),
    ]


def issue_table(rows: list[dict[str, Any]]) -> list[str]:
    """The target table as Markdown lines."""
    lines = [
        "| target | project | peer | ratio | bound | verdict | note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        ratio = f"×{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        cells = [r["what"], _fmt(r["project"]), _fmt(r["peer"]), ratio, r["target"]]
        lines.append("| " + " | ".join([*cells, r["verdict"], r["note"]]) + " |")
    return lines


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
    ("peak_rss_mb", "build peak RSS of the process tree, MB"),
    ("disk_mb", "index on disk, MB"),
    ("open_ms", "open in a fresh process, ms (median)"),
    ("warm_p50_ms", "warm p50 in-process, ms (median of rounds)"),
    ("warm_p99_ms", "warm p99 in-process, ms (median of rounds)"),
    ("warm_date_ms", "date-ordered searches, warm mean, ms (median of rounds)"),
)


def _peer_rows(
    peers: dict[str, Any], title: str = "Peers: Tantivy and SQLite FTS5, same corpus, same queries"
) -> list[str]:
    """The side-by-side table: each figure for the project and each peer, with the ratio
    project / peer after each peer's figure."""
    systems = peers["systems"]
    labels = [label for label in systems if label != "project"]
    project = systems["project"]
    lines = [
        f"## {title}",
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
    partial = project.get("partial_queries")
    if partial:
        lines += ["", "The project marked partial (a cost limit cut them): " + ", ".join(partial)]
    dated = ", ".join(peers.get("date_ordered_queries", []))
    lines += ["", f"Date-ordered searches: {dated}."]
    lines += ["", "What each peer does differently, so that no ratio is misread:", ""]
    lines += [f"- {item}" for item in peers["differences"]] + [""]
    return lines


def _versus_rows(against: dict[str, Any] | None) -> list[str]:
    if not against:
        return []
    lines = [
        "### synthetic corpus: the project against a Flask wrapper over Tantivy "
        "(`bench/versus.py`, `bench/tantivy_app.py`)",
        "",
        f"Distinct searches, {against['connections']} connections, {against['rounds']} "
        f"alternating runs of {against['duration_s']:g} s, the same server and settings.",
        "",
        "| server | answers 200/s (median) | p99 ms (median) | errors | 200/s per run |",
        "|---|---:|---:|---:|---|",
    ]
    for name in ("project", "tantivy"):
        r = against[name]
        runs = ", ".join(_fmt(v) for v in r["rounds_req_per_s"])
        cells = [_fmt(r["req_per_s"]), _fmt(r["p99_ms"]), _fmt(r["errors"]), runs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ratio = against["ratio"]
    return lines + ["", f"Ratio project / wrapper: ×{ratio:.2f}" if ratio else "", ""]


def _swap_rows(swapped: dict[str, Any] | None) -> list[str]:
    if not swapped:
        return []
    lines = [
        "### synthetic corpus: the first seconds after a generation swap (`bench/swap.py`)",
        "",
        "| round | warm 200/s | after swap 200/s | ratio | p99 after, ms | errors | reopened |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for i, r in enumerate(swapped["rounds"], 1):
        cells = [r["warm_req_per_s"], r["after_swap_req_per_s"], r["ratio"]]
        cells += [r["after_swap_p99_ms"], r["errors"]]
        reopened = f"{'yes' if r['reopened'] else 'NO'} ({r['workers_seen']} workers)"
        lines.append(f"| {i} | " + " | ".join(_fmt(c) for c in cells) + f" | {reopened} |")
    return lines + [
        "",
        f"Windows of {swapped['window_s']:g} s; median ratio {swapped['ratio']}.",
        "",
    ]


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
        "## Targets of issue 15 (the project against its peers, this run)",
        "",
        "Ratio = project / peer (a median of alternating rounds' ratios where rounds were "
        "run); figures in ms unless said.  What each peer does differently is listed under "
        "Peers.",
        "",
        *issue_table(results.get("issue_targets") or judge_issue(results)),
        "",
        "## Earlier targets",
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
        if "relax: relax step" in runs:
            lines += [
                "Relax rows (`bench/relax.py`): questions that find nothing as a whole and "
                "fall back to partial matches (whole search: strict evaluation, recovery, "
                "relax step) against the strict query of the words they keep; uncached, "
                "interleaved. Target: a relaxed search at most twice a strict one.",
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
    if "scale" in results:
        scale = results["scale"]
        docs = scale["build"]["documents"]
        build = scale["build"]
        lines += _peer_rows(scale["peers"], f"Second size: {docs:,} synthetic documents")
        lines += [
            f"Its build: {_fmt(build['seconds'])} s, peak RSS {_fmt(build.get('peak_rss_mb'))}"
            f" MB{' (reused index)' if build.get('reused') else ''}.",
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
    lines += _versus_rows(results.get("versus")) + _swap_rows(results.get("swap"))
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
