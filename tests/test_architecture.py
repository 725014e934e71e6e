"""The layering rules of docs/ARCHITECTURE.md, read from the source: the library never imports the CLI, and
the import graph of `after` (CLI included) has no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Package name -> folder, as pyproject.toml's [tool.setuptools.package-dir] maps them.
PACKAGE_DIRS = {"after.cli": ROOT / "cli", "after": ROOT / "after"}


def modules() -> dict[str, Path]:
    """Every module of the `after` package (the CLI's `after.cli.*` included) and its file."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The `after` modules `name` imports anywhere in its file (function-level imports included): for
    `from X import y`, `X.y` when that is a module, else `X`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {t for t in targets if t in known and t != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan), as a path a → … → a."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [cycle_path(graph, set(component)) for component in components]


def cycle_path(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the alphabetically first module of a strongly connected component."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & component):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return sorted(component)


def test_the_graph_is_read_from_the_source():
    graph = import_graph()
    assert "after.cli.main" in graph and "after.codec.training.run" in graph
    assert "after.codec.training.run" in graph["after.cli.codec"]  # a function-level import counts
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_library_never_imports_the_cli():
    graph = import_graph()
    offenders = {f"{name} imports {target}" for name, targets in graph.items()
                 if not name.startswith("after.cli") for target in targets if target.startswith("after.cli")}
    assert not offenders, "; ".join(sorted(offenders))


def test_no_import_cycles():
    found = cycles(import_graph())
    assert not found, "; ".join(" → ".join(cycle) for cycle in found)


# docs/ARCHITECTURE.md's layer table: each layer's packages and the layers it may import (besides itself).
LAYERS = {
    "foundation": (("after", "after.errors", "after.io", "after.config", "after.nn_tilde", "after.training"), ()),
    "data": (("after.data",), ("foundation",)),
    "codec": (("after.codec",), ("foundation", "data")),
    "diffusion": (("after.diffusion",), ("foundation", "data")),  # the codec only as a .ts (after.nn_tilde)
    "export": (("after.export",), ("foundation", "data", "diffusion")),
    "device": (("after.device",), ("foundation",)),  # models only through the .ts file and the contract
    "tools": (("after.evaluation", "after.tools", "after.demo"),
              ("foundation", "data", "codec", "diffusion", "export", "device")),
    "cli": (("after.cli",), ("foundation", "data", "codec", "diffusion", "export", "device", "tools")),
}


def layer_of(module: str) -> str:
    """The layer of the longest package prefix of `module` in LAYERS (`after` alone: the root modules)."""
    matches = [(len(prefix), layer) for layer, (prefixes, _) in LAYERS.items() for prefix in prefixes
               if module == prefix or (prefix != "after" and module.startswith(prefix + "."))]
    assert matches, f"{module} is in no layer of LAYERS (docs/ARCHITECTURE.md): add its package there"
    return max(matches)[1]


def test_every_module_imports_only_its_own_layer_or_those_it_may():
    graph = import_graph()
    assert layer_of("after.io") == "foundation" and layer_of("after.codec.training.run") == "codec"
    upward = {(name, target) for name, targets in graph.items() for target in targets
              if layer_of(target) != layer_of(name) and layer_of(target) not in LAYERS[layer_of(name)][1]}
    assert upward == set(), "; ".join(f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)})" for a, b in sorted(upward))
