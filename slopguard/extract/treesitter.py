"""Grammar loading, parser and query caches: the only module that imports tree_sitter."""

from __future__ import annotations

import functools

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: keep the hook's import of this module cheap
if TYPE_CHECKING:
    from typing import Any

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

    from tree_sitter import Language

    module_name, func = _GRAMMARS[name]
    return Language(getattr(_binding(module_name), func)())


def _binding(package: str) -> Any:
    """The grammar wheel's compiled `_binding` module, loaded without running the package's `__init__`
    (which imports `importlib.resources` for its highlight queries: ~10 ms per hook call)."""
    import importlib
    import importlib.machinery
    import importlib.util
    import sys

    full = f"{package}._binding"
    if full in sys.modules:
        return sys.modules[full]
    try:
        spec = importlib.machinery.PathFinder.find_spec(package)
        where = list(spec.submodule_search_locations or []) if spec else []
        found = importlib.machinery.PathFinder.find_spec("_binding", where) if where else None
        if found is None or found.loader is None or found.origin is None:
            raise ImportError(full)
        found = importlib.util.spec_from_file_location(full, found.origin)
        assert found is not None and found.loader is not None
        module = importlib.util.module_from_spec(found)
        found.loader.exec_module(module)
        sys.modules[full] = module
        return module
    except Exception:  # any other layout: the ordinary import
        return importlib.import_module(package)


@functools.cache
def parser(name: str) -> Parser:
    """A cached `Parser` for grammar `name` (parsers are not thread-safe: use from one thread)."""
    from tree_sitter import Parser

    return Parser(language(name))


@functools.cache
def query(name: str, source: str) -> Query:
    """A compiled query, compiled once per process."""
    from tree_sitter import Query

    compiled: Query = Query(language(name), source)
    return compiled


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
