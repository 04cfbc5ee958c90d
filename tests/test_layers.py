"""Data flows one way: stages never import each other, base modules import no stage, nothing heavy at import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "slopguard"
STAGES = ("inputs", "extract", "registry", "rules", "policy", "report")
BASE = (
    "models",
    "_frozen",
    "errors",
    "names",
    "config",
    "popular",
    "filetypes",
    "escape",
    "progress",
    "_version",
    "root",
)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("slopguard")}


def _component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_layers_hold() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert files, "no modules found"
    violations = []
    for path in files:
        here = _component(_module_name(path))
        for target in _imports(path):
            there = _component(target)
            if there in ("", here):
                continue
            if here in STAGES and there in STAGES:
                violations.append(f"{_module_name(path)} imports stage {target}")
            if here in BASE and there not in BASE:
                violations.append(f"{_module_name(path)} (base) imports {target}")
    assert violations == []


def test_typosquat_machinery_lives_with_the_rules_without_a_cycle() -> None:
    rules = PACKAGE / "rules"
    for name in ("similarity", "similarity_index", "similarity_direct", "spellings"):
        assert (rules / f"{name}.py").is_file() and not (PACKAGE / f"{name}.py").exists()
    graph = {
        path.stem: {t.split(".")[2] for t in _imports(path) if t.count(".") >= 2 and t.startswith("slopguard.rules.")}
        for path in rules.glob("*.py")
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert [m for m in graph if reaches(m, m, set())] == []


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(p.relative_to(PACKAGE.parent))
        for p in sorted(PACKAGE.rglob("*.py"))
        if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []


def test_importing_the_package_and_cli_loads_nothing_heavy() -> None:
    code = (
        "import sys, slopguard, slopguard.cli, slopguard.check, slopguard.models, slopguard.config;"
        "heavy = [m for m in ('httpx', 'asyncio', 'tree_sitter', 'diskcache', 'packaging.requirements', 'rapidfuzz')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
