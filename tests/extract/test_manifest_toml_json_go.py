"""pyproject.toml, Pipfile, package.json and go.mod: whole files, diffs with post-images, and bare diff hunks."""

from __future__ import annotations

import re
from pathlib import Path

from slopguard.extract.manifests import extract_manifest
from slopguard.models import Ecosystem, Extraction, PackageRef, Project, Source, SourceKind

DATA = Path(__file__).parent / "data_manifests"


def scan(text: str, filename: str, **kw: object) -> Extraction:
    return extract_manifest(Source(text, SourceKind.MANIFEST, filename, filename=filename, **kw), Project())  # type: ignore[arg-type]


def rows(refs: tuple[PackageRef, ...]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(r.canonical, r.spec, r.location.line, r.source) for r in refs]


def hunks(patch: Path, filename: str) -> list[Source]:
    """Each hunk of `filename` in a real patch as a diff-fragment Source (context + added lines)."""
    sources = []
    in_file = False
    lines: list[str] = []
    added: set[int] = set()
    start = 0
    for raw in [*patch.read_text(encoding="utf-8").splitlines(), "@@ end"]:
        if raw.startswith(("diff --git", "@@")) and lines:
            sources.append(
                Source("\n".join(lines), SourceKind.MANIFEST, filename, filename, start - 1, None, frozenset(added))
            )
            lines, added = [], set()
        if raw.startswith("diff --git"):
            in_file = raw.endswith(f" b/{filename}")
        elif in_file and raw.startswith("@@"):
            start = int(re.match(r"@@ -\d+(?:,\d+)? \+(\d+)", raw).group(1))  # type: ignore[union-attr]
        elif in_file and raw[:1] in (" ", "+") and not raw.startswith("+++"):
            lines.append(raw[1:])
            if raw.startswith("+"):
                added.add(len(lines))
    return sources


PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo"
dependencies = [
    "click",
    "httpx>=0.27",
    "markdown @ file:///Users/someone/projects/python-markdown",
    "mylib",
]

[project.optional-dependencies]
s3 = ["boto3"]
test = [
    "pytest>=8",
]

[dependency-groups]
dev = [
    "moto[s3]>=5.0.0",
    {include-group = "test"},
]
test = ["pytest>=8"]

[tool.uv]
dev-dependencies = ["ruff"]

[tool.uv.sources]
mylib = { path = "../mylib", editable = true }

[tool.poetry.dependencies]
python = "^3.10"
requests = "^2.31"
private-pkg = { version = "1.0", source = "corp" }
gitdep = { git = "https://github.com/o/gitdep.git" }

[tool.poetry.group.dev.dependencies]
black = "*"

[[tool.poetry.source]]
name = "corp"
url = "https://pypi.corp.example/simple"
"""


def test_pyproject_every_section() -> None:
    extraction = scan(PYPROJECT, "pyproject.toml")
    assert extraction.problems == ()
    assert rows(extraction.refs) == [
        ("click", None, 8, None),
        ("httpx", ">=0.27", 9, None),
        ("markdown", None, 10, "file:///Users/someone/projects/python-markdown"),
        ("mylib", None, 11, "path:../mylib"),
        ("hatchling", ">=1.21", 2, None),
        ("hatch-vcs", None, 2, None),
        ("boto3", None, 15, None),
        ("pytest", ">=8", 17, None),
        ("moto", ">=5.0.0", 22, None),
        ("pytest", ">=8", 25, None),
        ("ruff", None, 28, None),
        ("requests", "^2.31", 35, None),
        ("private-pkg", "1.0", 36, None),
        ("gitdep", None, 37, "git:https://github.com/o/gitdep.git"),
        ("black", None, 40, None),
    ]
    by_name = {r.canonical: r for r in extraction.refs}
    assert by_name["private-pkg"].index_url == "https://pypi.corp.example/simple"
    assert by_name["mylib"].notes == ("non-registry-source",)
    assert by_name["httpx"].evidence == '"httpx>=0.27",'


def test_pyproject_post_image_reports_only_added_lines() -> None:
    extraction = scan(PYPROJECT, "pyproject.toml", added_lines=frozenset({9, 22, 36}))
    assert [r.canonical for r in extraction.refs] == ["httpx", "moto", "private-pkg"]


def test_pyproject_parse_error_has_a_line() -> None:
    extraction = scan('[project]\ndependencies = [\n  "a",\n  oops\n]\n', "pyproject.toml", line_offset=100)
    assert extraction.refs == ()
    (problem,) = extraction.problems
    assert problem.path == "pyproject.toml" and problem.line == 104


def test_pyproject_hunks_of_real_agent_commits() -> None:
    found = []
    for name in (
        "claude-code-transcripts-pr23-afeaf02-add-nh3.patch",
        "claude-code-transcripts-pr55-17573bf-add-boto3.patch",
    ):
        for source in hunks(DATA / name, "pyproject.toml"):
            extraction = extract_manifest(source, Project())
            assert extraction.problems == ()
            found.extend((r.canonical, r.spec, r.location.line) for r in extraction.refs)
    assert found == [("nh3", ">=0.3.2", 18), ("boto3", None, 12), ("moto", ">=5.0.0", 36)]


def test_toml_fragment_skips_non_dependency_arrays() -> None:
    text = 'keywords = [\n    "cli",\n]\n[project]\ndependencies = [\n  "a",\n]'
    extraction = scan(text + "\n[x", "pyproject.toml", added_lines=frozenset({2, 6}))
    assert [r.canonical for r in extraction.refs] == ["a"]


PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
name = "pypi"

[[source]]
url = "https://corp.example/simple"
name = "corp"

[packages]
requests = "*"
flask = {version = "==3.0", extras = ["async"]}
internal = {version = "*", index = "corp"}
local = {path = ".", editable = true}

[dev-packages]
pytest = ">=8"

[requires]
python_version = "3.12"
"""


