"""Builds that can be killed: a killed build never blocks the next one.

``kill -9`` of a parallel build (writer processes forked) leaves no writer running, no
lock held and no temporary generation behind; the next build says what it cleaned up
and succeeds.  A directory that cannot be written ends the build with one line naming
the path and the cause, exit status 1.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.build import build_index, generations
from indexer.cli import main
from indexer.engine.layout import current_generation

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# A parallel build of the bundled corpus (writer processes forked from the first
# documents) that stops just before writing its segments, with its writers alive.
STALLED_BUILD = """
import os, sys, time
from indexer.build import build_index, workers
workers.PARALLEL_FROM = 1
def progress(done, total):
    if done >= total:
        print("writing", flush=True)
        time.sleep(120)
build_index(sys.argv[1], sys.argv[2], progress=progress)
"""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_until_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if _running(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="parallel builds need two CPUs")
def test_kill_9_of_a_parallel_build_then_the_next_build_succeeds(tmp_path: Path) -> None:
    out = tmp_path / "index"
    stalled = subprocess.Popen(
        [sys.executable, "-c", STALLED_BUILD, str(CORPUS), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stalled.stdout is not None
        assert stalled.stdout.readline().strip() == "writing"
        writers = _children(stalled.pid)
        assert writers, "the build forked no writer process"
        assert list(out.glob("gen-*.tmp"))
        stalled.kill()
        stalled.wait(timeout=10)
    finally:
        stalled.kill()
        stalled.wait()
        stalled.stdout.close()
    # The writers die with their parent (none is left holding files or waiting forever).
    assert _wait_until_gone(writers) == []
    finished = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(CORPUS), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert f"stale build lock of process {stalled.pid}" in finished.stderr
    assert "removed gen-000001.tmp" in finished.stderr
    assert not list(out.glob("*.tmp"))
    assert current_generation(out) == out / "gen-000001"


def test_a_stale_temporary_generation_is_pruned_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "index"
    build_index(CORPUS, out)
    (out / "gen-000007.tmp" / "sub").mkdir(parents=True)
    notes: list[str] = []
    info = build_index(CORPUS, out, notice=notes.append)
    assert not (out / "gen-000007.tmp").exists()
    assert notes == ["removed gen-000007.tmp, left by an interrupted build"]
    assert info.generation == 2


def test_a_lock_held_by_a_running_build_is_waited_for_not_broken(tmp_path: Path) -> None:
    out = tmp_path / "index"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom indexer.build import generations\n"
            "with generations._build_lock(Path(sys.argv[1]), print):\n"
            "    print('locked', flush=True)\n    time.sleep(1.5)\n",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        notes: list[str] = []
        build_index(CORPUS, out, notice=notes.append)
        assert holder.poll() is not None  # the build waited for the holder to finish
        assert notes == [f"waiting for the build running as process {holder.pid} to finish"]
    finally:
        holder.wait(timeout=10)
        holder.stdout.close()


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (
            OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "gen-000001.tmp/_MAIN_1.pst"),
            "No space",
        ),
        (OSError(errno.EROFS, os.strerror(errno.EROFS), "index/.lock"), "Read-only"),
    ],
)
def test_a_full_or_read_only_directory_ends_with_one_line_and_status_1(
    tmp_path, monkeypatch, capsys, error, cause
):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(generations, "write_index", fail)
    status = main(["build", "--corpus", str(CORPUS), "--out", str(tmp_path / "index")])
    lines = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert lines == [f"error: cannot build the index: {error.filename}: {error.strerror}"]
    assert cause in lines[0]
    assert not list((tmp_path / "index").glob("*.tmp"))


def test_an_output_path_under_a_file_ends_with_one_line_and_status_1(tmp_path, capsys):
    (tmp_path / "file").write_text("not a directory")
    status = main(["build", "--corpus", str(CORPUS), "--out", str(tmp_path / "file" / "index")])
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert len(err.splitlines()) == 1
    assert str(tmp_path / "file" / "index") in err
    assert "Not a directory" in err or "File exists" in err
