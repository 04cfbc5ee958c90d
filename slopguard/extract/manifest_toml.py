"""TOML manifests: pyproject.toml (PEP 621, dependency groups, build-system, poetry, uv, pdm) and Pipfile."""

from __future__ import annotations

import re
import sys
from typing import Any

from slopguard import names
from slopguard.extract.shell_common import Arg, Sink
from slopguard.extract.specs import Spec, SpecError, python_spec
from slopguard.models import Ecosystem, Extraction, Problem, RefKind, Source

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ERROR_LINE = re.compile(r"line (\d+)")
_NON_REGISTRY_KEYS = ("git", "path", "url", "file", "workspace")
_PIPFILE_OTHER = frozenset({"source", "requires", "scripts", "pipenv"})


def _norm(table: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in table.split("."))


class TomlLines:
    """Finds the line of a key or string value inside a table (tomllib gives values, not positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.tables: list[str] = []
        self.headers: dict[str, int] = {}
        self.used: set[tuple[int, str]] = set()
        current = ""
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line) if "[" in line else None
            if match:
                current = _norm(match.group(1))
                self.headers.setdefault(current, number)
            self.tables.append(current)

    def key_line(self, table: str, key: str) -> int | None:
        """The line defining `key` in `table` (or the `[table.key]` header)."""
        header = self.headers.get(f"{table}.{key}")
        if header:
            return header
        pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        start = self.headers.get(table)
        for number in range(start or 1, len(self.lines) + 1):
            if start is not None and self.tables[number - 1] != table:
                break
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def value_line(self, table: str, key: str, value: str) -> int | None:
        """The line of string `value` in the array `table.key` (each occurrence used once)."""
        start = self.key_line(table, key) or self.headers.get(table) or 1
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        literals = (f'"{value}"', f"'{value}'", f'"{escaped}"')
        for number in range(start, len(self.lines) + 1):
            if number > start and self.tables[number - 1] != self.tables[start - 1]:
                break
            line = self.lines[number - 1]
            if (number, value) not in self.used and any(lit in line for lit in literals):
                self.used.add((number, value))
                return number
        return self.key_line(table, key)

    def arg(self, value: str, line: int | None) -> Arg:
        """An `Arg` at `line` whose evidence is that line's text."""
        number = line or 1
        text = self.lines[number - 1].strip() if line else value
        raw = self.lines[number - 1] if line else ""
        return Arg(value, text, number, len(raw) - len(raw.lstrip()) + 1)


