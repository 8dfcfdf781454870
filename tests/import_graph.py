"""The import graph of a package, read from its source (AST): who imports whom, and cycles."""

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportGraph:
    """Modules of one top-level package and their imports of each other.

    `anywhere[m]`: modules `m` imports at any level (module body, functions, classes);
    `at_import[m]`: modules that may run when `m` is imported: its module-level imports and
    the packages Python imports before them (`import a.b.c` runs `a` and `a.b` first), but not
    `m`'s own packages, which Python has started before `m` (unless `m` names them).
    """

    sources: dict[str, Path]
    anywhere: dict[str, set[str]] = field(default_factory=dict)
    at_import: dict[str, set[str]] = field(default_factory=dict)

    def is_package(self, name: str) -> bool:
        return self.sources[name].name == "__init__.py"


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted name -> file of every module under root/package."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _sources(node: ast.stmt, name: str, is_package: bool) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for each name an import statement of `name` imports."""
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = name.split(".") if is_package else name.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join(anchor + ([node.module] if node.module else []))
    return [(base, alias.name) for alias in node.names]


def _known_prefix(dotted: str, known: dict[str, Path]) -> str | None:
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _explicit(node: ast.stmt, name: str, is_package: bool, known: dict[str, Path]) -> set[str]:
    """The module each name of an import statement comes from: `from a import b` names the
    module a.b when there is one, else a."""
    found = set()
    for module, member in _sources(node, name, is_package):
        if member is not None and f"{module}.{member}" in known:
            found.add(f"{module}.{member}")
        elif (target := _known_prefix(module, known)) is not None:
            found.add(target)
    return found


def _with_packages(modules: set[str]) -> set[str]:
    """The modules and every package above them."""
    found = set()
    for target in modules:
        parts = target.split(".")
        found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return found


def _module_level(tree: ast.Module) -> Iterable[ast.stmt]:
    """Import statements that run when the module is imported (not those inside functions)."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def build(root: Path, package: str) -> ImportGraph:
    graph = ImportGraph(module_names(root, package))
    known = graph.sources
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package_module = graph.is_package(name)
        every = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        graph.anywhere[name] = {
            t for node in every for t in _explicit(node, name, package_module, known)
        } - {name}
        named = {
            t for node in _module_level(tree) for t in _explicit(node, name, package_module, known)
        }
        own_packages = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        graph.at_import[name] = (_with_packages(named) - own_packages | named) - {name}
    return graph


def registration_edges(graph: ImportGraph) -> set[tuple[str, str]]:
    """(module, package) where a package imports one of its own route modules to register it,
    and the route module imports the package's blueprint `bp` back. Leaving out this edge back
    allows that cycle and no other: what the route module reaches still counts."""
    edges = set()
    for package, targets in graph.anywhere.items():
        if not graph.is_package(package):
            continue
        for module in targets:
            if module.rpartition(".")[0] != package:
                continue
            tree = ast.parse(graph.sources[module].read_text(encoding="utf-8"))
            if any(
                isinstance(n, ast.ImportFrom)
                and n.module == package
                and any(a.name == "bp" for a in n.names)
                for n in ast.walk(tree)
            ):
                edges.add((module, package))
    return edges


def cycles(edges: dict[str, set[str]], allowed: set[tuple[str, str]] = frozenset()) -> list:
    """The strongly connected groups of more than one module (each holds at least one cycle),
    after dropping the `allowed` edges; sorted lists of names."""
    graph = {m: {t for t in targets if (m, t) not in allowed} for m, targets in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start, targets in graph.items():
        if start in index:
            continue
        work = [(start, iter(sorted(targets)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)
