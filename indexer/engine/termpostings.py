"""Every term's postings and word positions as arrays: written by the build, memory-mapped.

Whoosh keeps a term's postings in compressed blocks that a process decodes on first use
(a Python call per block, a pickle per posting's positions), and checks a phrase by
stepping through its words' positions document by document.  For the fields a query
scores (:func:`indexer.engine.derived.scored_fields`) the build writes the same data once more
as flat arrays, so that a fresh process reads a term's documents, frequencies and
positions with a few numpy operations, and checks any phrase (``slop`` 1 or more) on
whole arrays (:meth:`TermPostings.phrase`).

Layout (files of :data:`FILES`, in the generation's directory):

- ``post-keys.npy``: the terms, UTF-8 ``field NUL text``, concatenated in byte order;
- ``post-table.npy``: per term (and one row past the last) where its key, postings,
  document overflow, positions and position overflow start (int64, five columns);
- ``post-docs.npy``: per posting, the gap to the document before (the first from 0),
  one byte; a gap of 255 or more is written 255 and taken from ``post-docs-over.npy``;
- ``post-tf.npy``: per posting the term's weight in the document (its frequency), in
  the narrowest type holding every weight exactly;
- ``post-pos.npy`` and ``post-pos-over.npy``: per occurrence (fields with positions
  only), the gap to the position before in the same document (the first from 0), coded
  as the document gaps are: Whoosh's own position deltas.

At 100,000 synthetic documents the arrays are about a fifth of the Whoosh index.  The
build's writers (:mod:`indexer.build`) keep each segment's postings in memory before
Whoosh writes them; each also saves them as a :class:`TermChunk`, and the arrays are
joined from those (documents numbered as serving sees them, segments in order), so
that nothing is read back from Whoosh's blocks.  An index written otherwise (the
passage index) is read: the same arrays, which ``tests/test_derived.py`` compares
with Whoosh, and the build's with those read back, byte for byte.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher

KEYS = "post-keys.npy"
TABLE = "post-table.npy"
DOCS = "post-docs.npy"
DOCS_OVER = "post-docs-over.npy"
TF = "post-tf.npy"
POS = "post-pos.npy"
POS_OVER = "post-pos-over.npy"
FILES = (KEYS, TABLE, DOCS, DOCS_OVER, TF, POS, POS_OVER)
CHUNKS = ".term-chunks"  # where a build's writers save their chunks, in the new generation
_KEY, _POSTING, _DOC_OVER, _POSITION, _POS_OVER = range(5)  # columns of the table
_ESCAPE = 255  # a gap this large or larger is in the overflow array
_SHIFT = np.int64(32)  # a position key is (document << 32) | position
_EMPTY = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)
# A Positions value is the count (4 bytes), then the pickled list of gaps ending in STOP.
_COUNT_BYTES = 4  # the count before a Positions value: an unsigned int, as Whoosh packs it
_PICKLED_GAPS = operator.itemgetter(slice(_COUNT_BYTES, -1))


# -- building ----------------------------------------------------------------------


def _pack(gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``gaps`` (non-negative) as one byte each, the large ones in an overflow array."""
    small = np.minimum(gaps, _ESCAPE).astype(np.uint8)
    return small, gaps[gaps >= _ESCAPE].astype(np.uint32)


def _narrowest(weights: np.ndarray) -> np.ndarray:
    """``weights`` in the narrowest type that holds each exactly."""
    for dtype in (np.uint8, np.uint16):
        if len(weights) == 0 or (
            weights.max() <= np.iinfo(dtype).max and np.array_equal(weights, np.round(weights))
        ):
            return weights.astype(dtype)
    return weights.astype(np.float32)  # Whoosh keeps weights as 32-bit floats


