"""Workspace members (package.json `workspaces`, pnpm-workspace.yaml, go.work `use`, uv `members`) and projects in a
commit: first-party knowledge the tree walk did not reach, read only inside the project (`slopguard.root`)."""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path

from slopguard.extract.project_files import Collected, read_manifest
from slopguard.extract.project_manifests import is_manifest, read_manifest_text
from slopguard.root import Refused, inside

MAX_MEMBER_DIRS = 500
"""Workspace member folders read after the walk (globs can match many)."""
MAX_GLOB_DEPTH = 4
"""How deep a `**` in a member glob reaches."""
MAX_LISTING = 200_000
"""Paths of a commit's listing looked at (`project_from_listing`)."""
MAX_READS = 2_000
"""Manifests of a commit read (`project_from_listing`)."""
_MEMBER_FILES = ("package.json", "pyproject.toml", "go.mod", "setup.cfg")


def read_members(acc: Collected, root: Path, visited: set[str]) -> None:
    """Read the manifests of every workspace member `acc` names that the walk (folders in `visited`, relative
    to `root`) did not reach; members found there may name more. Globs come from files in the tree, so each
    folder is first checked to lie inside the project of `root`."""
    top = str(root.resolve())
    done: set[tuple[str, str]] = set()
    read = 0
    while read < MAX_MEMBER_DIRS:
        pending = [m for m in acc.members if m not in done]
        if not pending:
            return
        for folder, pattern in pending:
            done.add((folder, pattern))
            for rel in expand(root, folder, pattern):
                if rel in visited or read >= MAX_MEMBER_DIRS:
                    continue
                visited.add(rel)
                read += 1
                target = root / rel
                if isinstance(inside(str(target), None, top), Refused):
                    continue
                for name in _MEMBER_FILES:
                    checked = inside(str(target / name), None, top)  # a manifest may be a link out
                    if not isinstance(checked, Refused) and os.path.isfile(checked):
                        read_manifest(acc, target / name, rel)
                add_packages(acc, target)


def expand(root: Path, folder: str, pattern: str) -> list[str]:
    """The folders (relative to `root`, POSIX) that member glob `pattern`, written in `folder`, matches."""
    joined = posixpath.normpath(posixpath.join(folder, pattern.strip().rstrip("/")))
    if joined.startswith(("/", "..")) or joined == ".":
        return []
    found: list[str] = []
    level = [""]
    for segment in joined.split("/"):
        following: list[str] = []
        for rel in level:
            if segment == "**":
                following.extend(_below(root, rel, MAX_GLOB_DEPTH))
            elif any(c in segment for c in "*?["):
                following.extend(
                    posixpath.join(rel, n) for n in _subdirs(root / rel) if fnmatch.fnmatchcase(n, segment)
                )
            else:
                following.append(posixpath.join(rel, segment))
        level = following[:MAX_MEMBER_DIRS]
    found.extend(rel for rel in level if (root / rel).is_dir())
    return found


def add_packages(acc: Collected, folder: Path) -> None:
    """The Python packages directly in `folder` and in its `src/` (a member's flat or src layout)."""
    for base in (folder, folder / "src"):
        for name in _subdirs(base):
            if name.isidentifier() and (base / name / "__init__.py").is_file():
                acc.python_modules.add(name)


def project_from_listing(paths: Iterable[str], read: Callable[[str], str | None], acc: Collected) -> None:
    """Add what a commit's files (`paths`, relative to the repository's top; `read` gives a file's text or
    `None`) declare as first-party: every manifest in it, and its top-level Python packages and modules."""
    inits: set[str] = set()
    python: list[str] = []
    manifests: list[str] = []
    for count, path in enumerate(paths):
        if count >= MAX_LISTING:
            break
        parts = path.split("/")
        if any(p in _SKIP or p.startswith(".") for p in parts[:-1]):
            continue
        name = parts[-1]
        if is_manifest(name) and len(manifests) < MAX_READS:
            manifests.append(path)
        elif name.endswith((".py", ".pyi")):
            python.append(path)
            if name == "__init__.py":
                inits.add(posixpath.dirname(path))
    for path in manifests:
        text = read(path)
        if text is not None:
            read_manifest_text(acc, posixpath.basename(path), text, posixpath.dirname(path))
    for path in python:
        folder = posixpath.dirname(path)
        if folder in inits:
            while posixpath.dirname(folder) in inits:
                folder = posixpath.dirname(folder)
            name = posixpath.basename(folder)
            if name.isidentifier():
                acc.python_modules.add(name)
        else:
            stem = posixpath.basename(path).rsplit(".", 1)[0]
            if stem.isidentifier() and stem != "__init__":
                acc.python_modules.add(stem)


def _subdirs(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(
                e.name
                for e in entries
                if e.name not in _SKIP and not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
            )[:MAX_MEMBER_DIRS]
    except OSError:
        return []


def _below(root: Path, rel: str, depth: int) -> list[str]:
    """`rel` and the folders under it, `depth` levels deep at most."""
    found = [rel]
    level = [rel]
    for _ in range(depth):
        level = [posixpath.join(r, n) for r in level for n in _subdirs(root / r)][:MAX_MEMBER_DIRS]
        found.extend(level)
        if len(found) >= MAX_MEMBER_DIRS:
            break
    return found[:MAX_MEMBER_DIRS]


_SKIP = frozenset({"node_modules", "vendor", "venv", "__pycache__", "site-packages", "dist", "build"})
