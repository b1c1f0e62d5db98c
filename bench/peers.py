"""Peers: the synthetic corpus indexed and searched by Tantivy and SQLite FTS5, side by side.

The same corpus directory (:mod:`bench.synth`) is loaded with the project's own loader
(:func:`indexer.corpus.load.load_corpus`, counted in each build, as it is in the project's)
and indexed by

- **Tantivy** (PyPI ``tantivy``, the ``bench`` extra): one document per (report,
  language) like the project, a title and a summary field per language, analysed by
  Tantivy's simple tokenizer, lower-casing and its Snowball stemmer (English, Russian;
  it has no Belarusian stemmer, so Belarusian is lower-cased only); year, language,
  topics, report and day are fast fields.
- **SQLite FTS5** (the standard library's ``sqlite3``): English documents in a table with
  the ``porter unicode61`` tokenizer, Belarusian and Russian ones in a ``unicode61``
  table (FTS5 has no stemmer for them); year, language, report, day in a plain table,
  topics in a table of (document, topic).

Each runs the queries of :data:`bench.queries.QUERY_MIX` with the same work as the
project: every plain word required, ``-word`` excluded, quoted phrases, ``word*``
prefixes, the title weighted twice the summary; the filters; the top 10 by score or by
date (collapsed to one document per report when asked); a snippet per hit; and
disjunctive year, language and topic counts (each facet counted with every other
facet's selection applied but not its own).  "+g" is the same peer given the glossary
names the project's planner adds (:class:`indexer.glossary.Glossary`, the same
matching) as alternatives of the words that name them: the same semantic work.

What a peer does not do: the project's cross-script key fields (a word typed in another
script), its finding every language version of a report for a phrase or a name, its
Belarusian stemmer, its proximity bonus and its spelling recovery.  Ratios are read
with that in mind (:data:`DIFFERENCES`).

Each peer's build runs in a process of its own (``python -m bench.buildchild SYSTEM CORPUS
OUT``, :func:`build`), so its wall time and the peak memory of its process tree are
measured as the project's are.  The warm rounds also time the date-ordered queries of
the mix (:data:`DATE_ORDERED`: Tantivy orders by its fast ``day`` field with
``order_by_field``, FTS5 by an indexed column, the project by the date order its build
precomputes), and list the queries the project marked partial.

``python -m bench.peers open SYSTEM DIR`` opens an index in this fresh process and
prints the milliseconds it took as JSON (what :func:`open_in_fresh_process` runs).
"""

from __future__ import annotations

import functools
import json
import pickle
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import builds
from bench.queries import QUERY_MIX, Params, request
from bench.stats import summarise
from indexer.analysis import analyze
from indexer.corpus.load import load_corpus
from indexer.engine.generation import SearchIndex
from indexer.glossary import Glossary
from indexer.languages import ALL_LANGS, Lang
from indexer.search import search

TOP = 10
SNIPPET_CHARS = 200
TITLE_WEIGHT = 2.0
_LATIN_RE = re.compile(r"[A-Za-z]")
_TOKEN_RE = re.compile(r'-?"[^"]*"|\S+')
_PEER_WORD_RE = re.compile(r"[^\W_]+")
STEMMERS = {Lang.EN: "english", Lang.RU: "russian"}  # Tantivy has none for Belarusian

DIFFERENCES = (
    "Tantivy: simple tokenizer, lower case, Snowball stemmer for English and Russian and "
    "none for Belarusian (the project stems Belarusian with its own stemmer); BM25 per "
    "field, the title boosted ×2; facet counts by its aggregation framework (terms "
    "aggregations over fast fields, one pass per distinct set of the other facets' "
    "filters); snippets by its SnippetGenerator; date order by a fast field; the number of "
    "reports of a collapsed search by its cardinality aggregation, an estimate "
    "(HyperLogLog: 3,293 for 3,334 at 10,000 documents); its writer uses its default "
    "threads and memory.",
    "SQLite FTS5: `porter unicode61` for English (the original Porter stemmer, not "
    "Porter2/Snowball as in the project and Tantivy), `unicode61` without stemming for "
    "Belarusian and Russian (a word finds only its own form); bm25() with the title ×2; "
    "the matches put in a temporary table, then facet counts by SQL GROUP BY over "
    "metadata tables; a snippet() query per hit.",
    "Neither peer searches the project's cross-script key fields (a word typed in "
    "another script), finds every language version of a report matched by a phrase, "
    "prefix or glossary name, adds the bonus for words near each other, or tries "
    "spelling recovery: the project does all of these in its timed search.",
    "'+g': the same index, queries given the glossary names the project's planner adds "
    "(found with the project's glossary matcher before the clock starts: a dictionary "
    "lookup); their time is building and running the larger query.",
    "Build: the project builds the index of record (Whoosh) with its stored fields, "
    "spelling vocabulary and columns; each peer's build loads the same corpus with the "
    "project's loader (counted) and writes one index.",
)


