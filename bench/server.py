"""The production server (``python -m webapp.serve``) in a subprocess, for benchmarks."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """One GET to 127.0.0.1:``port``: (status, body).  Raises ``OSError`` when refused."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (the server's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its children, in seconds.

    A server's own CPU time per request barely moves when other jobs share the machine,
    unlike its throughput, so it is the figure that compares two servers on a busy VM.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def memory(pid: int) -> dict[str, float]:
    """Resident memory of process ``pid`` and its children, now (VmRSS) and at the peak of
    each (VmHWM), summed, in MB; ``processes`` counts them.

    Pages shared since the fork are counted once per process, so the sums are an upper
    bound; ``largest_VmRSS`` is the resident memory of the largest single process.
    """
    out: dict[str, float] = {"VmRSS": 0.0, "VmHWM": 0.0, "processes": 0, "largest_VmRSS": 0.0}
    for process in (pid, *children(pid)):
        try:
            lines = Path(f"/proc/{process}/status").read_text().splitlines()
        except OSError:
            continue
        out["processes"] += 1
        for line in lines:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                megabytes = int(value.split()[0]) / 1024
                out[name] = round(out[name] + megabytes, 1)
                if name == "VmRSS":
                    out["largest_VmRSS"] = round(max(out["largest_VmRSS"], megabytes), 1)
    return out


class Server:
    """``python -m webapp.serve`` on 127.0.0.1 with ``IAPB_INDEX_DIR`` set; a context manager.

    ``workers`` and ``threads`` are passed on when given, else the server's defaults hold.
    ``module`` serves another app the same way: ``bench.tantivy_app`` (the wrapper over
    Tantivy) is given ``--index index_dir``.
    """

    def __init__(
        self,
        index_dir: Path,
        threads: int | None,
        log: Path,
        workers: int | None = None,
        module: str = "webapp.serve",
    ) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.index_dir = index_dir
        self.threads = threads
        self.workers = workers
        self.module = module
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "IAPB_INDEX_DIR": str(self.index_dir)}
        command = [sys.executable, "-m", self.module, "--host", self.host]
        command += ["--port", str(self.port)]
        if self.module != "webapp.serve":
            command += ["--index", str(self.index_dir)]
        if self.workers is not None:
            command += ["--workers", str(self.workers)]
        if self.threads is not None:
            command += ["--threads", str(self.threads)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._wait_ready(timeout=60)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log_path}")
            try:
                if http_get(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /healthz within {timeout} s")

    def get(self, path: str) -> tuple[int, bytes]:
        """One GET (for warming up and checks)."""
        return http_get(self.port, path, timeout=30)

    def memory(self) -> dict[str, float]:
        """Resident memory of the server: its master and its workers (see :func:`memory`)."""
        return memory(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (see :func:`cpu_seconds`)."""
        return cpu_seconds(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
