"""Structures derived from a generation's Whoosh index at build time, read whole to serve.

Whoosh is the index of record (analysis, schema, segments, stored fields, spelling).
What serving used to compute from it on first use, per process, is computed once by the
build instead and written beside the segments as ``.npy`` arrays, which a serving
process reads whole into its own memory when it opens the generation (:func:`_loaded`,
not memory-mapped: a mapped file truncated under the server kills it): nothing is
parsed or re-derived.

- **Columns** (``col-*.npy``): per document its year, day, report number and language,
  its topics (a boolean matrix, one column per topic of ``meta.json``), and the order of
  the documents by report (what :class:`~indexer.engine.ranking.Versions` sorts).
- **Date order** (``col-date_order.npy``, ``col-date_rank.npy``): for each reader's
  language, every document newest first as date-ordered results and browsing list them
  (:func:`date_ranking`), and each document's position in that order, so ordering by
  date is a selection over a precomputed order, never a sort per search.
- **Field lengths** (``len-<field>.npy``): per scored field, every document's length as
  Whoosh scores it (its one-byte length code, decoded), and in ``derived.json`` the mean
  length of the documents that have the field (see :mod:`indexer.engine.matching`).
- **Glossary phrases** (``phrase-docs.npy``, ``phrase-offsets.npy``): for every name of
  several words of every glossary concept, analysed by each language's analyser, and
  each of that language's title and summary fields, the documents holding the name as a
  phrase (each word right after the one before, what the query side's ``slop=1``
  phrases ask).  Serving reads these instead of Whoosh's per-document positional check.
  ``derived.json`` lists the (field, words) keys in the order of the offsets.
- **Term arrays** (``post-*.npy``, :mod:`indexer.engine.termpostings`): per term of every
  scored field its documents and frequencies, and in the title and summary fields its
  word positions, so a first search reads arrays instead of decoding Whoosh's postings
  blocks, and checks any phrase (quoted, or the proximity bonus's sloppy one) on whole
  arrays instead of Whoosh's per-document positional check.  ``derived.json`` lists
  their files and fields (``postings``).
- **Word table** (``words*.npy``, :mod:`indexer.engine.wordtable`): every word of the corpus
  with its term and cross-script key in each language, so the snippets of a fresh
  process look up the words of the summaries they show instead of analysing them.
- **Glossary matcher** (in ``derived.json``): every name of every concept as each
  language's analyser gives it (:meth:`~indexer.glossary.Glossary.tables`), so serving
  builds its :class:`~indexer.glossary.Glossary` without analysing the names again.

Consistency: the build derives them from the index it has just written (so document
numbers are the ones serving sees, whatever the number of segments), before the
generation's manifest is made; ``meta.json`` names them (``derived``) and lists each
file with its size and checksum among the generation's ``files``, so a missing,
truncated or altered array is damage like any other file (checked when the generation
is opened, and before each search, see :meth:`Derived.verify`).

Serving needs every one of them: a generation without them, or with those of another
:data:`VERSION` (one built before they were all required), is refused with
:class:`RebuildNeeded` ("rebuild the index"), never served from Whoosh's own postings.
What reads Whoosh here (:func:`read_columns`, :func:`field_lengths`) runs at build time
only; what reads it through attributes Whoosh does not publish (length codes, postings
blocks) is the build writer's (:class:`WhooshReads`), passed in by the build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer import schema
from indexer.analysis import analyze
from indexer.corpus.load import GlossaryConcept
from indexer.engine.termpostings import TermPostings, open_term_postings, write_term_postings
from indexer.engine.wordtable import WordTable, open_word_table, write_word_table
from indexer.glossary import Glossary
from indexer.languages import ALL_LANGS, LANG_INDEX

# 2: every structure required (columns with the date order, lengths, glossary phrases and
# tables, term arrays, word table); a generation of version 1 may lack some of them.
# 3: Russian terms are dictionary lemmas (indexer.morph_ru), no longer Snowball stems; a
# generation of version 2 holds terms today's queries do not produce: refused, rebuild.
VERSION = 3
INFO = "derived.json"
PHRASE_DOCS = "phrase-docs.npy"
PHRASE_OFFSETS = "phrase-offsets.npy"
COLUMNS = ("years", "days", "reports", "langs", "topics", "report_order")
DATE_COLUMNS = ("date_order", "date_rank")  # one row per reader's language (ALL_LANGS)
_SHIFT = np.int64(32)  # a position key is (document << 32) | position
_EMPTY = np.zeros(0, dtype=np.int64)

PhraseKey = tuple[str, tuple[str, ...]]  # (field, analysed words)


class RebuildNeeded(ValueError):
    """A generation without the derived structures serving needs (built by an older
    version): it is not served until the index is rebuilt."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}: rebuild the index (`iapb-index build`)")