# --- the corpus as peers see it ------------------------------------------------------


@dataclass(frozen=True)
class PeerDoc:
    """One document (a report in one language), numbered in corpus order."""

    docnum: int
    id: str
    report: int
    lang: Lang
    year: int
    day: int
    topics: tuple[str, ...]
    title: str
    summary: str


def load_docs(corpus_dir: Path) -> tuple[list[PeerDoc], Glossary]:
    """Every document of the corpus, and its glossary as the project matches it."""
    corpus = load_corpus(corpus_dir)
    docs = []
    for report in corpus.reports:
        for lang in ALL_LANGS:
            text = report.summaries.get(lang)
            if text is None:
                continue
            docs.append(
                PeerDoc(
                    docnum=len(docs),
                    id=f"r{report.number}-{lang.value}",
                    report=report.number,
                    lang=lang,
                    year=report.date.year,
                    day=report.date.toordinal(),
                    topics=tuple(report.topics),
                    title=text.title,
                    summary=text.summary,
                )
            )
    return docs, Glossary(corpus.glossary)


# --- queries as peers see them -------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """Text to find as a word (one token), a phrase (several) or a prefix."""

    text: str
    prefix: bool = False
    langs: tuple[Lang, ...] = ALL_LANGS  # the languages' fields it is searched in


@dataclass(frozen=True)
class Clause:
    """Any of ``alternatives`` must match (or, ``negated``, none may)."""

    alternatives: tuple[Alternative, ...]
    negated: bool = False


@dataclass(frozen=True)
class PeerQuery:
    """A search of the mix as a peer runs it."""

    clauses: tuple[Clause, ...] = ()
    years: tuple[int, ...] = ()
    langs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    by_date: bool = False
    collapse: bool = False
    expanded: tuple[str, ...] = ()  # the glossary names added (for "+g")

    @property
    def filters(self) -> list[tuple[str, tuple]]:
        """The facet filters asked for, as (facet, values), in a fixed order."""
        pairs = (("year", self.years), ("lang", self.langs), ("topic", self.topics))
        return [(name, values) for name, values in pairs if values]


def _names(glossary: Glossary, typed: Sequence[str]) -> list[Alternative]:
    """The other names of the concept ``typed`` names, as the project's planner adds them:
    not the names that analyse like the typed text, Latin names in every language."""
    concept = glossary.lookup(typed)
    if concept is None:
        return []
    typed_text = " ".join(typed)
    out = []
    for lang, name in concept.all_names():
        if analyze(name, lang) == analyze(typed_text, lang):
            continue
        langs = ALL_LANGS if _LATIN_RE.search(name) else (lang,)
        out.append(Alternative(name, langs=langs))
    return out


def _glossary_clauses(words: list[str], glossary: Glossary | None) -> list[Clause]:
    """Plain words as required clauses; with a glossary, a run of words naming a concept
    becomes one clause: the name (a phrase when it has several words) or its other names."""
    if glossary is None:
        return [Clause((Alternative(w),)) for w in words]
    out: list[Clause] = []
    at = 0
    for match in glossary.find(words):
        out += [Clause((Alternative(w),)) for w in words[at : match.start]]
        typed = words[match.start : match.end]
        out.append(Clause((Alternative(" ".join(typed)), *_names(glossary, typed))))
        at = match.end
    return out + [Clause((Alternative(w),)) for w in words[at:]]


