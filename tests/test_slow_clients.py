"""Slow and hostile clients against the production server (loopback, bounded).

Sockets that send their headers a byte at a time, and pipelined requests whose answers
are never read, cost the server a socket each, not a thread: ordinary searches go on
being answered.  The HTTP layer's own errors are a bare status, and keep-alive
connections spread over the worker processes.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from bench.attack import Attack
from tests.helpers import start_server, stop_process, wait_for_health

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def port(index_dir) -> Iterator[int]:
    """``python -m webapp.serve`` (2 workers x 2 threads, the default on 2 cores)."""
    process, port = start_server(index_dir, "--workers", "2", "--threads", "2")
    try:
        wait_for_health(process, port)
        yield port
    finally:
        stop_process(process)


def _search(port: int, q: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", f"/api/search?q={q}")
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_searches_are_answered_while_64_slow_and_16_never_reading_clients_hold_sockets(port):
    attack = Attack(port, slow=64, pipelined=16, requests=600)
    attack.start()
    try:
        queries = ["ICC", "torture", "%D0%BF%D1%8B%D1%82%D0%BA%D0%B8", "OSCE"] * 3
        statuses = [_search(port, q) for q in queries]
    finally:
        attack.stop()
    assert statuses == [200] * 12


def _raw(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (
            b"GET /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
            + b"a" * 300_000
            + b"\r\n\r\n",
            431,
        ),
        (b"GET /api/search?q=" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 431),
        (b"GET /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n", 400),
        (b"GET /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n", 400),
    ],
    ids=["header-too-large", "uri-too-long", "bad-content-length", "malformed-header"],
)
def test_the_http_layers_own_errors_are_a_bare_status_that_closes_the_connection(
    port, request_bytes, status
):
    """Granian's HTTP layer answers a request it cannot read without running the app:
    the status alone, no body (nothing to render, sniff or frame), and it hangs up."""
    got, headers, body = _raw(port, request_bytes)
    assert got == status
    headers = {name.lower(): value for name, value in headers.items()}
    assert body == b"" and headers["content-length"] == "0"
    assert headers["connection"] == "close"
    assert "content-type" not in headers


def test_a_request_head_within_the_limit_reaches_the_app(port):
    got, headers, body = _raw(
        port,
        b"GET /api/search?q=ICC HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        + b"a" * 40_000
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert got == 200 and json.loads(body)["total"] > 0


def test_keep_alive_connections_spread_over_the_workers(port):
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
    processes = []
    try:
        for conn in connections:
            conn.request("GET", "/healthz")
            processes.append(json.loads(conn.getresponse().read())["process"])
    finally:
        for conn in connections:
            conn.close()
    assert len(set(processes)) == 2
