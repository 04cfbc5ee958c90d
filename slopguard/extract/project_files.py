"""Reads the files that say what is first-party: pyproject names, package.json, go.mod, tsconfig/jsconfig."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slopguard.models import Project

MAX_MANIFEST_BYTES = 1_000_000
MAX_EXTENDS = 5
MAX_BASEURL_ENTRIES = 500

_JSONC_NOISE = re.compile(r'("(?:\\.|[^"\\])*(?:"|\\?\Z))|//[^\n]*|/\*(?:.*?\*/|.*)|,(?=\s*[}\]])', re.DOTALL)
"""Strings (kept), comments and trailing commas of JSONC; an unclosed string or comment runs to the end of the
text, so that no start is scanned to the end more than once."""
_SEPARATORS = re.compile(r"[-_.]+")
_CODE_SUFFIXES = (".d.ts", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".vue", ".svelte")
_NOT_ALIASES = frozenset({"node_modules", "dist", "build", ".git"})


@dataclass
class Collected:
    """What the walk has found so far (mutable; frozen into a `Project` at the end)."""

    python_modules: set[str] = field(default_factory=set)
    npm_packages: set[str] = field(default_factory=set)
    js_aliases: dict[str, None] = field(default_factory=dict)
    go_modules: set[str] = field(default_factory=set)
    python_distributions: set[str] = field(default_factory=set)
    members: dict[tuple[str, str], None] = field(default_factory=dict)
    """Workspace member globs: (folder of the manifest relative to the project's top, glob)."""

    def project(self, root: str | None) -> Project:
        """The frozen `Project` holding everything collected."""
        return Project(
            root=root,
            python_modules=frozenset(self.python_modules),
            npm_packages=frozenset(self.npm_packages),
            js_aliases=tuple(self.js_aliases),
            go_modules=frozenset(self.go_modules),
            python_distributions=frozenset(self.python_distributions),
        )


def read_manifest(acc: Collected, path: Path, folder: str = "") -> None:
    """Add what the manifest at `path` declares as first-party to `acc`; unreadable files add nothing.

    `folder` is where it sits relative to the project's top (workspace member globs are relative to it)."""
    from slopguard.extract.project_manifests import read_manifest_text

    name = path.name
    if name.startswith("tsconfig") or name == "jsconfig.json":
        _tsconfig(acc, path)
        return
    text = read_text(path)
    if text is not None:
        read_manifest_text(acc, name, text, folder)


def read_text(path: Path) -> str | None:
    """The text of a small file, or `None` when it is missing, too big or not UTF-8."""
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def load_jsonc(text: str) -> Any:
    """Parse JSON with comments and trailing commas (tsconfig.json); `None` when it is not JSON."""
    cleaned = _JSONC_NOISE.sub(lambda m: m.group(1) or "", text)
    try:
        return json.loads(cleaned)
    except (ValueError, RecursionError):
        return None


def import_names(distribution: str) -> set[str]:
    """The import names a project called `distribution` most likely has (`my-pkg` -> `my_pkg`)."""
    base = _SEPARATORS.sub("_", distribution.strip())
    return {n for n in (base, base.lower()) if n.isidentifier()}


def _tsconfig(acc: Collected, path: Path) -> None:
    """`compilerOptions.paths` keys along the `extends` chain, and the entries of the nearest `baseUrl`; files and
    folders these name are read only inside the project of `path` (`slopguard.root`)."""
    from slopguard.extract.project_manifests import add_alias
    from slopguard.root import Refused, inside, project_root

    root = project_root(path.parent.absolute())
    base_dir: Path | None = None
    seen: set[Path] = set()
    pending = [path]
    while pending and len(seen) < MAX_EXTENDS:
        current = pending.pop(0)
        resolved = current.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        config = load_jsonc(read_text(current) or "")
        if not isinstance(config, dict):
            continue
        options = _table(config, "compilerOptions")
        paths = options.get("paths")
        if isinstance(paths, dict):
            for key in paths:
                add_alias(acc, key)
        base_url = options.get("baseUrl")
        if base_dir is None and isinstance(base_url, str):
            base_dir = current.parent / base_url
        extends = config.get("extends")
        for spec in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
            if isinstance(spec, str):
                target = _extends_target(current.parent, spec)
                if target is not None and not isinstance(inside(str(target.absolute()), None, root), Refused):
                    pending.append(target)
    if base_dir is not None and not isinstance(inside(str(base_dir.absolute()), None, root), Refused):
        _base_url_entries(acc, base_dir)  # a `baseUrl` out of the project is not listed: its entries are not ours


def _extends_target(folder: Path, spec: str) -> Path | None:
    """The file an `extends` entry names: a relative path, or a package under the local node_modules."""
    candidate = folder / spec if spec.startswith(".") or os.path.isabs(spec) else folder / "node_modules" / spec
    for option in (candidate, Path(f"{candidate}.json"), candidate / "tsconfig.json"):
        if option.is_file():
            return option
    return None


def _base_url_entries(acc: Collected, base_dir: Path) -> None:
    """Non-relative imports resolve under `baseUrl`: each of its entries is a path alias."""
    try:
        entries = list(os.scandir(base_dir))[:MAX_BASEURL_ENTRIES]
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in _NOT_ALIASES:
            continue
        if entry.is_dir():
            acc.js_aliases[name] = None
            continue
        for suffix in _CODE_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                acc.js_aliases[name[: -len(suffix)]] = None
                break


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _top(dotted: str) -> str:
    return dotted.replace("/", ".").split(".", 1)[0]