def parse(params: Params, glossary: Glossary | None = None) -> PeerQuery:
    """The peer query of a mix entry: ``q`` split into words, ``"phrases"``, ``-negated``
    ones and ``prefix*``es (``AND`` is what words are anyway), plus the filters."""
    q = (params.get("q") or [""])[0]
    clauses: list[Clause] = []
    run: list[str] = []

    def flush() -> None:
        clauses.extend(_glossary_clauses(run, glossary))
        run.clear()

    for token in _TOKEN_RE.findall(q):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        if body == "AND":
            continue
        if body.startswith('"'):
            flush()
            text = body.strip('"')
            alternatives = [Alternative(text)]
            if glossary is not None and not negated:
                alternatives += _names(glossary, text.split())
            clauses.append(Clause(tuple(alternatives), negated))
        elif body.endswith("*"):
            flush()
            clauses.append(Clause((Alternative(body.rstrip("*").lower(), prefix=True),), negated))
        elif negated:
            flush()
            clauses.append(Clause((Alternative(body),), negated=True))
        else:
            run.append(body)
    flush()
    added = tuple(
        dict.fromkeys(a.text for c in clauses if not c.negated for a in c.alternatives[1:])
    )
    return PeerQuery(
        clauses=tuple(clauses),
        years=tuple(int(y) for y in params.get("year", [])),
        langs=tuple(params.get("lang", [])),
        topics=tuple(params.get("topic", [])),
        by_date=params.get("sort", [""])[0] == "date" or not clauses,
        collapse=params.get("collapse", [""])[0] == "report",
        expanded=added,
    )


@dataclass
class PeerResult:
    """What a peer's search returns: total, the page's (document id, snippet), counts."""

    total: int
    hits: list[tuple[str, str]]
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)


def _facet_plans(query: PeerQuery) -> dict[tuple, list[str]]:
    """Facets grouped by the filters their counts apply (all but their own): facets with
    the same filters are counted in one pass."""
    selected = {"year": query.years, "lang": query.langs, "topic": query.topics}
    plans: dict[tuple, list[str]] = {}
    for facet in selected:
        others = tuple((name, values) for name, values in selected.items() if name != facet)
        key = tuple((name, values) for name, values in others if values)
        plans.setdefault(key, []).append(facet)
    return plans


# --- Tantivy ---------------------------------------------------------------------------


def _tantivy():
    try:
        import tantivy
    except ImportError as exc:  # the message says what to do
        raise RuntimeError(
            "the peers benchmark needs the tantivy package: pip install -e '.[bench]' "
            "(make bench does), or run bench.run with --no-peers"
        ) from exc
    return tantivy


def _tantivy_analyzer(tantivy, lang: Lang):
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    builder = builder.filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
    if lang in STEMMERS:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[lang]))
    return builder.build()


def _tantivy_schema(tantivy):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_integer_field("report", stored=True, fast=True, indexed=True)
    builder.add_text_field("lang", stored=True, tokenizer_name="raw", fast=True)
    builder.add_integer_field("year", fast=True, indexed=True)
    builder.add_integer_field("day", fast=True)
    builder.add_text_field("topic", tokenizer_name="raw", fast=True)
    for lang in ALL_LANGS:
        for name in ("title", "summary"):
            builder.add_text_field(f"{name}_{lang.value}", stored=True, tokenizer_name=lang.value)
    return builder.build()


