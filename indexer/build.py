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
corpora are indexed by one writer process per CPU, each writing its own segment of a run
of consecutive reports sent to it in pickled batches; the writers are forked before the
corpus is loaded (and parse a share of its report files meanwhile), so that none of them
maps it (the resident memory of a process forked
after the load counts every page of the corpus it inherits); the segments are not merged
(Whoosh's merge is a third of a large build and searching a few segments costs about the
same as searching one).
The writer (:class:`_BuildWriter`) writes what Whoosh's own writer writes, with each
distinct token analysed once; ``python -m bench.buildprofile CORPUS`` shows where a
build's time and memory go.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import errno
import fcntl
import hashlib
import itertools
import json
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import shutil
import signal
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import FieldType
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from indexer import morph_ru, schema
from indexer.analysis import normalise_word, plain_analyzer, token_term
from indexer.corpus import Corpus, Parsed, Report, load_corpus, parse_reports
from indexer.derived import scored_fields, write_derived
from indexer.fulltext import FullTextInfo, extract_all, write_passages
from indexer.languages import ALL_LANGS
from indexer.layout import CURRENT, META, PASSAGES, current_generation, read_meta
from indexer.manifest import VERIFIED, Stamper, check_files, read_manifest
from indexer.months import report_months
from indexer.termpostings import CHUNKS, TermChunk, run_gaps, value_gaps

