"""Line-based Python manifests: requirements/constraints files, setup.cfg, setup.py, environment.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard.extract import extract
from slopguard.extract.manifests import extract_manifest, manifest_format
from slopguard.models import Extraction, PackageRef, Project, RefKind, Source, SourceKind


def scan(text: str, filename: str, **kw: object) -> Extraction:
    source = Source(text, SourceKind.MANIFEST, kw.pop("path", filename), filename=filename, **kw)  # type: ignore[arg-type]
    return extract_manifest(source, Project())


def rows(refs: tuple[PackageRef, ...]) -> list[tuple[str, str | None, int | None, bool]]:
    return [(r.canonical, r.spec, r.location.line, r.source is not None) for r in refs]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("requirements.txt", "requirements.txt"),
        ("requirements-dev.txt", "requirements.txt"),
        ("dev-requirements.txt", "requirements.txt"),
        ("constraints.txt", "requirements.txt"),
        ("requirements.in", "requirements.txt"),
        ("requirements/base.txt", "requirements.txt"),
        ("a/b/requirements/prod.txt", "requirements.txt"),
        ("pyproject.toml", "pyproject.toml"),
        ("sub/setup.cfg", "setup.cfg"),
        ("setup.py", "setup.py"),
        ("Pipfile", "Pipfile"),
        ("environment.yml", "environment.yml"),
        ("environment.yaml", "environment.yml"),
        ("web/package.json", "package.json"),
        ("go.mod", "go.mod"),
        ("notes.txt", None),
        ("README.md", None),
        ("package-lock.json", None),
        ("Pipfile.lock", None),
        ("go.sum", None),
        ("main.py", None),
    ],
)
def test_manifest_format(filename: str, expected: str | None) -> None:
    assert manifest_format(filename) == expected


REQUIREMENTS = """\
# Core
--index-url https://pypi.example/simple
requests>=2.31  # HTTP
Flask[async]==3.0.0 ; python_version >= "3.9"
numpy==1.26.4 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
-e git+https://github.com/org/lib.git#egg=orglib
-e ./local
https://files.example/pkgs/foo-1.0-py3-none-any.whl
bar @ https://files.example/bar.tar.gz
--pre
   Django_Rest-Framework
"""


def test_requirements_file() -> None:
    extraction = scan(REQUIREMENTS, "requirements.txt")
    assert extraction.problems == ()
    assert rows(extraction.refs) == [
        ("requests", ">=2.31", 3, False),
        ("flask", "==3.0.0", 4, False),
        ("numpy", "==1.26.4", 5, False),
        ("orglib", None, 8, True),
        ("local", None, 9, True),
        ("foo", None, 10, True),
        ("bar", None, 11, True),
        ("django-rest-framework", None, 13, False),
    ]
    first = extraction.refs[0]
    assert first.kind is RefKind.MANIFEST and first.index_url == "https://pypi.example/simple"
    assert first.evidence == "requests>=2.31"
    assert extraction.refs[-1].location.column == 4
    assert extraction.refs[-1].name == "Django_Rest-Framework"
    assert extraction.refs[3].notes == ("non-registry-source",) and extraction.refs[3].index_url is None


def test_extra_index_url_anywhere_marks_every_requirement() -> None:
    extraction = scan("a\nb\n--extra-index-url https://internal.example/simple\n", "requirements.txt")
    assert [r.notes for r in extraction.refs] == [("extra-index-url",), ("extra-index-url",)]


def test_requirements_in_a_diff_report_only_added_lines_with_file_context() -> None:
    text = "--extra-index-url https://x.example\nold\nnew\n"
    extraction = scan(text, "requirements.txt", added_lines=frozenset({3}), line_offset=40)
    assert [(r.canonical, r.location.line, r.notes) for r in extraction.refs] == [("new", 43, ("extra-index-url",))]


def test_continued_requirement_counts_when_any_of_its_lines_is_added() -> None:
    extraction = scan("numpy==1 \\\n  --hash=sha256:x\n", "requirements.txt", added_lines=frozenset({2}))
    assert [r.canonical for r in extraction.refs] == ["numpy"]


def test_bad_requirement_line_is_a_problem_with_its_line() -> None:
    extraction = scan("ok\nthis is not valid\nalso-ok\n", "requirements.txt")
    assert [r.canonical for r in extraction.refs] == ["ok", "also-ok"]
    assert [(p.path, p.line) for p in extraction.problems] == [("requirements.txt", 2)]


def test_includes_are_read_next_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("attrs\n", encoding="utf-8")
    main = tmp_path / "requirements" / "dev.txt"
    main.write_text("-r base.txt\n-c missing.txt\npytest\n", encoding="utf-8")
    extraction = scan(main.read_text(encoding="utf-8"), "requirements/dev.txt", path=str(main))
    assert [(r.canonical, r.location.path) for r in extraction.refs] == [
        ("attrs", str(tmp_path / "requirements" / "base.txt")),
        ("pytest", str(main)),
    ]
    assert [(p.code, p.line) for p in extraction.problems] == [("input-error", 2)]


def test_includes_of_a_file_not_on_disk_are_skipped_quietly() -> None:
    extraction = scan("-r other.txt\nx\n", "requirements.txt", path="does/not/exist/requirements.txt")
    assert [r.canonical for r in extraction.refs] == ["x"] and extraction.problems == ()


SETUP_CFG = """\
[metadata]
name = demo

