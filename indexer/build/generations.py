"""Index generations: the build's lock, its staleness check, and the atomic swap.

An index directory holds numbered generations and a ``current`` symbolic link (the
names are :mod:`indexer.engine.layout`'s, which the serving side reads without the
build)::

    var/index/current -> gen-000004
    var/index/gen-000004/   (Whoosh segment files, one file per part, and meta.json)
    var/index/gen-000003/   (kept for readers still using it)

A build validates the corpus first (a bad corpus leaves the directory untouched),
writes a new generation beside the old ones (:mod:`indexer.build.workers`, through the
segment writer of :mod:`indexer.build.writer`), then swaps ``current`` with one
``rename`` (atomic on POSIX): a reader sees the old index or the new one, never half
of one.  ``meta.json`` in each generation carries what the search side needs besides
the Whoosh index (topics, glossary) so that they change together with it, and lists
every file of the generation with its size and checksum (the manifest the search side
checks).  Before the manifest is made, the build derives from the index it has just
written what serving would otherwise compute on first use (per-document columns, field
lengths, the documents of every glossary name's phrase) and writes it beside the
segments as memory-mappable arrays (:mod:`indexer.engine.derived`), listed in the
manifest too.  Checksumming the files, it records the ``stat`` of each in
``verified.json`` (not in the manifest), so that opening the generation hashes only the
files changed since (:mod:`indexer.engine.manifest`; renaming ``gen-N.tmp`` to ``gen-N``
leaves its files' ``stat`` as it was).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer import morph_ru
from indexer.build.workers import Progress, early_writers, write_index
from indexer.build.writer import WHOOSH_READS
from indexer.corpus.load import Corpus, load_corpus, parse_reports
from indexer.engine.derived import write_derived
from indexer.engine.layout import CURRENT, META, PASSAGES, current_generation, read_meta
from indexer.engine.manifest import Stamper, check_files, generation_files, read_manifest
from indexer.engine.termpostings import CHUNKS
from indexer.figures.loading import load_figures
from indexer.fullreports.extraction import FullTextInfo, extract_all, write_passages

LOCK = ".lock"
KEEP_GENERATIONS = 3
# Source files whose change alters what is indexed: a change makes the index stale.
_ANALYSIS_SOURCES = (
    "analysis.py",
    "months.py",
    "dates.py",
    "seasons.py",
    "stemmer_be.py",
    "morph_ru.py",
    "translit.py",
    "schema.py",
    "build/generations.py",
    "build/workers.py",
    "build/writer.py",
    "engine/derived.py",
    "engine/termpostings.py",
    "engine/wordtable.py",
    "fullreports/extraction.py",
    "corpus/pdftext.py",
    # The figures stored in meta.json: how numbers are read and quotations cut.
    "figures/numbers.py",
    "figures/loading.py",
    "figures/quotes.py",
    "figures/model.py",
)

Notice = Callable[[str], None]
# Record locks belong to a process: builds from threads of one process queue here first.
_IN_PROCESS = threading.Lock()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildInfo:
    """What a build produced."""

    path: Path
    generation: int
    documents: int
    reports: int
    seconds: float
    built: bool = True
    fulltext: FullTextInfo | None = None  # the full-report PDFs indexed (page by page)


def fingerprint(corpus_dir: str | Path) -> str:
    """A hash of the corpus files (full-report PDFs included) and of the analysis code.

    Equal fingerprints mean the index is fresh.
    """
    digest = hashlib.sha256()
    root = Path(corpus_dir)
    for path in sorted([*root.rglob("*.yaml"), *root.rglob("*.pdf")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    here = Path(__file__).parent.parent  # indexer/
    for name in _ANALYSIS_SOURCES:
        digest.update((here / name).read_bytes())
    # The Russian terms are the dictionary's lemmas: a new dictionary is new analysis.
    digest.update(morph_ru.dictionary_version().encode())
    return digest.hexdigest()


def is_stale(corpus_dir: str | Path, out_dir: str | Path) -> bool:
    """True when the index is missing or was built from another corpus or analysis code."""
    gen = current_generation(out_dir)
    if gen is None:
        return True
    try:
        return read_meta(gen).get("fingerprint") != fingerprint(corpus_dir)
    except (OSError, ValueError):
        return True


@contextlib.contextmanager
def _build_lock(out_dir: Path, notice: Notice) -> Iterator[None]:
    """Hold the build lock of ``out_dir`` (builds of one directory run one at a time).

    A POSIX record lock (``fcntl.lockf``): the kernel releases it when the process that
    holds it dies, however it dies, and forked writer processes do not share it (an
    ``flock`` is shared by every process that inherits the file).  The holder writes its
    process id into the file and clears it when done: an id found there by the next
    holder is the trace of a build that was killed, and is reported.
    """
    with _IN_PROCESS, open(out_dir / LOCK, "a+", encoding="ascii") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            notice(f"waiting for the build running as process {_holder(handle)} to finish")
            fcntl.lockf(handle, fcntl.LOCK_EX)
        stale = _holder(handle)
        if stale:
            notice(f"breaking the stale build lock of process {stale}, which no longer runs")
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.lockf(handle, fcntl.LOCK_UN)


def _holder(handle) -> str:
    handle.seek(0)
    return handle.read().strip()


def _remove_leftovers(out_dir: Path, notice: Notice) -> None:
    """Delete what an interrupted build left (only called with the build lock held)."""
    for tmp in sorted(out_dir.glob("gen-*.tmp")):
        shutil.rmtree(tmp, ignore_errors=True)
        notice(f"removed {tmp.name}, left by an interrupted build")
    for link in out_dir.glob(f".{CURRENT}.*"):
        with contextlib.suppress(FileNotFoundError):
            link.unlink()


def _next_generation(out_dir: Path) -> int:
    numbers = [0]
    for child in out_dir.glob("gen-*"):
        with contextlib.suppress(ValueError):
            numbers.append(int(child.name.split("-")[1].split(".")[0]))
    return max(numbers) + 1


def _write_manifest(directory: Path, meta: dict) -> None:
    """Record each file's checksum in ``meta`` and write ``meta.json``, with the files'
    verified stamps (:mod:`indexer.engine.manifest`) so that opening the generation does not
    hash them again; the passage index's files are stamped too."""
    with Stamper(directory) as stamper:
        meta["checksums"] = {name: stamper.checksum(name) for name in meta["files"]}
        raw = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
        (directory / META).write_bytes(raw)
        stamper.save(raw)
    passages = directory / PASSAGES
    if (passages / META).exists():
        check_files(passages, *read_manifest(passages), trust_stamps=False)


