"""The index in service: damaged or missing indexes are reported, never crash a search."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import current_generation, read_meta
from indexer.errors import IndexUnavailable
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


def _index_files(generation: Path) -> list[str]:
    # verified.json (indexer.engine.manifest) is the files' verified stamps, not in the manifest.
    skip = ("verified.json",)
    return sorted(
        p.name
        for p in generation.iterdir()
        if not p.name.endswith("WRITELOCK") and p.name not in skip
    )


def test_every_index_file_is_recorded_with_its_size(pristine: Path) -> None:
    generation = current_generation(pristine)
    assert generation is not None
    files = read_meta(generation)["files"]
    assert sorted([*files, "meta.json"]) == _index_files(generation)
    assert all(files[name] == (generation / name).stat().st_size for name in files)


# Segments are written one file per part (terms, postings, stored fields, one file per
# column): each kind of part is damaged in turn, the columns included, which Whoosh
# would otherwise read as default values.
# The arrays the build derives (indexer.engine.derived) are parts too.
PARTS = [".toc", ".trm", ".pst", "_stored.col", ".day.col", ".lang.col", "_summary_en_len.col"]
PARTS += ["col-years.npy", "col-topics.npy", "len-summary_en.npy", "phrase-docs.npy"]
PARTS += ["phrase-offsets.npy", "derived.json"]


# Whoosh leaves a file open when it fails to read a damaged table of contents or
# segment; that leak is Whoosh's and is collected, so its warning is not an error here.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["truncated", "garbage", "deleted"])
@pytest.mark.parametrize("kind", [*PARTS, "meta.json"])
def test_a_damaged_index_is_unavailable_with_its_reason(
    pristine: Path, tmp_path: Path, kind: str, how: str
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(pristine, copy, symlinks=True)
    generation = current_generation(copy)
    assert generation is not None
    (victim,) = [generation / name for name in _index_files(generation) if name.endswith(kind)]
    _damage(victim, how)
    index = SearchIndex(copy)
    with pytest.raises(IndexUnavailable) as raised:
        search(index, SearchRequest(q="torture"))
    # The reason shown to clients names no path; the detail for the log does.
    assert str(raised.value) == "the index is damaged"
    assert "cannot open index generation" in raised.value.detail
    assert str(copy) in raised.value.detail
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


def _searcher_is_open(searcher) -> bool:
    return not searcher.is_closed


def test_a_replaced_generation_is_closed_by_each_thread_when_done_never_under_another(
    tmp_path: Path,
) -> None:
    out = tmp_path / "index"
    build_index(MINI, out)
    index = SearchIndex(out)
    old = index.generation()
    mine = old.searcher()
    theirs: list = []
    other_done = threading.Event()
    other_may_finish = threading.Event()

    def other_thread() -> None:
        gen = index.generation()
        theirs.append(gen.searcher())
        other_done.set()
        other_may_finish.wait(10)
        # Still searching the old generation after two rebuilds: its searcher is open.
        assert gen.searcher() is theirs[0] and _searcher_is_open(theirs[0])
        index.generation()

    thread = threading.Thread(target=other_thread)
    thread.start()
    assert other_done.wait(10)
    build_index(MINI, out)
    build_index(MINI, out)
    new = index.generation()
    assert new is not old and new.number == 3
    assert not _searcher_is_open(mine)  # this thread moved on: its old searcher is closed
    assert _searcher_is_open(theirs[0])  # the other thread has not
    other_may_finish.set()
    thread.join(10)
    assert not _searcher_is_open(theirs[0])
    assert search(index, SearchRequest(q="torture")).total == 1
    current = new.searcher()
    index.close()
    assert not _searcher_is_open(current)


def test_a_generation_nobody_references_closes_its_searchers(pristine: Path) -> None:
    index = SearchIndex(pristine)
    searcher = index.generation().searcher()
    del index
    gc.collect()
    assert not _searcher_is_open(searcher)


def test_derived_state_is_made_once_per_generation_and_not_shared(
    pristine: Path, tmp_path: Path
) -> None:
    index = SearchIndex(pristine)
    gen = index.generation()
    assert gen.glossary is gen.glossary
    search(index, SearchRequest(q="ICC"))
    assert gen.plans.get(("ICC", True)) is not None
    build_index(MINI, tmp_path / "again")
    other = SearchIndex(tmp_path / "again").generation()
    assert other.glossary is not gen.glossary and other.plans is not gen.plans
    assert other.postings is not gen.postings


def _overwrite(path: Path, how: str) -> None:
    # In place, on a file the open searcher already holds: truncated, or zeroed bytes.
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        if how == "truncated":
            handle.truncate(size // 10)
        else:
            handle.write(bytes(size))


@pytest.mark.parametrize(("kind", "how"), [(".trm", "truncated"), ("_stored.col", "zeroed")])
def test_an_index_damaged_after_it_was_opened_is_unavailable_at_query_time(
    pristine: Path, tmp_path: Path, kind: str, how: str
) -> None:
    from webapp import create_app

    copy = tmp_path / "index"
    shutil.copytree(pristine, copy, symlinks=True)
    index = SearchIndex(copy, cache_size=0)
    app = create_app({"TESTING": True, "INDEX_DIR": str(copy)})
    client = app.test_client()
    assert search(index, SearchRequest(q="court")).total == 1
    assert client.get("/api/search?q=court").status_code == 200
    generation = current_generation(copy)
    assert generation is not None
    (victim,) = [generation / name for name in _index_files(generation) if name.endswith(kind)]
    _overwrite(victim, how)
    # A prefix is expanded from Whoosh's term dictionary (a word's postings and idf come
    # from the build's term arrays), and every hit's stored fields are read.
    with pytest.raises(IndexUnavailable, match="could not be read"):
        search(index, SearchRequest(q="tortur*"))
    response = client.get("/api/search?q=tortur*")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_unavailable"


def test_serving_never_imports_the_builder(index_dir: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys, webapp.serve; from webapp import create_app; "
        f"client = create_app({{'INDEX_DIR': {str(index_dir)!r}}}).test_client(); "
        "assert client.get('/api/search?q=ICC').status_code == 200; "
        "assert client.get('/?q=ICC').status_code == 200; "
        "print(sorted(m for m in sys.modules if m.startswith('indexer.')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "'indexer.search'" in done.stdout
    assert "'indexer.build'" not in done.stdout