class TantivyPeer:
    """A Tantivy index of the corpus: build, open, search."""

    name = "tantivy"

    def __init__(self, path: Path) -> None:
        self.tantivy = _tantivy()
        self.path = path
        self.index = self.tantivy.Index.open(str(path))
        self.analyzers = {lang: _tantivy_analyzer(self.tantivy, lang) for lang in ALL_LANGS}
        for lang, analyzer in self.analyzers.items():
            self.index.register_tokenizer(lang.value, analyzer)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    @staticmethod
    def build(docs: Sequence[PeerDoc], path: Path) -> None:
        """Index ``docs`` into a new directory ``path`` (replaced if it exists)."""
        tantivy = _tantivy()
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(_tantivy_schema(tantivy), path=str(path))
        for lang in ALL_LANGS:
            index.register_tokenizer(lang.value, _tantivy_analyzer(tantivy, lang))
        writer = index.writer()
        for d in docs:
            fields: dict[str, Any] = {
                "id": d.id,
                "report": d.report,
                "lang": d.lang.value,
                "year": d.year,
                "day": d.day,
                "topic": list(d.topics),
                f"title_{d.lang.value}": d.title,
                f"summary_{d.lang.value}": d.summary,
            }
            writer.add_document(tantivy.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()

    # -- queries ----------------------------------------------------------------------

    def _alternative(self, alt: Alternative) -> list:
        Q = self.tantivy.Query
        out = []
        for lang in alt.langs:
            for name, weight in (("title", TITLE_WEIGHT), ("summary", 1.0)):
                fieldname = f"{name}_{lang.value}"
                if alt.prefix:
                    query = Q.regex_query(self.schema, fieldname, re.escape(alt.text) + ".*")
                else:
                    tokens = self.analyzers[lang].analyze(alt.text)
                    if not tokens:
                        continue
                    if len(tokens) == 1:
                        query = Q.term_query(self.schema, fieldname, tokens[0])
                    else:
                        query = Q.phrase_query(self.schema, fieldname, tokens, slop=1)
                out.append(Q.boost_query(query, weight) if weight != 1.0 else query)
        return out

    def _text_query(self, query: PeerQuery):
        Q, Occur = self.tantivy.Query, self.tantivy.Occur
        parts = []
        for clause in query.clauses:
            alternatives = [q for a in clause.alternatives for q in self._alternative(a)]
            if not alternatives:
                if clause.negated:
                    continue
                return Q.empty_query()
            either = Q.boolean_query([(Occur.Should, q) for q in alternatives])
            parts.append((Occur.MustNot if clause.negated else Occur.Must, either))
        if not any(occur == Occur.Must for occur, _ in parts):
            parts.append((Occur.Must, Q.all_query()))
        return Q.boolean_query(parts)

    def _filter(self, name: str, values: Sequence[Any]):
        Q, Occur = self.tantivy.Query, self.tantivy.Occur
        terms = [(Occur.Should, Q.term_query(self.schema, name, v)) for v in values]
        return Q.boolean_query(terms)

    def _with(self, base, filters: Sequence[tuple[str, Sequence[Any]]]):
        Q, Occur = self.tantivy.Query, self.tantivy.Occur
        if not filters:
            return base
        parts = [(Occur.Must, base)]
        parts += [(Occur.Must, self._filter(name, values)) for name, values in filters]
        return Q.boolean_query(parts)

    def search(self, query: PeerQuery, top: int = TOP) -> PeerResult:
        """The ``top`` hits with snippets, the total and the disjunctive facet counts."""
        base = self._text_query(query)
        filters = query.filters
        facets: dict[str, dict[Any, int]] = {}
        for key, names in _facet_plans(query).items():
            aggs = {n: {"terms": {"field": n, "size": 100}} for n in names}
            found = self.searcher.aggregate(self._with(base, key), aggs)
            for n in names:
                facets[n] = {b["key"]: b["doc_count"] for b in found[n]["buckets"]}
        final = self._with(base, filters)
        order = {"order_by_field": "day"} if query.by_date else {}
        limit = top * len(ALL_LANGS) if query.collapse else top
        result = self.searcher.search(final, limit, count=True, **order)
        total = result.count
        docs = [self.searcher.doc(address) for _, address in result.hits]
        if query.collapse:
            total = int(self.searcher.cardinality(final, "report"))
            seen: set[int] = set()
            kept = []
            for doc in docs:
                if doc["report"][0] not in seen:
                    seen.add(doc["report"][0])
                    kept.append(doc)
            docs = kept[:top]
        hits = []
        generators: dict[str, Any] = {}
        for doc in docs:
            lang = doc["lang"][0]
            fieldname = f"summary_{lang}"
            if query.clauses:
                if fieldname not in generators:
                    generator = self.tantivy.SnippetGenerator.create(
                        self.searcher, base, self.schema, fieldname
                    )
                    generator.set_max_num_chars(SNIPPET_CHARS)
                    generators[fieldname] = generator
                snippet = generators[fieldname].snippet_from_doc(doc).to_html()
            else:
                snippet = doc[fieldname][0][:SNIPPET_CHARS]
            hits.append((doc["id"][0], snippet))
        return PeerResult(total, hits, facets)

    def matching_reports(self, query: PeerQuery) -> set[int]:
        """The report numbers of every document the text query matches (for tests)."""
        base = self._text_query(query)
        found = self.searcher.aggregate(base, {"r": {"terms": {"field": "report", "size": 10**6}}})
        return {int(b["key"]) for b in found["r"]["buckets"]}

    def close(self) -> None:
        pass


# --- SQLite FTS5 -----------------------------------------------------------------------

_FTS_TABLES = {"fts_en": "porter unicode61", "fts_cy": "unicode61"}


def _fts_table(lang: Lang | str) -> str:
    return "fts_en" if Lang(lang) is Lang.EN else "fts_cy"


def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Fts5Peer:
    """An SQLite FTS5 database of the corpus: build, open, search."""

    name = "fts5"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path / "peer.sqlite"), check_same_thread=False)
        self.db.execute("SELECT docnum FROM docs LIMIT 1").fetchall()
        self.db.execute("CREATE TEMP TABLE m (docnum INTEGER PRIMARY KEY, score REAL)")

    @staticmethod
    def build(docs: Sequence[PeerDoc], path: Path) -> None:
        """Write ``docs`` into a new database in ``path`` (replaced if it exists)."""
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        db = sqlite3.connect(str(path / "peer.sqlite"))
        with db:
            db.execute(
                "CREATE TABLE docs (docnum INTEGER PRIMARY KEY, id TEXT, report INTEGER,"
                " lang TEXT, year INTEGER, day INTEGER)"
            )
            db.execute("CREATE TABLE topics (docnum INTEGER, topic TEXT)")
            for table, tokenizer in _FTS_TABLES.items():
                db.execute(
                    f"CREATE VIRTUAL TABLE {table} USING fts5(title, summary, "
                    f"tokenize = '{tokenizer}')"
                )
            db.executemany(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                ((d.docnum, d.id, d.report, d.lang.value, d.year, d.day) for d in docs),
            )
            db.executemany(
                "INSERT INTO topics VALUES (?, ?)", ((d.docnum, t) for d in docs for t in d.topics)
            )
            for table in _FTS_TABLES:
                rows = [(d.docnum, d.title, d.summary) for d in docs if _fts_table(d.lang) == table]
                sql = f"INSERT INTO {table} (rowid, title, summary) VALUES (?, ?, ?)"
                db.executemany(sql, rows)
            db.execute("CREATE INDEX topics_topic ON topics (topic, docnum)")
            db.execute("CREATE INDEX topics_doc ON topics (docnum)")
            db.execute("CREATE INDEX docs_day ON docs (day)")
            for table in _FTS_TABLES:
                db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        db.close()

    # -- queries ----------------------------------------------------------------------

    @staticmethod
    def _alternative(alt: Alternative, table: str) -> str | None:
        langs = (Lang.EN,) if table == "fts_en" else (Lang.BE, Lang.RU)
        if not set(langs) & set(alt.langs):
            return None
        if alt.prefix:
            return _fts_quote(alt.text) + "*"
        words = _PEER_WORD_RE.findall(alt.text)
        return _fts_quote(" ".join(words)) if words else None

    @classmethod
    def match_expression(cls, query: PeerQuery, table: str) -> str | None:
        """The FTS5 MATCH expression of the text query in ``table``; None: nothing there."""
        positive, negative = [], []
        for clause in query.clauses:
            alternatives = [cls._alternative(a, table) for a in clause.alternatives]
            alternatives = [a for a in alternatives if a]
            if not alternatives:
                if clause.negated:
                    continue
                return None
            either = alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
            (negative if clause.negated else positive).append(either)
        if not positive:
            return None
        text = " AND ".join(positive)
        return text + "".join(f" NOT {n}" for n in negative)

    def _fill_matches(self, query: PeerQuery) -> None:
        self.db.execute("DELETE FROM m")
        for table in _FTS_TABLES:
            expression = self.match_expression(query, table)
            if expression is None:
                continue
            self.db.execute(
                f"INSERT INTO m SELECT rowid, bm25({table}, {TITLE_WEIGHT}, 1.0) FROM {table} "
                f"WHERE {table} MATCH ?",
                (expression,),
            )

    @staticmethod
    def _where(filters: Sequence[tuple[str, Sequence[Any]]]) -> tuple[str, list[Any]]:
        sql, args = [], []
        for name, values in filters:
            marks = ", ".join("?" * len(values))
            if name == "topic":
                sql.append(f"d.docnum IN (SELECT docnum FROM topics WHERE topic IN ({marks}))")
            else:
                sql.append(f"d.{name} IN ({marks})")
            args += list(values)
        return (" WHERE " + " AND ".join(sql)) if sql else "", args

    def search(self, query: PeerQuery) -> PeerResult:
        """The top 10 with snippets, the total and the disjunctive facet counts."""
        if query.clauses:
            self._fill_matches(query)
            source = "m JOIN docs d ON d.docnum = m.docnum"
        else:
            source = "docs d"
        facets: dict[str, dict[Any, int]] = {}
        for key, names in _facet_plans(query).items():
            where, args = self._where(key)
            for n in names:
                if n == "topic":
                    sql = (
                        f"SELECT t.topic, count(*) FROM {source} JOIN topics t "
                        f"ON t.docnum = d.docnum{where} GROUP BY t.topic"
                    )
                else:
                    sql = f"SELECT d.{n}, count(*) FROM {source}{where} GROUP BY d.{n}"
                facets[n] = dict(self.db.execute(sql, args).fetchall())
        filters = query.filters
        where, args = self._where(filters)
        order = "d.day DESC" if query.by_date or not query.clauses else "m.score"
        if query.collapse:
            best = "max(d.day)" if order.startswith("d.day") else "min(m.score)"
            total = self.db.execute(
                f"SELECT count(DISTINCT d.report) FROM {source}{where}", args
            ).fetchone()[0]
            rows = self.db.execute(
                f"SELECT d.docnum, d.id, d.lang, {best} AS k FROM {source}{where} "
                f"GROUP BY d.report ORDER BY k{' DESC' if 'day' in best else ''} LIMIT {TOP}",
                args,
            ).fetchall()
        else:
            total = self.db.execute(f"SELECT count(*) FROM {source}{where}", args).fetchone()[0]
            rows = self.db.execute(
                f"SELECT d.docnum, d.id, d.lang, 0 FROM {source}{where} ORDER BY {order} "
                f"LIMIT {TOP}",
                args,
            ).fetchall()
        hits = [(doc_id, self._snippet(query, docnum, lang)) for docnum, doc_id, lang, _ in rows]
        return PeerResult(total, hits, facets)

    def _snippet(self, query: PeerQuery, docnum: int, lang: str) -> str:
        table = _fts_table(lang)
        expression = self.match_expression(query, table) if query.clauses else None
        if expression is None:
            row = self.db.execute(
                f"SELECT substr(summary, 1, {SNIPPET_CHARS}) FROM {table} WHERE rowid = ?",
                (docnum,),
            ).fetchone()
        else:
            row = self.db.execute(
                f"SELECT snippet({table}, 1, '<b>', '</b>', '…', 24) FROM {table} "
                f"WHERE {table} MATCH ? AND rowid = ?",
                (expression, docnum),
            ).fetchone()
        return row[0] if row else ""

    def matching_reports(self, query: PeerQuery) -> set[int]:
        """The report numbers of every document the text query matches (for tests)."""
        self._fill_matches(query)
        rows = self.db.execute("SELECT DISTINCT d.report FROM m JOIN docs d USING (docnum)")
        return {r for (r,) in rows}

    def close(self) -> None:
        self.db.close()


