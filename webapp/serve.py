"""``python -m webapp.serve``: the app behind waitress, the production WSGI server."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from waitress import serve

from webapp import create_app

# Waitress answers from a pool of threads in one process.  Searches spend most of their
# time in Python (holding the GIL), so more threads than this add queueing, not speed.
DEFAULT_THREADS = 8


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the app until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m webapp.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args(argv)
    app = create_app()
    print(f"serving {app.config['INDEX_DIR']} on http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="iapb-search")


if __name__ == "__main__":
    main()
