"""The project's import graph, read from the source with `ast` (nothing is imported to check it).

Every `import` counts: at module level, inside functions (lazy imports hide a dependency but do
not remove it) and under TYPE_CHECKING. Test modules are left out: they may reach anywhere.

- No two modules import each other, directly or through others.
- Packages depend on each other one way only: `common` below everything, `roadmaps` below
  `accounts` and `progress`, and `roadmapfinder` (settings, urls, the API's mounting) on top.
- `roadmaps` imports neither `progress` nor `accounts` (../shared/DESIGN.md).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def project_packages() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in project_packages():
        for path in (ROOT / package).rglob("*.py"):
            if "tests" not in path.relative_to(ROOT).parts:
                modules[module_name(path)] = path
    return modules


def imported_names(path: Path, module: str) -> Iterable[str]:
    """Every module name `path` imports, anywhere in the file; `from a import b` yields `a.b`
    too (b may be a module)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (the longest known prefix of each name)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for module, path in modules.items():
        for name in imported_names(path, module):
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            target = ".".join(parts)
            # `from roadmaps import views` names the package too; a package's own __init__
            # importing its children is not a cycle with them.
            if target and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            source_package, target_package = module.split(".")[0], target.split(".")[0]
            if source_package != target_package:
                packages[source_package].add(target_package)
    return packages


def test_lazy_relative_and_type_checking_imports_count(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import tags\n"
        "if TYPE_CHECKING:\n"
        "    from roadmaps.models import Phase\n"
        "def page():\n"
        "    import progress.services\n"
        "    from .tags import label\n"
    )
    names = set(imported_names(source, "progress.views"))
    assert {"progress.tags", "roadmaps.models", "progress.services", "progress.tags.label"} <= names
    package = tmp_path / "__init__.py"
    package.write_text("from .celery import app\n")
    assert "roadmapfinder.celery" in set(imported_names(package, "roadmapfinder"))


def test_the_real_graph_is_read():
    graph = import_graph()
    assert "roadmaps.models" in graph["roadmaps.tree"]
    assert "roadmaps.api" in graph["roadmapfinder.api"]
    assert "roadmapfinder.celery" in graph["roadmapfinder"]


def test_no_two_modules_import_each_other():
    found = cycles(import_graph())
    assert found == [], f"Import cycles between modules: {[sorted(cycle) for cycle in found]}"


def test_packages_depend_on_each_other_one_way():
    packages = package_graph(import_graph())
    assert cycles(packages) == [], f"Packages import each other: {dict(packages)}"
    assert packages["common"] == set(), "common/ must import no app and not the project package"


def test_roadmaps_imports_neither_progress_nor_accounts():
    packages = package_graph(import_graph())
    assert packages["roadmaps"] & {"progress", "accounts"} == set()


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []
