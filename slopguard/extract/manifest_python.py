"""Line-based Python manifests: requirements/constraints files (with `-r` includes), setup.cfg, environment.yml."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from slopguard.extract.manifests import manifest_format
from slopguard.extract.shell_common import EXTRA_INDEX, Arg, Sink
from slopguard.models import INCOMPLETE, Ecosystem, Extraction, Problem, Project, RefKind, Source, SourceKind

MAX_FILE = 5_000_000
MAX_INCLUDE_DEPTH = 10
MAX_LINE = 20_000
_COMMENT_START = re.compile(r"(?<!\S)#")
"""A `#` at the start or after whitespace begins a comment (pip's rule), found without backtracking."""
_OPTION_LINE = re.compile(r"^[^\S\n]*-", re.MULTILINE)
"""A physical line whose first non-blank character is `-`: every option line of a requirements file starts on one."""
_OPTION_AFTER = re.compile(r"(?<=\s)--?[A-Za-z]")
_VALUE_OPTS = (
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--use-feature",
)


def _logical_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, text without comment) for each logical line (backslash continuations joined)."""
    lines = text.split("\n")
    count = len(lines)
    i = 0
    while i < count:
        line = lines[i].rstrip("\r")
        if not line.endswith("\\"):  # the common case: one physical line
            i += 1
            yield i, i, (strip_comment(line) if "#" in line else line).strip()
            continue
        first = i
        parts = []
        while True:
            line = lines[i].rstrip("\r")
            if line.endswith("\\") and not line.lstrip().startswith("#") and i + 1 < count:
                parts.append(line[:-1])
                i += 1
                continue
            parts.append(line)
            break
        i += 1
        yield first + 1, i, strip_comment("".join(parts)).strip()


def strip_comment(text: str) -> str:
    """`text` without its `#` comment and the whitespace before it (pip's `(^|\\s+)#.*$`, in linear time)."""
    found = _COMMENT_START.search(text)
    return text if found is None else text[: found.start()].rstrip()


def _split_option(text: str) -> tuple[str, str]:
    """`--index-url=URL` / `-i URL` / `-rFILE` -> (option, value)."""
    if text.startswith("--"):
        key, sep, value = text.partition("=")
        if not sep:
            key, _, value = text.partition(" ")
        return key.strip(), value.strip()
    key = text[:2]
    return key, text[2:].lstrip(" =").strip()


def extract_requirements(source: Source) -> Extraction:
    """Refs of a requirements/constraints file given as a `Source` (its `-r` includes read when on disk)."""
    sink = Sink(source)
    # The file on disk whose includes are read: where a transcript or hook wrote it, else the scanned file.
    written = source.cwd and source.filename and source.path != source.filename
    real = os.path.join(source.cwd or "", source.filename if written else source.path)  # type: ignore[arg-type]
    base_dir = os.path.dirname(os.path.abspath(real)) if os.path.isfile(real) else None
    if base_dir is not None:
        sink.seen_files.add(os.path.realpath(real))  # includes are named by their real paths (`Sink.inside`)
    parse_requirements(sink, RefKind.MANIFEST, None, (), base_dir, 0)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def requirements_file_refs(
    path: str, sink: Sink, kind: RefKind, index_url: str | None, notes: tuple[str, ...], depth: int
) -> None:
    """Read the requirements file at `path` into `sink` (bounded size, depth and cycles)."""
    path = os.path.normpath(path)
    if path in sink.seen_files:
        return
    if depth > MAX_INCLUDE_DEPTH:
        sink.problems.append(
            _problem(path, f"-r includes nested more than {MAX_INCLUDE_DEPTH} deep: not read", INCOMPLETE)
        )
        return
    sink.seen_files.add(path)
    try:
        if os.path.getsize(path) > MAX_FILE:
            sink.problems.append(
                _problem(path, f"requirements file larger than {MAX_FILE} bytes was not read", INCOMPLETE)
            )
            return
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        sink.problems.append(_problem(path, f"cannot read requirements file: {exc.strerror or exc}"))
        return
    source = Source(text, SourceKind.MANIFEST, path, os.path.basename(path), root=sink.root)
    fmt = manifest_format(path)
    if fmt not in (None, "requirements.txt"):  # `uv pip install -r pyproject.toml` / `setup.cfg` / `setup.py`
        from slopguard.extract.manifests import extract_manifest

        extraction = extract_manifest(source, Project())
        sink.refs.extend(replace(r, kind=kind) for r in extraction.refs)
        sink.problems.extend(extraction.problems)
        return
    inner = Sink(source, seen_files=sink.seen_files)
    parse_requirements(inner, kind, index_url, notes, os.path.dirname(path), depth + 1)
    sink.refs.extend(inner.refs)
    sink.problems.extend(inner.problems)


def _problem(path: str, message: str, code: str = "input-error") -> Problem:
    return Problem(path, message, None, code)


def parse_requirements(
    sink: Sink, kind: RefKind, index_url: str | None, notes: tuple[str, ...], base_dir: str | None, depth: int
) -> None:
    """Refs of the requirements text in `sink.source`; index options anywhere in the file apply to all lines."""
    source = sink.source
    # pip applies index options file-wide, wherever they appear: a first pass when any line may hold one
    for _, _, text in _logical_lines(source.text) if _OPTION_LINE.search(source.text) else ():
        if text.startswith("-"):
            key, value = _split_option(text)
            if key in ("-i", "--index-url") and value:
                index_url = value.split()[0]
            elif key == "--extra-index-url" and EXTRA_INDEX not in notes:
                notes = (*notes, EXTRA_INDEX)
    physical = source.text.split("\n")
    for first, last, text in _logical_lines(source.text):
        if sink.capped:  # past MAX_REFS: the rest is not read (the sink said so once)
            break
        # A continued line is located at its first line, or at its first added line in a diff.
        where = next((n for n in range(first, last + 1) if source.keeps(n)), None) if text else None
        if where is None:
            continue
        line = physical[where - 1]
        arg_pos = (text, where, len(line) - len(line.lstrip()) + 1)
        if len(text) > MAX_LINE:
            sink.problem(Arg(None, *arg_pos), f"requirement line longer than {MAX_LINE} characters")
            continue
        if text.startswith("-"):
            key, value = _split_option(text)
            if key in ("-r", "--requirement", "-c", "--constraint") and value:
                _include(sink, Arg(value, *arg_pos), kind, index_url, notes, base_dir, depth)
            elif key in ("-e", "--editable") and value:
                from slopguard.extract.shell_python import _local

                sink.add(Ecosystem.PYPI, Arg(value, *arg_pos), _local(value.split()[0]), kind)
            continue
        option = _OPTION_AFTER.search(text)  # `name --hash=...`: what comes before the first option
        requirement = (text if option is None else text[: option.start()]).strip()
        sink.python(Arg(requirement, *arg_pos), kind, index_url=index_url, notes=notes)


def _include(
    sink: Sink,
    arg: Arg,
    kind: RefKind,
    index_url: str | None,
    notes: tuple[str, ...],
    base_dir: str | None,
    depth: int,
) -> None:
    """A `-r FILE` / `-c FILE` line: read FILE next to this file when this file is on disk."""
    if base_dir is None or arg.value is None:
        return
    path = sink.inside(arg, base_dir, "included requirements file")
    if path is None:
        return
    if not os.path.isfile(path):
        sink.problem(arg, f"included requirements file {arg.value!r} not found next to {sink.source.path}")
        return
    requirements_file_refs(path, sink, kind, index_url, notes, depth)


_SECTION = re.compile(r"^\[([^\]]+)\]\s*$")
_KEY = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")
_SETUP_KEYS = ("install_requires", "setup_requires", "tests_require")


def extract_setup_cfg(source: Source) -> Extraction:
    """`[options] install_requires / setup_requires / tests_require` and `[options.extras_require]` of setup.cfg."""

    def wanted(section: str, key: str) -> bool:
        return (section == "options" and key in _SETUP_KEYS) or section == "options.extras_require"

    sink = Sink(source)
    for number, indent, value in _ini_values(source.text, wanted):
        if not value.startswith(("file:", "attr:")) and source.keeps(number):
            sink.python(Arg(value, value, number, indent + 1), RefKind.MANIFEST)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


_TOX_FACTORS = re.compile(r"^!?[\w.-]+(?:\s*,\s*!?[\w.-]+)*:\s+")
"""A tox factor condition before a dependency: `py311: mock`, `!win, lint: ruff`."""


def extract_tox(source: Source) -> Extraction:
    """`deps` of every `[testenv...]` section and `requires` of `[tox]` in a tox.ini (tox installs them from
    PyPI). Factor conditions are dropped; `-r`/`-c` lines and `{...}` substitutions are left to other readers."""

    def wanted(section: str, key: str) -> bool:
        return ((section == "testenv" or section.startswith("testenv:")) and key == "deps") or (
            section == "tox" and key == "requires"
        )

    sink = Sink(source)
    for number, indent, raw_value in _ini_values(source.text, wanted):
        value = _TOX_FACTORS.sub("", raw_value)
        if value and not value.startswith(("#", ";", "-", "{")) and "{" not in value and source.keeps(number):
            sink.python(Arg(value, value, number, indent + 1), RefKind.MANIFEST)
    return Extraction(tuple(sink.refs), tuple(sink.problems))


def _ini_values(text: str, wanted: Callable[[str, str], bool]) -> Iterator[tuple[int, int, str]]:
    """(line number, indentation, value) of every value line of the INI keys `wanted(section, key)` picks:
    the key's own line and its indented continuation lines, comments removed, blank values left out."""
    section = ""
    collecting = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        header = _SECTION.match(line)
        if header:
            section, collecting = header.group(1).strip(), False
            continue
        key = _KEY.match(line) if line[:1] not in (" ", "\t") else None
        if key:
            collecting = wanted(section, key.group(1))
            value = key.group(2)
        elif line[:1] in (" ", "\t") and collecting:
            value = line
        else:
            if line.strip() and not line.lstrip().startswith(("#", ";")):
                collecting = False
            continue
        value = strip_comment(value).strip()
        if collecting and value and not value.startswith(("#", ";")):
            yield number, len(line) - len(line.lstrip()), value


def _list_item(line: str) -> str | None:
    """The value of a YAML list item line (`  - value`), or None when the line is not one."""
    body = line.lstrip()
    return body[1:].strip() if body.startswith("-") else None


def extract_environment(source: Source) -> Extraction:
    """The `pip:` section of a conda environment.yml (conda packages themselves are not PyPI's)."""
    sink = Sink(source)
    pip_indent: int | None = None
    lines = source.text.split("\n")
    index_url: str | None = None
    notes: tuple[str, ...] = ()
    entries: list[tuple[int, str, int]] = []
    for number, raw in enumerate(lines, start=1):
        line = strip_comment(raw.rstrip("\r"))
        if not line.strip():
            continue
        item = _list_item(line)
        indent = len(line) - len(line.lstrip())
        if pip_indent is not None and indent <= pip_indent:
            pip_indent = None
        if item is not None and pip_indent is None:
            head = item
            if head.startswith("pip:"):
                pip_indent = indent
                inline = head[4:].strip()
                if inline.startswith("[") and inline.endswith("]"):
                    entries.extend((number, v.strip().strip("'\""), indent + 1) for v in inline[1:-1].split(","))
                    pip_indent = None
            continue
        if pip_indent is not None and item is not None:
            entries.append((number, item.strip("'\""), indent + 1))
    for _, value, _ in entries:
        if value.startswith("-"):
            key, opt = _split_option(value)
            if key in ("-i", "--index-url") and opt:
                index_url = opt
            elif key == "--extra-index-url":
                notes = (EXTRA_INDEX,)
    for number, value, column in entries:
        if not value or not source.keeps(number):
            continue
        if value.startswith("-"):
            key, opt = _split_option(value)
            if key in ("-r", "--requirement", "-c", "--constraint") and opt:
                real = source.path if os.path.isabs(source.path) else os.path.join(source.cwd or "", source.path)
                base = os.path.dirname(real) if os.path.isfile(real) else None
                _include(sink, Arg(opt, value, number, column), RefKind.MANIFEST, index_url, notes, base, 0)
            continue
        sink.python(Arg(value, value, number, column), RefKind.MANIFEST, index_url=index_url, notes=notes)
    return Extraction(tuple(sink.refs), tuple(sink.problems))
