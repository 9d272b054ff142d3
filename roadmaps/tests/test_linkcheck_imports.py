"""The link checker's imports point one way, read from the source with `ast` (so lazy imports
inside functions count too): admin / changes -> queue -> tasks -> services -> models. A module
never imports one above it, so no two modules import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

# Lowest first: each module may import only modules before it in this list.
LAYERS = [
    "roadmaps.linkcheck.http",
    "roadmaps.linkcheck.checker",
    "roadmaps.linkcheck.models",
    "roadmaps.models",
    "roadmaps.linkcheck.services",
    "roadmaps.tasks",
    "roadmaps.linkcheck.queue",
    "roadmaps.changes",
    "roadmaps.linkcheck.admin",
    "roadmaps.admin",
]


def imported_modules(module: str) -> set[str]:
    """Every module `module` imports, at the top or inside a function (`from a import b` counts
    as both `a` and `a.b`, since b may be a module)."""
    path = Path(settings.BASE_DIR, *module.split(".")).with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module", LAYERS)
def test_a_link_checker_module_imports_nothing_above_it(module):
    above = set(LAYERS[LAYERS.index(module) + 1 :])
    assert imported_modules(module) & above == set()


def test_the_layers_are_read_from_real_imports():
    # The test above would pass vacuously if the reader found nothing.
    assert "roadmaps.linkcheck.services" in imported_modules("roadmaps.tasks")
    assert "roadmaps.tasks" in imported_modules("roadmaps.linkcheck.queue")
