"""``python -m webapp.serve``: the app behind gunicorn, one process per core.

A search is pure Python and holds the GIL for nearly all its time, so one process uses
one core whatever its thread count.  Gunicorn runs ``--workers`` processes (default:
one per CPU this process may use) with ``--threads`` threads each (the ``gthread``
worker).  The app is built once in the master before the workers are forked: settings
are checked and the translation catalogues compiled once.  It opens no index there:
each worker opens the index on its first request and follows the ``current`` link on
every request, so a rebuild is picked up by every worker without a restart.

SIGTERM stops gracefully (requests in flight finish, for at most
``GRACEFUL_TIMEOUT`` seconds); SIGINT stops at once.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from webapp import create_app

# Measured on 2 cores (docs/deploy.md, "One server"): 2 threads per worker keep the
# tail short; more add queueing, not speed, and one extra thread stops a slow search
# (up to SEARCH_TIME_LIMIT) from stalling its worker.
DEFAULT_THREADS = 2
# Seconds a worker has to finish its requests after SIGTERM.  A search stops at
# SEARCH_TIME_LIMIT (2 s by default), so this is ample.
GRACEFUL_TIMEOUT = 5
# Seconds an idle keep-alive connection is kept (a reverse proxy reuses them).
KEEPALIVE = 5


def default_workers() -> int:
    """One worker per CPU this process may run on (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of the production server."""
    return {
        "bind": [_bind(host, port)],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": KEEPALIVE,
        "proc_name": "iapb-search",
        # No access log: query strings are search terms (SECURITY.md, "What is logged").
        "accesslog": None,
        "errorlog": "-",
        # Gunicorn's control socket has one default path per user: two servers would
        # fight over it, and nothing here uses it.
        "control_socket_disable": True,
    }


class Server(BaseApplication):
    """Gunicorn serving an already built Flask app with the given settings."""

    def __init__(self, app: Flask, options: Mapping[str, Any]) -> None:
        self.application = app
        self.options = dict(options)
        super().__init__(prog="python -m webapp.serve")

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self.application


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m webapp.serve", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=default_workers(),
        help="processes (default: one per CPU, here %(default)s)",
    )
    parser.add_argument(
        "--threads",
        type=_positive,
        default=DEFAULT_THREADS,
        help="threads per process (default %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the app until SIGTERM or SIGINT; exits 2 for a bad option or setting."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except ValueError as exc:
        parser.error(str(exc))
    print(
        f"serving {app.config['INDEX_DIR']} on http://{_bind(args.host, args.port)}/ "
        f"with {args.workers} workers x {args.threads} threads",
        flush=True,
    )
    Server(app, gunicorn_options(args.host, args.port, args.workers, args.threads)).run()


if __name__ == "__main__":
    main()
