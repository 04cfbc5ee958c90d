"""First-party detection: `project_from_tree`, `project_from_files`, `merge_projects`, `is_first_party`."""

from __future__ import annotations

import json
from pathlib import Path

from slopguard.extract.imports import extract_imports
from slopguard.extract.project import (
    is_first_party,
    merge_projects,
    project_from_files,
    project_from_tree,
)
from slopguard.models import Ecosystem, Location, PackageRef, Project, RefKind, Source, SourceKind


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def ref(ecosystem: Ecosystem, name: str, canonical: str | None = None, kind: RefKind = RefKind.IMPORT) -> PackageRef:
    return PackageRef(ecosystem, name, canonical or name, kind, Location("x"))


def test_python_layouts(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "flat_pkg/__init__.py": "",
            "flat_pkg/sub/__init__.py": "",
            "src/src_pkg/__init__.py": "",
            "src/company/ns_pkg/__init__.py": "",
            "manage.py": "",
            "scripts/helper_tool.py": "",
            "tests/__init__.py": "",
            "tests/conftest.py": "",
            "tests/test_a.py": "",
            "pyproject.toml": '[project]\nname = "My-Project.Name"\n',
            "node_modules/evil/__init__.py": "",
            ".venv/lib/site_pkg/__init__.py": "",
            "build/lib/built_pkg/__init__.py": "",
            "not-an-identifier/__init__.py": "",
        },
    )
    modules = project_from_tree(tmp_path).python_modules
    assert {"flat_pkg", "src_pkg", "company", "ns_pkg", "manage", "helper_tool", "tests", "conftest"} <= modules
    assert {"My_Project_Name", "my_project_name"} <= modules
    assert not modules & {"evil", "site_pkg", "built_pkg", "sub", "test_a", "not-an-identifier", "lib", "src"}


def test_scanning_a_package_directory_itself(tmp_path: Path) -> None:
    write(tmp_path, {"mylib/__init__.py": "", "mylib/core.py": ""})
    assert "mylib" in project_from_tree(tmp_path / "mylib").python_modules


def test_pyproject_tool_tables(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.poetry]\nname = "poetry-app"\npackages = [{include = "poetry_pkg"}]\n'
                '[tool.setuptools]\npy-modules = ["single_mod"]\npackages = ["st_pkg.sub"]\n'
            )
        },
    )
    modules = project_from_tree(tmp_path).python_modules
    assert {"poetry_app", "poetry_pkg", "single_mod", "st_pkg"} <= modules


def test_broken_manifests_are_ignored(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[project\nname=",
            "package.json": "{not json",
            "tsconfig.json": "{{{",
            "go.mod": "\x00\x01",
            "a/package.json": '["a list"]',
        },
    )
    assert project_from_tree(tmp_path) == Project(root=str(tmp_path))


def test_npm_names_workspaces_and_imports_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps(
                {"name": "monorepo", "workspaces": ["packages/*"], "imports": {"#db": "./db.js", "#utils/*": "./u/*"}}
            ),
            "packages/ui/package.json": json.dumps({"name": "@acme/ui"}),
            "packages/core/package.json": json.dumps({"name": "acme-core"}),
            "node_modules/react/package.json": json.dumps({"name": "react"}),
        },
    )
    project = project_from_tree(tmp_path)
    assert project.npm_packages == {"monorepo", "@acme/ui", "acme-core"}
    assert {"#db", "#utils/"} <= set(project.js_aliases)


def test_tsconfig_paths_with_extends_comments_and_base_url(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.base.json": (
                '{\n  // shared options\n  "compilerOptions": {\n    "baseUrl": "./src",\n'
                '    "paths": { "@shared/*": ["libs/shared/*"], "*": ["types/*"], },\n  },\n}\n'
            ),
            "tsconfig.json": (
                '{ "extends": "./tsconfig.base", /* local */\n'
                '  "compilerOptions": {"paths": {"@app/*": ["app/*"], "config": ["cfg.ts"]}} }'
            ),
            "web/jsconfig.json": '{"compilerOptions": {"paths": {"@web/*": ["./*"]}}}',
            "src/components/Button.tsx": "",
            "src/hooks.ts": "",
            "src/types.d.ts": "",
            "src/README.md": "",
        },
    )
    aliases = set(project_from_tree(tmp_path).js_aliases)
    assert {"@shared/", "@app/", "config", "@web/", "components", "hooks", "types"} <= aliases
    assert "README" not in aliases
    assert "" not in aliases


def test_tsconfig_extends_a_package_and_cycles(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tsconfig.json": '{"extends": ["@tsconfig/strictest/tsconfig.json", "./b.json"]}',
            "b.json": '{"extends": "./tsconfig.json", "compilerOptions": {"paths": {"@b/*": ["b/*"]}}}',
            "node_modules/@tsconfig/strictest/tsconfig.json": '{"compilerOptions": {"paths": {"@pkg/*": ["x"]}}}',
        },
    )
    aliases = set(project_from_tree(tmp_path).js_aliases)
    assert {"@pkg/", "@b/"} <= aliases


def test_go_modules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "go.mod": "// comment\nmodule github.com/acme/tool // trailing\n\ngo 1.22\n",
            "plugins/x/go.mod": 'module "example.com/plugins/x"\n',
            "vendor/github.com/dep/go.mod": "module github.com/dep\n",
        },
    )
    assert project_from_tree(tmp_path).go_modules == {"github.com/acme/tool", "example.com/plugins/x"}


def test_walk_is_bounded(tmp_path: Path) -> None:
    deep = tmp_path
    for i in range(15):
        deep = deep / f"d{i}"
    write(deep, {"deep_pkg/__init__.py": ""})
    write(tmp_path, {"top_pkg/__init__.py": ""})
    modules = project_from_tree(tmp_path).python_modules
    assert "top_pkg" in modules
    assert "deep_pkg" not in modules