PEERS: dict[str, type] = {"tantivy": TantivyPeer, "fts5": Fts5Peer}


def glossary_path(path: Path) -> Path:
    """Where :func:`build` keeps the glossary of the index at ``path`` (beside it: the
    peers' own directories hold only their own files)."""
    return path.with_name(path.name + ".glossary.pickle")


def build(system: str, corpus_dir: Path, path: Path) -> dict[str, Any]:
    """Load ``corpus_dir`` and index it with peer ``system`` into ``path``; the seconds
    both took (loading included, as the project's build includes it), the documents
    and the index's size.  The glossary is kept beside the index, after the clock, for
    the "+g" queries and the HTTP wrapper (:mod:`bench.tantivy_app`)."""
    started = time.perf_counter()
    docs, glossary = load_docs(corpus_dir)
    loaded = time.perf_counter() - started
    PEERS[system].build(docs, path)
    seconds = time.perf_counter() - started
    glossary_path(path).write_bytes(pickle.dumps(glossary.concepts))
    return {
        "documents": len(docs),
        "build_s": round(seconds, 2),
        "load_s": round(loaded, 2),
        "disk_mb": round(disk_bytes(path) / 1e6, 2),
    }


def load_glossary(path: Path) -> Glossary:
    """The glossary :func:`build` kept beside the index at ``path``."""
    return Glossary(pickle.loads(glossary_path(path).read_bytes()))


