"""First-party knowledge: build a `Project` from a tree or from written files, merge them, match refs."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable
from pathlib import Path, PurePath

from slopguard.extract import project_files
from slopguard.extract.project_manifests import is_manifest
from slopguard.models import Ecosystem, PackageRef, Project, RefKind
from slopguard.root import Refused, inside, project_root

SKIP_DIRS = frozenset(
    {
        "node_modules",
        ".venv",
        "venv",
        ".git",
        "vendor",
        "dist",
        "build",
        "__pycache__",
        "site-packages",
        "bower_components",
        "jspm_packages",
    }
)
"""Directories never walked: installed or generated code, not the project's own."""

MAX_DEPTH = 10
MAX_ENTRIES = 50_000
"""Bounds of the walk in `project_from_tree` (directory depth, directory entries looked at)."""


def project_from_tree(root: Path) -> Project:
    """What is first-party in the tree at `root`: Python packages and modules, npm names, aliases, Go modules.

    Every manifest in the tree counts (each go.mod, go.work, package.json, pyproject.toml, setup.cfg,
    pnpm-workspace.yaml, tsconfig), then the workspace members they name that the bounded walk did not reach.
    Installed code (`SKIP_DIRS`, hidden folders, virtual environments) is not walked.
    """
    from slopguard.extract.project_workspace import read_members

    root = Path(root)
    acc = project_files.Collected()
    queue: deque[tuple[Path, tuple[str, ...], bool]] = deque([(root, (), False)])
    visited: set[str] = set()
    seen = 0
    while queue and seen < MAX_ENTRIES:
        folder, rel, parent_is_package = queue.popleft()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        seen += len(entries)
        files = {e.name for e in entries if _is_file(e)}
        if "pyvenv.cfg" in files:
            continue  # a virtual environment, whatever its name
        visited.add("/".join(rel))
        is_package = "__init__.py" in files
        if is_package and not parent_is_package:
            _add_package(acc, rel or (root.resolve().name,))
        if not is_package:
            acc.python_modules.update(_module_stems(files))
        elif "conftest.py" in files:
            acc.python_modules.add("conftest")  # pytest puts conftest directories on sys.path
        for name in sorted(files):
            if is_manifest(name):
                project_files.read_manifest(acc, folder / name, "/".join(rel))
        if len(rel) >= MAX_DEPTH:
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name not in SKIP_DIRS and not entry.name.startswith(".") and _is_dir(entry):
                queue.append((Path(entry.path), (*rel, entry.name), is_package))
    read_members(acc, root, visited)
    return acc.project(str(root))


MAX_UP = 12
"""How many folders above a file scanned on its own are searched for the manifests naming its project."""
_NEAR_MANIFESTS = ("pyproject.toml", "package.json", "go.mod", "tsconfig.json", "jsconfig.json")


def project_near_file(path: Path) -> Project:
    """What is first-party for one source file scanned on its own: `project_around` its folder."""
    return project_around(Path(path).resolve().parent)


def project_around(folder: Path) -> Project:
    """What is first-party for code in `folder` that is scanned without the rest of its repository.

    The modules and folders in `folder` (Python puts a script's folder first on `sys.path`), its topmost
    package, what the nearest pyproject.toml, package.json, go.mod and tsconfig/jsconfig above it declare,
    and the top-level modules of the repository root and its `src/` (what tests import when run from there).
    The search stops at the repository root (a `.git` entry) or after `MAX_UP` folders.
    """
    folder = Path(folder).resolve()
    acc = project_files.Collected()
    _add_top_level(acc, folder)
    top = folder
    while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file():
        top = top.parent
    if (top / "__init__.py").is_file() and top.name.isidentifier():
        acc.python_modules.add(top.name)
    found: set[str] = set()
    for here in [folder, *folder.parents][: MAX_UP + 1]:
        for name in _NEAR_MANIFESTS:
            if name not in found and (here / name).is_file():
                found.add(name)
                project_files.read_manifest(acc, here / name)
        if (here / ".git").exists():
            if here != folder:
                _add_top_level(acc, here)
                _add_top_level(acc, here / "src")
            break
    return acc.project(str(folder))