def _meta(corpus: Corpus, generation: int, corpus_fingerprint: str, documents: int) -> dict:
    return {
        "generation": generation,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fingerprint": corpus_fingerprint,
        "documents": documents,
        "reports": len(corpus.reports),
        "topics": [
            {
                "id": t.id,
                "labels": {k.value: v for k, v in t.labels.items()},
                "descriptions": {k.value: v for k, v in t.descriptions.items()},
            }
            for t in corpus.topics
        ],
        "glossary": [
            {
                "id": c.id,
                "kind": c.kind,
                "names": {k.value: list(v) for k, v in c.names.items()},
                "homonyms": {k.value: list(v) for k, v in c.homonyms.items()},
            }
            for c in corpus.glossary
        ],
    }


def build_index(
    corpus_dir: str | Path,
    out_dir: str | Path,
    *,
    if_stale: bool = False,
    progress: Progress | None = None,
    notice: Notice | None = None,
) -> BuildInfo:
    """Validate the corpus, build a new generation and make it current atomically.

    Raises :class:`~indexer.errors.CorpusError` before anything is written when the corpus
    is invalid, ``OSError`` (with the path) when the directory cannot be written, and
    :class:`~indexer.corpus.pdftext.FullTextError` naming the file when a
    full-report PDF cannot be read (before anything is written).  With ``if_stale``
    nothing is built when the current generation was built from the same corpus and
    analysis code.  Concurrent
    builds are serialised by a lock; what a killed build left (its lock, its temporary
    generation) is cleaned up and reported through ``notice`` (default: the log).
    """
    notice = notice or _log.warning
    started = time.perf_counter()
    with early_writers(Path(corpus_dir)) as writers:
        return _build(corpus_dir, out_dir, if_stale, progress, notice, started, writers)


def _build(corpus_dir, out_dir, if_stale, progress, notice, started, writers) -> BuildInfo:
    corpus = load_corpus(corpus_dir, parse=writers.parse if writers else parse_reports)
    figures = load_figures(corpus_dir, corpus)  # checked against the texts, or CorpusError
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    corpus_fingerprint = fingerprint(corpus_dir)
    with _build_lock(out, notice):
        _remove_leftovers(out, notice)
        current = current_generation(out)
        if if_stale and current is not None and not is_stale(corpus_dir, out):
            meta = read_meta(current)
            return BuildInfo(
                current, meta["generation"], meta["documents"], meta["reports"], 0.0, built=False
            )
        texts = extract_all(corpus)
        generation = _next_generation(out)
        name = f"gen-{generation:06d}"
        tmp = out / f"{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            # The reports' texts are needed no more once the writers have them.
            documents = write_index(corpus, tmp, progress, writers, keep_texts=False)
            meta = _meta(corpus, generation, corpus_fingerprint, documents)
            meta["figures"] = figures.as_meta()
            topic_ids = [t.id for t in corpus.topics]
            meta["derived"] = write_derived(
                tmp, topic_ids, corpus.glossary, WHOOSH_READS, chunks=tmp / CHUNKS
            )
            shutil.rmtree(tmp / CHUNKS, ignore_errors=True)
            fulltext = write_passages(corpus, texts, tmp, meta, WHOOSH_READS)
            meta["files"] = generation_files(tmp)
            _write_manifest(tmp, meta)
            os.replace(tmp, out / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        link_tmp = out / f".{CURRENT}.{os.getpid()}"
        os.symlink(name, link_tmp)
        os.replace(link_tmp, out / CURRENT)
        _prune(out, keep=KEEP_GENERATIONS)
    seconds = time.perf_counter() - started
    return BuildInfo(
        out / name, generation, documents, len(corpus.reports), seconds, fulltext=fulltext
    )


def _prune(out: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` generations (readers of old ones may linger)."""
    generations = sorted(p for p in out.glob("gen-*") if p.is_dir() and not p.name.endswith("tmp"))
    for old in generations[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
