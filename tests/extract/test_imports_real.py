"""Real sources written by others (httpx, express): every third-party import is a declared dependency,
and the sparse fast path finds exactly what a whole-file parse finds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from slopguard import names
from slopguard.extract import imports
from slopguard.extract.imports import extract_imports
from slopguard.extract.project import is_first_party, project_from_tree
from slopguard.models import Ecosystem, Extraction, Project, Source, SourceKind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REAL = Path(__file__).parent / "data_imports" / "real"
KINDS = {".py": SourceKind.PYTHON, ".js": SourceKind.JAVASCRIPT}


def declared(root: Path) -> set[str]:
    if (root / "pyproject.toml").exists():
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        reqs = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
        return {names.canonicalize(Ecosystem.PYPI, Requirement(r).name) for r in reqs}
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return set(manifest["dependencies"]) | set(manifest["devDependencies"])


def scan(root: Path, project: Project) -> list[Extraction]:
    results = []
    for path in sorted(root.rglob("*")):
        if path.suffix in KINDS:
            rel = str(path.relative_to(root))
            results.append(extract_imports(Source(path.read_text(encoding="utf-8"), KINDS[path.suffix], rel), project))
    return results


@pytest.mark.parametrize("package", ["httpx", "express"])
def test_every_third_party_import_is_declared(package: str) -> None:
    root = REAL / package
    project = project_from_tree(root)
    deps = declared(root)
    extractions = scan(root, project)
    refs = [r for e in extractions for r in e.refs]
    assert all(e.problems == () for e in extractions)
    assert refs, "the sample imports third-party packages"
    assert not [r for r in refs if is_first_party(r, project)]
    undeclared = sorted(
        {f"{r.canonical} ({r.location.path}:{r.location.line})" for r in refs if r.canonical not in deps}
    )
    assert undeclared == []


def test_httpx_optional_and_cli_dependencies_are_all_found() -> None:
    root = REAL / "httpx"
    found = {r.canonical for e in scan(root, project_from_tree(root)) for r in e.refs}
    assert found == {"click", "pygments", "rich", "httpcore", "brotli", "brotlicffi", "zstandard"}


def test_express_own_name_and_relative_requires_are_skipped() -> None:
    root = REAL / "express"
    project = project_from_tree(root)
    assert "express" in project.npm_packages
    refs = [r for e in scan(root, project) for r in e.refs]
    assert {"body-parser", "merge-descriptors", "accepts", "type-is"} <= {r.canonical for r in refs}
    assert all(not r.name.startswith(".") and r.name not in ("http", "path", "node:http") for r in refs)


def test_sparse_fast_path_matches_whole_file_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [p for p in sorted(REAL.rglob("*")) if p.suffix in KINDS and p.stat().st_size >= imports.SPARSE_MIN_BYTES]
    assert len(files) >= 3
    for path in files:
        source = Source(path.read_text(encoding="utf-8"), KINDS[path.suffix], str(path))
        fast = extract_imports(source, Project())
        monkeypatch.setattr(imports, "SPARSE_MIN_BYTES", 10**12)
        whole = extract_imports(source, Project())
        monkeypatch.undo()
        assert fast == whole, path
