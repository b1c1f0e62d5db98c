"""Shared fixtures: the real corpus's index is built once per session.

Helpers that tests import (servers, ports, paths) are in :mod:`tests.helpers`; this
module holds fixtures only.

Browser tests use ``live_server`` (the app behind Werkzeug's threaded server in a thread, on an
ephemeral loopback port) and ``browser`` (one Debian chromium per session, driven by
Playwright).  Under ``CI=true`` a browser that cannot start fails the tests; elsewhere
it skips them with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from tests.helpers import CORPUS, SIZES, LiveServer

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


@pytest.fixture(scope="session", autouse=True)
def _lazy_analysers_loaded() -> None:
    """The Russian dictionary and the Łacinka converter load on first use, once per
    process (tens of milliseconds, more on a busy machine): loaded before any test, so
    that no property test's example pays the load against Hypothesis's deadline."""
    from indexer import morph_ru, translit

    morph_ru.morph()
    translit.from_lacinka("ł")


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


@pytest.fixture(params=list(SIZES))
def sized(browser, request):
    """A page at desktop or phone size (one context each), ``page.size_name`` saying which."""
    width, height = SIZES[request.param]
    # bypass_csp lets axe-core be injected; the pages themselves run no inline script.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


@pytest.fixture()
def page(browser):
    """A fresh browser page (own context: no shared storage between tests)."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
