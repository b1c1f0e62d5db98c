"""The index in service: opened once per process, refreshed when a new generation appears.

:class:`SearchIndex` follows the ``current`` link of an index directory (see
:mod:`indexer.build`).  Each generation is opened once; its per-document facet columns,
field lengths and glossary phrases are read into memory from the arrays the build
derived (:mod:`indexer.engine.derived`, never memory-mapped; a generation built before
them is refused, "rebuild the index", a 503 on the server); each thread gets its own
Whoosh searcher on it.  Opening checks every file against the generation's manifest: its
size, and its SHA-256 unless its ``stat`` still matches the one recorded when it was
last hashed
(:mod:`indexer.engine.manifest`).  Searches are cached per generation, so a rebuild
invalidates the cache by construction.

Searchers hold open files, and a generation is retired while other threads may still
be searching it, so nothing closes a searcher under its thread: a thread closes its own
searcher on the old generation when it next asks for the current one (its previous
search is over by then), and a generation no longer referenced by anyone (so searched
by no one) closes the searchers left, those of threads that never came back.
"""

from __future__ import annotations

import functools
import os
import pickle
import struct
import threading
import weakref
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer.corpus.load import GlossaryConcept, Topic
from indexer.engine.derived import RebuildNeeded, open_derived
from indexer.engine.layout import CURRENT, META, PASSAGES, file_checksum
from indexer.engine.lru import LRUCache
from indexer.engine.manifest import (
    check_files,
    meta_digest,
    read_manifest,
    stamp_of,
    verify_generation,
)
from indexer.engine.matching import Postings
from indexer.engine.ranking import Versions
from indexer.errors import IndexUnavailable
from indexer.figures.answer import FigureBook
from indexer.glossary import Glossary
from indexer.languages import Lang

# What a damaged or half-deleted file raises when read (short reads, truncated pickles,
# garbage where compressed data or a structure was expected): a search or a document
# read that raises one of these is damage (see ``search._reading``).
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    struct.error,
    pickle.UnpicklingError,
    zlib.error,
)
# Opening a generation also reads its table of contents and meta.json: a malformed one
# raises these too.  Caught at this boundary only, and turned into IndexUnavailable.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    *READ_ERRORS,
    ValueError,
    KeyError,
    IndexError,
    whoosh_index.IndexError,
)
FileStamps = dict[str, tuple[int, int, int, int]]  # name -> (size, mtime_ns, inode, ctime_ns)
RESULT_CACHE_SIZE = 2048
SEARCH_TIME_LIMIT = 2.0  # seconds one search may take before it answers with partial results
PLAN_CACHE_SIZE = 1024  # parsed queries kept per index generation
# Bytes the caches may hold, whatever their entry counts allow (estimated sizes).
RESULT_CACHE_BYTES = 48 * 1024 * 1024
PLAN_CACHE_BYTES = 8 * 1024 * 1024


def _topic(data: dict[str, Any]) -> Topic:
    """A topic as ``meta.json`` records it (see ``indexer.build.generations._meta``)."""
    return Topic(
        data["id"],
        {Lang(k): v for k, v in data["labels"].items()},
        {Lang(k): v for k, v in data.get("descriptions", {}).items()},
    )


def _concept(data: dict[str, Any]) -> GlossaryConcept:
    """A glossary concept as ``meta.json`` records it (see ``indexer.build.generations._meta``)."""
    names = {Lang(k): tuple(v) for k, v in data["names"].items()}
    homonyms = {Lang(k): tuple(v) for k, v in data.get("homonyms", {}).items()}
    return GlossaryConcept(data["id"], data["kind"], names, homonyms)


def result_bytes(result: Any) -> int:
    """An estimate of the memory a cached :class:`SearchResult` holds, in bytes.

    Strings count 2 bytes a character (Cyrillic text is stored so); each hit, other
    language and facet value adds a fixed cost for its objects.
    """
    hits = sum(
        400 + 2 * (len(hit.snippet) + len(hit.title)) + 300 * len(hit.other_languages)
        for hit in result.hits
    )
    facets = sum(200 * len(values) for values in result.facets.values())
    timeline = 150 * len(result.timeline or ())
    return 2000 + hits + facets + timeline + 100 * len(result.expanded)


