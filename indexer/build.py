"""Atomic index builds.

An index directory holds numbered generations and a ``current`` symbolic link (the
names are :mod:`indexer.layout`'s, which the serving side reads without this module)::

    var/index/current -> gen-000004
    var/index/gen-000004/   (Whoosh segment files, one file per part, and meta.json)
    var/index/gen-000003/   (kept for readers still using it)

A build validates the corpus first (a bad corpus leaves the directory untouched),
writes a new generation beside the old ones, then swaps ``current`` with one
``rename`` (atomic on POSIX): a reader sees the old index or the new one, never half
of one.  ``meta.json`` in each generation carries what the search side needs besides
the Whoosh index (topics, glossary) so that they change together with it, and lists
every file of the generation with its size and checksum (the manifest the search side
checks).  Before the manifest is made, the build derives from the index it has just
written what serving would otherwise compute on first use (per-document columns, field
lengths, the documents of every glossary name's phrase) and writes it beside the
segments as memory-mappable arrays (:mod:`indexer.derived`), listed in the manifest too.
Checksumming the files, it records the ``stat`` of each in ``verified.json`` (not in the
manifest), so that opening the generation hashes only the files changed since
(:mod:`indexer.manifest`; renaming ``gen-N.tmp`` to ``gen-N`` leaves its files' ``stat``
as it was).

Segments are written as separate files, not Whoosh's single compound file: a searcher
on a compound file copies its postings and stored fields into memory (``BufferFile``
over a ``BytesIO``), once per thread, where separate files are read in place.  Large
corpora are indexed by one writer process per CPU, each writing its own segment; the
segments are not merged (Whoosh's merge is a third of a large build and searching a
few segments costs about the same as searching one).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import multiprocessing.util
import os
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from indexer import schema
from indexer.analysis import normalise_word, plain_analyzer
from indexer.corpus import Corpus, Report, load_corpus
from indexer.derived import write_derived
from indexer.fulltext import FullTextInfo, extract_all, write_passages
from indexer.layout import CURRENT, META, PASSAGES, current_generation, read_meta
from indexer.manifest import VERIFIED, Stamper, check_files, read_manifest
from indexer.months import report_months

LOCK = ".lock"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
KEEP_GENERATIONS = 3
WRITER_MB = 256  # memory for sorting postings, per writer process
PARALLEL_FROM = 5000  # documents; below this, starting writer processes costs more than it saves
PARALLEL_BATCH = 100  # documents handed to a writer process at a time
# Source files whose change alters what is indexed: a change makes the index stale.
_ANALYSIS_SOURCES = (
    "analysis.py",
    "months.py",
    "stemmer_be.py",
    "translit.py",
    "schema.py",
    "build.py",
    "derived.py",
    "fulltext.py",
)

Progress = Callable[[int, int], None]
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
    here = Path(__file__).parent
    for name in _ANALYSIS_SOURCES:
        digest.update((here / name).read_bytes())
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


class _Lifeline:
    """Makes each writer process forked while it lives die with the building process.

    Whoosh's parallel writer forks ``multiprocessing`` processes that would outlive a
    killed parent (adopted by PID 1, waiting for work forever).  In each child, Linux's
    parent-death signal is set to SIGKILL.
    """

    def __init__(self) -> None:
        self.parent = os.getpid()
        multiprocessing.util.register_after_fork(self, _Lifeline.attach)

    def attach(self) -> None:
        """In a forked child: be killed when the parent dies (or exit if it already has)."""
        libc = ctypes.CDLL(None, use_errno=True)
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != self.parent:
            os._exit(1)


def _next_generation(out_dir: Path) -> int:
    numbers = [0]
    for child in out_dir.glob("gen-*"):
        with contextlib.suppress(ValueError):
            numbers.append(int(child.name.split("-")[1].split(".")[0]))
    return max(numbers) + 1


def _documents(report: Report) -> Iterator[dict]:
    for lang in report.langs:
        text = report.summaries[lang]
        yield {
            schema.ID_FIELD: report.doc_id(lang),
            **schema.report_fields(report, lang),
            schema.PERIOD_START: report.period_start,
            schema.PERIOD_END: report.period_end,
            schema.MONTHS: ",".join(
                report_months(report.period_start, report.period_end, report.date)
            ),
            schema.PROVENANCE: text.provenance_note,
            schema.TRANSLATED: text.translated,
            schema.title_field(lang): text.title,
            schema.summary_field(lang): text.summary,
            schema.key_field(lang): f"{text.title}\n{text.summary}",
        }


def _texts(corpus: Corpus) -> Iterator[str]:
    """The text of each document whose words the spelling corrector may suggest."""
    for report in corpus.reports:
        for text in report.summaries.values():
            yield f"{text.title}\n{text.summary}"


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each word occurs in ``texts``, words as the plain analyser gives them.

    Equal to counting ``analysis.words(text)`` over every text, at a fraction of the cost:
    the analyser's own token pattern finds the raw tokens (in C), and each distinct
    token is normalised once.
    """
    tokens = plain_analyzer()[0].expression
    raw: Counter[str] = Counter()
    for text in texts:
        raw.update(tokens.findall(text))
    counts: Counter[str] = Counter()
    for token, n in raw.items():
        word = normalise_word(token)
        if word:
            counts[word] += n
    return counts


