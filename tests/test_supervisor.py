"""The master restarts workers that keep dying after a growing pause, and never exits
for them (``webapp.supervisor``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.helpers import end_group, http_get, start_server, wait_for_health
from webapp.supervisor import FIRST_PAUSE, LONGEST_PAUSE, STABLE_AFTER, Supervisor, check_granian


def _supervisor() -> Supervisor:
    return Supervisor("webapp.serve:worker_app", factory=True, workers=1)


def test_a_worker_dying_young_waits_longer_each_time_and_a_stable_one_not_at_all():
    server = _supervisor()
    assert server.pause_before(0, now=100.0) == 0.0  # first death: at once
    server.restarted[0] = 100.0
    pauses = []
    for i in range(8):
        now = 101.0 + i
        pauses.append(server.pause_before(0, now))
        server.restarted[0] = now
    assert pauses[:3] == [FIRST_PAUSE, 2 * FIRST_PAUSE, 4 * FIRST_PAUSE]
    assert max(pauses) == LONGEST_PAUSE and pauses == sorted(pauses)
    # A worker that lived long enough died of something new.
    assert server.pause_before(0, now=server.restarted[0] + STABLE_AFTER) == 0.0
    assert server.pause_before(1, now=200.0) == 0.0  # each worker counts its own


def test_the_supervisor_knows_the_granian_it_overrides():
    check_granian(_supervisor())


def _workers(pid: int) -> set[int]:
    found = set()
    for stat in os.listdir("/proc"):
        if not stat.isdigit():
            continue
        try:
            with open(f"/proc/{stat}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat))
    return found


@pytest.fixture()
def one_worker(index_dir) -> Iterator[tuple[subprocess.Popen, int]]:
    process, port = start_server(index_dir, "--workers", "1", "--threads", "2")
    try:
        wait_for_health(process, port)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
        end_group(process)
        process.stderr.close()


@pytest.mark.slow
def test_a_worker_killed_again_and_again_never_stops_the_master(one_worker):
    process, port = one_worker
    for _ in range(3):  # granian alone exits at the second death within 5.5 s
        deadline = time.monotonic() + 20
        while not _workers(process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        (worker,) = _workers(process.pid)
        os.kill(worker, signal.SIGKILL)
        while worker in _workers(process.pid):
            time.sleep(0.02)
    # The master waits, then restarts it; the server answers again.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            status, body = http_get(port, "/api/search?q=ICC", timeout=2)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            break
    assert status == 200 and json.loads(body)["total"] > 0
    assert process.poll() is None
    process.terminate()  # and a stop signal still stops it
    assert process.wait(timeout=15) == 0
