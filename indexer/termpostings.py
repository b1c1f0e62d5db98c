"""Every term's postings and word positions as arrays: written by the build, memory-mapped.

Whoosh keeps a term's postings in compressed blocks that a process decodes on first use
(a Python call per block, a pickle per posting's positions), and checks a phrase by
stepping through its words' positions document by document.  For the fields a query
scores (:func:`indexer.derived.scored_fields`) the build writes the same data once more
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
build derives them from the index it has just written (document numbers as serving
sees them, segments in order), in as many processes as it has writers, each decoding a
run of terms holding its share of the postings and positions; ``tests/test_derived.py``
compares them with Whoosh, and those written by several processes with one's, byte for
byte.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import os
import pickle
import tempfile
import traceback
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

KEYS = "post-keys.npy"
TABLE = "post-table.npy"
DOCS = "post-docs.npy"
DOCS_OVER = "post-docs-over.npy"
TF = "post-tf.npy"
POS = "post-pos.npy"
POS_OVER = "post-pos-over.npy"
FILES = (KEYS, TABLE, DOCS, DOCS_OVER, TF, POS, POS_OVER)
_KEY, _POSTING, _DOC_OVER, _POSITION, _POS_OVER = range(5)  # columns of the table
_ESCAPE = 255  # a gap this large or larger is in the overflow array
_SHIFT = np.int64(32)  # a position key is (document << 32) | position
_EMPTY = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)
# A Positions value is the count (4 bytes), then the pickled list of gaps ending in STOP.
_PICKLED_GAPS = operator.itemgetter(slice(_INT_SIZE, -1))


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


def _read_term(leaves, field: str, text: bytes, positional: bool):
    """(documents, weights, position gaps per posting) of ``text`` in ``field``, read
    from Whoosh's blocks whole (private attributes of its W3 matcher, checked for)."""
    ids: list[np.ndarray] = []
    weights: list[float] = []
    values: list[bytes] = []
    for reader, offset in leaves:
        if (field, text) not in reader:
            continue
        matcher = reader.postings(field, text)
        if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_values", "_next_block")):
            raise TypeError(f"postings of a {type(matcher).__name__} cannot be read whole")
        leaf_ids: list[int] = []
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            start = matcher._i
            leaf_ids.extend(matcher._ids[start:])
            weights.extend(matcher._weights[start:])
            if positional:
                matcher._read_values()
                values.extend(matcher._values[start:])
            matcher._i = matcher._blocklength
            matcher._next_block()
        ids.append(np.asarray(leaf_ids, dtype=np.int64) + offset)
    gaps: list[list[int]] = []
    if values:
        # Each value's list of gaps is one pickled list: unpickle them all as one list.
        gaps = pickle.loads(b"\x80\x02(" + b"".join(map(_PICKLED_GAPS, values)) + b"l.")
    docs = np.concatenate(ids) if ids else _EMPTY
    return docs, np.asarray(weights, dtype=np.float32), gaps


def _encode(searcher: Searcher, terms: list[tuple[str, bytes]]) -> dict[str, np.ndarray]:
    """The arrays of ``terms`` (``(field, text)`` in byte order), the table's first row
    0 and the weights not yet narrowed (:func:`_narrowest`)."""
    positional = _positional(searcher.schema, terms)
    leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
    keys: list[bytes] = []
    table = [[0, 0, 0, 0, 0]]
    parts: dict[str, list[np.ndarray]] = {name: [] for name in FILES if name not in (KEYS, TABLE)}
    for field, text in terms:
        docs, weights, gaps = _read_term(leaves, field, text, positional[field])
        doc_gaps, doc_over = _pack(np.diff(docs, prepend=0))
        counts = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
        if positional[field] and not np.array_equal(counts, weights):
            raise ValueError(f"{field}: weights that are not term frequencies")
        flat = np.fromiter(itertools.chain.from_iterable(gaps), dtype=np.int64)
        pos_gaps, pos_over = _pack(flat)
        key = field.encode() + b"\0" + text
        keys.append(key)
        last = table[-1]
        table.append(
            [
                last[_KEY] + len(key),
                last[_POSTING] + len(docs),
                last[_DOC_OVER] + len(doc_over),
                last[_POSITION] + len(pos_gaps),
                last[_POS_OVER] + len(pos_over),
            ]
        )
        parts[DOCS].append(doc_gaps)
        parts[DOCS_OVER].append(doc_over)
        parts[TF].append(weights)
        parts[POS].append(pos_gaps)
        parts[POS_OVER].append(pos_over)
    return {
        KEYS: np.frombuffer(b"".join(keys), dtype=np.uint8),
        TABLE: np.asarray(table, dtype=np.int64).reshape(-1, 5),
        DOCS: _joined(parts[DOCS], np.uint8),
        DOCS_OVER: _joined(parts[DOCS_OVER], np.uint32),
        TF: _joined(parts[TF], np.float32),
        POS: _joined(parts[POS], np.uint8),
        POS_OVER: _joined(parts[POS_OVER], np.uint32),
    }


