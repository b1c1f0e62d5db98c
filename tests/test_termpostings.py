"""The term arrays (indexer.engine.termpostings): joined from the build's writer chunks.

Each writer process saves its segment's postings as a chunk while Whoosh writes them;
the build joins the chunks into the arrays serving maps.  The same arrays read back from
Whoosh's blocks are the reference (tests/test_derived.py checks those against Whoosh).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from indexer.build import build_index, workers
from indexer.build.writer import term_postings
from indexer.engine import termpostings
from indexer.engine.derived import scored_fields
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import META
from indexer.engine.termpostings import TermChunk, TermPostings, join_chunks, load_chunk
from tests.helpers import CORPUS


def _build(directory: Path, writers: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled corpus built with ``writers`` writer processes; its generation."""
    with monkeypatch.context() as patch:
        if writers > 1:
            patch.setattr(workers, "PARALLEL_FROM", 1)
            patch.setattr(workers.os, "sched_getaffinity", lambda _pid: set(range(writers)))
        info = build_index(CORPUS, directory)
    return info.path


@pytest.fixture(scope="module")
def generations(tmp_path_factory) -> dict[int, Path]:
    patch = pytest.MonkeyPatch()
    try:
        root = tmp_path_factory.mktemp("writers")
        return {n: _build(root / str(n), n, patch) for n in (1, 3)}
    finally:
        patch.undo()


@pytest.mark.parametrize("writers", [1, 3])
def test_the_arrays_joined_from_writer_chunks_are_those_read_back(
    generations, writers, tmp_path
) -> None:
    gen = generations[writers]
    index = SearchIndex(gen.parent, cache_size=0)  # its searcher closes with it
    searcher = index.generation().searcher()
    assert len(searcher.leaf_searchers()) == writers
    termpostings.write_term_postings(
        tmp_path, searcher, scored_fields(searcher.schema), term_postings
    )
    for name in termpostings.FILES:
        assert (tmp_path / name).read_bytes() == (gen / name).read_bytes(), name


def test_one_writer_or_three_write_the_same_arrays(generations) -> None:
    for name in termpostings.FILES:
        assert (generations[1] / name).read_bytes() == (generations[3] / name).read_bytes()


@pytest.mark.parametrize("writers", [1, 3])
def test_no_chunk_is_left_in_a_generation_or_its_manifest(generations, writers) -> None:
    gen = generations[writers]
    assert not (gen / termpostings.CHUNKS).exists()
    files = json.loads((gen / META).read_text("utf-8"))["files"]
    assert not [name for name in files if "chunk" in name]


def test_a_segment_without_its_chunk_has_the_arrays_read_from_the_index(
    generations, tmp_path
) -> None:
    gen = generations[3]
    index = SearchIndex(gen.parent, cache_size=0)  # its searcher closes with it
    searcher = index.generation().searcher()
    fields = scored_fields(searcher.schema)
    chunks = tmp_path / "chunks"
    (tmp_path / "out").mkdir()
    # Chunks for two of the three segments (empty ones, which joined would lose terms).
    for leaf, _ in searcher.leaf_searchers()[:2]:
        TermChunk(chunks / leaf.reader().segment().segment_id()).close()
    termpostings.write_term_postings(tmp_path / "out", searcher, fields, term_postings, chunks)
    for name in termpostings.FILES:
        assert (tmp_path / "out" / name).read_bytes() == (gen / name).read_bytes(), name


def _chunk(directory: Path, terms: dict[bytes, tuple]) -> dict[str, np.ndarray]:
    with TermChunk(directory) as chunk:
        for text, (docs, weights, *gaps) in sorted(terms.items()):
            chunk.add("summary_en", text, np.asarray(docs), np.asarray(weights, float), *gaps)
    return load_chunk(directory)


def _postings(arrays: dict[str, np.ndarray]) -> TermPostings:
    return TermPostings(arrays, ["summary_en"])


def test_a_term_in_several_chunks_has_their_postings_in_document_order(tmp_path) -> None:
    first = _chunk(
        tmp_path / "a",
        {
            b"court": ([0, 3], [2, 1], np.array([1, 4, 7])),
            b"viasna": ([2], [1], np.array([300])),
        },
    )
    second = _chunk(
        tmp_path / "b",
        {b"court": ([1], [1], np.array([5])), b"trial": ([0, 1], [1, 1], np.array([0, 9]))},
    )
    arrays = join_chunks([(first, 0), (second, 400)])
    postings = _postings(arrays)
    docs, tf = postings.term("summary_en", "court")
    # Document 3, then 401: a gap of 398, past one byte, across the two chunks.
    assert docs.tolist() == [0, 3, 401] and tf.tolist() == [2.0, 1.0, 1.0]
    assert postings.term("summary_en", "trial")[0].tolist() == [400, 401]
    assert postings.term("summary_en", "viasna")[0].tolist() == [2]
    keys = postings.positions("summary_en", "court")
    assert [(int(k >> 32), int(k & 0xFFFFFFFF)) for k in keys] == [(0, 1), (0, 5), (3, 7), (401, 5)]
    assert (postings.positions("summary_en", "viasna") & 0xFFFFFFFF).tolist() == [300]
    assert arrays[termpostings.DOCS_OVER].tolist() == [398, 400]  # court, then trial
    assert arrays[termpostings.POS_OVER].tolist() == [300]


def test_joining_no_terms_gives_empty_arrays(tmp_path) -> None:
    arrays = join_chunks([(_chunk(tmp_path / "a", {}), 0), (_chunk(tmp_path / "b", {}), 9)])
    assert arrays[termpostings.TABLE].tolist() == [[0, 0, 0, 0, 0]]
    assert _postings(arrays).term("summary_en", "court")[0].tolist() == []


def test_a_chunk_refuses_terms_out_of_order_and_positions_that_do_not_add_up(
    tmp_path,
) -> None:
    one = np.array([1.0])
    with TermChunk(tmp_path / "order") as chunk:
        chunk.add("summary_en", b"court", np.array([0]), one)
        with pytest.raises(ValueError, match="byte order"):
            chunk.add("summary_en", b"ban", np.array([0]), one)
        with pytest.raises(ValueError, match="byte order"):
            chunk.add("summary_en", b"court", np.array([0]), one)
    with TermChunk(tmp_path / "counts") as chunk:
        with pytest.raises(ValueError, match="2 positions for 1"):
            chunk.add("summary_en", b"court", np.array([0]), one, np.array([1, 2]))
        with pytest.raises(ValueError, match="not term frequencies"):
            chunk.add("summary_en", b"court", np.array([0, 1]), np.array([2.0, 1.0]),
                      np.array([1, 2, 3]), np.array([1, 2]))  # fmt: skip


def test_run_gaps_restart_at_each_posting_in_unsigned_arrays() -> None:
    positions = np.array([4, 9, 2, 3, 0, 70000], dtype=np.uint32)
    gaps = termpostings.run_gaps(positions, np.array([2, 0, 2, 2]))
    assert gaps.dtype == np.uint32
    assert gaps.tolist() == [4, 5, 2, 1, 0, 70000]
