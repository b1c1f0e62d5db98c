"""``.ci/leftovers``, the check CI runs after the tests: a process the tests started
(its environment carries the run's token) and left running fails the run."""

from __future__ import annotations

import os
import subprocess
import uuid

from tests.helpers import ROOT

SCRIPT = ROOT / ".ci" / "leftovers"


def _check(token: str, wait: str = "0") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "IAPB_TEST_RUN"}
    return subprocess.run(
        [str(SCRIPT), token],
        env=dict(env, LEFTOVERS_WAIT=wait),
        capture_output=True,
        text=True,
        timeout=30,
    )


def _started(token: str, seconds: str) -> subprocess.Popen:
    return subprocess.Popen(["sleep", seconds], env=dict(os.environ, IAPB_TEST_RUN=token))


def test_a_process_left_running_by_the_tests_fails_the_check_and_is_named():
    token = uuid.uuid4().hex
    left = _started(token, "60")
    try:
        run = _check(token)
        assert run.returncode == 1
        assert f"{left.pid}: sleep 60" in run.stderr
    finally:
        left.kill()
        left.wait()
    assert _check(token).returncode == 0


def test_a_process_that_ends_within_the_wait_and_other_runs_processes_pass():
    token = uuid.uuid4().hex
    other = _started(uuid.uuid4().hex, "60")
    ending = _started(token, "0.5")
    try:
        run = _check(token, wait="10")
        assert run.returncode == 0, run.stderr
    finally:
        other.kill()
        other.wait()
        ending.wait()
