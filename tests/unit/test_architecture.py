"""The layout holds: no import cycle between tracker's modules or between its layers, imports
point down (DESIGN section 4), and the domain stays pure Python.

The import graph is read from the source with `ast`, every import counted (at top level or
inside a function) except those under `if TYPE_CHECKING:` and a submodule importing its own
parent package (a blueprint module importing `from tracker.api import Blueprint`).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"

#: The layers each layer must not import (DESIGN section 4: imports point down).
FORBIDDEN: dict[str, set[str]] = {
    "domain": {"models", "schemas", "services", "adapters", "seeding", "api", "web", "survey",
               "scheduler", "jobs", "cli", "extensions", "problems", "security"},
    "models": {"schemas", "services", "adapters", "seeding", "api", "web", "survey",
               "scheduler", "cli"},
    "adapters": {"services", "seeding", "api", "web", "survey", "scheduler", "cli"},
    "schemas": {"services", "adapters", "seeding", "api", "web", "survey", "scheduler", "cli"},
    "services": {"seeding", "api", "web", "survey", "scheduler", "cli"},
    "seeding": {"api", "web", "survey", "scheduler", "cli"},
    "api": {"web", "survey", "cli", "seeding"},
    "web": {"api", "cli", "seeding"},
    "survey": {"api", "web", "cli", "seeding"},
}
#: What the domain may import besides itself.
DOMAIN_ALLOWED = set(sys.stdlib_module_names) | {"networkx"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(tree: ast.AST, package: str) -> Iterator[str]:
    """Every module name an import statement names, relative imports resolved."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for other in node.orelse:
                yield from _imported(other, package)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        yield from _imported(node, package)


def _sources() -> dict[str, tuple[Path, ast.AST]]:
    return {_module_name(path): (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _graph() -> nx.DiGraph:
    """Module → module it imports, both tracker's (the nearest known module of a name)."""
    sources = _sources()
    graph = nx.DiGraph()
    graph.add_nodes_from(sources)
    for module, (path, tree) in sources.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for name in _imported(tree, package):
            while name and name not in sources:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):
                graph.add_edge(module, name)
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _layer_graph(graph: nx.DiGraph) -> nx.DiGraph:
    layers = nx.DiGraph()
    for a, b in graph.edges:
        la, lb = _layer(a), _layer(b)
        if la and lb and la != lb:
            layers.add_edge(la, lb, example=f"{a} -> {b}")
    return layers


def test_no_import_cycle_between_modules() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert cycles == []


def test_no_import_cycle_between_layers() -> None:
    layers = _layer_graph(_graph())
    cycles = [[layers.edges[a, b]["example"] for a, b in zip(c, [*c[1:], c[0]], strict=True)]
              for c in nx.simple_cycles(layers)]
    assert cycles == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_down(layer: str) -> None:
    layers = _layer_graph(_graph())
    wrong = sorted(layers.edges[layer, other]["example"]
                   for other in FORBIDDEN[layer] if layers.has_edge(layer, other))
    assert wrong == []


def test_the_domain_imports_only_the_standard_library_and_networkx() -> None:
    foreign = sorted(
        f"{module}: {name}"
        for module, (path, tree) in _sources().items() if module.startswith("tracker.domain")
        for name in _imported(tree, module.rpartition(".")[0])
        if name.split(".")[0] not in DOMAIN_ALLOWED | {"tracker"}
        or (name.startswith("tracker.") and not name.startswith("tracker.domain")))
    assert foreign == []


def test_the_graph_sees_every_kind_of_import() -> None:
    """A guard against a reader that finds nothing: known edges of each kind are present."""
    graph = _graph()
    assert graph.has_edge("tracker.api.decide", "tracker.services.decide.backlog")  # from-import
    assert graph.has_edge("tracker.web", "tracker.web.decide")  # inside a function
    assert graph.number_of_nodes() > 100


def test_no_package_holds_more_than_fifteen_modules_side_by_side() -> None:
    crowded = {str(folder.relative_to(PACKAGE.parent)): count
               for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
               if (count := len([f for f in folder.glob("*.py") if f.name != "__init__.py"])
                   + len([d for d in folder.iterdir()
                          if d.is_dir() and (d / "__init__.py").exists()])) > 15}
    assert crowded == {}
