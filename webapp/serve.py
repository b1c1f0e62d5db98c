"""``python -m webapp.serve``: the app in one granian process per core.

**Slow clients.**  Granian's HTTP layer (Rust: tokio and hyper) reads each request and
writes each answer asynchronously, outside the Python interpreter; a worker thread runs
the app only once a request's headers have arrived, and hands the answer back to that
layer to send as the client reads it.  A client sending its headers a byte at a time,
or pipelining requests without reading the answers, costs a socket and a buffer, never
a thread, so the threads keep answering everyone else (``docs/deploy.md``, "Slow
clients": gunicorn's threaded worker read headers on a blocking socket in its threads;
4 such clients stopped it).  A client that has not sent its headers after
``HEADER_TIMEOUT`` seconds is disconnected.

**Why granian** (``docs/deploy.md``, "One server"): waitress absorbed slow clients too,
but its event loop ran in Python and competed with the searches for each process's GIL;
measured as server CPU per distinct search, granian costs about 20 % less than gunicorn
and about 45 % less than waitress, and serves more distinct searches per second than
either.

**Processes.**  A search is pure Python and holds the GIL, so one process uses one
core: ``--workers`` processes (default: one per CPU this process may use) with
``--threads`` threads each.  The app is built once in the master before the workers
start, only to check the settings (a bad one stops the start with a message, exit 2);
each worker builds its own app (:func:`worker_app`) and opens the index on its first
request, following the ``current`` link on every request.  The master restarts a worker
that dies, and its workers, replacements included, die with it (a parent-death
signal, :func:`tie_to_master`).

**Errors of the HTTP layer** (a malformed request, headers too large) are answered by
hyper with the status alone (400, 431, ...), an empty body and ``Connection: close``:
nothing a browser renders, nothing to sniff or frame.

SIGTERM and SIGINT stop gracefully (requests in flight finish, for at most
``GRACEFUL_TIMEOUT`` seconds).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import sys
from collections.abc import Sequence

from flask import Flask
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels

from webapp import create_app
from webapp.supervisor import Supervisor

# Measured on 2 cores (docs/deploy.md, "One server" and "Per-request cost"): 2 threads
# per worker keep the tail short; 1 thread serves fewer searches (the worker idles while
# its thread hands an answer to granian), more add queueing, not speed, and one extra
# thread stops a slow search (up to SEARCH_TIME_LIMIT) from stalling its worker.
DEFAULT_THREADS = 2
# Seconds a worker has to finish its requests after SIGTERM.  A search stops at
# SEARCH_TIME_LIMIT (2 s by default), so this is ample.
GRACEFUL_TIMEOUT = 5
# Seconds a client may take to send a request's headers before it is disconnected.
HEADER_TIMEOUT = 30
# The largest request head (request line and headers) accepted, in bytes; past it the
# client gets 431.  Browsers send a few kilobytes; the app's own limits on query
# strings are lower still (webapp/settings.py).
MAX_REQUEST_HEAD = 64 * 1024
# Requests one worker accepts at once (running or waiting for a thread); past it, new
# ones wait in the kernel's backlog.  A waiting request costs a buffer, not a thread.
MAX_REQUESTS_PER_WORKER = 1000
RESTART_PAUSE = 1.0  # seconds before restarting a worker that died
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
MASTER_ENV = "IAPB_SERVE_MASTER"  # the master's pid, for the workers


def default_workers() -> int:
    """One worker per CPU this process may run on (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _die_with_parent(sig: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "prctl"):
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def tie_to_master() -> None:
    """In a worker: be killed when the master dies, and end at once if the master died
    before the worker could ask for that.

    The signal is SIGKILL, not SIGTERM: a forked worker inherits the master's handlers
    until granian installs its own, and a SIGTERM arriving around that moment (a
    replacement worker starting as the master dies) was swallowed or left the worker
    half-stopped, orphaned, holding the port.  A master that dies outright has nobody
    left to finish requests for; a master stopped by a signal stops its workers
    gracefully itself before it exits.
    """
    _die_with_parent(signal.SIGKILL)
    master = os.environ.get(MASTER_ENV)
    if master and os.getppid() != int(master):
        os._exit(0)


def worker_app() -> Flask:
    """The app of one worker process (granian calls this in each worker it starts),
    tied to the master first (:func:`tie_to_master`)."""
    tie_to_master()
    return create_app()


def check_address(host: str, port: int) -> None:
    """Raises ``OSError`` when another program listens on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


def make_server(
    host: str, port: int, workers: int, threads: int, target: str = f"{__name__}:worker_app"
) -> Supervisor:
    """Granian (:class:`~webapp.supervisor.Supervisor`: restarts dying workers with a
    growing pause, never exits for them) serving :func:`worker_app` over HTTP/1.1 on ``host:port``.

    ``target`` (``module:factory``) serves another app with the same settings: the
    benchmarks' wrapper over Tantivy (``bench/tantivy_app.py``) is served this way.
    """
    return Supervisor(
        target,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        factory=True,
        workers=workers,
        blocking_threads=threads,
        backpressure=MAX_REQUESTS_PER_WORKER,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=HEADER_TIMEOUT * 1000, max_buffer_size=MAX_REQUEST_HEAD
        ),
        respawn_failed_workers=True,
        respawn_interval=RESTART_PAUSE,
        workers_kill_timeout=GRACEFUL_TIMEOUT,
        log_level=LogLevels.warning,
        log_access=False,
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def make_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m webapp.serve``."""
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


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the app until SIGTERM or SIGINT; exits 2 for a bad option or setting."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except ValueError as exc:
        parser.error(str(exc))
    try:
        check_address(args.host, args.port)
    except OSError as exc:
        print(
            f"error: cannot listen on {_bind(args.host, args.port)}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    os.environ[MASTER_ENV] = str(os.getpid())
    print(
        f"serving {app.config['INDEX_DIR']} on http://{_bind(args.host, args.port)}/ "
        f"with {args.workers} workers x {args.threads} threads",
        flush=True,
    )
    make_server(args.host, args.port, args.workers, args.threads).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