# -- building: read from Whoosh once, at build time ----------------------------------


def read_columns(reader, topic_ids: list[str]) -> dict[str, np.ndarray]:
    """The per-document columns of an index (see the module), read from Whoosh."""
    n = reader.doc_count_all()
    langs = reader.column_reader(schema.LANG)
    reports = np.array(list(reader.column_reader(schema.REPORT)), dtype=np.int64)[:n]
    topics = np.zeros((n, len(topic_ids)), dtype=bool)
    for j, topic in enumerate(topic_ids):
        if (schema.TOPICS, topic) in reader:
            ids = list(reader.postings(schema.TOPICS, topic).all_ids())
            topics[ids, j] = True
    columns = {
        "years": np.array(list(reader.column_reader(schema.YEAR)), dtype=np.int32)[:n],
        "days": np.array(list(reader.column_reader(schema.DAY)), dtype=np.int32)[:n],
        "reports": reports,
        "langs": np.array([LANG_INDEX.get(v, -1) for v in langs], dtype=np.int8)[:n],
        "topics": topics,
        "report_order": np.argsort(reports, kind="stable"),
    }
    columns.update(date_ranking(columns["days"], reports, columns["langs"]))
    return columns


def date_ranking(days: np.ndarray, reports: np.ndarray, langs: np.ndarray) -> dict[str, np.ndarray]:
    """The documents in date order, for each reader's language, and each one's position.

    Row ``i`` of ``date_order`` is every document newest first; among a day's, the higher
    report number first; within a report, the reader's language (``ALL_LANGS[i]``) first,
    then the others in the order :meth:`~indexer.engine.ranking.Versions.language_rank` gives;
    then by document number.  ``date_rank[i, d]`` is the position of document ``d`` in
    row ``i``.  The date order of any set of documents is their order here.

    A report has one date, so its documents are adjacent in every row (what collapsing
    by report relies on); raises ``ValueError`` when a report's documents have
    different days.
    """
    n = len(days)
    docs = np.arange(n, dtype=np.int64)
    dtype = np.int32 if n < 2**31 else np.int64
    order = np.empty((len(ALL_LANGS), n), dtype=dtype)
    rank = np.empty_like(order)
    newest = -days.astype(np.int64)
    highest = -reports.astype(np.int64)
    for i in range(len(ALL_LANGS)):
        lang_rank = (langs.astype(np.int64) - i) % len(ALL_LANGS)
        order[i] = np.lexsort((docs, lang_rank, highest, newest))
        rank[i, order[i]] = docs
    if n:
        grouped = reports[order[0]]
        runs = 1 + int(np.count_nonzero(grouped[1:] != grouped[:-1]))
        if runs != len(np.unique(reports)):
            raise ValueError("a report's documents have different dates")
    return {"date_order": order, "date_rank": rank}


