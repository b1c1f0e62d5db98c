"""``python -m webapp.serve``: the app in one waitress process per core.

**Slow clients.**  Waitress reads requests and writes answers in an event loop; a worker
thread runs the app only once a whole request has arrived, and the answer goes into a
buffer the loop sends as the client reads it (a channel is not read again while it has
unsent output).  A client sending its headers a byte at a time, or pipelining requests
without reading the answers, costs a socket and a buffer, never a thread, so the
threads keep answering everyone else (``docs/deploy.md``, "Slow clients": gunicorn's
threaded worker read headers on a blocking socket in its threads; 4 such clients
stopped it).

**Processes.**  A search is pure Python and holds the GIL, so one process uses one
core: ``--workers`` processes (default: one per CPU this process may use) with
``--threads`` threads each.  The app is built once in the master before the workers
are forked (settings checked, catalogues compiled); it opens no index there: each
worker opens the index on its first request and follows the ``current`` link on every
request.  Each worker listens on the address with its own ``SO_REUSEPORT`` socket, so
the kernel spreads new connections evenly over the workers (keep-alive connections
cannot all pile up in one process).  The master holds the address, restarts a worker
that dies, and takes its workers with it when it dies.

**Errors of the HTTP layer** (a malformed request, headers too large) are answered in
the app's JSON error shape with the security headers, not as waitress's plain text.

SIGTERM stops gracefully (requests in flight finish, for at most ``GRACEFUL_TIMEOUT``
seconds); SIGINT stops at once.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from webapp import create_app
from webapp.headers import CONTENT_SECURITY_POLICY

# Measured on 2 cores (docs/deploy.md, "One server"): 2 threads per worker keep the
# tail short; more add queueing, not speed, and one extra thread stops a slow search
# (up to SEARCH_TIME_LIMIT) from stalling its worker.
DEFAULT_THREADS = 2
# Seconds a worker has to finish its requests after SIGTERM.  A search stops at
# SEARCH_TIME_LIMIT (2 s by default), so this is ample.
GRACEFUL_TIMEOUT = 5
# Seconds a connection may stay silent (idle keep-alive, or a client that stopped
# sending its request) before it is closed.
CHANNEL_TIMEOUT = 30
# Connections one worker keeps open; past it, new ones wait in the kernel's backlog.
# A waiting connection costs a socket and a small buffer, not a thread.
CONNECTION_LIMIT = 1000
RESTART_PAUSE = 1.0  # seconds before restarting a worker that died right after starting
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
ERROR_HEADERS = [
    ("Content-Type", "application/json"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
]


def default_workers() -> int:
    """One worker per CPU this process may run on (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class JSONErrorTask(ErrorTask):
    """Waitress's own error answers (400, 413, 431, …) in the app's error shape."""

    def execute(self) -> None:
        error = self.request.error
        code = error.reason.lower().replace(" ", "_")
        message = " ".join(f"{error.reason}. {error.body}".split())
        body = json.dumps({"error": {"code": code, "message": message, "param": None}})
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend(ERROR_HEADERS)
        self.set_close_on_finish()
        data = body.encode("utf-8")
        self.content_length = len(data)
        self.write(data)


class Channel(HTTPChannel):
    """A waitress connection whose protocol errors are answered in JSON."""

    error_task_class = JSONErrorTask


class WorkerServer(TcpWSGIServer):
    """Waitress on an already listening socket, with :class:`Channel` connections."""

    channel_class = Channel


def listening_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A ``SO_REUSEPORT`` TCP socket bound to ``host:port`` (listening when ``backlog``).

    Raises ``OSError`` when the address is taken by another program.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if backlog:
        sock.listen(backlog)
    return sock


def make_server(app: Flask, sock: socket.socket, threads: int) -> WorkerServer:
    """A waitress server of ``app`` on the listening ``sock`` with ``threads`` threads."""
    adj = Adjustments(
        sockets=[sock],
        threads=threads,
        channel_timeout=CHANNEL_TIMEOUT,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,  # select() cannot watch more than 1,024 sockets
        ident="iapb-search",
        expose_tracebacks=False,
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
    return WorkerServer(
        app, {}, True, sock, dispatcher=dispatcher, adj=adj, bind_socket=False, sockinfo=sockinfo
    )


def _die_with_parent(sig: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "prctl"):
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def _run_worker(app: Flask, host: str, port: int, threads: int, master: int) -> None:
    """A worker process: serve until SIGTERM (graceful) or SIGINT (at once); never returns."""
    _die_with_parent(signal.SIGTERM)
    if os.getppid() != master:
        os._exit(0)
    # Waitress warns each time a request waits for a thread: under load that is every
    # request, and waiting is what the threads are for.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = make_server(app, listening_socket(host, port), threads)
    dispatcher = server.task_dispatcher

    def drain() -> None:
        deadline = time.monotonic() + GRACEFUL_TIMEOUT
        while time.monotonic() < deadline and (dispatcher.active_count or dispatcher.queue):
            time.sleep(0.05)
        time.sleep(0.2)  # the event loop sends the last answers
        os._exit(0)

    def graceful(signum, frame) -> None:
        server.close()  # accept nothing more; connections in progress go on
        threading.Thread(target=drain, daemon=True).start()

    signal.signal(signal.SIGTERM, graceful)
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(0))
    try:
        server.run()
    finally:
        os._exit(0)


class Supervisor:
    """The master: forks the workers, restarts those that die, stops them on a signal."""

    def __init__(self, app: Flask, host: str, port: int, workers: int, threads: int) -> None:
        self.app, self.host, self.port = app, host, port
        self.workers, self.threads = workers, threads
        self.children: dict[int, float] = {}  # pid -> start time
        self.stopping: int | None = None

    def _spawn(self) -> None:
        master = os.getpid()
        pid = os.fork()
        if pid == 0:
            _run_worker(self.app, self.host, self.port, self.threads, master)
        self.children[pid] = time.monotonic()

    def _stop(self, signum, frame) -> None:
        self.stopping = signum

    def run(self) -> int:
        """Serve until SIGTERM or SIGINT; returns the exit status."""
        # Bound but not listening: holds the address (a second server on it fails here)
        # without taking connections.
        holder = listening_socket(self.host, self.port, backlog=0)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.workers):
            self._spawn()
        while self.stopping is None:
            self._reap(restart=True)
            time.sleep(0.1)
        for pid in self.children:
            os.kill(pid, self.stopping)
        deadline = time.monotonic() + GRACEFUL_TIMEOUT + 2
        while self.children and time.monotonic() < deadline:
            self._reap(restart=False)
            time.sleep(0.05)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        holder.close()
        return 0

    def _reap(self, restart: bool) -> None:
        while self.children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            started = self.children.pop(pid, None)
            if started is None or not restart:
                continue
            print(
                f"worker {pid} exited ({_exit_reason(status)}); starting another",
                file=sys.stderr,
                flush=True,
            )
            if time.monotonic() - started < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)
            self._spawn()


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"status {os.waitstatus_to_exitcode(status)}"


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
        supervisor = Supervisor(app, args.host, args.port, args.workers, args.threads)
        print(
            f"serving {app.config['INDEX_DIR']} on http://{_bind(args.host, args.port)}/ "
            f"with {args.workers} workers x {args.threads} threads",
            flush=True,
        )
        return supervisor.run()
    except OSError as exc:
        print(
            f"error: cannot listen on {_bind(args.host, args.port)}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