def plan_bytes(plan: Any) -> int:
    """An estimate of the memory a parsed query plan holds, in bytes."""
    words = sum(len(w) for w in plan.words) + sum(len(e) for e in plan.expanded)
    marks = sum(len(terms) for terms in plan.marks.values()) + len(plan.keys)
    marks += sum(len(p) for phrases in plan.phrases.values() for p in phrases)
    return 2000 + 400 * plan.clauses + 2 * words + 150 * marks


def plan_costs_bytes(costs: Any) -> int:
    """An estimate of the memory a plan's costs (``indexer.search.PlanCosts``) hold, in
    bytes (the leaves are the plan's own objects)."""
    return 200 + 100 * (len(costs.phrases) + len(costs.positional))


def _close_searchers(searchers: list[Searcher], lock: threading.Lock) -> None:
    with lock:
        for searcher in searchers:
            searcher.close()
        searchers.clear()


class Generation:
    """One opened index generation with its facet columns and per-thread searchers.

    What the query side derives from a generation lives and dies with it: ``plans``
    (parsed queries), ``costs`` (their postings, for cost estimates), ``postings``
    (postings arrays, see :mod:`indexer.engine.matching`) and ``glossary`` (the concepts
    indexed for matching, made on first use).
    """

    def __init__(self, path: Path) -> None:
        try:
            self.meta, raw = read_manifest(path)
            # Hashes only the files whose stat differs from the build's (or a previous
            # open's) verified stamp; see indexer.engine.manifest.
            stamps = check_files(path, self.meta, raw)
            self._stamps: FileStamps = dict(stamps)
            # The manifest itself: truncated, deleted or replaced while serving is damage
            # too (read above, so its stat now is the one of the bytes read, or newer).
            self._stamps[META] = stamp_of(os.stat(path / META))
            self._meta_digest = meta_digest(raw)
            # Each file's path as a string: verify() stats them before every search.
            self._files = {name: os.path.join(path, name) for name in self._stamps}
            self.ix = whoosh_index.open_dir(str(path))
            self._load_columns(path)
        except RebuildNeeded as exc:
            raise IndexUnavailable(
                "the index was built by an older version: rebuild the index (iapb-index build)",
                str(exc),
            ) from exc
        except DAMAGE_ERRORS as exc:
            raise IndexUnavailable(
                "the index is damaged", f"cannot open index generation {path}: {exc!r}"
            ) from exc
        self.path = path
        self.number: int = int(self.meta["generation"])
        self.plans = LRUCache(PLAN_CACHE_SIZE, PLAN_CACHE_BYTES, plan_bytes)
        # Per plan: its leaves with their postings, for cost estimates (indexer.search).
        self.costs = LRUCache(PLAN_CACHE_SIZE, PLAN_CACHE_BYTES, plan_costs_bytes)
        self.postings = Postings(self.derived)
        self._glossary: Glossary | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._searchers: list[Searcher] = []
        self._glossary_lock = threading.Lock()
        self._passages: PassageIndex | None | bool = False  # False: not opened yet
        self.content_checked = False  # see SearchIndex.check_content
        # Runs when the generation is closed or no longer referenced (nobody can be
        # searching it then), and at exit: the searchers' files are closed, not leaked.
        self._finalizer = weakref.finalize(self, _close_searchers, self._searchers, self._lock)

    def verify(self, names: Iterable[str] | None = None) -> None:
        """Check cheaply that no file of this generation changed since it was opened.

        Compares each file's size, modification time, inode and change time (of
        ``names``, default all, ``meta.json`` included) with those seen (and checksummed)
        when the generation was opened.  The change time is what catches an overwrite in
        place that keeps the size and sets the modification time back (``rsync -a
        --inplace``): no tool can set it back.  But a hard link made or removed (a
        generation of links to this one's files, its pruning), a ``chmod`` or a ``touch``
        back also move it: when the change time alone moved, the file is hashed (once)
        against what was verified, and taken as it is when the bytes are the same.
        Raises :class:`IndexUnavailable` naming the first changed file in its ``detail``.
        """
        stamps = self._stamps if names is None else {n: self._stamps[n] for n in names}
        for name, stamp in stamps.items():
            try:
                now = stamp_of(os.stat(self._files[name]))
            except OSError as exc:
                now = None
                problem = f"{exc.strerror}"
            else:
                problem = "changed since it was opened"
                if now != stamp and now[:3] == stamp[:3] and self._same_bytes(name):
                    self._stamps[name] = now
                    continue
            if now != stamp:
                raise IndexUnavailable(
                    "the index is damaged",
                    f"index generation {self.path}: {name} {problem}",
                )

    def _same_bytes(self, name: str) -> bool:
        """Whether file ``name`` still has the bytes verified when the generation opened
        (its SHA-256: the manifest's, or for ``meta.json`` the one read then)."""
        expected = self._meta_digest if name == META else self.meta.get("checksums", {}).get(name)
        if expected is None:
            return False
        try:
            if name == META:
                with open(self._files[name], "rb") as handle:
                    return meta_digest(handle.read()) == expected
            return file_checksum(Path(self._files[name])) == expected
        except OSError:
            return False

    def verify_mapped(self) -> None:
        """:meth:`verify` for ``meta.json`` and the derived structures only, the files
        checked before each use of the generation (a ``stat`` each): a changed one is
        damage like any other."""
        self.verify([META])
        self.verify(self.derived.files)
        passages = self._passages
        if passages:
            passages.generation.verify_mapped()

    @property
    def glossary(self) -> Glossary:
        """The generation's glossary indexed for matching query words, made once from the
        tables the build derived (every name already analysed)."""
        with self._glossary_lock:
            if self._glossary is None:
                self._glossary = Glossary.from_tables(self.concepts, self.derived.glossary_tables)
            return self._glossary

    @functools.cached_property
    def figures(self) -> FigureBook:
        """The figures the build stored with this generation (none before they
        existed), ready for answering questions (:mod:`indexer.figures.answer`)."""
        return FigureBook.from_meta(self.meta.get("figures"))

    @property
    def passages(self) -> PassageIndex | None:
        """The full reports' passage index of this generation, opened once; ``None`` when
        it was built without PDFs (see :mod:`indexer.fullreports.extraction` and
        :mod:`indexer.fullreports.passages`).
        """
        with self._glossary_lock:
            if self._passages is False:
                path = self.path / PASSAGES
                self._passages = PassageIndex(self, path) if (path / META).exists() else None
            return self._passages

    def _load_columns(self, path: Path) -> None:
        """The per-document columns, read from the derived structures the build wrote
        (see :mod:`indexer.engine.derived`; raises ``RebuildNeeded`` without them)."""
        self.topics: dict[str, Topic] = {t["id"]: _topic(t) for t in self.meta["topics"]}
        self.concepts = [_concept(c) for c in self.meta["glossary"]]
        self.topic_ids = list(self.topics)
        self.derived = open_derived(path, self.meta)
        if self.derived.topic_ids != self.topic_ids:
            raise ValueError("the derived columns were made for other topics")
        columns = self.derived.columns
        self.doc_count = self.derived.documents
        self.year_values = self.derived.year_values
        self.years = columns["years"]
        self.days = columns["days"]
        self.reports = columns["reports"]
        self.langs = columns["langs"]
        self.topic_matrix = columns["topics"]
        self.date_order = columns["date_order"]  # see derived.date_ranking
        self.date_rank = columns["date_rank"]
        self.versions = Versions(self.reports, self.langs, columns["report_order"])
        self.words = self.derived.words  # the words the build analysed, for snippets

    def searcher(self) -> Searcher:
        """This thread's searcher on this generation (Whoosh searchers are not shared).

        Raises :class:`IndexUnavailable` when the generation has been closed.
        """
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            with self._lock:
                if not self._finalizer.alive:
                    raise IndexUnavailable("the index is being replaced")
                searcher = self._local.searcher = self.ix.searcher()
                self._searchers.append(searcher)
        return searcher

    def release(self) -> None:
        """Close this thread's searcher, if it has one (the thread is done with it)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            return
        del self._local.searcher
        with self._lock:
            if searcher in self._searchers:
                self._searchers.remove(searcher)
                searcher.close()

    def close(self) -> None:
        """Close every thread's searcher: only when no thread is searching this generation."""
        self._finalizer()


