"""Python imports: `import`, `from ... import`, `importlib.import_module` / `__import__` with literal names."""

from __future__ import annotations

import functools
import re

from slopguard import names, popular
from slopguard.extract import treesitter
from slopguard.extract.imports import Node, Parsed, statement_of
from slopguard.extract.project import python_first_party
from slopguard.models import Ecosystem, PackageRef

_QUERY = """
(call function: (identifier) @fn (#any-of? @fn "__import__" "import_module")
      arguments: (argument_list . (string) @dynamic))
(call function: (attribute attribute: (identifier) @attr (#eq? @attr "import_module"))
      arguments: (argument_list . (string) @dynamic))
"""
"""Dynamic imports, run only over text that names `__import__` or `import_module` (a query visits every node)."""
_NO_STATEMENTS = frozenset(
    {
        "import_statement", "import_from_statement", "future_import_statement", "expression_statement",
        "return_statement", "delete_statement", "raise_statement", "assert_statement", "global_statement",
        "nonlocal_statement", "pass_statement", "break_statement", "continue_statement", "print_statement",
        "exec_statement", "type_alias_statement", "decorator", "parameters", "argument_list", "call", "attribute",
        "subscript", "binary_operator", "boolean_operator", "comparison_operator", "not_operator", "unary_operator",
        "parenthesized_expression", "list", "tuple", "set", "dictionary", "list_comprehension", "set_comprehension",
        "dictionary_comprehension", "generator_expression", "lambda", "conditional_expression", "string",
        "concatenated_string", "dotted_name", "identifier", "integer", "float", "comment", "assignment",
        "augmented_assignment", "named_expression", "expression_list", "await", "keyword_argument",
    }
)  # fmt: skip
"""Nodes that hold no statement below them when they hold no syntax error: `import` is not looked for inside."""

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_CALL_WRAPPERS = frozenset(
    {"argument_list", "call", "assignment", "augmented_assignment", "expression_statement", "await", "expression_list"}
)

# Python 2 standard-library names still met in `try: import X except ImportError:` compatibility code.
PYTHON2_STDLIB = frozenset(
    {
        "__builtin__", "BaseHTTPServer", "ConfigParser", "Cookie", "cPickle", "cStringIO", "CGIHTTPServer",
        "HTMLParser", "Queue", "SimpleHTTPServer", "SocketServer", "StringIO", "Tkinter", "UserDict",
        "UserList", "UserString", "_winreg", "anydbm", "commands", "cookielib", "copy_reg", "dummy_thread",
        "htmlentitydefs", "httplib", "robotparser", "thread", "tkMessageBox", "urllib2", "urlparse",
        "xmlrpclib", "future_builtins",
    }
)  # fmt: skip

# `__future__` is a statement; `_typeshed` exists only in type stubs (under `if TYPE_CHECKING:`).
_NOT_INSTALLABLE = frozenset({"__future__", "_typeshed", "__main__"})

_VERSIONED = re.compile(r"^(\w+?)_v\d+(?:p\d+)?(?:(?:alpha|beta)\d*)?$")
"""A Google Cloud module with an API version suffix: `pubsub_v1`, `bigquery_storage_v1beta2`."""

# Namespace packages whose distributions are named after a longer dotted prefix (the pants pattern rules):
# prefix -> how many leading parts make the distribution name (`google.cloud.storage` -> google-cloud-storage).
_NAMESPACES: dict[tuple[str, ...], int] = {
    ("google", "cloud"): 3,
    ("azure",): 2,
    ("azure", "mgmt"): 3,
    ("azure", "storage"): 3,
    ("azure", "keyvault"): 3,
    ("azure", "ai"): 3,
    ("azure", "data"): 3,
    ("azure", "monitor"): 3,
    ("opentelemetry", "instrumentation"): 3,
    ("opentelemetry", "exporter"): 3,
    ("sphinxcontrib",): 2,
    ("backports",): 2,
    ("jaraco",): 2,
    ("zope",): 2,
}


def python_refs(parsed: Parsed) -> list[PackageRef]:
    """Every third-party import of the parsed Python source, one ref per distribution per statement."""
    found = _static_imports(parsed.root)
    if b"__import__" in parsed.data or b"import_module" in parsed.data:
        found += [(node, "dynamic") for node in treesitter.captures("python", _QUERY, parsed.root).get("dynamic", ())]
    capture_of = {node.id: capture for node, capture in found}
    refs: list[PackageRef] = []
    for node in parsed.ordered([node for node, _ in found]):
        capture = capture_of[node.id]
        if not parsed.keeps(node):
            continue
        if capture == "module":
            statement = statement_of(node, frozenset({"aliased_import", "import_statement"}))
            _add(parsed, refs, _dotted(node), node, statement, ())
        elif capture == "from" and node.parent is not None:
            _add(parsed, refs, _dotted(node), node, node.parent, tuple(_imported_names(node.parent, parsed.data)))
        elif capture == "dynamic":
            module = _literal(node)
            if module is not None:
                _add(parsed, refs, module, node, statement_of(node, _CALL_WRAPPERS, 6), ())
    return refs


