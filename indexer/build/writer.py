"""The build's Whoosh segment writer: the one module that uses Whoosh's private interface.

Segments are separate files, not Whoosh's compound file (a searcher copies a compound
file's postings into memory, per thread).  :class:`_BuildWriter` writes what Whoosh's
own writer writes, each distinct token analysed once; :data:`WHOOSH_READS` reads length
codes and postings back whole, for the derived structures.  All use attributes Whoosh does
not publish: importing this under any other Whoosh than the pinned one fails at once.
"""

from __future__ import annotations

import contextlib
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import whoosh
from whoosh import formats
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PostingsWriter, _lenfield
from whoosh.columns import NumericColumn
from whoosh.fields import FieldType
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from indexer import schema
from indexer.analysis import normalise_word, plain_analyzer, token_term
from indexer.engine.derived import WhooshReads, scored_fields
from indexer.engine.termpostings import CHUNKS, TermChunk, run_gaps, value_gaps
from indexer.languages import ALL_LANGS

WHOOSH_VERSION = (2, 7, 5)  # the Whoosh whose private attributes this module uses
WRITER_MB = 256  # memory for sorting postings, per writer process


def check_whoosh(version: tuple = whoosh.__version__) -> None:
    """Raise ``RuntimeError`` unless ``version`` is the Whoosh this writer was written for."""
    if tuple(version) != WHOOSH_VERSION:
        pinned = ".".join(map(str, WHOOSH_VERSION))
        found = ".".join(map(str, version))
        raise RuntimeError(
            f"indexer.build.writer reads and writes Whoosh {pinned}'s private attributes, "
            f"but Whoosh {found} is installed: install whoosh-reloaded=={pinned} "
            "(pyproject.toml pins it) or port this writer to the new version"
        )


check_whoosh()


def _normalised_counts(raw: Counter[str]) -> Counter[str]:
    """Counts of raw tokens as counts of the words they normalise to (none empty)."""
    counts: Counter[str] = Counter()
    for token, n in raw.items():
        word = normalise_word(token)
        if word:
            counts[word] += n
    return counts


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
      (:class:`indexer.engine.termpostings.TermChunk`) in ``chunks``/*segment id* as the segment
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
    """Each field whose text a document (``workers._documents``) joins of two others'."""
    return {
        schema.key_field(lang): (schema.title_field(lang), schema.summary_field(lang))
        for lang in ALL_LANGS
    }


def new_writer(ix) -> _BuildWriter:
    """A writer of a new segment of ``ix`` that counts the words for the spelling field
    (:meth:`_BuildWriter.words`) in each document's ``title\nsummary`` (its key field's
    text, the texts of :func:`_texts`) and saves the term chunk of the scored fields in
    the index's directory, under :data:`indexer.engine.termpostings.CHUNKS`."""
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


def finish_segment(writer: _BuildWriter) -> Any:
    """Write ``writer``'s segment (in a writer process) and return it, for the building
    process to commit with the others (:func:`commit_segments`)."""
    return writer._finalize_segment()


def commit_segments(parent, segments: list) -> None:
    """Commit the ``segments`` written by writer processes as the index of ``parent`` (a
    writer holding Whoosh's lock, which adds no segment of its own)."""
    parent._close_segment()
    parent._commit_toc(segments)
    parent._finish()


# Whoosh stores a document's field length as one byte (a logarithmic code).
_LENGTH_OF_CODE = np.array([0] + [byte_to_length(code) for code in range(1, 256)], dtype=np.float64)


def segment_lengths(reader, field: str) -> np.ndarray:
    """Every document's length in ``field`` in one segment, as floats.

    Whoosh quirk: ``doc_field_length`` costs microseconds per call, a second per field
    of 100,000 documents.  The W3 codec keeps the length codes as one byte per document
    in a column; read it whole (private attributes, checked for), else ask per document.
    """
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if isinstance(column, NumericColumn.Reader) and getattr(column, "_typecode", "") == "B":
        stored = min(column._count, count)
        codes = np.zeros(count, dtype=np.uint8)
        if stored:
            raw = column._dbfile.get(column._basepos, stored)
            codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
        return _LENGTH_OF_CODE[codes]
    return np.fromiter(
        (reader.doc_field_length(d, field, 0) or 0 for d in range(count)),
        dtype=np.float64,
        count=count,
    )


def term_postings(leaves, field: str, text: bytes, positional: bool):
    """(documents, weights, position gaps and their count per posting, or ``None``) of
    ``text`` in ``field``, read from Whoosh's blocks whole (private attributes of its
    W3 matcher, checked for)."""
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
    docs = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    gaps, counts = value_gaps(values) if positional else (None, None)
    return docs, np.asarray(weights, dtype=np.float32), gaps, counts


WHOOSH_READS = WhooshReads(segment_lengths, term_postings)