LOCK = ".lock"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
KEEP_GENERATIONS = 3
WRITER_MB = 256  # memory for sorting postings, per writer process
PARALLEL_FROM = 5000  # documents; below this, starting writer processes costs more than it saves
FEED_BATCH = 20  # reports sent to a writer process at a time (and between its progress reports)
PIPE_BYTES = 1 << 20  # the command pipe of a writer process holds a few batches
# Source files whose change alters what is indexed: a change makes the index stale.
_ANALYSIS_SOURCES = (
    "analysis.py",
    "months.py",
    "stemmer_be.py",
    "morph_ru.py",
    "translit.py",
    "schema.py",
    "build.py",
    "derived.py",
    "termpostings.py",
    "wordtable.py",
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
    return _normalised_counts(raw)


def _normalised_counts(raw: Counter[str]) -> Counter[str]:
    """Counts of raw tokens as counts of the words they normalise to (none empty)."""
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


def _processes(documents: int) -> int:
    cpus = len(os.sched_getaffinity(0))
    return cpus if documents >= PARALLEL_FROM and cpus > 1 else 1


_MISSING = object()
MEMO_WORDS = 1_000_000  # distinct tokens remembered per field and writer before starting over


class _FieldTerms:
    """``field.index(text)`` for a text field of :mod:`indexer.analysis`, analysing each
    distinct token once per build instead of once per occurrence.

    What Whoosh's ``Positions``/``Frequency`` formats produce from the analyser's token
    stream, computed from the tokenizer's matches: a token's position is its match's
    number (the filters drop tokens but never renumber them) and its term depends on
    the token alone (:func:`indexer.analysis.token_term`).  The values are encoded by the
    field's own format; ``tests/test_build.py`` checks the result against ``field.index``.
    """

    def __init__(self, field, term) -> None:
        self.findall = field.analyzer.items[0].expression.findall
        self.term = term
        self.memo: dict[str, bytes | None] = {}
        self.positions = type(field.format) is formats.Positions
        self.encode = field.format.encode if self.positions else None
        self.boost = field.format.field_boost

    @classmethod
    def of(cls, field) -> _FieldTerms | None:
        """The fast path of ``field``, or ``None`` when it has none (``field.index`` then)."""
        if type(field).index is not FieldType.index:  # a field that indexes in its own way
            return None
        if type(field.format) not in (formats.Positions, formats.Frequency):
            return None
        items = getattr(field.analyzer, "items", None)
        tokenizer = items[0] if items else None
        if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
            return None
        term = token_term(field.analyzer)
        return None if term is None else cls(field, term)

    def _term(self, token: str) -> bytes | None:
        if len(self.memo) >= MEMO_WORDS:
            self.memo.clear()
        word = self.term(token)
        found = self.memo[token] = None if word is None else word.encode("utf-8")
        return found

    def __call__(self, text: str) -> Iterator[tuple[bytes, int, float, bytes]]:
        """What ``field.index(text)`` gives."""
        return (item[:4] for item in self.terms(self.findall(text)))

    def terms(
        self, tokens: list[str], encoded: bool = True
    ) -> Iterator[tuple[bytes, int, float, bytes | None, list | None]]:
        """What ``field.index(text)`` gives, from the tokenizer's matches in ``text``,
        each term with its positions too (``None`` in a field without); without
        ``encoded``, a field's positions are not encoded as its values (``None``)."""
        memo = self.memo
        boost = self.boost
        if not self.positions:
            counts: dict[bytes, int] = {}
            for token in tokens:
                word = memo.get(token, _MISSING)
                if word is _MISSING:
                    word = self._term(token)
                if word is not None:
                    counts[word] = counts.get(word, 0) + 1
            for word, n in counts.items():
                yield word, n, float(n) * boost, pack_uint(n), None
            return
        found: dict[bytes, list[int]] = {}
        for pos, token in enumerate(tokens):
            word = memo.get(token, _MISSING)
            if word is _MISSING:
                word = self._term(token)
            if word is not None:
                poses = found.get(word)
                if poses is None:
                    found[word] = [pos]
                else:
                    poses.append(pos)
        encode = self.encode
        for word, poses in found.items():
            yield (
                word,
                len(poses),
                float(len(poses)) * boost,
                encode(poses) if encoded else None,
                poses,
            )


def _same_tokens(a: _FieldTerms | None, b: _FieldTerms | None) -> bool:
    """Whether two fields' fast paths find the same tokens in a text."""
    return a is not None and b is not None and _same_pattern(a.findall, b.findall)


def _same_pattern(a, b) -> bool:
    """Whether two ``findall`` methods are those of the same regular expression (an
    index's schema is unpickled: its patterns are equal, not always the same object)."""
    return (a.__self__.pattern, a.__self__.flags) == (b.__self__.pattern, b.__self__.flags)


# Whoosh keeps a document's field length as one byte; what its per-document reader gives back.
_LENGTH_OF_BYTE = [0] + [byte_to_length(code) for code in range(1, 256)]


class _TermPostings:
    """One term's postings in one segment, packed: documents, weights and values, or,
    where positions were given, the positions of each posting one after another, of
    which its value is made when it is written (:meth:`value_list`)."""

    __slots__ = ("docs", "weights", "values", "ends", "positions")

    def __init__(self, weights: str = "d") -> None:
        self.docs = array("I")
        self.weights = array(weights)
        self.values = bytearray()
        self.ends = array("I")
        self.positions: array | None = None

    def add(self, docnum: int, weight: float, value: bytes | None, positions=None) -> None:
        self.docs.append(docnum)
        self.weights.append(weight)
        if positions is not None:  # the value is made of them, weights are their counts
            if self.positions is None:
                self.positions = array("I")
            self.positions.extend(positions)
            return
        if value:
            self.values += value
        self.ends.append(len(self.values))

    def value_list(self, encode: Callable | None = None) -> list[bytes]:
        """The value of each posting: as given, or ``encode`` of its positions."""
        positions = self.positions
        if positions is not None:
            if encode is None:
                raise ValueError("postings kept as positions need their format's encode")
            bounds = [0, *itertools.accumulate(map(int, self.weights))]
            return [encode(positions[a:b]) for a, b in itertools.pairwise(bounds)]
        values, ends = bytes(self.values), self.ends
        return [values[a:b] for a, b in itertools.pairwise([0, *ends])]

    def chunk_args(self, positional: bool, values: list[bytes]) -> tuple:
        """The arguments of :meth:`TermChunk.add` after the term: documents, weights
        and, in a field with ``positional`` values, the position gaps (and their count
        per posting, when read from ``values``, the :meth:`value_list`)."""
        docs = np.frombuffer(self.docs, dtype=self.docs.typecode)
        weights = np.frombuffer(self.weights, dtype=self.weights.typecode)
        if not positional:
            return docs, weights
        if self.positions is not None:  # given with every posting, whose weight is its count
            positions = np.frombuffer(self.positions, dtype=self.positions.typecode)
            return docs, weights, run_gaps(positions, weights.astype(np.int64))
        return docs, weights, *value_gaps(values)


class _TermPool:
    """The postings of a segment being written, grouped by field and term.

    Whoosh's ``PostingPool`` keeps a tuple per posting, sorts them all and, past its
    memory limit, pickles them to run files and merges those back (the external sort
    was a third of a large build).  Documents are added in order, so each term's
    postings arrive sorted: only the terms need sorting, once, when the segment is
    written, and the postings are kept packed in arrays (about 30 bytes each instead of
    some 200), in memory.
    """

    def __init__(self, counts: Iterable[str] = ()) -> None:
        self.fields: dict[str, dict[bytes, _TermPostings]] = {}
        # Fields whose weights are a term's count in a document: kept as 32-bit floats
        # (exact below 2**24, and what Whoosh's blocks keep), half the memory of doubles.
        self.counts = frozenset(counts)
        # The format's encode of each field whose postings are kept as positions.
        self.encoders: dict[str, Callable] = {}

    @property
    def fieldnames(self) -> set[str]:
        return set(self.fields)

    def put(
        self, field: str, text: bytes, docnum: int, weight: float, value, positions=None
    ) -> None:
        terms = self.fields.get(field)
        if terms is None:
            terms = self.fields[field] = {}
        postings = terms.get(text)
        if postings is None:
            postings = terms[text] = _TermPostings("f" if field in self.counts else "d")
        postings.add(docnum, weight, value, positions)

    def add(self, item: tuple) -> None:
        self.put(*item)

    def iter_postings(self) -> Iterator[tuple]:
        """Every posting as Whoosh's pool gives it, sorted (field, term, document)."""
        for field in sorted(self.fields):
            terms = self.fields[field]
            for text in sorted(terms):
                postings = terms[text]
                values = postings.value_list(self.encoders.get(field))
                for docnum, weight, value in zip(
                    postings.docs, postings.weights, values, strict=True
                ):
                    yield field, text, docnum, weight, value

    def cleanup(self) -> None:
        self.fields = {}

    cancel = cleanup


class _BuildWriter(SegmentWriter):
    """Whoosh's segment writer with the build's shortcuts; writes the same segment.

    - text fields are indexed by :class:`_FieldTerms` (each distinct token analysed once);
    - postings are kept grouped by term (:class:`_TermPool`), not sorted as tuples;
    - each scorable field's length is kept as it is written, so that writing the postings
      reads it from a list instead of from the per-document column, posting by posting
      (Whoosh's ``doc_field_length`` was a quarter of writing the segments).

    - each text is tokenized once: a field whose text is others' joined by newlines
      (``joined``: the key field's ``title\nsummary``) takes their tokens, and the words
      of the ``counted`` fields' texts are counted for the spelling vocabulary as they
      are indexed (:meth:`words`), instead of by a pass of their own over the corpus;
      the vocabulary is added to document 0 when the segment is written (``vocabulary``),
      as if it had come with that document;
    - the postings of the ``chunked`` fields are saved as a term chunk
      (:class:`indexer.termpostings.TermChunk`) in ``chunks``/*segment id* as the segment
      is written, the build's term arrays made without reading Whoosh's blocks back.

    Only what this schema uses is supported: no term vectors, no separate spelling
    fields (checked), no per-document or per-field boosts.
    """

    def __init__(
        self,
        ix,
        joined: dict[str, tuple[str, ...]] | None = None,
        counted: Iterable[str] = (),
        chunks: Path | None = None,
        chunked: Iterable[str] = (),
        **kwargs,
    ) -> None:
        super().__init__(ix, **kwargs)
        self._chunks = chunks
        self._chunked = frozenset(chunked) if chunks is not None else frozenset()
        self._fast = {}
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                self.cancel()
                raise ValueError(f"the build writer does not support field {name!r}")
            if field.indexed and (fast := _FieldTerms.of(field)) is not None:
                self._fast[name] = fast
        self.pool = _TermPool(name for name, fast in self._fast.items() if fast.boost == 1.0)
        # Positions are kept where a chunk needs them and a posting's weight is its
        # count, instead of their encoded values (made when the segment is written).
        self._kept = frozenset(
            name for name in self.pool.counts & self._chunked if self._fast[name].positions
        )
        self.pool.encoders = {name: self._fast[name].encode for name in self._kept}
        self._length_bytes: dict[str, bytearray] = {}
        # A token list is shared only between fields whose tokenizers find the same tokens.
        self._joined = {
            name: parts
            for name, parts in (joined or {}).items()
            if all(_same_tokens(self._fast.get(name), self._fast.get(p)) for p in parts)
        }
        plain = plain_analyzer()[0].expression
        self._counted = frozenset(counted)
        for name in self._counted:
            fast = self._fast.get(name)
            if fast is None or not _same_pattern(fast.findall, plain.findall):
                self.cancel()
                raise ValueError(f"the words of field {name!r} cannot be counted as it is indexed")
        self._raw_words: Counter[str] = Counter()
        self.vocabulary: dict[str, int] | None = None  # added to document 0 by the flush

    def words(self) -> Counter[str]:
        """The words of the ``counted`` fields' texts so far, each with its number of
        occurrences: :func:`count_words` over those texts."""
        return _normalised_counts(self._raw_words)

    def _tokens(self, name: str, fields: dict, cache: dict[str, list[str]]) -> list[str]:
        found = cache.get(name)
        if found is None:
            text = fields[name]
            parts = self._joined.get(name)
            if parts and all(isinstance(fields.get(p), str) for p in parts):
                if text == "\n".join(fields[p] for p in parts):
                    found = []
                    for part in parts:
                        found += self._tokens(part, fields, cache)
            if found is None:
                found = self._fast[name].findall(text)
            cache[name] = found
        return found

    def add_document(self, **fields) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        put = self.pool.put
        tokens: dict[str, list[str]] = {}
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    fast = self._fast.get(name)
                    if fast is not None and isinstance(value, str):
                        found = self._tokens(name, fields, tokens)
                        if name in self._counted:
                            self._raw_words.update(found)
                        kept = name in self._kept
                        items = fast.terms(found, encoded=not kept)
                    else:
                        kept = False
                        items = (item + (None,) for item in field.index(value))
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes, positions in items:
                        if scorable:
                            length += freq
                        put(name, tbytes, docnum, weight, vbytes, positions if kept else None)
                if length:
                    codes = self._length_bytes.setdefault(name, bytearray())
                    codes.extend(bytes(docnum + 1 - len(codes)))
                    codes[docnum] = length_to_byte(length)
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        # What SegmentWriter._flush_segment and FieldWriter.add_postings do, term by term
        # from the pool, with the lengths this writer kept, a block at a time.
        self.perdocwriter.close()
        if self.vocabulary is not None and self.docnum:
            field = self.schema[schema.SPELLING]
            for tbytes, _freq, weight, vbytes in field.index(self.vocabulary):
                self.pool.put(schema.SPELLING, tbytes, 0, weight, vbytes)
        chunks = self._chunks
        with contextlib.ExitStack() as stack:
            chunk = None
            if chunks is not None:
                chunk = stack.enter_context(TermChunk(chunks / self.newsegment.segment_id()))
            for name, terms in sorted(self.pool.fields.items()):
                self._write_field(name, terms, chunk if name in self._chunked else None)
        self.fieldwriter.close()

    def _write_field(self, name: str, terms: dict, chunk: TermChunk | None) -> None:
        """Write the postings of field ``name`` (and add them to ``chunk``), each term's
        dropped once written."""
        writer = self.fieldwriter
        positional = self.schema[name].format.supports("positions")
        encode = self.pool.encoders.get(name)
        codes = self._length_bytes.get(name, b"")
        lengths = [_LENGTH_OF_BYTE[c] for c in codes]
        lengths += [0] * (self.docnum - len(lengths))
        writer.start_field(name, self.schema[name])
        blocks = _BlockWriter.of(writer)
        for text in sorted(terms):
            postings = terms.pop(text)
            writer.start_term(text)
            values = postings.value_list(encode)
            if blocks is not None:
                blocks.write(postings, values, lengths)
            else:
                add = writer.add
                for docnum, weight, value in zip(
                    postings.docs, postings.weights, values, strict=True
                ):
                    add(docnum, weight, value, lengths[docnum])
            writer.finish_term()
            if chunk is not None:
                chunk.add(name, text, *postings.chunk_args(positional, values))
            del values
        writer.finish_field()


class _BlockWriter:
    """Hands a term's postings to Whoosh's W3 postings writer a block at a time.

    ``W3PostingsWriter.add_posting`` checks and appends each posting and keeps the
    block's statistics one posting at a time (a third of writing a segment); here each
    block's ids, weights, values and statistics are set as that loop would leave them
    and Whoosh's own ``_write_block`` (and, for the last block, ``finish_postings``)
    writes it: the same bytes (``tests/test_build_writer.py`` compares the files).
    Private attributes of the W3 codec, checked for: without them, posting by posting.
    """

    def __init__(self, post) -> None:
        self.post = post
        self.limit = post._blocklimit

    @classmethod
    def of(cls, fieldwriter) -> _BlockWriter | None:
        post = getattr(fieldwriter, "_postwriter", None)
        if type(post) is not W3PostingsWriter or post._byteids:
            return None
        if not all(hasattr(post, a) for a in ("_blocklimit", "_new_block", "_write_block")):
            return None
        return cls(post)

    def write(self, postings: _TermPostings, values: list[bytes], lengths: list[int]) -> None:
        """Write ``postings``, whose values are ``values`` (one each)."""
        post, limit = self.post, self.limit
        docs, weights = postings.docs, postings.weights
        n = len(docs)
        for a in range(0, n, limit):
            b = min(a + limit, n)
            ids = docs[a:b]
            block_weights = weights[a:b]
            filled = [x for x in map(lengths.__getitem__, ids) if x]
            top = max(block_weights)
            post._ids = ids
            post._weights = array("f", block_weights)
            post._values = [value for value in values[a:b] if value]
            post._maxweight = top if top > 0 else 0
            post._minlength = min(filled) if filled else None
            post._maxlength = max(filled) if filled else 0
            if b < n:  # the last block is written by finish_postings
                post._write_block()


def _joined_fields() -> dict[str, tuple[str, ...]]:
    """Each field whose text :func:`_documents` makes of others' joined by a newline."""
    return {
        schema.key_field(lang): (schema.title_field(lang), schema.summary_field(lang))
        for lang in ALL_LANGS
    }


def _new_writer(ix) -> _BuildWriter:
    """A writer of a new segment of ``ix`` that counts the words for the spelling field
    (:meth:`_BuildWriter.words`) in each document's ``title\nsummary`` (its key field's
    text, the texts of :func:`_texts`) and saves the term chunk of the scored fields in
    the index's directory, under :data:`indexer.termpostings.CHUNKS`."""
    return _BuildWriter(
        ix,
        joined=_joined_fields(),
        counted=[schema.key_field(lang) for lang in ALL_LANGS],
        chunks=Path(ix.storage.folder) / CHUNKS,
        chunked=scored_fields(ix.schema),
        _lk=False,
        limitmb=WRITER_MB,
        compound=False,
    )


def _add_reports(writer: _BuildWriter, reports: Iterable[Report]) -> int:
    """Add the documents of ``reports``; returns how many."""
    count = 0
    for report in reports:
        for doc in _documents(report):
            writer.add_document(**doc)
            count += 1
    return count


def _index_part(ix, reports: Iterable[Report], added: Callable) -> Any:
    """Index the documents of ``reports`` into a new segment of ``ix`` in this process;
    returns the writer (its segment not yet written)."""
    writer = _new_writer(ix)
    try:
        for report in reports:
            added(_add_reports(writer, (report,)))
    except BaseException:
        writer.cancel()
        raise
    return writer


def _worker(commands, results) -> None:
    """A writer process, forked before the corpus is loaded: parses the report files it
    is sent while the corpus is loaded (:meth:`_Writers.parse`), opens the index it is
    sent, indexes the batches of reports it is sent (pickled), sends the words it
    counted, waits for the word to write (with the whole corpus's vocabulary for the
    first segment), sends the segment.  A closed command pipe ends it (the build
    failed)."""
    writer = None
    try:
        what, value = commands.recv()
        while what == "parse":
            results.send(("parsed", parse_reports(*value)))
            what, value = commands.recv()
        if what != "open":
            return
        writer = _new_writer(whoosh_index.open_dir(value))
        while (message := commands.recv())[0] == "reports":
            results.send(("added", _add_reports(writer, message[1])))
        if message[0] != "end":
            writer.cancel()
            return
        results.send(("ready", writer.words()))
        what, vocabulary = commands.recv()
        if what != "write":
            writer.cancel()
            return
        writer.vocabulary = vocabulary
        results.send(("segment", writer._finalize_segment()))
    except EOFError:  # the building process gave up: its temporary generation goes
        return
    except BaseException as exc:  # reported to the building process, which raises
        with contextlib.suppress(OSError):
            results.send(("error", f"{type(exc).__name__}: {exc}"))
        raise


class _Writers:
    """Writer processes (:func:`_worker`), each with a pipe for commands and one for
    results.

    The building process forks them before it loads the corpus (:func:`build_index`), so
    that they do not map the corpus it holds: each writer is sent its run of reports in
    pickled batches and drops them once indexed.  (Forked after loading, each writer's
    resident memory counted the whole corpus again, shared or not.)
    """

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.tasks: list = []
        self.commands: list = []
        self.results: list = []
        self._lifeline = _Lifeline()
        try:
            for _ in range(count):
                their_commands, commands = context.Pipe(duplex=False)
                results, their_results = context.Pipe(duplex=False)
                task = context.Process(
                    target=_worker, args=(their_commands, their_results), daemon=True
                )
                task.start()
                their_commands.close()
                their_results.close()
                with contextlib.suppress(OSError, AttributeError):  # else the default size
                    fcntl.fcntl(commands.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
                self.tasks.append(task)
                self.commands.append(commands)
                self.results.append(results)
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return len(self.tasks)

    def parse(self, paths: Sequence[Path], topic_ids: Collection[str]) -> list[Parsed]:
        """:func:`indexer.corpus.parse_reports` of ``paths``, shared between these
        processes and this one (which would otherwise wait for the corpus to load):
        consecutive runs of files, the results in the order of ``paths``."""
        count = len(self) + 1
        bounds = [len(paths) * i // count for i in range(count + 1)]
        runs = [paths[a:b] for a, b in itertools.pairwise(bounds)]
        for channel, run in zip(self.commands, runs[1:], strict=True):
            channel.send(("parse", (list(run), sorted(topic_ids))))
        parsed = parse_reports(runs[0], topic_ids)
        for channel in self.results:
            parsed += _receive(channel)[1]
        return parsed

    def close(self) -> None:
        """End every writer process still running (a finished build has ended them)."""
        for connection in (*self.commands, *self.results):
            connection.close()
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()


@contextlib.contextmanager
def _early_writers(corpus_dir: Path) -> Iterator[_Writers | None]:
    """Writer processes for a corpus that will need them, forked before it is loaded
    (at most a document per language of each report file); ``None`` for a small one."""
    reports = Path(corpus_dir) / "reports"
    files = sum(1 for _ in reports.glob("*.yaml")) if reports.is_dir() else 0
    count = _processes(files * len(ALL_LANGS))
    writers = _Writers(count) if count > 1 else None
    try:
        yield writers
    finally:
        if writers is not None:
            writers.close()


def write_index(
    corpus: Corpus,
    directory: Path,
    progress: Progress | None = None,
    writers: _Writers | None = None,
    *,
    keep_texts: bool = True,
) -> int:
    """Write a Whoosh index of ``corpus`` into the empty ``directory``; returns the doc count.

    ``progress(done, total)`` is called as documents are added; ``done == total`` comes
    once, just before Whoosh writes the segments (a large part of a big build).

    A large corpus is split into one run of consecutive reports per CPU, each indexed
    into its own segment by a writer process (``writers``, forked before the corpus was
    loaded; forked here when not given), which is sent its reports in pickled batches.
    The segments keep the corpus order, so document numbers do not depend on which
    process ran faster.  The spelling vocabulary (every word of the corpus counted, see
    :class:`schema.Vocabulary`) goes into the first document: each writer counts the
    words of its documents, and the building process sums them for the first segment
    before it is written.  With ``keep_texts=False`` the building process drops each
    report's texts (titles, summaries, provenance notes: :func:`_drop_texts`) once its
    writer process has them, and returns the memory: what a build does, which needs
    only the reports' other fields after.
    """
    total = sum(len(report.summaries) for report in corpus.reports)
    ix = whoosh_index.create_in(str(directory), schema.build_schema())
    counter = _Progress(total, progress)
    parts = _processes(total)
    if parts == 1:
        writer = _index_part(ix, corpus.reports, counter.add)
        writer.vocabulary = writer.words()
        counter.finish()
        writer.commit()
        return total
    with contextlib.ExitStack() as stack:
        if writers is None:
            writers = _Writers(parts)
            stack.callback(writers.close)
        runs = _split(corpus.reports, len(writers))
        _write_parallel(ix, directory, runs, counter, writers, keep_texts)
    return total


class _Progress:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.done = self.shown = 0

    def add(self, n: int) -> None:
        self.done += n
        if self.progress and self.done - self.shown >= 3000 and self.done < self.total:
            self.progress(self.done, self.total)
            self.shown = self.done

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _split(reports: tuple[Report, ...], parts: int) -> list[tuple[Report, ...]]:
    """``reports`` cut into ``parts`` runs of about as many documents each."""
    total = sum(len(r.summaries) for r in reports)
    runs: list[tuple[Report, ...]] = []
    start = done = 0
    for i, report in enumerate(reports):
        done += len(report.summaries)
        if done * parts >= total * (len(runs) + 1) and len(runs) < parts - 1:
            runs.append(reports[start : i + 1])
            start = i + 1
    runs.append(reports[start:])
    return [run for run in runs if run]


def _drop_texts(reports: Iterable[Report]) -> None:
    """Replace each text of ``reports`` by one without its title, summary and note."""
    for report in reports:
        for lang, text in report.summaries.items():
            report.summaries[lang] = dataclasses.replace(
                text, title="", summary="", provenance_note=""
            )


def _return_memory() -> None:
    """Give the memory freed in this process back to the system (glibc keeps it)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _write_parallel(
    ix,
    directory: Path,
    runs: list[tuple[Report, ...]],
    counter,
    writers: _Writers,
    keep_texts: bool = True,
) -> None:
    parent = ix.writer()  # holds Whoosh's lock, writes the table of contents
    try:
        commands = writers.commands[: len(runs)]
        channels = writers.results[: len(runs)]
        for extra in writers.commands[len(runs) :]:
            extra.send(("quit", None))
        for channel in commands:
            channel.send(("open", str(directory)))
        words: dict[int, Counter[str]] = {}

        def answers(timeout: float | None) -> None:
            for channel in multiprocessing.connection.wait(channels, timeout):
                what, value = _receive(channel)
                if what == "added":
                    counter.add(value)
                elif what == "ready":
                    words[channels.index(channel)] = value

        # Each writer is sent a batch in turn; its command pipe holds a few batches, so
        # that a send waiting for one writer to read leaves the others batches to index.
        batches = [
            [("reports", run[i : i + FEED_BATCH]) for i in range(0, len(run), FEED_BATCH)]
            + [("end", None)]
            for run in runs
        ]
        for step in range(max(map(len, batches))):
            for i, channel in enumerate(commands):
                if step < len(batches[i]):
                    what, batch = batches[i][step]
                    _send(channel, (what, batch), channels[i])
                    if what == "reports" and not keep_texts:
                        _drop_texts(batch)
                    answers(0)
        if not keep_texts:
            _return_memory()
        while len(words) < len(channels):
            answers(None)
        counter.finish()
        vocabulary: Counter[str] = Counter()
        for i in range(len(channels)):
            vocabulary.update(words.pop(i))
        for i, channel in enumerate(commands):
            channel.send(("write", vocabulary if i == 0 else None))
        del vocabulary
        segments = [_receive(channel)[1] for channel in channels]
        for task in writers.tasks:
            task.join()
        parent._close_segment()
        parent._commit_toc(segments)
        parent._finish()
    except BaseException:
        writers.close()
        parent.cancel()
        raise


def _send(channel, message, answers) -> None:
    """Send a writer process ``message``; if it has ended, raise its error."""
    try:
        channel.send(message)
    except OSError:
        _receive(answers)
        raise


def _receive(channel) -> tuple[str, Any]:
    try:
        what, value = channel.recv()
    except EOFError:
        raise RuntimeError("a writer process ended without its segment") from None
    if what == "error":
        raise RuntimeError(f"a writer process failed: {value}")
    return what, value


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
    with _early_writers(Path(corpus_dir)) as writers:
        return _build(corpus_dir, out_dir, if_stale, progress, notice, started, writers)


def _build(corpus_dir, out_dir, if_stale, progress, notice, started, writers) -> BuildInfo:
    corpus = load_corpus(corpus_dir, parse=writers.parse if writers else parse_reports)
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
            meta["derived"] = write_derived(
                tmp, [t.id for t in corpus.topics], corpus.glossary, chunks=tmp / CHUNKS
            )
            shutil.rmtree(tmp / CHUNKS, ignore_errors=True)
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
