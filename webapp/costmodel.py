"""What a search will cost in time, learned from the searches this process has run.

Admission control (:mod:`webapp.admission`) used to call a search costly from its
estimated postings alone (``COSTLY_SEARCH_POSTINGS``).  Postings are a poor clock: on
100,000 documents an acronym or a name expanded across languages reads many postings
and still answers in 14-26 ms, while an OR with a timeline reads fewer and takes
hundreds; the postings bound refused 80-95 % of the honest ones under load (issue 28).

So each process learns, per index generation and per *kind* of search
(:func:`search_kind`: quoted phrases, prefixes, operators, a timeline, the order, the
filters, the number of words), the seconds a search takes per posting it reads (CPU
seconds of its thread: under load the wall clock adds the wait for the GIL): an
exponentially weighted mean over the searches of that kind that read at least
:data:`LEARN_FROM` postings (below that the fixed cost of a search dominates and says
nothing of the rate).  A search's predicted time is that rate times its postings; it is
costly when the prediction reaches ``COSTLY_SEARCH_SECONDS``.  A kind not learned yet
is predicted with the slowest rate learned for any kind (a pessimistic prior: refused
only when even that says costly), and while no kind is learned the postings bound
decides.  A new generation starts learning afresh (its postings differ).
"""

from __future__ import annotations

import threading

from indexer.records import Collapse, SearchRequest, SortOrder

LEARN_FROM = 10_000  # postings from which a search teaches the rate of its kind
WEIGHT = 0.2  # of each new observation in the running mean
KINDS_KEPT = 256  # kinds remembered per generation (a bound on memory, never reached)


def search_kind(req: SearchRequest) -> str:
    """The kind of a search, for learning its cost: the shape of its query and of what
    it asks besides (never its words)."""
    q = req.q
    words = len(q.split())
    parts = [
        "phrase" if '"' in q else "",
        "prefix" if "*" in q else "",
        "or" if " OR " in q else "",
        "not" if (" NOT " in q or " -" in f" {q}") else "",
        "timeline" if req.timeline else "",
        "date" if req.sort is SortOrder.DATE else "",
        "collapse" if req.collapse is not Collapse.NONE else "",
        "filtered" if (req.langs or req.years or req.topics) else "",
        "browse" if not q.strip() else f"words{min(words, 6)}",
    ]
    return "+".join(p for p in parts if p)


class CostModel:
    """Seconds per posting, per generation and kind of search (thread-safe)."""

    def __init__(self) -> None:
        self._generation: int | None = None
        self._rates: dict[str, float] = {}
        self._lock = threading.Lock()

    def predict(self, generation: int, kind: str, postings: int) -> float | None:
        """Seconds a search of ``kind`` reading ``postings`` should take (for a kind not
        learned yet, at the slowest rate learned); ``None`` while nothing is learned in
        this generation."""
        with self._lock:
            if generation != self._generation or not self._rates:
                return None
            rate = self._rates.get(kind)
            if rate is None:
                rate = max(self._rates.values())
        return rate * postings

    def learn(self, generation: int, kind: str, postings: int, seconds: float) -> None:
        """Record that a search of ``kind`` reading ``postings`` took ``seconds``."""
        if postings < LEARN_FROM:
            return
        rate = seconds / postings
        with self._lock:
            if generation != self._generation:
                if self._generation is not None and generation < self._generation:
                    return  # a search of a generation already replaced
                self._generation, self._rates = generation, {}
            old = self._rates.get(kind)
            if old is None and len(self._rates) >= KINDS_KEPT:
                return
            self._rates[kind] = rate if old is None else old + WEIGHT * (rate - old)