class WhooshReads(NamedTuple):
    """How the build reads back what Whoosh wrote, whole: with Whoosh's private
    attributes, so the functions are :mod:`indexer.build.writer`'s (``WHOOSH_READS``), the
    one module that uses them, and given to :func:`write_derived` by the build."""

    # (segment reader, field) -> every document's length in the field, as floats
    segment_lengths: Callable[[Any, str], np.ndarray]
    # (leaves, field, term) -> docs, weights, position gaps and counts (see termpostings)
    term_postings: Callable[[list, str, bytes, bool], tuple]


def field_lengths(searcher: Searcher, field: str, reads: WhooshReads) -> tuple[np.ndarray, float]:
    """Every document's length in ``field`` and the mean length of the non-empty ones."""
    leaves = searcher.leaf_searchers()
    parts = [reads.segment_lengths(leaf.reader(), field) for leaf, _ in leaves]
    lengths = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)
    filled = lengths[lengths > 0]
    return lengths, float(filled.mean()) if len(filled) else 1.0


def scored_fields(fields) -> list[str]:
    """The fields a query scores (BM25F) that this schema has."""
    return [name for name in schema.field_boosts() if name in fields and fields[name].scorable]


# -- glossary phrases ----------------------------------------------------------------


def glossary_phrases(concepts: Iterable[GlossaryConcept]) -> list[PhraseKey]:
    """Every (field, words) a query may search as a glossary name's phrase: each name of
    several words, analysed by each language's analyser, in that language's title and
    summary fields (sorted, without repeats)."""
    keys: set[PhraseKey] = set()
    for concept in concepts:
        names = {name for _, name in concept.all_names()}
        names |= {n for names_ in concept.homonyms.values() for n in names_}
        for name in names:
            for lang in ALL_LANGS:
                words = tuple(analyze(name, lang))
                if len(words) > 1:
                    keys.add((schema.title_field(lang), words))
                    keys.add((schema.summary_field(lang), words))
    return sorted(keys)


def phrase_documents(postings: TermPostings, keys: list[PhraseKey]) -> list[np.ndarray]:
    """For each (field, words) of ``keys``, the sorted documents holding the words in that
    order, each right after the one before (a ``slop=1`` phrase), from the term arrays.

    Positions are decoded only in the documents holding every word of the phrase.
    """
    docs: dict[tuple[str, str], np.ndarray] = {}
    result: list[np.ndarray] = []
    for field, words in keys:
        found: np.ndarray | None = None
        for word in words:
            if (field, word) not in docs:
                docs[field, word] = postings.term(field, word)[0]
            word_docs = docs[field, word]
            found = word_docs if found is None else np.intersect1d(found, word_docs, True)
        result.append(postings.phrase(field, list(words), 1, found) if len(found) else _EMPTY)
    return result


# -- writing -------------------------------------------------------------------------


def _save(directory: Path, name: str, array: np.ndarray) -> str:
    np.save(directory / name, np.ascontiguousarray(array), allow_pickle=False)
    return name


