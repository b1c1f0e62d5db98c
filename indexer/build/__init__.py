"""The build: a corpus into a new index generation, swapped in atomically.

:mod:`~indexer.build.generations` (lock, staleness, meta and manifest, swap, prune) runs
:mod:`~indexer.build.workers` (the parallel writer processes), which write through
:mod:`~indexer.build.writer` (the Whoosh segment writer).  The build's door is here.
"""

from indexer.build.generations import KEEP_GENERATIONS, BuildInfo, build_index, is_stale

__all__ = ["KEEP_GENERATIONS", "BuildInfo", "build_index", "is_stale"]
