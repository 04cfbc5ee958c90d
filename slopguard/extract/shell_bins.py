"""npm binaries are not package names: `npx tsc` runs `typescript`; a binary the project provides is its own.

`npx BIN` / `npm exec BIN` / `bunx BIN` run the project's own `BIN` when it has one (its `node_modules/.bin`,
a `bin` of its package.json or of a workspace package, a command its package.json scripts run): nothing
is fetched then, so nothing is looked up. Otherwise, and always for `pnpm dlx` / `yarn dlx` (which fetch),
a well-known binary is looked up as the package that provides it (`registries/npm/bins.tsv`). The files read
are found from the command's folder and the source's root (`slopguard.root`), never from the binary's name:
it is only compared with what was found.
"""

from __future__ import annotations

import functools
import json
import os
import re

from slopguard.root import Refused, inside

_BARE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""A bare binary word: no scope, version, path or alias (those name a package or a file)."""
MAX_UP = 12
"""Folders above the command's folder searched for package.json and node_modules/.bin."""
MAX_ENTRIES = 5000
"""Entries read from one node_modules/.bin folder, and workspace folders read from one pattern."""
MAX_BYTES = 1_000_000
"""Largest package.json read."""
MAX_MEMBERS = 500
"""Workspace packages whose package.json is read, per workspace root."""
_SCRIPT_SPLIT = re.compile(r"&&|\|\||[;|&()]")
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def is_bare(word: str | None) -> bool:
    """Whether `word` could be a binary name rather than a package spec (`tsc`, not `tsc@1` or `@s/x`)."""
    return word is not None and _BARE.match(word) is not None


def binary_package(word: str) -> str | None:
    """The package that provides well-known binary `word` when its name differs (`tsc` -> `typescript`)."""
    from slopguard.popular import npm_bins

    return npm_bins().get(word)


def provides(word: str, folder: str | None, root: str) -> bool:
    """Whether the project around `folder` (inside `root`) provides binary `word` itself."""
    if not folder or not root:
        return False
    return word in project_bins(os.path.abspath(folder), root)


@functools.lru_cache(maxsize=16)
def project_bins(folder: str, root: str) -> frozenset[str]:
    """The binaries the project provides, seen from `folder` up to `root`."""
    found: set[str] = set()
    here = folder
    for _ in range(MAX_UP + 1):
        place = inside(here, None, root)
        if isinstance(place, Refused):
            break
        found.update(_listing(os.path.join(place, "node_modules", ".bin"), root))
        manifest = _manifest(os.path.join(place, "package.json"), root)
        if manifest is not None:
            found.update(_bins_of(manifest))
            found.update(_script_commands(manifest))
            for member in _workspace_folders(place, manifest, root):
                data = _manifest(os.path.join(member, "package.json"), root)
                if data is not None:
                    found.update(_bins_of(data))
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return frozenset(found)


def _listing(path: str, root: str) -> list[str]:
    checked = inside(path, None, root)
    if isinstance(checked, Refused) or not os.path.isdir(checked):
        return []
    names: list[str] = []
    try:
        with os.scandir(checked) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_ENTRIES:
                    break
                names.append(entry.name)
    except OSError:
        return []
    return names


def _manifest(path: str, root: str) -> dict[str, object] | None:
    checked = inside(path, None, root)
    if isinstance(checked, Refused) or not os.path.isfile(checked):
        return None
    try:
        if os.path.getsize(checked) > MAX_BYTES:
            return None
        with open(checked, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _bins_of(manifest: dict[str, object]) -> set[str]:
    """The binaries a package.json declares: the keys of `bin`, or the package's own name for a string."""
    bins = manifest.get("bin")
    if isinstance(bins, dict):
        return {k for k in bins if isinstance(k, str)}
    name = manifest.get("name")
    if isinstance(bins, str) and isinstance(name, str):
        return {name.rsplit("/", 1)[-1]}
    return set()


def _script_commands(manifest: dict[str, object]) -> set[str]:
    """The commands package.json scripts run (`"build": "tsc -p ."` -> `tsc`): the project depends on them."""
    scripts = manifest.get("scripts")
    if not isinstance(scripts, dict):
        return set()
    out: set[str] = set()
    for body in scripts.values():
        if not isinstance(body, str):
            continue
        for part in _SCRIPT_SPLIT.split(body):
            words = [w for w in part.split() if not _ASSIGN.match(w)]
            if words and is_bare(words[0]):
                out.add(words[0])
    return out


def _workspace_folders(place: str, manifest: dict[str, object], root: str) -> list[str]:
    """The folders of the workspace packages a package.json (`workspaces`) or pnpm-workspace.yaml names."""
    patterns: list[str] = []
    spaces = manifest.get("workspaces")
    if isinstance(spaces, dict):
        spaces = spaces.get("packages")
    if isinstance(spaces, list):
        patterns.extend(p for p in spaces if isinstance(p, str))
    pnpm = inside(os.path.join(place, "pnpm-workspace.yaml"), None, root)
    if not isinstance(pnpm, Refused) and os.path.isfile(pnpm):
        try:
            with open(pnpm, encoding="utf-8") as handle:
                text = handle.read(MAX_BYTES)
        except (OSError, ValueError):
            text = ""
        patterns.extend(m.group(1) for m in re.finditer(r"^\s*-\s*['\"]?([^'\"#\n]+?)['\"]?\s*$", text, re.M))
    folders: list[str] = []
    for pattern in patterns[:64]:
        if pattern.startswith("!") or len(folders) >= MAX_MEMBERS:
            continue
        base = pattern.rstrip("/")
        if base.endswith("/**"):
            base = base[:-3]
        if base.endswith("/*"):
            folders.extend(os.path.join(place, base[:-2], n) for n in _listing(os.path.join(place, base[:-2]), root))
        elif "*" not in base:
            folders.append(os.path.join(place, base))
    return folders[:MAX_MEMBERS]
