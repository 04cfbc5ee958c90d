"""Grammar loading, parser and query caches: the only module that imports tree_sitter."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Query

# Grammar name -> (module, function returning the language pointer).
_GRAMMARS = {
    "bash": ("tree_sitter_bash", "language"),
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
}


@functools.cache
def language(name: str) -> Language:
    """The tree-sitter `Language` for grammar `name` (bash, python, javascript, typescript, tsx, go)."""
    import importlib

    from tree_sitter import Language

    module_name, func = _GRAMMARS[name]
    module = importlib.import_module(module_name)
    return Language(getattr(module, func)())


@functools.cache
def parser(name: str) -> Parser:
    """A cached `Parser` for grammar `name` (parsers are not thread-safe: use from one thread)."""
    from tree_sitter import Parser

    return Parser(language(name))


@functools.cache
def query(name: str, source: str) -> Query:
    """A compiled query, compiled once per process."""
    from tree_sitter import Query

    return Query(language(name), source)


def parse(name: str, text: str | bytes) -> Node:
    """Parse `text` with grammar `name` and return the root node (errors are recovered, not raised)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return parser(name).parse(data).root_node


def captures(name: str, source: str, node: Node) -> dict[str, list[Node]]:
    """Run query `source` over `node`; returns capture name -> nodes."""
    from tree_sitter import QueryCursor

    result: dict[str, list[Any]] = QueryCursor(query(name, source)).captures(node)
    return result


def node_text(node: Node) -> str:
    """The text of `node` as str (invalid UTF-8 replaced)."""
    raw = node.text or b""
    return raw.decode("utf-8", "replace")