def test_pipfile() -> None:
    extraction = scan(PIPFILE, "Pipfile")
    assert rows(extraction.refs) == [
        ("requests", None, 10, None),
        ("flask", "==3.0", 11, None),
        ("internal", None, 12, None),
        ("local", None, 13, "path:."),
        ("pytest", ">=8", 16, None),
    ]
    assert [r.index_url for r in extraction.refs][:3] == [None, None, "https://corp.example/simple"]


PACKAGE_JSON = """\
{
  "name": "web",
  "scripts": {"build": "vite build", "lodash": "echo not a dep"},
  "dependencies": {
    "react": "^18.2.0",
    "my-lodash": "npm:lodash@^4.17.21",
    "@scope/ui": "workspace:*",
    "local": "file:../local",
    "linked": "link:../linked",
    "gh": "github:user/gh",
    "short": "user/short#v1",
    "tar": "https://example.com/tar.tgz",
    "gitdep": "git+ssh://git@github.com/o/gitdep.git"
  },
  "devDependencies": {"typescript": "~5.4.0"},
  "peerDependencies": {"react-dom": ">=18"},
  "optionalDependencies": {"fsevents": "2.x"},
  "bundleDependencies": ["react"],
  "engines": {"node": ">=18"}
}
"""


def test_package_json_sections_aliases_and_non_registry_specs() -> None:
    extraction = scan(PACKAGE_JSON, "package.json")
    assert extraction.problems == ()
    assert rows(extraction.refs) == [
        ("react", "^18.2.0", 5, None),
        ("lodash", "^4.17.21", 6, None),
        ("@scope/ui", None, 7, "workspace:*"),
        ("local", None, 8, "file:../local"),
        ("linked", None, 9, "link:../linked"),
        ("gh", None, 10, "github:user/gh"),
        ("short", None, 11, "user/short#v1"),
        ("tar", None, 12, "https://example.com/tar.tgz"),
        ("gitdep", None, 13, "git+ssh://git@github.com/o/gitdep.git"),
        ("typescript", "~5.4.0", 15, None),
        ("react-dom", ">=18", 16, None),
        ("fsevents", "2.x", 17, None),
        ("react", None, 18, None),
    ]
    alias = extraction.refs[1]
    assert (alias.ecosystem, alias.name, alias.evidence) == (
        Ecosystem.NPM,
        "my-lodash",
        '"my-lodash": "npm:lodash@^4.17.21",',
    )


def test_package_json_post_image_and_errors() -> None:
    extraction = scan(PACKAGE_JSON, "package.json", added_lines=frozenset({3, 15}))
    assert [r.canonical for r in extraction.refs] == ["typescript"]
    broken = scan('{\n  "dependencies": {\n    "a": "1",\n  }\n}', "package.json")
    assert broken.refs == () and broken.problems[0].line == 4
    assert scan("[1, 2]", "package.json").problems


def test_package_json_hunks_of_a_real_agent_commit() -> None:
    found = []
    for source in hunks(DATA / "claude-code-viewer-pr214-920fbe7-add-katex.patch", "package.json"):
        extraction = extract_manifest(source, Project())
        assert extraction.problems == ()
        found.extend((r.canonical, r.spec, r.location.line) for r in extraction.refs)
    assert found == [("katex", "0.16.22", 118), ("rehype-katex", "7.0.1", 136), ("remark-math", "6.0.0", 138)]


def test_json_fragment_uses_visible_sections() -> None:
    text = '  "scripts": {\n    "build": "vite build",\n    "x": "1.0.0"\n  },\n  "dependencies": {\n    "y": "^2"'
    extraction = scan(text, "package.json", added_lines=frozenset({2, 3, 6}))
    assert [r.canonical for r in extraction.refs] == ["y"]