# --- the project, driven the same way --------------------------------------------------


class ProjectSystem:
    """The project's own search over its index, with the result cache off."""

    name = "project"

    def __init__(self, index_dir: Path) -> None:
        self.index = SearchIndex(index_dir, cache_size=0)
        self.path = self.index.generation().path

    def search(self, params: Params):
        return search(self.index, request(params))

    def close(self) -> None:
        self.index.close()


def open_once(system: str, path: Path) -> float:
    """Milliseconds to open ``system``'s index at ``path`` ready to search (this process)."""
    started = time.perf_counter()
    if system == "project":
        opened: Any = ProjectSystem(path)
    else:
        opened = PEERS[system](path)
    elapsed = (time.perf_counter() - started) * 1000
    opened.close()
    return elapsed


def open_in_fresh_process(system: str, path: Path) -> float:
    """:func:`open_once` in a new Python process (imports are done before the clock)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.peers", "open", system, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(json.loads(out.stdout)["ms"])


def disk_bytes(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# --- the side-by-side run --------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    return round(float(statistics.median(values)), 3)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return round(a / b, 3)


def _variants(glossary: Glossary) -> dict[str, list[tuple[str, PeerQuery]]]:
    plain = [(name, parse(params)) for name, params in QUERY_MIX]
    expanded = [(name, parse(params, glossary)) for name, params in QUERY_MIX]
    return {"plain": plain, "g": expanded}


# The queries of the mix ordered by date (browsing, ``sort=date``): Tantivy orders them by
# its fast ``day`` field (``order_by_field``), FTS5 by an indexed column, the project by
# the date order its build precomputes.  Their mean time: the "date-ordered" figure.
DATE_ORDERED: tuple[int, ...] = tuple(
    i for i, (_, params) in enumerate(QUERY_MIX) if parse(params).by_date
)


def _build_peers(
    corpus_dir: Path, work: Path, systems: Sequence[str], progress: Callable[[str], None]
) -> tuple[dict[str, Path], dict[str, dict[str, Any]]]:
    built: dict[str, Path] = {}
    figures: dict[str, dict[str, Any]] = {}
    for name in systems:
        path = work / f"peer-{name}"
        progress(f"building the {name} index of {corpus_dir} (a process of its own)")
        figures[name] = builds.measure(name, corpus_dir, path)
        built[name] = path
        f = figures[name]
        progress(
            f"  {f['documents']:,} documents in {f['build_s']:.1f} s ({f['load_s']:.1f} s "
            f"loading), peak RSS {f['peak_rss_mb']:,.0f} MB"
        )
    return built, figures


def run(
    corpus_dir: Path,
    project_index: Path,
    project_build: dict[str, Any],
    work: Path,
    *,
    rounds: int = 5,
    open_rounds: int = 5,
    systems: Sequence[str] = tuple(PEERS),
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Build the peers' indexes of ``corpus_dir`` (those named in ``systems``) and
    measure them against the project's index ``project_index`` (already built, its build
    figures in ``project_build``).

    Build: once per peer, each in a process of its own (:mod:`bench.builds`: wall time
    and the peak memory of the process tree).  Open: ``open_rounds`` fresh processes per
    system, alternating.  Warm latency: ``rounds`` rounds, each running the whole mix
    once on every system in turn (the order rotates every round), after one round to
    warm up; each round gives each system a p50, a p99 and the mean of the date-ordered
    queries (:data:`DATE_ORDERED`), and the figures are the medians over rounds (the
    ratios too: the median of the rounds' ratios).  The queries the project marked
    partial (a cost limit cut them) in any round are listed.
    """
    out: dict[str, Any] = {"corpus": str(corpus_dir), "systems": {}, "differences": DIFFERENCES}
    built, out["systems"] = _build_peers(corpus_dir, work, systems, progress)
    glossary = load_glossary(built[systems[0]])
    project = ProjectSystem(project_index)
    out["systems"]["project"] = {
        "documents": project_build.get("documents"),
        "build_s": project_build.get("seconds"),
        "build_reused": bool(project_build.get("reused")),
        "peak_rss_mb": project_build.get("peak_rss_mb"),
        "disk_mb": round(disk_bytes(project.path) / 1e6, 2),
    }
    project.close()

    progress(f"open in a fresh process, {open_rounds} rounds")
    order = ["project", *systems]
    opens: dict[str, list[float]] = {name: [] for name in order}
    for r in range(open_rounds):
        for name in order[r % len(order) :] + order[: r % len(order)]:
            path = project_index if name == "project" else built[name]
            opens[name].append(open_in_fresh_process(name, path))
    for name, values in opens.items():
        out["systems"][name]["open_ms"] = _median(values)

    progress(f"warm in-process latency, {rounds} rounds of the mix on every system")
    project = ProjectSystem(project_index)
    opened = {name: PEERS[name](built[name]) for name in systems}
    variants = _variants(glossary)
    runners: dict[str, Callable[[], list[float]]] = {}
    partial: set[str] = set()

    def project_search(params: Params) -> None:
        if project.search(params).partial:
            partial.add(next(name for name, p in QUERY_MIX if p is params))

    def timed_round(search: Callable[[Any], object], queries: Sequence) -> list[float]:
        """Seconds each query of one round takes (``queries`` as (label, query) pairs)."""
        times = []
        for _, query in queries:
            t0 = time.perf_counter()
            search(query)
            times.append(time.perf_counter() - t0)
        return times

    runners["project"] = functools.partial(timed_round, project_search, QUERY_MIX)
    for name, peer in opened.items():
        for variant, queries in variants.items():
            label = name if variant == "plain" else f"{name}+g"
            runners[label] = functools.partial(timed_round, peer.search, queries)
    labels = list(runners)
    for label in labels:  # warm-up round, not counted
        runners[label]()
    per_round: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            times = runners[label]()
            figures = summarise(times)
            dated = statistics.fmean(times[i] * 1000 for i in DATE_ORDERED)
            per_round[label].append(
                {"p50": figures["p50_ms"], "p99": figures["p99_ms"], "date": dated}
            )
        progress(f"  round {r + 1}/{rounds}")
    project.close()
    for peer in opened.values():
        peer.close()
    for label, figures in per_round.items():
        base = label.split("+")[0]
        target = out["systems"].setdefault(label, dict(out["systems"][base]))
        target["warm_p50_ms"] = _median([f["p50"] for f in figures])
        target["warm_p99_ms"] = _median([f["p99"] for f in figures])
        target["warm_date_ms"] = _median([f["date"] for f in figures])
    out["systems"]["project"]["partial_queries"] = sorted(partial)
    ordered = ["project", *(label for n in systems for label in (n, f"{n}+g"))]
    out["systems"] = {label: out["systems"][label] for label in ordered}
    out["rounds"] = rounds
    out["queries"] = len(QUERY_MIX)
    out["date_ordered_queries"] = [QUERY_MIX[i][0] for i in DATE_ORDERED]
    out["open_rounds"] = open_rounds
    out["expanded_names"] = {name: list(q.expanded) for name, q in variants["g"] if q.expanded}
    out["ratios"] = _ratios(out["systems"], per_round)
    return out


