"""A file scanned on its own: its neighbours, its package and its project's manifests are first-party; notebooks
are read as their cells, in trees and on their own."""

from __future__ import annotations

import json
from pathlib import Path

from fakeregistry import FakeRegistry

from slopguard.check import scan
from slopguard.config import Settings
from slopguard.extract.project import project_near_file


def _notebook(path: Path, *cells: str) -> None:
    content = [
        {"cell_type": "code", "source": c.splitlines(keepends=True), "outputs": [], "metadata": {}} for c in cells
    ]
    path.write_text(json.dumps({"cells": content, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_neighbours_package_and_manifests_are_first_party(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (tmp_path / "package.json").write_text(json.dumps({"name": "@acme/web"}))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "acme-tools"\n')
    package = tmp_path / "src" / "acme" / "sub"
    package.mkdir(parents=True)
    for folder in (tmp_path / "src" / "acme", package):
        (folder / "__init__.py").write_text("")
    (package / "helpers.py").write_text("")
    (package / "data").mkdir()
    script = package / "run.py"
    script.write_text("import helpers\n")
    project = project_near_file(script)
    assert {"helpers", "run", "data", "acme"} <= project.python_modules
    assert "example.com/app" in project.go_modules
    assert "@acme/web" in project.npm_packages
    assert "acme-tools" in project.python_distributions


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/outer\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "main.go").write_text("package main\n")
    assert project_near_file(repo / "main.go").go_modules == frozenset()


def test_a_go_file_on_its_own_does_not_look_up_its_own_module(
    fake_registry: FakeRegistry, registry_settings: Settings, tmp_path: Path
) -> None:
    fake_registry.add_go("github.com/pkg/errors")
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    main = tmp_path / "cmd" / "app" / "main.go"
    main.parent.mkdir(parents=True)
    main.write_text('package main\n\nimport (\n\t"example.com/app/internal/x"\n\t"github.com/pkg/errors"\n)\n')
    report = scan([str(main)], registry_settings, cwd=tmp_path)
    assert [f.name for f in report.findings] == ["github.com/pkg/errors"]
    assert not any("example.com" in p for p in fake_registry.paths())


def test_notebooks_are_read_in_trees_and_alone(
    fake_registry: FakeRegistry, registry_settings: Settings, tmp_path: Path
) -> None:
    fake_registry.add_pypi("requests")
    fake_registry.add_pypi("pyyaml")
    (tmp_path / "helpers.py").write_text("import requests\n")
    _notebook(tmp_path / "analysis.ipynb", "!pip install reqeusts\nimport yaml\nimport helpers\n")
    for target in (str(tmp_path), str(tmp_path / "analysis.ipynb")):
        report = scan([target], registry_settings, cwd=tmp_path)
        verdicts = {f.name: f.verdict.value for f in report.findings}
        assert verdicts.get("reqeusts") == "block", (target, verdicts)
        assert verdicts.get("pyyaml") == "ok" and "helpers" not in verdicts


def test_a_broken_notebook_is_one_problem(registry_settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text("{not json")
    report = scan([str(tmp_path)], registry_settings.replace(offline=True), cwd=tmp_path)
    assert report.findings == ()
    assert [p.code for p in report.errors] == ["invalid-json"]


def test_a_folder_scanned_alone_knows_its_repository_packages(
    fake_registry: FakeRegistry, registry_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "src" / "acme").mkdir(parents=True)
    (tmp_path / "src" / "acme" / "__init__.py").write_text("")
    (tmp_path / "toolkit").mkdir()
    (tmp_path / "toolkit" / "__init__.py").write_text("")
    (tmp_path / "conftest_helpers.py").write_text("")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_x.py").write_text("import acme\nimport toolkit\nimport conftest_helpers\nimport requests\n")
    fake_registry.add_pypi("requests")
    report = scan([str(tests)], registry_settings, cwd=tmp_path)
    assert [f.name for f in report.findings] == ["requests"]  # the repository's own code is not looked up
