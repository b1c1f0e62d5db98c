"""Damage under a running server is unavailability, never a 500.

A file of the generation in service changes (truncated, as by a full disk or a bad
copy): searches answer 503 with a reason and no path, ``/healthz`` says 503, and the
server falls back to the previous intact generation when there is one.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.layout import current_generation
from webapp import create_app

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def _truncate_postings(index_dir: Path, pattern: str = "post-docs.npy") -> Path:
    """Truncate a file of postings: by default the term arrays searches read
    (:mod:`indexer.engine.termpostings`), with ``pattern="*.pst"`` Whoosh's own."""
    generation = current_generation(index_dir)
    assert generation is not None
    (victim,) = sorted(generation.glob(pattern))[:1]
    with open(victim, "r+b") as handle:
        handle.truncate(victim.stat().st_size // 3)
    return victim


def _client(index_dir: Path):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def _assert_unavailable_without_paths(response, index_dir: Path) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "index_unavailable"
    assert str(index_dir) not in body and "Error" not in body
    assert ".pst" not in body and ".npy" not in body
    assert int(response.headers["Retry-After"]) > 0


# Searches read the term arrays (checked before each search); Whoosh's postings file is
# checked by /healthz, with every other file.
@pytest.mark.parametrize(
    ("first", "pattern"),
    [
        ("/api/search?q=torture", "post-docs.npy"),
        ("/healthz", "post-docs.npy"),
        ("/healthz", "*.pst"),
    ],
)
def test_a_truncated_postings_file_gives_503_on_search_and_health(tmp_path, caplog, first, pattern):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200  # the generation is open
    victim = _truncate_postings(index_dir, pattern)
    with caplog.at_level(logging.WARNING):
        _assert_unavailable_without_paths(client.get(first), index_dir)
        for url in ("/api/search?q=torture", "/api/search?q=evidence", "/healthz"):
            _assert_unavailable_without_paths(client.get(url), index_dir)
    # The operator learns which file: the path is in the log, not in the answer.
    assert victim.name in caplog.text


def test_the_previous_intact_generation_is_served_in_place_of_a_damaged_one(tmp_path):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/healthz").get_json()["generation"] == 2
    _truncate_postings(index_dir)
    _assert_unavailable_without_paths(client.get("/healthz"), index_dir)
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)
    response = client.get("/api/search?q=torture")
    assert response.status_code == 200 and response.get_json()["total"] == 1
    # The next build is served again, and health is ok.
    build_index(MINI, index_dir)
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("ok", 3)


def test_a_generation_damaged_before_it_is_opened_is_never_served(tmp_path):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    generation = current_generation(index_dir)
    assert generation is not None
    # Same size, other bytes: only the checksum the build recorded can tell.
    victim = max(generation.glob("*.pst"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    health = _client(index_dir).get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)


@pytest.mark.parametrize("array", ["col-years.npy", "len-summary_en.npy", "phrase-docs.npy"])
def test_a_truncated_memory_mapped_array_gives_503_then_the_previous_generation(
    tmp_path, caplog, array
):
    # The derived arrays are memory-mapped: reading a truncated one would kill the
    # process, so they are checked before each use, and the change is damage.
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=ICC").status_code == 200  # the generation is open
    generation = current_generation(index_dir)
    assert generation is not None
    victim = generation / array
    with open(victim, "r+b") as handle:
        handle.truncate(victim.stat().st_size // 2)
    with caplog.at_level(logging.WARNING):
        _assert_unavailable_without_paths(client.get("/api/search?q=torture"), index_dir)
    assert victim.name in caplog.text
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)
    response = client.get("/api/search?q=torture")
    assert response.status_code == 200 and response.get_json()["total"] == 1
