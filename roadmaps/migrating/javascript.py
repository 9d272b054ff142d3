"""Reading the literal data out of the old site's JavaScript and JSX files, with tree-sitter.

Nothing is executed: the file is parsed, and only literal values (strings, numbers, true/false/
null, arrays, objects, template strings without `${...}`) are turned into Python values. Anything
else (an icon component, a JSX element, an imported name, a function call) is left out and named
in `JsModule.dropped`, so the report can say what did not come across.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser

# What `_Literal.convert` returns for a value it left out (None is JavaScript's null).
_MISSING = object()


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_javascript.language()))


@dataclass
class JsModule:
    """One parsed file: its named literal values, what it exports, and what was dropped."""

    source: str
    text: bytes = b""
    root: Node | None = None
    declarations: dict[str, Node] = field(default_factory=dict)
    exported: list[Node] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def value(self, node: Node, path: str = "") -> Any:
        """The Python value of a literal node; non-literal parts are dropped (and noted), and
        a value nested too deeply to be data is refused as a whole."""
        try:
            return _Literal(self).convert(node, path)
        except RecursionError:
            self.errors.append(f"{self.source}, line {_line(node)}: nested too deeply, left out")
            return None


def _line(node: Node) -> int:
    return node.start_point[0] + 1


class _Literal:
    def __init__(self, module: JsModule):
        self.module = module

    def drop(self, node: Node, path: str) -> Any:
        kind = node.type.replace("_", " ")
        where = f"{path} " if path else ""
        self.module.dropped.append(f"line {_line(node)}: {where}({kind}) is not a literal value")
        return _MISSING

    def convert(self, node: Node, path: str) -> Any:
        kind = node.type
        if kind in ("parenthesized_expression", "satisfies_expression", "as_expression"):
            return self.convert(node.named_children[0], path)
        if kind == "string":
            return _string(node)
        if kind == "template_string":
            if any(child.type == "template_substitution" for child in node.named_children):
                return self.drop(node, path)
            return _text(node)[1:-1]
        if kind == "number":
            return _number(_text(node))
        if kind == "unary_expression" and _text(node).startswith("-"):
            value = self.convert(node.named_children[0], path)
            return -value if isinstance(value, int | float) else self.drop(node, path)
        if kind in ("true", "false"):
            return kind == "true"
        if kind in ("null", "undefined"):
            return None
        if kind == "array":
            return self.array(node, path)
        if kind == "object":
            return self.object(node, path)
        return self.drop(node, path)

    def array(self, node: Node, path: str) -> list[Any]:
        values = []
        for index, child in enumerate(node.named_children):
            if child.type == "comment":
                continue
            value = self.convert(child, f"{path}[{index}]")
            if value is not _MISSING:
                values.append(value)
        return values

    def object(self, node: Node, path: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for child in node.named_children:
            if child.type != "pair":
                if child.type != "comment":
                    self.drop(child, path)
                continue
            key = _key(child.child_by_field_name("key"))
            value_node = child.child_by_field_name("value")
            if key is None or value_node is None:
                self.drop(child, path)
                continue
            value = self.convert(value_node, f"{path}.{key}" if path else key)
            if value is not _MISSING:
                values[key] = value
        return values


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _string(node: Node) -> str:
    # The source between the quotes, with its escapes read the way JSON reads them; a JS-only
    # escape (\x41, \') falls back to the raw text.
    raw = _text(node)[1:-1]
    try:
        return str(json.loads('"' + raw.replace("\\'", "'").replace('"', '\\"') + '"'))
    except ValueError:
        return raw


def _number(text: str) -> int | float:
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0)
    except ValueError:
        return float(cleaned)


def _key(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return _text(node)
    if node.type == "string":
        return _string(node)
    if node.type == "number":
        return _text(node)
    return None  # a computed key, [name]: ...


def _declarators(root: Node) -> list[Node]:
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "variable_declarator":
            found.append(node)
        stack.extend(reversed(node.named_children))
    return found


def _collect(module: JsModule, root: Node) -> None:
    for declarator in _declarators(root):
        name = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if name is not None and value is not None and name.type == "identifier":
            module.declarations.setdefault(_text(name), value)
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        value = statement.child_by_field_name("value")
        declaration = statement.child_by_field_name("declaration")
        if value is not None:
            if value.type == "identifier" and _text(value) in module.declarations:
                value = module.declarations[_text(value)]
            module.exported.append(value)
        elif declaration is not None:
            for child in _declarators(declaration):
                declared = child.child_by_field_name("value")
                if declared is not None:
                    module.exported.append(declared)


def js_module(path: Path) -> JsModule:
    """Parse a .js/.jsx file (or read a .json one as the same literal tree)."""
    module = JsModule(source=str(path))
    try:
        module.text = path.read_bytes()
    except OSError as error:
        module.errors.append(f"{path}: cannot read: {error}")
        return module
    if not module.text.strip():
        return module  # an empty file: nothing to read, and not an error
    source = module.text
    if path.suffix == ".json":
        # JSON is a JavaScript expression; parsed as one it gives the same nodes and lines.
        source = b"export default " + source
    tree = _parser().parse(source)
    module.root = tree.root_node
    if tree.root_node.has_error:
        module.errors.append(f"{path}, line {_first_error_line(tree.root_node)}: not valid JS")
    _collect(module, tree.root_node)
    return module


def _first_error_line(root: Node) -> int:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return _line(node)
        stack.extend(reversed(node.children))
    return _line(root)


def data_value(module: JsModule, *, wanted: tuple[str, ...]) -> Any:
    """The file's data: what it exports if that is a literal, else the first array or object
    assigned to a name (a component that keeps its list in a local constant) whose entries
    have one of the `wanted` keys."""
    for node in module.exported:
        if node.type in ("array", "object"):
            return module.value(node)
    for node in module.declarations.values():
        if node.type == "array" and _has_keys(node, wanted):
            return module.value(node)
        if node.type == "object" and _has_keys(node, wanted, nested=True):
            return module.value(node)
    return None


def _has_keys(node: Node, wanted: tuple[str, ...], *, nested: bool = False) -> bool:
    stack = [node]
    depth = 0
    while stack and depth < 4:
        below: list[Node] = []
        for current in stack:
            for child in current.named_children:
                if child.type == "pair" and _key(child.child_by_field_name("key")) in wanted:
                    return True
                if child.type in ("object", "array", "pair"):
                    below.append(child)
        stack, depth = below, depth + 1
        if not nested and depth > 2:
            break
    return False


def jsx_texts(module: JsModule, tag: str) -> list[str]:
    """The visible text of every <tag>...</tag> element, in document order."""
    if module.root is None:
        return []
    texts = []
    stack = [module.root]
    while stack:
        node = stack.pop()
        if node.type == "jsx_element":
            opening = node.child_by_field_name("open_tag")
            name = opening.child_by_field_name("name") if opening else None
            if name is not None and _text(name) == tag:
                texts.append(_jsx_text(node))
        stack.extend(reversed(node.named_children))
    return texts


def _jsx_text(node: Node) -> str:
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("jsx_text", "html_character_reference"):
            parts.append(_text(current))
        elif current.type == "jsx_expression":
            inner = current.named_children
            if inner and inner[0].type in ("string", "template_string"):
                parts.append(_text(inner[0])[1:-1])
        elif current.type not in ("jsx_opening_element", "jsx_closing_element"):
            stack.extend(reversed(current.named_children))
    return html.unescape(" ".join(" ".join(parts).split()))


def jsx_attributes(module: JsModule, names: tuple[str, ...]) -> dict[str, str]:
    """String values of JSX attributes with these names (the first of each), e.g. a page that
    passes `completionMessage="..."` to its layout component."""
    found: dict[str, str] = {}
    if module.root is None:
        return found
    stack = [module.root]
    while stack:
        node = stack.pop()
        if node.type == "jsx_attribute" and len(node.named_children) == 2:
            name, value = node.named_children
            key = _text(name)
            if key in names and key not in found:
                if value.type == "string":
                    found[key] = html.unescape(_text(value)[1:-1])
                elif value.type == "jsx_expression" and value.named_children:
                    inner = module.value(value.named_children[0])
                    if isinstance(inner, str):
                        found[key] = inner
        stack.extend(reversed(node.named_children))
    return found
