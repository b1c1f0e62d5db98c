"""A minimal Flask wrapper over Tantivy: the HTTP peer of ``make bench``.

``GET /api/search?q=&year=&lang=&topic=&sort=&collapse=&per_page=`` answers JSON: the
total, the hits of the first page (``per_page``, default 10, at most 50) with their id,
report, language and a snippet, and the disjunctive year, language and topic counts.
The search is :class:`bench.peers.TantivyPeer`'s, given the glossary names the
project's planner adds ("Tantivy+g": the same semantic work, see :mod:`bench.peers`
for what Tantivy does differently).  ``GET /healthz`` answers ``ok``.

It is served exactly as the project is: :func:`webapp.serve.make_server` (granian, the
same workers, threads, HTTP settings and backpressure), so a throughput ratio measures
the two apps, not two servers.  What it does not do, and the project's ``/api/search``
does: parse and validate every parameter with its error shape, the result cache, cost
limits, spelling recovery, the longer JSON of each hit (title, date, topics, links),
cache and security headers.  Each worker opens the index when it starts::

    python -m bench.tantivy_app --index bench/out/peer-tantivy --port 8001
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request

from bench.peers import TantivyPeer, load_glossary, parse
from webapp.serve import DEFAULT_THREADS, MASTER_ENV, default_workers, make_server, tie_to_master

INDEX_ENV = "IAPB_BENCH_TANTIVY_INDEX"  # the index a worker opens
MAX_PER_PAGE = 50


def create_app(index_dir: str | Path) -> Flask:
    """The wrapper app over the Tantivy index at ``index_dir`` (built by
    :func:`bench.peers.build`, which keeps the glossary beside it)."""
    app = Flask(__name__)
    peer = TantivyPeer(Path(index_dir))
    glossary = load_glossary(Path(index_dir))

    @app.get("/api/search")
    def api_search() -> Any:
        params = request.args.to_dict(flat=False)
        try:
            query = parse(params, glossary)
            per_page = int(request.args.get("per_page", 10))
        except ValueError:
            return jsonify(error="bad parameter"), 400
        result = peer.search(query, max(1, min(per_page, MAX_PER_PAGE)))
        hits = []
        for doc_id, snippet in result.hits:
            report, _, lang = doc_id[1:].partition("-")
            hits.append({"id": doc_id, "report": int(report), "lang": lang, "snippet": snippet})
        facets = {
            name: [{"value": value, "count": count} for value, count in counts.items()]
            for name, counts in result.facets.items()
        }
        return jsonify(total=result.total, hits=hits, facets=facets)

    @app.get("/healthz")
    def healthz() -> Any:
        return "ok"

    return app


def worker_app() -> Flask:
    """The app of one granian worker: tied to the master, the index from the environment."""
    tie_to_master()
    return create_app(os.environ[INDEX_ENV])


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the wrapper until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m bench.tantivy_app", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--index", type=Path, required=True, help="the Tantivy index")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args(argv)
    create_app(args.index)  # fails here, with a message, when the index cannot be opened
    os.environ[INDEX_ENV] = str(args.index.resolve())
    os.environ[MASTER_ENV] = str(os.getpid())
    print(f"serving Tantivy at {args.index} on http://{args.host}:{args.port}/", flush=True)
    target = "bench.tantivy_app:worker_app"  # not __name__: that is __main__ here
    make_server(args.host, args.port, args.workers, args.threads, target).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