def write_derived(
    directory: Path,
    topic_ids: list[str],
    concepts: Iterable[GlossaryConcept],
    reads: WhooshReads,
    chunks: Path | None = None,
) -> dict[str, Any]:
    """Derive the structures of the Whoosh index in ``directory`` and write them there.

    ``topic_ids`` and ``concepts`` are the generation's topics (in ``meta.json`` order)
    and glossary; ``reads`` reads the index's length codes and postings back whole;
    ``chunks`` holds the term chunks the build's writers saved, of which
    the term arrays are made (:func:`indexer.engine.termpostings.write_term_postings`; without
    it, or them, the arrays are read from the index).  Returns what ``meta.json``
    records under ``derived``.
    """
    concepts = list(concepts)
    ix = whoosh_index.open_dir(str(directory))
    fields = ix.schema  # Whoosh reads the table of contents again on each ``ix.schema``
    info: dict[str, Any] = {"version": VERSION, "topic_ids": topic_ids}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        columns = read_columns(reader, topic_ids)
        info["documents"] = len(columns["years"])
        info["year_values"] = sorted({int(y) for y in columns["years"]}, reverse=True)
        info["columns"] = {
            name: _save(directory, f"col-{name}.npy", columns[name])
            for name in (*COLUMNS, *DATE_COLUMNS)
        }
        info["lengths"] = {}
        for field in scored_fields(fields):
            lengths, mean = field_lengths(searcher, field, reads)
            info["lengths"][field] = {
                "file": _save(directory, f"len-{field}.npy", lengths),
                "mean": mean,
            }
        scored = scored_fields(fields)
        info["postings"] = write_term_postings(
            directory, searcher, scored, reads.term_postings, chunks
        )
        info["words"] = write_word_table(directory, reader)
        postings = open_term_postings(directory, info["postings"], lambda n: _loaded(directory / n))
        keys = [k for k in glossary_phrases(concepts) if k[0] in scored]
        docs = phrase_documents(postings, keys)
    info["glossary"] = Glossary(concepts).tables()
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=offsets[1:])
    joined = np.concatenate(docs) if docs else _EMPTY
    info["phrases"] = {
        "docs": _save(directory, PHRASE_DOCS, joined.astype(np.int32)),
        "offsets": _save(directory, PHRASE_OFFSETS, offsets),
        "keys": [[field, list(words)] for field, words in keys],
    }
    (directory / INFO).write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    return {"version": VERSION, "info": INFO}


def derived_files(info: dict[str, Any]) -> list[str]:
    """Every file of ``info`` (a generation's ``derived.json``), itself first."""
    names = [INFO, *info["columns"].values(), info["phrases"]["docs"], info["phrases"]["offsets"]]
    names += [item["file"] for item in info["lengths"].values()]
    return names + list(info["postings"]["files"]) + list(info["words"]["files"])


# -- serving -------------------------------------------------------------------------


# The header ``np.save`` writes for a C-ordered array of a plain dtype (format 1.0).
_NPY_MAGIC = b"\x93NUMPY\x01\x00"
_NPY_HEADER = re.compile(
    rb"\{'descr': '([<>|=](?:[a-z]|[SU])\d+)', 'fortran_order': False, "
    rb"'shape': \(((?:\d+, )*\d*),?\), \}"
    rb" *\n\Z"
)


def _loaded(path: Path) -> np.ndarray:
    """A read-only ndarray of the ``.npy`` file at ``path``, read into this process's
    own memory.

    Not memory-mapped: a mapped file truncated under the server (a bad copy, a full
    disk, an operator's mistake) kills the process that reads past its new end with
    ``SIGBUS``, which no Python code can catch, and every worker with it.  Read into
    memory, a changed file cannot touch an array already read; a file that changes while
    it is read is caught by the size check below or by the stat check before each
    search (:meth:`indexer.engine.generation.Generation.verify_mapped`).  The cost, measured on
    20,000 documents: 13 MB of arrays read per process when a generation opens (about
    65 MB at 100,000), private to each worker instead of shared page cache; see
    ``docs/deploy.md``.

    ``np.load`` parses the header with ``ast.literal_eval``: 0.2 to 0.4 ms a file, most
    of the cost of opening a generation's arrays.  The header ``np.save`` writes for the
    arrays of this module is read here with a strict pattern (numbers, booleans, byte and
    Unicode strings); any other file goes through ``np.load``, which is also not safe to
    call from several threads at once on Python 3.11 (its header parser can raise
    ``SystemError``).  Raises ``OSError`` or ``ValueError`` (a file shorter than its
    header says) as ``np.load`` does.
    """
    with open(path, "rb") as handle:
        prefix = handle.read(len(_NPY_MAGIC) + 2)
        if prefix[: len(_NPY_MAGIC)] == _NPY_MAGIC:
            size = int.from_bytes(prefix[len(_NPY_MAGIC) :], "little")
            header = _NPY_HEADER.match(handle.read(size))
            if header is not None:
                dtype = np.dtype(header[1].decode("ascii"))
                shape = tuple(int(n) for n in header[2].split(b",") if n.strip())
                array = np.empty(shape, dtype)
                view = memoryview(array.reshape(-1).view(np.uint8))
                done = 0
                while done < len(view):
                    got = handle.readinto(view[done:])
                    if not got:
                        raise ValueError(f"{path.name} is shorter than its header says")
                    done += got
                array.flags.writeable = False
                return array
    array = np.load(path, allow_pickle=False)
    array.flags.writeable = False
    return array


