"""What a manifest's text says is first-party: names, workspace members, local dependencies (no file is opened here).

Read from files on disk (`slopguard.extract.project_files`), from a commit, or from the text an agent wrote into a
transcript or a diff. Workspace members (`workspaces`, pnpm-workspace.yaml, go.work `use`, uv workspace `members`)
are only recorded here, as globs relative to the manifest's folder; `slopguard.extract.project_workspace` decides
which of them are read, and only inside the project.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from typing import Any

from slopguard.extract.project_files import Collected, import_names, load_jsonc
from slopguard.models import Ecosystem, PackageRef
from slopguard.names import canonicalize

NAMES = frozenset(
    {"pyproject.toml", "package.json", "go.mod", "go.work", "setup.cfg", "pnpm-workspace.yaml", "jsconfig.json"}
)
"""Manifest file names read for first-party knowledge (besides tsconfig*.json)."""
MAX_MEMBERS = 200
"""Workspace member globs kept per manifest."""

_GO_MODULE = re.compile(r'^\s*module\s+"?([^\s"]+)"?', re.MULTILINE)
_GO_BLOCK = re.compile(r"^\s*(use|replace)\s*\(\s*$")
_GO_LINE = re.compile(r"^\s*(use|replace)\s+(.+?)\s*$")
_CFG_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_CFG_KEY = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")
_NPM_LOCAL = ("workspace:", "link:", "file:", "portal:")
_ARCHIVES = (".tgz", ".tar.gz", ".tar", ".zip", ".whl", ".tar.bz2")


def is_manifest(name: str) -> bool:
    """Whether a file of this base name says something about what is first-party."""
    return name in NAMES or (name.startswith("tsconfig") and name.endswith(".json"))


def read_manifest_text(acc: Collected, name: str, text: str, folder: str = "") -> None:
    """Add what manifest `name` (its text) declares as first-party to `acc`; `folder` is where it sits (relative
    to the project, `""` at its top), which workspace member globs are relative to. Bad text adds nothing."""
    if name == "pyproject.toml":
        pyproject(acc, text, folder)
    elif name == "package.json":
        package_json(acc, text, folder)
    elif name == "go.mod":
        go_mod(acc, text)
    elif name == "go.work":
        go_work(acc, text, folder)
    elif name == "setup.cfg":
        setup_cfg(acc, text)
    elif name == "pnpm-workspace.yaml":
        _members(acc, folder, pnpm_packages(text))
    elif is_manifest(name):
        config = load_jsonc(text)
        paths = _table(_table(config, "compilerOptions"), "paths")
        for key in paths:
            add_alias(acc, key)


def pyproject(acc: Collected, text: str, folder: str = "") -> None:
    """`[project]`/`[tool.poetry]` names, setuptools/poetry packages, uv workspace members and local sources."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
    from slopguard.extract.manifest_toml import parse_toml

    try:
        data = parse_toml(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return
    project = _table(data, "project")
    tool = _table(data, "tool")
    poetry = _table(tool, "poetry")
    for name in (project.get("name"), poetry.get("name")):
        if isinstance(name, str):
            add_distribution(acc, name)
    setuptools = _table(tool, "setuptools")
    for key in ("py-modules", "packages"):
        entries = setuptools.get(key)
        if isinstance(entries, list):
            acc.python_modules.update(_top(e) for e in entries if isinstance(e, str) and _top(e).isidentifier())
    for entry in poetry.get("packages") or ():
        include = entry.get("include") if isinstance(entry, dict) else None
        if isinstance(include, str) and _top(include).isidentifier():
            acc.python_modules.add(_top(include))
    uv = _table(tool, "uv")
    members = _table(uv, "workspace").get("members")
    if isinstance(members, list):
        _members(acc, folder, [m for m in members if isinstance(m, str)])
    for name, source in _table(uv, "sources").items():
        first = source[0] if isinstance(source, list) and source else source
        if isinstance(first, dict) and (first.get("workspace") is True or _inside_path(first.get("path"), folder)):
            add_distribution(acc, name)


def package_json(acc: Collected, text: str, folder: str = "") -> None:
    """The package `name`, `imports` aliases, `workspaces` members and dependencies on local folders."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    name = data.get("name")
    if isinstance(name, str) and name.strip():
        acc.npm_packages.add(name.strip())
    for key in _table(data, "imports"):
        add_alias(acc, key)
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        _members(acc, folder, [w for w in workspaces if isinstance(w, str)])
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        for dep, spec in _table(data, section).items():
            if isinstance(spec, str) and local_npm_spec(spec, folder):
                acc.npm_packages.add(dep)


def go_mod(acc: Collected, text: str) -> None:
    """The `module` path, and modules `replace`d by a folder of the repository."""
    match = _GO_MODULE.search(text)
    if match:
        acc.go_modules.add(match.group(1))
    for directive, words in _go_directives(text):
        if directive == "replace" and "=>" in words:
            old, _, new = words.partition("=>")
            target = new.split()
            if old.split() and target and target[0].startswith(("./", "../")):
                acc.go_modules.add(old.split()[0])


def go_work(acc: Collected, text: str, folder: str = "") -> None:
    """The folders a go.work `use`s (their go.mod files are read as members) and its local `replace`s."""
    uses = [words.split()[0].strip('"') for directive, words in _go_directives(text) if directive == "use" and words]
    _members(acc, folder, uses)
    go_mod(acc, "\n".join(f"replace {w}" for d, w in _go_directives(text) if d == "replace"))


def setup_cfg(acc: Collected, text: str) -> None:
    """`[metadata] name` and the `[options]` `packages`/`py_modules` a setup.cfg lists."""
    section = ""
    key = ""
    values: dict[tuple[str, str], list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        header = _CFG_SECTION.match(line)
        if header:
            section, key = header.group(1).strip(), ""
            continue
        pair = _CFG_KEY.match(line)
        if pair and not line[0].isspace():
            key = pair.group(1).strip().replace("-", "_")
            values[(section, key)] = [pair.group(2).strip()]
        elif key and line[0].isspace():
            values[(section, key)].append(line.strip())
    for name in values.get(("metadata", "name"), [])[:1]:
        if name:
            add_distribution(acc, name)
    for key in ("packages", "py_modules"):
        for entry in values.get(("options", key), []):
            for item in re.split(r"[,\s]+", entry):
                if item and item != "find:" and _top(item).isidentifier():
                    acc.python_modules.add(_top(item))


def pnpm_packages(text: str) -> list[str]:
    """The `packages:` globs of a pnpm-workspace.yaml (block or flow list; no YAML library needed)."""
    globs: list[str] = []
    inside = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not raw[0].isspace() and not line.startswith("-"):
            key, _, rest = line.partition(":")
            inside = key.strip() == "packages"
            if inside and rest.strip().startswith("["):
                globs.extend(p.strip().strip("'\"") for p in rest.strip().strip("[]").split(","))
                inside = False
            continue
        item = line.strip()
        if inside and item.startswith("-"):
            globs.append(item[1:].strip().strip("'\""))
    return [g for g in globs if g]


def local_npm_spec(spec: str, folder: str = "") -> bool:
    """Whether an npm dependency spec names a package of the repository: `workspace:`, or `link:`/`file:`/`portal:`
    to a folder that stays inside it (a tarball is someone's package shipped in the repository, not own code)."""
    spec = spec.strip()
    if spec.startswith("workspace:"):
        return True
    prefix = next((p for p in _NPM_LOCAL if spec.startswith(p)), None)
    if prefix is None:
        return False
    target = spec[len(prefix) :]
    return not target.lower().endswith(_ARCHIVES) and _inside_path(target, folder)


def local_ref(ref: PackageRef, filename: str | None = None) -> bool:
    """Whether `ref`, read from file `filename` (relative to the project; `None` for a command), depends on a
    workspace member or a folder of the repository (its `source`)."""
    source = ref.source or ""
    name = (filename or "").replace("\\", "/")
    if posixpath.isabs(name) or ":" in name:
        return source == "workspace:True" or source.startswith("workspace:")  # cannot tell where a path leads
    folder = posixpath.dirname(name)
    if ref.ecosystem is Ecosystem.NPM:
        return local_npm_spec(source, folder)
    if ref.ecosystem is Ecosystem.PYPI:
        return source == "workspace:True" or (source.startswith("path:") and _inside_path(source[5:], folder))
    return False


def add_distribution(acc: Collected, name: str) -> None:
    """A Python distribution of the project: its canonical name and the import names it most likely has."""
    acc.python_modules.update(import_names(name))
    acc.python_distributions.add(canonicalize(Ecosystem.PYPI, name.strip()))


def add_alias(acc: Collected, key: Any) -> None:
    """An import prefix (tsconfig `paths` or package.json `imports` key) up to its `*`."""
    if isinstance(key, str):
        prefix = key.split("*", 1)[0]
        if prefix and prefix not in ("/", "./"):
            acc.js_aliases[prefix] = None


def _members(acc: Collected, folder: str, globs: list[str]) -> None:
    for pattern in globs[:MAX_MEMBERS]:
        if pattern and not pattern.startswith("!"):
            acc.members[(folder, pattern)] = None


def _inside_path(target: Any, folder: str) -> bool:
    """Whether relative path `target`, taken from `folder`, stays inside the project (lexically)."""
    if not isinstance(target, str) or not target or target.startswith(("/", "~", "\\")) or ":" in target:
        return False
    joined = posixpath.normpath(posixpath.join(folder, target.replace("\\", "/")))
    return joined != ".." and not joined.startswith("../")


def _go_directives(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    block = ""
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if block:
            if line == ")":
                block = ""
            elif line:
                found.append((block, line))
            continue
        opened = _GO_BLOCK.match(line)
        if opened:
            block = opened.group(1)
            continue
        single = _GO_LINE.match(line)
        if single:
            found.append((single.group(1), single.group(2)))
    return found


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _top(dotted: str) -> str:
    return dotted.replace("/", ".").split(".", 1)[0]
