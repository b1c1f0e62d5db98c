"""Where the seconds and the memory of ``iapb-index build`` go: a phase table.

    python -m bench.buildprofile CORPUS [--out DIR] [--procs N] [--cprofile DIR]

Runs :func:`indexer.build.build_index` on ``CORPUS`` into ``--out`` (default: a
temporary directory, removed after) with each phase timed: the functions the build
calls are wrapped here, nothing in the build changes.  The phases:

- ``load corpus``: reading and validating the YAML (:func:`indexer.corpus.load.load_corpus`);
- ``fingerprint``: hashing the corpus files and the analysis code;
- ``spelling``: counting the words of every text for the spelling field, in a build
  before the writers counted them as they index (not shown when the build has no pass
  of its own);
- ``add documents``: the loop handing documents to the writer (with writer processes,
  the building process's waits for them; in one process, the analysis and the posting
  pool);
- ``commit``: the writers finishing (sorting postings, writing the segments);
- ``derived: *``: :func:`indexer.engine.derived.write_derived` (columns, field lengths, term
  arrays, word table, glossary phrases, the glossary tables);
- ``passages``: the full reports' passage index; ``manifest``: hashing every file.

Peak memory is sampled every 100 ms from ``/proc`` for the whole process tree by
:class:`bench.builds.TreeMemory`, the poller ``make bench`` times builds with (the
building process and every writer process it forked, summed): ``/usr/bin/time -v``
reports the largest single process only.  The summed RSS counts the pages a forked
writer shares with the building process (the corpus it inherited) once per process;
the summed PSS shares them out, and is what the tree takes from the machine.

``--procs 1`` forces one process (the analysis then shows in ``add documents``);
``--cprofile DIR`` writes a ``cProfile`` of the parent and of each writer process into
``DIR`` and prints the top functions.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from bench.builds import TreeMemory
from indexer import glossary as glossary_module
from indexer.build import generations, workers
from indexer.engine import derived


class Phases:
    """Wall seconds per phase, accumulated by wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.order: list[str] = []

    @contextlib.contextmanager
    def timing(self, name: str) -> Iterator[None]:
        if name not in self.order:
            self.order.append(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def wrap(self, owner, attr: str, name: str) -> None:
        original = getattr(owner, attr, None)
        if original is None:  # another version of the build: not there to time
            return

        def timed(*args, **kwargs):
            with self.timing(name):
                return original(*args, **kwargs)

        setattr(owner, attr, timed)


def _instrument(phases: Phases) -> None:
    phases.wrap(generations, "load_corpus", "load corpus")
    phases.wrap(generations, "fingerprint", "fingerprint")
    phases.wrap(workers, "count_words", "spelling")
    phases.wrap(generations, "extract_all", "full reports (PDF text)")
    phases.wrap(derived, "read_columns", "derived: columns")
    phases.wrap(derived, "field_lengths", "derived: field lengths")
    phases.wrap(derived, "glossary_phrases", "derived: glossary phrases")
    phases.wrap(derived, "phrase_documents", "derived: glossary phrases")
    phases.wrap(derived, "write_term_postings", "derived: term arrays")
    phases.wrap(derived, "write_word_table", "derived: word table")
    phases.wrap(glossary_module.Glossary, "tables", "derived: glossary tables")
    phases.wrap(generations, "write_passages", "passages")
    phases.wrap(generations, "file_checksum", "manifest (checksums)")
    phases.wrap(generations, "_write_manifest", "manifest (checksums)")
    # The writer: from its start to progress(total, total), which comes just before the
    # segments are written ("add documents", less the spelling count inside it), then
    # to its end ("commit").
    original_write = generations.write_index

    def write_index(corpus, directory, progress=None, *args, **kwargs):
        phases.order.extend(["add documents", "commit"])
        started, spelling = time.perf_counter(), phases.seconds["spelling"]
        marks: list[float] = []

        def mark(done: int, total: int) -> None:
            if done >= total and not marks:
                marks.append(time.perf_counter())

        try:
            return original_write(corpus, directory, mark, *args, **kwargs)
        finally:
            ended = time.perf_counter()
            adding = (marks[0] if marks else ended) - started
            phases.seconds["add documents"] += adding - (phases.seconds["spelling"] - spelling)
            phases.seconds["commit"] += ended - (marks[0] if marks else ended)

    generations.write_index = write_index


def _profile_children(directory: Path) -> None:
    """Make each writer process write a cProfile of its run into ``directory``."""
    original = getattr(workers, "_worker", None)
    if original is None:  # another version of the build
        return

    def worker(*args, **kwargs):
        profile = cProfile.Profile()
        profile.enable()
        try:
            original(*args, **kwargs)
        finally:
            profile.disable()
            profile.dump_stats(directory / f"writer-{os.getpid()}.prof")

    workers._worker = worker


def _print_profile(paths: list[Path], title: str, limit: int = 25) -> None:
    if not paths:
        return
    stats = pstats.Stats(*(str(p) for p in paths), stream=sys.stdout)
    print(f"\n## {title}: top functions by internal time")
    stats.sort_stats("tottime").print_stats(limit)
    print(f"\n## {title}: top functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(limit)


def profile_build(
    corpus: Path, out: Path, procs: int | None = None, cprofile: Path | None = None
) -> dict:
    """Build ``corpus`` into ``out`` with the phases timed; returns the figures."""
    phases = Phases()
    _instrument(phases)
    if procs == 1:
        workers.PARALLEL_FROM = sys.maxsize
    elif procs:
        workers.os.sched_getaffinity = lambda _pid: set(range(procs))
    if cprofile is not None:
        cprofile.mkdir(parents=True, exist_ok=True)
        _profile_children(cprofile)
    profile = cProfile.Profile() if cprofile is not None else None
    with TreeMemory(os.getpid(), interval=0.1, pss=True) as sampler:
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        info = generations.build_index(corpus, out)
        if profile is not None:
            profile.disable()
            profile.dump_stats(cprofile / "parent.prof")
        total = time.perf_counter() - started
    return {
        "documents": info.documents,
        "total": total,
        "phases": [(name, phases.seconds[name]) for name in phases.order],
        "peak_tree_mb": sampler.peak_kb / 1024,
        "peak_parent_mb": sampler.peak_root_kb / 1024,
        "peak_pss_mb": sampler.peak_pss_kb / 1024,
    }


def format_table(result: dict) -> str:
    total = result["total"]
    lines = [
        f"build of {result['documents']} documents: {total:.1f} s, peak RSS "
        f"{result['peak_tree_mb']:.0f} MB (process tree), "
        f"{result['peak_parent_mb']:.0f} MB (building process), "
        f"PSS {result['peak_pss_mb']:.0f} MB (process tree)",
        "",
        "| phase | s | % |",
        "|---|---:|---:|",
    ]
    accounted = 0.0
    for name, seconds in result["phases"]:
        accounted += seconds
        lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f} |")
    rest = total - accounted
    lines.append(f"| other | {rest:.2f} | {100 * rest / total:.0f} |")
    lines.append(f"| **total** | {total:.2f} | 100 |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, help="index directory (default: temporary)")
    parser.add_argument("--procs", type=int, help="writer processes (1: none)")
    parser.add_argument("--cprofile", type=Path, help="write cProfile files into this dir")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="buildprofile-"))
    try:
        result = profile_build(args.corpus, out, args.procs, args.cprofile)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(format_table(result))
    if args.cprofile is not None:
        _print_profile([args.cprofile / "parent.prof"], "building process")
        _print_profile(sorted(args.cprofile.glob("writer-*.prof")), "writer processes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