def outdated(meta: dict[str, Any]) -> str | None:
    """Why a generation (its ``meta.json``) cannot be served until the index is rebuilt,
    or ``None``: it has no derived structures, or of another :data:`VERSION`."""
    entry = meta.get("derived")
    if entry is None:
        return "no derived structures (built by an older version)"
    if entry.get("version") != VERSION:
        return f"derived structures of version {entry.get('version')!r}, not {VERSION}"
    return None


class Derived:
    """A generation's derived structures, read into memory (see the module)."""

    def __init__(self, path: Path, entry: dict[str, Any]) -> None:
        why = outdated({"derived": entry})
        if why is not None:
            raise RebuildNeeded(path, why)
        info = json.loads((path / entry["info"]).read_text(encoding="utf-8"))
        self.path = path
        self.documents: int = int(info["documents"])
        self.topic_ids: list[str] = list(info["topic_ids"])
        self.year_values: list[int] = [int(y) for y in info["year_values"]]
        self.glossary_tables: dict[str, Any] = info["glossary"]
        self.files: list[str] = [entry["info"]]
        self.columns = {name: self._load(info["columns"][name]) for name in COLUMNS + DATE_COLUMNS}
        self.lengths = {
            field: (self._load(item["file"]), float(item["mean"]))
            for field, item in info["lengths"].items()
        }
        phrases = info["phrases"]
        self._phrase_docs = self._load(phrases["docs"])
        self._phrase_offsets = self._load(phrases["offsets"])
        self._phrases = {
            (field, tuple(words)): i for i, (field, words) in enumerate(phrases["keys"])
        }
        for name, array in self.columns.items():
            rows = array.shape[-1] if name in DATE_COLUMNS else len(array)
            if rows != self.documents:
                raise ValueError(f"column {name} has {rows} rows, not {self.documents}")
        if self.columns["date_order"].shape[0] != len(ALL_LANGS):
            raise ValueError("the date order does not have a row per language")
        if len(self._phrase_offsets) != len(self._phrases) + 1:
            raise ValueError("phrase offsets do not match the phrases")
        self.postings: TermPostings = open_term_postings(path, info["postings"], self._load)
        self.words: WordTable = open_word_table(path, info["words"], self._load)

    def _load(self, name: str) -> np.ndarray:
        self.files.append(name)
        return _loaded(self.path / name)

    def phrase(self, field: str, words: Iterable[str]) -> np.ndarray | None:
        """The documents holding ``words`` as a phrase in ``field``, if precomputed."""
        i = self._phrases.get((field, tuple(words)))
        if i is None:
            return None
        lo, hi = self._phrase_offsets[i], self._phrase_offsets[i + 1]
        return self._phrase_docs[lo:hi].astype(np.int64)

    def has_phrase(self, field: str, words: Iterable[str]) -> bool:
        return (field, tuple(words)) in self._phrases


def open_derived(path: Path, meta: dict[str, Any]) -> Derived:
    """The derived structures of the generation at ``path``.

    Raises :class:`RebuildNeeded` for a generation built before they existed (its
    ``meta.json`` names none) or of another :data:`VERSION`; ``OSError``, ``KeyError`` or
    ``ValueError`` for damaged ones.
    """
    why = outdated(meta)
    if why is not None:
        raise RebuildNeeded(path, why)
    return Derived(path, meta["derived"])
