"""JavaScript/TypeScript imports: `import`/`export ... from`, `require`, dynamic `import()`, `import x = require`."""

from __future__ import annotations

import re

from slopguard import names, popular
from slopguard.extract import treesitter
from slopguard.extract.imports import Node, Parsed, statement_of
from slopguard.extract.project import js_alias, npm_package
from slopguard.models import Ecosystem, PackageRef, Project

_SOURCES = """
(import_statement source: (string) @src)
(export_statement source: (string) @src)
(call_expression function: (import) arguments: (arguments . [(string) (template_string)] @src))
(call_expression function: (identifier) @fn (#eq? @fn "require")
                 arguments: (arguments . [(string) (template_string)] @src))
(call_expression function: (member_expression object: (identifier) @obj (#eq? @obj "require")
                                              property: (property_identifier) @prop (#eq? @prop "resolve"))
                 arguments: (arguments . [(string) (template_string)] @src))
"""
_QUERIES = {
    "javascript": _SOURCES,
    "typescript": _SOURCES + "(import_require_clause source: (string) @src)\n",
    "tsx": _SOURCES + "(import_require_clause source: (string) @src)\n",
}

_WRAPPERS = frozenset(
    {
        "import_statement",
        "export_statement",
        "import_require_clause",
        "arguments",
        "call_expression",
        "member_expression",
        "await_expression",
        "variable_declarator",
        "lexical_declaration",
        "variable_declaration",
        "expression_statement",
        "assignment_expression",
    }
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_NPM_VERSION = re.compile(r"^((?:@[^/@]+/)?[^/@]+)@[^/]*")
_ALWAYS_ALIASES = ("@/", "~", "#", "@@/")
# Core modules that exist only with the `node:` prefix: without it they are npm packages.
_PREFIX_ONLY = frozenset({"test", "sqlite", "sea", "quic"})


def js_refs(parsed: Parsed, grammar: str) -> list[PackageRef]:
    """Every npm package the parsed JS/TS source imports (type-only imports of packages included)."""
    refs: list[PackageRef] = []
    nodes = treesitter.captures(grammar, _QUERIES[grammar], parsed.root).get("src", [])
    for node in parsed.ordered(nodes):
        if not parsed.keeps(node):
            continue
        spec = _string_value(node)
        if spec is None:
            continue
        package = package_of(spec, parsed.project)
        if package is None:
            continue
        statement = statement_of(node, _WRAPPERS, 8)
        if statement.type in ("expression_statement", "lexical_declaration", "variable_declaration") or (
            statement.end_byte - statement.start_byte > 400
        ):
            statement = _narrow(node, statement)
        refs.append(parsed.ref(Ecosystem.NPM, spec, package, node, statement))
    return refs


def package_of(spec: str, project: Project) -> str | None:
    """The npm package import specifier `spec` refers to, or `None` when it is not a registry package."""
    spec = spec.strip()
    if spec.startswith("npm:"):
        spec = _NPM_VERSION.sub(r"\1", spec[4:])
    spec = spec.split("?", 1)[0]
    if not spec or spec.startswith((".", "/", "\\")) or _WINDOWS_PATH.match(spec):
        return None
    if "!" in spec or _SCHEME.match(spec) or spec.startswith(_ALWAYS_ALIASES):
        return None  # webpack loaders, URLs, node:/bun:/data:/virtual:, `@/` `~/` `#...` aliases
    package = npm_package(spec)
    if (
        (package in popular.node_builtins() and package not in _PREFIX_ONLY)
        or js_alias(spec, project)
        or package in project.npm_packages
    ):
        return None
    if names.invalid_reason(Ecosystem.NPM, package) is not None:
        return None
    return package


def _string_value(node: Node) -> str | None:
    """The text of a string or template literal without quotes; `None` when it interpolates."""
    if any(child.type == "template_substitution" for child in node.children):
        return None
    text = treesitter.node_text(node)
    if len(text) < 2 or len(text) > 500:
        return None
    return text[1:-1]


def _narrow(source_node: Node, statement: Node) -> Node:
    """For a call inside a declaration, prefer the call (a `const` may declare many things)."""
    current = source_node
    while current.parent is not None and current.type != "call_expression" and current != statement:
        current = current.parent
    if statement.end_byte - statement.start_byte <= 200 and statement.start_point[0] == statement.end_point[0]:
        return statement
    return current
