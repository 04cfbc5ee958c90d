"""Go imports: every import spec (plain, aliased, blank, dot) outside the standard library and own modules."""

from __future__ import annotations

import dataclasses

from slopguard import names
from slopguard.extract import treesitter
from slopguard.extract.imports import Node, Parsed
from slopguard.extract.project import go_first_party
from slopguard.models import Ecosystem, PackageRef, Project

_QUERY = """
(import_spec path: [(interpreted_string_literal) (raw_string_literal)] @path)
"""


def go_refs(parsed: Parsed) -> list[PackageRef]:
    """Every third-party import path of the parsed Go source (the resolver finds its module)."""
    refs: list[PackageRef] = []
    nodes = treesitter.captures("go", _QUERY, parsed.root).get("path", [])
    for node in parsed.ordered(nodes):
        if not parsed.keeps(node) or node.parent is None:
            continue
        path = treesitter.node_text(node)[1:-1].strip()
        if is_third_party(path, parsed.project):
            refs.append(_ref(parsed, path, node))
    return refs


def is_third_party(path: str, project: Project) -> bool:
    """Whether Go import `path` names a module to look up: not std, not the project's, well-formed."""
    if not path or names.is_go_stdlib(path) or go_first_party(path, project):
        return False
    return names.invalid_reason(Ecosystem.GO, path) is None


def _ref(parsed: Parsed, path: str, node: Node) -> PackageRef:
    spec = node.parent
    single = spec.parent is not None and spec.parent.type == "import_declaration"
    ref = parsed.ref(Ecosystem.GO, path, path, node, spec.parent if single else spec)
    if ref.evidence.startswith("import"):
        return ref
    return dataclasses.replace(ref, evidence=f"import {ref.evidence}")