def _static_imports(root: Node) -> list[tuple[Node, str]]:
    """(module name node, "module" or "from") of every `import M` / `import M as A` / `from M import ...` with an
    absolute M, found by walking statements only (not into expressions nor into import statements without a
    syntax error: a tree-sitter query would visit every node, ~1 us each)."""
    found: list[tuple[Node, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "import_statement":
            for child in node.children_by_field_name("name"):
                target = child.child_by_field_name("name") if child.type == "aliased_import" else child
                if target is not None and target.type == "dotted_name":
                    found.append((target, "module"))
        elif kind == "import_from_statement":
            module = node.child_by_field_name("module_name")
            if module is not None and module.type == "dotted_name":
                found.append((module, "from"))
        if node.named_child_count and (kind not in _NO_STATEMENTS or node.has_error):
            stack.extend(reversed(node.named_children))
    return found


@functools.lru_cache(maxsize=8192)
def distribution(module: str) -> str:
    """The canonical PyPI name for dotted import `module`: the import-name table, namespace rules, itself."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "google" and parts[1] == "cloud":
        # A versioned API surface (`pubsub_v1`, `speech_v1p1beta1`) ships in its product's distribution.
        versioned = _VERSIONED.match(parts[2])
        if versioned:
            parts[2] = versioned.group(1)
            module = ".".join(parts)
    mapped = popular.import_distribution(module)
    matched = _matched_length(parts, mapped) if mapped else 0
    take = _namespace_take(parts)
    if take > matched:
        return names.canonicalize(Ecosystem.PYPI, "-".join(parts[:take]))
    if mapped:
        return names.canonicalize(Ecosystem.PYPI, mapped)
    return names.canonicalize(Ecosystem.PYPI, parts[0]).strip("-")


def is_skipped(module: str, parsed: Parsed) -> bool:
    """Standard library, `__future__` and first-party modules are never registry packages."""
    top = module.split(".", 1)[0]
    return (
        top in popular.python_stdlib()
        or top in PYTHON2_STDLIB
        or top in _NOT_INSTALLABLE
        or python_first_party(module, parsed.project)
    )


def _add(
    parsed: Parsed,
    refs: list[PackageRef],
    module: str,
    anchor: Node,
    statement: Node,
    imported: tuple[str, ...],
) -> None:
    """Refs for `module` (and, for `from M import a`, for `M.a` when a namespace maps it elsewhere)."""
    if not _DOTTED.fullmatch(module) or is_skipped(module, parsed):
        return
    own = distribution(module)
    own_needed = not imported
    others: dict[str, str] = {}
    for name in imported:
        canonical = distribution(f"{module}.{name}")
        if canonical == own:
            own_needed = True
        else:
            others.setdefault(canonical, f"{module}.{name}")
    targets = {own: module} if own_needed else {}
    targets.update(others)
    for canonical, name in targets.items():
        if canonical and names.invalid_reason(Ecosystem.PYPI, canonical) is None:
            refs.append(parsed.ref(Ecosystem.PYPI, name, canonical, anchor, statement))


def _imported_names(statement: Node, data: bytes) -> list[str]:
    """The names a `from M import ...` statement imports, in order, each once (`from m import (a, a, ...)`)."""
    raw: dict[bytes, None] = {}
    for child in statement.children_by_field_name("name"):
        target = child.child_by_field_name("name") if child.type == "aliased_import" else child
        if target is not None and target.type == "dotted_name":
            raw[data[target.start_byte : target.end_byte]] = None
    return list(dict.fromkeys("".join(text.decode("utf-8", "replace").split()) for text in raw))


def _dotted(node: Node) -> str:
    return "".join(treesitter.node_text(node).split())


def _literal(node: Node) -> str | None:
    """The value of a plain string literal naming an absolute module, or `None`."""
    parts = node.children
    if not parts or parts[0].type != "string_start" or parts[-1].type != "string_end":
        return None
    if any(p.type not in ("string_start", "string_content", "string_end") for p in parts):
        return None
    prefix = treesitter.node_text(parts[0]).lower()
    if "f" in prefix or "b" in prefix:
        return None
    value = "".join(treesitter.node_text(p) for p in parts[1:-1]).strip()
    return value if _DOTTED.fullmatch(value) else None


def _matched_length(parts: list[str], mapped: str) -> int:
    """How many leading parts of the module the import-name table matched (its longest known prefix)."""
    for end in range(1, min(len(parts), popular.import_depth()) + 1):  # the table has no deeper prefix
        if popular.import_distribution(".".join(parts[:end])) == mapped:
            return end
    return len(parts)


def _namespace_take(parts: list[str]) -> int:
    """How many leading parts name the distribution of a namespace package (0 when no rule applies)."""
    for prefix, take in _NAMESPACES_LONGEST_FIRST:
        if len(parts) >= take and tuple(parts[: len(prefix)]) == prefix:
            return take
    return 0


_NAMESPACES_LONGEST_FIRST = sorted(_NAMESPACES.items(), key=lambda item: -len(item[0]))
