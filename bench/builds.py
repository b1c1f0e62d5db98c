"""Builds measured as processes: wall time and peak resident memory of the process tree.

Each build (the project's, each peer's) runs in a new Python process,
``python -m bench.buildchild SYSTEM CORPUS OUT``, which loads the corpus, builds the index
and prints what it built as JSON.  The parent polls ``/proc`` every
:data:`POLL_SECONDS` for that process and all its descendants (the project's build
forks writer processes) and keeps the largest sum of their resident memory (VmRSS):
the peak of the whole tree, as the operating system had to provide it.  A peak shorter
than the polling interval can be missed, so the figure is a lower bound; the largest
single process's own peak (VmHWM, exact) is reported beside it.

Wall time is the child's, from before loading the corpus to the index written (its
imports not counted), the same for every system.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.05


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (children of every thread, recursively)."""
    found, todo = [], [pid]
    while todo:
        process = todo.pop()
        found.append(process)
        for task in Path(f"/proc/{process}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:  # the thread or process ended meanwhile
                continue
    return found


def _status_kb(pid: int, names: Sequence[str]) -> dict[str, int]:
    out = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        name, _, value = line.partition(":")
        if name in names:
            out[name] = int(value.split()[0])
    return out


def _pss_kb(pid: int) -> int:
    """The proportional set size of ``pid`` (pages shared by forked processes divided
    between them), in kB; 0 when the process has ended."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Polls the resident memory of a process tree in a thread until the ``with`` ends.

    With ``pss``, each reading also sums the tree's PSS (a forked writer's pages shared
    with its parent count in the RSS of both, but are divided between them in PSS); it
    costs a walk of each process's mappings, so it is asked for only where wanted.
    """

    def __init__(self, pid: int, interval: float = POLL_SECONDS, pss: bool = False) -> None:
        self.pid = pid
        self.interval = interval
        self.pss = pss
        self.peak_kb = 0
        self.peak_root_kb = 0
        self.peak_pss_kb = 0
        self.largest_hwm_kb = 0
        self.processes = 1
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        """Add one reading of the tree."""
        tree = descendants(self.pid)
        total = pss = 0
        for process in tree:
            kb = _status_kb(process, ("VmRSS", "VmHWM"))
            total += kb.get("VmRSS", 0)
            self.largest_hwm_kb = max(self.largest_hwm_kb, kb.get("VmHWM", 0))
            if process == self.pid:
                self.peak_root_kb = max(self.peak_root_kb, kb.get("VmRSS", 0))
            if self.pss:
                pss += _pss_kb(process)
        self.peak_kb = max(self.peak_kb, total)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.processes = max(self.processes, len(tree))
        self.samples += 1

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict[str, Any]:
        """Peak of the tree's summed VmRSS and the largest process's VmHWM, in MB."""
        return {
            "peak_rss_mb": round(self.peak_kb / 1024, 1),
            "largest_process_hwm_mb": round(self.largest_hwm_kb / 1024, 1),
            "processes": self.processes,
            "samples": self.samples,
        }


def measure(system: str, corpus: Path, out: Path) -> dict[str, Any]:
    """Build ``corpus`` into ``out`` with ``system`` (``project`` or a peer of
    :mod:`bench.peers`) in a new process; its JSON with the tree's memory figures.

    Raises ``subprocess.CalledProcessError`` when the build fails (its messages went
    to this process's standard error).
    """
    command = [sys.executable, "-m", "bench.buildchild", system, str(corpus), str(out)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with TreeMemory(process.pid) as memory:
        stdout, _ = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return {**json.loads(stdout.strip().splitlines()[-1]), **memory.figures()}
