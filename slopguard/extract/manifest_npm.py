"""package.json: the five dependency sections, `npm:` aliases resolved, non-registry specs marked; and the
commands of its `scripts`, which `npm run` / `npm install` run (`npx tool`, `pip install x`)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from slopguard.extract.shell_common import Arg, Sink
from slopguard.extract.specs import npm_registry_spec
from slopguard.models import Ecosystem, Extraction, Problem, Project, RefKind, Source, SourceKind

SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
BUNDLED = ("bundleDependencies", "bundledDependencies")
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]')


def json_positions(text: str, sections: frozenset[str]) -> dict[tuple[str, str], int]:
    """Line of each key (or array string) directly inside the top-level objects/arrays named in `sections`."""
    found: dict[tuple[str, str], int] = {}
    line, counted = 1, 0  # the line at offset `counted` (line breaks are counted only up to a recorded token)
    stack: list[tuple[str, str | None]] = []  # (container, key it is the value of)
    expect_key = False
    key: str | None = None
    for match in _TOKEN.finditer(text):
        tok = match.group()
        if tok in "{[":
            stack.append((tok, key))
            expect_key = tok == "{"
            key = None
        elif tok in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif tok == ",":
            expect_key = bool(stack) and stack[-1][0] == "{"
        elif tok == ":":
            expect_key = False
        else:
            value = _unquote(tok)
            inside = len(stack) == 2 and stack[-1][1] in sections
            if expect_key:
                key = value
                expect_key = False
                if not inside:
                    continue
            elif not inside or stack[-1][0] != "[":
                continue
            start = match.start()
            line, counted = line + text.count("\n", counted, start), start
            found.setdefault((stack[-1][1] or "", value), line)
    return found


def _unquote(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        value = json.loads(token)
    except ValueError:
        return token[1:-1]
    return value if isinstance(value, str) else token[1:-1]


def extract_package_json(source: Source) -> Extraction:
    """Dependencies declared in a package.json (on the lines `source` keeps)."""
    sink = Sink(source)
    try:
        data: Any = json.loads(source.text)
    except (ValueError, RecursionError) as exc:
        if source.added_lines is not None:
            from slopguard.extract.manifest_fragments import json_fragment

            json_fragment(sink)
        else:
            line = getattr(exc, "lineno", None)
            where = source.locate(line).line if line else None
            sink.problems.append(Problem(source.path, f"cannot parse package.json: {exc}", where))
        return Extraction(tuple(sink.refs), tuple(sink.problems))
    if not isinstance(data, dict):
        sink.problems.append(Problem(source.path, "package.json is not a JSON object", source.locate(1).line))
        return Extraction((), tuple(sink.problems))
    lines = source.text.split("\n")
    # A one-line (minified) file has every entry on line 1: nothing to tokenize.
    one_line = "\n" not in source.text
    positions = {} if one_line else json_positions(source.text, frozenset((*SECTIONS, *BUNDLED, "scripts")))
    line_of: Callable[[tuple[str, str]], int | None] = (lambda _: 1) if one_line else positions.get
    for section in SECTIONS:
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if sink.capped:  # past MAX_REFS: the rest is not read (the sink said so once)
                break
            arg = _arg(lines, name, line_of((section, name)))
            add_dependency(sink, arg, name, spec if isinstance(spec, str) else None)
    for section in BUNDLED:
        bundled = data.get(section)
        if isinstance(bundled, list):
            for name in bundled:
                if isinstance(name, str):
                    add_dependency(sink, _arg(lines, name, line_of((section, name))), name, None)
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        for name, command in scripts.items():
            if isinstance(command, str):
                _script(source, sink, command, line_of(("scripts", name)) or 1)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def _script(source: Source, sink: Sink, command: str, line: int) -> None:
    """The packages one `scripts` entry installs or runs, placed on its line of package.json (run where
    npm runs scripts: the package's folder)."""
    from slopguard.extract.shell import extract_shell

    kept = None if source.added_lines is None else frozenset({1} if source.keeps(line) else ())
    if kept is not None and not kept:
        return
    folder = source.cwd
    if folder is None and os.path.isfile(source.path):
        folder = os.path.dirname(source.path) or "."
    script = Source(
        command.replace("\n", " "),  # one line: every ref sits on the entry's line
        SourceKind.SHELL,
        source.path,
        line_offset=source.line_offset + line - 1,
        pin_line=source.pin_line,
        added_lines=kept,
        cwd=folder,
        detail=source.detail,
        agent=source.agent,
        time=source.time,
    )
    found = extract_shell(script, Project())
    # `npx tsc` in a script runs the project's own dependency's binary (named after the binary, not the
    # package): only a run pinned to a version (`npx create-x@latest`) is surely fetched from the registry.
    sink.refs.extend(r for r in found.refs if r.kind is not RefKind.RUN or r.spec)
    sink.problems.extend(found.problems)


def _arg(lines: list[str], name: str, line: int | None) -> Arg:
    if line is None or line > len(lines):
        return Arg(name, name, 1, 1)
    raw = lines[line - 1]
    text = raw.strip() if len(raw) <= 500 else name
    return Arg(name, text, line, len(raw) - len(raw.lstrip()) + 1)


def add_dependency(sink: Sink, arg: Arg, name: str, spec: str | None) -> None:
    """One `"name": "spec"` dependency entry."""
    sink.add(Ecosystem.NPM, arg, npm_registry_spec(name, spec), RefKind.MANIFEST)