[options]
packages = find:
install_requires =
    requests>=2
    click; python_version>"3.7"
    # a comment
python_requires = >=3.8
setup_requires = setuptools_scm

[options.extras_require]
dev =
    pytest
docs = sphinx>=7
"""


def test_setup_cfg() -> None:
    extraction = scan(SETUP_CFG, "setup.cfg")
    assert rows(extraction.refs) == [
        ("requests", ">=2", 7, False),
        ("click", None, 8, False),
        ("setuptools-scm", None, 11, False),
        ("pytest", None, 15, False),
        ("sphinx", ">=7", 16, False),
    ]


SETUP_PY = """\
from setuptools import setup

REQUIRES = [
    "httpx>=0.27",
    'rich',
]

setup(
    name="demo",
    install_requires=REQUIRES + ["typer"],
    extras_require={"test": ["pytest>=8"], "fancy": [f"x{1}"]},
    tests_require=("hypothesis",),
    classifiers=["Programming Language :: Python"],
)
"""


def test_setup_py_literal_requirements() -> None:
    extraction = extract(Source(SETUP_PY, SourceKind.MANIFEST, "setup.py", filename="setup.py"))
    assert rows(extraction.refs) == [
        ("httpx", ">=0.27", 4, False),
        ("rich", None, 5, False),
        ("typer", None, 10, False),
        ("pytest", ">=8", 11, False),
        ("hypothesis", None, 12, False),
    ]


ENVIRONMENT = """\
name: demo
channels:
  - conda-forge
dependencies:
  - python=3.11
  - numpy
  - pip
  - pip:
      - requests>=2  # comment
      - "--extra-index-url https://x.example/simple"
      - 'pydantic[email]'
  - scipy
"""


def test_environment_yml_pip_section_only() -> None:
    extraction = scan(ENVIRONMENT, "environment.yml")
    assert rows(extraction.refs) == [("requests", ">=2", 9, False), ("pydantic", None, 11, False)]
    assert extraction.refs[0].notes == ("extra-index-url",)
    assert extraction.problems == ()


def test_environment_yml_flow_list() -> None:
    extraction = scan("dependencies:\n  - pip: [a, 'b==1']\n", "environment.yml")
    assert rows(extraction.refs) == [("a", None, 2, False), ("b", "==1", 2, False)]


def test_not_a_manifest_is_a_problem() -> None:
    extraction = scan("x", "README.md")
    assert extraction.refs == () and len(extraction.problems) == 1