def test_project_from_written_files(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": json.dumps({"name": "written-app"}), "go.mod": "module example.com/w\n"})
    project = project_from_files(
        [
            "utils.py",
            "src/service/api/handlers.py",
            str(tmp_path / "backend" / "models.py"),
            "/elsewhere/outside/tool.py",
            "package.json",
            str(tmp_path / "go.mod"),
            "missing/tsconfig.json",
            "web/index.ts",
            "",
        ],
        root=str(tmp_path),
    )
    assert {"utils", "service", "api", "handlers", "backend", "models", "tool"} <= project.python_modules
    assert "outside" not in project.python_modules
    assert project.npm_packages == {"written-app"}
    assert project.go_modules == {"example.com/w"}
    assert project.root == str(tmp_path)


def test_merge_projects_is_a_union() -> None:
    a = Project(root="/a", python_modules=frozenset({"x"}), js_aliases=("@/", "@a/"), go_modules=frozenset({"m1"}))
    b = Project(python_modules=frozenset({"y"}), npm_packages=frozenset({"n"}), js_aliases=("@a/", "@b/"))
    merged = merge_projects(Project(), a, b)
    assert merged == Project(
        root="/a",
        python_modules=frozenset({"x", "y"}),
        npm_packages=frozenset({"n"}),
        js_aliases=("@/", "@a/", "@b/"),
        go_modules=frozenset({"m1"}),
    )
    assert merge_projects() == Project()


def test_is_first_party_per_ecosystem() -> None:
    project = Project(
        python_modules=frozenset({"myapp"}),
        npm_packages=frozenset({"@acme/ui", "acme"}),
        js_aliases=("@app/", "config"),
        go_modules=frozenset({"github.com/acme/tool"}),
    )
    assert is_first_party(ref(Ecosystem.PYPI, "myapp.views", "myapp"), project)
    assert not is_first_party(ref(Ecosystem.PYPI, "myapplication", "myapplication"), project)
    assert not is_first_party(ref(Ecosystem.PYPI, "myapp", "myapp", RefKind.INSTALL), project)
    assert is_first_party(ref(Ecosystem.NPM, "@acme/ui/button", "@acme/ui"), project)
    assert is_first_party(ref(Ecosystem.NPM, "acme", kind=RefKind.MANIFEST), project)
    assert is_first_party(ref(Ecosystem.NPM, "@app/models", "@app/models"), project)
    assert is_first_party(ref(Ecosystem.NPM, "config/db", "config"), project)
    assert not is_first_party(ref(Ecosystem.NPM, "configstore"), project)
    assert not is_first_party(ref(Ecosystem.NPM, "config", kind=RefKind.INSTALL), project)
    assert is_first_party(ref(Ecosystem.GO, "github.com/acme/tool/internal/x"), project)
    assert is_first_party(ref(Ecosystem.GO, "github.com/acme/tool"), project)
    assert not is_first_party(ref(Ecosystem.GO, "github.com/acme/toolbox"), project)


def test_tree_project_drops_first_party_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/myapp/__init__.py": "",
            "tsconfig.json": '{"compilerOptions": {"paths": {"@lib/*": ["lib/*"]}}}',
            "package.json": json.dumps({"name": "web", "imports": {"#env": "./env.js"}}),
            "go.mod": "module example.com/svc\n",
        },
    )
    project = project_from_tree(tmp_path)
    py = "import myapp.models\nfrom myapp import x\nimport requests\n"
    ts = "import a from '@lib/a';\nimport b from 'web/b';\nimport e from '#env';\nimport z from 'zod';\n"
    go = 'package x\nimport (\n\t"example.com/svc/db"\n\t"github.com/google/uuid"\n)\n'
    found = [
        r.canonical
        for text, kind in ((py, SourceKind.PYTHON), (ts, SourceKind.TYPESCRIPT), (go, SourceKind.GO))
        for r in extract_imports(Source(text, kind, "f"), project).refs
    ]
    assert found == ["requests", "zod", "github.com/google/uuid"]


def test_written_files_inside_a_package_do_not_make_their_stems_top_level(tmp_path: Path) -> None:
    write(tmp_path, {"lib/richlike/__init__.py": "", "lib/richlike/sub/__init__.py": ""})
    project = project_from_files(
        [
            "lib/richlike/markdown.py",
            "lib/richlike/sub/emoji.py",
            "newpkg/__init__.py",
            "newpkg/tree.py",
            "scripts/run_tool.py",
        ],
        root=str(tmp_path),
    )
    assert {"richlike", "newpkg", "run_tool", "scripts"} <= project.python_modules
    assert not project.python_modules & {"markdown", "emoji", "sub", "tree"}


def test_own_distribution_in_own_manifest_is_first_party(tmp_path: Path) -> None:
    """`myproj[test]` in myproj's own pyproject is the project itself; `pip install myproj` is still checked."""
    from slopguard.extract.project import is_first_party
    from slopguard.models import Ecosystem, Location, PackageRef, RefKind

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "My_Proj"\n')
    project = project_from_tree(tmp_path)
    assert project.python_distributions == frozenset({"my-proj"})

    def ref(kind: RefKind) -> PackageRef:
        return PackageRef(Ecosystem.PYPI, "my-proj", "my-proj", kind, Location("pyproject.toml", 5))

    assert is_first_party(ref(RefKind.MANIFEST), project)
    assert not is_first_party(ref(RefKind.INSTALL), project)
    other = PackageRef(Ecosystem.PYPI, "requests", "requests", RefKind.MANIFEST, Location("pyproject.toml", 6))
    assert not is_first_party(other, project)
