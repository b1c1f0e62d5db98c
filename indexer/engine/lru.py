"""A bounded, thread-safe least-recently-used cache.

One implementation for every cache of the service: search results per index
(:mod:`indexer.engine.generation`), parsed plans and postings arrays per generation
(:mod:`indexer.search`, :mod:`indexer.engine.matching`), encoded API answers (:mod:`webapp.api`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRUCache:
    """At most ``max_entries`` values and, when given, ``max_bytes`` of them by ``sizeof``.

    ``max_entries=0`` keeps nothing (every lookup computes); ``None`` sets no count
    bound.  A value larger than ``max_bytes`` on its own is not kept.  Values are
    computed outside the lock: two threads may compute the same one, and the last kept
    wins, which is harmless for values that depend only on their key.
    """

    def __init__(
        self,
        max_entries: int | None,
        max_bytes: int | None = None,
        sizeof: Callable[[Any], int] | None = None,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: Hashable) -> Any | None:
        """The value kept for ``key`` (now the most recently used), or ``None``."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def peek(self, key: Hashable) -> bool:
        """Whether a value is kept for ``key`` (counts no hit or miss, changes no order)."""
        return key in self.entries

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value``, dropping the least recently used values past the bounds."""
        size = self._sizeof(value) if self._sizeof is not None else 0
        if self.max_entries == 0 or (self.max_bytes is not None and size > self.max_bytes):
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self.entries[key] = (value, size)
            self.bytes += size
            while (self.max_entries is not None and len(self.entries) > self.max_entries) or (
                self.max_bytes is not None and self.bytes > self.max_bytes
            ):
                _, (_, dropped) = self.entries.popitem(last=False)
                self.bytes -= dropped

    def resize(self, max_bytes: int | None) -> None:
        """Bound the values kept to ``max_bytes`` (``None``: no bound), dropping the least
        recently used ones past it."""
        with self.lock:
            self.max_bytes = max_bytes
            while max_bytes is not None and self.bytes > max_bytes and self.entries:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.bytes -= dropped

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for ``key``, computed by ``compute()`` and kept when missing."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Drop every value."""
        with self.lock:
            self.entries.clear()
            self.bytes = 0
