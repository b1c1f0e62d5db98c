"""The production topology: Debian's nginx from ``deploy/nginx/iapb-search.conf`` in front
of ``python -m webapp.serve``, both on loopback (only the ports are changed).

Checks what the front is for: the app's headers pass through, answers are gzipped,
revalidation through it gets 304s although gzip makes the ETags weak, slow clients
never reach the app, and nginx's own refusals use the JSON error shape.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port, start_server, stop_process, wait_for_health

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "iapb-search.conf"
NGINX = "/usr/sbin/nginx"

pytestmark = pytest.mark.slow


def _site(app_port: int, port: int) -> str:
    text = SITE.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8000;" in text and "listen 127.0.0.1:8080;" in text
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    return text.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")


def _main_config(prefix: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\n{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log off;\n{temp}\n"
        f"    include {site};\n}}\n"
    )


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not listen")


@pytest.fixture(scope="module")
def front(index_dir, tmp_path_factory) -> Iterator[tuple[int, int]]:
    """(nginx port, app port): the repository's nginx config in front of the app."""
    if not Path(NGINX).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing under CI (make test installs it: .ci/ensure-nginx)")
        pytest.skip("no /usr/sbin/nginx (make test installs it as root)")
    app, app_port = start_server(index_dir, "--workers", "1", "--threads", "2")
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "tmp").mkdir()
    port = free_port()
    site = prefix / "site.conf"
    site.write_text(_site(app_port, port), encoding="utf-8")
    (prefix / "nginx.conf").write_text(_main_config(prefix, site), encoding="utf-8")
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_health(app, app_port)
        _wait_for_port(port, nginx)
        yield port, app_port
    finally:
        for process in (nginx, app):
            stop_process(process)


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def test_answers_are_gzipped_with_the_apps_headers_passed_through(front):
    port, _ = front
    response = _get(port, "/api/search?q=ICC", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary")
    body = json.loads(gzip.decompress(response.body))  # type: ignore[attr-defined]
    assert body["total"] > 0
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    page = _get(port, "/?q=ICC")
    assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")


def test_revalidation_through_the_front_gets_304_with_its_weak_etag(front):
    port, _ = front
    gzipped = {"Accept-Encoding": "gzip"}
    etag = _get(port, "/api/search?q=torture", **gzipped).getheader("ETag")
    assert etag.startswith('W/"')  # gzip changed the bytes, so nginx weakened the ETag
    again = _get(port, "/api/search?q=torture", **gzipped, **{"If-None-Match": etag})
    assert again.status == 304


def _app_connections(app_port: int) -> int:
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if int(local.rsplit(":", 1)[1], 16) == app_port and state == "01":
                count += 1
    return count


def test_slow_clients_stay_at_the_front_and_never_reach_the_app(front):
    port, app_port = front
    slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(64)]
    try:
        for sock in slow:
            sock.send(b"GET /api/search?q=ICC HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert _get(port, "/api/search?q=OSCE").status == 200
        # Only nginx's few keep-alive connections are open to the app, not one per client.
        assert _app_connections(app_port) < 8
    finally:
        for sock in slow:
            sock.close()


@pytest.mark.parametrize(
    ("headers", "path", "status"),
    [
        ({}, "/api/search?q=" + "a" * 20_000, 414),
        ({"X-Big": "a" * 20_000}, "/api/search", 400),
    ],
    ids=["uri-too-long", "header-too-large"],
)
def test_the_fronts_own_refusals_use_the_json_error_shape(front, headers, path, status):
    port, _ = front
    response = _get(port, path, **headers)
    assert response.status == status
    assert response.getheader("Content-Type") == "application/json"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    error = json.loads(response.body)["error"]  # type: ignore[attr-defined]
    assert set(error) == {"code", "message", "param"}