def generation_files(directory: Path) -> dict[str, int]:
    """Each index file of a generation with its size, recorded in ``meta.json``.

    The search side checks them when it opens the generation: with one file per part of
    a segment, a missing or truncated column would otherwise be read as default values.
    """
    return {
        p.name: p.stat().st_size
        for p in sorted(directory.iterdir())
        if p.is_file()
        and p.name not in (META, VERIFIED)
        and not p.name.startswith(".")
        and not p.name.endswith("WRITELOCK")
    }


def _write_manifest(directory: Path, meta: dict) -> None:
    """Record each file's checksum in ``meta`` and write ``meta.json``, with the files'
    verified stamps (:mod:`indexer.manifest`) so that opening the generation does not
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


def _writer_options(documents: int) -> dict:
    options: dict = {"limitmb": WRITER_MB, "compound": False}
    cpus = len(os.sched_getaffinity(0))
    if documents >= PARALLEL_FROM and cpus > 1:
        options |= {"procs": cpus, "multisegment": True, "batchsize": PARALLEL_BATCH}
    return options


def _stop_writer_processes(writer) -> None:
    # Whoosh's MpWriter.cancel() only flags its worker processes in the parent, where
    # they never see it: they would wait for work forever and hang the interpreter's exit.
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join()


def write_index(corpus: Corpus, directory: Path, progress: Progress | None = None) -> int:
    """Write a Whoosh index of ``corpus`` into the empty ``directory``; returns the doc count.

    ``progress(done, total)`` is called as documents are added; ``done == total`` comes
    once, just before Whoosh writes the segments (a large part of a big build).
    """
    total = sum(len(report.summaries) for report in corpus.reports)
    ix = whoosh_index.create_in(str(directory), schema.build_schema())
    with _writers_die_with_parent():
        return _write(corpus, ix, total, progress)


@contextlib.contextmanager
def _writers_die_with_parent() -> Iterator[_Lifeline]:
    lifeline = _Lifeline()  # referenced by this frame while the block runs
    yield lifeline


def _write(corpus: Corpus, ix, total: int, progress: Progress | None) -> int:
    writer = ix.writer(**_writer_options(total))
    # The whole vocabulary goes into the first document (see schema.Vocabulary).
    spelling = {schema.SPELLING: count_words(_texts(corpus))}
    count = 0
    try:
        for report in corpus.reports:
            for doc in _documents(report):
                writer.add_document(**doc, **spelling)
                spelling = {}
                count += 1
                if progress is not None and count % 3000 == 0 and count < total:
                    progress(count, total)
        if progress is not None:
            progress(count, total)
        writer.commit()
    except BaseException:
        _stop_writer_processes(writer)
        writer.cancel()
        raise
    return count


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
    :class:`~indexer.fulltext.FullTextError` naming the file when a full-report PDF cannot
    be read (before anything is written).  With ``if_stale`` nothing is built when the
    current generation was built from the same corpus and analysis code.  Concurrent
    builds are serialised by a lock; what a killed build left (its lock, its temporary
    generation) is cleaned up and reported through ``notice`` (default: the log).
    """
    notice = notice or _log.warning
    started = time.perf_counter()
    corpus = load_corpus(corpus_dir)
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
            documents = write_index(corpus, tmp, progress)
            meta = _meta(corpus, generation, corpus_fingerprint, documents)
            meta["derived"] = write_derived(tmp, [t.id for t in corpus.topics], corpus.glossary)
            fulltext = write_passages(corpus, texts, tmp, meta)
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
