"""Score the search on the query sets in ``tests/querysets/*.yaml``:
``python -m tools.querysets [--index DIR] [--json] [FILE ...]``.

Each file is a mapping ``{rule: exact|recall, queries: [...]}`` (or a bare list of
queries, rule ``exact``); each query is ``{q, expect, note}`` with optional ``lang``
and ``year`` (filters of the request) and ``known_gap`` (why the search does not yet
give ``expect``: the test then expects it to fail, and fails when it passes).  Results
are judged on the report level: the search runs with ``collapse=report`` and its
reports, every page of them, are compared with ``expect`` (report numbers).
``expect: []`` means the query must find nothing.

Rules: ``exact`` needs exactly the expected reports; ``recall`` needs every expected
report and allows others (``expect: []`` still needs nothing).

Printed per file and overall: queries, queries judged right, and precision, recall
and F1 averaged over queries (a query expected to find nothing scores precision and
recall 1 when it finds nothing and 0 otherwise; one that finds nothing scores
precision 1).  Without ``--index`` the bundled corpus is built into a temporary
directory first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indexer.languages import Lang
from indexer.records import Collapse, SearchRequest

ROOT = Path(__file__).resolve().parent.parent
QUERYSETS = ROOT / "tests" / "querysets"
CORPUS = ROOT / "corpus"
RULES = ("exact", "recall")
PER_PAGE = 50


class QuerySetError(ValueError):
    """A query set file that cannot be read: the file and what is wrong."""


@dataclass(frozen=True)
class QueryCase:
    """One query of a set and the reports it must find."""

    file: str
    q: str
    expect: frozenset[int]
    note: str = ""
    langs: tuple[Lang, ...] = ()
    years: tuple[int, ...] = ()
    known_gap: str | None = None

    @property
    def label(self) -> str:
        return f"{self.file}: {self.q}"

    def request(self, page: int = 1) -> SearchRequest:
        return SearchRequest(
            q=self.q,
            langs=self.langs,
            years=self.years,
            collapse=Collapse.REPORT,
            per_page=PER_PAGE,
            page=page,
        )


@dataclass(frozen=True)
class QuerySet:
    name: str
    rule: str
    cases: tuple[QueryCase, ...]


@dataclass
class Score:
    """Precision, recall and right answers summed over queries."""

    queries: int = 0
    right: int = 0
    precision: float = 0.0
    recall: float = 0.0
    wrong: list[str] = field(default_factory=list)

    def add(self, case: QueryCase, found: set[int], ok: bool) -> None:
        self.queries += 1
        self.right += ok
        hit = len(found & case.expect)
        if case.expect:
            self.precision += hit / len(found) if found else 1.0
            self.recall += hit / len(case.expect)
        else:
            self.precision += 0.0 if found else 1.0
            self.recall += 0.0 if found else 1.0
        if not ok:
            self.wrong.append(f"{case.q!r}: expected {sorted(case.expect)}, found {sorted(found)}")

    def merge(self, other: Score) -> None:
        self.queries += other.queries
        self.right += other.right
        self.precision += other.precision
        self.recall += other.recall

    def as_dict(self) -> dict:
        p = self.precision / self.queries if self.queries else 0.0
        r = self.recall / self.queries if self.queries else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "queries": self.queries,
            "right": self.right,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
        }


def _ints(value, where: str, key: str) -> tuple[int, ...]:
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise QuerySetError(f"{where}: {key} must be a list of integers")
    return tuple(values)


def load_queryset(path: Path) -> QuerySet:
    """The query set in ``path``; raises :class:`QuerySetError` naming what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuerySetError(f"{path.name}: {exc}") from exc
    rule = "exact"
    if isinstance(data, dict):
        rule = data.get("rule", "exact")
        data = data.get("queries")
    if rule not in RULES:
        raise QuerySetError(f"{path.name}: rule must be one of {RULES}, not {rule!r}")
    if not isinstance(data, list) or not data:
        raise QuerySetError(f"{path.name}: no queries")
    cases = []
    for n, entry in enumerate(data, 1):
        where = f"{path.name}, query {n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("q"), str):
            raise QuerySetError(f"{where}: each query needs q (text) and expect")
        if "expect" not in entry:
            raise QuerySetError(f"{where}: no expect")
        unknown = set(entry) - {"q", "expect", "note", "lang", "year", "known_gap"}
        if unknown:
            raise QuerySetError(f"{where}: unknown keys {sorted(unknown)}")
        lang = entry.get("lang") or []
        try:
            langs = tuple(Lang(x) for x in (lang if isinstance(lang, list) else [lang]))
        except ValueError as exc:
            raise QuerySetError(f"{where}: {exc}") from exc
        cases.append(
            QueryCase(
                file=path.name,
                q=entry["q"],
                expect=frozenset(_ints(entry["expect"], where, "expect")),
                note=str(entry.get("note") or ""),
                langs=langs,
                years=_ints(entry.get("year") or [], where, "year"),
                known_gap=entry.get("known_gap"),
            )
        )
    return QuerySet(path.name, rule, tuple(cases))


def load_querysets(paths: Iterable[Path] | None = None) -> list[QuerySet]:
    """Every query set named, or every ``tests/querysets/*.yaml``, sorted by name."""
    chosen = sorted(paths) if paths else sorted(QUERYSETS.glob("*.yaml"))
    return [load_queryset(Path(p)) for p in chosen]


def found_reports(index, case: QueryCase) -> set[int]:
    """The reports a search of ``case`` finds, every page of them."""
    from indexer.search import search

    reports: set[int] = set()
    page = 1
    while True:
        result = search(index, case.request(page))
        reports.update(hit.report for hit in result.hits)
        if page >= result.pages:
            return reports
        page += 1


def judge(rule: str, case: QueryCase, found: set[int]) -> bool:
    """Whether ``found`` answers ``case`` under ``rule``."""
    if rule == "recall" and case.expect:
        return case.expect <= found
    return found == case.expect


def score(index, sets: list[QuerySet]) -> dict[str, Score]:
    """A :class:`Score` per file and ``"overall"``."""
    scores: dict[str, Score] = {}
    overall = Score()
    for qs in sets:
        file_score = Score()
        for case in qs.cases:
            found = found_reports(index, case)
            file_score.add(case, found, judge(qs.rule, case, found))
        scores[qs.name] = file_score
        overall.merge(file_score)
    scores["overall"] = overall
    return scores


def main(argv: list[str] | None = None) -> int:
    from indexer.engine.generation import SearchIndex

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="query set files (default: all)")
    parser.add_argument("--index", type=Path, help="an index directory (default: build one)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--wrong", action="store_true", help="list the queries judged wrong")
    args = parser.parse_args(argv)
    try:
        sets = load_querysets(args.files)
    except QuerySetError as exc:
        print(f"querysets: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index
        if index_dir is None:
            from indexer.build import build_index

            index_dir = Path(tmp) / "index"
            build_index(CORPUS, index_dir)
        scores = score(SearchIndex(index_dir), sets)
    if args.json:
        print(json.dumps({name: s.as_dict() for name, s in scores.items()}, indent=2))
        return 0
    print(f"{'file':<28} {'queries':>7} {'right':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for name, s in scores.items():
        d = s.as_dict()
        print(
            f"{name:<28} {d['queries']:>7} {d['right']:>5} "
            f"{d['precision']:>6.3f} {d['recall']:>6.3f} {d['f1']:>6.3f}"
        )
        if args.wrong:
            for line in s.wrong:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