def _load(source: Source, sink: Sink) -> dict[str, Any] | None:
    """The parsed TOML, or `None` when it does not parse: a Problem for a whole file, and for a diff's partial
    post-image the lines judged by the sections visible around them (`toml_fragment`)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(source.text)
        return data
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        if source.added_lines is None:
            found = _ERROR_LINE.search(str(exc))
            line = int(found.group(1)) if found else None
            where = source.locate(line).line if line else None
            sink.problems.append(Problem(source.path, f"cannot parse {source.filename or 'TOML'}: {exc}", where))
        else:
            from slopguard.extract.manifest_fragments import toml_fragment

            toml_fragment(sink)
        return None


def _table(data: Any, *path: str) -> dict[str, Any]:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def extract_pyproject(source: Source) -> Extraction:
    """Dependencies of a pyproject.toml (on the lines `source` keeps)."""
    sink = Sink(source)
    data = _load(source, sink)
    if data is None:
        return Extraction(tuple(sink.refs), tuple(sink.problems))
    lines = TomlLines(source.text)
    sources = _uv_sources(data)
    arrays: list[tuple[str, str, Any]] = [
        ("project", "dependencies", _table(data, "project").get("dependencies")),
        ("build-system", "requires", _table(data, "build-system").get("requires")),
    ]
    for table in ("project.optional-dependencies", "dependency-groups", "tool.pdm.dev-dependencies"):
        arrays.extend((table, key, value) for key, value in _table(data, *table.split(".")).items())
    uv = _table(data, "tool", "uv")
    arrays.extend(
        ("tool.uv", k, uv.get(k)) for k in ("dev-dependencies", "constraint-dependencies", "override-dependencies")
    )
    for table, key, values in arrays:
        if not isinstance(values, list):
            continue
        for value in values:
            if isinstance(value, str):  # `{include-group = "x"}` entries are not packages
                _requirement(sink, lines.arg(value, lines.value_line(table, key, value)), sources)
    poetry = _table(data, "tool", "poetry")
    poetry_sources = {s.get("name"): s.get("url") for s in poetry.get("source", []) if isinstance(s, dict)}
    tables = ["tool.poetry.dependencies", "tool.poetry.dev-dependencies"]
    tables += [f"tool.poetry.group.{g}.dependencies" for g in _table(poetry, "group")]
    for table in tables:
        for name, value in _table(data, *table.split(".")).items():
            if name.lower() != "python":
                _keyed(sink, lines, table, name, value, poetry_sources, "source")
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def extract_pipfile(source: Source) -> Extraction:
    """Packages of every category of a Pipfile, with its `[[source]]` indexes."""
    sink = Sink(source)
    data = _load(source, sink)
    if data is None:
        return Extraction(tuple(sink.refs), tuple(sink.problems))
    lines = TomlLines(source.text)
    indexes = [s for s in data.get("source", []) if isinstance(s, dict)]
    by_name = {s.get("name"): s.get("url") for s in indexes}
    default = indexes[0].get("url") if indexes else None
    if isinstance(default, str) and "pypi.org" in default:
        default = None
    for table, packages in data.items():
        if table in _PIPFILE_OTHER or not isinstance(packages, dict):
            continue
        for name, value in packages.items():
            _keyed(sink, lines, table, name, value, by_name, "index", default)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def _keyed(
    sink: Sink,
    lines: TomlLines,
    table: str,
    name: str,
    value: Any,
    indexes: dict[Any, Any],
    index_key: str,
    default_index: str | None = None,
) -> None:
    """A `name = "spec"` / `name = {version = ..., git = ...}` entry (poetry, Pipfile)."""
    arg = lines.arg(name, lines.key_line(table, name))
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (dict, str))), None)
    spec: str | None = None
    origin: str | None = None
    index_url = default_index
    if isinstance(value, str):
        spec = value
    elif isinstance(value, dict):
        spec = value.get("version") if isinstance(value.get("version"), str) else None
        origin = next((f"{k}:{value[k]}" for k in _NON_REGISTRY_KEYS if k in value), None)
        named = value.get(index_key)
        if isinstance(named, str):
            index_url = indexes.get(named) if isinstance(indexes.get(named), str) else index_url
    if spec in ("*", ""):
        spec = None
    sink.add(Ecosystem.PYPI, arg, Spec(name, name, spec, origin), RefKind.MANIFEST, index_url=index_url)


def _uv_sources(data: dict[str, Any]) -> dict[str, str]:
    """`[tool.uv.sources]`: canonical name -> where it comes from (path, git, url, workspace, index)."""
    found: dict[str, str] = {}
    for name, entry in _table(data, "tool", "uv", "sources").items():
        first = entry[0] if isinstance(entry, list) and entry else entry
        if isinstance(first, dict):
            where = next((f"{k}:{first[k]}" for k in (*_NON_REGISTRY_KEYS, "index") if k in first), None)
            if where:
                found[names.canonicalize(Ecosystem.PYPI, name)] = where
    return found


def _requirement(sink: Sink, arg: Arg, sources: dict[str, str]) -> None:
    if arg.value is None:
        return
    try:
        spec = python_spec(arg.value)
    except SpecError as exc:
        sink.problem(arg, f"not a valid Python requirement: {exc}")
        return
    origin = sources.get(names.canonicalize(Ecosystem.PYPI, spec.name))
    if origin is not None and spec.source is None:
        spec = Spec(spec.name, spec.canonical_name, spec.spec, origin)
    sink.add(Ecosystem.PYPI, arg, spec, RefKind.MANIFEST)