def _positional(schema, terms: list[tuple[str, bytes]]) -> dict[str, bool]:
    """Whether each field of ``terms`` keeps word positions."""
    return {field: schema[field].format.supports("positions") for field in {f for f, _ in terms}}


def _shares(terms: list[tuple[str, bytes]], reader, count: int) -> list[list[tuple[str, bytes]]]:
    """``terms`` cut into ``count`` consecutive runs of about equal work: postings and
    word positions to decode."""
    positional = _positional(reader.schema, terms)

    def work(field: str, text: bytes) -> int:
        positions = reader.frequency(field, text) if positional[field] else 0
        return 1 + reader.doc_frequency(field, text) + positions

    sizes = np.fromiter(itertools.starmap(work, terms), dtype=np.int64)
    ends = np.cumsum(sizes)
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, count) / count)
    bounds = [0, *(int(c) for c in cuts), len(terms)]
    return [terms[a:b] for a, b in itertools.pairwise(bounds)]


def _encode_forked(index: Path, share: list[tuple[str, bytes]], out: Path) -> int:
    """Forks a process that encodes ``share`` into ``out``, opening the index in
    ``index`` for itself (Whoosh's open files would share their offsets with this
    process's); returns its pid."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        with whoosh_index.open_dir(str(index)).searcher() as searcher:
            for name, array in _encode(searcher, share).items():
                np.save(out / name, array, allow_pickle=False)
        status = 0
    except BaseException:  # noqa: BLE001 -- reported, and the parent fails the build
        traceback.print_exc()
    finally:
        os._exit(status)


def _join_encoded(chunks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One set of arrays from the encodings of consecutive runs of terms."""
    tables = [chunks[0][TABLE]]
    for chunk in chunks[1:]:
        tables.append(chunk[TABLE][1:] + tables[-1][-1])
    joined = {name: np.concatenate([c[name] for c in chunks]) for name in FILES if name != TABLE}
    return {**joined, TABLE: np.concatenate(tables)}


def write_term_postings(
    directory: Path,
    searcher: Searcher,
    fields: list[str],
    processes: int = 1,
    index: Path | None = None,
) -> dict[str, Any]:
    """Write the arrays of every term of ``fields`` (see the module) into ``directory``;
    returns what ``derived.json`` records of them.

    ``searcher`` searches the Whoosh index in ``index`` (default: ``directory``).  With
    ``processes`` above 1, forked processes, each opening that index, encode
    consecutive runs of the terms (each a share of the postings) side by side; the
    arrays are the same.
    """
    reader = searcher.reader()
    terms = [(field, text) for field in sorted(fields) for text in reader.lexicon(field)]
    keys = [field.encode() + b"\0" + text for field, text in terms]
    if keys != sorted(keys):
        raise ValueError("terms not in byte order")
    shares = _shares(terms, reader, processes) if processes > 1 and terms else [terms]
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        outs = [Path(tmp) / str(i) for i in range(len(shares))]
        pids = []
        try:
            for share, out in zip(shares[1:], outs[1:], strict=True):
                out.mkdir()
                pids.append(_encode_forked(index or directory, share, out))
            chunks = [_encode(searcher, shares[0])]
        finally:
            codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        if any(codes):
            raise RuntimeError(f"term arrays: an encoding process failed (exit codes {codes})")
        chunks += [{name: np.load(out / name) for name in FILES} for out in outs[1:]]
        arrays = _join_encoded(chunks)
    arrays[TF] = _narrowest(arrays[TF])
    for name, array in arrays.items():
        np.save(directory / name, np.ascontiguousarray(array), allow_pickle=False)
    return {"fields": sorted(fields), "files": list(FILES)}


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


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

    def term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted documents, weights as float64) of ``text`` in a covered ``field``."""
        i = self._row(field, text)
        if i is None:
            return _EMPTY, _EMPTY_F
        return self._term(i)

    def _term(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        row, end = self._table[i], self._table[i + 1]
        small = self._docs[row[_POSTING] : end[_POSTING]]
        over = self._docs_over[row[_DOC_OVER] : end[_DOC_OVER]]
        docs = np.cumsum(_unpack(small, over))
        return docs, self._tf[row[_POSTING] : end[_POSTING]].astype(np.float64)

    def positions(self, field: str, text: str, wanted: np.ndarray | None = None) -> np.ndarray:
        """Every occurrence of ``text`` in ``field`` (in the sorted documents ``wanted``,
        or all), as sorted keys ``(document << 32) | position``."""
        i = self._row(field, text)
        if i is None:
            return _EMPTY
        docs, tf = self._term(i)
        row, end = self._table[i], self._table[i + 1]
        small = self._pos[row[_POSITION] : end[_POSITION]]
        gaps = _unpack(small, self._pos_over[row[_POS_OVER] : end[_POS_OVER]])
        counts = tf.astype(np.int64)
        if len(gaps) != counts.sum():
            raise ValueError(f"no positions of {text!r} in {field}")
        # Positions from the gaps, each document's own running sum.
        total = np.cumsum(gaps)
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
