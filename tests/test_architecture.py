"""The architecture of the README's table holds: layers, no cycles, numpy in the engine.

``tools/imports.py`` reads every module's imports (those inside functions too) with
``ast``; these tests keep what issue 26 established from coming undone.
"""

from __future__ import annotations

import ast

from tools import imports

RUNTIME = ("indexer", "webapp")
MAX_LINES = 600


def test_no_module_imports_another_in_a_cycle() -> None:
    graph = imports.module_graph()
    assert len(graph) > 80
    assert imports.cycles(graph) == []


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    assert imports.back_arrows(imports.module_graph()) == []


def test_a_module_importing_a_higher_layer_is_found() -> None:
    graph = {"indexer.corpus.load": {"indexer.engine.matching"}, "indexer.engine.matching": set()}
    assert imports.back_arrows(graph) == [("indexer.corpus.load", "indexer.engine.matching")]
    assert imports.cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]


def test_serving_code_never_imports_the_build() -> None:
    graph = imports.module_graph()
    serving = [m for m in graph if m.startswith(("indexer.engine", "indexer.search", "webapp"))]
    for module in serving:
        assert not any(t.startswith("indexer.build") for t in graph[module]), module


def test_numpy_is_imported_only_in_the_engine_and_the_build() -> None:
    importing = set()
    for name, path in imports.modules():
        if not name.startswith(RUNTIME):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "numpy" or n.startswith("numpy.") for n in names):
                importing.add(name)
    assert importing, "the engine imports numpy"
    assert all(m.startswith(("indexer.engine.", "indexer.build.")) for m in importing), importing


def test_no_runtime_module_is_longer_than_600_lines() -> None:
    long = {
        name: lines
        for name, path in imports.modules()
        if name.startswith(RUNTIME)
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
