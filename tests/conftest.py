"""Shared fixtures: the real corpus's index is built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
