"""Score a query set on the bundled corpus: ``python -m tools.querysetscore SET.yaml``.

A query set (``tests/querysets/*.yaml``) lists ``{q, expect, note}`` entries, with an
optional ``lang`` (a language filter) and ``year`` (a year filter); ``expect`` is the
report numbers the query must find, judged per report (``[]``: nothing).  This builds an
index of a checkout's corpus into a temporary directory, runs each query and prints,
as JSON, the number of queries answered exactly and the precision, recall and F1 over
all (query, report) pairs, then each query answered otherwise.

``--root DIR`` scores another checkout (its code and its corpus), to compare a branch
with ``main``: ``python -m tools.querysetscore tests/querysets/dates.yaml --root
/work/main`` (run from this checkout, so that the set is this one's).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def score(root: Path, cases: list[dict]) -> dict:
    """Run ``cases`` on an index of ``root``'s corpus, built with ``root``'s code."""
    if root != ROOT:
        # Another checkout's code: its ``indexer`` in place of this one's.
        sys.path.insert(0, str(root))
        for name in [m for m in sys.modules if m == "indexer" or m.startswith("indexer.")]:
            del sys.modules[name]
    build = importlib.import_module("indexer.build")
    generation = importlib.import_module("indexer.engine.generation")
    records = importlib.import_module("indexer.records")
    searching = importlib.import_module("indexer.search")
    languages = importlib.import_module("indexer.languages")
    tp = fp = fn = exact = 0
    wrong = []
    with tempfile.TemporaryDirectory(prefix="querysetscore-") as out:
        build.build_index(root / "corpus", Path(out))
        index = generation.SearchIndex(Path(out))
        for case in cases:
            kwargs = {}
            if "lang" in case:
                kwargs["langs"] = (languages.Lang(case["lang"]),)
            if "year" in case:
                kwargs["years"] = (int(case["year"]),)
            request = records.SearchRequest(q=str(case["q"]), per_page=50, **kwargs)
            found = {hit.report for hit in searching.search(index, request).hits}
            expected = set(case["expect"])
            tp += len(found & expected)
            fp += len(found - expected)
            fn += len(expected - found)
            if found == expected:
                exact += 1
            else:
                wrong.append({"q": case["q"], "found": sorted(found), "expect": sorted(expected)})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "root": str(root),
        "queries": len(cases),
        "exact": exact,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "wrong": wrong,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.querysetscore", description=__doc__)
    parser.add_argument("queryset", help="a query set, e.g. tests/querysets/dates.yaml")
    parser.add_argument("--root", default=str(ROOT), help="the checkout to score (default: this)")
    args = parser.parse_args(argv)
    cases = yaml.safe_load(Path(args.queryset).read_text(encoding="utf-8"))
    print(json.dumps(score(Path(args.root).resolve(), cases), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