GO_MOD = """\
module example.com/me/app

go 1.22

require github.com/gin-gonic/gin v1.9.1

require (
\tgolang.org/x/mod v0.17.0 // indirect
\t"github.com/quoted/mod" v1.0.0
\texample.com/me/lib v0.0.0-00010101000000-000000000000
\tgithub.com/old/thing v1.2.0
)

replace example.com/me/lib => ../lib

replace (
\tgithub.com/old/thing => github.com/new/thing v1.3.0
)

exclude golang.org/x/net v0.1.0
retract v1.0.1
"""


def test_go_mod() -> None:
    extraction = scan(GO_MOD, "go.mod")
    assert extraction.problems == ()
    assert rows(extraction.refs) == [
        ("github.com/gin-gonic/gin", "v1.9.1", 5, None),
        ("golang.org/x/mod", "v0.17.0", 8, None),
        ("github.com/quoted/mod", "v1.0.0", 9, None),
        ("example.com/me/lib", "v0.0.0-00010101000000-000000000000", 10, "replace => ../lib"),
        ("github.com/old/thing", "v1.2.0", 11, "replace => github.com/new/thing v1.3.0"),
        ("github.com/new/thing", "v1.3.0", 17, None),
    ]
    assert extraction.refs[1].evidence == "golang.org/x/mod v0.17.0 // indirect"
    assert all(r.ecosystem is Ecosystem.GO for r in extraction.refs)


def test_go_mod_diff_and_fragment() -> None:
    extraction = scan(GO_MOD, "go.mod", added_lines=frozenset({8, 17}))
    assert [r.canonical for r in extraction.refs] == ["golang.org/x/mod", "github.com/new/thing"]
    fragment = scan(
        "\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v2.0.0 // indirect\n)", "go.mod", added_lines=frozenset({2})
    )
    assert [r.canonical for r in fragment.refs] == ["github.com/c/d"]
    bad = scan("require (\n\tlonely\n)\n", "go.mod")
    assert bad.refs == () and [p.line for p in bad.problems] == [2]


def test_pyproject_escaped_strings_are_located() -> None:
    text = '[project]\ndependencies = [\n  "a",\n  "tomli; python_version < \\"3.11\\"",\n]\n'
    extraction = scan(text, "pyproject.toml", added_lines=frozenset({4}))
    assert [(r.canonical, r.location.line) for r in extraction.refs] == [("tomli", 4)]


PACKAGE_WITH_SCRIPTS = """{
  "name": "web",
  "scripts": {
    "build": "npx tsc -p .",
    "setup": "pip install reqeusts && npm i lodahs",
    "scaffold": "npx create-vite@latest app",
    "deps": "pip install -r requirements.txt"
  },
  "dependencies": {"react": "^18"}
}
"""


def test_package_json_scripts_are_read_on_their_lines(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(PACKAGE_WITH_SCRIPTS)
    (tmp_path / "requirements.txt").write_text("flask\n")
    source = Source(PACKAGE_WITH_SCRIPTS, SourceKind.MANIFEST, str(tmp_path / "package.json"))
    extraction = extract_manifest(source, Project())
    found = sorted(
        (r.ecosystem.value, r.canonical, r.kind.value, Path(r.location.path).name, r.location.line)
        for r in extraction.refs
    )
    assert found == [
        ("npm", "create-vite", "run", "package.json", 6),
        ("npm", "lodahs", "install", "package.json", 5),
        ("npm", "react", "manifest", "package.json", 9),
        ("pypi", "flask", "install", "requirements.txt", 1),  # -r read next to package.json, where npm runs scripts
        ("pypi", "reqeusts", "install", "package.json", 5),
    ]  # `npx tsc` runs the project's own binary: not a registry fetch


def test_package_json_scripts_in_a_diff_count_only_on_added_lines() -> None:
    source = Source(PACKAGE_WITH_SCRIPTS, SourceKind.MANIFEST, "package.json", added_lines=frozenset({6}))
    found = [(r.canonical, r.location.line) for r in extract_manifest(source, Project()).refs]
    assert found == [("create-vite", 6)]


TOX = """[tox]
requires = tox>=4
env_list = py311, lint

[testenv]
deps =
    pytest>=7
    py311: mock
    !win, lint: pytest-cov
    -r requirements.txt
    {[base]deps}
commands = pytest

[testenv:lint]
deps = ruff  # the linter
commands = ruff check .

[other]
deps = not-a-dep
"""


def test_tox_ini_deps_and_requires() -> None:
    source = Source(TOX, SourceKind.MANIFEST, "tox.ini")
    extraction = extract_manifest(source, Project())
    found = [(r.canonical, r.spec, r.kind.value, r.location.line) for r in extraction.refs]
    assert found == [
        ("tox", ">=4", "manifest", 2),
        ("pytest", ">=7", "manifest", 7),
        ("mock", None, "manifest", 8),
        ("pytest-cov", None, "manifest", 9),
        ("ruff", None, "manifest", 15),
    ]
    assert extraction.problems == ()
    kept = Source(TOX, SourceKind.MANIFEST, "tox.ini", added_lines=frozenset({15}))
    assert [r.canonical for r in extract_manifest(kept, Project()).refs] == ["ruff"]