def _add_top_level(acc: project_files.Collected, folder: Path) -> None:
    """The importable names directly in `folder`: its `.py` modules and its folders."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    acc.python_modules.update(_module_stems(e.name for e in entries if _is_file(e)))
    acc.python_modules.update(
        e.name for e in entries if e.name.isidentifier() and e.name not in SKIP_DIRS and _is_dir(e)
    )


def project_from_files(paths: Iterable[str], root: str | None = None) -> Project:
    """What is first-party given the files an agent wrote (`paths`, relative to `root` when inside it).

    A written `.py` file in a package (an `__init__.py` beside it, written or on disk) makes its topmost
    package importable; one elsewhere (a script, a test) makes its own stem and its directory importable.
    Written manifests (pyproject.toml, package.json, go.mod, tsconfig/jsconfig) are read when they exist.
    """
    acc = project_files.Collected()
    base = Path(root) if root else None
    written = [PurePath(p) for p in paths if p]
    inits = {str(_relative(p, base) or p) for p in written if p.name == "__init__.py"}
    cache: dict[PurePath, bool] = {}
    top: str | None = None

    def is_package(folder: PurePath) -> bool:
        if folder not in cache:
            on_disk = Path(folder) if folder.is_absolute() or base is None else base / folder
            cache[folder] = str(folder / "__init__.py") in inits or (on_disk / "__init__.py").is_file()
        return cache[folder]

    for path in written:
        rel = _relative(path, base)
        if path.suffix == ".py":
            folder = (rel or path).parent
            if folder.parts and is_package(folder):
                while len(folder.parts) > 1 and is_package(folder.parent):
                    folder = folder.parent
                _add_package(acc, folder.parts if rel is not None else (folder.name,))
            else:
                if path.stem.isidentifier() and path.stem != "__init__":
                    acc.python_modules.add(path.stem)
                if rel is not None and len(rel.parts) > 1:
                    _add_package(acc, rel.parts[:-1])
        if is_manifest(path.name):
            full = Path(path) if path.is_absolute() or base is None else base / path
            if top is None:
                top = project_root((base or Path.cwd()).absolute())
            if not isinstance(inside(str(full.absolute()), None, top), Refused):  # only the project's own
                project_files.read_manifest(acc, full)
    return acc.project(root)


def merge_projects(*projects: Project) -> Project:
    """The union of `projects` (the first root wins; aliases keep their first-seen order)."""
    aliases: dict[str, None] = {}
    for p in projects:
        aliases.update(dict.fromkeys(p.js_aliases))
    return Project(
        root=next((p.root for p in projects if p.root), None),
        python_modules=frozenset().union(*(p.python_modules for p in projects)),
        npm_packages=frozenset().union(*(p.npm_packages for p in projects)),
        js_aliases=tuple(aliases),
        go_modules=frozenset().union(*(p.go_modules for p in projects)),
        python_distributions=frozenset().union(*(p.python_distributions for p in projects)),
    )


def is_first_party(ref: PackageRef, project: Project) -> bool:
    """Whether `ref` names the project's own code rather than a registry package.

    Python: imports by their top-level module, and manifest entries naming the project itself (an
    extra such as `myproj[test]`; an install command naming it is still checked: that would fetch it from
    the registry); npm: the project's own package names, and path aliases for imports; Go: paths under one
    of the project's modules.
    """
    if ref.ecosystem is Ecosystem.PYPI:
        if ref.kind is RefKind.MANIFEST:
            return ref.canonical in project.python_distributions
        return ref.kind is RefKind.IMPORT and python_first_party(ref.name, project)
    if ref.ecosystem is Ecosystem.NPM:
        if ref.canonical in project.npm_packages or npm_package(ref.name) in project.npm_packages:
            return True
        return ref.kind is RefKind.IMPORT and js_alias(ref.name, project)
    return go_first_party(ref.name, project) or go_first_party(ref.canonical, project)


def python_first_party(module: str, project: Project) -> bool:
    """Whether dotted `module` lives in the project (its top-level name is one of the project's)."""
    return module.split(".", 1)[0] in project.python_modules


def npm_package(spec: str) -> str:
    """The npm package of import specifier `spec`: the first path segment, two for `@scope/...`."""
    parts = spec.split("/")
    if spec.startswith("@"):
        return "/".join(parts[:2])
    return parts[0]


def js_alias(spec: str, project: Project) -> bool:
    """Whether `spec` starts with one of the project's path aliases (tsconfig `paths`, `imports`, baseUrl)."""
    for alias in project.js_aliases:
        if alias.endswith("/"):
            if spec.startswith(alias):
                return True
        elif spec == alias or spec.startswith(alias + "/"):
            return True
    return False


def go_first_party(path: str, project: Project) -> bool:
    """Whether Go import `path` is one of the project's modules or a package inside one."""
    return any(path == m or path.startswith(m + "/") for m in project.go_modules)


def _add_package(acc: project_files.Collected, rel: tuple[str, ...]) -> None:
    """A top-level package directory at `rel`: its own name, and the first directory below `src/`."""
    if rel[-1].isidentifier():
        acc.python_modules.add(rel[-1])
    first = rel[1] if rel[0] == "src" and len(rel) > 1 else rel[0]
    if first.isidentifier():
        acc.python_modules.add(first)


def _module_stems(files: Iterable[str]) -> set[str]:
    stems = set()
    for name in files:
        if name.endswith((".py", ".pyi")):
            stem = name.rsplit(".", 1)[0]
            if stem.isidentifier() and stem != "__init__":
                stems.add(stem)
    return stems


def _relative(path: PurePath, base: Path | None) -> PurePath | None:
    if not path.is_absolute():
        return path
    if base is None:
        return None
    try:
        return path.relative_to(base)
    except ValueError:
        return None


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
