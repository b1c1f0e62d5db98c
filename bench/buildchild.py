"""The build process :func:`bench.builds.measure` runs and measures.

``python -m bench.buildchild SYSTEM CORPUS OUT`` builds ``CORPUS`` into ``OUT`` with
``SYSTEM`` (``project``, or a peer of :mod:`bench.peers`) and prints what it built as
JSON on its last line.  A module of its own, so that :mod:`bench.builds` (which
:mod:`bench.peers` uses) need not import the peers.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_shown = [0.0]  # when the child last printed its progress


def _progress(done: int, total: int) -> None:
    now = time.monotonic()
    if now - _shown[0] >= 5 or done >= total:
        _shown[0] = now
        print(f"  {done:,}/{total:,} documents", file=sys.stderr, flush=True)


def _child(system: str, corpus: Path, out: Path) -> dict[str, Any]:
    if system == "project":
        import shutil

        from indexer.build import build_index

        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        info = build_index(corpus, out, progress=_progress)
        seconds = time.perf_counter() - started
        return {"documents": info.documents, "seconds": round(seconds, 2)}
    from bench import peers

    return peers.build(system, corpus, out)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.buildchild SYSTEM CORPUS OUT``: build, print the figures as JSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print(
            "usage: python -m bench.buildchild {project,tantivy,fts5} CORPUS OUT", file=sys.stderr
        )
        return 2
    print(json.dumps(_child(args[0], Path(args[1]), Path(args[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
