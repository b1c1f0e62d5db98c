"""Opening a generation hashes only the files changed since they were verified.

The build stamps each file it checksummed (size, mtime, inode, ctime) in
``verified.json``; opening trusts a file whose ``stat`` still matches and hashes the
others against the manifest (see :mod:`indexer.engine.manifest`).  Hashing is counted by
replacing ``file_checksum``, never timed.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.engine import manifest
from indexer.engine.generation import Generation, SearchIndex
from indexer.engine.layout import PASSAGES, current_generation, read_meta
from indexer.engine.manifest import VERIFIED, Stamper, meta_digest, stamp_of
from indexer.errors import IndexUnavailable
from tests import pdfcorpus

MINI = Path(__file__).parent / "fixtures" / "mini"
pdf_corpus = pdfcorpus.pdf_corpus  # the shared fixture


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pristine")
    build_index(MINI, out)
    build_index(MINI, out)
    return out


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed from now on."""
    names: list[str] = []
    real = manifest.file_checksum

    def counting(path: Path) -> str:
        names.append(path.name)
        return real(path)

    monkeypatch.setattr(manifest, "file_checksum", counting)
    return names


def _copy(pristine: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the index (other inodes and ctimes: no stamp matches) and its current
    generation."""
    copy = tmp_path / "index"
    shutil.copytree(pristine, copy, symlinks=True)
    generation = current_generation(copy)
    assert generation is not None
    return copy, generation


def _checksummed(generation: Path) -> list[str]:
    return sorted(read_meta(generation)["checksums"])


def _after_the_clock_ticks(generation: Path) -> None:
    # A file is stamped only when it is older than the file system's clock (a coarse
    # clock could give a later write the same ctime); wait for the clock to pass the
    # newest file so that the next open may stamp them all.
    newest = max(p.stat().st_ctime_ns for p in generation.iterdir())
    probe = generation.parent / "clock-probe"
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > newest:
            probe.unlink()
            return
        time.sleep(0.001)


def _verified_open(pristine: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy whose generation was opened once, so every file is stamped again."""
    copy, generation = _copy(pristine, tmp_path)
    _after_the_clock_ticks(generation)
    Generation(generation).close()
    return copy, generation


def test_the_build_stamps_its_files_so_the_first_open_hashes_none_of_the_segments(
    tmp_path: Path, hashed: list[str]
) -> None:
    out = tmp_path / "index"
    build_index(MINI, out)
    generation = current_generation(out)
    assert generation is not None
    hashed.clear()  # the build's own checksums
    Generation(generation).close()
    # The segments were written long before the build checksummed them; only a file
    # written in the clock tick before could be too recent to stamp.
    assert not [name for name in hashed if name.startswith("MAIN_") or name.endswith(".toc")]
    assert VERIFIED not in read_meta(generation)["files"]


def test_a_generation_whose_stamps_match_is_opened_without_hashing(
    pristine: Path, tmp_path: Path, hashed: list[str]
) -> None:
    copy, generation = _copy(pristine, tmp_path)
    _after_the_clock_ticks(generation)
    Generation(generation).close()
    # A copy matches no stamp: every file was hashed, then stamped again.
    assert sorted(hashed) == _checksummed(generation)
    hashed.clear()
    for _ in range(2):
        Generation(generation).close()
    assert hashed == []
    assert not list(generation.glob(f".{VERIFIED}.*"))  # no temporary file left


@pytest.mark.parametrize("how", ["same size, mtime set back", "appended", "touched"])
def test_a_file_written_after_it_was_verified_is_hashed_and_refused(
    pristine: Path, tmp_path: Path, hashed: list[str], how: str
) -> None:
    copy, generation = _verified_open(pristine, tmp_path)
    victim = max(generation.glob("*.pst"), key=lambda p: p.stat().st_size)
    before = victim.stat()
    if how == "touched":
        os.utime(victim)
    else:
        with open(victim, "r+b") as handle:
            if how == "appended":
                handle.seek(0, os.SEEK_END)
                handle.write(b"\x00")
            else:
                handle.seek(before.st_size // 2)
                byte = handle.read(1)
                handle.seek(before.st_size // 2)
                handle.write(bytes([byte[0] ^ 0xFF]))
        os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = victim.stat()
    if how == "same size, mtime set back":
        # What size and mtime alone cannot tell: only the ctime moved.
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    hashed.clear()
    if how == "touched":
        Generation(generation).close()  # hashed, intact: served (and stamped again)
        assert hashed == [victim.name]
        return
    with pytest.raises(IndexUnavailable):
        Generation(generation)
    health = SearchIndex(copy).health()  # the older generation is served instead
    assert (health["status"], health["generation"]) == ("degraded", 1)


@pytest.mark.parametrize(
    "stamps",
    [
        b"\x00garbage\xff",
        b"[1, 2, 3]",
        b'{"version": 1, "meta": "0", "files": {}}',  # for another meta.json
        None,  # removed
    ],
)
def test_unreadable_or_foreign_stamps_mean_every_file_is_hashed(
    pristine: Path, tmp_path: Path, hashed: list[str], stamps: bytes | None
) -> None:
    _, generation = _verified_open(pristine, tmp_path)
    if stamps is None:
        (generation / VERIFIED).unlink()
    else:
        (generation / VERIFIED).write_bytes(stamps)
    hashed.clear()
    Generation(generation).close()
    assert sorted(hashed) == _checksummed(generation)
    hashed.clear()
    Generation(generation).close()  # the stamps were written again
    assert hashed == []


def test_stamps_recorded_for_another_manifest_are_not_trusted(
    pristine: Path, tmp_path: Path, hashed: list[str]
) -> None:
    _, generation = _verified_open(pristine, tmp_path)
    meta = generation / "meta.json"
    meta.write_bytes(meta.read_bytes() + b"\n")  # same manifest, other bytes
    hashed.clear()
    Generation(generation).close()
    assert sorted(hashed) == _checksummed(generation)


def test_a_read_only_generation_opens_and_is_hashed_every_time(
    pristine: Path, tmp_path: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, generation = _copy(pristine, tmp_path)
    stale = (generation / VERIFIED).read_bytes()
    generation.chmod(0o555)
    if os.geteuid() == 0:  # root writes through the mode bits: refuse as a read-only mount
        real_open = os.open

        def read_only(path, flags, *args):
            if flags & os.O_CREAT:
                raise OSError(30, "Read-only file system", str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(manifest.os, "open", read_only)
    try:
        for _ in range(2):
            hashed.clear()
            Generation(generation).close()
            assert sorted(hashed) == _checksummed(generation)
        assert (generation / VERIFIED).read_bytes() == stale
    finally:
        generation.chmod(0o755)


def test_concurrent_opens_each_write_a_whole_stamp_file(pristine: Path, tmp_path: Path) -> None:
    _, generation = _copy(pristine, tmp_path)
    _after_the_clock_ticks(generation)
    failures: list[BaseException] = []

    def open_once() -> None:
        try:
            Generation(generation).close()
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=open_once) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stamps = manifest.read_stamps(generation, meta_digest((generation / "meta.json").read_bytes()))
    assert sorted(stamps) == _checksummed(generation)
    assert not list(generation.glob(f".{VERIFIED}.*"))


def test_a_file_as_recent_as_the_clock_is_not_stamped(tmp_path: Path) -> None:
    # With a coarse clock a later write in the same tick would keep this ctime.
    (tmp_path / "recent").write_bytes(b"data")
    with Stamper(tmp_path) as stamper:
        stamper._clock = (tmp_path / "recent").stat().st_ctime_ns  # as if in the same tick
        stamper.checksum("recent")
        assert "recent" not in stamper.stamps
    assert not list(tmp_path.glob(".*"))


def _rot(victim: Path) -> None:
    """Change a byte and give the file back its stamp: what a failing medium does (the
    bytes change, no write goes through the file system)."""
    generation = victim.parent
    data = json.loads((generation / VERIFIED).read_bytes())
    raw = bytearray(victim.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    victim.write_bytes(bytes(raw))
    data["files"][victim.name] = list(stamp_of(victim.stat()))
    (generation / VERIFIED).write_text(json.dumps(data), "utf-8")


def test_verify_hashes_every_file_and_finds_what_opening_trusts(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], hashed: list[str]
) -> None:
    copy, generation = _verified_open(pristine, tmp_path)
    hashed.clear()
    assert main(["verify", "--index", str(copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("gen-000002 (current): checksums match, ")
    assert out[1].startswith("gen-000001: checksums match, ")
    assert len(hashed) == len(_checksummed(generation)) * 2  # whatever the stamps say

    victim = max(generation.glob("*.pst"), key=lambda p: p.stat().st_size)
    _rot(victim)
    # The trade-off: opening trusts the stamp, the change is not seen...
    Generation(generation).close()
    # ... until an operator runs verify, which says what is wrong and exits 1,
    assert main(["verify", "--index", str(copy)]) == 1
    captured = capsys.readouterr()
    assert (
        f"error: gen-000002 (current) is damaged: {victim.name} does not have the checksum "
        "the build recorded"
    ) in captured.err
    assert "gen-000001: checksums match" in captured.out
    # ... and removes the stamps, so that no process opens the generation again.
    assert not (generation / VERIFIED).exists()
    health = SearchIndex(copy).health()
    assert (health["status"], health["generation"]) == ("degraded", 1)


def test_verify_names_a_missing_file_and_a_missing_index(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy, generation = _copy(pristine, tmp_path)
    victim = sorted(generation.glob("*.trm"))[0]
    victim.unlink()
    assert main(["verify", "--index", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "error: gen-000002 (current) is damaged: No such file or directory: " in err
    assert victim.name in err
    assert main(["verify", "--index", str(tmp_path / "nowhere")]) == 1
    assert "no index generation in" in capsys.readouterr().err


def test_the_passage_index_is_stamped_by_the_build_and_checked_by_verify(
    pdf_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "index"
    build_index(pdf_corpus, out)
    generation = current_generation(out)
    assert generation is not None
    passages = generation / PASSAGES
    assert (passages / VERIFIED).exists()
    victim = max(passages.glob("*.pst"), key=lambda p: p.stat().st_size)
    _rot(victim)
    assert main(["verify", "--index", str(out)]) == 1
    assert f"is damaged: {victim.name} does not have the checksum" in capsys.readouterr().err
    assert not (passages / VERIFIED).exists()
    assert (generation / VERIFIED).exists()  # the main index is intact