def value_gaps(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(position gaps of every posting, one after another; each posting's count) from
    Whoosh ``Positions`` values (a count, then the pickled list of gaps)."""
    if not values:
        return _EMPTY, _EMPTY
    # Each value's list of gaps is one pickled list: unpickle them all as one list.
    gaps = pickle.loads(b"\x80\x02(" + b"".join(map(_PICKLED_GAPS, values)) + b"l.")
    counts = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
    return np.fromiter(itertools.chain.from_iterable(gaps), dtype=np.int64), counts


def run_gaps(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The gaps of ``values``, runs of ascending numbers one after another (``counts``
    of them each: a posting's positions, a term's documents), each run's first from 0
    and each other from the one before: Whoosh's position deltas, and the arrays'
    document gaps."""
    gaps = np.empty_like(values)
    if len(values):
        gaps[0] = values[0]
        # In an unsigned type a run's first wraps around here, and is set below.
        np.subtract(values[1:], values[:-1], out=gaps[1:])
    firsts = (np.cumsum(counts) - counts)[counts > 0]
    gaps[firsts] = values[firsts]
    return gaps


# A chunk's files (:class:`TermChunk`) and the type of each.
_CHUNK_TYPES = {"keys": np.uint8, "docs": np.uint32, "tf": np.float32, "pos": np.uint32}
_CHUNK_TABLE = "table.npy"


class TermChunk:
    """The terms of one segment (or of a whole index), added in byte order, written to
    files in ``directory`` as they come, to be joined with other segments' into the
    arrays of the module (:func:`join_chunks`).

    A chunk keeps each posting's document as it was numbered where it was read (from 0
    in its segment) and its position gaps unpacked: the documents of a term read from
    several segments are gaps from one another only once joined.  Its files: the keys,
    the documents (uint32), weights (float32) and position gaps (uint32), each raw, one
    term after another, and (when closed) a table of where each term's key, postings
    and positions end, after a row of zeros.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.files = {name: open(directory / name, "wb") for name in _CHUNK_TYPES}  # noqa: SIM115
        self.ends = [[0, 0, 0]]
        self.last = b""

    def add(
        self,
        field: str,
        text: bytes,
        docs: np.ndarray,
        weights: np.ndarray,
        gaps: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        """Add a term's postings: documents ascending, weights, and for a field with
        positions the gaps of each posting (``counts`` of them each, when known: each
        must equal its weight, the term's frequency there)."""
        if gaps is not None:
            if counts is not None and not np.array_equal(counts, weights):
                raise ValueError(f"{field}: weights that are not term frequencies")
            if len(gaps) != weights.sum():
                raise ValueError(f"{field}: {len(gaps)} positions for {weights.sum()} occurrences")
        key = field.encode() + b"\0" + text
        if len(self.ends) > 1 and key <= self.last:
            raise ValueError("terms not in byte order")
        self.last = key
        last = self.ends[-1]
        positions = 0 if gaps is None else len(gaps)
        self.ends.append([last[0] + len(key), last[1] + len(docs), last[2] + positions])
        self.files["keys"].write(key)
        for name, array in (("docs", docs), ("tf", weights), ("pos", gaps)):
            if array is not None and len(array):
                self.files[name].write(np.asarray(array, dtype=_CHUNK_TYPES[name]).tobytes())

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()
        table = np.asarray(self.ends, dtype=np.int64).reshape(-1, 3)
        np.save(self.directory / _CHUNK_TABLE, table, allow_pickle=False)

    def __enter__(self) -> TermChunk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_chunk(directory: Path) -> dict[str, np.ndarray]:
    """The arrays of the chunk :class:`TermChunk` wrote into ``directory``, mapped."""
    arrays = {"table": np.load(directory / _CHUNK_TABLE)}
    for name, dtype in _CHUNK_TYPES.items():
        path = directory / name
        empty = path.stat().st_size == 0  # a file of no bytes cannot be mapped
        arrays[name] = np.zeros(0, dtype) if empty else np.memmap(path, dtype=dtype, mode="r")
    return arrays


def _ends(escaped: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of ``escaped`` (booleans) are true before each of ``bounds``."""
    return np.searchsorted(np.flatnonzero(escaped), bounds).astype(np.int64)


def join_chunks(chunks: list[tuple[dict[str, np.ndarray], int]]) -> dict[str, np.ndarray]:
    """The arrays of the module (:data:`FILES`) from ``(chunk arrays, first document)``
    pairs in document order: a term in several chunks has their postings one after
    another, each chunk's documents numbered from its first document."""
    pieces = []  # (key, chunk, row), sorted: a term's pieces in document order
    for c, (arrays, _) in enumerate(chunks):
        blob, bounds = arrays["keys"], arrays["table"][:, 0]
        rows = enumerate(itertools.pairwise(bounds))
        pieces += [(blob[a:b].tobytes(), c, i) for i, (a, b) in rows]
    pieces.sort()
    keys: list[bytes] = []
    parts: dict[str, list[np.ndarray]] = {"docs": [], "tf": [], "pos": []}
    key_ends, posting_ends, position_ends = [0], [0], [0]
    for key, c, i in pieces:
        arrays, first = chunks[c]
        (_, a, p), (_, b, q) = arrays["table"][i], arrays["table"][i + 1]
        if not keys or keys[-1] != key:
            keys.append(key)
            key_ends.append(key_ends[-1] + len(key))
            posting_ends.append(posting_ends[-1])
            position_ends.append(position_ends[-1])
        posting_ends[-1] += int(b - a)
        position_ends[-1] += int(q - p)
        docs = arrays["docs"][a:b]
        parts["docs"].append(docs + np.uint32(first) if first else docs)
        parts["tf"].append(arrays["tf"][a:b])
        parts["pos"].append(arrays["pos"][p:q])
    # Kept in 32 bits (a build's arrays are the largest it holds at once).
    postings = np.asarray(posting_ends, dtype=np.int64)
    doc_gaps = run_gaps(_joined(parts.pop("docs"), np.uint32), np.diff(postings))
    doc_small, doc_over = _pack(doc_gaps)
    del doc_gaps
    pos_small, pos_over = _pack(_joined(parts.pop("pos"), np.uint32))
    positions = np.asarray(position_ends, dtype=np.int64)
    table = np.stack(
        [
            np.asarray(key_ends, dtype=np.int64),
            postings,
            _ends(doc_small == _ESCAPE, postings),
            positions,
            _ends(pos_small == _ESCAPE, positions),
        ],
        axis=1,
    )
    return {
        KEYS: np.frombuffer(b"".join(keys), dtype=np.uint8),
        TABLE: table,
        DOCS: doc_small,
        DOCS_OVER: doc_over,
        TF: _narrowest(_joined(parts["tf"], np.float32)),
        POS: pos_small,
        POS_OVER: pos_over,
    }


def _read_chunk(
    searcher: Searcher, terms: list[tuple[str, bytes]], out: Path, read_term: Callable
) -> None:
    """Write the chunk of ``terms`` (``(field, text)`` in byte order), read from the
    index by ``read_term``, into ``out``."""
    positional = {f: searcher.schema[f].format.supports("positions") for f, _ in terms}
    leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
    with TermChunk(out) as chunk:
        for field, text in terms:
            chunk.add(field, text, *read_term(leaves, field, text, positional[field]))


def write_term_postings(
    directory: Path,
    searcher: Searcher,
    fields: list[str],
    read_term: Callable,
    chunks: Path | None = None,
) -> dict[str, Any]:
    """Write the arrays of every term of ``fields`` (see the module) into ``directory``;
    returns what ``derived.json`` records of them.

    With ``chunks``, a directory holding, for each segment of the index ``searcher``
    searches, the chunk its writer saved under the segment's id (a :class:`TermChunk`,
    the terms of exactly ``fields``), the arrays are joined from those; otherwise (or
    when a segment has none) they are read from the index, each term's postings by
    ``read_term`` (:func:`indexer.build.writer.term_postings`).  The arrays are the same.
    """
    leaves = [(leaf.reader().segment(), offset) for leaf, offset in searcher.leaf_searchers()]
    saved = [chunks / s.segment_id() for s, _ in leaves] if chunks else []
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        if saved and all((path / _CHUNK_TABLE).is_file() for path in saved):
            offsets = [offset for _, offset in leaves]
        else:
            reader = searcher.reader()
            terms = [(field, text) for field in sorted(fields) for text in reader.lexicon(field)]
            saved, offsets = [Path(tmp)], [0]
            _read_chunk(searcher, terms, Path(tmp), read_term)
        arrays = join_chunks([(load_chunk(p), o) for p, o in zip(saved, offsets, strict=True)])
    for name, array in arrays.items():
        np.save(directory / name, np.ascontiguousarray(array), allow_pickle=False)
    return {"fields": sorted(fields), "files": list(FILES)}


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


# -- serving -----------------------------------------------------------------------


class _Keys:
    """The sorted term keys as a sequence of bytes, for :mod:`bisect`."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes()


def _unpack(small: np.ndarray, over: np.ndarray) -> np.ndarray:
    gaps = small.astype(np.int64)
    escaped = np.flatnonzero(small == _ESCAPE)
    if len(escaped):
        gaps[escaped] = over
    return gaps


def _running_sum(small: np.ndarray, over: np.ndarray) -> np.ndarray:
    """The running sum of the gaps ``small`` and ``over`` code (see :func:`_pack`)."""
    if not len(over):  # no gap escaped: the bytes are the gaps
        return np.cumsum(small, dtype=np.int64)
    return np.cumsum(_unpack(small, over))


class TermPostings:
    """The arrays of :func:`write_term_postings`, memory-mapped (see the module)."""

    def __init__(self, arrays: dict[str, np.ndarray], fields: list[str]) -> None:
        self.fields = frozenset(fields)
        self._table = arrays[TABLE]
        self._keys = _Keys(arrays[KEYS], self._table[:, _KEY])
        self._docs, self._docs_over = arrays[DOCS], arrays[DOCS_OVER]
        self._tf = arrays[TF]
        self._pos, self._pos_over = arrays[POS], arrays[POS_OVER]
        if self._table.ndim != 2 or self._table.shape[1] != 5:
            raise ValueError("the postings table has the wrong shape")
        ends = self._table[-1]
        sizes = (len(arrays[KEYS]), len(self._docs), len(self._docs_over), len(self._pos))
        if tuple(ends[:4]) != sizes or ends[_POS_OVER] != len(self._pos_over):
            raise ValueError("the postings table does not match its arrays")
        if len(self._tf) != len(self._docs):
            raise ValueError("term frequencies do not match the postings")

    def covers(self, field: str) -> bool:
        return field in self.fields

    def _row(self, field: str, text: str) -> int | None:
        key = field.encode() + b"\0" + text.encode("utf-8")
        i = bisect.bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def term(self, field: str, text: str, stored: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(sorted documents, weights as float64) of ``text`` in a covered ``field``;
        with ``stored``, the weights as the arrays keep them (exact in float64, no copy)."""
        i = self._row(field, text)
        if i is None:
            return _EMPTY, _EMPTY_F
        docs, weights = self._term(i)
        return docs, weights if stored else weights.astype(np.float64)

    def _term(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(documents, weights as stored) of the term in row ``i``."""
        row, end = self._table[i], self._table[i + 1]
        small = self._docs[row[_POSTING] : end[_POSTING]]
        over = self._docs_over[row[_DOC_OVER] : end[_DOC_OVER]]
        docs = _running_sum(small, over)
        return docs, self._tf[row[_POSTING] : end[_POSTING]]

    def positions(self, field: str, text: str, wanted: np.ndarray | None = None) -> np.ndarray:
        """Every occurrence of ``text`` in ``field`` (in the sorted documents ``wanted``,
        or all), as sorted keys ``(document << 32) | position``."""
        i = self._row(field, text)
        if i is None:
            return _EMPTY
        docs, tf = self._term(i)
        row, end = self._table[i], self._table[i + 1]
        small = self._pos[row[_POSITION] : end[_POSITION]]
        counts = tf.astype(np.int64)
        if len(small) != counts.sum():
            raise ValueError(f"no positions of {text!r} in {field}")
        # Positions from the gaps, each document's own running sum.
        total = _running_sum(small, self._pos_over[row[_POS_OVER] : end[_POS_OVER]])
        ends = np.cumsum(counts)
        before = np.concatenate([[0], total[ends[:-1] - 1]]) if len(ends) else _EMPTY
        positions = total - np.repeat(before, counts)
        if wanted is not None:
            at = np.minimum(np.searchsorted(wanted, docs), max(len(wanted) - 1, 0))
            keep = wanted[at] == docs if len(wanted) else np.zeros(len(docs), dtype=bool)
            positions = positions[np.repeat(keep, counts)]
            docs, counts = docs[keep], counts[keep]
        return (np.repeat(docs, counts) << _SHIFT) | positions

    def phrase(self, field: str, words: list[str], slop: int, wanted: np.ndarray) -> np.ndarray:
        """The documents among the sorted ``wanted`` holding ``words`` in order, each at
        most ``slop`` positions after the one before, as Whoosh's ``Phrase`` matches
        them (``SpanNear2``, ordered, ``mindist`` 1)."""
        ends: np.ndarray | None = None
        for word in words:
            keys = self.positions(field, word, wanted)
            if ends is not None:
                # Whoosh keeps a match's span; only its end decides what may follow, and
                # the nearest end before a position is the one to test.
                at = np.searchsorted(ends, keys, side="left") - 1
                gap = keys - ends[np.maximum(at, 0)] if len(ends) else keys
                keys = keys[(at >= 0) & (gap >= 1) & (gap <= slop)]
            ends = keys
            if not len(ends):
                return _EMPTY
        return _EMPTY if ends is None else np.unique(ends >> _SHIFT)


def open_term_postings(path: Path, entry: dict[str, Any], load) -> TermPostings:
    """The arrays named by ``entry`` (``derived.json``'s ``postings``) in ``path``,
    each opened with ``load(name)``."""
    return TermPostings({name: load(name) for name in entry["files"]}, entry["fields"])
