"""The production entry point, ``python -m webapp.serve``: options, defaults, and a real
server (granian) in a subprocess that serves, replaces a worker that dies, dies with its
master and stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import end_group, free_port, http_get, start_server, wait_for_health
from webapp.serve import DEFAULT_THREADS, default_workers, make_parser

ROOT = Path(__file__).resolve().parent.parent


def test_workers_default_to_one_per_usable_cpu_and_threads_to_the_measured_default():
    args = make_parser().parse_args([])
    assert args.workers == default_workers() == len(os.sched_getaffinity(0))
    assert args.threads == DEFAULT_THREADS
    assert (args.host, args.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize("argv", [["--workers", "0"], ["--threads", "-1"], ["--workers", "x"]])
def test_nonsense_counts_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        make_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert "usage" in capsys.readouterr().err


_OPEN_INDEX_FILES = """
import os, sys
from pathlib import Path
from webapp import create_app
root = str(Path(sys.argv[1]).resolve())
create_app({"INDEX_DIR": sys.argv[1]})
for fd in Path("/proc/self/fd").iterdir():
    try:
        target = os.readlink(fd)
    except OSError:
        continue
    if target.startswith(root):
        print(target)
"""


def test_building_the_app_opens_no_index_file_so_forked_workers_share_none(index_dir):
    # In a fresh interpreter: in this one, the browser tests' live servers may be
    # opening index files in their own threads at any moment.
    run = subprocess.run(
        [sys.executable, "-c", _OPEN_INDEX_FILES, str(index_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout == ""


# --- a real server ---------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture()
def server(index_dir) -> Iterator[tuple[subprocess.Popen, int]]:
    """``python -m webapp.serve`` with 2 workers of 2 threads, answering /healthz."""
    process, port = start_server(
        index_dir, "--workers", "2", "--threads", "2", stdout=subprocess.PIPE
    )
    try:
        wait_for_health(process, port)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        end_group(process)
        process.stdout.close()
        process.stderr.close()


@pytest.mark.slow
def test_the_server_runs_the_workers_asked_for_and_answers_searches(server):
    process, port = server
    deadline = time.monotonic() + 10
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_children(process.pid)) == 2
    status, body = http_get(port, "/api/search?q=ICC")
    assert status == 200 and json.loads(body)["total"] > 0
    assert json.loads(http_get(port, "/healthz")[1])["documents"] == 18


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_its_workers_cleanly(server, sig):
    process, port = server
    workers = _children(process.pid)
    assert workers
    process.send_signal(sig)
    assert process.wait(timeout=10) == 0
    assert not [pid for pid in workers if _alive(pid)]
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr
    with pytest.raises(OSError):
        http_get(port, "/healthz")


def _wait_until(predicate, timeout: float = 10.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.mark.slow
def test_a_worker_that_dies_is_replaced_and_searches_go_on(server):
    process, port = server
    assert _wait_until(lambda: len(_children(process.pid)) == 2)
    victim = min(_children(process.pid))
    os.kill(victim, signal.SIGKILL)
    assert _wait_until(
        lambda: len(_children(process.pid)) == 2 and victim not in _children(process.pid)
    )
    for _ in range(4):  # both workers answer (connections spread over them)
        status, body = http_get(port, "/api/search?q=ICC")
        assert status == 200 and json.loads(body)["total"] > 0


@pytest.mark.slow
def test_the_workers_die_with_their_master(server):
    """A master killed outright leaves no worker holding the port (parent-death signal)."""
    process, port = server
    assert _wait_until(lambda: len(_children(process.pid)) == 2)
    workers = _children(process.pid)
    process.kill()
    process.wait(timeout=10)
    assert _wait_until(lambda: not [pid for pid in workers if _alive(pid)])
    with pytest.raises(OSError):
        http_get(port, "/healthz")


# A master forks a worker that, like a freshly forked granian worker, still has a
# SIGTERM handler that only sets a flag (the master's, inherited); the worker ties itself
# to the master, says so, and waits; the master then dies.
_TIED_WORKER = """
import os, signal, sys, time
from webapp.serve import MASTER_ENV, tie_to_master
os.environ[MASTER_ENV] = str(os.getpid())
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # the test reads the master's output to its end
    os.dup2(quiet, 2)
    signal.signal(signal.SIGTERM, lambda *a: None)
    tie_to_master()
    os.write(write, b"x")
    while True:
        time.sleep(1)
os.read(read, 1)
print(pid, flush=True)
os._exit(0)
"""


def test_a_worker_dies_with_its_master_whatever_signal_handlers_it_inherited():
    run = subprocess.run(
        [sys.executable, "-c", _TIED_WORKER], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    worker = int(run.stdout)
    try:
        assert _wait_until(lambda: not _alive(worker), timeout=5)
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)


@pytest.mark.slow
def test_a_replacement_worker_dies_with_a_master_killed_as_it_starts(server):
    """A worker started to replace a dead one is tied to the master from its first
    instruction of ours: the master killed while the replacement builds its app leaves
    no orphan serving the port."""
    process, port = server
    assert _wait_until(lambda: len(_children(process.pid)) == 2)
    first = _children(process.pid)
    os.kill(min(first), signal.SIGKILL)
    assert _wait_until(lambda: len(_children(process.pid) - first) == 1, timeout=10, step=0.01)
    workers = _children(process.pid)
    process.kill()  # at once: the replacement is still starting
    process.wait(timeout=10)
    assert _wait_until(lambda: not [pid for pid in workers if _alive(pid)])
    with pytest.raises(OSError):
        http_get(port, "/healthz")


@pytest.mark.slow
def test_a_malformed_setting_stops_the_start_with_a_message_and_no_traceback(tmp_path):
    process = subprocess.run(
        [sys.executable, "-m", "webapp.serve", "--port", str(free_port())],
        cwd=ROOT,
        env=dict(os.environ, IAPB_INDEX_DIR=str(tmp_path), IAPB_CACHE_SIZE="many"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert process.returncode == 2
    assert "CACHE_SIZE" in process.stderr and "Traceback" not in process.stderr
