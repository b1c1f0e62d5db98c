"""Admission control: each process bounds its searches, the costly ones most of all.

A search's cost is estimated before it runs (:func:`indexer.search.estimate_cost`: the
postings its plan would read, 0 when its result is cached).  Then, per process:

- at most ``MAX_SEARCHES`` searches run at once; past it a search is refused;
- a costly search (predicted to take ``COSTLY_SEARCH_SECONDS`` or more by the time this
  process measured for searches of its kind, :mod:`webapp.costmodel`; until its kind is
  learned, ``COSTLY_SEARCH_POSTINGS`` postings or more) needs the process's one
  costly slot, and is refused at once when another costly search holds it: it never
  waits holding a thread, so it cannot delay the cheap searches queued behind it;
- costly searches may use at most ``COSTLY_SEARCH_SHARE`` of the process's time over the
  last :data:`BUDGET_WINDOW` seconds (the per-process time budget, on top of the
  per-search ``SEARCH_TIME_LIMIT``); past it they are refused.

Exports (``/export``) are their own class: an export runs only when the process is
idle (no search and no other export running) and is refused at once otherwise; once
admitted, its searches run under it, outside the costly budget, so an export of a
common word on an idle server is always served.  It counts as one running search.

A refused search gets 503 with ``Retry-After`` in the JSON error shape (code
``overloaded``) at once.  Cheap searches always get through while the process has a
free slot, whatever the costly ones do.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator

from flask import Flask, current_app
from flask_babel import gettext as _

from webapp.costmodel import CostModel
from webapp.errors import unavailable, wants_json

BUDGET_WINDOW = 10.0  # seconds over which the costly searches' time is counted
RETRY_AFTER = 2  # seconds: a costly search is over by then (SEARCH_TIME_LIMIT)
EXTENSION = "iapb_admission"


class Overloaded(Exception):
    """This process refuses the search now; ``retry_after`` says when to try again."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Admission:
    """The bounds of one process (threads share it; each forked worker has its own)."""

    def __init__(
        self,
        max_searches: int,
        costly_from: int,
        costly_share: float,
        costly_seconds: float = 0.1,
    ) -> None:
        self.max_searches = max_searches
        self.costly_from = costly_from
        self.costly_share = costly_share
        self.costly_seconds = costly_seconds
        self.model = CostModel()
        self.running = 0
        self.exporting = False
        self.costly_running = False
        self.costly_started = 0.0
        self.refused = 0
        self._spent: deque[tuple[float, float]] = deque()  # (ended at, seconds) of costly
        self._lock = threading.Lock()

    def _costly_seconds(self, now: float) -> float:
        while self._spent and self._spent[0][0] < now - BUDGET_WINDOW:
            self._spent.popleft()
        running = now - self.costly_started if self.costly_running else 0.0
        return sum(seconds for _, seconds in self._spent) + running

    def _refuse(self, message: str) -> Overloaded:
        self.refused += 1
        return Overloaded(message)

    @contextlib.contextmanager
    def admit(self, cost: int, predicted: float | None = None) -> Iterator[None]:
        """Run the block as a search of ``cost`` postings predicted to take ``predicted``
        seconds (``None``: not known), or raise :class:`Overloaded`."""
        if predicted is not None:
            costly = predicted >= self.costly_seconds
        else:
            costly = cost >= self.costly_from
        with self._lock:
            now = time.monotonic()
            if self.running >= self.max_searches:
                raise self._refuse("this server is running as many searches as it can")
            if costly:
                if self.costly_running:
                    raise self._refuse("this server is already running a costly search")
                if self._costly_seconds(now) >= self.costly_share * BUDGET_WINDOW:
                    raise self._refuse("this server has spent its time for costly searches")
                self.costly_running, self.costly_started = True, now
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
                if costly:
                    now = time.monotonic()
                    self._spent.append((now, now - self.costly_started))
                    self.costly_running = False

    @contextlib.contextmanager
    def admit_export(self) -> Iterator[None]:
        """Run the block as an export, or raise :class:`Overloaded` unless the process
        is idle (see the module)."""
        with self._lock:
            if self.running or self.exporting:
                raise self._refuse("this server is busy: exports run when it is idle")
            self.exporting = True
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
                self.exporting = False


def admission() -> Admission:
    """The admission control of this app."""
    return current_app.extensions[EXTENSION]


def _overloaded(error: Overloaded):
    message = str(error) if wants_json() else _("The search service is busy.")
    return unavailable("overloaded", message, error.retry_after)


def init_app(app: Flask) -> None:
    """Give ``app`` its admission control (settings ``MAX_SEARCHES``, ``COSTLY_SEARCH_*``)."""
    app.extensions[EXTENSION] = Admission(
        app.config["MAX_SEARCHES"],
        app.config["COSTLY_SEARCH_POSTINGS"],
        app.config["COSTLY_SEARCH_SHARE"],
        app.config["COSTLY_SEARCH_SECONDS"],
    )
    app.register_error_handler(Overloaded, _overloaded)