class PassageIndex:
    """The passages of a generation's full reports: their own generation (same schema and
    analysers, a document per passage) and each passage's document in the main one."""

    def __init__(self, main: Generation, path: Path) -> None:
        self.generation = Generation(path)
        lookup = {
            (int(r), int(lang)): i
            for i, (r, lang) in enumerate(zip(main.reports, main.langs, strict=True))
        }
        pairs = zip(self.generation.reports, self.generation.langs, strict=True)
        self.parents = np.array(
            [lookup.get((int(r), int(lang)), -1) for r, lang in pairs], dtype=np.int64
        )


class SearchIndex:
    """The index directory in service; use :meth:`generation` for the current one.

    Construct it once per process.  It never raises on construction: when no index can be
    opened, :meth:`generation` raises :class:`IndexUnavailable` with the reason, and it is
    retried on the next call, so an index built later is picked up without a restart.

    A generation found damaged (it cannot be opened, a read fails on a file that changed,
    or :meth:`health` finds a changed file) is not served again: the newest older
    generation that opens intact is served in its place until a new build lands.
    """

    def __init__(
        self,
        directory: str | Path,
        cache_size: int = RESULT_CACHE_SIZE,
        time_limit: float = SEARCH_TIME_LIMIT,
    ) -> None:
        self.directory = Path(directory)
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._target: str | None = None
        self._damaged: dict[str, str] = {}  # generation directory name -> what is wrong
        self._held = threading.local()  # the generation this thread searched last
        self.cache = LRUCache(cache_size, RESULT_CACHE_BYTES, result_bytes)

    def _current_target(self) -> str:
        try:
            return os.readlink(self.directory / CURRENT)
        except FileNotFoundError:
            raise IndexUnavailable(
                "no index has been built yet (run: iapb-index build)",
                f"no index at {self.directory} (run: iapb-index build)",
            ) from None
        except OSError as exc:
            raise IndexUnavailable(
                "the index cannot be read", f"cannot read {self.directory / CURRENT}: {exc}"
            ) from exc

    def _open(self, target: str) -> Generation:
        """Open ``target``, or, when it is damaged, the newest older intact generation."""
        if target not in self._damaged:
            try:
                return Generation(self.directory / target)
            except IndexUnavailable as exc:
                self._damaged[target] = exc.detail
                first = exc
        else:
            first = IndexUnavailable("the index is damaged", self._damaged[target])
        older = sorted(
            (p.name for p in self.directory.glob("gen-*") if p.is_dir() and p.name < target),
            reverse=True,
        )
        for name in older:
            if name.endswith(".tmp") or name in self._damaged:
                continue
            try:
                return Generation(self.directory / name)
            except IndexUnavailable as exc:
                self._damaged[name] = exc.detail
        raise first

    def generation(self) -> Generation:
        """The current generation, reopened when the ``current`` link has moved.

        Call it once per search: the calling thread's searcher on the generation it
        searched before is closed here when that generation has been replaced.  While
        this thread has one pinned (:meth:`pin`), that one, unchecked.
        Raises :class:`IndexUnavailable` when neither the current generation nor an
        older one can be served.
        """
        pinned = getattr(self._held, "pinned", None)
        if pinned is not None:
            return pinned
        target = self._current_target()
        current = self._generation
        if current is None or target != self._target:
            with self._lock:
                if self._generation is None or target != self._target:
                    opened = self._open(target)
                    self._generation, self._target = opened, target
                    self.cache.clear()
                current = self._generation
        self.check(current, mapped=True)
        held = getattr(self._held, "generation", None)
        if held is not current:
            # The replaced generation stays open for the threads still searching it; its
            # last searchers close when it is no longer referenced (see Generation).
            if held is not None:
                held.release()
            self._held.generation = current
        return current

    def pin(self) -> Generation:
        """:meth:`generation`, kept for this thread until :meth:`unpin`: what a request
        is served from, checked once, whatever it asks of the index meanwhile (a web
        request pins it on first use and unpins it when done)."""
        self._held.pinned = None
        gen = self.generation()
        self._held.pinned = gen
        return gen

    def unpin(self) -> None:
        """Forget this thread's pinned generation (the next :meth:`generation` checks)."""
        self._held.pinned = None

    def check(self, gen: Generation, mapped: bool = False) -> None:
        """Verify ``gen``'s files (only ``meta.json`` and its memory-mapped ones with
        ``mapped``); when one changed, stop serving ``gen`` and raise.

        Raises :class:`IndexUnavailable`.  The next :meth:`generation` opens the
        generation again, which hashes each changed file against the manifest: a file
        only touched (``chmod``, ``touch``) is served again, a damaged one is not, and an
        older intact generation is served in its place, if there is one.
        """
        try:
            gen.verify_mapped() if mapped else gen.verify()
        except IndexUnavailable:
            with self._lock:
                if self._generation is gen:
                    self._generation = self._target = None
            raise

    def check_content(self, gen: Generation) -> None:
        """Hash every file of ``gen`` against its manifest, once per generation and
        process: for a read that failed in a way no ``stat`` explains (bytes changed on
        the medium without a write).  When a file differs, ``gen`` is damaged and is not
        served again; raises :class:`IndexUnavailable`.
        """
        with self._lock:
            if gen.content_checked:
                return
            gen.content_checked = True
        try:
            verify_generation(gen.path)
        except (OSError, ValueError) as exc:
            detail = f"index generation {gen.path}: {exc}"
            with self._lock:
                self._damaged[gen.path.name] = detail
                if self._generation is gen:
                    self._generation = self._target = None
            raise IndexUnavailable("the index is damaged", detail) from exc

    @property
    def damaged(self) -> dict[str, str]:
        """Generations found damaged in this process, with what is wrong (for the log)."""
        return dict(self._damaged)

    def close(self) -> None:
        """Close the searchers of the current generation (no search may be running)."""
        with self._lock:
            if self._generation is not None:
                self._generation.close()
            self._generation = self._target = None

    def health(self) -> dict[str, Any]:
        """Generation, document count and build time, after checking the files served.

        ``status`` is ``degraded`` while an older generation is served in place of a
        damaged current one; ``damaged`` names the generations found damaged.  A change
        found here is decided at once (the generation opened again, or an older one).
        Raises :class:`IndexUnavailable` when there is no index or no intact generation.
        """
        try:
            gen = self.generation()
            self.check(gen)
        except IndexUnavailable:
            # Found changed just now: the next opening decides (the same generation,
            # found intact, or an older one); raises again when none can be served.
            gen = self.generation()
            self.check(gen)
        return {
            "status": "ok" if gen.path.name == self._target_name() else "degraded",
            "generation": gen.number,
            "documents": gen.doc_count,
            "reports": gen.meta.get("reports"),
            "built_at": gen.meta.get("built_at"),
            "damaged": sorted(self._damaged),
        }

    def _target_name(self) -> str | None:
        try:
            return Path(self._current_target()).name
        except IndexUnavailable:
            return None
