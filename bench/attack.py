"""Slow-client attack on a running server (loopback only, bounded): does it still answer?

``python -m bench.attack --port 8000`` opens ``--slow`` sockets that send request
headers one byte at a time and ``--pipelined`` sockets that each send ``--requests``
pipelined searches and never read an answer, then times ordinary searches on a fresh
connection for ``--seconds``.  Every loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import threading
import time
from collections.abc import Sequence

from bench.stats import summarise

SLOW_HEADER = b"GET /api/search?q=torture HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


class Attack:
    """The hostile sockets, opened on :meth:`start` and closed on :meth:`stop`."""

    def __init__(self, port: int, slow: int, pipelined: int, requests: int) -> None:
        self.port, self.slow, self.pipelined, self.requests = port, slow, pipelined, requests
        self.sockets: list[socket.socket] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.sockets.append(sock)
        return sock

    def start(self) -> None:
        """Open the slow sockets (first byte sent) and send the pipelined requests."""
        for _ in range(self.slow):
            self._connect().send(SLOW_HEADER[:1])
        request = "GET /api/search?q=evidence&page={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        burst = b"".join(request.format(1 + i % 3).encode() for i in range(self.requests))
        for _ in range(self.pipelined):
            sock = self._connect()
            sock.setblocking(False)
            try:
                sock.send(burst)  # what the kernel takes; the answers are never read
            except BlockingIOError:
                pass
        self.thread.start()

    def _drip(self) -> None:
        position = 1
        while not self.done.wait(1.0):
            for sock in self.sockets[: self.slow]:
                try:
                    sock.send(SLOW_HEADER[position : position + 1] or b"a")
                except OSError:
                    pass
            position += 1

    def stop(self) -> None:
        """Stop dripping and close every hostile socket."""
        self.done.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def ordinary_searches(port: int, seconds: float, timeout: float = 5.0) -> dict:
    """Searches one after another on one keep-alive connection for ``seconds``."""
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    i = 0
    while time.monotonic() < deadline:
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", f"/api/search?q=ICC&page=1&per_page={1 + i % 20}")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures += 1
        except (OSError, http.client.HTTPException):
            failures += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            continue
        latencies.append(time.perf_counter() - started)
    conn.close()
    return {"ok": len(latencies) - failures, "failed": failures, **summarise(latencies)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the attack against 127.0.0.1:``--port`` and print what ordinary searches got."""
    parser = argparse.ArgumentParser(prog="python -m bench.attack", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slow", type=int, default=64, help="slow-header sockets")
    parser.add_argument("--pipelined", type=int, default=16, help="never-reading sockets")
    parser.add_argument("--requests", type=int, default=600, help="pipelined per socket")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to measure")
    args = parser.parse_args(argv)
    attack = Attack(args.port, args.slow, args.pipelined, args.requests)
    attack.start()
    try:
        time.sleep(1.0)  # the server has taken the hostile requests in
        result = ordinary_searches(args.port, args.seconds)
    finally:
        attack.stop()
    print(json.dumps(result))
    return 0 if result["failed"] == 0 and result["ok"] > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