WARM_FIGURES = (("warm_p50_ms", "p50"), ("warm_p99_ms", "p99"), ("warm_date_ms", "date"))


def _ratios(
    systems: dict[str, dict[str, Any]], per_round: dict[str, list[dict[str, float]]]
) -> dict[str, dict[str, float | None]]:
    """project / peer for every figure; warm ones as the median of the rounds' ratios."""
    project = systems["project"]
    ratios: dict[str, dict[str, float | None]] = {}
    for label, peer in systems.items():
        if label == "project":
            continue
        row = {
            key: _ratio(project.get(key), peer.get(key))
            for key in ("build_s", "peak_rss_mb", "disk_mb", "open_ms")
        }
        for key, short in WARM_FIGURES:
            pairs = zip(per_round["project"], per_round[label], strict=True)
            values = [a[short] / b[short] for a, b in pairs if b[short]]
            row[key] = _median(values) if values else None
        ratios[label] = row
    return ratios


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.peers open SYSTEM DIR``: print ``{"ms": ...}``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3 or args[0] != "open" or args[1] not in ("project", *PEERS):
        print("usage: python -m bench.peers open {project,tantivy,fts5} DIR", file=sys.stderr)
        return 2
    if args[1] == "tantivy":
        _tantivy()
    print(json.dumps({"ms": round(open_once(args[1], Path(args[2])), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
