"""Shared fixtures: the real corpus's index is built once per session.

Browser tests use ``live_server`` (the app behind waitress in a thread, on an
ephemeral loopback port) and ``browser`` (one Debian chromium per session, driven by
Playwright).  Under ``CI=true`` a browser that cannot start fails the tests; elsewhere
it skips them with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import free_port, http_get
from indexer.build import build_index
from indexer.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled corpus, built once for the whole session (read-only)."""
    out = tmp_path_factory.mktemp("index")
    build_index(CORPUS, out)
    return out


@pytest.fixture(scope="session")
def search_index(index_dir: Path) -> SearchIndex:
    """The bundled corpus's index opened for searching (shared, read-only)."""
    return SearchIndex(index_dir)


@pytest.fixture()
def app(index_dir: Path):
    """A web app on the bundled corpus's index."""
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture()
def client(app):
    return app.test_client()


def start_server(
    index_dir: Path, *args: str, stdout: int = subprocess.DEVNULL
) -> tuple[subprocess.Popen, int]:
    """``python -m webapp.serve`` (the production server) on a free loopback port.

    Not waited for (see :func:`wait_for_health`); the caller stops it and closes its
    ``stderr`` pipe.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT,
        env=dict(os.environ, IAPB_INDEX_DIR=str(index_dir)),
        stdout=stdout,
        stderr=subprocess.PIPE,
    )
    return process, port


def wait_for_health(
    process: subprocess.Popen, port: int, ok: bool = True, timeout: float = 20.0
) -> tuple[int, bytes]:
    """The first ``/healthz`` answer (with ``ok``, the first 200) of a starting server.

    Raises ``RuntimeError`` with the server's errors when it exits or does not answer.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, body = http_get(port, "/healthz", timeout=1)
            if status == 200 or not ok:
                return status, body
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {process.stderr.read().decode()}")
        time.sleep(0.1)


class LiveServer:
    """A WSGI app served by waitress in a daemon thread on 127.0.0.1."""

    def __init__(self, wsgi_app) -> None:
        from waitress.server import create_server

        self.port = free_port()
        self.server = create_server(wsgi_app, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="session")
def live_server(index_dir: Path) -> Iterator[LiveServer]:
    """The app on the bundled corpus, served over HTTP for the whole session."""
    from webapp import create_app

    server = LiveServer(create_app({"INDEX_DIR": str(index_dir)}))
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the session (Playwright)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        manager = sync_playwright().start()
        chromium = manager.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except (PlaywrightError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no browser could be started under CI: {exc}")
        pytest.skip(f"no browser: {exc}")
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture()
def page(browser):
    """A fresh browser page (own context: no shared storage between tests)."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
