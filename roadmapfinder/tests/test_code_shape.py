"""Modules stay small enough to read and functions short enough to follow: no module over 500
lines and no function over 60, outside tests and migrations. Split by stage or concern when a
change would cross either line."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_LINES, FUNCTION_LINES = 500, 60
SKIPPED_PARTS = {"tests", "migrations", ".venv", ".tools", "var", "node_modules"}


def project_sources() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts) and path.name != "conftest.py"
    )


def oversized(path: Path) -> list[str]:
    source = path.read_text()
    name = str(path.relative_to(ROOT))
    found = []
    if source.count("\n") > MODULE_LINES:
        found.append(f"{name}: {source.count(chr(10))} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name}() {length} lines")
    return found


def test_no_module_or_function_is_too_long():
    sources = project_sources()
    assert any(path.name == "settings.py" for path in sources)  # the walk finds the project
    assert [problem for path in sources for problem in oversized(path)] == []


def test_a_long_function_and_a_long_module_are_found(monkeypatch, tmp_path):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    source = tmp_path / "long.py"
    source.write_text("def f():\n" + "    x = 1\n" * 70 + "y = 2\n" * 440)
    assert oversized(source) == ["long.py: 511 lines", "long.py:1 f() 71 lines"]


# A merge left unresolved: Python would not import, but a template or a doc renders the markers.
CONFLICT_MARKER_LINE = ("<" * 7 + " ", "=" * 7 + "\n", ">" * 7 + " ")
TEXT_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".md", ".yaml", ".yml", ".toml", ".cfg"}


def conflict_markers(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts)
        skipped = (SKIPPED_PARTS - {"tests", "migrations"}) | {".git"}
        if path.suffix not in TEXT_SUFFIXES or parts & skipped:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(True), 1):
            if line.startswith(CONFLICT_MARKER_LINE):
                found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_no_merge_conflict_markers_are_left(tmp_path):
    assert conflict_markers(ROOT) == []
    (tmp_path / "page.html").write_text("<p>\n" + "<" * 7 + " HEAD\na\n" + "=" * 7 + "\nb\n")
    assert conflict_markers(tmp_path) == ["page.html:2", "page.html:4"]
