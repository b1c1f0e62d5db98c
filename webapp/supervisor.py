"""Granian's master, changed in one thing: workers that keep dying are restarted after a
growing pause, and the master never gives up on them.

Granian restarts a worker that dies, but a second death of the same worker within
5.5 seconds is a "crash loop" and the whole server exits, with every healthy worker.
For this service that is the wrong answer: what kills workers (a damaged index read by
native code, memory pressure) is usually outside the program and passes, while the
server could go on answering from another worker or another generation.  So a worker
that died less than :data:`STABLE_AFTER` seconds after its previous restart is restarted
after a pause that doubles each time (:data:`FIRST_PAUSE` up to :data:`LONGEST_PAUSE`),
and the pause resets once it has lived that long.  A stop signal ends a pause at once.

This is the only module that touches granian's private attributes (the crash-loop
bookkeeping, the respawn hook and the interrupt flag); :func:`check_granian` fails
loudly when a granian release no longer has them.
"""

from __future__ import annotations

import time
from typing import Any

import granian
from granian.server import MPServer

FIRST_PAUSE = 1.0  # seconds before the second restart of a worker dying young
LONGEST_PAUSE = 30.0
STABLE_AFTER = 10.0  # a worker that lived this long died of something new: no pause
# The granian versions whose private attributes this module was written against.
GRANIAN_SERIES = "2.8."
_PRIVATE = ("_respawn_workers", "_serve_loop")
_STATE = ("respawned_wrks", "interrupt_signal", "interrupt_children")


def check_granian(server: Any = None) -> None:
    """Raise ``RuntimeError`` when granian is not of the series this module knows or
    lacks what it overrides (and, given a server, the state it reads)."""
    if not granian.__version__.startswith(GRANIAN_SERIES):
        raise RuntimeError(
            f"webapp.supervisor was written for granian {GRANIAN_SERIES}x, "
            f"not {granian.__version__}: check its private attributes"
        )
    missing = [name for name in _PRIVATE if not hasattr(MPServer, name)]
    if server is not None:
        missing += [name for name in _STATE if not hasattr(server, name)]
    if missing:
        raise RuntimeError(f"granian {granian.__version__} lacks {', '.join(missing)}")


class Supervisor(MPServer):
    """:class:`granian.server.MPServer` restarting dying workers with a growing pause
    instead of exiting (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        check_granian(self)
        self.pauses: dict[int, float] = {}  # worker index -> its next pause
        self.restarted: dict[int, float] = {}  # worker index -> when last restarted

    def pause_before(self, idx: int, now: float) -> float:
        """Seconds to wait before restarting worker ``idx`` that died at ``now``, and
        the pause for its next death."""
        last = self.restarted.get(idx)
        if last is None or now - last >= STABLE_AFTER:
            self.pauses[idx] = FIRST_PAUSE
            return 0.0
        pause = self.pauses.get(idx, FIRST_PAUSE)
        self.pauses[idx] = min(pause * 2, LONGEST_PAUSE)
        return pause

    def _wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless a stop signal comes first; true when it came."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.interrupt_signal:
                return True
            time.sleep(0.05)
        return bool(self.interrupt_signal)

    def _respawn_workers(self, workers, spawn_target, target_loader, delay: float = 0):
        for idx in workers:
            now = time.monotonic()
            if self._wait(self.pause_before(idx, now)):
                return None
            super()._respawn_workers([idx], spawn_target, target_loader, delay)
            self.restarted[idx] = time.monotonic()
            # Granian's own crash-loop check reads this: it must never see a young
            # restart, since the pause above replaces it.
            self.respawned_wrks.pop(idx, None)
        return None
