"""Diff hunks of TOML and JSON manifests that do not parse on their own: judged line by line, in context."""

from __future__ import annotations

import re

from slopguard.extract.manifest_npm import BUNDLED, SECTIONS, add_dependency
from slopguard.extract.manifest_toml import header_name
from slopguard.extract.shell_common import Arg, Sink
from slopguard.extract.specs import Spec, SpecError, python_spec
from slopguard.models import Ecosystem, RefKind

_KEY = re.compile(r"""\s*["']?([A-Za-z0-9_.-]+)["']?\s*=\s*""")
_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'([^']*)'""")
_DEP_ARRAYS = {
    ("project", "dependencies"),
    ("build-system", "requires"),
    ("tool.uv", "dev-dependencies"),
    ("tool.uv", "constraint-dependencies"),
    ("tool.uv", "override-dependencies"),
}
_NOT_DEP_KEYS = frozenset(
    {
        "keywords",
        "classifiers",
        "authors",
        "maintainers",
        "include",
        "exclude",
        "packages",
        "select",
        "ignore",
        "extend-select",
        "testpaths",
        "addopts",
        "filterwarnings",
        "markers",
        "files",
        "plugins",
        "dynamic",
    }
)
_DEP_ARRAY_TABLES = ("project.optional-dependencies", "dependency-groups", "tool.pdm.dev-dependencies")
_KEYED_TABLES = re.compile(
    r"^(tool\.poetry\.(dev-)?dependencies|tool\.poetry\.group\.[^.]+\.dependencies|packages"
    r"|dev-packages)$"
)


def _dep_array(table: str | None, key: str | None) -> bool | None:
    """Whether strings in array `table.key` are requirements; None when the context is not in the hunk."""
    if table is None and key is None:
        return None
    if table is None:
        if key in _NOT_DEP_KEYS:
            return False
        return key in ("dependencies", "requires", "dev-dependencies") or None
    return (table, key) in _DEP_ARRAYS or table in _DEP_ARRAY_TABLES


def toml_fragment(sink: Sink) -> None:
    """Requirements on kept lines of a pyproject.toml / Pipfile hunk."""
    source = sink.source
    table: str | None = None
    key: str | None = None
    for number, raw in enumerate(source.text.split("\n"), start=1):
        header = header_name(raw) if "[" in raw else None
        if header is not None:
            table, key = header.replace('"', "").replace("'", ""), None
            continue
        pair = _KEY.match(raw)
        values = raw
        if pair:  # `key = value  # comment`: the value ends at the first `#` (no backtracking on long lines)
            key, values = pair.group(1), raw[pair.end() :].partition("#")[0].rstrip()
            if not values.startswith("[") and table is not None and _KEYED_TABLES.match(table):
                if source.keeps(number) and key.lower() != "python":
                    quoted = _STRING.match(values)
                    version = (quoted.group(1) or quoted.group(2)) if quoted else None
                    arg = Arg(key, raw.strip(), number, len(raw) - len(raw.lstrip()) + 1)
                    origin = "non-registry" if re.search(r"\b(git|path|url|file)\s*=", values) else None
                    spec_text = None if version in (None, "*") else version
                    sink.add(Ecosystem.PYPI, arg, Spec(key, key, spec_text, origin), RefKind.MANIFEST)
                continue
        if not source.keeps(number) or _dep_array(table, key) is False:
            continue
        for match in _STRING.finditer(values):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            try:
                spec = python_spec(text)
            except SpecError:
                continue  # classifiers, keywords and the like when the array's key is out of the hunk
            arg = Arg(text, raw.strip(), number, match.start() + 1)
            sink.add(Ecosystem.PYPI, arg, spec, RefKind.MANIFEST)


_OPEN = re.compile(r'^\s*"([^"]+)"\s*:\s*[\[{]')
_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$')
_ITEM = re.compile(r'^\s*"([^"]+)"\s*,?\s*$')
_NOT_DEPS = frozenset(
    {
        "name",
        "version",
        "description",
        "main",
        "module",
        "types",
        "typings",
        "license",
        "author",
        "homepage",
        "type",
        "private",
        "node",
        "npm",
        "yarn",
        "pnpm",
        "bun",
        "vscode",
        "packageManager",
        "engines",
    }
)
_RANGE = re.compile(r"^(?:npm:|workspace:|file:|link:|github:|git|https?:|[\^~<>=*]|v?\d|latest$|next$|x$)")


def json_fragment(sink: Sink) -> None:
    """Dependencies on kept lines of a package.json hunk, when the section is visible or the entry is plain."""
    source = sink.source
    stack: list[str | None] = []
    for number, raw in enumerate(source.text.split("\n"), start=1):
        opened = _OPEN.match(raw)
        if opened:
            stack.append(opened.group(1))
            continue
        if raw.strip().startswith(("}", "]")):
            if stack:
                stack.pop()
            continue
        section = stack[-1] if stack else None
        if not source.keeps(number):
            continue
        entry = _ENTRY.match(raw)
        arg_at = (raw.strip(), number, len(raw) - len(raw.lstrip()) + 1)
        if entry:
            name, spec = entry.group(1), entry.group(2)
            known = section in SECTIONS
            guess = section is None and name not in _NOT_DEPS and bool(_RANGE.match(spec))
            if known or guess:
                add_dependency(sink, Arg(name, *arg_at), name, spec)
            continue
        item = _ITEM.match(raw)
        if item and section in BUNDLED:
            add_dependency(sink, Arg(item.group(1), *arg_at), item.group(1), None)
