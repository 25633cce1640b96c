"""The shape of the package, checked: modules stay small, imports form no cycle, the core never
imports the web framework or the command-line library, and the architecture page names only
modules that exist.

The import graph is read from the source with ``ast``: every ``import``, including those inside
functions and ``TYPE_CHECKING`` blocks. A cycle postponed to call time, or hidden from the
interpreter for the type checker's sake, is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "policygraph"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 400
# The edges of the house: only these may import Flask, werkzeug, click or the ASGI servers.
EDGE_PREFIXES = ("policygraph.web", "policygraph.cli")
EDGE_LIBRARIES = ("flask", "werkzeug", "click", "jinja2", "gunicorn", "uvicorn", "a2wsgi")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(module: str) -> set[str]:
    """Every module name ``module`` imports (a name imported from a package may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return found


def _internal_edges(module: str) -> set[str]:
    return {name for name in _imported(module) if name in MODULES and name != module}


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {module: _internal_edges(module) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return components


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_stays_small(module: str) -> None:
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: which concept is it missing?"


@pytest.mark.parametrize(
    "module", sorted(name for name in MODULES if not name.startswith(EDGE_PREFIXES))
)
def test_the_core_does_not_import_the_edges(module: str) -> None:
    imported = {name.split(".")[0] for name in _imported(module)}
    assert not imported & set(EDGE_LIBRARIES)
    assert not {name for name in _imported(module) if name.startswith(EDGE_PREFIXES)}


def test_the_architecture_page_names_only_modules_that_exist() -> None:
    """Every module, package or file the page names in backticks exists: under the package
    (``read/describe.py``, ``store/remote/``) or, for the rest, under the repository
    (``tests/shapes/``, ``data/agreements/``)."""
    text = ARCHITECTURE.read_text()
    dotted = set(re.findall(r"`(policygraph(?:\.\w+)+)`", text))
    paths = set(re.findall(r"`((?:[a-z_]+/)+(?:[a-z_]+\.py)?|[a-z_]+\.py)`", text))
    assert len(paths) > 20, "the page names hardly any module"
    assert sorted(name for name in dotted if name not in MODULES) == []
    missing = [p for p in paths if not (PACKAGE / p).exists() and not (ROOT / p).exists()]
    assert sorted(missing) == []
