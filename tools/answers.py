"""Every answer of the search API, dumped to compare a refactoring before and after.

``python -m tools.answers dump OUT.json`` builds the bundled corpus and a synthetic one
(``--synth-docs``, default 3,000) with the CLI, asks ``/api/search`` (through Flask's test
client) every query of the benchmark mix, every query of the relevance tests and a set of
parameter combinations, plus ``/api/reports/<id>`` for the bundled documents, and writes
each answer's status and JSON.  ``python -m tools.answers compare BEFORE.json AFTER.json``
compares two dumps field by field and prints every difference (exit 1 when any).

The index is built through this checkout's ``iapb-index`` command line and asked through
the HTTP layer only, so the tool runs unchanged whatever the modules inside ``indexer/``
are called.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE_TESTS = ("test_relevance.py", "test_relevance_glossary.py", "test_proximity.py")

# Parameter combinations asked for each of a few queries (and for browsing).
VARIANTS: tuple[dict[str, list[str]], ...] = (
    {},
    {"sort": ["date"]},
    {"collapse": ["report"]},
    {"collapse": ["report"], "sort": ["date"]},
    {"page": ["2"], "per_page": ["3"]},
    {"per_page": ["50"]},
    {"lang": ["be"]},
    {"lang": ["en", "ru"], "year": ["2024", "2025"]},
    {"topic": ["icc", "torture"]},
    {"year_from": ["2023"], "year_to": ["2024"]},
    {"date_from": ["2024-01-01"], "date_to": ["2025-06-30"]},
    {"expand": ["0"]},
    {"timeline": ["1"]},
    {"verbatim": ["1"]},
    {"hl": ["be"]},
    {"hl": ["ru"], "collapse": ["report"]},
    {"page": ["99"]},
)
VARIANT_QUERIES = ("", "ICC", "torture", "пытки", "Lukashenka", '"political prisoners"', "evid*")
# Malformed or odd input: the answers (errors included) must stay the same too.
ODD: tuple[dict[str, list[str]], ...] = (
    {"q": ['"unclosed phrase']},
    {"q": ["AND OR NOT"]},
    {"q": ["(torture"]},
    {"q": ["*"]},
    {"q": ["-torture"]},
    {"q": ["tortre"]},
    {"q": ["ьщкгку"]},
    {"q": ["September 2024"]},
    {"q": ["30 000"]},
    {"q": ["torture"], "page": ["0"]},
    {"q": ["torture"], "per_page": ["51"]},
    {"q": ["torture"], "lang": ["xx"]},
    {"q": ["torture"], "sort": ["best"]},
    {"q": ["torture"], "year_from": ["2025"], "year_to": ["2023"]},
)


def _relevance_queries() -> list[str]:
    """The ``q`` of every parametrised case of the relevance tests, in order."""
    found: list[str] = []
    for name in RELEVANCE_TESTS:
        path = ROOT / "tests" / name
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize"):
                continue
            names = node.args[0]
            first = (
                names.value
                if isinstance(names, ast.Constant)
                else getattr(names.elts[0], "value", None)
            )
            if not (isinstance(first, str) and first.split(",")[0].strip() == "q"):
                continue
            cases = node.args[1]
            for case in getattr(cases, "elts", ()):
                item = case.elts[0] if isinstance(case, ast.Tuple) else case
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    found.append(item.value)
    return list(dict.fromkeys(found))


def _requests() -> Iterator[dict[str, list[str]]]:
    sys.path.insert(0, str(ROOT))
    from bench.queries import QUERY_MIX

    for _, params in QUERY_MIX:
        yield params
    for q in _relevance_queries():
        yield {"q": [q], "per_page": ["50"]}
    for q in VARIANT_QUERIES:
        for variant in VARIANTS:
            yield ({"q": [q]} if q else {}) | variant
    yield from ODD


def _path(params: dict[str, list[str]]) -> str:
    pairs = [(name, value) for name, values in params.items() for value in values]
    return "/api/search?" + urlencode(pairs)


def _build(corpus: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--out", str(out)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def _answers(index_dir: Path, documents: bool) -> dict[str, Any]:
    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    answers: dict[str, Any] = {}
    for params in _requests():
        path = _path(params)
        response = client.get(path)
        answers[path] = {"status": response.status_code, "json": response.get_json()}
    if documents:
        browse = client.get("/api/search?per_page=50").get_json()
        for hit in browse["results"]:
            for suffix in ("", "?hl=ru"):
                path = f"/api/reports/{hit['id']}{suffix}"
                response = client.get(path)
                answers[path] = {"status": response.status_code, "json": response.get_json()}
    return answers


def dump(out: Path, synth_docs: int) -> None:
    from bench.synth import generate

    with tempfile.TemporaryDirectory(prefix="iapb-answers-") as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {}
        _build(ROOT / "corpus", work / "bundled")
        result["bundled"] = _answers(work / "bundled", documents=True)
        generate(synth_docs, work / "synth-corpus", seed=0, source=ROOT / "corpus")
        _build(work / "synth-corpus", work / "synth")
        result[f"synth-{synth_docs}"] = _answers(work / "synth", documents=False)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(len(v) for v in result.values())
    print(f"{total} answers written to {out}")


def _differences(before: Any, after: Any, where: str) -> Iterator[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            if key not in after:
                yield f"{where}.{key}: missing after"
            elif key not in before:
                yield f"{where}.{key}: new after"
            else:
                yield from _differences(before[key], after[key], f"{where}.{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            yield from _differences(b, a, f"{where}[{i}]")
    elif before != after:
        yield (
            f"{where}: {json.dumps(before, ensure_ascii=False)[:200]} -> "
            + json.dumps(after, ensure_ascii=False)[:200]
        )


def compare(before_path: Path, after_path: Path) -> int:
    before = json.loads(before_path.read_text(encoding="utf-8"))
    after = json.loads(after_path.read_text(encoding="utf-8"))
    differences = list(_differences(before, after, ""))
    answers = sum(len(v) for v in before.values())
    fields = sum(1 for _ in _leaves(before))
    for line in differences:
        print(line)
    print(f"{answers} answers, {fields} fields compared: {len(differences)} differences")
    return 1 if differences else 0


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.answers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write every answer to a JSON file")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--synth-docs", type=int, default=3000)
    comparing = commands.add_parser("compare", help="compare two dumps field by field")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.out, args.synth_docs)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
