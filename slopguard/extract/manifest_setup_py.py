"""setup.py: literal `install_requires` / `setup_requires` / `tests_require` / `extras_require` (tree-sitter python)."""

from __future__ import annotations

from slopguard.extract.shell_common import Arg, Node, Sink
from slopguard.models import Extraction, RefKind, Source

_KEYWORDS = frozenset({"install_requires", "setup_requires", "tests_require", "extras_require"})
MAX_NODES = 200_000


def extract_setup_py(source: Source) -> Extraction:
    """Requirement strings written literally in a `setup(...)` call (or in a module-level list it names)."""
    from slopguard.extract.treesitter import node_text, parse

    sink = Sink(source)
    root = parse("python", source.text)
    assigned: dict[str, Node] = {}
    calls: list[Node] = []
    stack = [root]
    visited = 0
    while stack and visited < MAX_NODES:
        node = stack.pop()
        visited += 1
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier":
                assigned[node_text(left)] = right
        elif node.type == "call":
            func = node.child_by_field_name("function")
            if func is not None and node_text(func).rsplit(".", 1)[-1] == "setup":
                calls.append(node)
        stack.extend(reversed(node.children))
    for call in calls:
        args = call.child_by_field_name("arguments")
        for kw in args.named_children if args is not None else []:
            name = kw.child_by_field_name("name")
            value = kw.child_by_field_name("value")
            if kw.type == "keyword_argument" and name is not None and value is not None:
                if node_text(name) in _KEYWORDS:
                    for string in _strings(value, assigned, 0):
                        _add(sink, string)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def _strings(node: Node, assigned: dict[str, Node], depth: int) -> list[Node]:
    """String literal nodes of a list / tuple / dict-of-lists / `A + B` / a module-level name."""
    from slopguard.extract.treesitter import node_text

    if depth > 8:
        return []
    kind = node.type
    if kind == "string":
        return [node]
    if kind == "identifier" and node_text(node) in assigned:
        return _strings(assigned[node_text(node)], assigned, depth + 1)
    if kind in ("list", "tuple", "set", "parenthesized_expression"):
        return [s for child in node.named_children for s in _strings(child, assigned, depth + 1)]
    if kind == "binary_operator":
        return [s for child in node.named_children for s in _strings(child, assigned, depth + 1)]
    if kind == "dictionary":
        found = []
        for pair in node.named_children:
            value = pair.child_by_field_name("value")
            if pair.type == "pair" and value is not None:
                found.extend(_strings(value, assigned, depth + 1))
        return found
    return []


def _add(sink: Sink, node: Node) -> None:
    from slopguard.extract.treesitter import node_text

    parts = [c for c in node.children if c.type not in ("string_start", "string_end")]
    if any(c.type != "string_content" for c in parts):
        return  # an f-string or an escape: not a literal we can read exactly
    value = "".join(node_text(c) for c in parts)
    row, col = node.start_point
    line = row + 1
    for requirement in value.splitlines() or [value]:  # `"a\nb"` style multi-line strings
        if requirement.strip() and not requirement.strip().startswith("#"):
            sink.python(Arg(requirement.strip(), node_text(node), line, col + 1), RefKind.MANIFEST)
