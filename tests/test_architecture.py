"""The import graph keeps the layering of docs/architecture.md: no cycles, edges import the core.

Every ``import`` and ``from ... import`` of a ``sim`` module is read from the source (with
:mod:`ast`, so imports inside functions count too; those under ``if TYPE_CHECKING:`` and
``if __name__ == "__main__":`` do not). A module belongs to a *part*: the folder it lies in
(``sim/engine/pipeline.py`` is in ``engine``) or, at the top, its own name (``sim/cli.py`` is
``cli``). The parts and their order are read from the numbered list under "## Layers" in
docs/architecture.md, so the document and this test cannot disagree. A part may import its
own modules and parts of lower layers, never a higher one; no two parts may import each other
(that would need both on one layer, which only the interfaces share); and no modules may
import each other in a cycle at import time.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "sim"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def layers(text: str) -> dict[str, int]:
    """``{part: layer}`` from the numbered list under the heading ``## Layers``."""
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    out: dict[str, int] = {}
    for line in section.splitlines():
        match = re.match(r"(\d+)\. (.*)", line)
        if match:
            head = match.group(2).split(":", 1)[0]
            for part in re.findall(r"`([\w]+)`", head):
                out[part] = int(match.group(1))
    return out


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str | None:
    """The part a ``sim`` module belongs to (None for the package ``sim`` itself)."""
    bits = module.split(".")
    if len(bits) == 1:
        return None
    return bits[1]


def _skipped(node: ast.If) -> bool:
    test = ast.unparse(node.test)
    return test in ("TYPE_CHECKING", "typing.TYPE_CHECKING") or "__name__ ==" in test


class _Imports(ast.NodeVisitor):
    """The ``sim`` modules a module imports: all of them, and those run at import time."""

    def __init__(self, module: str, known: set[str]) -> None:
        self.module, self.known = module, known
        self.all: set[str] = set()
        self.at_import: set[str] = set()
        self.depth = 0  # inside a function body

    def _add(self, target: str) -> None:
        if target == self.module or not (target == "sim" or target.startswith("sim.")):
            return
        self.all.add(target)
        if self.depth == 0:
            self.at_import.add(target)

    def visit_If(self, node: ast.If) -> None:
        if _skipped(node):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        for alias in node.names:
            # `from sim.engine import pipeline` imports the module sim.engine.pipeline
            sub = f"{node.module}.{alias.name}"
            self._add(sub if sub in self.known else node.module)


def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per module: every ``sim`` module it imports, and those it imports at import time."""
    paths = sorted(SIM.rglob("*.py"))
    known = {module_name(p) for p in paths}
    every, at_import = {}, {}
    for path in paths:
        name = module_name(path)
        visitor = _Imports(name, known)
        visitor.visit(ast.parse(path.read_text(), str(path)))
        every[name] = {m for m in visitor.all if m in known}
        at_import[name] = {m for m in visitor.at_import if m in known}
    return every, at_import


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def part_graph(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for module, targets in modules.items():
        source = part_of(module)
        for target in targets:
            dest = part_of(target)
            if source and dest and dest != source:
                out[source].add(dest)
    return out


def _example(modules: dict[str, set[str]], source: str, dest: str) -> str:
    for module in sorted(modules):
        if part_of(module) == source:
            for target in sorted(modules[module]):
                if part_of(target) == dest:
                    return f"{module} imports {target}"
    return ""


@pytest.fixture(scope="module")
def graph():
    return import_graph()


@pytest.fixture(scope="module")
def layer_of():
    return layers(ARCHITECTURE.read_text())


def test_the_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_layers_are_read_from_the_document(layer_of):
    assert layer_of["common"] == 1
    assert layer_of["engine"] < layer_of["simulation"] < layer_of["outputs"]
    assert layer_of["cli"] == layer_of["api"]


def test_every_part_has_a_layer(graph, layer_of):
    parts = {part_of(m) for m in graph[0]} - {None}
    missing = sorted(parts - set(layer_of))
    assert not missing, f"parts in no layer of docs/architecture.md: {missing}"


def shortest_cycle(graph: dict[str, set[str]], start: str) -> list[str]:
    """The shortest path from ``start`` back to itself (breadth first), ``[start, ..., start]``."""
    paths = {nxt: [start, nxt] for nxt in sorted(graph.get(start, ()))}
    queue = list(paths)
    while queue:
        node = queue.pop(0)
        if node == start:
            return paths[node]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return []


def test_shortest_cycle():
    graph = {"a": {"b", "x"}, "b": {"c"}, "c": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"a"}}
    assert shortest_cycle(graph, "a") == ["a", "b", "c", "a"]


def test_no_cycle_between_parts(graph):
    modules, _ = graph
    parts = part_graph(modules)
    messages = []
    for component in cycles(parts):
        path = shortest_cycle(parts, component[0])
        edges = [_example(modules, a, b) for a, b in zip(path, path[1:], strict=False)]
        messages.append(" -> ".join(path) + " (" + "; ".join(edges) + ")")
    assert not messages, "cycles between parts:\n" + "\n".join(messages)


def test_parts_import_only_lower_layers(graph, layer_of):
    modules, _ = graph
    wrong = []
    for source, targets in sorted(part_graph(modules).items()):
        for dest in sorted(targets):
            if source in layer_of and dest in layer_of and layer_of[dest] > layer_of[source]:
                wrong.append(
                    f"{source} (layer {layer_of[source]}) imports {dest} (layer "
                    f"{layer_of[dest]}): {_example(modules, source, dest)}"
                )
            elif layer_of.get(dest) == layer_of.get(source) and layer_of[source] != max(
                layer_of.values()
            ):
                wrong.append(
                    f"{source} and {dest} share a layer: {_example(modules, source, dest)}"
                )
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_no_import_cycle_between_modules(graph):
    _, at_import = graph
    messages = [" -> ".join(shortest_cycle(at_import, c[0])) for c in cycles(at_import)]
    assert not messages, "modules that import each other at import time:\n" + "\n".join(messages)
