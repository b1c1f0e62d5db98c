"""The import graph of the project's packages: who imports whom, and any cycle.

``python -m tools.imports`` prints, per package of ``indexer``, ``webapp``, ``bench`` and
``tools`` (a subpackage such as ``indexer.engine`` is one package; a plain module of
``indexer`` is its own node), the packages it imports, then every cycle between modules
(imports inside functions count too: they are imports all the same).  Exit 1 when a
cycle exists, or any back arrow: an import from a higher layer of :data:`LAYERS` (the
architecture table in docs/architecture.md).  ``--modules`` prints the graph of modules
instead of packages; ``--lines`` lists the longest modules.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "webapp", "bench", "tools")


def modules() -> Iterator[tuple[str, Path]]:
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from a import b`` counts ``a.b`` when a module)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    # ``from indexer.engine import x`` names the package and the module: keep the module.
    return {t for t in found if not any(o.startswith(t + ".") for o in found)} or found


# The layers of the architecture (docs/architecture.md, "Architecture"), lowest first: a module may
# import its own layer and those below, never one above (a back arrow).  The longest
# matching prefix names a module's layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "indexer.languages",
        "indexer.errors",
        "indexer.stemmer_be",
        "indexer.morph_ru",
        "indexer.translit",
        "indexer.romanised",
    ),
    ("indexer.analysis",),
    ("indexer.corpus",),
    (
        "indexer.schema",
        "indexer.glossary",
        "indexer.months",
        "indexer.numberwords",
        "indexer.stopwords",
        "indexer.placenames",
        "indexer.seasons",
        "indexer.dates",
        "indexer.recovery",
        "indexer.records",
    ),
    ("indexer.figures",),
    ("indexer.engine",),
    ("indexer.query", "indexer.querylang", "indexer.readings", "indexer.snippets"),
    ("indexer.fullreports",),
    ("indexer.search",),
    ("indexer.build",),
    ("indexer.cli",),
    ("webapp",),
    ("bench", "tools"),
)


def layer_of(module: str) -> int:
    best, found = -1, 0
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), number
    if best < 0:
        raise ValueError(f"{module} is in no layer of tools.imports.LAYERS")
    return found


def back_arrows(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import of a module from a higher layer than its own."""
    return sorted(
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if module != "indexer" and target != "indexer" and layer_of(target) > layer_of(module)
    )


def module_graph() -> dict[str, set[str]]:
    found = dict(modules())
    known = set(found)
    return {name: _imported(name, path, known) for name, path in found.items()}


def package_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 or (len(parts) == 2 and parts[0] in ("bench", "tools", "webapp")):
        return ".".join(parts[:2]) if parts[0] == "indexer" else parts[0]
    return module


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.imports", description=__doc__)
    parser.add_argument("--modules", action="store_true", help="the graph of modules")
    parser.add_argument("--lines", type=int, default=0, help="list the N longest modules")
    args = parser.parse_args(argv)
    graph = module_graph()
    if args.modules:
        shown = graph
    else:
        shown = {}
        for module, targets in graph.items():
            package = package_of(module)
            shown.setdefault(package, set()).update(
                package_of(t) for t in targets if package_of(t) != package
            )
    for node in sorted(shown):
        print(f"{node:32} -> {', '.join(sorted(shown[node])) or '-'}")
    if args.lines:
        sizes = sorted(
            (
                (len(path.read_text(encoding="utf-8").splitlines()), name)
                for name, path in modules()
            ),
            reverse=True,
        )
        print(f"\nlongest modules (lines): {', '.join(f'{n} {c}' for c, n in sizes[: args.lines])}")
    found = cycles(graph)
    print(f"\nmodule cycles: {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    package_cycles = cycles(shown)
    print(f"package cycles: {len(package_cycles)}")
    for component in package_cycles:
        print("  " + " <-> ".join(component))
    arrows = back_arrows(graph)
    print(f"back arrows (an import from a higher layer): {len(arrows)}")
    for module, target in arrows:
        print(f"  {module} -> {target}")
    return 1 if found or package_cycles or arrows else 0


if __name__ == "__main__":
    sys.exit(main())
