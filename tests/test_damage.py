"""Damage under a running server is unavailability, never a 500.

A file of the generation in service changes (truncated, as by a full disk or a bad
copy): searches answer 503 with a reason and no path, ``/healthz`` says 503, and the
server falls back to the previous intact generation when there is one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from indexer import search as search_module
from indexer.build import build_index
from indexer.engine.generation import Generation
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
    # The health check that finds the damage already answers for the generation served
    # in its place, and names the damaged one.
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)
    assert health["damaged"] == ["gen-000002"]
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
    # The derived arrays were memory-mapped: reading a truncated one killed the
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


def _overwrite_in_place(victim: Path) -> None:
    """Other bytes, same size, modification time set back: what ``rsync -a --inplace``
    of a different file leaves."""
    before = victim.stat()
    data = bytearray(victim.read_bytes())
    half = len(data) // 2
    data[half:] = bytes(b ^ 0x5A for b in data[half:])
    with open(victim, "r+b") as handle:
        handle.write(data)
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = victim.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


@pytest.mark.parametrize(
    "pattern", ["*.pst", "post-docs.npy", "col-years.npy", "*.trm", "*_stored.col"]
)
def test_an_overwrite_in_place_keeping_size_and_mtime_is_noticed(tmp_path, pattern):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200  # the generation is open
    generation = current_generation(index_dir)
    (victim,) = sorted(generation.glob(pattern))[:1]
    _overwrite_in_place(victim)
    # Whatever reads it first, nothing answers 500 ...
    for url in ("/api/search?q=evidence", "/api/search?q=torture&sort=date", "/reports/r9-en"):
        assert client.get(url).status_code in (200, 404, 503)
    # ... and the intact generation is served in its place, health saying so.
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)
    assert health["damaged"] == ["gen-000002"]
    response = client.get("/api/search?q=torture")
    assert response.status_code == 200 and response.get_json()["total"] == 1


def _replace_meta(generation: Path, how: str) -> None:
    meta = generation / "meta.json"
    if how == "truncated":
        with open(meta, "r+b") as handle:
            handle.truncate(meta.stat().st_size // 2)
    elif how == "deleted":
        meta.unlink()
    else:  # replaced by the previous generation's (renamed over it, as a copy tool does)
        copy = generation / "meta.json.new"
        copy.write_bytes((generation.parent / "gen-000001" / "meta.json").read_bytes())
        os.replace(copy, meta)


@pytest.mark.parametrize("how", ["truncated", "deleted", "replaced"])
@pytest.mark.parametrize("first", ["/healthz", "/api/search?q=evidence"])
def test_meta_json_changed_while_serving_is_noticed_without_a_restart(tmp_path, how, first):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200  # the generation is open
    _replace_meta(current_generation(index_dir), how)
    assert client.get(first).status_code in (200, 503)
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)
    response = client.get("/api/search?q=torture")
    assert response.status_code == 200 and response.get_json()["total"] == 1


def test_a_file_only_touched_is_hashed_again_and_served_again(tmp_path):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200
    victim = sorted(current_generation(index_dir).glob("*.pst"))[0]
    victim.chmod(0o600)  # a new change time, the same bytes
    assert client.get("/healthz").status_code == 200
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"], health["damaged"]) == ("ok", 2, [])


def test_a_read_failing_with_every_stat_unchanged_is_damage_once_the_files_are_hashed(
    tmp_path, monkeypatch
):
    # Bytes that changed without a write (a faulty disk) keep every stat; a read that
    # then fails in an unexpected way has the generation hashed, and it is damage.
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200
    victim = sorted(current_generation(index_dir).glob("*.pst"))[0]
    _overwrite_in_place(victim)
    monkeypatch.setattr(Generation, "verify", lambda self, names=None: None)

    def failing(*args, **kwargs):
        raise IndexError("index 7 is out of bounds for axis 0 with size 3")

    monkeypatch.setattr(search_module, "_document", failing)
    response = client.get("/reports/9-en")
    assert response.status_code == 503
    monkeypatch.undo()
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("degraded", 1)


def test_a_bug_on_intact_files_is_not_called_damage(tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    app = create_app({"TESTING": False, "INDEX_DIR": str(index_dir)})
    client = app.test_client()
    assert client.get("/api/search?q=OSCE").status_code == 200

    def failing(*args, **kwargs):
        raise IndexError("a bug")

    monkeypatch.setattr(search_module, "_document", failing)
    assert client.get("/api/reports/r9-en").status_code == 500
    monkeypatch.undo()
    health = client.get("/healthz").get_json()
    assert (health["status"], health["generation"]) == ("ok", 1)


def test_hard_links_made_to_the_files_served_are_not_damage(tmp_path):
    # A new generation of hard links to this one's files (cp -al, rsync --link-dest)
    # changes their change time and link count, never their bytes.
    index_dir = tmp_path / "index"
    build_index(MINI, index_dir)
    client = _client(index_dir)
    assert client.get("/api/search?q=OSCE").status_code == 200
    generation = current_generation(index_dir)
    linked = tmp_path / "links"
    linked.mkdir()
    for path in generation.iterdir():
        if path.is_file():
            os.link(path, linked / path.name)
    for url in ("/api/search?q=evidence", "/healthz", "/api/search?q=torture"):
        assert client.get(url).status_code == 200, url
    # Removed again (the link count is back, the change time moved twice).
    for path in linked.iterdir():
        path.unlink()
    for url in ("/api/search?q=court", "/healthz"):
        assert client.get(url).status_code == 200, url
    # An overwrite in place made with a link at once is still seen (the bytes differ).
    victim = sorted(generation.glob("*.pst"))[0]
    _overwrite_in_place(victim)
    assert client.get("/healthz").status_code == 503
