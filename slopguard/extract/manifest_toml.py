"""TOML manifests: pyproject.toml (PEP 621, dependency groups, build-system, poetry, uv, pdm) and Pipfile."""

from __future__ import annotations

import re
import sys
from typing import Any

from slopguard import names
from slopguard.extract.shell_common import Arg, Sink
from slopguard.extract.specs import Spec, SpecError, python_spec
from slopguard.models import Ecosystem, Extraction, Problem, RefKind, Source

_HEADER = re.compile(r"\s*\[\[?([^\]]*)\]\]?\s*(?:#.*)?")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')
_ERROR_LINE = re.compile(r"line (\d+)")
_NON_REGISTRY_KEYS = ("git", "path", "url", "file", "workspace")
_PIPFILE_OTHER = frozenset({"source", "requires", "scripts", "pipenv"})


def _norm(table: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in table.split("."))


class TomlLines:
    """Finds the line of a key or string value inside a table (tomllib gives values, not positions).

    Each line is looked at a bounded number of times whatever the number of lookups: the keys and the string
    literals of a run of lines under one header are indexed the first time that run is asked about."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.tables: list[str] = []
        self.headers: dict[str, int] = {}
        current = ""
        for number, line in enumerate(self.lines, start=1):
            match = header_name(line) if "[" in line else None
            if match is not None:
                current = _norm(match)
                self.headers.setdefault(current, number)
            self.tables.append(current)
        count = len(self.lines)
        self.block_first = [1] * count
        """The first and last line of the run of lines under the same table as each line (index: line - 1)."""
        self.block_end = [count] * count
        for index in range(1, count):
            same = self.tables[index] == self.tables[index - 1]
            self.block_first[index] = self.block_first[index - 1] if same else index + 1
        for index in range(count - 2, -1, -1):
            same = self.tables[index] == self.tables[index + 1]
            self.block_end[index] = self.block_end[index + 1] if same else index + 1
        self._text = text
        self._starts: list[int] = []
        self._keys: dict[int | None, dict[str, int]] = {}
        self._scanned: dict[int | None, int] = {}
        """How far (last line number) each table's lines were read for `_keys`."""
        self._strings: dict[int, dict[str, list[int]]] = {}
        self._taken: dict[tuple[int, str], _Occurrences] = {}

    def key_line(self, table: str, key: str) -> int | None:
        """The line defining `key` in `table` (or the `[table.key]` header)."""
        header = self.headers.get(f"{table}.{key}")
        if header:
            return header
        start = self.headers.get(table)
        keys = self._keys.get(start)
        if keys is None:
            keys = self._keys[start] = {}
            self._scanned[start] = (start or 1) - 1
        found = keys.get(key)
        if found is not None:
            return found
        # Lines are read on until `key` turns up (each line once over all lookups: the first definition wins).
        last = self.block_end[start - 1] if start is not None else len(self.lines)
        number = self._scanned[start]
        while number < last and found is None:
            number += 1
            name = _key_of(self.lines[number - 1])
            if name is not None and name not in keys:
                keys[name] = number
                found = number if name == key else None
        self._scanned[start] = number
        return found

    def value_line(self, table: str, key: str, value: str) -> int | None:
        """The line of string `value` in the array `table.key` (each occurrence used once)."""
        start = self.key_line(table, key) or self.headers.get(table) or 1
        first = self.block_first[start - 1]
        strings = self._strings.get(first)
        if strings is None:
            if not self._starts:  # the offset of each line's first character
                from itertools import accumulate

                self._starts = [0, *accumulate(len(line) + 1 for line in self.lines[:-1])]
            strings = _index_strings(self._text, self._starts, first, self.block_end[first - 1])
            self._strings[first] = strings
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        best: int | None = None
        taken: _Occurrences | None = None
        for literal in {value, escaped}:
            occurrences = self._taken.get((first, literal))
            if occurrences is None and literal in strings:
                occurrences = self._taken[(first, literal)] = _Occurrences(strings[literal])
            found = occurrences.first_from(start) if occurrences is not None else None
            if found is not None and (best is None or found < best):
                best, taken = found, occurrences
        if best is None or taken is None:
            return self.key_line(table, key)
        taken.use(best)
        return best

    def arg(self, value: str, line: int | None) -> Arg:
        """An `Arg` at `line` whose evidence is that line's text."""
        number = line or 1
        text = self.lines[number - 1].strip() if line else value
        raw = self.lines[number - 1] if line else ""
        return Arg(value, text, number, len(raw) - len(raw.lstrip()) + 1)


def header_name(line: str) -> str | None:
    """The table name of a `[table]` / `[[table]]` header line, or None (no backtracking on long lines)."""
    match = _HEADER.fullmatch(line)
    name = match.group(1).strip() if match is not None else ""
    return name or None


def _key_of(line: str) -> str | None:
    """The key a `key = ...` line defines, quotes removed, or None."""
    body = line.lstrip()
    equals = body.find("=")
    if equals <= 0:
        return None
    key = body[:equals].rstrip()
    key = key[1:] if key[:1] in ("'", '"') else key
    key = key[:-1] if key[-1:] in ("'", '"') else key
    return key or None


class _Occurrences:
    """The lines (ascending) on which one string literal appears; each taken once, the next free one found fast."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        self._next = list(range(len(lines)))  # union-find: the first unused occurrence at or after each index

    def _free(self, index: int) -> int:
        root = index
        while root < len(self._next) and self._next[root] != root:
            root = self._next[root]
        while index < len(self._next) and self._next[index] != root:
            self._next[index], index = root, self._next[index]
        return root

    def first_from(self, line: int) -> int | None:
        """The first unused line at or after `line`."""
        from bisect import bisect_left

        index = self._free(bisect_left(self.lines, line))
        return self.lines[index] if index < len(self.lines) else None

    def use(self, line: int) -> None:
        from bisect import bisect_left

        index = bisect_left(self.lines, line)
        self._next[index] = index + 1


def _index_strings(text: str, starts: list[int], first: int, last: int) -> dict[str, list[int]]:
    """Raw text of every quoted string on lines `first`..`last` -> the lines it is on (one pass over the text,
    line numbers by bisection over the line start offsets `starts`)."""
    from bisect import bisect_right

    found: dict[str, list[int]] = {}
    end = starts[last] if last < len(starts) else len(text)
    for match in _STRING.finditer(text, starts[first - 1], end):
        literal = match.group(1) if match.group(1) is not None else match.group(2)
        line = bisect_right(starts, match.start())
        lines = found.get(literal)
        if lines is None:
            found[literal] = [line]
        elif lines[-1] != line:
            lines.append(line)
    return found


_LAST: list[tuple[str, dict[str, Any]]] = []


def parse_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, remembered for the last text: a pyproject is read by the extractor and again for
    what it says of the project (`slopguard.extract.project_manifests`), and 100,000 entries cost a second each.
    Callers only read the result. Raises what `tomllib.loads` raises."""
    if _LAST and (_LAST[0][0] is text or _LAST[0][0] == text):
        return _LAST[0][1]
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    data: dict[str, Any] = tomllib.loads(text)
    _LAST[:] = [(text, data)]
    return data


def _load(source: Source, sink: Sink) -> dict[str, Any] | None:
    """The parsed TOML, or `None` when it does not parse: a Problem for a whole file, and for a diff's partial
    post-image the lines judged by the sections visible around them (`toml_fragment`)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        return parse_toml(source.text)
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
            if isinstance(value, str) and not sink.capped:  # `{include-group = "x"}` entries are not packages
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
    if sink.capped:
        return
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
    if arg.value is None or sink.capped:
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
