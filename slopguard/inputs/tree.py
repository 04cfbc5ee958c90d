"""Single files and directory trees -> one Source per source file or manifest, and the cells of Jupyter notebooks.

A walk uses `os.scandir`, never follows symlinked folders, respects `.gitignore` files (see `ignore.py`) in the
tree and in the folders above it up to the repository root, skips
dependency, cache and build folders, and stops after `MAX_TREE_FILES` files. Files over 2 MB, binary files and
files that are not UTF-8 become Problems. Lock files, docs and data files are not read (`filetypes.source_kind`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from slopguard import filetypes
from slopguard.inputs.ignore import Rule, is_ignored, parse_gitignore
from slopguard.inputs.text import MAX_FILE, decoded, written_source
from slopguard.models import Problem, Source
from slopguard.root import NOWHERE, Refused, inside, project_root, with_root

SKIP_DIRS = frozenset(
    {
        "node_modules",
        ".venv",
        "venv",
        "vendor",
        ".git",
        ".hg",
        ".svn",
        "dist",
        "build",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        ".next",
        ".yarn",
    }
)
MAX_TREE_FILES = 200_000
MAX_DEPTH = 64


NOTEBOOK_FACTOR = 8
"""A notebook may be this many times `max_file`: its outputs (images, tables) are most of its bytes, and only
the JSON is parsed, not the outputs."""


def is_read(name: str) -> bool:
    """Whether a tree walk reads a file of this name: a source file, a manifest or a Jupyter notebook."""
    return filetypes.source_kind(name) is not None or name.lower().endswith(".ipynb")


def file_sources(
    path: Path, label: str, filename: str | None = None, max_file: int = MAX_FILE
) -> Iterator[Source | Problem]:
    """The Source of one source file or manifest, or the cells of a notebook (nothing for other names)."""
    name = filename or path.name
    if filetypes.ci_format(str(path)) is not None and filetypes.ci_format(name) is None:
        name = str(path)  # a workflow is known by its folder (`.github/workflows/`), not its name alone
    if not is_read(name):
        return
    notebook = filetypes.source_kind(name) is None
    limit = max_file * NOTEBOOK_FACTOR if notebook else max_file
    try:
        size = path.stat().st_size
        if size > limit:
            yield Problem(label, f"file larger than {limit:,} bytes skipped (max-file-bytes)", None, "skipped")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(label, f"cannot read: {exc.strerror or exc}", None, "input-error")
        return
    text = yield from decoded(data, label, name)
    if text is None:
        return
    if notebook:
        from slopguard.inputs.notebook import notebook_sources

        yield from notebook_sources(text, name, path=label)
    else:
        source = written_source(name, text, path=label)
        if source is not None:
            yield source


MAX_UP = 32
"""How many folders above a scanned tree are searched for its repository root (a `.git` entry)."""


def tree_sources(root: Path, label: str, max_file: int = MAX_FILE) -> Iterator[Source | Problem]:
    """Sources of every readable source file and manifest under `root`; `label` prefixes the reported paths.

    Files they name are read only inside the tree's repository, else the tree (`slopguard.root`); so are files
    reached through a symbolic link."""
    prefix, layers = _outer_layers(root)
    top = project_root(os.path.abspath(root))
    for item in _walk(root, "", label, layers, 0, [0], max_file, prefix, top):
        yield with_root(item, top)


def _outer_layers(root: Path) -> tuple[str, list[tuple[str, list[Rule]]]]:
    """`root`'s path in its repository and the `.gitignore` rules of the folders above it there (repository
    root first; `root`'s own file is read by the walk). Outside a repository: no prefix, no rules."""
    try:
        here = root.resolve()
    except OSError:
        return "", []
    chain = [here, *here.parents][: MAX_UP + 1]
    repo = next((folder for folder in chain if (folder / ".git").exists()), None)
    if repo is None or repo == here:
        return "", []
    layers: list[tuple[str, list[Rule]]] = []
    for folder in reversed(chain[1 : chain.index(repo) + 1]):
        try:
            text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        layers.append(("" if folder == repo else folder.relative_to(repo).as_posix(), parse_gitignore(text)))
    return here.relative_to(repo).as_posix(), layers


def _walk(
    folder: Path,
    rel: str,
    label: str,
    layers: list[tuple[str, list[Rule]]],
    depth: int,
    count: list[int],
    max_file: int,
    prefix: str = "",
    top: str = NOWHERE,
) -> Iterator[Source | Problem]:
    """`rel` is the folder's path from the scanned root; `prefix` is that root's path in its repository,
    which the ignore rules (their folders given from the repository root) are matched against."""
    shown = _join(label, rel)
    if depth > MAX_DEPTH:
        yield Problem(shown, "folder nested too deep; skipped", None, "skipped")
        return
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Problem(shown, f"cannot list folder: {exc.strerror or exc}", None, "input-error")
        return
    if depth and any(e.name == "pyvenv.cfg" for e in entries):
        return  # a virtual environment, whatever its folder is called: installed code, not the project's
    pushed = False
    for entry in entries:
        if entry.name == ".gitignore" and entry.is_file():
            try:
                rules = parse_gitignore(Path(entry.path).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                rules = []
            layers.append((_join(prefix, rel) if prefix else rel, rules))
            pushed = True
    try:
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file()
            except OSError:
                continue
            in_repo = f"{prefix}/{child}" if prefix else child
            if is_dir:
                if entry.name in SKIP_DIRS or is_ignored(layers, in_repo, True):
                    continue
                yield from _walk(Path(entry.path), child, label, layers, depth + 1, count, max_file, prefix, top)
            elif is_file and is_read(entry.path):
                if is_ignored(layers, in_repo, False):
                    continue
                if entry.is_symlink():
                    checked = inside(os.path.abspath(entry.path), None, top)
                    if isinstance(checked, Refused):
                        yield Problem(_join(label, child), f"not read: {checked.reason}", None, checked.code)
                        continue
                count[0] += 1
                if count[0] > MAX_TREE_FILES:
                    if count[0] == MAX_TREE_FILES + 1:
                        yield Problem(label, f"more than {MAX_TREE_FILES} files; the rest skipped", None, "skipped")
                    return
                yield from file_sources(Path(entry.path), _join(label, child), child, max_file)
    finally:
        if pushed:
            layers.pop()


def _join(label: str, rel: str) -> str:
    if not rel:
        return label
    if label in ("", "."):
        return rel
    return label.rstrip("/") + "/" + rel
