"""The index in service: damaged or missing indexes are reported, never crash a search."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index, current_generation
from indexer.errors import IndexUnavailable
from indexer.index import SearchIndex
from indexer.records import SearchRequest
from indexer.search import get_document, search

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pristine")
    build_index(MINI, out)
    return out


def _damage(path: Path, how: str) -> None:
    if how == "truncated":
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.truncate(size // 2)
    elif how == "garbage":
        path.write_bytes(b"\x00not an index\xff" * 8)
    else:
        path.unlink()


# Whoosh leaves a file open when it fails to read a damaged table of contents or
# segment; that leak is Whoosh's and is collected, so its warning is not an error here.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["truncated", "garbage", "deleted"])
@pytest.mark.parametrize("kind", [".toc", ".seg", "meta.json"])
def test_a_damaged_index_is_unavailable_with_its_reason(
    pristine: Path, tmp_path: Path, kind: str, how: str
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(pristine, copy, symlinks=True)
    generation = current_generation(copy)
    assert generation is not None
    (victim,) = [p for p in generation.iterdir() if p.name.endswith(kind)]
    _damage(victim, how)
    index = SearchIndex(copy)
    with pytest.raises(IndexUnavailable, match="cannot open index generation"):
        search(index, SearchRequest(q="torture"))
    with pytest.raises(IndexUnavailable):
        get_document(index, "r1-en")
    # A new build replaces the damaged generation; the same handle serves it.
    build_index(MINI, copy)
    assert search(index, SearchRequest(q="torture")).total == 1


def test_a_dangling_current_link_is_unavailable(pristine: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(pristine, copy, symlinks=True)
    generation = current_generation(copy)
    assert generation is not None
    shutil.rmtree(generation)
    with pytest.raises(IndexUnavailable):
        SearchIndex(copy).health()


def test_a_generation_is_opened_once_and_reused(pristine: Path) -> None:
    index = SearchIndex(pristine)
    first = index.generation()
    search(index, SearchRequest(q="torture"))
    assert index.generation() is first
    assert first.searcher() is first.searcher()


def test_health_reports_generation_and_document_count(pristine: Path) -> None:
    health = SearchIndex(pristine).health()
    assert health["generation"] == 1 and health["documents"] == 6 and health["reports"] == 2
    assert os.path.basename(str(current_generation(pristine))) == "gen-000001"
